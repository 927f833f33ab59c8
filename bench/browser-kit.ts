/**
 * What the renderer benches share (bench/renderer-idle.ts, bench/renderer-drawer.ts): their
 * command-line numbers, a log on stderr (stdout is the JSON), a harness of their own on a free
 * port with the test-only cheap KDF, and Debian's Chromium launched as the e2e suite launches
 * it (playwright.config.ts), plus any BENCH_EXTRA_FLAGS to compare.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM_ARGS, defaultChromiumPath } from '../src/main/documents/chromium-path';

const root = path.resolve(__dirname, '..');

/** `--name N` from the command line, or the fallback. */
export const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

export const log = (m: string): void => void process.stderr.write(`${m}\n`);

export const round = (n: number): number => Math.round(n * 1000) / 1000;

/** The browser harness on its own data folder; resolves with its URL once it prints it. */
export function startHarness(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['bin/harness.cjs', '--port', '0', '--data-dir', dataDir], {
    cwd: root,
    env: { ...process.env, LOTSEAL_KEY_PASSPHRASE: 'test-passphrase-123', LOTSEAL_TEST_ONLY_CHEAP_KDF: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /LotSeal harness: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(out);
      if (m?.[1]) resolve({ url: m[1], child });
    });
    child.stderr?.resume();
    child.once('exit', (code) => reject(new Error(`harness exited with ${code}\n${out}`)));
  });
}

/** Chromium with the e2e suite's flags (and BENCH_EXTRA_FLAGS first, to compare others). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: defaultChromiumPath(),
    args: [
      ...(process.env['BENCH_EXTRA_FLAGS'] ?? '').split(' ').filter(Boolean),
      ...CHROMIUM_ARGS,
    ],
  });
}
