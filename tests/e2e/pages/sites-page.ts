import { expect, type Page } from '@playwright/test';
import { pick } from './lots-page';

/** Sampling sites: zones, schedules, swabs due. */
export class SitesPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-samples').click();
    await this.page.getByTestId('samples-tab-sites').click();
    await expect(this.page.getByTestId('sites-page')).toBeVisible();
  }

  async create(s: {
    code: string;
    zone: 1 | 2 | 3 | 4;
    nameZh: string;
    nameEn: string;
    line?: string;
    room?: string;
  }): Promise<void> {
    await this.page.getByTestId('site-new').click();
    const f = this.page.getByTestId('site-form');
    await f.getByTestId('site-code').fill(s.code);
    await pick(this.page, f.getByTestId('site-zone'), String(s.zone));
    await f.getByTestId('site-name-zh').fill(s.nameZh);
    await f.getByTestId('site-name-en').fill(s.nameEn);
    if (s.line) await f.getByTestId('site-line').fill(s.line);
    if (s.room) await f.getByTestId('site-room').fill(s.room);
    await f.getByTestId('site-submit').click();
    await expect(f).toBeHidden();
    await expect(this.page.getByTestId(`sites-zone-${s.zone}`).getByTestId(`site-row-${s.code}`)).toBeVisible();
  }

  /** Adds a schedule due today with the given targets. */
  async schedule(code: string, frequencyDays: string, targets: string[]): Promise<void> {
    await this.page.getByTestId(`site-schedule-${code}`).click();
    const f = this.page.getByTestId('schedule-form');
    await f.getByTestId('schedule-frequency').fill(frequencyDays);
    const tags = f.getByTestId('schedule-targets');
    // Replace the suggested target with the given ones.
    await tags.press('Backspace');
    for (const t of targets) {
      await tags.fill(t);
      await tags.press('Enter');
    }
    await f.getByTestId('schedule-submit').click();
    await expect(f).toBeHidden();
  }
}
