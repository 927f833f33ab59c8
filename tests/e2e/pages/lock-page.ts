import { expect, type Page } from '@playwright/test';
import { waitForScreen } from '../fixtures';

export class LockPage {
  constructor(private readonly page: Page) {}

  async expectLockedFor(userId: string): Promise<void> {
    await waitForScreen(this.page, 'locked');
    await expect(this.page.getByTestId('lock-user')).toContainText(userId);
  }

  async resume(password: string): Promise<void> {
    await this.page.getByTestId('lock-password').fill(password);
    await this.page.getByTestId('lock-submit').click();
  }

  async switchUser(): Promise<void> {
    await this.page.getByTestId('lock-switch-user').click();
    await waitForScreen(this.page, 'signin');
  }
}
