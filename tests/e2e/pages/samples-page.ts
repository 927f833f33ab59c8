import { expect, type Locator, type Page } from '@playwright/test';
import { PDF_TIMEOUT } from '../fixtures';

/** The samples section: reception desk, label printing, the sample page, the retention store. */
export class SamplesPage {
  constructor(private readonly page: Page) {}

  async openReception(): Promise<void> {
    await this.page.getByTestId('nav-samples').click();
    await expect(this.page.getByTestId('reception-form')).toBeVisible();
  }

  form(): Locator {
    return this.page.getByTestId('reception-form');
  }

  async chooseKind(kind: string): Promise<void> {
    await this.form().getByTestId(`reception-kind-${kind}`).click();
  }

  /** Fills the reception form; only the given fields are touched. */
  async fill(s: {
    target?: string;
    samplingPoint?: string;
    quantity?: string;
    container?: string;
    storage?: string;
    keepUntil?: string;
    retentionLocation?: string;
  }): Promise<void> {
    const f = this.form();
    if (s.target !== undefined) {
      await f.getByTestId('reception-target').fill(s.target);
      await f.getByTestId('reception-target').press('Enter');
    }
    if (s.samplingPoint !== undefined) await f.getByTestId('reception-sampling-point').fill(s.samplingPoint);
    if (s.quantity !== undefined) await f.getByTestId('reception-quantity').fill(s.quantity);
    if (s.container !== undefined) await f.getByTestId('reception-container').fill(s.container);
    if (s.storage !== undefined) await f.getByTestId('reception-storage').fill(s.storage);
    if (s.retentionLocation !== undefined)
      await f.getByTestId('reception-retention-location').fill(s.retentionLocation);
    if (s.keepUntil !== undefined) await f.getByTestId('reception-keep-until').fill(s.keepUntil);
  }

  async submit(): Promise<void> {
    await this.form().getByTestId('reception-submit').click();
  }

  /** Registers and returns the new sample's ID as shown, big, on the result panel. */
  async register(): Promise<string> {
    await this.submit();
    await expect(this.page.getByTestId('reception-result')).toBeVisible();
    return (await this.page.getByTestId('reception-result-code').innerText()).trim();
  }

  /** Prints the label in the given block; returns the file name and SHA-256 the page shows. */
  async printLabel(
    block: Locator,
    size: '50x30' | '60x40' | '100x50' = '50x30',
  ): Promise<{ fileName: string; sha256: string }> {
    await block.getByTestId('label-size').getByText(size.replace('x', '×'), { exact: false }).click();
    await block.getByTestId('label-print-button').click();
    await expect(block.getByTestId('label-result')).toBeVisible({ timeout: PDF_TIMEOUT });
    return {
      fileName: (await block.getByTestId('label-file').innerText()).trim(),
      sha256: (await block.getByTestId('label-sha256').innerText()).trim(),
    };
  }

  /** A barcode scanner: fast keystrokes ending in Enter, with focus outside any field. */
  async scan(code: string): Promise<void> {
    // Strings run in the page (this file is type-checked without DOM types).
    await this.page.evaluate('document.activeElement && document.activeElement.blur()');
    await expect.poll(() => this.page.evaluate('document.activeElement === document.body')).toBe(true);
    // A scanner sends its keys in one burst, a few ms apart. Typing through Playwright on a
    // loaded machine can space them out like a person typing (the detector then rightly
    // ignores them), so the burst is sent from inside the page, as real keydown events.
    await this.page.evaluate(`(() => {
      const code = ${JSON.stringify(code)};
      for (const key of [...code, 'Enter'])
        document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
    })()`);
  }

  async openRetention(): Promise<void> {
    await this.page.getByTestId('nav-samples').click();
    await this.page.getByTestId('samples-tab-retention').click();
    await expect(this.page.getByTestId('retention-page')).toBeVisible();
  }
}
