import { expect, type Locator, type Page } from '@playwright/test';
import { pick } from './lots-page';
import { goHash } from './review-page';

/** Control charts: `#/trends?product&item&highlight`. */
export class TrendsPage {
  constructor(private readonly page: Page) {}

  /** Straight to a chart (as a link from a result does). */
  async open(product: string, item: string, highlight?: string): Promise<void> {
    const q = new URLSearchParams({ product, item, ...(highlight ? { highlight } : {}) });
    await goHash(this.page, `#/trends?${q.toString()}`);
    await expect(this.chart()).toBeVisible();
  }

  /** Through the pickers, as a person choosing a product and a test item. */
  async choose(productLabelStart: string, itemLabelStart: string): Promise<void> {
    await goHash(this.page, '#/trends');
    await expect(this.page.getByTestId('trends-page')).toBeVisible();
    await pick(this.page, this.page.getByTestId('trend-product'), productLabelStart);
    await pick(this.page, this.page.getByTestId('trend-item'), itemLabelStart);
    await expect(this.chart()).toBeVisible();
  }

  chart(): Locator {
    return this.page.getByTestId('trend-chart');
  }

  highlightPoint(): Locator {
    return this.chart().getByTestId('trend-highlight-point');
  }

  row(lotCode: string): Locator {
    return this.page.getByTestId(`trend-row-${lotCode}`);
  }
}
