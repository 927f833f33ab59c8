/**
 * Timeouts in the unit and integration suites only end a hang; they never measure speed
 * (docs/decisions.md D-069, D-083). Every test and hook gets this cap from vitest.config.ts,
 * and a child process a test waits for gets it too. No test sets a shorter one:
 * tests/unit/hang-cap.test.ts fails if one does.
 */
export const HANG_CAP_MS = 15 * 60_000;
