import { expect, type Locator, type Page } from '@playwright/test';
import { expectPdfTabJourney, PDF_TIMEOUT } from '../fixtures';

export type DeclarationKey = 'noColostrum' | 'noTreatment' | 'withdrawalRespected' | 'healthCertificates';

/** A panel value as the bench types it: a number, or a screen's negative / positive. */
export type BenchValue = string | 'negative' | 'positive';

/** The milk bench: the queue, one tanker's intake screen, its decision, the authority report, the spot-check register, late failures, suppliers. */
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
    // A national-standard rejection prints the 第二十八条 report in the same call: a PDF wait.
    await expect(dialog).toBeHidden({ timeout: PDF_TIMEOUT });
    await expect(this.decision()).toHaveAttribute('data-decided', 'rejected');
  }

  report(): Locator {
    return this.page.getByTestId('authority-report');
  }

  /** Opens the authority report: the PDF opens in a new window; returns it with the recorded file's facts. */
  async openReport(locale: 'zh-CN' | 'en'): Promise<{ popup: Page; fileName: string; sha256: string }> {
    expectPdfTabJourney();
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

  /**
   * The tanker's documents at the gate: each kind ticked as presented with its number, issuer
   * and dates (typed as YYYY-MM-DD); kinds left out stay "not presented".
   */
  async recordDocuments(
    docs: Array<{ kind: string; number?: string; issuer?: string; validUntil?: string; date?: string }>,
  ): Promise<void> {
    const form = this.page.getByTestId('documents-fields');
    for (const d of docs) {
      await form.getByTestId(`document-present-${d.kind}`).check();
      for (const f of ['number', 'issuer'] as const)
        if (d[f]) await form.getByTestId(`document-${f}-${d.kind}`).fill(d[f]!);
      for (const f of ['validUntil', 'date'] as const) {
        if (!d[f]) continue;
        const input = form.getByTestId(`document-${f}-${d.kind}`);
        await input.fill(d[f]!);
        await input.press('Enter');
        await expect(input).toHaveValue(d[f]!);
      }
    }
  }

  documentRow(kind: string): Locator {
    return this.page.getByTestId(`document-row-${kind}`);
  }

  /** A QA manager's signed override of the missing documents, given at this terminal. */
  async overrideDocuments(signerId: string, password: string, reason: string): Promise<void> {
    await this.page.getByTestId('documents-override').click();
    const form = this.page.getByTestId('documents-override-form');
    await form.getByTestId('override-signer').fill(signerId);
    await form.getByTestId('override-password').fill(password);
    await form.getByTestId('override-reason').fill(reason);
    await form.getByTestId('override-submit').click();
    await expect(this.page.getByTestId('documents-overridden')).toBeVisible();
  }

  async accept(password: string): Promise<void> {
    await this.page.getByTestId('intake-accept').click();
    const dialog = this.page.getByTestId('signature-dialog');
    await dialog.getByTestId('signature-password').fill(password);
    await dialog.getByTestId('signature-submit').click();
    await expect(dialog).toBeHidden();
    await expect(this.decision()).toHaveAttribute('data-decided', 'accepted');
  }

  async openSpotChecks(query = ''): Promise<void> {
    await this.goHash(`#/appeals${query}`);
    await expect(this.page.getByTestId('spot-checks-page')).toBeVisible();
  }

  /** Records a spot check's result as received (raw milk of a tanker), with its items. */
  async recordSpotCheck(s: {
    lotCode: string;
    sample: string;
    authority: string;
    lab: string;
    sampledOn: string;
    receivedOn: string;
    items: Array<{ name: string; result: string; requirement: string; conforming: boolean }>;
  }): Promise<string> {
    await this.page.getByTestId('spot-check-new').click();
    const form = this.page.getByTestId('spot-check-form');
    await form.getByTestId('spot-check-lot').fill(s.lotCode);
    await form.getByTestId('spot-check-sample').fill(s.sample);
    await form.getByTestId('spot-check-authority').fill(s.authority);
    await form.getByTestId('spot-check-first-lab').fill(s.lab);
    for (const [id, v] of [
      ['spot-check-sampled-on', s.sampledOn],
      ['spot-check-received-on', s.receivedOn],
    ] as const) {
      const input = form.getByTestId(id);
      await input.fill(v);
      await input.press('Enter');
      await expect(input).toHaveValue(v);
    }
    for (const [i, it] of s.items.entries()) {
      if (i > 0) await form.getByTestId('spot-item-add').click();
      await form.getByTestId(`spot-item-name-${i}`).fill(it.name);
      await form.getByTestId(`spot-item-result-${i}`).fill(it.result);
      await form.getByTestId(`spot-item-requirement-${i}`).fill(it.requirement);
      const box = form.getByTestId(`spot-item-conforming-${i}`);
      if (it.conforming) await box.check();
      else await box.uncheck();
    }
    if (s.items.some((i) => !i.conforming)) await expect(form.getByTestId('spot-check-apply-preview')).toBeVisible();
    await form.getByTestId('spot-check-create-submit').click();
    const detail = this.page.getByTestId('spot-check-detail');
    await expect(detail).toBeVisible();
    return (await detail.getAttribute('data-code'))!;
  }

  spotCheckRow(code: string): Locator {
    return this.page.getByTestId(`spot-check-row-${code}`);
  }

  async openLateFailure(lotCode: string): Promise<void> {
    await this.goHash(`#/intake/late/${encodeURIComponent(lotCode)}`);
    await expect(this.page.getByTestId('late-failure-page')).toHaveAttribute('data-lot', lotCode);
  }

  /** One signed hold of the chosen lots for a late failure. */
  async holdLateFailure(reason: string, password: string): Promise<void> {
    await this.page.getByTestId('late-failure-hold').click();
    const dialog = this.page.getByTestId('signature-dialog');
    await dialog.getByTestId('signature-comment').fill(reason);
    await dialog.getByTestId('signature-password').fill(password);
    await dialog.getByTestId('signature-submit').click();
    await expect(dialog).toBeHidden();
    await expect(this.page.getByTestId('late-failure-page')).toHaveAttribute('data-status', 'held');
  }

  async openSuppliers(supplierCode?: string): Promise<void> {
    await this.goHash(supplierCode ? `#/suppliers?supplier=${encodeURIComponent(supplierCode)}` : '#/suppliers');
    await expect(this.page.getByTestId('supplier-performance-page')).toBeVisible();
  }

  supplierRow(code: string): Locator {
    return this.page.getByTestId(`perf-row-${code}`);
  }
}
