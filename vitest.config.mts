import { defineConfig } from 'vitest/config';
import { HANG_CAP_MS } from './tests/helpers/hang-cap';

/**
 * Two projects: `unit` (pure logic, fast, in-process threads) and `integration` (real SQLite
 * files, pseudo-terminals, child processes: forks, longer timeouts). Each test makes its own
 * temporary data folder, so files run in parallel.
 */
export default defineConfig({
  test: {
    // Every core. Vitest's own default leaves one idle, which on a 2-core CI machine runs the
    // integration files one at a time (353 s instead of 207 s, measured 2026-11-22).
    maxWorkers: '100%',
    // Cheap scrypt for the accounts and signatures test worlds make (src/main/auth/kdf.ts,
    // D-066); child processes (CLI, harness) inherit it. Tests about the cost unset it.
    env: { LOTSEAL_TEST_ONLY_CHEAP_KDF: '1' },
    // Transformed modules kept on disk (node_modules/.experimental-vitest-cache), keyed by the
    // file's content and the config, cleared when package-lock.json changes: the integration
    // step of `npm test` reads the app's modules the unit step transformed, and a second run
    // transforms nothing. The main process's CPU in the unit step: 5.0–6.5 CPU-s, 1.9–2.2
    // with the modules cached; `vitest list` of the integration projects 12.3–13.4 → 8.7–10.1.
    experimental: { fsModuleCache: true },
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts', 'src/main/**/*.test.ts', 'src/shared/**/*.test.ts'],
          exclude: ['**/*.isolated.test.ts'],
          // Files share their worker's module graph, as in the integration project: loading the
          // app's modules anew for each of 53 files was a fifth of the unit step's worker time
          // (D-087). A file that replaces or re-imports modules runs in unit-isolated.
          isolate: false,
          // Timeouts end hangs, they never measure speed (D-083): one cap for every test.
          testTimeout: HANG_CAP_MS,
          hookTimeout: HANG_CAP_MS,
        },
      },
      {
        // Unit files that reset the module registry (vi.resetModules: kdf.isolated.test.ts makes
        // a one-way refusal in a fresh module) run in their own module graph.
        test: {
          name: 'unit-isolated',
          environment: 'node',
          include: ['tests/unit/**/*.isolated.test.ts'],
          isolate: true,
          testTimeout: HANG_CAP_MS,
          hookTimeout: HANG_CAP_MS,
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          include: ['tests/integration/**/*.test.ts'],
          exclude: ['tests/integration/**/*.isolated.test.ts'],
          pool: 'forks',
          // Files share their worker process (module graph loaded once per worker, not per
          // file): loading the app's modules took about as long as a short file's tests
          // (import 51 s → 27 s, wall 106 s → 78 s on six files, 2026-12-05). Every file
          // makes its own temporary folders and app; a file that changes process state
          // (vi.stubEnv) restores it in afterAll.
          isolate: false,
          testTimeout: HANG_CAP_MS,
          hookTimeout: HANG_CAP_MS,
        },
      },
      {
        // Integration files that replace a module (vi.mock), e.g. the migration list an "old"
        // database was made with: a shared module graph would hand them the real module that
        // an earlier file already loaded, so these run in their own module graph. npm test runs
        // this project in the integration step.
        test: {
          name: 'integration-isolated',
          environment: 'node',
          include: ['tests/integration/**/*.isolated.test.ts'],
          pool: 'forks',
          isolate: true,
          testTimeout: HANG_CAP_MS,
          hookTimeout: HANG_CAP_MS,
        },
      },
    ],
  },
});
