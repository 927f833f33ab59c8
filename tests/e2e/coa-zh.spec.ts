import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, PDF_TIMEOUT, shot, test } from './fixtures';
import { ADMIN, openApp } from './helpers';
import { ContractClient } from './contract-client';
import { DispositionPage } from './pages/disposition-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';
import * as plant from '../fixtures/plant';
import { COA_COMPANY, COA_PRODUCT, E2E_PEOPLE } from '../fixtures/plant';
import { stampPng } from '../helpers/png';

// Seeding 80 items and printing three pages on a loaded two-core machine: a long bound, no timers.
test.describe.configure({ timeout: 900_000 });

const root = path.resolve(__dirname, '..', '..');
const screenshots = path.join(root, 'test-results', 'screenshots');
const AUDIT_COMMENT = '内部：第 3 页批记录涂改已与生产核实，仅供内部';
const { qa: QA, prod: PROD, tech: TECH, techReviewer: TECH2, reviewer: REVIEWER } = E2E_PEOPLE;

/**
 * Issue 22 §3 in Chinese, as a plant hands out its certificate: the administrator enters the
 * company (企业名称, SC 号, address, stamp image) on 系统管理 → 企业信息; a lot of 80 items seeded
 * through the plant fixtures (two analysts, a reviewer); the QA manager reviews the lot's audit
 * trail (an internal comment), releases it and prints the COA. The PDF has the company, the SC
 * number, 检验 / 审核 / 批准 with names, Beijing time, every page numbered, and no internal
 * comment; its pages are saved as pictures to look at.
 */
test('zh-CN: the company on the admin screen, a lot of 80 items released, and the COA it prints', async ({
  page,
  harness,
}) => {
  const host = ContractClient.host(harness.url, 'zh-CN');
  const admin = await plant.firstRun(host, ADMIN);
  const people = await plant.staff(host, admin, { qa: QA, prod: PROD, tech: TECH, tech2: TECH2, reviewer: REVIEWER });
  const seed = await plant.coaLot({ admin, ...people }, { items: 80, company: false });
  await plant.verifyLedger(people.qa);
  for (const m of [admin, ...Object.values(people)]) m.close();

  // 1. The administrator enters the company on 系统管理 → 企业信息.
  await openApp(page, harness.url, 'zh-CN');
  await new SignInPage(page).signInToApp(ADMIN.userId, ADMIN.password);
  const shell = new ShellPage(page);
  await shell.go('admin');
  await page.getByTestId('admin-tab-company').click();
  await expect(page.getByTestId('company-none')).toBeVisible();
  await page.getByTestId('company-name').fill(COA_COMPANY.name);
  await page.getByTestId('company-nameEn').fill(COA_COMPANY.nameEn);
  await page.getByTestId('company-address').fill(COA_COMPANY.address);
  // A licence number that is not SC + 14 digits is refused on the form, in Chinese.
  await page.getByTestId('company-scNumber').fill('SC1066401001234');
  await page.getByTestId('company-reason').fill('开工设置：企业信息');
  await page.getByTestId('company-save').click();
  await expect(page.getByText('请按许可证填写食品生产许可证编号')).toBeVisible();
  await page.getByTestId('company-scNumber').fill(COA_COMPANY.scNumber);
  const stampFile = test.info().outputPath('stamp.png');
  writeFileSync(stampFile, stampPng(160));
  await page.getByRole('tabpanel').locator('input[type="file"]').setInputFiles(stampFile);
  await expect(page.getByTestId('company-stamp-preview')).toBeVisible();
  await page.getByTestId('company-save').click();
  await expect(page.getByTestId('company-updated')).toBeVisible();
  await expect(page.getByTestId('company-stamp-current')).toBeVisible();
  await shot(page, 'company-settings', 'zh-CN');
  await shell.signOut();

  // 2. The QA manager reviews the lot's audit trail and releases it.
  await new SignInPage(page).signInToApp(QA.userId, QA.newPassword);
  await shell.expectSignedInAs(QA.printedName);
  const d = new DispositionPage(page);
  await d.openFromLotPage(seed.lot);
  // Signing re-derives the password hash and signs a checkpoint; an 80-item lot's audit scope is
  // long: on the loaded build machine the dialog is awaited with a generous bound.
  const signDialog = async (reason: string) => {
    const dialog = page.getByTestId('signature-dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByTestId('signature-comment').fill(reason);
    await dialog.getByTestId('signature-password').fill(QA.newPassword);
    await dialog.getByTestId('signature-submit').click();
    await expect(dialog).toBeHidden({ timeout: 180_000 });
  };
  await d.auditPanel().getByTestId('audit-sign').click();
  await signDialog(AUDIT_COMMENT);
  await expect(d.readiness()).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await d.decisionButton('release').click();
  await signDialog('全项检验合格，审计追踪已审核。');
  await expect(page.getByTestId('decision-page')).toHaveAttribute('data-status', 'released');

  // 3. The COA in Chinese: printed, downloaded, read back and looked at.
  // Printing 80 items starts the print browser and lays out three pages: on a loaded two-core
  // machine far longer than a screen update, so the view is awaited with a generous bound.
  const panel = page.getByTestId('coa-panel');
  await panel.getByTestId('coa-locale').getByText('中文', { exact: true }).click();
  await panel.getByTestId('coa-print').click();
  await expect(page.getByTestId('coa-view')).toHaveAttribute('data-locale', 'zh-CN', { timeout: 180_000 });
  await d.toTop('coa-panel');
  await shot(page, 'coa-80-panel', 'zh-CN');
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: PDF_TIMEOUT }),
    page.getByTestId('coa-pdf-download').click(),
  ]);
  const file = test.info().outputPath('coa-zh.pdf');
  await download.saveAs(file);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8');
  const layout = execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', file, '-']).toString('utf8');
  for (const s of [
    COA_COMPANY.name,
    COA_COMPANY.scNumber,
    COA_PRODUCT.nameZh,
    COA_PRODUCT.registrationNo,
    seed.lot,
    '产品检验报告',
    '北京时间（UTC+08:00）',
    '第 1 页',
    '未检出',
  ])
    expect(text, s).toContain(s);
  const line = (role: string) => layout.split('\n').find((l) => new RegExp(`^\\s*${role}\\s`).test(l)) ?? '';
  expect(line('检验')).toContain(TECH.printedName);
  expect(line('检验')).toContain(TECH2.printedName);
  expect(line('审核')).toContain(REVIEWER.printedName);
  expect(line('批准')).toContain(QA.printedName);
  for (const s of [AUDIT_COMMENT, '内部', 'GMT', '(UTC)']) expect(text, s).not.toContain(s);
  const flat = text.replace(/\s+/g, '');
  for (const i of seed.items) expect(flat, i.name_zh).toContain(i.name_zh.replace(/\s+/g, '').split('（')[0]!);
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file]).toString())![1]);
  expect(pages).toBeGreaterThan(1);
  mkdirSync(screenshots, { recursive: true });
  execFileSync('pdftoppm', ['-png', '-r', '80', file, path.join(screenshots, 'coa-zh-e2e')]);
  expect(readdirSync(screenshots).filter((f) => f.startsWith('coa-zh-e2e-')).length).toBe(pages);
});
