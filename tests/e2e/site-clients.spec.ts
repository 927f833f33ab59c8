/**
 * Issue 23 §3 end to end: two browsers at two workstations (two harness processes, each with
 * its own data folder and its own enrolled host key) on one `lotseal serve` on loopback. The
 * technician enters a result and submits it in one browser; the reviewer's queue in the other
 * shows it without a reload. The header names the server; stopping the server turns the
 * reviewer's screen into the unreachable state (banner, buttons off), and it recovers on its
 * own when the server is back on its address. Every wait is on what a screen says.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServe, startSiteProcess, stopServe, type SiteProcess } from '../helpers/serve-process';
import { ContractClient } from './contract-client';
import { expect, shot, startHarness, stopHarness, test, type HarnessInfo } from './fixtures';
import { ADMIN, openApp } from './helpers';
import { ReviewPage } from './pages/review-page';
import { SignInPage } from './pages/sign-in-page';
import { TestingPage } from './pages/testing-page';
import * as plant from '../fixtures/plant';
import { E2E_PEOPLE, FILLER_SAMPLE, IF1_RELEASE_SPEC, PRODUCTS } from '../fixtures/plant';

const TECH = E2E_PEOPLE.tech;
const REVIEWER = E2E_PEOPLE.reviewer;
const QA = E2E_PEOPLE.qa;
const PROD = E2E_PEOPLE.prod;

/** The site's database (first administrator, the server's key enrolled) and `lotseal serve` on loopback. */
const startSite = (): Promise<SiteProcess> => startSiteProcess(ADMIN);

/** A workstation: a harness on the site server, its own data folder and host key, enrolled by the administrator. */
async function workstation(site: SiteProcess): Promise<HarnessInfo> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lotseal-e2e-ws-'));
  return startHarness(dataDir, [
    '--server',
    site.server.url,
    '--server-fingerprint',
    site.server.fingerprint,
    '--enrol-user',
    ADMIN.userId,
    '--enrol-password-file',
    site.pw,
  ]);
}

test('two workstations on one site server: a submitted result reaches the reviewer without reload; the server is named; its absence is said and ends by itself', async ({
  browser,
}) => {
  const site = await startSite();
  const benchWs = await workstation(site);
  const officeWs = await workstation(site);
  let server = site.server;
  try {
    // What the journey does not show on screen, through the contract at the bench's workstation.
    const host = ContractClient.host(benchWs.url);
    const admin = await plant.signIn(host, { ...ADMIN, roles: ['administrator'], newPassword: ADMIN.password });
    await plant.enrol(admin, [QA, TECH, REVIEWER, PROD]);
    admin.close();
    const qa = await plant.signIn(host, QA);
    const prod = await plant.signIn(host, PROD);
    const tech = await plant.signIn(host, TECH);
    await plant.signIn(ContractClient.host(officeWs.url), REVIEWER).then((r) => r.close());
    const productId = await plant.product(qa, PRODUCTS.if1);
    await plant.approveSpec(qa, { subjectId: productId, code: 'SPEC-IF1', doc: IF1_RELEASE_SPEC });
    const lot = (await plant.makeLot(prod, { line: 'L1', itemCode: 'IF-1' })).code;
    const sample = (await plant.releaseSample(tech, lot, FILLER_SAMPLE)).code;
    for (const m of [qa, prod, tech]) m.close();

    // Two browsers, two people: the technician at the bench (in Chinese), the reviewer in the office.
    const benchCtx = await browser.newContext();
    const officeCtx = await browser.newContext();
    const benchPage = await benchCtx.newPage();
    const officePage = await officeCtx.newPage();

    await openApp(officePage, officeWs.url, 'en');
    await new SignInPage(officePage).signInToApp(REVIEWER.userId, REVIEWER.newPassword);
    const badge = officePage.getByTestId('site-badge');
    await expect(badge).toHaveAttribute('data-state', 'connected');
    await expect(badge).toContainText(site.server.fingerprint.slice(0, 4).toUpperCase());
    const review = new ReviewPage(officePage);
    await review.openQueue();
    await expect(review.row(sample)).toHaveCount(0);
    await shot(officePage, 'site-server-indicator', 'en');

    await openApp(benchPage, benchWs.url, 'zh-CN');
    await new SignInPage(benchPage).signInToApp(TECH.userId, TECH.newPassword);
    await expect(benchPage.getByTestId('site-badge')).toHaveAttribute('data-state', 'connected');
    const testing = new TestingPage(benchPage);
    await testing.openSample(sample);
    await testing.enterValues('protein', ['11.83']);
    await testing.submitWithSignature(TECH.newPassword);
    await shot(benchPage, 'site-server-indicator', 'zh-CN');

    // The reviewer's queue, open all along, shows the submission: no reload, no click.
    await expect(review.row(sample)).toBeVisible();

    // The server stops: both screens say so, and say what still works.
    await stopServe(server);
    const banner = officePage.getByTestId('site-banner');
    await expect(banner).toBeVisible();
    await expect(officePage.getByTestId('site-badge')).toHaveAttribute('data-state', 'unreachable');
    await expect(officePage.getByTestId('review-open-' + sample)).toBeVisible();
    await shot(officePage, 'site-server-unreachable', 'en');
    await expect(benchPage.getByTestId('submit-results')).toBeDisabled();
    await benchPage.getByTestId('site-banner').scrollIntoViewIfNeeded();
    await expect(benchPage.getByTestId('site-banner')).toBeVisible();
    await shot(benchPage, 'site-server-unreachable', 'zh-CN');

    // Back on its address: the workstations reconnect by themselves; the banner goes.
    server = await startServe({
      dataDir: site.dir,
      db: site.db,
      port: site.server.port,
      env: { LOTSEAL_TEST_ONLY_CHEAP_KDF: '1' },
    });
    // The restarted server forgot the sessions: the reviewer is asked to sign in again, on the named server.
    await expect(officePage.getByTestId('site-badge')).toHaveAttribute('data-state', 'connected');
    await expect(banner).toHaveCount(0);
    await new SignInPage(officePage).signInToApp(REVIEWER.userId, REVIEWER.newPassword);
    await review.openQueue();
    await expect(review.row(sample)).toBeVisible();

    await benchCtx.close();
    await officeCtx.close();
  } finally {
    await stopHarness(benchWs.process);
    await stopHarness(officeWs.process);
    await stopServe(server);
    for (const d of [benchWs.dataDir, officeWs.dataDir, site.dir]) rmSync(d, { recursive: true, force: true });
  }
});
