import { expect, shot, test } from './fixtures';
import { E2E_PEOPLE } from '../fixtures/plant';
import { openApp, seedPeople } from './helpers';
import { CatalogPage } from './pages/catalog-page';
import { SpecEditorPage, type LimitEntry } from './pages/spec-editor-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';

const QA = E2E_PEOPLE.qa;
const PRODUCT = {
  code: 'IF1-800',
  nameZh: '婴儿配方奶粉（0–6月龄）1段',
  nameEn: 'Infant formula stage 1 (0–6 months)',
  registrationNo: '国食注字YP20180001',
  shelfLifeDays: 540,
  packSizes: ['800 g', '400 g'],
};
const PACK = 'gb-10765-2021-milk';

/**
 * DEMONSTRATION VALUES ONLY. The GB 10765 pack leaves these limits empty because no sourced
 * value exists; in real use a QA manager enters each from the official text of GB 10765-2021.
 * The test needs some number to show the workflow: these are rough per-100 kJ conversions of
 * per-100 kcal figures and ratios quoted in the pack's notes and reference data, not the
 * standard's values.
 */
const DEMO_MISSING: Record<string, LimitEntry> = {
  la: { min: '70', max: '285', precision: 0 },
  ala: { min: '12', max: '50', precision: 0 },
  la_ala: { min: '5', max: '15', precision: 1 },
  pantothenic_acid: { min: '96', max: '478', precision: 0 },
  biotin: { min: '0.4', max: '1.8', precision: 1 },
  na: { min: '5', max: '14', precision: 0 },
  k: { min: '14', max: '43', precision: 0 },
  cu: { min: '8.4', max: '29', precision: 1 },
  mg: { min: '1.2', max: '3.6', precision: 1 },
  mn: { min: '0.24', max: '24', precision: 2 },
  p: { min: '6', max: '24', precision: 0 },
  ca_p: { min: '1.0', max: '2.0', precision: 1 },
  iodine: { min: '2.5', max: '14', precision: 1 },
  cl: { min: '12', max: '38', precision: 0 },
  se: { min: '0.48', max: '2.0', precision: 2 },
  l_carnitine: { min: '0.3', max: '0.8', precision: 1 },
  // Fat quality and lactose share, limited by the 2010 edition (listed missing since issue 20 §3).
  lauric_myristic: { max: '20', precision: 1 },
  trans_fatty_acids: { max: '3', precision: 1 },
  erucic_acid: { max: '1', precision: 1 },
  lactose_share: { min: '90', precision: 0 },
  // ash is "report only": nothing to enter, the QA manager confirms there is no limit.
  ash: {},
};

// About 30 values are entered or confirmed one by one through the item drawer, as a person would.
test.describe.configure({ timeout: 900_000 });

test('a QA manager creates a product, imports the GB 10765 pack, confirms every flagged value and approves with a signature', async ({
  page,
  harness,
}) => {
  // The QA manager's account exists (made on screen in identity.spec.ts); she signs in here.
  await seedPeople(harness.url, [QA]);
  await openApp(page, harness.url);
  await new SignInPage(page).signInToApp(QA.userId, QA.newPassword);
  const shell = new ShellPage(page);
  await shell.expectSignedInAs(QA.printedName);
  await expect(page.getByTestId('card-specs')).toContainText('No specification draft is waiting.');

  // The catalogue: a new infant-formula product (stage infant → GB 10765, cow milk).
  const catalog = new CatalogPage(page);
  await catalog.open('products');
  await catalog.createProduct(PRODUCT);
  const row = catalog.row(PRODUCT.code);
  await expect(row).toContainText('Infant formula (0–6 months)');
  await expect(row).toContainText('GB 10765-2021');
  await expect(row).toContainText('Cow milk');
  await expect(row).toContainText('800 g');
  await shot(page, 'catalog-products', 'en');
  await shell.setLanguage('zh-CN');
  await expect(row).toContainText('婴儿配方食品（0–6 月龄）');
  await shot(page, 'catalog-products', 'zh-CN');
  await shell.setLanguage('en');

  // The product page: no specification yet, lots come later.
  await catalog.openProduct(PRODUCT.code);
  await expect(page.getByTestId('subject-no-specs')).toBeVisible();
  await expect(page.getByTestId('subject-lots')).toContainText('Lots capability');

  // Create the specification from the GB 10765 pack: the pack says how much is flagged.
  await shot(page, 'product-page', 'en');
  await page.getByTestId('create-spec').click();
  await expect(page.getByTestId(`pack-flagged-${PACK}`)).toContainText(/\d+ unverified, \d+ missing/);
  await shot(page, 'spec-create-from-pack', 'en');
  await page.getByTestId('create-spec-form').getByRole('button', { name: 'Cancel' }).click();
  await catalog.createSpecFromPack(PACK, 'SPEC-IF1-800');

  const editor = new SpecEditorPage(page);
  await expect(page.getByTestId('spec-status')).toHaveText('Draft');
  await expect(page.getByTestId('spec-source')).toContainText(PACK);
  const flaggedAlert = page.getByTestId('spec-flagged');
  await expect(flaggedAlert).toContainText(/\d+ values are unverified or missing: a QA manager must confirm/);
  await expect(editor.verification('protein')).toHaveAttribute('data-state', 'unverified');
  await expect(editor.verification('la')).toHaveAttribute('data-state', 'missing');
  await expect(page.getByTestId('limit-protein')).toHaveText('0.43 – 0.72 g/100 kJ');
  await expect(page.getByTestId('limit-apc')).toHaveText('n=5 c=2 m=1000 M=10000 CFU/g');
  await expect(page.getByTestId('spec-approve')).toBeDisabled();
  await expect(page.getByTestId('spec-approve-blocked')).toContainText('every flagged value is confirmed');
  await shot(page, 'spec-editor-flagged', 'en');
  await shell.setLanguage('zh-CN');
  await expect(flaggedAlert).toContainText('须由质量经理对照官方标准文本逐项确认或录入后才能批准');
  await expect(editor.verification('la')).toHaveText('缺失');
  await shot(page, 'spec-editor-flagged', 'zh-CN');
  await shell.setLanguage('en');

  // Confirm every flagged value against the official text (entering the missing ones first).
  await editor.openItem('la');
  await expect(page.getByTestId('item-confirm-panel')).toContainText('This value is missing');
  await shot(page, 'spec-item-missing', 'en');
  await page.getByTestId('item-editor').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('item-editor')).toBeHidden();
  // Missing values first, each entered in its drawer and confirmed there: a table with a value
  // still missing cannot be confirmed.
  const flagged = await editor.flaggedCodes();
  expect(flagged.filter((f) => f.state === 'missing').length).toBeGreaterThan(0);
  expect(flagged.filter((f) => f.state === 'unverified').length).toBeGreaterThan(0);
  for (const { code, state } of flagged) {
    if (state !== 'missing') continue;
    expect(DEMO_MISSING, `a demonstration value for missing item ${code}`).toHaveProperty(code);
    await editor.confirm(code, DEMO_MISSING[code]);
  }
  // The values of a standard's table: compared with the official text table by table, each
  // table confirmed with one signature (D-079).
  const tables = await editor.confirmableTables();
  expect(tables.length).toBeGreaterThan(0);
  for (const id of tables) await editor.confirmTable(id, QA.newPassword);
  // The values outside any table (cited by reference): confirmed one by one.
  const outside = await editor.flaggedCodes();
  expect(outside.every((f) => f.state === 'unverified')).toBe(true);
  for (const { code } of outside) await editor.confirm(code);
  await expect(flaggedAlert).toBeHidden();
  for (const { code } of flagged) await expect(editor.verification(code)).toHaveAttribute('data-state', 'confirmed');
  await expect(page.getByTestId('confirmed-by-la')).toContainText(QA.printedName);
  await expect(page.getByTestId('limit-la')).toHaveText('70 – 285 mg/100 kJ');

  const today = new Date().toISOString().slice(0, 10);
  await editor.setEffective(today);
  await expect(page.getByTestId('spec-problems')).toBeHidden();
  await expect(page.getByTestId('spec-approve')).toBeEnabled();

  // Approval with the e-signature: a wrong password is refused, the right one recorded.
  await editor.openApproval();
  const dialog = page.getByTestId('signature-dialog');
  await expect(dialog.getByTestId('signature-meaning')).toHaveText('Approved');
  await expect(dialog.getByTestId('approve-summary')).toContainText('SPEC-IF1-800 version 1');
  await expect(dialog.getByTestId('signature-signer')).toHaveText(`${QA.printedName} (${QA.userId})`);
  await shot(page, 'spec-approval-dialog', 'en');
  await editor.sign('not-my-password');
  await expect(dialog.getByTestId('signature-error')).toContainText('The password is not correct');
  await expect(dialog.getByTestId('signature-password')).toHaveValue('');
  await editor.sign(QA.newPassword);
  await expect(dialog).toBeHidden();

  // Approved and read-only: no edit controls, the signature line is shown (21 CFR 11.50).
  await expect(page.getByTestId('spec-status')).toHaveText('Approved');
  await expect(page.getByTestId('spec-readonly')).toBeVisible();
  await expect(page.getByTestId('spec-effective')).toHaveText(today);
  const sig = page.getByTestId('spec-signature-line');
  await expect(sig).toContainText(`${QA.printedName} (${QA.userId})`);
  await expect(sig).toContainText('/ Approved');
  await expect(page.getByTestId('spec-approve')).toHaveCount(0);
  await expect(page.getByTestId('spec-add-item')).toHaveCount(0);
  await expect(page.getByTestId('spec-effective-input')).toHaveCount(0);
  await page.mouse.wheel(0, -100_000);
  await shot(page, 'spec-approved', 'en');
  await editor.item('protein').evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await editor.item('protein').click();
  await expect(page.getByTestId('item-editor')).toHaveCount(0);

  // A new version is a draft copy; a plant rule tightens nitrate, and the diff shows it.
  await editor.newVersion('Plant rule: nitrate limit tightened to 50 mg/kg (customer requirement).');
  await expect(page.getByTestId('spec-version')).toHaveText('Version 2');
  await expect(page.getByTestId('spec-status')).toHaveText('Draft');
  await editor.changeMax('nitrate', '50', 'Plant rule stricter than GB 2762: 50 mg/kg.');
  await expect(page.getByTestId('limit-nitrate')).toHaveText('≤ 50 mg/kg');
  await page.getByTestId('spec-compare').click();
  const diff = page.getByTestId('spec-diff');
  await expect(diff.getByTestId('spec-diff-title')).toHaveText('Version 1 → version 2');
  const change = diff.getByTestId('spec-diff-nitrate-max');
  await expect(change).toContainText('100');
  await expect(change).toContainText('50');
  await shot(page, 'spec-diff', 'en');
});
