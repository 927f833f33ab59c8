import { expect, type Page } from '@playwright/test';
import { waitForScreen } from '../fixtures';

export class SignInPage {
  constructor(private readonly page: Page) {}

  async signIn(userId: string, password: string): Promise<void> {
    await waitForScreen(this.page, 'signin');
    await this.page.getByTestId('signin-user').fill(userId);
    await this.page.getByTestId('signin-password').fill(password);
    await this.page.getByTestId('signin-submit').click();
  }

  async signInToApp(userId: string, password: string): Promise<void> {
    await this.signIn(userId, password);
    await waitForScreen(this.page, 'app');
  }

  /** Forced first-sign-in password change. */
  async changePassword(current: string, next: string): Promise<void> {
    await waitForScreen(this.page, 'change-password');
    await expect(this.page.getByTestId('cp-forced')).toBeVisible();
    await this.page.getByTestId('cp-current').fill(current);
    await this.page.getByTestId('cp-new').fill(next);
    await this.page.getByTestId('cp-new2').fill(next);
    await this.page.getByTestId('cp-submit').click();
  }
}
