import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, shot, test, waitForScreen } from './fixtures';
import { ADMIN, openApp } from './helpers';
import { AccountsPage } from './pages/accounts-page';
import { CatalogPage } from './pages/catalog-page';
import { ProductionPage } from './pages/production-page';
import { SamplesPage } from './pages/samples-page';
import { SetupPage } from './pages/setup-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';
import { SpecEditorPage } from './pages/spec-editor-page';
import { E2E_PEOPLE, specDocument, specItem, type Person } from '../fixtures/plant';

/**
 * A plant's first day in Chinese (issue 22 §1–2): from an empty database, the first
 * administrator follows the 开工向导 — company, lines, people — and leaves the QA manager's
 * steps for the QA manager, who enters the product with its registration number and approves
 * the plant's own specification; production creates the first lot. On the way every role's
 * home page says what waits for them, the empty lot list says who creates lots, a batch
 * without inputs says what it needs, and an unknown code is reported at once.
 */
const INSPECTOR: Person = {
  userId: 'he.jing',
  printedName: '何静',
  roles: ['inspector'],
  password: 'Temp-pass-0008',
  newPassword: 'Inspector-2024!',
};
const PEOPLE = [E2E_PEOPLE.qa, E2E_PEOPLE.prod, E2E_PEOPLE.tech, E2E_PEOPLE.reviewer, INSPECTOR];

test.describe.configure({ timeout: 480_000 });

async function firstSignIn(page: Page, p: Person): Promise<void> {
  const signIn = new SignInPage(page);
  await signIn.signIn(p.userId, p.password);
  await signIn.changePassword(p.password, p.newPassword);
  await new ShellPage(page).ready();
  await expect(page.getByTestId('home')).toBeVisible();
}

async function step(page: Page, key: string): Promise<void> {
  await page.getByTestId(`setup-step-${key}`).click();
  await expect(page.getByTestId(`setup-panel-${key}`)).toBeVisible();
}

test('开工向导: from an empty database to a first lot, every role home, an unknown scan', async ({ page, harness }) => {
  await openApp(page, harness.url, 'zh-CN');
  const setup = new SetupPage(page);
  await setup.createAdmin(ADMIN.userId, ADMIN.printedName, ADMIN.password);
  await setup.acknowledgeRecovery();
  await new SignInPage(page).signInToApp(ADMIN.userId, ADMIN.password);
  const shell = new ShellPage(page);

  // The administrator's home: what next is the setup guide, nothing done yet.
  const card = page.getByTestId('card-setup');
  await expect(card).toHaveAttribute('data-done', '0');
  await expect(card).toContainText('开工向导');
  await expect(card.getByTestId('card-setup-company')).toHaveAttribute('data-state', 'open');
  await shot(page, 'first-day-home-admin', 'zh-CN');
  await card.getByTestId('card-setup-open').click();
  const guide = page.getByTestId('setup-guide');
  await expect(guide).toBeVisible();

  // 1. Company: the administrator's; the step says who and what for.
  const company = page.getByTestId('setup-panel-company');
  await expect(company.getByTestId('setup-step-owner')).toHaveText('负责人：系统管理员');
  await expect(company).toContainText('用途');
  await company.getByTestId('company-name').fill('宁夏贺兰乳业有限公司');
  await company.getByTestId('company-scNumber').fill('SC10564010600123');
  await company.getByTestId('company-address').fill('宁夏回族自治区银川市贺兰县乳业园区 1 号');
  await company.getByTestId('company-reason').fill('开工向导：按食品生产许可证登记企业信息');
  await company.getByTestId('company-save').click();
  await expect(page.getByTestId('setup-step-company')).toHaveAttribute('data-state', 'done');
  await shot(page, 'first-day-guide-company', 'zh-CN');

  // 2. Site and lines.
  await page.getByTestId('setup-next').click();
  const lines = page.getByTestId('setup-panel-lines');
  await expect(lines).toBeVisible();
  await lines.getByTestId('catalog-new').click();
  const form = page.getByTestId('catalog-form');
  await form.getByTestId('catalog-field-code').fill('L1');
  await form.getByTestId('catalog-field-nameZh').fill('一号干法线');
  await form.getByTestId('catalog-field-nameEn').fill('Dry blending line 1');
  await form.getByTestId('catalog-field-site').fill('一厂区 干法车间');
  await form.getByTestId('catalog-form-submit').click();
  await expect(form).toBeHidden();
  await expect(page.getByTestId('setup-step-lines')).toHaveAttribute('data-state', 'done');
  await expect(lines.getByTestId('setup-status')).toHaveText('在用的生产线：1 条');

  // 3–4. Products and specification are the QA manager's: said so, and skipped for now.
  await page.getByTestId('setup-next').click();
  const products = page.getByTestId('setup-panel-products');
  await expect(products.getByTestId('setup-not-mine')).toContainText('质量经理');
  await shot(page, 'first-day-guide-not-mine', 'zh-CN');
  await products.getByTestId('setup-skip').click();
  await expect(page.getByTestId('setup-step-products')).toHaveAttribute('data-state', 'skipped');
  await expect(page.getByTestId('setup-panel-specification')).toBeVisible();
  await page.getByTestId('setup-skip').click();

  // 5. People and roles: the roles still missing are named until each has someone.
  const users = page.getByTestId('setup-panel-users');
  await expect(users).toBeVisible();
  await expect(users.getByTestId('setup-status')).toContainText('还缺：质量经理、检验员、复核员、生产');
  const accounts = new AccountsPage(page);
  for (const p of PEOPLE) await accounts.createUser({ ...p, roles: [...p.roles] });
  await expect(page.getByTestId('setup-step-users')).toHaveAttribute('data-state', 'done');

  // 6. The first lot is production's.
  await page.getByTestId('setup-next').click();
  await expect(page.getByTestId('setup-panel-firstLot').getByTestId('setup-not-mine')).toContainText('生产');
  await expect(guide).toHaveAttribute('data-done', '3');
  await shot(page, 'first-day-guide-admin', 'zh-CN');
  await shell.signOut();

  // The QA manager: home says what waits (review, release, calibration) and the guide's steps that are hers.
  const qa = E2E_PEOPLE.qa;
  await firstSignIn(page, qa);
  await expect(page.getByTestId('waiting-to-review')).toHaveAttribute('data-count', '0');
  await expect(page.getByTestId('waiting-to-release')).toHaveAttribute('data-count', '0');
  await expect(page.getByTestId('waiting-overdue-checks')).toHaveAttribute('data-count', '0');
  await expect(page.getByTestId('card-setup-products')).toContainText('由您完成');
  await shot(page, 'first-day-home-qa', 'zh-CN');
  await page.getByTestId('card-setup-open').click();
  await expect(page.getByTestId('setup-panel-products')).toBeVisible();
  await new CatalogPage(page).createProduct({
    code: 'IF-1',
    nameZh: '贺兰婴儿配方乳粉（0–6 月龄，1 段）',
    nameEn: 'Helan infant formula stage 1',
    registrationNo: '国食注字YP20180001',
    shelfLifeDays: 540,
    packSizes: ['800 g'],
  });
  await expect(page.getByTestId('setup-step-products')).toHaveAttribute('data-state', 'done');

  // The plant's own specification, from its file; checked and approved with her signature.
  await step(page, 'specification');
  const file = path.join(harness.dataDir, 'spec-if1.json');
  writeFileSync(
    file,
    JSON.stringify(
      specDocument(
        'SPEC-IF1',
        [
          specItem({ code: 'protein', unit: 'g/100g', basis: 'per_100g', min: '10.0', max: '14.0' }),
          specItem({ code: 'fat', unit: 'g/100g', basis: 'per_100g', min: '24.0', max: '28.0' }),
        ],
        { subjectKind: 'product', appliesTo: 'infant' },
      ),
    ),
  );
  await page.getByTestId('setup-spec-create-IF-1').click();
  const create = page.getByTestId('create-spec-form');
  await create.getByText('规格文件（JSON）', { exact: true }).click();
  await create.locator('input[type="file"]').setInputFiles(file);
  await create.getByTestId('create-spec-submit').click();
  const editor = new SpecEditorPage(page);
  await expect(editor.editor()).toBeVisible();
  await editor.openApproval();
  await editor.sign(qa.newPassword);
  await expect(page.getByTestId('spec-status')).toHaveAttribute('data-status', 'approved');
  await page.evaluate("window.location.hash = '#/setup-guide?step=specification'");
  await expect(page.getByTestId('setup-step-specification')).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('setup-spec-row-IF-1')).toContainText('国食注字YP20180001');
  await shell.signOut();

  // Production: no lots yet — the list says who creates them; the guide's last step is theirs.
  await firstSignIn(page, E2E_PEOPLE.prod);
  await expect(page.getByTestId('card-setup-firstLot')).toContainText('由您完成');
  await shot(page, 'first-day-home-production', 'zh-CN');
  await shell.go('lots');
  const none = page.getByTestId('lots-none-yet');
  await expect(none).toContainText('系统中还没有批次');
  await expect(none).toContainText('由生产部门建立');
  await shot(page, 'first-day-lots-empty', 'zh-CN');
  await none.getByTestId('lots-none-batch').click();
  const production = new ProductionPage(page);
  const batch = await production.startBatch({ line: 'L1', product: 'IF-1', outputLot: 'IF1-20261205-01' });
  // A batch with nothing consumed says what finishing it needs, each line from the records.
  const needs = batch.getByTestId('batch-needs');
  await expect(needs.getByTestId('batch-need-material')).toHaveAttribute('data-ok', 'false');
  await expect(needs.getByTestId('batch-need-acceptance')).toHaveAttribute('data-ok', 'false');
  await needs.scrollIntoViewIfNeeded();
  await shot(page, 'first-day-batch-needs', 'zh-CN');

  // The first lot exists: every step of the guide is done.
  await page.evaluate("window.location.hash = '#/setup-guide'");
  await expect(page.getByTestId('setup-guide-complete')).toBeVisible();
  await expect(guide).toHaveAttribute('data-done', '6');
  await shot(page, 'first-day-guide-done', 'zh-CN');
  await shell.go('home');
  await expect(page.getByTestId('card-setup')).toHaveCount(0);
  await shell.signOut();

  // The technician: 我的待检 on the home page; an unknown code is reported at once.
  await firstSignIn(page, E2E_PEOPLE.tech);
  await expect(page.getByTestId('waiting-my-tests')).toHaveAttribute('data-count', '0');
  await expect(page.getByTestId('card-my-tests')).toContainText('我的待检');
  await shot(page, 'first-day-home-technician', 'zh-CN');
  // A scanner anywhere on the screen (a burst of keys ending in Enter).
  await new SamplesPage(page).scan('XX-404-9');
  const scan = page.getByTestId('scan-unknown');
  await expect(scan).toContainText('系统中没有编码为“XX-404-9”的批次或样品');
  await expect(scan).toContainText('联系生产部门');
  await shot(page, 'first-day-scan-unknown', 'zh-CN');
  // At the reception desk: said on Enter, before 登记样品 is pressed.
  await shell.go('samples');
  const target = page.getByTestId('reception-target');
  await target.fill('IF1-20261299-99');
  await target.press('Enter');
  await expect(page.getByTestId('reception-unknown')).toContainText('系统中没有编码为“IF1-20261299-99”的批次或样品');
  await expect(page.getByTestId('reception-sampling-point')).toBeFocused();
  await shot(page, 'first-day-reception-unknown', 'zh-CN');
  // The lot that exists is accepted without complaint.
  await target.fill('IF1-20261205-01');
  await target.press('Enter');
  await expect(page.getByTestId('reception-unknown')).toHaveCount(0);
  await shell.signOut();

  // The reviewer: 待复核, not their own.
  await firstSignIn(page, E2E_PEOPLE.reviewer);
  await expect(page.getByTestId('waiting-to-review')).toHaveAttribute('data-count', '0');
  await expect(page.getByTestId('card-results-review')).toBeVisible();
  await shot(page, 'first-day-home-reviewer', 'zh-CN');
  await shell.signOut();

  // The inspector: what there is to look at.
  await firstSignIn(page, INSPECTOR);
  const insp = page.getByTestId('card-inspector');
  await expect(insp.getByTestId('inspector-lots')).toContainText('1');
  await expect(page.getByTestId('card-waiting')).toHaveCount(0);
  await shot(page, 'first-day-home-inspector', 'zh-CN');
  await shell.signOut();

  // The administrator's home once the plant is set up: no guide card left.
  await new SignInPage(page).signInToApp(ADMIN.userId, ADMIN.password);
  await expect(page.getByTestId('home')).toBeVisible();
  await expect(page.getByTestId('card-setup')).toHaveCount(0);
  await shot(page, 'first-day-home-admin-done', 'zh-CN');
  await waitForScreen(page, 'app');
});
