import { expect, type Download, type Page } from '@playwright/test';
import { expectPdfTabJourney, PDF_TIMEOUT } from '../fixtures';

export type DrillStepKey = 'affected_lots' | 'stock' | 'customers' | 'mass_balance' | 'documents';
export const DRILL_STEPS: DrillStepKey[] = ['affected_lots', 'stock', 'customers', 'mass_balance', 'documents'];

/** Recall drills and recalls: the list, the start dialog, one drill's view, the programme. */
export class DrillsPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-drills').click();
    await expect(this.page.getByTestId('drills-page')).toBeVisible();
  }

  row(code: string) {
    return this.page.getByTestId(`drill-row-${code}`);
  }

  /** Start dialog: a lot typed in (not scanned), a direction; returns the new drill's code. */
  async startFromTypedLot(lotCode: string, direction: 'backward' | 'forward' | 'both' = 'both'): Promise<string> {
    await this.page.getByTestId('drills-start').click();
    const form = this.page.getByTestId('drill-start-form');
    await expect(form).toBeVisible();
    await form.getByTestId('drill-start-lot').pressSequentially(lotCode, { delay: 60 });
    await expect(form.getByTestId('drill-start-scanned')).toHaveCount(0);
    await form.getByTestId('drill-start-direction').locator(`input[value="${direction}"]`).check({ force: true });
    await form.getByTestId('drill-start-submit').click();
    await expect(this.view()).toBeVisible();
    return (await this.view().getAttribute('data-code')) ?? '';
  }

  view() {
    return this.page.getByTestId('drill-page');
  }

  /** In the open start dialog: switch to a real recall, give its reason, start it. */
  async startRecall(reason: string): Promise<string> {
    const form = this.page.getByTestId('drill-start-form');
    await expect(form).toBeVisible();
    await form.getByTestId('drill-start-mode').getByText('Real recall', { exact: true }).click();
    await expect(form.getByTestId('drill-start-recall-warning')).toBeVisible();
    await form.getByTestId('drill-start-reason').fill(reason);
    await form.getByTestId('drill-start-submit').click();
    await expect(this.view()).toHaveAttribute('data-mode', 'recall');
    return (await this.view().getAttribute('data-code')) ?? '';
  }

  async holdAll(reason: string, password: string): Promise<void> {
    await this.page.getByTestId('recall-hold-button').click();
    const dialog = this.page.getByTestId('signature-dialog');
    await expect(dialog.getByTestId('signature-meaning')).toBeVisible();
    await dialog.getByTestId('signature-comment').fill(reason);
    await dialog.getByTestId('signature-password').fill(password);
    await dialog.getByTestId('signature-submit').click();
    await expect(dialog).toBeHidden();
    await expect(this.page.getByTestId('recall-hold-none')).toBeVisible();
  }

  recallCustomer(code: string) {
    return this.page.getByTestId(`recall-customer-${code}`);
  }

  async logContact(customer: string, outcome: string, note: string): Promise<void> {
    const c = this.recallCustomer(customer);
    const before = Number(await c.getAttribute('data-contacts'));
    await c.getByTestId('recall-contact-open').click();
    const form = this.page.getByTestId('recall-contact-form');
    await form.getByTestId('recall-contact-outcome').click();
    await this.page.getByRole('option', { name: outcome, exact: true }).click();
    await form.getByTestId('recall-contact-note').fill(note);
    await form.getByTestId('recall-contact-save').click();
    await expect(form).toBeHidden();
    await expect(c).toHaveAttribute('data-contacts', String(before + 1));
  }

  /** A return of the customer's first shipped lot, today, in the shipped unit. */
  async recordReturn(customer: string, quantity: string): Promise<void> {
    await this.recallCustomer(customer).getByTestId('recall-return-open').click();
    const form = this.page.getByTestId('recall-return-form');
    await form.getByTestId('recall-return-quantity').fill(quantity);
    await form.getByTestId('recall-return-save').click();
    await expect(form).toBeHidden();
  }

  clock() {
    return this.page.getByTestId('drill-clock');
  }

  async elapsedMs(): Promise<number> {
    return Number(await this.clock().getAttribute('data-elapsed-ms'));
  }

  step(step: DrillStepKey) {
    return this.page.getByTestId(`drill-step-${step}`);
  }

  async runStep(step: DrillStepKey): Promise<void> {
    await this.page.getByTestId(`drill-run-${step}`).click();
    await expect(this.step(step)).toHaveAttribute('data-done', 'true');
  }

  finding(kind: string, ref: string) {
    return this.page.getByTestId(`drill-finding-${kind}-${ref}`);
  }

  async explain(kind: string, ref: string, explanation: string): Promise<void> {
    const f = this.finding(kind, ref);
    await f.getByTestId('drill-finding-explanation').fill(explanation);
    await f.getByTestId('drill-finding-save').click();
    await expect(f).toHaveAttribute('data-explained', 'true');
  }

  completeButton() {
    return this.page.getByTestId('drill-complete-button');
  }

  async complete(password: string): Promise<void> {
    await this.completeButton().click();
    const dialog = this.page.getByTestId('signature-dialog');
    await expect(dialog.getByTestId('signature-meaning')).toBeVisible();
    await dialog.getByTestId('signature-password').fill(password);
    await dialog.getByTestId('signature-submit').click();
    await expect(dialog).toBeHidden();
    await expect(this.view()).toHaveAttribute('data-status', 'completed');
  }

  evidence() {
    return this.page.getByTestId('drill-evidence');
  }

  /** Makes the evidence pack in a language: the PDF opens in its own window; returns that window and the PDF download. */
  async makeEvidence(locale: 'en' | 'zh-CN'): Promise<{ popupUrl: string; pdf: Download; fileName: string }> {
    expectPdfTabJourney();
    const e = this.evidence();
    await e
      .getByTestId('drill-evidence-locale')
      .getByText(locale === 'en' ? 'English' : '中文', { exact: true })
      .click();
    const [popup] = await Promise.all([
      this.page.context().waitForEvent('page'),
      e.getByTestId('drill-evidence-make').click(),
    ]);
    await expect(e.getByTestId('drill-evidence-result')).toHaveAttribute('data-locale', locale, {
      timeout: PDF_TIMEOUT,
    });
    const popupUrl = popup.url();
    await popup.close();
    const [pdf] = await Promise.all([
      this.page.waitForEvent('download'),
      e.getByTestId('drill-evidence-download').click(),
    ]);
    return { popupUrl, pdf, fileName: (await e.getByTestId('drill-evidence-file').innerText()).trim() };
  }

  async downloadCsv(): Promise<Download> {
    const [csv] = await Promise.all([
      this.page.waitForEvent('download'),
      this.evidence().getByTestId('drill-evidence-csv').click(),
    ]);
    return csv;
  }

  async exportEpcis(): Promise<Download> {
    const [json] = await Promise.all([
      this.page.waitForEvent('download'),
      this.evidence().getByTestId('drill-epcis').click(),
    ]);
    await expect(this.evidence().getByTestId('drill-epcis-result')).toBeVisible();
    return json;
  }

  async openProgramme(): Promise<void> {
    await this.page.getByTestId('drills-programme-link').click();
    await expect(this.page.getByTestId('programme-page')).toBeVisible();
  }
}
