import { expect, type Page } from '@playwright/test';

export class AuditPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-audit').click();
    await expect(this.page.getByTestId('audit-total')).toBeVisible();
  }

  /** Opens the trail filtered to one record, by link like a person following "full history". */
  async filterRecord(entity: string, id: string): Promise<void> {
    await this.page.getByTestId('audit-filter-entity').fill(entity);
    await this.page.getByTestId('audit-filter-id').fill(id);
    await this.page.getByTestId('audit-filter-apply').click();
    await expect(this.rows().first()).toBeVisible();
  }

  rows() {
    return this.page.getByTestId('audit-row');
  }

  /** Opens the detail of the first row whose text contains `text`. */
  async openEntry(text: string | RegExp): Promise<void> {
    await this.rows().filter({ hasText: text }).first().click();
    await expect(this.page.getByTestId('audit-detail')).toBeVisible();
  }

  detail() {
    return this.page.getByTestId('audit-detail');
  }

  async openTab(tab: 'trail' | 'verification' | 'review'): Promise<void> {
    await this.page.getByTestId(`audit-tab-${tab}`).click();
  }

  /** Review → "Mark audit trail reviewed through #N" → signature dialog. */
  async startReview(): Promise<void> {
    await this.openTab('review');
    await this.page.getByTestId('audit-review-open').click();
    await expect(this.page.getByTestId('signature-dialog')).toBeVisible();
  }

  async sign(comment: string, password: string): Promise<void> {
    const dialog = this.page.getByTestId('signature-dialog');
    await dialog.getByTestId('signature-comment').fill(comment);
    await dialog.getByTestId('signature-password').fill(password);
    await dialog.getByTestId('signature-submit').click();
  }
}
