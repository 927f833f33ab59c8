import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as plant from '../fixtures/plant';
import { E2E_PEOPLE } from '../fixtures/plant';
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
const QA = E2E_PEOPLE.qa;
const INSPECTOR = E2E_PEOPLE.inspector;

test.describe.configure({ timeout: 240_000 });

function python(args: string[], cwd?: string): { status: number | null; stdout: string; stderr: string } {
  const exe = process.env['LOTSEAL_PYTHON'] ?? 'python3';
  const r = spawnSync(exe, args, { cwd, encoding: 'utf8', env: { ...process.env, PYTHONIOENCODING: 'utf-8' } });
  if (r.error)
    throw new Error(`python3 is needed by this journey (${r.error.message}); install it or set LOTSEAL_PYTHON`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The QA manager, the inspector (first password already changed) and one signed decision in the trail. */
async function seed(url: string): Promise<void> {
  const host = ContractClient.host(url);
  const admin = await plant.firstRun(host, ADMIN);
  await plant.enrol(admin, [QA, INSPECTOR]);
  admin.close();
  // A signed decision in the trail: the QA manager's periodic audit-trail review.
  const qa = await plant.signIn(host, QA);
  const head = (await qa.call('ledger.status', {})).headSeq;
  await qa.call('audit.review', {
    throughSeq: head,
    filter: {},
    comment: '月度审计追踪审核，未见异常。',
    signature: qa.sign('audit_reviewed'),
  });
  qa.close();
  (await plant.signIn(host, INSPECTOR)).close();
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
