import { expect, shot, test } from './fixtures';
import { ADMIN, openApp, seedPeople } from './helpers';
import { AccountsPage } from './pages/accounts-page';
import { AuditPage } from './pages/audit-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';

const TECH = { userId: 'chen.jie', printedName: '陈杰', password: 'Temp-pass-0002' };
const REASON = 'Now also reviews results in the milk-powder lab';

test.describe.configure({ timeout: 120_000 });

test('the audit trail shows a user record history with before/after values', async ({ page, harness }) => {
  // The first-run set-up on screen is shell.spec.ts's journey.
  await seedPeople(harness.url, []);
  await openApp(page, harness.url);
  await new SignInPage(page).signInToApp(ADMIN.userId, ADMIN.password);
  const accounts = new AccountsPage(page);
  await accounts.open();
  await accounts.createUser({ ...TECH, roles: ['technician'] });
  await accounts.editRoles(TECH.userId, ['reviewer'], [], REASON);
  await expect(accounts.row(TECH.userId)).toContainText('Reviewer');

  const audit = new AuditPage(page);
  await audit.open();
  await expect(audit.rows().first()).toBeVisible();

  // Only this record's history.
  await page.getByTestId('audit-filter-id').fill(TECH.userId);
  await page.getByTestId('audit-filter-apply').click();
  await expect(page).toHaveURL(/id=chen\.jie/);
  await expect(audit.rows().first()).toBeVisible();
  // Auto-retrying: the virtualised list may re-render while the filtered page arrives.
  await expect(audit.rows().filter({ hasNotText: TECH.userId })).toHaveCount(0);

  await audit.openEntry(REASON);
  const detail = audit.detail();
  await expect(page.getByTestId('audit-detail-who')).toContainText('admin.wang');
  await expect(page.getByTestId('audit-detail-reason')).toHaveText(REASON);
  const roles = page.getByTestId('audit-change-roles');
  await expect(roles).toBeVisible();
  await expect(roles.locator('td').nth(1)).toContainText('technician');
  await expect(roles.locator('td').nth(1)).not.toContainText('reviewer');
  await expect(roles.locator('td').nth(2)).toContainText('reviewer');
  // Local time, ISO-ordered, with its zone (the IANA name or an offset label, D-081).
  await expect(detail).toContainText(
    /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \((UTC|[^)]*\/[^)]*|[^)]*UTC[+−-]\d{2}:\d{2}[^)]*)\)/,
  );
  await shot(page, 'audit-detail', 'en');

  // The same in Chinese: labels change, recorded values do not.
  await new ShellPage(page).setLanguage('zh-CN');
  await expect(detail).toContainText('修改前');
  await expect(detail).toContainText('修改后');
  await expect(page.getByTestId('audit-detail-reason')).toHaveText(REASON);
  await shot(page, 'audit-detail', 'zh-CN');

  // "Full history of this record" filters by entity and id.
  await page.getByTestId('audit-history-link').click();
  await expect(page.getByTestId('audit-detail')).toBeHidden();
  await expect(page).toHaveURL(/entity=.+&id=chen\.jie/);
  await expect(audit.rows().first()).toBeVisible();
  await shot(page, 'audit-trail', 'zh-CN');
  await new ShellPage(page).setLanguage('en');
  await shot(page, 'audit-trail', 'en');
});
