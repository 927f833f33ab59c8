/**
 * What the app costs while nobody touches it (run by hand, not by `npm test` or `npm run bench`):
 *
 *   npm run build && node --import tsx bench/renderer-idle.ts [--seconds 60] [--lots 40]
 *
 * Starts a browser harness with its own temporary data folder (test-only scrypt cost, D-066),
 * seeds a plant through the contract (tests/fixtures/plant: accounts, catalogue, `--lots`
 * received ingredient lots), signs in on the screen in Debian's Chromium with the e2e flags
 * (playwright.config.ts), then leaves each screen alone for `--seconds` and prints ONE JSON
 * object: per screen and per idle minute, the CPU-seconds of the page renderer (Chrome's own
 * Performance metrics: task, script, style, layout), of every Chromium process (SystemInfo) and
 * of the harness (/proc), React commits (counted through the devtools hook) and WebSocket
 * frames. CPU, not wall time: the machine is shared.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { CDPSession, Page } from '@playwright/test';
import * as plant from '../tests/fixtures/plant';
import { E2E_PEOPLE, MATERIALS, PRODUCTS, SUPPLIERS } from '../tests/fixtures/plant';
import { ContractClient } from '../tests/e2e/contract-client';
import { arg, launchChromium, log, round, startHarness } from './browser-kit';

const SECONDS = arg('seconds', 60);
const LOTS = arg('lots', 40);

/** CPU ms (user + system) of one process, from /proc. */
function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

/** The devtools hook React reports every commit to (production builds too); counts them. */
const COMMIT_COUNTER = `
  window.__lotsealCommits = 0;
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    renderers: new Map(), supportsFiber: true, isDisabled: false, checkDCE() {},
    inject() { return 1; }, onScheduleFiberRoot() {}, onCommitFiberUnmount() {}, onPostCommitFiberRoot() {},
    onCommitFiberRoot() { window.__lotsealCommits++; },
  };`;

interface Snapshot {
  metrics: Record<string, number>;
  chromiumCpuS: number;
  rendererCpuS: number;
  harnessMs: number;
  commits: number;
  frames: number;
}

async function snapshot(
  page: Page,
  cdp: CDPSession,
  browserCdp: CDPSession,
  harness: ChildProcess,
  frames: { n: number },
): Promise<Snapshot> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const info = (await browserCdp.send('SystemInfo.getProcessInfo')) as {
    processInfo: { type: string; id: number; cpuTime: number }[];
  };
  return {
    metrics: Object.fromEntries(metrics.map((m) => [m.name, m.value])),
    chromiumCpuS: info.processInfo.reduce((s, p) => s + p.cpuTime, 0),
    rendererCpuS: info.processInfo.filter((p) => p.type === 'renderer').reduce((s, p) => s + p.cpuTime, 0),
    harnessMs: procCpuMs(harness.pid ?? 0),
    commits: (await page.evaluate('window.__lotsealCommits')) as number,
    frames: frames.n,
  };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lotseal-idle-'));
  const { url, child } = await startHarness(dataDir);
  const browser = await launchChromium();
  try {
    log('seeding');
    const host = ContractClient.host(url);
    const admin = await plant.firstRun(host, plant.E2E_ADMIN);
    await plant.enrol(admin, [E2E_PEOPLE.qa, E2E_PEOPLE.prod]);
    admin.close();
    const qa = await plant.signIn(host, E2E_PEOPLE.qa);
    const prod = await plant.signIn(host, E2E_PEOPLE.prod);
    await plant.material(qa, MATERIALS.wpc80);
    await plant.product(qa, { ...PRODUCTS.if1, stage: 'other_dairy' });
    await plant.supplier(qa, SUPPLIERS.whey);
    for (let i = 0; i < LOTS; i++) await plant.receive(prod, { supplierLot: `IDLE-${i}` });
    prod.close();

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });
    await context.addInitScript(COMMIT_COUNTER);
    await context.addInitScript(
      `if (!localStorage.getItem('lotseal.locale')) localStorage.setItem('lotseal.locale', 'en');`,
    );
    const page = await context.newPage();
    const frames = { n: 0 };
    /** Calls the page made and events it received while idle, by name. */
    const calls = new Map<string, number>();
    let measuring = false;
    page.on('websocket', (ws) => {
      ws.on('framesent', (f) => {
        frames.n++;
        const m = /"channel":"([^"]+)"/.exec(String(f.payload));
        if (m?.[1] && measuring) calls.set(m[1], (calls.get(m[1]) ?? 0) + 1);
      });
      ws.on('framereceived', (f) => {
        frames.n++;
        const m = /"t":"event","name":"([^"]+)"/.exec(String(f.payload));
        if (m?.[1] && measuring) calls.set(`event ${m[1]}`, (calls.get(`event ${m[1]}`) ?? 0) + 1);
      });
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const browserCdp = await browser.newBrowserCDPSession();

    await page.goto(url);
    await page.locator('[data-app-state="ready"][data-screen="signin"]').waitFor();
    await page.getByTestId('signin-user').fill(E2E_PEOPLE.qa.userId);
    await page.getByTestId('signin-password').fill(E2E_PEOPLE.qa.newPassword);
    await page.getByTestId('signin-submit').click();
    await page.locator('[data-app-state="ready"][data-screen="app"]').waitFor();

    const screens: { name: string; open: () => Promise<void> }[] = [
      { name: 'home', open: async () => undefined },
      {
        name: 'lots',
        open: async () => {
          await page.getByTestId('nav-lots').click();
          await page.getByTestId('lots-page').waitFor();
          await page
            .getByTestId('lots-page')
            .locator('tbody tr')
            .nth(Math.min(LOTS, 10) - 1)
            .waitFor();
        },
      },
      {
        // Home again, long after sign-in: the first minute on home also holds the work that follows
        // signing in (the harness's first scheduled verification, late layout, garbage collection).
        name: 'home again',
        open: async () => {
          await page.getByTestId('nav-home').click();
          await page.getByTestId('home').waitFor();
        },
      },
    ];
    const result: Record<string, Record<string, number>> = {};
    const callsBy: Record<string, Record<string, number>> = {};
    for (const s of screens) {
      await s.open();
      // Let the screen's own first fetches and renders finish: this measures the idle after them.
      await page.waitForTimeout(3_000);
      const a = await snapshot(page, cdp, browserCdp, child, frames);
      log(`idle on ${s.name} for ${SECONDS} s`);
      calls.clear();
      measuring = true;
      await page.waitForTimeout(SECONDS * 1000);
      const b = await snapshot(page, cdp, browserCdp, child, frames);
      measuring = false;
      callsBy[s.name] = Object.fromEntries(calls);
      const perMin = 60 / SECONDS;
      const d = (k: string): number => round(((b.metrics[k] ?? 0) - (a.metrics[k] ?? 0)) * perMin);
      result[s.name] = {
        rendererTaskS: d('TaskDuration'),
        rendererScriptS: d('ScriptDuration'),
        rendererStyleS: d('RecalcStyleDuration'),
        rendererLayoutS: d('LayoutDuration'),
        rendererProcessCpuS: round((b.rendererCpuS - a.rendererCpuS) * perMin),
        chromiumAllProcessesCpuS: round((b.chromiumCpuS - a.chromiumCpuS) * perMin),
        harnessCpuS: round(((b.harnessMs - a.harnessMs) / 1000) * perMin),
        reactCommits: Math.round((b.commits - a.commits) * perMin),
        wsFrames: Math.round((b.frames - a.frames) * perMin),
      };
      log(JSON.stringify({ ...result[s.name], calls: callsBy[s.name] }));
    }
    process.stdout.write(
      `${JSON.stringify({ perIdleMinute: result, callsWhileIdle: callsBy, seconds: SECONDS, lots: LOTS }, null, 2)}\n`,
    );
    qa.close();
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
