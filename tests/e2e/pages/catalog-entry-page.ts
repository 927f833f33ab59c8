import { expect, type Page } from '@playwright/test';

/** Creates catalogue records through the Specifications section (materials, products, suppliers, customers). */
export class CatalogEntryPage {
  constructor(private readonly page: Page) {}

  async openTab(tab: 'products' | 'materials' | 'suppliers' | 'customers'): Promise<void> {
    await this.page.getByTestId('nav-specifications').click();
    await this.page.getByTestId(`catalog-tab-${tab}`).click();
    await expect(this.page.getByTestId(`catalog-list-${tab}`)).toBeVisible();
  }

  private async fill(field: string, value: string): Promise<void> {
    await this.page.getByTestId('catalog-form').getByTestId(`catalog-field-${field}`).fill(value);
  }

  private async choose(field: string, option: string): Promise<void> {
    await this.page.getByTestId('catalog-form').getByTestId(`catalog-field-${field}`).click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }

  private async submit(code: string): Promise<void> {
    await this.page.getByTestId('catalog-form-submit').click();
    await expect(this.page.getByTestId('catalog-form')).toBeHidden();
    await expect(this.page.getByTestId(`catalog-row-${code}`)).toBeVisible();
  }

  async createMaterial(m: { code: string; nameZh: string; nameEn: string }): Promise<void> {
    await this.openTab('materials');
    await this.page.getByTestId('catalog-new').click();
    await this.fill('code', m.code);
    await this.fill('nameZh', m.nameZh);
    await this.fill('nameEn', m.nameEn);
    await this.submit(m.code);
  }

  async createProduct(p: { code: string; nameZh: string; nameEn: string; stage?: string }): Promise<void> {
    await this.openTab('products');
    await this.page.getByTestId('catalog-new').click();
    await this.fill('code', p.code);
    await this.fill('nameZh', p.nameZh);
    await this.fill('nameEn', p.nameEn);
    if (p.stage) await this.choose('stage', p.stage);
    await this.submit(p.code);
  }

  async createApprovedSupplier(s: { code: string; name: string }): Promise<void> {
    await this.openTab('suppliers');
    await this.page.getByTestId('catalog-new').click();
    await this.fill('code', s.code);
    await this.fill('name', s.name);
    await this.choose('approvalStatus', 'Approved');
    await this.submit(s.code);
  }

  async createCustomer(c: { code: string; name: string; contact: string; phone: string }): Promise<void> {
    await this.openTab('customers');
    await this.page.getByTestId('catalog-new').click();
    await this.fill('code', c.code);
    await this.fill('name', c.name);
    await this.fill('contact', c.contact);
    await this.fill('phone', c.phone);
    await this.submit(c.code);
  }
}
