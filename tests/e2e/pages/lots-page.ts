import { expect, type Locator, type Page } from '@playwright/test';

/** Picks an option of a Mantine Select by the start of its label. */
export async function pick(page: Page, select: Locator, optionStart: string): Promise<void> {
  await select.click();
  await page
    .getByRole('option', { name: new RegExp(`^${optionStart.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) })
    .click();
}

/** The lots section: list, receiving forms, the lot page and its signed decisions. */
export class LotsPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-lots').click();
    await expect(this.page.getByTestId('lots-page')).toBeVisible();
  }

  async openLot(code: string): Promise<void> {
    await this.page.goto(this.page.url().replace(/#.*$/, `#/lots/${encodeURIComponent(code)}`));
    await expect(this.page.getByTestId('lot-code')).toHaveText(code);
  }

  lotCode(): Locator {
    return this.page.getByTestId('lot-code');
  }

  status(): Locator {
    return this.page.getByTestId('lot-page').getByTestId('lot-status').first();
  }

  async startDelivery(): Promise<void> {
    await this.open();
    await this.page.getByTestId('action-receiveDelivery').click();
    await expect(this.page.getByTestId('delivery-form')).toBeVisible();
  }

  async fillDelivery(d: {
    material: string;
    supplier: string;
    supplierLot: string;
    quantity: string;
    unit?: string;
    containers: string;
    temperature?: string;
    location?: string;
    coa?: { name: string; content: string };
  }): Promise<void> {
    const f = this.page.getByTestId('delivery-form');
    await pick(this.page, f.getByTestId('delivery-material'), d.material);
    await pick(this.page, f.getByTestId('delivery-supplier'), d.supplier);
    await f.getByTestId('delivery-supplier-lot').fill(d.supplierLot);
    await f.getByTestId('delivery-quantity').fill(d.quantity);
    await f.getByTestId('delivery-containers').fill(d.containers);
    if (d.temperature !== undefined) await f.getByTestId('delivery-temperature').fill(d.temperature);
    if (d.location) await f.getByTestId('delivery-location').fill(d.location);
    if (d.coa) {
      const [chooser] = await Promise.all([
        this.page.waitForEvent('filechooser'),
        f.getByTestId('delivery-coa').click(),
      ]);
      await chooser.setFiles({
        name: d.coa.name,
        mimeType: 'application/pdf',
        buffer: Buffer.from(d.coa.content),
      });
      await expect(f.getByText(d.coa.name).first()).toBeVisible();
    }
  }

  async submitDelivery(): Promise<void> {
    await this.page.getByTestId('delivery-submit').click();
  }

  /** Opens the decision, signs it with a reason, and waits for the dialog to close. */
  async openDecision(decision: 'accept' | 'release' | 'hold' | 'reject' | 'release_from_hold'): Promise<Locator> {
    await this.page.getByTestId(`decide-${decision}`).click();
    const dialog = this.page.getByTestId('signature-dialog');
    await expect(dialog).toBeVisible();
    return dialog;
  }

  async sign(dialog: Locator, reason: string, password: string): Promise<void> {
    await dialog.getByTestId('signature-comment').fill(reason);
    await dialog.getByTestId('signature-password').fill(password);
    await dialog.getByTestId('signature-submit').click();
    await expect(dialog).toBeHidden();
  }
}
