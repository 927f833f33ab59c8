import { expect, type Page } from '@playwright/test';

/** Trace & recall: one lot code in, the whole picture out. */
export class TracePage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-trace').click();
    await expect(this.page.getByTestId('trace-page')).toBeVisible();
  }

  async trace(code: string): Promise<void> {
    await this.page.getByTestId('trace-input').fill(code);
    await this.page.getByTestId('trace-input').press('Enter');
  }

  async expectResult(root: string): Promise<void> {
    await expect(this.page.getByTestId('trace-root')).toHaveText(root);
    await expect(this.page.getByTestId('trace-elapsed')).toBeVisible();
  }

  customer(code: string) {
    return this.page.getByTestId(`customer-row-${code}`);
  }
}
