import { expect, type Page } from '@playwright/test';
import { dismissNotifications } from '../helpers';

export interface LimitEntry {
  min?: string;
  max?: string;
  precision?: number;
}

/** The specification editor (#/specs/version/<id>) with its item drawer, approval and diff. */
export class SpecEditorPage {
  constructor(private readonly page: Page) {}

  editor() {
    return this.page.getByTestId('spec-editor');
  }

  item(code: string) {
    return this.page.getByTestId(`spec-item-${code}`);
  }

  verification(code: string) {
    return this.page.getByTestId(`verification-${code}`);
  }

  /**
   * Rows are scrolled to the middle of the window first: at the top they would sit under the
   * sticky header or a notification, and the click would wait until that moves away.
   */
  async openItem(code: string): Promise<void> {
    const row = this.item(code);
    await row.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await row.click();
    await expect(this.page.getByTestId('item-editor')).toBeVisible();
  }

  /** The codes of every unverified or missing item, as the table shows them. */
  async flaggedCodes(): Promise<Array<{ code: string; state: string }>> {
    const badges = this.page.locator(
      '[data-testid^="verification-"][data-state="unverified"], [data-testid^="verification-"][data-state="missing"]',
    );
    const out: Array<{ code: string; state: string }> = [];
    for (const b of await badges.all()) {
      const id = (await b.getAttribute('data-testid')) ?? '';
      out.push({ code: id.replace(/^verification-/, ''), state: (await b.getAttribute('data-state')) ?? '' });
    }
    return out;
  }

  /** Opens an item, enters a value first when given (a missing one), and confirms it. */
  async confirm(code: string, entry?: LimitEntry): Promise<void> {
    await this.openItem(code);
    const drawer = this.page.getByTestId('item-editor');
    await expect(drawer.getByTestId('item-confirm-panel')).toBeVisible();
    if (entry?.min !== undefined) await drawer.getByTestId('item-min').fill(entry.min);
    if (entry?.max !== undefined) await drawer.getByTestId('item-max').fill(entry.max);
    if (entry?.precision !== undefined) await drawer.getByTestId('item-precision').fill(String(entry.precision));
    await drawer.getByTestId('item-confirm').click();
    // A write to the signed ledger, then the changed row re-renders (the default wait allows for a busy machine).
    await expect(drawer).toBeHidden();
    await expect(this.verification(code)).toHaveAttribute('data-state', 'confirmed');
  }

  /** The tables of the tables panel that can be confirmed now (`<standard> <table>`, as in their test ids). */
  async confirmableTables(): Promise<string[]> {
    const buttons = this.page.getByTestId('spec-tables').locator('[data-testid^="spec-table-confirm-"]:enabled');
    const out: string[] = [];
    for (const b of await buttons.all())
      out.push(((await b.getAttribute('data-testid')) ?? '').replace(/^spec-table-confirm-/, ''));
    return out;
  }

  /**
   * Confirms a whole table with one signature (`values_confirmed`): the dialog names the table
   * and lists its values; afterwards every value of the table is confirmed.
   */
  async confirmTable(id: string, password: string): Promise<void> {
    const row = this.page.getByTestId(`spec-table-${id}`);
    const count = (await row.getAttribute('data-count')) ?? '';
    await row.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await this.page.getByTestId(`spec-table-confirm-${id}`).click();
    const dialog = this.page.getByTestId('signature-dialog');
    const table = /(表\s*\S+)$/.exec(id)?.[1] ?? id;
    await expect(dialog.getByTestId('spec-table-sign-summary')).toContainText(table);
    await expect(dialog.getByTestId('spec-table-sign-summary')).toContainText(`the ${count} values`);
    await expect(dialog.getByTestId('spec-table-sign-values').locator('tr')).toHaveCount(Number(count));
    await this.sign(password);
    await expect(dialog).toBeHidden();
    await expect(row).toHaveAttribute('data-confirmed', count);
  }

  /** Changes an item's maximum and value status, with a reason. */
  async changeMax(code: string, max: string, reason: string): Promise<void> {
    await this.openItem(code);
    const drawer = this.page.getByTestId('item-editor');
    await drawer.getByTestId('item-max').fill(max);
    await drawer.getByTestId('item-reason').fill(reason);
    await drawer.getByTestId('item-save').click();
    await expect(drawer).toBeHidden();
  }

  async setEffective(date: string): Promise<void> {
    const input = this.page.getByTestId('spec-effective-input');
    await input.fill(date);
    await input.press('Enter');
    await this.page.getByTestId('spec-effective-save').click();
    await expect(this.page.getByTestId('spec-effective-save')).toBeDisabled();
    await expect(input).toHaveValue(date);
  }

  async openApproval(): Promise<void> {
    // Approve sits top right, where the toasts of the last saves stack (helpers.ts).
    await dismissNotifications(this.page);
    await this.page.getByTestId('spec-approve').click();
    await expect(this.page.getByTestId('signature-dialog')).toBeVisible();
  }

  async sign(password: string): Promise<void> {
    const dialog = this.page.getByTestId('signature-dialog');
    await dialog.getByTestId('signature-password').fill(password);
    await dialog.getByTestId('signature-submit').click();
  }

  async newVersion(changeNote: string): Promise<void> {
    await this.page.getByTestId('spec-new-version').click();
    await this.page.getByTestId('reason-input').fill(changeNote);
    await this.page.getByTestId('reason-submit').click();
    await expect(this.page.getByTestId('spec-status')).toHaveAttribute('data-status', 'draft');
  }
}
