import { expect, type Page } from '@playwright/test';

/** The journeys' first administrator's password (tests/e2e/helpers.ts ADMIN). */
const ADMIN_PASSWORD = 'Admin-pass-2024!';

export class AccountsPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-admin').click();
    await this.page.getByTestId('admin-tab-accounts').click();
    await expect(this.page.getByTestId('users-create')).toBeVisible();
  }

  row(userId: string) {
    return this.page.getByTestId(`user-row-${userId}`);
  }

  /**
   * Creates an account; the signed-in administrator signs it `enrolled` with their own
   * password (`adminPassword`, default: the journeys' first administrator).
   */
  async createUser(
    u: { userId: string; printedName: string; roles: string[]; password: string },
    adminPassword: string = ADMIN_PASSWORD,
  ): Promise<void> {
    await this.page.getByTestId('users-create').click();
    await this.page.getByTestId('user-form-id').fill(u.userId);
    await this.page.getByTestId('user-form-name').fill(u.printedName);
    for (const r of u.roles) await this.page.getByTestId(`role-${r}`).check();
    await this.page.getByTestId('user-form-password').fill(u.password);
    await this.page.getByTestId('user-form-signature').fill(adminPassword);
    await this.page.getByTestId('user-form-submit').click();
    await expect(this.page.getByTestId('user-form-submit')).toBeHidden();
    await expect(this.row(u.userId)).toBeVisible();
  }

  async editRoles(
    userId: string,
    add: string[],
    remove: string[],
    reason: string,
    adminPassword: string = ADMIN_PASSWORD,
  ): Promise<void> {
    await this.page.getByTestId(`user-edit-${userId}`).click();
    for (const r of add) await this.page.getByTestId(`role-${r}`).check();
    for (const r of remove) await this.page.getByTestId(`role-${r}`).uncheck();
    await this.page.getByTestId('user-form-reason').fill(reason);
    await this.page.getByTestId('user-form-signature').fill(adminPassword);
    await this.page.getByTestId('user-form-submit').click();
    await expect(this.page.getByTestId('user-form-submit')).toBeHidden();
  }
}
