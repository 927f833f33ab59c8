import { expect, type Locator, type Page } from '@playwright/test';
import { goHash } from './review-page';

export type OosCheck = 'calculation' | 'instrument' | 'method' | 'standards' | 'preparation';
export const OOS_CHECKS: readonly OosCheck[] = ['calculation', 'instrument', 'method', 'standards', 'preparation'];

/** OOS investigations: the list (`#/oos`) and one investigation (`#/oos/<code>`). */
export class OosPage {
  constructor(private readonly page: Page) {}

  async openList(status?: string): Promise<void> {
    await goHash(this.page, status ? `#/oos?status=${status}` : '#/oos');
    await expect(this.page.getByTestId('oos-list')).toBeVisible();
  }

  row(code: string): Locator {
    return this.page.getByTestId(`oos-row-${code}`);
  }

  async open(code: string): Promise<void> {
    await goHash(this.page, `#/oos/${encodeURIComponent(code)}`);
    await expect(this.page.getByTestId('oos-page')).toHaveAttribute('data-oos', code);
  }

  status(): Locator {
    return this.page.getByTestId('oos-page');
  }

  /** Answers the Phase I checklist (every check OK unless given) and the summary. */
  async fillPhase1(
    summary: string,
    answers: Partial<Record<OosCheck, { ok: boolean; note: string }>> = {},
  ): Promise<void> {
    const form = this.page.getByTestId('oos-phase1-form');
    for (const c of OOS_CHECKS) {
      const a = answers[c] ?? { ok: true, note: `Checked ${c}: as recorded.` };
      const check = form.getByTestId(`oos-check-${c}`);
      await check
        .getByTestId(`oos-check-${c}-answer`)
        .getByText(a.ok ? /^(OK|正常)$/ : /^(Not OK|异常)$/)
        .click();
      await check.getByTestId(`oos-check-${c}-note`).fill(a.note);
    }
    await form.getByTestId('oos-summary').fill(summary);
  }

  async signPhase1(password: string): Promise<void> {
    await this.page.getByTestId('oos-phase1-sign').click();
    await this.sign(password, /Authored|编制/);
    await expect(this.page.getByTestId('oos-phase1-view')).toBeVisible();
  }

  /** The QA manager's conclusion, signed `oos_concluded`. */
  async conclude(
    outcome: 'assignable_cause' | 'no_assignable_cause',
    conclusion: string,
    password: string,
  ): Promise<void> {
    const form = this.page.getByTestId('oos-conclusion-form');
    await form.getByTestId(`oos-outcome-${outcome}`).click();
    await form.getByTestId('oos-conclusion').fill(conclusion);
    await form.getByTestId('oos-conclude-sign').click();
    await this.sign(password, /OOS/);
    await expect(this.page.getByTestId('oos-conclusion-view')).toBeVisible();
  }

  private async sign(password: string, meaning: RegExp): Promise<void> {
    const dialog = this.page.getByTestId('signature-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('signature-meaning')).toContainText(meaning);
    await dialog.getByTestId('signature-password').fill(password);
    await dialog.getByTestId('signature-submit').click();
    await expect(dialog).toBeHidden();
  }
}
