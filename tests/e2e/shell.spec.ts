import { expect, shot, test, waitForScreen } from './fixtures';
import { ADMIN, openApp } from './helpers';
import { SetupPage } from './pages/setup-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';

test('first run: create the administrator, store the recovery code, sign in, home in both languages', async ({
  page,
  harness,
}) => {
  await openApp(page, harness.url, 'en');
  // The token left the address bar as soon as the page read it.
  await waitForScreen(page, 'setup');
  expect(page.url()).not.toContain('token=');
  await expect(page.getByText('at least 10 characters', { exact: false }).first()).toBeVisible();
  await shot(page, 'setup', 'en');

  const setup = new SetupPage(page);
  // The policy is enforced in the form before anything is sent.
  await page.getByTestId('setup-user').fill(ADMIN.userId);
  await page.getByTestId('setup-name').fill(ADMIN.printedName);
  await page.getByTestId('setup-password').fill('short');
  await page.getByTestId('setup-password2').fill('short');
  await page.getByTestId('setup-submit').click();
  await expect(
    page.getByText('At least 10 characters and not the same as the user ID.', { exact: true }),
  ).toBeVisible();

  const code = await setup.createAdmin(ADMIN.userId, ADMIN.printedName, ADMIN.password);
  expect(code.length).toBeGreaterThan(8);
  await shot(page, 'recovery-code', 'en');
  await setup.acknowledgeRecovery();
  await shot(page, 'signin', 'en');

  const signIn = new SignInPage(page);
  await signIn.signIn(ADMIN.userId, 'not-the-password');
  await expect(page.getByTestId('signin-error')).toContainText('The password is not correct');
  await signIn.signInToApp(ADMIN.userId, ADMIN.password);

  const shell = new ShellPage(page);
  await shell.expectSignedInAs(ADMIN.printedName);
  await expect(page.getByTestId('user-roles')).toHaveText('Administrator');
  await expect(page.getByTestId('card-locked')).toBeVisible();
  await expect(page.getByTestId('card-key')).toBeVisible();
  await expect(shell.ledgerBadge()).toBeVisible();

  await shell.setLanguage('zh-CN');
  await expect(page.getByRole('heading', { name: '待我处理' })).toBeVisible();
  await expect(page.getByTestId('nav-audit')).toContainText('审计追踪');
  await expect(page.getByTestId('user-roles')).toHaveText('系统管理员');
  await shot(page, 'home', 'zh-CN');

  // An empty screen says what comes next rather than showing a blank page.
  await shell.go('testing');
  await expect(page.getByTestId('worklist-empty')).toContainText('没有等待结果的检验项目');
  await shot(page, 'testing-worklist-empty', 'zh-CN');

  await shell.go('home');
  await shell.setLanguage('en');
  await expect(page.getByRole('heading', { name: 'What needs me now' })).toBeVisible();
  await shot(page, 'home', 'en');

  // The language choice is remembered across a reload (the harness token too, from
  // sessionStorage); a harness session belongs to its connection, so sign-in comes back.
  await shell.setLanguage('zh-CN');
  await page.reload();
  await waitForScreen(page, 'signin');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByTestId('signin-submit')).toHaveText('登录');
  await shot(page, 'signin', 'zh-CN');
});
