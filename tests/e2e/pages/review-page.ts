import { expect, type Locator, type Page } from '@playwright/test';

/** Opens a hash route of the app without reloading it (the session lives in the page). */
export async function goHash(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    (globalThis as unknown as { location: { hash: string } }).location.hash = h;
  }, hash);
}

/** Second-person review: the queue (`#/review`) and one sample's review (`#/review/<code>`). */
export class ReviewPage {
  constructor(private readonly page: Page) {}

  async openQueue(): Promise<void> {
    await goHash(this.page, '#/review');
    await expect(this.page.getByTestId('review-queue')).toBeVisible();
  }

  row(sampleCode: string): Locator {
    return this.page.getByTestId(`review-row-${sampleCode}`);
  }

  /** From the queue, like a reviewer would. */
  async openSample(sampleCode: string): Promise<void> {
    await this.page.getByTestId(`review-open-${sampleCode}`).click();
    await expect(this.page.getByTestId('review-sample')).toHaveAttribute('data-sample', sampleCode);
  }

  async openSampleDirect(sampleCode: string): Promise<void> {
    await goHash(this.page, `#/review/${encodeURIComponent(sampleCode)}`);
    await expect(this.page.getByTestId('review-sample')).toHaveAttribute('data-sample', sampleCode);
  }

  result(itemCode: string): Locator {
    return this.page.getByTestId(`review-result-${itemCode}`);
  }

  /** Opens the inline audit trail of one result and returns it once loaded. */
  async openTrail(itemCode: string): Promise<Locator> {
    await this.page.getByTestId(`review-trail-toggle-${itemCode}`).click();
    const trail = this.page.getByTestId(`review-trail-${itemCode}`);
    await expect(trail.getByTestId('trail-history')).toBeVisible();
    return trail;
  }

  async setSelected(itemCode: string, selected: boolean): Promise<void> {
    const box = this.page.getByTestId(`review-select-${itemCode}`);
    if ((await box.isChecked()) !== selected) await box.click();
    await expect(box).toBeChecked({ checked: selected });
  }

  /** Approves the selected results, signing `reviewed` with the password. */
  async approve(password: string, comment?: string): Promise<void> {
    await this.page.getByTestId('review-approve').click();
    await this.sign(password, comment);
  }

  /** Returns the selected results to the analyst with a reason (signed). */
  async returnSelected(reason: string, password: string): Promise<void> {
    await this.page.getByTestId('review-return').click();
    await this.sign(password, reason);
  }

  private async sign(password: string, comment?: string): Promise<void> {
    const dialog = this.page.getByTestId('signature-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('signature-meaning')).toContainText(/Reviewed|复核/);
    if (comment) await dialog.getByTestId('signature-comment').fill(comment);
    await dialog.getByTestId('signature-password').fill(password);
    await dialog.getByTestId('signature-submit').click();
    await expect(dialog).toBeHidden();
  }
}
