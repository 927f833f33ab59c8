import { expect, type Locator, type Page } from '@playwright/test';

/** Environmental monitoring: alerts, one alert with its lots at risk and the signed hold, the heat map. */
export class EnvironmentPage {
  constructor(private readonly page: Page) {}

  private goHash(hash: string): Promise<unknown> {
    return this.page.goto(this.page.url().replace(/#.*$/, hash));
  }

  async openAlerts(): Promise<void> {
    await this.goHash('#/environment');
    await expect(this.page.getByTestId('env-alerts-page')).toBeVisible();
  }

  async openAlert(code: string): Promise<void> {
    await this.goHash(`#/environment/${encodeURIComponent(code)}`);
    await expect(this.page.getByTestId('env-alert-page')).toHaveAttribute('data-alert', code);
  }

  alertRow(code: string): Locator {
    return this.page.getByTestId(`env-alert-row-${code}`);
  }

  lotRow(lotCode: string): Locator {
    return this.page.getByTestId(`env-lot-${lotCode}`);
  }

  lotCheckbox(lotCode: string): Locator {
    return this.page.getByTestId(`env-lot-check-${lotCode}`);
  }

  /** "Hold selected lots": one signature (`held`) with the reason for every ticked lot. */
  async holdSelected(reason: string, password: string): Promise<void> {
    await this.page.getByTestId('env-hold-selected').click();
    const dialog = this.page.getByTestId('signature-dialog');
    await expect(dialog.getByTestId('signature-meaning')).toBeVisible();
    await dialog.getByTestId('signature-comment').fill(reason);
    await dialog.getByTestId('signature-password').fill(password);
    await dialog.getByTestId('signature-submit').click();
    await expect(dialog).toBeHidden();
  }

  async openHeatmap(): Promise<void> {
    await this.page.getByTestId('env-tab-heatmap').click();
    await expect(this.page.getByTestId('heatmap-table')).toBeVisible();
  }

  heatCell(siteCode: string, week: string): Locator {
    return this.page.getByTestId(`heatmap-cell-${siteCode}-${week}`);
  }
}
