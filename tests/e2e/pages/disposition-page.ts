import { expect, type Locator, type Page } from '@playwright/test';
import { PDF_TIMEOUT } from '../fixtures';

type Decision = 'release' | 'accept' | 'hold' | 'reject' | 'release_from_hold';

/** Lot disposition: the release queue (`#/release`) and a lot's decision page (`#/release/<code>`). */
export class DispositionPage {
  constructor(private readonly page: Page) {}

  /** From the QA manager's home card. */
  async openQueueFromHome(): Promise<void> {
    await this.page.getByTestId('nav-home').click();
    await this.page.getByTestId('card-release-open').click();
    await expect(this.page.getByTestId('release-queue')).toBeVisible();
  }

  homeCard(): Locator {
    return this.page.getByTestId('card-release');
  }

  row(lotCode: string): Locator {
    return this.page.getByTestId(`release-row-${lotCode}`);
  }

  async openFromQueue(lotCode: string): Promise<void> {
    await this.page.getByTestId(`release-open-${lotCode}`).click();
    await expect(this.page.getByTestId('decision-page')).toHaveAttribute('data-lot', lotCode);
  }

  /** From the lot page's "Release checklist / decision" link. */
  async openFromLotPage(lotCode: string): Promise<void> {
    await this.page.goto(this.page.url().replace(/#.*$/, `#/lots/${encodeURIComponent(lotCode)}`));
    await expect(this.page.getByTestId('lot-code')).toHaveText(lotCode);
    await this.page.getByTestId('lot-open-release').click();
    await expect(this.page.getByTestId('decision-page')).toHaveAttribute('data-lot', lotCode);
  }

  readiness(): Locator {
    return this.page.getByTestId('readiness');
  }

  line(key: string): Locator {
    return this.page.getByTestId(`line-${key}`);
  }

  /** The keys of the checklist lines that fail, in order. */
  async failingLines(): Promise<string[]> {
    const lines = this.readiness().locator('[data-testid^="line-"][data-ok]');
    const out: string[] = [];
    for (const l of await lines.all()) {
      if ((await l.getAttribute('data-ok')) === 'false')
        out.push(((await l.getAttribute('data-testid')) ?? '').replace(/^line-/, ''));
    }
    return out;
  }

  decisionButton(d: Decision): Locator {
    return this.page.getByTestId(`decide-${d}`);
  }

  auditPanel(): Locator {
    return this.page.getByTestId('audit-review');
  }

  /** Signs the lot's audit-trail review (`audit_reviewed`). */
  async signAuditReview(comment: string, password: string): Promise<void> {
    await this.auditPanel().getByTestId('audit-sign').click();
    await this.signDialog(comment, password);
  }

  async openDecision(d: Decision): Promise<Locator> {
    await this.decisionButton(d).click();
    const dialog = this.page.getByTestId('signature-dialog');
    await expect(dialog).toBeVisible();
    return dialog;
  }

  async closeDialog(): Promise<void> {
    await this.page.getByTestId('signature-cancel').click();
    await expect(this.page.getByTestId('signature-dialog')).toBeHidden();
  }

  /** Fills reason and password in the open signature dialog, signs, and waits for it to close. */
  async signDialog(reason: string, password: string): Promise<void> {
    const dialog = this.page.getByTestId('signature-dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByTestId('signature-comment').fill(reason);
    await dialog.getByTestId('signature-password').fill(password);
    await dialog.getByTestId('signature-submit').click();
    // Signing re-derives the password hash and signs a checkpoint: slow on a loaded machine (the default wait allows for it).
    await expect(dialog).toBeHidden();
  }

  async printCoa(locale: 'en' | 'zh-CN'): Promise<void> {
    const panel = this.page.getByTestId('coa-panel');
    await panel
      .getByTestId('coa-locale')
      .getByText(locale === 'en' ? 'English' : '中文', { exact: true })
      .click();
    await panel.getByTestId('coa-print').click();
    await expect(this.page.getByTestId('coa-view')).toHaveAttribute('data-locale', locale, { timeout: PDF_TIMEOUT });
  }

  /** Puts an element at the top of the view, below the app's fixed header. */
  async toTop(testId: string): Promise<void> {
    await this.page.getByTestId(testId).evaluate((el) => {
      el.scrollIntoView({ block: 'start' });
      (globalThis as unknown as { scrollBy: (x: number, y: number) => void }).scrollBy(0, -76);
    });
  }

  /** Puts an element at the bottom of the view (what is above it stays in view). */
  async toBottom(testId: string): Promise<void> {
    await this.page.getByTestId(testId).evaluate((el) => el.scrollIntoView({ block: 'end' }));
  }
}
