import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';

const root = path.resolve(__dirname, '../..');
const URL_LINE = /LotSeal harness: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/;

export interface HarnessInfo {
  /** The link with the one-time token, as a person would open it. */
  url: string;
  dataDir: string;
  process: ChildProcess;
}

/** Starts `bin/harness.cjs` on a free port with its own data folder and waits for its URL line. */
async function startHarness(dataDir: string): Promise<HarnessInfo> {
  const child = spawn(process.execPath, ['bin/harness.cjs', '--port', '0', '--data-dir', dataDir], {
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

async function stopHarness(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export const test = base.extend<{ harness: HarnessInfo }>({
  harness: async ({}, use, testInfo) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), `lotseal-e2e-${testInfo.workerIndex}-`));
    const h = await startHarness(dataDir);
    try {
      await use(h);
    } finally {
      await stopHarness(h.process);
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect };

/** Explicit journey screenshots, kept for people to look at: test-results/screenshots/<name>-<lang>.png. */
/**
 * Making a PDF starts the print browser on first use and renders offline: on a loaded CI
 * machine this takes longer than an ordinary screen update (the button shows a spinner).
 */
export const PDF_TIMEOUT = 30_000;

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
