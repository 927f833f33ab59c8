import { expect, type Locator, type Page } from '@playwright/test';
import { dismissNotifications } from '../helpers';

/** The instruments section: the list with live status, one instrument's tabs, and capture in the entry grid. */
export class InstrumentsPage {
  constructor(private readonly page: Page) {}

  async openList(): Promise<void> {
    await this.page.getByTestId('nav-instruments').click();
    await expect(this.page.getByTestId('instruments-page')).toBeVisible();
  }

  row(code: string): Locator {
    return this.page.getByTestId(`instrument-row-${code}`);
  }

  /** Connection state badge in the list (data-state: connected | connecting | error | disconnected). */
  listState(code: string): Locator {
    return this.page.getByTestId(`instrument-state-${code}`);
  }

  listLock(code: string): Locator {
    return this.page.getByTestId(`instrument-lock-${code}`);
  }

  async open(code: string): Promise<void> {
    await this.page.getByTestId(`instrument-link-${code}`).click();
    await expect(this.page.getByTestId('instrument-page')).toHaveAttribute('data-instrument', code);
  }

  async tab(which: 'settings' | 'calibration' | 'captures' | 'terminal' | 'print'): Promise<void> {
    await this.page.getByTestId(`instrument-tab-${which}`).click();
    await expect(this.page.getByTestId(`instrument-tab-${which}`)).toHaveAttribute('aria-selected', 'true');
  }

  state(): Locator {
    return this.page.getByTestId('instrument-page').getByTestId('instrument-state').first();
  }

  lock(): Locator {
    return this.page.getByTestId('instrument-page').getByTestId('instrument-lock').first();
  }

  async connect(code: string): Promise<void> {
    await this.page.getByTestId(`instrument-connect-${code}`).click();
    await expect(this.state()).toHaveAttribute('data-state', 'connected');
  }

  /**
   * The daily check against the instrument's plan: each of its `points` standards read through
   * the instrument; waits for every point's verdict, saves, and returns whether the check
   * passed as shown.
   */
  async dailyCheck(points: number): Promise<boolean> {
    const check = this.page.getByTestId('daily-check');
    for (let k = 0; k < points; k++) {
      await check.getByTestId(`check-read-${k}`).click();
      await expect(check.getByTestId(`check-verdict-${k}`)).toBeVisible();
    }
    await check.getByTestId('check-save').click();
    const saved = check.getByTestId('check-saved');
    await expect(saved).toBeVisible();
    return (await saved.getAttribute('data-passed')) === 'true';
  }

  checkReading(k = 0): Locator {
    return this.page.getByTestId(`check-reading-${k}`);
  }

  checkVerdict(k = 0): Locator {
    return this.page.getByTestId(`check-verdict-${k}`);
  }

  terminalLines(dir?: 'rx' | 'tx'): Locator {
    return this.page.getByTestId('terminal-lines').locator(dir ? `[data-testid="terminal-line-${dir}"]` : 'div[title]');
  }

  async command(which: 'zero' | 'tare' | 'serial'): Promise<Locator> {
    await this.page.getByTestId(`terminal-${which}`).click();
    const answer = this.page.getByTestId('terminal-answer');
    await expect(answer).toBeVisible();
    return answer;
  }

  async sendLine(text: string): Promise<void> {
    await this.page.getByTestId('terminal-input').fill(text);
    await this.page.getByTestId('terminal-send').click();
    await expect(this.page.getByTestId('terminal-input')).toHaveValue('');
  }

  captureRows(): Locator {
    return this.page.getByTestId('captures-table').getByTestId('capture-row');
  }

  // ---- registry (administrators) and the print-format tester ----------------------------

  /** Fills the registry form (new instrument); selects take their visible labels. */
  async fillRegistry(f: { code: string; name: string; kind: string; portPath: string; driver: string }): Promise<void> {
    await expect(this.page.getByTestId('instrument-settings')).toBeVisible();
    await this.page.getByTestId('instrument-field-code').fill(f.code);
    await this.page.getByTestId('instrument-field-name').fill(f.name);
    await this.choose('instrument-field-kind', f.kind);
    await this.page.getByTestId('instrument-field-portPath').fill(f.portPath);
    await this.choose('instrument-field-driver', f.driver);
  }

  private async choose(testId: string, label: string): Promise<void> {
    await this.page.getByTestId(testId).click();
    await this.page.getByRole('option', { name: label, exact: true }).click();
    await expect(this.page.getByTestId(testId)).toHaveValue(label);
  }

  /** "Find port": a list of ports, none, or the OS's reason it cannot list them. */
  async findPort(): Promise<void> {
    await this.page.getByTestId('instrument-find-port').click();
    await expect(
      this.page
        .getByTestId('instrument-ports')
        .or(this.page.getByTestId('instrument-ports-none'))
        .or(this.page.getByTestId('instrument-ports-error')),
    ).toBeVisible();
  }

  async printConfig(c: {
    recordStart: string;
    recordEnd: string;
    fields: Array<{ analyte: string; pattern: string; unit: string }>;
  }): Promise<void> {
    await this.page.getByTestId('print-record-start').fill(c.recordStart);
    await this.page.getByTestId('print-record-end').fill(c.recordEnd);
    for (const [k, f] of c.fields.entries()) {
      if (k > 0) await this.page.getByTestId('print-add-field').click();
      await this.page.getByTestId(`print-field-analyte-${k}`).fill(f.analyte);
      await this.page.getByTestId(`print-field-pattern-${k}`).fill(f.pattern);
      await this.page.getByTestId(`print-field-unit-${k}`).fill(f.unit);
    }
  }

  async saveRegistry(): Promise<void> {
    await this.page.getByTestId('instrument-save').click();
  }

  /** Pastes a printout into the tester and runs it; returns the result panel. */
  async testPrintout(text: string): Promise<Locator> {
    await this.page.getByTestId('print-text').fill(text);
    await this.page.getByTestId('print-test').click();
    const out = this.page.getByTestId('print-result');
    await expect(out).toBeVisible();
    return out;
  }

  // ---- capture in the entry grid --------------------------------------------------------

  captureButton(item: string, k = 0): Locator {
    return this.page.getByTestId(`entry-row-${item}`).getByTestId(`capture-button-${k}`);
  }

  /** Requests a reading into replicate k through the capture button's picker. */
  async captureInto(item: string, k = 0, instrumentCode?: string): Promise<void> {
    const popover = this.page.getByTestId('capture-popover');
    // A picker left open (a refusal shown) or still closing from the previous capture would
    // vanish under the click: close it and wait until it is gone, then open a fresh one.
    await expect(async () => {
      if (await popover.isVisible()) await this.captureButton(item, k).click();
      await expect(popover).toBeHidden({ timeout: 2_000 });
    }).toPass();
    await this.captureButton(item, k).click();
    await expect(popover).toBeVisible();
    if (instrumentCode)
      await expect(popover.getByTestId('capture-instrument')).toHaveValue(new RegExp(`^${instrumentCode}`));
    await popover.getByTestId('capture-request').click();
    await expect(popover).toBeHidden();
    await expect(this.captureButton(item, k)).toHaveAttribute('data-captured', 'used');
  }

  /** The reading the print key sent, offered while the replicate's input has the focus. */
  async useOfferedReading(text: string | RegExp): Promise<void> {
    const offer = this.page.getByTestId('capture-use-reading');
    await expect(offer).toBeVisible();
    await expect(offer).toHaveText(text);
    await offer.click();
    await expect(this.page.getByTestId('capture-popover')).toBeHidden();
  }

  /** Opens the capture picker and requests a reading that the server refuses; returns the refusal shown (in red). */
  async captureRefused(item: string, k = 0): Promise<Locator> {
    const popover = this.page.getByTestId('capture-popover');
    await expect(popover).toBeHidden();
    await this.captureButton(item, k).click();
    await expect(popover).toBeVisible();
    await popover.getByTestId('capture-request').click();
    const refusal = popover.getByTestId('capture-refusal');
    await expect(refusal).toBeVisible();
    return refusal;
  }

  /** Closes the toasts (they would cover the top of a screenshot). */
  async dismissNotifications(): Promise<void> {
    await dismissNotifications(this.page);
  }

  /** Puts an element at the top of the view, below the app's fixed header. */
  async showFromTop(testId: string): Promise<void> {
    await this.page.getByTestId(testId).evaluate((el) => {
      (el as unknown as { scrollIntoView(o: object): void }).scrollIntoView({ block: 'start' });
      (globalThis as unknown as { scrollBy(x: number, y: number): void }).scrollBy(0, -76);
    });
  }

  /** Scrolls the page to the top (a screenshot shows the instrument's header). */
  async toTop(): Promise<void> {
    await this.page.evaluate('window.scrollTo(0, 0)');
  }

  /** Confirms typing over a captured value with a reason. */
  async typedOverReason(reason: string): Promise<void> {
    const dialog = this.page.getByRole('dialog');
    await expect(this.page.getByTestId('typed-over-reason')).toBeVisible();
    await this.page.getByTestId('typed-over-reason').fill(reason);
    await dialog.getByTestId('typed-over-submit').click();
    await expect(this.page.getByTestId('typed-over-reason')).toBeHidden();
  }

  /** The record capture of a printing instrument on a sample's screen (intake panel or entry page). */
  recordCapture(): Locator {
    return this.page.getByTestId('record-capture');
  }

  /** Waits for the record the instrument printed to be offered, and fills the results it names. */
  async useRecord(count: number): Promise<void> {
    const offer = this.page.getByTestId('record-offer');
    await expect(offer).toBeVisible();
    const use = this.page.getByTestId('record-use');
    await expect(use).toHaveText(new RegExp(`\\b${count}\\b`));
    await use.click();
    await expect(this.page.getByTestId('record-done')).toBeVisible();
  }
}
