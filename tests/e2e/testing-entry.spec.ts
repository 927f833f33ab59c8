import type { SpecDocument, SpecItem } from '../../src/shared/catalog/spec-schema';
import * as plant from '../fixtures/plant';
import { E2E_PEOPLE, FILLER_SAMPLE, PRODUCTS } from '../fixtures/plant';
import { ContractClient } from './contract-client';
import { expect, shot, test } from './fixtures';
import { ADMIN, openApp } from './helpers';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';
import { TestingPage } from './pages/testing-page';

/*
 * Temporary check of the entry grid (issue 8): a finished-lot release sample seeded through
 * the contract, its results typed with the keyboard and pasted from a spreadsheet, submitted
 * with a signature, then corrected. The full testing journey comes later.
 */

const QA = E2E_PEOPLE.qa;
const TECH = E2E_PEOPLE.tech;
const PROD = E2E_PEOPLE.prod;

/** An item of the journeys' GB 10765 excerpt, compared on the full value, confirmed by the plant. */
function item(
  p: Partial<SpecItem> & Pick<SpecItem, 'code' | 'name_zh' | 'name_en' | 'group' | 'unit' | 'basis' | 'limit_form'>,
): SpecItem {
  return plant.gbItem({ comparison: 'full_value', verification: 'plant', ...p });
}

/** Protein and fat limited per 100 kJ (entered per 100 g), energy and carbohydrate calculated, two sampling plans. */
const SPEC: SpecDocument = {
  schema: 'lotseal.specification/1',
  title_zh: '婴儿配方乳粉 1段 放行规格',
  title_en: 'Infant formula stage 1 release specification',
  subject_kind: 'product',
  applies_to: 'infant',
  standard: 'GB 10765-2021',
  version_note: null,
  items: [
    item({
      code: 'energy',
      name_zh: '能量',
      name_en: 'Energy',
      group: 'macronutrients',
      unit: 'kJ/100 g',
      basis: 'per_100g',
      limit_form: 'range',
      min: '1850',
      max: '2250',
      precision: 0,
      formula: '17 * protein + 37 * fat + 17 * carbohydrate',
    }),
    item({
      code: 'protein',
      name_zh: '蛋白质',
      name_en: 'Protein',
      group: 'macronutrients',
      unit: 'g',
      basis: 'per_100kj',
      limit_form: 'range',
      min: '0.43',
      max: '0.72',
      precision: 2,
      method_code: 'GB 5009.5',
    }),
    item({
      code: 'fat',
      name_zh: '脂肪',
      name_en: 'Fat',
      group: 'macronutrients',
      unit: 'g',
      basis: 'per_100kj',
      limit_form: 'range',
      min: '1.05',
      max: '1.43',
      precision: 2,
      method_code: 'GB 5009.6',
    }),
    item({
      code: 'carbohydrate',
      name_zh: '碳水化合物',
      name_en: 'Carbohydrate',
      group: 'macronutrients',
      unit: 'g/100 g',
      basis: 'per_100g',
      limit_form: 'report_only',
      precision: 1,
      formula: '100 - moisture - protein - fat - ash',
    }),
    item({
      code: 'moisture',
      name_zh: '水分',
      name_en: 'Moisture',
      group: 'other',
      unit: 'g/100 g',
      basis: 'per_100g',
      limit_form: 'maximum',
      max: '5.0',
      precision: 1,
      method_code: 'GB 5009.3',
    }),
    item({
      code: 'ash',
      name_zh: '灰分',
      name_en: 'Ash',
      group: 'other',
      unit: 'g/100 g',
      basis: 'per_100g',
      limit_form: 'report_only',
      precision: 1,
      method_code: 'GB 5009.4',
    }),
    item({
      code: 'apc',
      name_zh: '菌落总数',
      name_en: 'Aerobic plate count',
      group: 'microbiology',
      unit: 'CFU/g',
      basis: 'per_g',
      limit_form: 'sampling_plan',
      n: 5,
      c: 2,
      m: '1000',
      big_m: '10000',
      method_code: 'GB 4789.2',
    }),
    item({
      code: 'salmonella',
      name_zh: '沙门氏菌',
      name_en: 'Salmonella',
      group: 'microbiology',
      unit: 'per 25 g',
      basis: 'per_25g',
      limit_form: 'sampling_plan',
      n: 5,
      c: 0,
      m: '0',
      method_code: 'GB 4789.4',
    }),
  ],
};

/** Accounts, the product, the approved specification, protein in duplicate, a finished lot and its release sample (received). */
async function seed(url: string): Promise<{ sample: string; lot: string }> {
  const host = ContractClient.host(url);
  const admin = await plant.firstRun(host, ADMIN);
  await plant.enrol(admin, [QA, TECH, PROD]);
  admin.close();
  const qa = await plant.signIn(host, QA);
  const tech = await plant.signIn(host, TECH);
  const prod = await plant.signIn(host, PROD);
  const productId = await plant.product(qa, PRODUCTS.if1);
  await plant.approveSpec(qa, { subjectId: productId, code: 'SPEC-IF1', doc: SPEC, effectiveFrom: '2020-01-01' });
  // GB 5009.5: two determinations, their difference at most 10 % of the mean.
  await qa.call('methods.rules.save', {
    methodCode: 'GB 5009.5',
    replicates: 2,
    repeatability: 'relative',
    limit: '10',
    note: 'GB 5009.5-2016 §4.8',
  });
  const lot = (await plant.makeLot(prod, { itemCode: PRODUCTS.if1.code, code: 'IF1-2611-001' })).code;
  const sample = (await plant.releaseSample(tech, lot, FILLER_SAMPLE)).code;
  for (const c of [qa, tech, prod]) c.close();
  return { sample, lot };
}

test.describe.configure({ timeout: 180_000 });

test('a technician enters a release sample’s results with the keyboard, pastes a column, submits with a signature and corrects one', async ({
  page,
  harness,
}) => {
  const { sample, lot } = await seed(harness.url);
  await openApp(page, harness.url, 'en');
  await new SignInPage(page).signInToApp(TECH.userId, TECH.newPassword);
  const testing = new TestingPage(page);
  const shell = new ShellPage(page);

  // The worklist: every measured test of the sample, calculated ones left to the app.
  await testing.openWorklist();
  await expect(page.getByTestId(`worklist-row-${sample}-protein`)).toBeVisible();
  await expect(page.getByTestId(`worklist-row-${sample}-energy`)).toHaveCount(0);
  // Assign two tests to the technician and the Kjeldahl unit.
  await page.getByTestId(`worklist-select-${sample}-protein`).check();
  await page.getByTestId(`worklist-select-${sample}-fat`).check();
  await page.getByTestId('worklist-assign-analyst').fill(TECH.userId);
  await page.getByTestId('worklist-assign-instrument').fill('KJ-02');
  await page.getByTestId('worklist-assign-submit').click();
  await expect(page.getByTestId(`worklist-row-${sample}-protein`)).toContainText('KJ-02');
  await expect(page.getByTestId(`worklist-row-${sample}-fat`)).toContainText(TECH.printedName);
  await shot(page, 'testing-worklist', 'en');
  await shell.setLanguage('zh-CN');
  await expect(page.getByTestId('worklist-page')).toContainText('待检任务');
  await shot(page, 'testing-worklist', 'zh-CN');
  await shell.setLanguage('en');

  // Click a test: the grid opens with the cursor in it.
  await page.getByTestId(`worklist-row-${sample}-protein`).click();
  await expect(page.getByTestId('entry-page')).toHaveAttribute('data-sample', sample);
  await expect(testing.input('protein', 0)).toBeFocused();
  await expect(page.getByTestId('entry-unit-protein')).toHaveText('g/100 g');
  // The limit with its basis (issue 20 §2).
  await expect(page.getByTestId('limit-protein')).toHaveText('0.43–0.72 g/100 kJ');

  // Protein in duplicate (method rule): one value alone is not enough, shown before saving.
  await page.keyboard.type('11.52');
  await expect(testing.verdict('protein')).toHaveAttribute('data-verdict', 'invalid');
  await expect(page.getByTestId('reason-protein')).toContainText('needs 2 determinations');
  await page.keyboard.press('Tab');
  await page.keyboard.type('11.60');
  // Per 100 kJ needs the energy, which needs fat, moisture and ash: it waits, and says for what.
  await expect(page.getByTestId('waiting-protein')).toContainText('Energy');
  await page.keyboard.press('Enter');
  await expect(testing.status('protein')).toHaveAttribute('data-status', 'entered');
  // Enter moved down to the next editable row (fat); the calculated rows are skipped.
  await expect(testing.input('fat', 0)).toBeFocused();
  await testing.typeAndEnter('27.0');
  await expect(testing.status('fat')).toHaveAttribute('data-status', 'entered');
  await expect(testing.input('moisture', 0)).toBeFocused();
  await expect(page.getByTestId('entry-instrument-protein')).toHaveValue('KJ-02');
  // Entered but not computable yet: submission waits, and says which items and why.
  await expect(page.getByTestId('submit-results')).toBeDisabled();
  await expect(page.getByTestId('submit-why')).toContainText('Protein (Waiting for Energy)');
  await page.getByTestId('submit-bar').scrollIntoViewIfNeeded();
  await shot(page, 'testing-entry-blocked', 'en');

  // The verdict shows while typing; Esc drops the row's unsaved value.
  await page.keyboard.type('6.2');
  await expect(testing.verdict('moisture')).toHaveAttribute('data-verdict', 'fail');
  await expect(page.getByTestId('reason-moisture')).toContainText('Above the maximum');
  await page.keyboard.press('Escape');
  await expect(testing.input('moisture', 0)).toHaveValue('');
  await expect(testing.verdict('moisture')).toHaveAttribute('data-verdict', '');

  // A pasted column with a comma decimal is refused, naming the row; nothing is saved.
  await testing.pasteColumn('moisture', ['2.5', '2,3']);
  await expect(page.getByTestId('paste-error')).toContainText('Ash');
  await expect(testing.status('moisture')).toHaveAttribute('data-status', 'pending');
  // The same column, right: moisture and ash in one save; carbohydrate and energy follow.
  await testing.pasteColumn('moisture', ['2.5', '2.3']);
  await expect(testing.status('ash')).toHaveAttribute('data-status', 'entered');
  await expect(testing.status('moisture')).toHaveAttribute('data-status', 'entered');
  await expect(testing.reported('carbohydrate')).toContainText('56.6');
  await expect(testing.reported('energy')).toContainText('2158');
  await expect(testing.verdict('energy')).toHaveAttribute('data-verdict', 'pass');
  await expect(testing.reported('protein')).toContainText('0.54');
  await expect(testing.verdict('protein')).toHaveAttribute('data-verdict', 'pass');
  await expect(testing.reported('fat')).toContainText('1.25');

  // Micro values wait for their cultures (D-111): the grid says so until the start is recorded.
  await expect(page.getByTestId('culture-not-started-salmonella')).toBeVisible();
  await page.getByTestId('micro-start').click();
  await expect(page.getByTestId('culture-not-started-salmonella')).toHaveCount(0);
  // Sampling plans: one result per unit; a spreadsheet row fills the units across.
  await testing.paste('apc', '120\t<10\t300\t90\t1100', 0);
  await expect(testing.status('apc')).toHaveAttribute('data-status', 'entered');
  await expect(testing.verdict('apc')).toHaveAttribute('data-verdict', 'pass');
  await page.getByTestId('entry-all-absent-salmonella').click();
  await expect(testing.input('salmonella', 0)).toBeFocused();
  await expect(testing.verdict('salmonella')).toHaveAttribute('data-verdict', 'pass');
  await page.keyboard.press('Enter');
  await expect(testing.status('salmonella')).toHaveAttribute('data-status', 'entered');
  await expect(page.getByTestId('entry-all-saved')).toBeVisible();
  await expect(page.getByTestId('submit-ready')).toContainText('8 result(s) ready');

  await page.getByTestId('testing-tabs').scrollIntoViewIfNeeded();
  await shot(page, 'testing-entry-grid', 'en');
  await expect(testing.reported('salmonella')).toHaveText('absent');
  await shell.setLanguage('zh-CN');
  await expect(page.getByTestId('submit-results')).toHaveText('提交结果（签名）');
  await expect(testing.reported('salmonella')).toHaveText('未检出');
  await shot(page, 'testing-entry-grid', 'zh-CN');
  await shell.setLanguage('en');

  // Submit with the signature (meaning authored).
  expect(await testing.submitWithSignature(TECH.newPassword)).toContain('8 result(s) submitted');
  await expect(testing.status('protein')).toHaveAttribute('data-status', 'submitted');
  await expect(page.getByTestId('submit-why')).toContainText('Every result of this sample is submitted');
  await expect(testing.input('moisture', 0)).toHaveCount(0);

  // A correction after submission: reason required, the original kept in the history.
  await testing.correct('moisture', ['2.6'], 'Transcription error: 2.6 on the balance printout.');
  await expect(testing.status('moisture')).toHaveAttribute('data-status', 'entered');
  const detail = await testing.openDetail('moisture');
  await expect(detail.getByTestId('detail-history')).toContainText('2.5');
  await expect(detail.getByTestId('detail-history')).toContainText('Transcription error');
  await expect(detail.getByTestId('detail-signature')).toHaveCount(1);
  // A file kept with the result, bound by its SHA-256: downloading checks it.
  await testing.attach({
    name: 'moisture-balance.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('time,mass_g\n0,5.0012\n180,4.8761\n'),
  });
  await detail.getByTestId('attachment-download').click();
  await expect(detail.getByTestId('attachment-intact')).toBeVisible();
  await shot(page, 'testing-result-drawer', 'en');
  await page.keyboard.press('Escape');

  // The sample page links to the grid.
  await page.getByTestId('entry-sample-link').click();
  await expect(page.getByTestId('sample-tests')).toContainText('8 tests');
  await expect(page.getByTestId('sample-enter-results')).toBeVisible();
  expect(lot).toBe('IF1-2611-001');

  // The QA manager tightens the protein rule (a reason is required for a change).
  await shell.signOut();
  await new SignInPage(page).signInToApp(QA.userId, QA.newPassword);
  await testing.openMethodRules();
  await expect(page.getByTestId('method-rule-GB 5009.5')).toContainText('10 %');
  await page.getByTestId('method-rule-edit-GB 5009.5').click();
  await page.getByTestId('method-rule-limit').fill('8');
  await page.getByTestId('method-rule-save').click();
  await expect(page.getByTestId('method-rule-form')).toContainText('Give a reason');
  await page.getByTestId('method-rule-reason').fill('GB 5009.5-2016 §4.8: plant tightened to 8 %.');
  await page.getByTestId('method-rule-save').click();
  await expect(page.getByTestId('method-rule-GB 5009.5')).toContainText('8 %');
  await shot(page, 'testing-method-rules', 'en');
});
