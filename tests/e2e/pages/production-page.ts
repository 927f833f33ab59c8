import { expect, type Locator, type Page } from '@playwright/test';
import { pick } from './lots-page';

/** Production batches, shipments and stock movements. */
export class ProductionPage {
  constructor(private readonly page: Page) {}

  async openBatches(): Promise<void> {
    await this.page.getByTestId('nav-lots').click();
    await this.page.getByTestId('action-batch').click();
    await expect(this.page.getByTestId('batch-start-form')).toBeVisible();
  }

  async startBatch(b: { line: string; product: string; outputLot: string }): Promise<Locator> {
    const f = this.page.getByTestId('batch-start-form');
    await f.getByTestId('batch-line').fill(b.line);
    await pick(this.page, f.getByTestId('batch-item'), b.product);
    await f.getByTestId('batch-output-lot').fill(b.outputLot);
    await f.getByTestId('batch-start-submit').click();
    const card = this.page.locator(`[data-output="${b.outputLot}"]`);
    await expect(card).toBeVisible();
    return card;
  }

  /** Scans a lot (Enter), types the quantity (Enter): the way a scanner and keypad are used. */
  async consume(card: Locator, lot: string, quantity: string): Promise<void> {
    const step = card.getByTestId('consume-step');
    await step.getByTestId('consume-lot').fill(lot);
    await step.getByTestId('consume-lot').press('Enter');
    await expect(step.getByTestId('consume-lot-info')).toContainText(lot);
    await step.getByTestId('consume-quantity').fill(quantity);
    await step.getByTestId('consume-quantity').press('Enter');
    await expect(card.getByTestId(`batch-input-${lot}`)).toBeVisible();
  }

  async finish(card: Locator, quantity: string): Promise<void> {
    await card.getByTestId('finish-quantity').fill(quantity);
    await card.getByTestId('finish-submit').click();
    await expect(this.page.getByTestId('lot-page')).toBeVisible();
  }

  async openShipment(): Promise<void> {
    await this.page.getByTestId('nav-lots').click();
    await this.page.getByTestId('action-shipment').click();
    await expect(this.page.getByTestId('shipment-form')).toBeVisible();
  }

  async ship(s: { code: string; customer: string; lot: string; quantity: string }): Promise<void> {
    const f = this.page.getByTestId('shipment-form');
    await f.getByTestId('shipment-code').fill(s.code);
    await pick(this.page, f.getByTestId('shipment-customer'), s.customer);
    await f.getByTestId('shipment-line-lot-0').fill(s.lot);
    await f.getByTestId('shipment-line-qty-0').fill(s.quantity);
    await f.getByTestId('shipment-submit').click();
    await expect(this.page.getByTestId('lot-page')).toBeVisible();
  }
}
