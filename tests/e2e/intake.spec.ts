import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import { openApp } from './helpers';
import { QA, seedEnvironment, seedIntake, TECH } from './intake-seed';
import { EnvironmentPage } from './pages/environment-page';
import { IntakePage, type BenchValue } from './pages/intake-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';

/*
 * Issue 9 journeys: (a) a tanker received by production is taken in at the milk bench — the
 * technician ticks the declarations and types the panel (a positive β-lactam screen), submits
 * with a signature and sees the proposal "reject"; the QA manager rejects with a signature,
 * opens the report to the agriculture authority and records the supplier's appeal.
 * (b) a positive zone 1 swab: the QA manager holds the lots at risk with one signature.
 * What came before (accounts, catalogue, earlier tankers, swabs) is seeded through the contract.
 */

// The two journeys are independent (each starts its own harness): run them side by side.
test.describe.configure({ mode: 'parallel', timeout: 180_000 });

async function signInAs(page: Page, u: { userId: string; newPassword: string; printedName: string }): Promise<void> {
  const shell = new ShellPage(page);
  if (await page.getByTestId('signout-button').isVisible()) await shell.signOut();
  await new SignInPage(page).signInToApp(u.userId, u.newPassword);
  await shell.expectSignedInAs(u.printedName);
}

/** The same view in both languages: English, then Chinese, back to English. */
async function shotBoth(page: Page, name: string, zhCheck?: () => Promise<void>): Promise<void> {
  const shell = new ShellPage(page);
  await shot(page, name, 'en');
  await shell.setLanguage('zh-CN');
  if (zhCheck) await zhCheck();
  await shot(page, name, 'zh-CN');
  await shell.setLanguage('en');
}

/** The built-in panel in screen order, as the technician reads it off the bench: β-lactam positive. */
const PANEL: Array<[string, BenchValue]> = [
  ['temperature', '4.3'],
  ['sensory_defect', 'negative'],
  ['alcohol_test', 'negative'],
  ['acidity', '14'],
  ['relative_density', '1.030'],
  ['fat', '3.7'],
  ['protein', '3.2'],
  ['non_fat_solids', '8.7'],
  ['freezing_point', '-0.532'],
  ['beta_lactam', 'positive'],
  ['tetracycline', 'negative'],
  ['afm1_screen', 'negative'],
  ['melamine_screen', 'negative'],
];

test('a tanker with a positive β-lactam screen: bench entry, proposal reject, signed rejection, authority report, appeal', async ({
  page,
  harness,
}) => {
  const { lotCode, people } = await seedIntake(harness.url);
  people.close();
  await openApp(page, harness.url, 'en');
  const intake = new IntakePage(page);

  // The technician at the bench: the home card names the waiting tanker.
  await signInAs(page, TECH);
  await expect(page.getByTestId('card-tankers-awaiting')).toContainText(lotCode);
  await intake.openQueue();
  await expect(intake.awaitingRow(lotCode)).toContainText('FARM-1');
  await intake.openFromQueue(lotCode);
  await expect(page.getByTestId('intake-vehicle')).toHaveText('宁A·30417');
  await expect(page.getByTestId('intake-temperature')).toHaveText('4.1 °C');
  await expect(intake.nextStep()).toContainText('tick each declaration');

  // Declarations: leaving colostrum unticked would refuse the tanker outright.
  await intake.declare({ noTreatment: true, withdrawalRespected: true, healthCertificates: true });
  await expect(page.getByTestId('intake-refuse-warning')).toContainText('No colostrum');
  await expect(page.getByTestId('intake-start')).toBeDisabled();
  await intake.declare({ noColostrum: true });
  await expect(page.getByTestId('intake-declarations-ok')).toBeVisible();
  await intake.startIntake();
  await expect(page.getByTestId('intake-steps')).toHaveAttribute('data-step', '1');
  await expect(page.getByTestId('check-limit-temperature')).toHaveText('≤ 6.0 °C');
  await expect(page.getByTestId('check-limit-beta_lactam')).toHaveText('Negative');

  // The panel, typed with the keyboard.
  await intake.enterPanel(PANEL);
  await expect(intake.checkRow('beta_lactam')).toHaveAttribute('data-verdict', 'fail');
  await expect(intake.checkRow('fat')).toHaveAttribute('data-verdict', 'pass');
  await expect(page.getByTestId('check-reported-fat')).toHaveText('3.7 g/100g');
  await expect(page.getByTestId('intake-panel-remaining')).toContainText('13 results entered');
  await intake.submitResults(TECH.newPassword);
  await expect(page.getByTestId('check-status-beta_lactam')).toHaveAttribute('data-status', 'submitted');

  // The proposal: reject, with the cause; a technician cannot reject and is told whom to call.
  await expect(intake.proposal()).toHaveAttribute('data-proposal', 'reject');
  await expect(page.getByTestId('intake-proposal-causes')).toContainText('β-lactam antibiotics (rapid screen)');
  await expect(page.getByTestId('intake-reject')).toHaveCount(0);
  await expect(page.getByTestId('intake-accept')).toHaveCount(0);
  await expect(intake.nextStep()).toContainText('DO NOT UNLOAD');

  // The QA manager rejects it with a signature.
  await signInAs(page, QA);
  await intake.openTanker(lotCode);
  await expect(intake.proposal()).toHaveAttribute('data-proposal', 'reject');
  // The panel's end and the whole decision box in view.
  await intake.decision().evaluate((el) => el.scrollIntoView({ block: 'end' }));
  await shotBoth(page, 'intake-decision', () => expect(intake.proposal()).toContainText('建议：拒收'));
  await intake.reject('β-内酰胺类抗生素快速检测阳性 / β-lactam screen positive', QA.newPassword);
  await expect(page.getByTestId('intake-decision-outcome')).toContainText('赵敏');
  await expect(page.getByTestId('intake-status').first()).toHaveAttribute('data-status', 'rejected');
  await expect(page.getByTestId('lot-status').first()).toHaveAttribute('data-status', 'rejected');
  const sigs = page.getByTestId('intake-signature');
  await expect(sigs).toHaveCount(1);
  await expect(sigs.first()).toHaveAttribute('data-meaning', 'rejected');

  // The authority report (第二十八条): recorded at the rejection, opened as a PDF.
  await expect(intake.report().getByTestId('authority-report-recorded')).toBeVisible();
  await expect(intake.report().getByTestId('authority-report-reason')).toContainText('β-lactam screen positive');
  const report = await intake.openReport('zh-CN');
  expect(report.sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(report.fileName).toContain(lotCode);
  await expect(intake.report().getByTestId('authority-report-kind')).toHaveText('Reprint (marked)');
  expect(report.popup.url()).toMatch(/^blob:/);
  await report.popup.close();
  // The same PDF, downloaded, kept beside the screenshots for people to read.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    intake.report().getByTestId('authority-report-download').click(),
  ]);
  expect(download.suggestedFilename()).toBe(report.fileName);
  await download.saveAs(path.join(__dirname, '../../test-results/screenshots/authority-report-zh-CN.pdf'));
  await intake.report().scrollIntoViewIfNeeded();
  await shotBoth(page, 'intake-report', () => expect(intake.report()).toContainText('不符合生鲜乳质量安全标准的报告'));

  // The supplier disputes the result: the appeal, with its 5-working-day deadline.
  await intake.recordAppeal('本厂质检化验室');
  await expect(intake.appealRow(lotCode)).toContainText('Apply by');
  await expect(intake.appealRow(lotCode)).toHaveAttribute('data-overdue', 'false');
  // The appeal's deadlines in its drawer (the drawer covers the language switch: one language at a time).
  const shell = new ShellPage(page);
  for (const lang of ['en', 'zh-CN'] as const) {
    await shell.setLanguage(lang);
    await page.getByTestId(`appeal-open-${lotCode}`).click();
    await expect(page.getByTestId('appeal-timeline')).toContainText(
      lang === 'en' ? 'Application (by' : '申请复检（截止',
    );
    // The drawer has finished sliding in.
    await expect(page.getByTestId('appeal-timeline')).toBeInViewport({ ratio: 1 });
    await shot(page, 'appeals', lang);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('appeal-update')).toBeHidden();
  }
  await shell.setLanguage('en');

  // Supplier performance: FARM-1 now has a reject and tightened sampling.
  await intake.openSuppliers('FARM-1');
  const farm1 = intake.supplierRow('FARM-1');
  await expect(farm1).toContainText('β-lactam antibiotics (rapid screen) × 1');
  await expect(farm1.getByTestId('sampling-level')).toHaveAttribute('data-level', 'tightened');
  await expect(page.getByTestId('perf-rate-FARM-1')).toContainText('50.0 %');
  await expect(page.getByTestId('perf-chart')).toHaveAttribute('data-supplier', 'FARM-1');
  await shotBoth(page, 'supplier-performance', () => expect(farm1).toContainText('加严检验'));
});

test('a positive zone 1 swab: the QA manager holds the lots made since the last negative with one signature', async ({
  page,
  harness,
}) => {
  const env = await seedEnvironment(harness.url);
  await openApp(page, harness.url, 'en');
  const envPage = new EnvironmentPage(page);

  await signInAs(page, QA);
  const card = page.getByTestId('card-env-alerts');
  await expect(card).toContainText(env.alertCode);
  await card.getByRole('link', { name: env.alertCode }).click();
  await expect(page.getByTestId('env-alert-page')).toHaveAttribute('data-alert', env.alertCode);
  await expect(page.getByTestId('env-alert-target')).toContainText('Cronobacter');
  await expect(page.getByTestId('env-alert-zone')).toContainText('Zone 1');
  await expect(page.getByTestId('env-alert-since')).not.toContainText('No negative');

  // The lots at risk: the two released ones are ticked; the one still on hold is listed, not holdable.
  for (const code of env.released) {
    await expect(envPage.lotRow(code)).toHaveAttribute('data-holdable', 'true');
    await expect(envPage.lotCheckbox(code)).toBeChecked();
  }
  await expect(envPage.lotRow(env.onHold)).toHaveAttribute('data-holdable', 'false');
  await expect(envPage.lotCheckbox(env.onHold)).toHaveCount(0);
  await expect(page.getByTestId('env-followup-Z1-FIL-L1')).toContainText('Re-swab');
  await expect(page.getByTestId('env-followup-Z2-FIL-L1')).toContainText('Vector swab');
  await shotBoth(page, 'env-alert', () => expect(page.getByTestId('env-alert-target')).toContainText('克罗诺杆菌属'));

  await envPage.holdSelected('Cronobacter positive on the L1 filler (zone 1)', QA.newPassword);
  for (const code of env.released) {
    await expect(envPage.lotRow(code).getByTestId('lot-status')).toHaveAttribute('data-status', 'on_hold');
    await expect(envPage.lotRow(code)).toHaveAttribute('data-holdable', 'false');
  }
  await expect(page.getByTestId('env-alert-next')).toContainText('swab the follow-up sites');

  // The heat map: this week's positive at the filler, earlier weeks negative, a pending swab grey.
  await envPage.openHeatmap();
  const row = page.getByTestId(`heatmap-row-${env.site}`);
  await expect(row.locator('[data-result="positive"]')).toHaveCount(1);
  await expect(row.locator('[data-result="negative"]')).toHaveCount(5);
  await expect(page.getByTestId('heatmap-row-Z3-FLOOR-F1').locator('[data-result="pending"]')).toHaveCount(1);
  await shotBoth(page, 'env-heatmap', () =>
    expect(page.getByTestId('env-heatmap-page')).toContainText('环境监测热力图'),
  );
});
