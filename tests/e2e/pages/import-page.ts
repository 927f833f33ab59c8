import { expect, type Page } from '@playwright/test';

export type ImportKind = 'suppliers' | 'customers' | 'lots' | 'consumption' | 'shipments' | 'stock';

/** ERP import: file pickers, preview, error table, import. */
export class ImportPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-lots').click();
    await this.page.getByTestId('action-import').click();
    await expect(this.page.getByTestId('import-page')).toBeVisible();
  }

  async choose(kind: ImportKind, content: string): Promise<void> {
    const [chooser] = await Promise.all([
      this.page.waitForEvent('filechooser'),
      this.page.getByTestId(`import-file-${kind}`).click(),
    ]);
    await chooser.setFiles({ name: `${kind}.csv`, mimeType: 'text/csv', buffer: Buffer.from(content, 'utf8') });
    await expect(this.page.getByTestId(`import-file-${kind}-info`)).toContainText(`${kind}.csv`);
  }

  async validate(): Promise<void> {
    await this.page.getByTestId('import-validate').click();
    await expect(this.page.getByTestId('import-preview').or(this.page.getByTestId('import-error'))).toBeVisible();
  }
}
