import { expect, shot, test, waitForScreen } from './fixtures';
import { ADMIN, openApp, seedPeople } from './helpers';
import { AccountsPage } from './pages/accounts-page';
import { LockPage } from './pages/lock-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';

const TECH = { userId: 'li.na', printedName: '李娜', password: 'Temp-pass-0001', newPassword: 'Tech-pass-2024!' };

test.describe.configure({ timeout: 120_000 });

test('admin creates a technician; the technician must change the password; lock and resume', async ({
  page,
  harness,
}) => {
  // The first-run set-up on screen is shell.spec.ts's journey.
  await seedPeople(harness.url, []);
  await openApp(page, harness.url);
  await new SignInPage(page).signInToApp(ADMIN.userId, ADMIN.password);
  const accounts = new AccountsPage(page);
  await accounts.open();

  // Segregation of duties is explained while choosing roles, before the server refuses it.
  await page.getByTestId('users-create').click();
  await page.getByTestId('role-administrator').check();
  await page.getByTestId('role-qa_manager').check();
  await expect(page.getByTestId('roles-conflict')).toBeVisible();
  await shot(page, 'create-user-conflict', 'en');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('user-form-submit')).toBeHidden();

  await accounts.createUser({ ...TECH, roles: ['technician'] });
  await expect(accounts.row(TECH.userId)).toContainText('Lab technician');
  await expect(accounts.row(TECH.userId)).toContainText('Must change password');
  await shot(page, 'accounts', 'en');

  const shell = new ShellPage(page);
  await shell.signOut();

  const signIn = new SignInPage(page);
  await signIn.signIn(TECH.userId, TECH.password);
  await waitForScreen(page, 'change-password');
  await shot(page, 'forced-password-change', 'en');
  // The policy is checked in the form: the user id is not a password.
  await page.getByTestId('cp-current').fill(TECH.password);
  await page.getByTestId('cp-new').fill('short');
  await page.getByTestId('cp-new2').fill('short');
  await page.getByTestId('cp-submit').click();
  await expect(
    page.getByText('At least 10 characters and not the same as the user ID.', { exact: true }),
  ).toBeVisible();
  await signIn.changePassword(TECH.password, TECH.newPassword);
  await shell.ready();
  await shell.expectSignedInAs(TECH.printedName);
  // A technician has no administration.
  await expect(page.getByTestId('nav-admin')).toHaveCount(0);

  await shell.lock();
  const lock = new LockPage(page);
  await lock.expectLockedFor(TECH.userId);
  await shot(page, 'lock', 'en');
  await lock.resume('wrong-password-1');
  await expect(page.getByTestId('lock-error')).toContainText('The password is not correct');
  await lock.resume(TECH.newPassword);
  await shell.ready();
  await shell.expectSignedInAs(TECH.printedName);

  // Switch user from the lock screen = sign out; the admin is back to sign-in.
  await shell.lock();
  await lock.switchUser();
  await signIn.signInToApp(ADMIN.userId, ADMIN.password);
  await accounts.open();
  await expect(accounts.row(TECH.userId)).not.toContainText('Must change password');

  // Settings change with a reason; a missing reason is caught in the form.
  await page.getByTestId('admin-tab-settings').click();
  await page.getByTestId('settings-idleTimeoutMinutes').fill('30');
  await page.getByTestId('settings-save').click();
  await expect(page.getByText('Give a reason of at least 3 characters.')).toBeVisible();
  await page.getByTestId('settings-reason').fill('Longer sessions for the night shift');
  await page.getByTestId('settings-save').click();
  await expect(page.getByText('Settings saved.')).toBeVisible();
  await shot(page, 'settings', 'en');
});
