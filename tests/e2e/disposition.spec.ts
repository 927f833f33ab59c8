import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expect, PDF_TIMEOUT, shot, test } from './fixtures';
import { openApp } from './helpers';
import { CUSTOMER, seedDisposition } from './disposition-seed';
import { DispositionPage } from './pages/disposition-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';
import { QA } from './testing-seed';

test.describe.configure({ timeout: 180_000 });

/** Both languages of the same screen, for people to look at. */
async function shots(page: Page, name: string): Promise<void> {
  const shell = new ShellPage(page);
  await shot(page, name, 'en');
  await shell.setLanguage('zh-CN');
  await shot(page, name, 'zh-CN');
  await shell.setLanguage('en');
}

test('a QA manager reviews the audit trail, releases an infant-formula lot, prints its COA and holds an ingredient with its forward lots', async ({
  page,
  harness,
}) => {
  const seed = await seedDisposition(harness.url);
  await openApp(page, harness.url);
  await new SignInPage(page).signInToApp(QA.userId, QA.newPassword);
  await new ShellPage(page).expectSignedInAs(QA.printedName);
  const d = new DispositionPage(page);

  // Home: two finished lots wait, none ready yet.
  await expect(d.homeCard()).toHaveAttribute('data-ready', '0');
  await expect(d.homeCard()).toHaveAttribute('data-blocked', '2');

  // The queue: the complete lot is blocked only by the audit-trail review; the other names its missing records.
  await d.openQueueFromHome();
  await expect(d.row(seed.lot)).toHaveAttribute('data-failing', 'audit_review');
  await expect(d.row(seed.lot).getByTestId('failing-audit_review')).toHaveText('Audit trail reviewed');
  await expect(d.row(seed.blockedLot)).toHaveAttribute('data-failing', 'results_complete,retention,audit_review');
  await shots(page, 'release-queue');

  // The decision page: one line fails, release is disabled and says why (no override for infant formula).
  await d.openFromQueue(seed.lot);
  await expect(page.getByTestId('imf-badge')).toBeVisible();
  expect(await d.failingLines()).toEqual(['audit_review']);
  await expect(d.line('inputs').getByTestId(`evidence-lot-${seed.ingredient} (ingredient)`)).toBeVisible();
  await expect(d.line('specification').getByTestId('evidence-spec-SPEC-IF1 v1')).toHaveAttribute(
    'href',
    /#\/specs\/version\//,
  );
  await expect(d.decisionButton('release')).toBeDisabled();
  await expect(page.getByTestId('release-blocked')).toContainText('Audit trail reviewed');
  await expect(page.getByTestId('release-blocked')).toContainText('no override');
  await d.toBottom('decision-panel');
  await shots(page, 'release-checklist');

  // The audit-trail review: exactly the lot's entries, all unreviewed; signing covers them.
  const panel = d.auditPanel();
  await expect(panel.getByTestId('audit-last-review')).toContainText('not been reviewed');
  const toReview = Number(await panel.getAttribute('data-to-review'));
  expect(toReview).toBeGreaterThan(10);
  // The summary of exceptions comes first; the full list on request (issue 22 §5).
  await expect(panel.getByTestId('audit-summary')).toBeVisible();
  await panel.getByTestId('audit-show-all').click();
  await expect(panel.locator('[data-unreviewed="true"]')).toHaveCount(toReview);
  await expect(panel.getByTestId('audit-entries')).toContainText('Test result');
  await expect(panel.getByTestId('audit-entries')).toContainText('Batching (input)');
  await d.toTop('audit-review');
  await shots(page, 'release-audit-review');
  await d.signAuditReview(
    'Audit trail of the lot reviewed: every change explained, nothing unexplained.',
    QA.newPassword,
  );
  await expect(panel.getByTestId('audit-to-review')).toHaveAttribute('data-count', '0');
  await expect(panel.getByTestId('audit-last-review')).toContainText(QA.printedName);
  await expect(d.readiness()).toHaveAttribute('data-ready', 'true');
  expect(await d.failingLines()).toEqual([]);

  // Release with a signature.
  await d.openDecision('release');
  await d.signDialog('Complete, within specification, audit trail reviewed.', QA.newPassword);
  await expect(page.getByTestId('decision-page')).toHaveAttribute('data-status', 'released');
  await expect(page.getByTestId('decision-done')).toContainText('Released');

  // The certificate of analysis: issued and recorded; the PDF carries the lot, the registration number and the signatures.
  await d.printCoa('en');
  await expect(page.getByTestId('coa-kind')).toHaveAttribute('data-reprint', 'false');
  await expect(page.getByTestId('coa-view-items')).toContainText('Vitamin A');
  await expect(page.getByTestId('coa-view-signatures')).toContainText('Approved');
  await expect(page.getByTestId('coa-view-head')).toContainText('#');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('coa-pdf-download').click()]);
  const file = test.info().outputPath('coa.pdf');
  await download.saveAs(file);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', file, '-']).toString('utf8');
  for (const s of [seed.lot, '国食注字YP20260001', 'Vitamin A', QA.printedName]) expect(text, s).toContain(s);
  await d.toTop('coa-panel');
  await shot(page, 'release-coa', 'en');
  // The same certificate in Chinese is a second print: recorded as a reprint.
  await new ShellPage(page).setLanguage('zh-CN');
  await d.printCoa('zh-CN');
  await expect(page.getByTestId('coa-kind')).toHaveAttribute('data-reprint', 'true');
  await expect(page.getByTestId('coa-issued-row')).toHaveCount(2);
  await d.toTop('coa-panel');
  await shot(page, 'release-coa', 'zh-CN');
  await new ShellPage(page).setLanguage('en');

  // The lot dossier is there for everyone.
  await page.getByTestId('dossier-make').click();
  await expect(page.getByTestId('dossier-pdf-file')).toHaveText(`dossier-${seed.lot}.pdf`, { timeout: PDF_TIMEOUT });

  // Hold the ingredient from its lot page: the hold offers every forward lot with stock left —
  // the one still awaiting its first release too (issue 19 §2) — and lists the shipped one's customer.
  await d.openFromLotPage(seed.ingredient);
  await expect(d.decisionButton('hold')).toBeEnabled();
  const holdShots = async (lang: 'en' | 'zh-CN') => {
    const dialog = await d.openDecision('hold');
    await expect(dialog.getByTestId('hold-propagate')).toBeChecked();
    await expect(dialog.getByTestId(`hold-unshipped-${seed.lot}`)).toHaveAttribute('data-holdable', 'true');
    await expect(dialog.getByTestId(`hold-unshipped-${seed.intermediate}`)).toHaveAttribute('data-holdable', 'true');
    await expect(dialog.getByTestId(`hold-unshipped-${seed.blockedLot}`)).toHaveAttribute('data-holdable', 'true');
    await expect(dialog.getByTestId(`hold-shipped-${seed.shippedLot}`)).toContainText(CUSTOMER.name);
    await expect(dialog.getByTestId(`hold-shipped-${seed.shippedLot}`)).toContainText(CUSTOMER.contact);
    await dialog
      .getByTestId('signature-comment')
      .fill(lang === 'en' ? 'Supplier recall notice for lot SW-26-1102.' : '供应商通知召回批次 SW-26-1102。');
    await shot(page, 'release-hold-propagation', lang);
    return dialog;
  };
  await holdShots('en');
  await d.closeDialog();
  await new ShellPage(page).setLanguage('zh-CN');
  const dialog = await holdShots('zh-CN');
  await dialog.getByTestId('signature-password').fill(QA.newPassword);
  await dialog.getByTestId('signature-submit').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('decision-page')).toHaveAttribute('data-status', 'on_hold');
  await expect(page.getByTestId('decision-held')).toContainText(seed.lot);
  await expect(page.getByTestId('decision-held')).toContainText(seed.intermediate);

  // The released lot is held with it, and shows its hold in the release queue.
  await new ShellPage(page).setLanguage('en');
  await d.openQueueFromHome();
  await expect(d.row(seed.lot).getByTestId('release-held-for')).toContainText(
    `hold propagated from ${seed.ingredient}`,
  );
});
