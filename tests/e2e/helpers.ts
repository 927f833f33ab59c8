import { expect, type Page } from '@playwright/test';
import * as plant from '../fixtures/plant';
import { E2E_ADMIN, type Person } from '../fixtures/plant/people';
import { ContractClient } from './contract-client';

/** The first administrator of every journey (tests/fixtures/plant). */
export const ADMIN = E2E_ADMIN;

/** Opens the harness link and makes sure the language is known before anything is asserted. */
export async function openApp(page: Page, url: string, lang: 'en' | 'zh-CN' = 'en'): Promise<void> {
  // Only the first visit: later a person's own choice (the language switch) must survive reloads.
  const l = JSON.stringify(lang);
  await page.addInitScript(
    `if (!localStorage.getItem('lotseal.locale')) localStorage.setItem('lotseal.locale', ${l});`,
  );
  await page.goto(url);
}

/**
 * The first administrator and `people`, each with their first password already replaced, made
 * through the contract as on other workstations: for journeys that are not about accounts
 * (the first-run set-up is shell.spec.ts's journey; creating accounts on screen, the forced
 * password change and the first sign-in are identity.spec.ts's). They then sign in on the screen with `newPassword`
 * (the administrator with `ADMIN.password`).
 */
export async function seedPeople(url: string, people: readonly Person[]): Promise<void> {
  const host = ContractClient.host(url);
  const admin = await plant.firstRun(host, ADMIN);
  if (people.length > 0) await plant.enrol(admin, people);
  admin.close();
  for (const p of people) (await plant.signIn(host, p)).close();
}

/**
 * Closes the toasts. They sit top right, over the header and over a screen's own top-right
 * actions (a specification's Approve), and a toast under the resting pointer never closes by
 * itself (Mantine pauses every toast while one is hovered): a click there would wait forever.
 * A toast may close by itself between counting and clicking, so a click may miss; the last
 * line is the wait.
 */
export async function dismissNotifications(page: Page): Promise<void> {
  const close = page.locator('.mantine-Notification-root button');
  for (let i = 0; i < 6 && (await close.count()) > 0; i++)
    await close
      .first()
      .click({ timeout: 1000 })
      .catch(() => undefined);
  await expect(page.locator('.mantine-Notification-root')).toHaveCount(0);
}
