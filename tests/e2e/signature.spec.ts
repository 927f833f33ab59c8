import { expect, shot, test } from './fixtures';
import { E2E_PEOPLE } from '../fixtures/plant';
import { openApp, seedPeople } from './helpers';
import { AuditPage } from './pages/audit-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';

const QA = E2E_PEOPLE.qa;

test.describe.configure({ timeout: 120_000 });

test('a QA manager signs the audit-trail review: wrong password refused, right one recorded', async ({
  page,
  harness,
}) => {
  // The QA manager's account exists (made on screen in identity.spec.ts); she signs in here.
  await seedPeople(harness.url, [QA]);
  await openApp(page, harness.url);
  await new SignInPage(page).signInToApp(QA.userId, QA.newPassword);
  const shell = new ShellPage(page);
  await shell.expectSignedInAs(QA.printedName);
  await expect(page.getByTestId('card-findings')).toBeVisible();

  const audit = new AuditPage(page);
  await audit.open();
  await audit.startReview();
  const dialog = page.getByTestId('signature-dialog');
  await expect(dialog.getByTestId('signature-signer')).toHaveText(`${QA.printedName} (${QA.userId})`);
  await expect(dialog.getByTestId('signature-meaning')).toHaveText('Audit trail reviewed');
  await expect(dialog.getByTestId('signature-legal')).toContainText('21 CFR 11.100');
  await expect(dialog.getByTestId('signature-summary')).toContainText(/#1 to #\d+/);

  await audit.sign('Checked account changes since set-up; nothing unexpected.', 'not-my-password');
  await expect(dialog.getByTestId('signature-error')).toContainText('The password is not correct');
  // The password is never kept after a failed attempt.
  await expect(dialog.getByTestId('signature-password')).toHaveValue('');
  await shot(page, 'signature-wrong-password', 'en');

  await dialog.getByTestId('signature-password').fill(QA.newPassword);
  await dialog.getByTestId('signature-submit').click();
  await expect(dialog).toBeHidden();
  const reviews = page.getByTestId('reviews-table');
  await expect(reviews).toContainText(QA.printedName);
  await expect(reviews).toContainText('Checked account changes');
  await shot(page, 'audit-review', 'en');

  // Verification: run it, watch it finish, and the header badge turns green.
  await audit.openTab('verification');
  await page.getByTestId('verify-now').click();
  await expect(page.getByTestId('verify-progress')).toContainText('Verification finished.');
  await expect(shell.ledgerBadge()).toHaveAttribute('data-tone', 'ok');
  await expect(shell.ledgerBadge()).toContainText('Ledger verified through #');
  await expect(page.getByTestId('last-run')).toContainText('No findings');
  await shot(page, 'verification', 'en');

  await shell.setLanguage('zh-CN');
  await audit.startReview();
  await expect(page.getByTestId('signature-meaning')).toHaveText('审计追踪已审核');
  await expect(page.getByTestId('signature-legal')).toContainText('同等法律效力');
  await shot(page, 'signature-dialog', 'zh-CN');
  await page.getByTestId('signature-cancel').click();
  await expect(page.getByTestId('signature-dialog')).toBeHidden();
});
