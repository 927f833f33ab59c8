import { expect, type Locator, type Page } from '@playwright/test';

/** The testing section: the worklist, a sample's entry grid, submission, the result drawer, method rules. */
export class TestingPage {
  constructor(private readonly page: Page) {}

  async openWorklist(): Promise<void> {
    await this.page.getByTestId('nav-testing').click();
    await expect(this.page.getByTestId('worklist-page')).toBeVisible();
  }

  /** Opens a sample's entry grid from the scan box, as a scanner would (its code, then Enter). */
  async openSample(code: string): Promise<void> {
    if (!(await this.page.getByTestId('testing-scan').isVisible())) await this.openWorklist();
    await this.page.getByTestId('testing-scan').fill(code);
    await this.page.getByTestId('testing-scan').press('Enter');
    await expect(this.page.getByTestId('entry-page')).toHaveAttribute('data-sample', code);
    await expect(this.page.getByTestId('entry-grid')).toBeVisible();
  }

  async openMethodRules(): Promise<void> {
    await this.openWorklist();
    await this.page.getByTestId('testing-tab-methods').click();
    await expect(this.page.getByTestId('method-rules-page')).toBeVisible();
  }

  row(item: string): Locator {
    return this.page.getByTestId(`entry-row-${item}`);
  }

  /** Replicate k, or sampling-plan unit k, of an item. */
  input(item: string, k = 0): Locator {
    return this.page.getByTestId(`entry-input-${item}-${k}`);
  }

  verdict(item: string): Locator {
    return this.page.getByTestId(`verdict-${item}`);
  }

  reported(item: string): Locator {
    return this.page.getByTestId(`reported-${item}`);
  }

  status(item: string): Locator {
    return this.page.getByTestId(`status-${item}`);
  }

  /**
   * Types an item's values with the keyboard only: the first input is focused, each value is
   * typed, Tab moves to the next replicate/unit, and Enter saves the row (and moves down).
   * Waits until the server's record shows the row as entered.
   */
  async enterValues(item: string, values: readonly string[], from = 0): Promise<void> {
    await this.input(item, from).click();
    for (const [i, v] of values.entries()) {
      await this.page.keyboard.press('ControlOrMeta+a');
      await this.page.keyboard.type(v);
      await this.page.keyboard.press(i < values.length - 1 ? 'Tab' : 'Enter');
    }
    await expect(this.status(item)).toHaveAttribute('data-status', 'entered');
  }

  /** Types a value into the focused input and presses Enter (keyboard-only flow down the grid). */
  async typeAndEnter(value: string): Promise<void> {
    await this.page.keyboard.press('ControlOrMeta+a');
    await this.page.keyboard.type(value);
    await this.page.keyboard.press('Enter');
  }

  /**
   * Pastes text copied from a spreadsheet (lines of tab-separated cells) into an item's input,
   * as Ctrl+V would: a paste event carrying text/plain.
   */
  async paste(item: string, text: string, k = 0): Promise<void> {
    const selector = JSON.stringify(`[data-testid="entry-input-${item}-${k}"]`);
    await this.input(item, k).focus();
    // Runs in the page (this file is type-checked without DOM types).
    await this.page.evaluate(`(() => {
      const el = document.querySelector(${selector});
      const data = new DataTransfer();
      data.setData('text/plain', ${JSON.stringify(text)});
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    })()`);
  }

  /** A column of values pasted into an item: that row and the editable rows below. */
  async pasteColumn(item: string, values: readonly string[], k = 0): Promise<void> {
    await this.paste(item, `${values.join('\n')}\n`, k);
  }

  /** Submits the entered results with the `authored` signature; returns how many were submitted as shown. */
  async submitWithSignature(password: string, comment?: string): Promise<string> {
    await expect(this.page.getByTestId('submit-results')).toBeEnabled();
    await this.page.getByTestId('submit-results').click();
    const dialog = this.page.getByTestId('signature-dialog');
    await expect(dialog).toBeVisible();
    if (comment) await dialog.getByTestId('signature-comment').fill(comment);
    await dialog.getByTestId('signature-password').fill(password);
    await dialog.getByTestId('signature-submit').click();
    await expect(this.page.getByTestId('submit-result')).toBeVisible();
    return (await this.page.getByTestId('submit-count').innerText()).trim();
  }

  /** Opens the result drawer of an item (click on its name). */
  async openDetail(item: string): Promise<Locator> {
    await this.page.getByTestId(`entry-item-${item}`).click();
    const detail = this.page.getByTestId('result-detail');
    await expect(detail).toBeVisible();
    return detail;
  }

  /** Attaches a file to the result open in the drawer; waits until it is listed. */
  async attach(file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    const detail = this.page.getByTestId('result-detail');
    await detail.locator('input[type="file"]').setInputFiles(file);
    await expect(detail.getByTestId('detail-attachment').filter({ hasText: file.name })).toBeVisible();
  }

  /** A correction of a submitted result: new values and the reason. */
  async correct(item: string, values: readonly string[], reason: string): Promise<void> {
    await this.page.getByTestId(`entry-correct-${item}`).click();
    const form = this.page.getByTestId('correct-form');
    for (const [k, v] of values.entries()) await form.getByTestId(`correct-input-${k}`).fill(v);
    await form.getByTestId('correct-reason').fill(reason);
    await form.getByTestId('correct-submit').click();
    await expect(form).toBeHidden();
  }
}
