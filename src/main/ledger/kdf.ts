/**
 * The scrypt cost of every new secret: password hashes, sealed personal keys, one-time
 * enrolment keys (docs/decisions.md D-066). Each stored form records its own N, r, p, so a
 * secret made at one cost is always checked at that cost.
 *
 * PRODUCTION_KDF is what every workstation, CLI and site server uses. TEST_ONLY_CHEAP_KDF
 * exists for the test suite alone: a test world creates dozens of accounts and signatures,
 * and at the production cost (≈140 ms per derivation on the 2-core CI machine) the suite
 * spent most of its time in scrypt. The suite turns it on with the environment variable
 * below (vitest.config.mts, the e2e harness fixture); the tests that are about the cost
 * itself (tests/unit/kdf.isolated.test.ts, tests/integration/trust-keys.test.ts) run without it.
 * A packaged desktop app refuses it (refuseTestOnlyKdf, src/main/electron).
 */
export interface KdfParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export const PRODUCTION_KDF: KdfParams = { N: 1 << 15, r: 8, p: 1 };
export const TEST_ONLY_CHEAP_KDF: KdfParams = { N: 1 << 10, r: 8, p: 1 };
export const TEST_ONLY_KDF_ENV = 'LOTSEAL_TEST_ONLY_CHEAP_KDF';

let refused = false;

/** Called by a packaged desktop app: the test-only cost is never used there, whatever the environment says. */
export function refuseTestOnlyKdf(): void {
  refused = true;
}

/** The cost for a secret made now. */
export function kdfForNewSecrets(): KdfParams {
  return !refused && process.env[TEST_ONLY_KDF_ENV] === '1' ? TEST_ONLY_CHEAP_KDF : PRODUCTION_KDF;
}
