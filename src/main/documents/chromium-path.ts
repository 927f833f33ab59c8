import { existsSync } from 'node:fs';

/**
 * Which Chromium prints PDFs in the browser harness and the tests, and which one the e2e
 * journeys drive (playwright.config.ts), in this order (docs/decisions.md D-124):
 *
 * 1. `LOTSEAL_CHROMIUM`, when set: the administrator's or developer's choice;
 * 2. Chromium's headless shell (Debian's `chromium-headless-shell`), when installed: the
 *    "old" headless Chromium that Playwright itself uses for headless runs. It draws the same
 *    pages with the same fonts, without the desktop browser's user interface behind them; an e2e
 *    journey costs about a fifth less CPU in it than in the full browser's headless mode
 *    (docs/performance.md "The test suite");
 * 3. the full browser, `/usr/bin/chromium`.
 *
 * The desktop app never uses this: Electron prints with its own Chromium.
 */
export const HEADLESS_SHELL_PATHS = ['/usr/bin/chromium-headless-shell', '/usr/lib/chromium/chromium-headless-shell'] as const;
export const FULL_CHROMIUM_PATH = '/usr/bin/chromium';

export function defaultChromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env['LOTSEAL_CHROMIUM'];
  if (chosen) return chosen;
  return HEADLESS_SHELL_PATHS.find((p) => existsSync(p)) ?? FULL_CHROMIUM_PATH;
}

/**
 * The full browser, for what only it has: its PDF viewer (the e2e journeys that open a PDF in a
 * tab of the harness's browser, as a person's browser shows it). `LOTSEAL_CHROMIUM` still wins.
 */
export function fullChromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env['LOTSEAL_CHROMIUM'] || FULL_CHROMIUM_PATH;
}

/**
 * Flags known to work headless on the build machines (../shared/guides/environment-notes.md),
 * for every Chromium launched by the harness, the tests and the benches: without the
 * background-networking flags Chromium keeps trying to reach Google services.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;
