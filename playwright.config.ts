import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, defaultChromiumPath, fullChromiumPath } from './src/main/documents/chromium-path';
import { PDF_TAB_TAG } from './tests/e2e/tags';

/**
 * End-to-end journeys in a real Chromium against the browser harness. No webServer: each
 * test starts its own harness on its own port with its own temporary data folder (fixture in
 * tests/e2e), so tests never share state. Journeys save explicit screenshots into
 * test-results/screenshots/; failures keep a screenshot and a light trace in test-results/e2e.
 *
 * Debian's Chromium, not a Playwright download (build machines are offline): its headless shell
 * (`chromium-headless-shell`, installed by .ci/run) when present — the headless Chromium
 * Playwright itself uses, about a fifth less CPU per journey than the full browser's headless
 * mode — else the full browser; `LOTSEAL_CHROMIUM` chooses another (D-124). The journeys that
 * open a PDF in a browser tab run in the full browser: the headless shell has no PDF viewer and
 * takes such a tab for a download. Without the background-networking flags Chromium keeps
 * trying to reach Google services.
 */
/** The journeys that take longest (test-results/reports/e2e-timing.json), longest first. */
const LONG_JOURNEYS = ['**/language-sweep.spec.ts', '**/first-day.spec.ts'];
/**
 * The journeys that open a PDF in a tab of the person's browser (its PDF viewer shows it) say so
 * with a tag (tests/e2e/tags.ts); the other journeys of their files run in the headless shell.
 */
const PDF_TAB = new RegExp(PDF_TAB_TAG);

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  // Every journey has its own harness and data folder, so journeys (not only files) are
  // dealt out to the workers: a long file no longer leaves the other worker idle at the end.
  fullyParallel: true,
  // Two workers on the 2-core machine. A journey keeps about one core busy, most of it
  // Chromium drawing (docs/performance.md "The test suite"): two fill the machine, more
  // would only queue.
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env['CI'],
  // Timeouts catch hangs; they are not speed checks (D-069). A healthy wait returns as soon as
  // its condition holds, so generous caps cost nothing; tests/e2e/fixtures.ts gives every
  // journey at least HANG_CAP (15 min) whatever its spec configures.
  timeout: 15 * 60_000,
  expect: { timeout: 60_000 },
  // The timing reporter prints where the journeys' time went (tests/e2e/timing-reporter.ts).
  reporter: [['list'], ['./tests/e2e/timing-reporter.ts']],
  // The two longest journeys start first, one on each worker, and the short ones fill in after
  // them: dealt out in file order, the language sweep (~2 minutes alone) started two thirds of
  // the way through the run and ended it alone on one worker while the other sat idle (D-118).
  // Playwright queues the projects' journeys in the order the projects are listed here; the
  // projects share every setting but the browser (D-124).
  projects: [
    { name: 'long journeys', testMatch: LONG_JOURNEYS },
    {
      name: 'journeys with a PDF tab',
      testIgnore: LONG_JOURNEYS,
      grep: PDF_TAB,
      use: { launchOptions: { executablePath: fullChromiumPath(), args: [...CHROMIUM_ARGS] } },
    },
    { name: 'journeys', testIgnore: LONG_JOURNEYS, grepInvert: PDF_TAB },
  ],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: defaultChromiumPath(), args: [...CHROMIUM_ARGS] },
    screenshot: 'only-on-failure',
    // A failed journey keeps its screenshot and a light trace: the action log with each
    // action's timing, console and network, without DOM snapshots or the screencast. Those two
    // are recorded for EVERY journey and thrown away when it passes, and they cost: the
    // signature journey took ~24 CPU-seconds with them and ~14 without (D-084). For the full
    // trace of a failing journey, re-run it with `npx playwright test <spec> --trace on`.
    trace: { mode: 'retain-on-failure', snapshots: false, screenshots: false, sources: true },
    viewport: { width: 1440, height: 900 },
    // The system setting "reduce motion", which the app honours (D-068): no transition frames
    // to render and wait out before a click; screenshots never catch a screen mid-animation.
    reducedMotion: 'reduce',
  },
});
