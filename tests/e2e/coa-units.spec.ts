import { execFileSync } from 'node:child_process';
import { expect, shot, test } from './fixtures';
import { openApp } from './helpers';
import { seedPerKjRelease } from './coa-seed';
import { DispositionPage } from './pages/disposition-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';
import { QA } from './testing-seed';

test.describe.configure({ timeout: 180_000 });

test('a COA prints nutrients limited per 100 kJ in g/100 kJ, converted from the per-100 g measurement', async ({
  page,
  harness,
}) => {
  const seed = await seedPerKjRelease(harness.url);
  await openApp(page, harness.url);
  await new SignInPage(page).signInToApp(QA.userId, QA.newPassword);
  await new ShellPage(page).expectSignedInAs(QA.printedName);

  // Review the lot's audit trail and release it.
  const d = new DispositionPage(page);
  await d.openFromLotPage(seed.lot);
  await d.signAuditReview('Audit trail of the lot reviewed: nothing unexplained.', QA.newPassword);
  await expect(d.readiness()).toHaveAttribute('data-ready', 'true');
  await d.openDecision('release');
  await d.signDialog('Complete, within specification, audit trail reviewed.', QA.newPassword);
  await expect(page.getByTestId('decision-page')).toHaveAttribute('data-status', 'released');

  // The certificate: the per-100 kJ value with its basis, the per-100 g items with theirs.
  const row = (code: string) => page.getByTestId(`coa-view-item-${code}`);
  const cells = async (code: string) => (await row(code).locator('td').allInnerTexts()).map((s) => s.trim());
  await d.printCoa('en');
  expect((await cells('protein')).slice(0, 4)).toEqual(['Protein', '0.55', '0.43–0.72', 'g/100 kJ']);
  expect((await cells('fat')).slice(0, 4)).toEqual(['Fat', '1.23', '1.05–1.43', 'g/100 kJ']);
  expect((await cells('energy')).slice(0, 4)).toEqual(['Energy', '2145', '1850–2250', 'kJ/100 g']);
  expect((await cells('moisture')).slice(0, 4)).toEqual(['Moisture', '2.6', '≤ 5.0', 'g/100 g']);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('coa-pdf-download').click()]);
  const file = test.info().outputPath('coa.pdf');
  await download.saveAs(file);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', file, '-']).toString('utf8');
  const proteinLine = text.split('\n').find((l) => l.includes('Protein')) ?? '';
  // The printed row carries the unit with its basis and the value (columns: item, unit, limit, result).
  expect(proteinLine).toMatch(/g\/100 kJ.*0\.55|0\.55.*g\/100 kJ/);
  await d.toTop('coa-panel');
  await shot(page, 'coa-per-100kj', 'en');

  // The Chinese certificate prints the same units.
  await new ShellPage(page).setLanguage('zh-CN');
  await d.printCoa('zh-CN');
  expect((await cells('protein')).slice(0, 4)).toEqual(['蛋白质', '0.55', '0.43–0.72', 'g/100 kJ']);
  await d.toTop('coa-panel');
  await shot(page, 'coa-per-100kj', 'zh-CN');
  await new ShellPage(page).setLanguage('en');
});
