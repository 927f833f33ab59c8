import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, PDF_TAB, shot, test } from './fixtures';
import { openApp } from './helpers';
import { QA, seedEnvironment, seedIntake, seedLateFailure, seedReleaseEvidence, TECH } from './intake-seed';
import { EnvironmentPage } from './pages/environment-page';
import { IntakePage, type BenchValue } from './pages/intake-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';

/*
 * Issue 9 and 20 journeys: (a) a tanker received by production is taken in at the milk bench —
 * the technician ticks the declarations, records the tanker's documents and types the gating
 * panel (a positive β-lactam screen; plate count and somatic cells are recorded later),
 * submits with a signature and sees the proposal "reject"; the QA manager rejects with a
 * signature (a national-standard failure), opens the report to the agriculture authority, and
 * records the county's spot check of the same milk in the spot-check register (监督抽查) with
 * its 5-working-day re-test deadline. (b) a late plate-count failure: the QA manager sees the
 * silo, batch and lots that used the tanker and holds them with one signature; a tanker without
 * the buying station's licence is accepted on a QA manager's override signed at the bench.
 * (c) release evidence: the lot's results against the declared label values with margins, the
 * retention sample's quantity, a withdrawal and the observation due today.
 * (d) a positive zone 1 swab: the QA manager holds the lots at risk with one signature.
 * What came before (accounts, catalogue, earlier tankers, swabs) is seeded through the contract.
 */

// The two journeys are independent (each starts its own harness): run them side by side.
test.describe.configure({ mode: 'parallel', timeout: 480_000 });

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

const today = (): string => {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
};

test(
  'a tanker with a positive β-lactam screen: bench entry, proposal reject, signed rejection, authority report, the county’s spot check in the register',
  PDF_TAB,
  async ({ page, harness }) => {
    const { lotCode, receivedOn, people } = await seedIntake(harness.url);
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
    // The tanker's documents (第二十五条): all four, as handed over by the driver.
    await expect(page.getByTestId('intake-documents-warning')).toBeVisible();
    const validTo = `${new Date().getFullYear() + 1}-06-30`;
    await intake.recordDocuments([
      { kind: 'transport_permit', number: '宁(贺)准运2026-0381', issuer: '贺兰县农业农村局', validUntil: validTo },
      { kind: 'handover_slip', number: 'JJ-0417-07', issuer: '贺兰山奶站', date: receivedOn },
      {
        kind: 'purchase_licence',
        number: '宁生鲜乳收购证（2025）017号',
        issuer: '贺兰县农业农村局',
        validUntil: validTo,
      },
      { kind: 'cleaning_record', date: receivedOn },
    ]);
    await expect(page.getByTestId('intake-documents-warning')).toHaveCount(0);
    await intake.startIntake();
    await expect(page.getByTestId('intake-documents')).toHaveAttribute('data-blocking', 'false');
    await expect(intake.documentRow('purchase_licence')).toHaveAttribute('data-problem', '');
    await expect(page.getByTestId('intake-steps')).toHaveAttribute('data-step', '1');
    await expect(page.getByTestId('check-limit-temperature')).toHaveText('≤ 6.0 °C');
    await expect(page.getByTestId('check-limit-beta_lactam')).toHaveText('Negative');
    // Temperature is the plant's rule; plate count and somatic cells are recorded later.
    await expect(page.getByTestId('check-plant-rule-temperature')).toBeVisible();
    await expect(page.getByTestId('check-retrospective-apc')).toBeVisible();
    await expect(page.getByTestId('intake-panel-later')).toContainText('2 retrospective');

    // The gating panel, typed with the keyboard.
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
    await expect(page.getByTestId('intake-reject-basis')).toHaveAttribute('data-basis', 'national');
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
    await shotBoth(page, 'intake-report', () =>
      expect(intake.report()).toContainText('不符合生鲜乳质量安全标准的报告'),
    );

    // The county bureau's spot check of the same milk comes back: recorded in the register
    // (监督抽查) with its 5-working-day re-test deadline on the plant's calendar (第二十七条).
    await intake.openSpotChecks();
    const spot = await intake.recordSpotCheck({
      lotCode,
      sample: '进厂生鲜乳（罐车 宁A·30417）',
      authority: '贺兰县农业农村局',
      lab: '宁夏回族自治区兽药饲料监察所',
      sampledOn: today(),
      receivedOn: today(),
      items: [
        { name: 'β-内酰胺类抗生素', result: '检出', requirement: '不得检出', conforming: false },
        { name: '蛋白质', result: '3.2 g/100g', requirement: '≥2.8 g/100g', conforming: true },
      ],
    });
    expect(spot).toMatch(/^CJ\d{4}-\d{4}$/);
    const detail = page.getByTestId('spot-check-detail');
    await expect(detail).toHaveAttribute('data-stage', 'open');
    await expect(detail.getByTestId('spot-check-rule')).toHaveAttribute('data-verified', 'true');
    await expect(page.getByTestId('spot-check-timeline')).toContainText('Application (by');
    // The same lab is refused as the re-test lab before anything is sent.
    await detail.getByTestId('spot-check-retest-lab').fill('宁夏回族自治区 兽药饲料监察所');
    await expect(detail.getByTestId('spot-check-update-submit')).toBeDisabled();
    await detail.getByTestId('spot-check-retest-lab').fill('');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('spot-check-detail')).toBeHidden();
    // The drawer covers the language switch: one language at a time.
    const shell = new ShellPage(page);
    for (const lang of ['en', 'zh-CN'] as const) {
      await shell.setLanguage(lang);
      await page.getByTestId(`spot-check-open-${spot}`).click();
      await expect(page.getByTestId('spot-check-timeline')).toContainText(
        lang === 'en' ? 'Application (by' : '申请复检（截止',
      );
      await expect(page.getByTestId('spot-check-timeline')).toBeInViewport({ ratio: 1 });
      await shot(page, 'spot-check', lang);
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('spot-check-detail')).toBeHidden();
    }
    await shell.setLanguage('en');
    await expect(intake.spotCheckRow(spot)).toHaveAttribute('data-overdue', 'false');
    await expect(page.getByTestId(`spot-check-deadline-${spot}`)).toContainText('Apply by');
    // From the register to the tanker: its page lists the spot check.
    await intake.spotCheckRow(spot).getByRole('link', { name: lotCode }).click();
    await expect(page.getByTestId('intake-page')).toHaveAttribute('data-lot', lotCode);
    await expect(page.getByTestId('intake-spot-checks')).toContainText(spot);

    // Supplier performance: FARM-1 now has a reject and tightened sampling.
    await intake.openSuppliers('FARM-1');
    const farm1 = intake.supplierRow('FARM-1');
    await expect(farm1).toContainText('β-lactam antibiotics (rapid screen) × 1');
    await expect(farm1.getByTestId('sampling-level')).toHaveAttribute('data-level', 'tightened');
    await expect(page.getByTestId('perf-rate-FARM-1')).toContainText('50.0 %');
    await expect(page.getByTestId('perf-chart')).toHaveAttribute('data-supplier', 'FARM-1');
    await shotBoth(page, 'supplier-performance', () => expect(farm1).toContainText('加严检验'));
  },
);

test('a late plate-count failure: the silo, batch and lots that used the tanker, held with one signature; a missing licence overridden at the bench', async ({
  page,
  harness,
}) => {
  const late = await seedLateFailure(harness.url);
  late.people.close();
  await openApp(page, harness.url, 'en');
  const intake = new IntakePage(page);

  // The QA manager at the bench: the late failure is flagged.
  await signInAs(page, QA);
  await intake.openQueue();
  await expect(page.getByTestId('late-failures-card')).toContainText(late.tanker);
  await page.getByTestId(`late-failure-link-${late.tanker}`).click();
  await expect(page.getByTestId('late-failure-page')).toHaveAttribute('data-status', 'open');
  await expect(page.getByTestId('late-failure-basis')).toContainText('National standard');
  await expect(page.getByTestId('late-result-apc')).toContainText('3200000');
  for (const lot of [late.tanker, late.silo, late.powder]) {
    await expect(page.getByTestId(`late-lot-${lot}`)).toHaveAttribute('data-holdable', 'true');
    await expect(page.getByTestId(`late-check-${lot}`)).toBeChecked();
  }
  await expect(page.getByTestId(`late-lot-${late.powder}`)).toContainText('partly shipped');
  await expect(page.getByTestId('late-failure-shipments')).toContainText('C001');
  await expect(page.getByTestId('late-failure-report')).toBeVisible();
  await shotBoth(page, 'late-failure', () =>
    expect(page.getByTestId('late-failure-affected')).toContainText('奶仓及其他半成品'),
  );
  await intake.holdLateFailure(
    '菌落总数 3.2×10⁶ CFU/mL，超过 GB 19301 限量 / plate count over GB 19301',
    QA.newPassword,
  );
  await expect(page.getByTestId('late-failure-signature')).toHaveCount(1);
  await expect(page.getByTestId('late-failure-signature')).toHaveAttribute('data-meaning', 'held');
  for (const lot of [late.tanker, late.silo, late.powder])
    await expect(page.getByTestId(`late-lot-${lot}`).getByTestId('lot-status').first()).toHaveAttribute(
      'data-status',
      'on_hold',
    );

  // The tanker without the buying station's licence: the technician's bench, the QA manager's override.
  await signInAs(page, TECH);
  await intake.openTanker(late.noLicence);
  await expect(page.getByTestId('intake-documents')).toHaveAttribute('data-blocking', 'true');
  await expect(intake.documentRow('purchase_licence')).toHaveAttribute('data-problem', 'missing');
  await expect(intake.proposal()).toHaveAttribute('data-proposal', 'accept');
  await expect(page.getByTestId('intake-proposal-documents')).toBeVisible();
  await expect(page.getByTestId('intake-accept')).toBeDisabled();
  await expect(intake.nextStep()).toContainText('documents are missing');
  await page.getByTestId('intake-documents').scrollIntoViewIfNeeded();
  await shotBoth(page, 'intake-documents', () =>
    expect(page.getByTestId('intake-documents')).toContainText('收购站生鲜乳收购许可证'),
  );
  await intake.overrideDocuments(
    QA.userId,
    QA.newPassword,
    '收购站许可证复印件已传真核对，原件次日补交 / licence copy checked by fax, original tomorrow',
  );
  await expect(page.getByTestId('intake-documents')).toHaveAttribute('data-blocking', 'false');
  await intake.accept(TECH.newPassword);
  await expect(page.getByTestId('lot-status').first()).toHaveAttribute('data-status', 'accepted');
  await expect(intake.nextStep()).toContainText('retrospective test');
});

test('release evidence: results against the declared label values with margins; the retention sample’s quantity, withdrawal and observation', async ({
  page,
  harness,
}) => {
  const d = await seedReleaseEvidence(harness.url);
  await openApp(page, harness.url, 'en');
  await signInAs(page, QA);

  // The release checklist: vitamin A 452 is below 80 % of the declared 600 (480).
  await page.goto(page.url().replace(/#.*$/, `#/release/${encodeURIComponent(d.lot)}`));
  const line = page.getByTestId('line-label_values');
  await expect(line).toHaveAttribute('data-ok', 'false');
  await expect(page.getByTestId('label-compare-label-vit_a')).toHaveAttribute('data-ok', 'false');
  await expect(page.getByTestId('label-compare-label-protein')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('label-compare-gb-protein')).toContainText('≤ 14.0: +2.17 (+15.5 %)');
  await expect(page.getByTestId('label-compare-verification-protein')).toHaveText('Unverified');
  await expect(page.getByTestId('line-retention')).toHaveAttribute('data-ok', 'true');
  await line.scrollIntoViewIfNeeded();
  await shotBoth(page, 'label-values-line', () => expect(line).toContainText('检验结果与产品标示值核对'));

  // The product's label values: the GB 13432 rule stays unverified until a QA manager confirms it.
  await page.goto(page.url().replace(/#.*$/, `#/labels?product=${encodeURIComponent('IF-1')}`));
  await expect(page.getByTestId('label-row-vit_a')).toBeVisible();
  await page.getByTestId('label-confirm-protein').click();
  await page.getByTestId('label-confirm-reference-protein').fill('GB 13432-2013 条款已与标准文本核对');
  await page.getByTestId('label-confirm-submit-protein').click();
  await expect(page.getByTestId('label-row-protein').getByTestId('label-rule-verification')).toHaveAttribute(
    'data-verification',
    'confirmed',
  );
  await expect(page.getByTestId('retention-profile-required')).toContainText('4 can');
  await shotBoth(page, 'label-values', () => expect(page.getByTestId('labels-page')).toContainText('标示值'));

  // The retention store: the observation due today, a withdrawal that leaves too little.
  await signInAs(page, TECH);
  await page.goto(page.url().replace(/#.*$/, '#/retention'));
  await expect(page.getByTestId(`observation-due-${d.retention}`)).toBeVisible();
  await page.getByTestId(`observation-open-${d.retention}`).click();
  const drawer = page.getByTestId('retention-detail');
  await expect(drawer.getByTestId('retention-remaining')).toContainText('6 can');
  await drawer.getByTestId('withdraw-quantity').fill('3');
  await drawer.getByTestId('withdraw-reason').fill('消费者投诉（结块）调查取样 / complaint investigation');
  await drawer.getByTestId('withdraw-submit').click();
  await expect(drawer.getByTestId('retention-remaining')).toContainText('3 can');
  await expect(drawer).toHaveAttribute('data-sufficient', 'false');
  await expect(drawer.getByTestId('retention-short')).toBeVisible();
  await drawer.getByTestId('observe-findings').fill('罐体完好，无胀罐、无锈蚀；粉体色泽、气味正常');
  await drawer.getByTestId('observe-storage').fill('22 ℃, RH 45%');
  await drawer.getByTestId('observe-submit').click();
  await expect(
    drawer.getByTestId('retention-observations').locator('[data-testid^="observation-2"]').first(),
  ).toContainText('Normal');
  await expect(drawer.getByTestId('retention-observe-form')).toContainText('Observation due');
  await shot(page, 'retention-evidence', 'en');
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
