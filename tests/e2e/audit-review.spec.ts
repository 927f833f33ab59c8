import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import { openApp } from './helpers';
import { seedAuditReview } from './audit-review-seed';
import { DispositionPage } from './pages/disposition-page';
import { SignInPage } from './pages/sign-in-page';
import { ShellPage } from './pages/shell-page';
import { QA } from './testing-seed';

test.describe.configure({ timeout: 240_000 });

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const EPOCH = /\b1\d{12}\b/;
const DEVELOPER = /scripts\/|build-spec-packs|github|https?:\/\/|reference-data|\.json\b/i;

async function signDialog(page: Page, password: string, comment?: string): Promise<void> {
  const dialog = page.getByTestId('signature-dialog');
  await expect(dialog).toBeVisible();
  if (comment) await dialog.getByTestId('signature-comment').fill(comment);
  await dialog.getByTestId('signature-password').fill(password);
  await dialog.getByTestId('signature-submit').click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
}

test('在中文界面中：质量经理按表核对 GB 10765 规格并一次签名确认，再审核批次审计追踪的异常汇总', async ({
  page,
  harness,
}) => {
  const seed = await seedAuditReview(harness.url);
  await openApp(page, harness.url, 'zh-CN');
  await new SignInPage(page).signInToApp(QA.userId, QA.newPassword);
  await new ShellPage(page).expectSignedInAs(QA.printedName);

  // ---- The GB pack: every value with its standard, table and row; no developer note anywhere.
  await page.goto(page.url().replace(/#.*$/, `#/specs/version/${seed.draftVersionId}`));
  await expect(page.getByTestId('spec-editor')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('origin-protein')).toHaveText('GB 10765-2021 · 表 1 · 蛋白质');
  await expect(page.getByTestId('origin-vit_a')).toHaveText('GB 10765-2021 · 表 2 · 维生素A');
  await expect(page.getByTestId('spec-pack-note')).toContainText('本系统没有官方标准文本');
  await expect(page.getByTestId('spec-flagged')).toContainText('蛋白质');
  expect(await page.getByTestId('spec-editor').innerText()).not.toMatch(DEVELOPER);

  const tables = page.getByTestId('spec-tables');
  await expect(tables).toBeVisible();
  // 表 3 still has missing minerals: it cannot be confirmed until they are entered.
  await expect(page.getByTestId('spec-table-confirm-GB 10765-2021 表 3')).toBeDisabled();
  await expect(page.getByTestId('spec-table-GB 10765-2021 表 3')).toContainText('请先按官方文本录入');
  await tables.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, 'spec-tables', 'zh-CN');

  // 表 2 (vitamins, the two missing ones entered): one signature for its 14 values.
  await page.getByTestId('spec-table-confirm-GB 10765-2021 表 2').click();
  await expect(page.getByTestId('spec-table-sign-summary')).toHaveText(
    '我已将 GB 10765（2021 版）表 2 的 14 项数值与官方标准文本逐项核对，确认一致。',
  );
  await expect(page.getByTestId('spec-table-sign-values')).toContainText('维生素A');
  await shot(page, 'spec-table-sign', 'zh-CN');
  await signDialog(page, QA.newPassword);
  await expect(page.getByTestId('spec-table-GB 10765-2021 表 2')).toHaveAttribute('data-confirmed', '14');
  await expect(page.getByTestId('spec-table-confirmation-GB 10765-2021 表 2')).toContainText(QA.printedName);
  await expect(page.getByTestId('verification-vit_a')).toHaveAttribute('data-state', 'confirmed');
  await tables.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, 'spec-tables-confirmed', 'zh-CN');

  // ---- The lot's audit-trail review: the summary of exceptions first.
  const d = new DispositionPage(page);
  await page.goto(page.url().replace(/#.*$/, `#/release/${encodeURIComponent(seed.blockedLot)}`));
  await expect(page.getByTestId('decision-page')).toHaveAttribute('data-lot', seed.blockedLot);
  const panel = d.auditPanel();
  const summary = panel.getByTestId('audit-summary');
  await expect(summary).toBeVisible();
  await expect(panel.getByTestId('audit-count-correction')).toHaveAttribute('data-count', '1');
  await expect(panel.getByTestId('audit-count-invalidation')).toHaveAttribute('data-count', '0');
  const corrections = panel.getByTestId('audit-exceptions-correction');
  await expect(corrections).toContainText(`样品 ${seed.correctedSample} · 蛋白质`);
  await expect(corrections).toContainText(TECH_NAME);
  await expect(corrections).toContainText('11.83 → 11.86');
  await expect(corrections).toContainText('工作单誊写错误');
  await expect(panel.getByTestId('audit-exceptions-reopening')).toContainText(`样品 ${seed.correctedSample} · 脂肪`);
  await expect(panel.getByTestId('audit-exceptions-reopening')).toContainText('平行测定值未附原始记录');
  const summaryText = await summary.innerText();
  expect(summaryText).not.toMatch(UUID);
  expect(summaryText).not.toMatch(EPOCH);
  expect(summaryText).not.toMatch(/_at\b|_id\b|test_result|correction:/);
  // The full list stays folded until asked for.
  await expect(panel.getByTestId('audit-entries')).toBeHidden();
  await d.toTop('audit-review');
  await shot(page, 'audit-summary', 'zh-CN');

  // The full list, humanised: field names in Chinese, no record ids, no epoch numbers.
  await panel.getByTestId('audit-show-all').click();
  const list = panel.getByTestId('audit-entries');
  await expect(list).toBeVisible();
  await expect(list).toContainText('接收时状况');
  await expect(list).toContainText(`样品 ${seed.correctedSample}`);
  const listText = await list.innerText();
  expect(listText).not.toMatch(UUID);
  expect(listText).not.toMatch(EPOCH);
  expect(listText).not.toContain('condition_on_receipt');
  await shot(page, 'audit-full-list', 'zh-CN');

  // The signature records which summary was reviewed.
  const hash = await summary.getAttribute('data-hash');
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  await panel.getByTestId('audit-sign').click();
  await expect(page.getByTestId('audit-sign-exceptions')).toContainText(hash!.slice(0, 12));
  await signDialog(page, QA.newPassword, '已逐项阅读异常汇总：更正有原因说明，原始值保留。');
  await expect(panel.getByTestId('audit-to-review')).toHaveAttribute('data-count', '0');
  // The review line of the checklist is met (the lot still lacks its retention sample).
  await expect(d.line('audit_review')).toHaveAttribute('data-ok', 'true');
  await d.toTop('audit-review');
  await shot(page, 'audit-reviewed', 'zh-CN');
});

const TECH_NAME = '孙丽';
