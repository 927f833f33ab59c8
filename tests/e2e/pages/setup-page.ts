import { expect, type Page } from '@playwright/test';
import { waitForScreen } from '../fixtures';

export class SetupPage {
  constructor(private readonly page: Page) {}

  async createAdmin(userId: string, printedName: string, password: string): Promise<string> {
    await waitForScreen(this.page, 'setup');
    await this.page.getByTestId('setup-user').fill(userId);
    await this.page.getByTestId('setup-name').fill(printedName);
    await this.page.getByTestId('setup-password').fill(password);
    await this.page.getByTestId('setup-password2').fill(password);
    await this.page.getByTestId('setup-submit').click();
    const code = this.page.getByTestId('recovery-code');
    await expect(code).toBeVisible();
    return (await code.innerText()).trim();
  }

  async acknowledgeRecovery(): Promise<void> {
    await expect(this.page.getByTestId('recovery-continue')).toBeDisabled();
    await this.page.getByTestId('recovery-ack').check();
    await this.page.getByTestId('recovery-continue').click();
    await waitForScreen(this.page, 'signin');
  }
}
