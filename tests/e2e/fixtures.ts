/**
 * The e2e infrastructure every journey uses. This API is stable: new specs build on it as
 * it is (add to it, never change what is here without changing every spec).
 *
 * - `test`, `expect`: Playwright's, with these fixtures:
 *   - `harness` ({ url, dataDir, process }): a fresh harness (bin/harness.cjs) on its own
 *     free port with its own temporary data folder, started for the test and stopped after
 *     it. `url` is the link with the one-time token, as a person opens it; nothing is shared
 *     between tests, so journeys run side by side (playwright.config.ts: two workers).
 *     Test-only scrypt cost (D-066); the passphrase is fixed.
 *   - `cpuTiming` (automatic): records the CPU the journey cost, for the timing report, and
 *     gives the journey at least HANG_CAP. `page` is Playwright's, wrapped only to read the
 *     renderer's Performance metrics at the end (for the same report).
 * - Seeding: what a journey does not show on screen is made through the contract, as people
 *   would have done it at their own workstations, with the plant fixture library:
 *
 *     import * as plant from '../fixtures/plant';
 *     const host = ContractClient.host(harness.url);          // ./contract-client
 *     const admin = await plant.firstRun(host, ADMIN);        // ./helpers (E2E_ADMIN)
 *     await plant.enrol(admin, [E2E_PEOPLE.qa, E2E_PEOPLE.tech]);
 *     const qa = await plant.signIn(host, E2E_PEOPLE.qa);     // first password replaced
 *     await plant.product(qa, PRODUCTS.if1); …                // catalogue, specs, lots, samples, results
 *
 *   (`seedPeople(url, people)` in ./helpers does the first run and the accounts in one call.)
 *   Then `openApp(page, harness.url)` (./helpers) and sign in on the screen only as the person
 *   whose screens the journey is about. Clicking through set-up that another journey already
 *   covers costs CPU on every run and asserts nothing new (D-084).
 * - `waitForScreen(page, screen)`, `shot(page, name, lang)` (explicit screenshots for people to
 *   look at, test-results/screenshots/<name>-<lang>.png), `PDF_TIMEOUT` (the longer wait of a
 *   PDF being made; it is a cap, not a pause), `HANG_CAP`.
 * - Never wait on time: wait on what the screen or an event says (`expect(…).toBeVisible()`,
 *   `expect.poll`, `plant.untilJobFinished` on job events). No `waitForTimeout`, and no
 *   `timeout:` below the default (60 s for an expect, playwright.config.ts): timeouts catch
 *   hangs and a slow machine must not reach them in a healthy run (D-069). Every journey gets
 *   at least HANG_CAP (15 min) whatever its spec says. The browser runs with "reduce motion"
 *   (D-068): no transitions to wait out.
 * - Where a journey's time goes: tests/e2e/timing-reporter.ts writes
 *   test-results/reports/e2e-timing.json (wall and CPU per journey, wall per kind of step).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { PDF_TAB_TAG } from './tags';

const root = path.resolve(__dirname, '../..');
const URL_LINE = /LotSeal harness: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/;

export interface HarnessInfo {
  /** The link with the one-time token, as a person would open it. */
  url: string;
  dataDir: string;
  process: ChildProcess;
}

/**
 * Starts `bin/harness.cjs` on a free port with its own data folder and waits for its URL line.
 * `extraArgs`: e.g. `--server URL --server-fingerprint HEX` for a workstation of a site server.
 */
export async function startHarness(dataDir: string, extraArgs: readonly string[] = []): Promise<HarnessInfo> {
  const child = spawn(process.execPath, ['bin/harness.cjs', '--port', '0', '--data-dir', dataDir, ...extraArgs], {
    cwd: root,
    // Test-only scrypt cost for the journeys' accounts and signatures (D-066).
    env: { ...process.env, LOTSEAL_KEY_PASSPHRASE: 'test-passphrase-123', LOTSEAL_TEST_ONLY_CHEAP_KDF: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`harness did not print its URL within 60 s\n${out}\n${err}`)),
      60_000,
    );
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = URL_LINE.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`harness exited with ${code} before printing its URL\n${out}\n${err}`));
    });
  });
  // Keep draining so a chatty harness never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return { url, dataDir, process: child };
}

/**
 * CPU seconds (user + system, including reaped children) of a process, from /proc (Linux
 * only; null elsewhere). Used only for the timing report (tests/e2e/timing-reporter.ts).
 */
function cpuMsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name "(…)": state is field 3; utime 14, stime 15, cutime 16, cstime 17.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null;
  }
}

/**
 * What kind of process a pid of the journey's tree is, for the timing report: the test worker
 * itself (with the children it reaped: the journey's harness), Chromium's processes by
 * `--type=` (a renderer that has exited is counted by the zygote that reaped it), or other.
 */
function kindOf(pid: number, root: number): string {
  if (pid === root) return 'worker';
  let cmd = '';
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return 'exited';
  }
  if (cmd === '') return 'exited'; // a zombie: a renderer that has exited, not yet reaped
  if (!/chrom/i.test(cmd)) return 'other';
  const type = /--type=([a-z-]+)/.exec(cmd)?.[1];
  return type ? `chromium ${type}` : 'chromium browser';
}

/**
 * CPU of `root` and every live process below it, in ms (for the worker: browser, harness, print
 * browser), in total and by kind of process (`kindOf`).
 */
function treeCpuOf(root: number): { total: number; byKind: Record<string, number> } | null {
  if (process.platform !== 'linux') return null;
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = parent.get(p) ?? 0, hops++) if (p === root) return true;
    return false;
  };
  let total = 0;
  const byKind: Record<string, number> = {};
  for (const pid of parent.keys()) {
    if (!inTree(pid)) continue;
    const cpu = cpuMsOf(pid) ?? 0;
    total += cpu;
    const kind = kindOf(pid, root);
    byKind[kind] = (byKind[kind] ?? 0) + cpu;
  }
  return { total, byKind };
}

export async function stopHarness(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export const test = base.extend<{ harness: HarnessInfo; cpuTiming: void }>({
  // The CPU the whole journey cost (worker, browser, harness), for the timing report. Set up
  // before and torn down after every other fixture of the test.
  cpuTiming: [
    async ({}, use, testInfo) => {
      // Timeouts catch hangs, they do not measure speed (D-069): no journey gets less than HANG_CAP.
      testInfo.setTimeout(Math.max(testInfo.timeout, HANG_CAP));
      const before = treeCpuOf(process.pid);
      const own = process.cpuUsage();
      await use();
      const ownAfter = process.cpuUsage(own);
      // The harness has exited by now (its fixture is torn down first): its CPU is reaped into
      // the worker's children time and counted under "worker"; the harness fixture records its own.
      const after = treeCpuOf(process.pid);
      if (before !== null && after !== null) {
        testInfo.annotations.push({ type: 'cpu-ms', description: String(after.total - before.total) });
        for (const [kind, ms] of Object.entries(after.byKind))
          testInfo.annotations.push({ type: `cpu-kind ${kind}`, description: String(ms - (before.byKind[kind] ?? 0)) });
      }
      testInfo.annotations.push({
        type: 'worker-cpu-ms',
        description: String(Math.round((ownAfter.user + ownAfter.system) / 1000)),
      });
    },
    { auto: true },
  ],
  // The renderer's own account of its work (Chrome's Performance domain): script, style,
  // layout and task time of the journey's page, for the timing report. Reads only.
  page: async ({ page }, use, testInfo) => {
    const cdp = await page
      .context()
      .newCDPSession(page)
      .catch(() => null);
    await cdp?.send('Performance.enable').catch(() => undefined);
    // LOTSEAL_E2E_PROFILE=1: a sampling CPU profile of the renderer's JavaScript for the whole
    // journey, written to test-results/profiles/ (open in Chrome DevTools, or summarise with
    // `node scripts/profile-top.mjs <file>`). Off by default: profiling costs CPU itself.
    const profiling = !!process.env['LOTSEAL_E2E_PROFILE'] && cdp !== null;
    if (profiling) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    await use(page);
    if (profiling) {
      const { profile } = await cdp.send('Profiler.stop');
      const dir = path.join(root, 'test-results', 'profiles');
      mkdirSync(dir, { recursive: true });
      const name = `${path.basename(testInfo.file, '.spec.ts')}-${testInfo.title.slice(0, 40).replace(/[^\w]+/g, '-')}`;
      writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    }
    const metrics = await cdp
      ?.send('Performance.getMetrics')
      .then((r) => r.metrics)
      .catch(() => null);
    for (const name of ['TaskDuration', 'ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration']) {
      const m = metrics?.find((x) => x.name === name);
      if (m) testInfo.annotations.push({ type: `renderer-${name}`, description: String(Math.round(m.value * 1000)) });
    }
  },
  harness: async ({}, use, testInfo) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), `lotseal-e2e-${testInfo.workerIndex}-`));
    const started = Date.now();
    const h = await startHarness(dataDir);
    testInfo.annotations.push({ type: 'harness-start-ms', description: String(Date.now() - started) });
    try {
      await use(h);
    } finally {
      const pid = h.process.pid;
      const cpu = pid === undefined ? null : treeCpuOf(pid);
      if (cpu !== null) testInfo.annotations.push({ type: 'harness-cpu-ms', description: String(cpu.total) });
      await stopHarness(h.process);
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect };

/** Explicit journey screenshots, kept for people to look at: test-results/screenshots/<name>-<lang>.png. */
/**
 * Making a PDF starts the print browser on first use and renders offline: on a loaded
 * machine this takes longer than an ordinary screen update (the button shows a spinner).
 * A cap for a PDF that never comes, not a pause: a healthy run returns as soon as it is there.
 */
export const PDF_TIMEOUT = 120_000;

/**
 * `test(title, PDF_TAB, async …)`: the journey opens a PDF in a tab of the person's browser, so
 * it runs in the full Chromium (./tags.ts, playwright.config.ts).
 */
export const PDF_TAB = { tag: PDF_TAB_TAG };

/**
 * Called by a page object before it opens a PDF tab: in a journey without `PDF_TAB` it fails at
 * once and says what to do, instead of waiting for a tab that the headless shell never shows.
 */
export function expectPdfTabJourney(): void {
  if (!base.info().tags.includes(PDF_TAB_TAG)) {
    throw new Error(
      'this journey opens a PDF in a browser tab: give it PDF_TAB (tests/e2e/fixtures.ts) so that it runs in the full Chromium, whose PDF viewer shows the tab',
    );
  }
}

/**
 * The least time any journey is given before it counts as hung (D-069). A journey's timeout
 * catches a hang; it is not a speed check: at load ~30 on 2 cores (2026-12-05) four journeys
 * failed on their 150–240 s timeouts and passed in 3.2–4.4 min once allowed. Specs may give more.
 */
export const HANG_CAP = 15 * 60_000;

export async function shot(page: Page, name: string, lang: 'en' | 'zh-CN'): Promise<void> {
  const dir = path.join(root, 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}-${lang}.png`), fullPage: false });
}

/** Waits until the app has loaded and shows the given screen. */
export async function waitForScreen(
  page: Page,
  screen: 'setup' | 'signin' | 'locked' | 'change-password' | 'app',
): Promise<void> {
  await expect(page.locator(`[data-app-state="ready"][data-screen="${screen}"]`)).toBeVisible();
}
