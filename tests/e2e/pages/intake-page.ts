import { expect, type Locator, type Page } from '@playwright/test';
import { PDF_TIMEOUT } from '../fixtures';

export type DeclarationKey = 'noColostrum' | 'noTreatment' | 'withdrawalRespected' | 'healthCertificates';

/** A panel value as the bench types it: a number, or a screen's negative / positive. */
export type BenchValue = string | 'negative' | 'positive';

/** The milk bench: the queue, one tanker's intake screen, its decision, the authority report, appeals, suppliers. */
export class IntakePage {
  constructor(private readonly page: Page) {}

  private goHash(hash: string): Promise<unknown> {
    return this.page.goto(this.page.url().replace(/#.*$/, hash));
  }

  async openQueue(): Promise<void> {
    await this.page.getByTestId('nav-intake').click();
    await expect(this.page.getByTestId('intake-queue-page')).toBeVisible();
  }

  awaitingRow(lotCode: string): Locator {
    return this.page.getByTestId(`awaiting-row-${lotCode}`);
  }

  async openFromQueue(lotCode: string): Promise<void> {
    await this.page.getByTestId(`awaiting-open-${lotCode}`).click();
    await expect(this.page.getByTestId('intake-page')).toHaveAttribute('data-lot', lotCode);
  }

  async openTanker(lotCode: string): Promise<void> {
    await this.goHash(`#/intake/${encodeURIComponent(lotCode)}`);
    await expect(this.page.getByTestId('intake-page')).toHaveAttribute('data-lot', lotCode);
  }

  nextStep(): Locator {
    return this.page.getByTestId('intake-next-step');
  }

  async declare(values: Partial<Record<DeclarationKey, boolean>>): Promise<void> {
    const form = this.page.getByTestId('intake-declarations-form');
    for (const [k, v] of Object.entries(values)) {
      const box = form.getByTestId(`declaration-${k}`);
      if (v) await box.check();
      else await box.uncheck();
    }
  }

  async startIntake(): Promise<void> {
    await this.page.getByTestId('intake-start').click();
    await expect(this.page.getByTestId('intake-panel')).toBeVisible();
  }

  checkRow(code: string): Locator {
    return this.page.getByTestId(`check-row-${code}`);
  }

  /**
   * Types the panel with the keyboard, row after row, as at the bench: a number and Enter;
   * on a screen N (negative) or P (positive) and Enter. Starts in the first row's field.
   */
  async enterPanel(values: Array<[code: string, value: BenchValue]>): Promise<void> {
    const [first] = values;
    if (!first) return;
    const firstField = this.page.getByTestId(`check-input-${first[0]}`);
    if (await firstField.count()) await firstField.click();
    else await this.page.getByTestId(`check-screen-${first[0]}`).locator('input[type="radio"]').first().focus();
    for (const [code, value] of values) {
      if (value === 'negative' || value === 'positive') {
        await expect(this.page.getByTestId(`check-screen-${code}`).locator('input:focus')).toHaveCount(1);
        await this.page.keyboard.press(value === 'negative' ? 'n' : 'p');
        await expect(this.checkRow(code)).not.toHaveAttribute('data-verdict', '');
      } else {
        const input = this.page.getByTestId(`check-input-${code}`);
        await expect(input).toBeFocused();
        await this.page.keyboard.type(value);
      }
      await this.page.keyboard.press('Enter');
    }
    const last = values[values.length - 1]!;
    await expect(this.checkRow(last[0])).not.toHaveAttribute('data-verdict', '');
  }

  async submitResults(password: string): Promise<void> {
    await this.page.getByTestId('intake-submit-results').click();
    const dialog = this.page.getByTestId('signature-dialog');
    await expect(dialog.getByTestId('signature-meaning')).toBeVisible();
    await dialog.getByTestId('signature-password').fill(password);
    await dialog.getByTestId('signature-submit').click();
    await expect(dialog).toBeHidden();
    await expect(this.page.getByTestId('intake-panel-remaining')).toBeVisible();
  }

  decision(): Locator {
    return this.page.getByTestId('intake-decision');
  }

  proposal(): Locator {
    return this.page.getByTestId('intake-proposal');
  }

  async reject(reason: string, password: string): Promise<void> {
    await this.page.getByTestId('intake-reject').click();
    const dialog = this.page.getByTestId('signature-dialog');
    await dialog.getByTestId('signature-comment').fill(reason);
    await dialog.getByTestId('signature-password').fill(password);
    await dialog.getByTestId('signature-submit').click();
    await expect(dialog).toBeHidden();
    await expect(this.decision()).toHaveAttribute('data-decided', 'rejected');
  }

  report(): Locator {
    return this.page.getByTestId('authority-report');
  }

  /** Opens the authority report: the PDF opens in a new window; returns it with the recorded file's facts. */
  async openReport(locale: 'zh-CN' | 'en'): Promise<{ popup: Page; fileName: string; sha256: string }> {
    const r = this.report();
    await r
      .getByTestId('authority-report-locale')
      .getByText(locale === 'en' ? 'English' : '中文', { exact: true })
      .click();
    const [popup] = await Promise.all([
      this.page.context().waitForEvent('page'),
      r.getByTestId('authority-report-open').click(),
    ]);
    await expect(r.getByTestId('authority-report-result')).toBeVisible({ timeout: PDF_TIMEOUT });
    return {
      popup,
      fileName: (await r.getByTestId('authority-report-file').innerText()).trim(),
      sha256: (await r.getByTestId('authority-report-sha256').innerText()).trim(),
    };
  }

  /** From a rejected tanker: record the supplier's appeal (notified today, the failing checks preselected). */
  async recordAppeal(firstLab?: string): Promise<void> {
    await this.report().getByTestId('authority-report-appeal').click();
    const drawer = this.page.getByTestId('appeal-create');
    await expect(drawer).toBeVisible();
    await expect(drawer.getByTestId('appeal-apply-preview')).toBeVisible();
    if (firstLab) await drawer.getByTestId('appeal-first-lab').fill(firstLab);
    await drawer.getByTestId('appeal-create-submit').click();
    await expect(drawer).toBeHidden();
  }

  appealRow(lotCode: string): Locator {
    return this.page.getByTestId(`appeal-row-${lotCode}`);
  }

  async openSuppliers(supplierCode?: string): Promise<void> {
    await this.goHash(supplierCode ? `#/suppliers?supplier=${encodeURIComponent(supplierCode)}` : '#/suppliers');
    await expect(this.page.getByTestId('supplier-performance-page')).toBeVisible();
  }

  supplierRow(code: string): Locator {
    return this.page.getByTestId(`perf-row-${code}`);
  }
}
