import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ContractClient } from './contract-client';
import { expect, shot, test } from './fixtures';
import { ADMIN, openApp } from './helpers';
import { AuditPage } from './pages/audit-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';

/**
 * Issue 18 §9: an inspector exports the evidence folder from the audit screen (a job with
 * progress; the folder's path shown), and the standalone Python verifier inside it passes on
 * it; the complete audit trail exported as CSV checks too. The harness's data folder is on
 * this machine, so the test reads what the screen says was written.
 */
const QA = { userId: 'li.qa', printedName: '李秀英', password: 'Temp-pass-0101', newPassword: 'Qa-manager-2026!' };
const INSPECTOR = {
  userId: 'zhao.insp',
  printedName: '赵检查',
  password: 'Temp-pass-0102',
  newPassword: 'Inspector-2026!',
};

test.describe.configure({ timeout: 240_000 });

function python(args: string[], cwd?: string): { status: number | null; stdout: string; stderr: string } {
  const exe = process.env['LOTSEAL_PYTHON'] ?? 'python3';
  const r = spawnSync(exe, args, { cwd, encoding: 'utf8', env: { ...process.env, PYTHONIOENCODING: 'utf-8' } });
  if (r.error)
    throw new Error(`python3 is needed by this journey (${r.error.message}); install it or set LOTSEAL_PYTHON`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function seed(url: string): Promise<void> {
  const admin = await ContractClient.connect(url);
  await admin.call('app.setup', { userId: ADMIN.userId, printedName: ADMIN.printedName, password: ADMIN.password });
  await admin.call('auth.signIn', { userId: ADMIN.userId, password: ADMIN.password });
  for (const [u, roles] of [
    [QA, ['qa_manager']],
    [INSPECTOR, ['inspector']],
  ] as const) {
    await admin.call('users.create', {
      userId: u.userId,
      printedName: u.printedName,
      roles: [...roles],
      password: u.password,
      signature: { password: ADMIN.password, meaning: 'enrolled' },
    });
  }
  admin.close();
  // A signed decision in the trail: the QA manager's periodic audit-trail review.
  const qa = await ContractClient.connect(url);
  await qa.signIn(QA.userId, QA.password, QA.newPassword);
  const head = (await qa.call('ledger.status', {})).headSeq;
  await qa.call('audit.review', {
    throughSeq: head,
    filter: {},
    comment: '月度审计追踪审核，未见异常。',
    signature: { password: QA.newPassword, meaning: 'audit_reviewed' },
  });
  qa.close();
  const insp = await ContractClient.connect(url);
  await insp.signIn(INSPECTOR.userId, INSPECTOR.password, INSPECTOR.newPassword);
  insp.close();
}

test('an inspector exports the evidence folder from the audit screen and checks it with Python alone', async ({
  page,
  harness,
}) => {
  await seed(harness.url);
  await openApp(page, harness.url);
  await new SignInPage(page).signInToApp(INSPECTOR.userId, INSPECTOR.newPassword);

  const audit = new AuditPage(page);
  await audit.open();
  await page.getByTestId('audit-tab-export').click();
  await page.getByTestId('evidence-export').click();
  const progress = page.getByTestId('evidence-progress');
  await expect(progress).toBeVisible();
  const folder = (await page.getByTestId('evidence-folder').textContent())!.trim();
  expect(folder.startsWith(path.join(harness.dataDir, 'exports'))).toBe(true);
  await expect(page.getByTestId('evidence-done')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('evidence-verdict')).toContainText('found nothing');
  const manifestSha = (await page.getByTestId('evidence-manifest-sha').textContent())!.trim();
  await shot(page, 'evidence-export', 'en');

  // The folder and its manifest are there; the manifest is the one the screen names.
  expect(existsSync(path.join(folder, 'manifest.json'))).toBe(true);
  const manifest = JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8')) as {
    files: Array<{ path: string }>;
  };
  expect(manifest.files.map((f) => f.path)).toEqual(
    expect.arrayContaining(['lotseal.db', 'verifier/lotseal_verify.py', 'README.md', 'keys.json']),
  );
  const sha = spawnSync('sha256sum', [path.join(folder, 'manifest.json')], { encoding: 'utf8' }).stdout.split(' ')[0];
  expect(sha).toBe(manifestSha);

  // The standalone verifier, run from inside the folder, passes.
  const v = python(['-I', '-S', path.join('verifier', 'lotseal_verify.py'), '--json'], folder);
  expect(v.status, v.stderr).toBe(0);
  const report = JSON.parse(v.stdout) as { ok: boolean; signatures: number; manifest: { ok: boolean } };
  expect(report).toMatchObject({ ok: true, manifest: { ok: true } });
  expect(report.signatures).toBeGreaterThanOrEqual(3);

  // The same screen in Chinese.
  await new ShellPage(page).setLanguage('zh-CN');
  await expect(page.getByTestId('evidence-done')).toContainText('证据包已写入');
  await shot(page, 'evidence-export', 'zh-CN');
  await new ShellPage(page).setLanguage('en');

  // The complete audit trail as CSV, from the trail tab: written, then checked on its own.
  await audit.openTab('trail');
  await page.getByTestId('audit-export').click();
  await expect(page.getByTestId('audit-export-done')).toBeVisible({ timeout: 120_000 });
  const csv = (await page.getByTestId('audit-export-file').textContent())!.trim();
  await shot(page, 'audit-csv-export', 'en');
  const c = python(['-I', '-S', path.join(folder, 'verifier', 'lotseal_verify.py'), '--csv', csv, '--json']);
  expect(c.status, c.stdout + c.stderr).toBe(0);
  expect((JSON.parse(c.stdout) as { ok: boolean; entries: number }).entries).toBeGreaterThan(10);
});
