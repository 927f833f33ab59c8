import { expect, type Page } from '@playwright/test';

export interface ProductInput {
  code: string;
  nameZh: string;
  nameEn: string;
  registrationNo: string;
  shelfLifeDays: number;
  packSizes: string[];
}

/** Specifications section: the catalogue tabs, a product's page and "Create specification". */
export class CatalogPage {
  constructor(private readonly page: Page) {}

  async open(tab: 'products' | 'materials' | 'suppliers' | 'customers' | 'methods' | 'specs' = 'products') {
    await this.page.getByTestId('nav-specifications').click();
    await this.page.getByTestId(`catalog-tab-${tab}`).click();
    await expect(this.page.getByTestId(tab === 'specs' ? 'spec-list' : `catalog-list-${tab}`)).toBeVisible();
  }

  row(code: string) {
    return this.page.getByTestId(`catalog-row-${code}`);
  }

  /** New product with the default stage (infant formula 0–6 months) and protein base (cow milk). */
  async createProduct(p: ProductInput): Promise<void> {
    await this.page.getByTestId('catalog-new').click();
    const form = this.page.getByTestId('catalog-form');
    await form.getByTestId('catalog-field-code').fill(p.code);
    await form.getByTestId('catalog-field-nameZh').fill(p.nameZh);
    await form.getByTestId('catalog-field-nameEn').fill(p.nameEn);
    await form.getByTestId('catalog-field-registrationNo').fill(p.registrationNo);
    await form.getByTestId('catalog-field-shelfLifeDays').fill(String(p.shelfLifeDays));
    const tags = form.getByTestId('catalog-field-packSizes');
    for (const size of p.packSizes) {
      await tags.fill(size);
      await tags.press('Enter');
    }
    await form.getByTestId('catalog-form-submit').click();
    await expect(form).toBeHidden();
    await expect(this.row(p.code)).toBeVisible();
  }

  async openProduct(code: string): Promise<void> {
    await this.page.getByTestId(`catalog-open-${code}`).click();
    await expect(this.page.getByTestId('subject-page')).toBeVisible();
  }

  /** From the product page: a draft from a spec pack; ends in the specification editor. */
  async createSpecFromPack(packId: string, code: string): Promise<void> {
    await this.page.getByTestId('create-spec').click();
    const form = this.page.getByTestId('create-spec-form');
    await form.getByTestId('create-spec-code').fill(code);
    await form.getByTestId(`pack-${packId}`).click();
    await form.getByTestId('create-spec-submit').click();
    await expect(this.page.getByTestId('spec-editor')).toBeVisible();
  }
}
