import { defineConfig } from '@playwright/test';

/**
 * End-to-end journeys in a real Chromium against the browser harness. No webServer: each
 * test starts its own harness on its own port with its own temporary data folder (fixture in
 * tests/e2e), so tests never share state. Journeys save explicit screenshots into
 * test-results/screenshots/; failures keep a screenshot and a trace in test-results/e2e.
 *
 * Debian's Chromium, not a Playwright download (build machines are offline). Without the
 * background-networking flags Chromium keeps trying to reach Google services.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  // Two workers on the 2-core CI machine: a journey leaves the CPU about half idle (it waits
  // on the harness, PDFs and polling), so two run in 8.8 min instead of 11.4 (2026-11-22).
  // Waits that are slow by nature (PDFs) have their own longer timeout (PDF_TIMEOUT).
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env['CI'],
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env['LOTSEAL_CHROMIUM'] ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    viewport: { width: 1440, height: 900 },
  },
});
