/**
 * A workstation joins the lab's site server from the screen (issue 23, D-107): the administrator
 * of an embedded workstation (its own database) opens Administration → 站点服务器, types the
 * address and the fingerprint IT gave (shown in groups to compare), signs with their account on
 * the server. A fingerprint that differs is refused with nothing written; the right one enrols
 * the workstation and says what happens next. After the restart the same workstation works on
 * the server; leaving asks for a confirmation that says what it means. Every wait is on the screen.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startSiteProcess, stopServe } from '../helpers/serve-process';
import { expect, shot, startHarness, stopHarness, test } from './fixtures';
import { ADMIN, openApp, seedPeople } from './helpers';
import { SignInPage } from './pages/sign-in-page';

/** Administration → Site server. */
async function openSiteTab(page: Page): Promise<void> {
  await page.getByTestId('nav-admin').click();
  await page.getByTestId('admin-tab-site').click();
}

test('an administrator joins this workstation to the site server from the screen, restarts onto it, and can leave it', async ({
  page,
  harness,
}) => {
  const site = await startSiteProcess(ADMIN);
  const siteJson = path.join(harness.dataDir, 'site.json');
  let onServer: Awaited<ReturnType<typeof startHarness>> | null = null;
  try {
    await seedPeople(harness.url, []);
    await openApp(page, harness.url, 'zh-CN');
    await new SignInPage(page).signInToApp(ADMIN.userId, ADMIN.password);
    await openSiteTab(page);
    await expect(page.getByTestId('site-embedded')).toContainText('本工作站使用本机数据库');

    // A fingerprint with one digit wrong: shown in groups to compare, then refused by the TLS pin.
    const fp = site.server.fingerprint;
    const wrong = fp.slice(0, 63) + (fp.endsWith('0') ? '1' : '0');
    await page.getByTestId('site-url').fill(site.server.url);
    await page.getByTestId('site-fingerprint').fill(wrong);
    await expect(page.getByTestId('site-fingerprint-groups')).toContainText(wrong.slice(0, 4).toUpperCase());
    await page.getByTestId('site-name').fill('BENCH-3');
    await page.getByTestId('site-password').fill(ADMIN.password);
    await page.getByTestId('site-join').click();
    await expect(page.getByTestId('site-error')).toContainText('证书指纹');
    expect(existsSync(siteJson)).toBe(false);
    await page.getByTestId('site-error').scrollIntoViewIfNeeded();
    await shot(page, 'site-join-wrong-fingerprint', 'zh-CN');

    // The fingerprint as IT printed it (with colons, upper case): the server enrols this workstation.
    await page.getByTestId('site-fingerprint').fill(fp.toUpperCase().match(/.{2}/g)!.join(':'));
    await page.getByTestId('site-password').fill(ADMIN.password);
    await page.getByTestId('site-join').click();
    const joined = page.getByTestId('site-joined');
    await expect(joined).toContainText('本工作站已加入站点服务器');
    await expect(joined).toContainText('harness@BENCH-3');
    await expect(joined).toContainText('重新启动');
    expect(existsSync(siteJson)).toBe(true);
    await shot(page, 'site-join-joined', 'zh-CN');

    // The restart: the same data folder, now a workstation of the server (no database opened here).
    await stopHarness(harness.process);
    onServer = await startHarness(harness.dataDir);
    await openApp(page, onServer.url, 'zh-CN');
    await new SignInPage(page).signInToApp(ADMIN.userId, ADMIN.password);
    const badge = page.getByTestId('site-badge');
    await expect(badge).toHaveAttribute('data-state', 'connected');
    await openSiteTab(page);
    await expect(page.getByTestId('site-card')).toContainText(site.server.url);
    await expect(page.getByTestId('site-pinned-fingerprint')).toContainText(fp.slice(60).toUpperCase());
    await shot(page, 'site-join-on-server', 'zh-CN');

    // Leaving: a confirmation that says what it means, then the next step.
    await page.getByTestId('site-leave').click();
    await expect(page.getByRole('dialog')).toContainText('服务器上的任何内容都不会被修改或删除');
    await shot(page, 'site-join-leave-confirm', 'zh-CN');
    await page.getByTestId('site-leave-confirm').click();
    await expect(page.getByTestId('site-left')).toContainText('重新启动');
    expect(existsSync(siteJson)).toBe(false);
  } finally {
    if (onServer) await stopHarness(onServer.process);
    await stopServe(site.server);
    rmSync(site.dir, { recursive: true, force: true });
  }
});
