import type { Page } from '@playwright/test';
import { E2E_ADMIN } from '../fixtures/plant/people';
import { AccountsPage } from './pages/accounts-page';
import { SetupPage } from './pages/setup-page';
import { ShellPage } from './pages/shell-page';
import { SignInPage } from './pages/sign-in-page';

/** The first administrator of every journey (tests/fixtures/plant). */
export const ADMIN = E2E_ADMIN;

/** Opens the harness link and makes sure the language is known before anything is asserted. */
export async function openApp(page: Page, url: string, lang: 'en' | 'zh-CN' = 'en'): Promise<void> {
  // Only the first visit: later a person's own choice (the language switch) must survive reloads.
  const l = JSON.stringify(lang);
  await page.addInitScript(
    `if (!localStorage.getItem('lotseal.locale')) localStorage.setItem('lotseal.locale', ${l});`,
  );
  await page.goto(url);
}

/** First run + sign-in as the first administrator; ends on the home screen. */
export async function setupAndSignInAdmin(page: Page, url: string): Promise<void> {
  await openApp(page, url);
  const setup = new SetupPage(page);
  await setup.createAdmin(ADMIN.userId, ADMIN.printedName, ADMIN.password);
  await setup.acknowledgeRecovery();
  await new SignInPage(page).signInToApp(ADMIN.userId, ADMIN.password);
}

/** Admin creates a user, signs out, and the new user signs in and sets their own password. */
export async function createUserAndFirstSignIn(
  page: Page,
  user: { userId: string; printedName: string; roles: string[]; password: string; newPassword: string },
): Promise<void> {
  const accounts = new AccountsPage(page);
  await accounts.open();
  await accounts.createUser(user);
  await new ShellPage(page).signOut();
  const signIn = new SignInPage(page);
  await signIn.signIn(user.userId, user.password);
  await signIn.changePassword(user.password, user.newPassword);
  await new ShellPage(page).ready();
}
