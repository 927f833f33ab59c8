import { expect, type Page } from '@playwright/test';
import { waitForScreen } from '../fixtures';

export type NavKey =
  | 'home'
  | 'samples'
  | 'testing'
  | 'lots'
  | 'trace'
  | 'instruments'
  | 'specifications'
  | 'audit'
  | 'admin'
  | 'account';

export class ShellPage {
  constructor(private readonly page: Page) {}

  async ready(): Promise<void> {
    await waitForScreen(this.page, 'app');
  }

  async go(key: NavKey): Promise<void> {
    await this.page.getByTestId(`nav-${key}`).click();
  }

  /** Switches language with the header (or pre-shell) switch and waits for <html lang>. */
  async setLanguage(lang: 'en' | 'zh-CN'): Promise<void> {
    await this.page
      .getByTestId('lang-switch')
      .getByText(lang === 'en' ? 'English' : '中文', { exact: true })
      .click();
    await expect(this.page.locator('html')).toHaveAttribute('lang', lang);
  }

  async expectSignedInAs(printedName: string): Promise<void> {
    await expect(this.page.getByTestId('user-name')).toHaveText(printedName);
  }

  async lock(): Promise<void> {
    await this.page.getByTestId('lock-button').click();
    await waitForScreen(this.page, 'locked');
  }

  async signOut(): Promise<void> {
    await this.page.getByTestId('signout-button').click();
    await waitForScreen(this.page, 'signin');
  }

  ledgerBadge() {
    return this.page.getByTestId('ledger-badge').first();
  }
}
