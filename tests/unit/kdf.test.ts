import { afterEach, describe, expect, it, vi } from 'vitest';
import { PRODUCTION_KDF, TEST_ONLY_CHEAP_KDF, TEST_ONLY_KDF_ENV, kdfForNewSecrets } from '../../src/main/identity/kdf';
import { hashPassword, verifyPassword } from '../../src/main/identity/passwords';
import { newEnrolmentKey, newPersonalKey, sealPersonalKey, unsealPersonalKey } from '../../src/main/identity/personal-keys';

// The production cost is what this file is about: it runs without the suite's test-only cost.
afterEach(() => vi.unstubAllEnvs());

describe('scrypt cost of new secrets (D-066)', () => {
  it('is the production cost N=2^15, r=8, p=1 unless the test-only variable is set', () => {
    vi.stubEnv(TEST_ONLY_KDF_ENV, '');
    expect(kdfForNewSecrets()).toEqual({ N: 32768, r: 8, p: 1 });
    vi.stubEnv(TEST_ONLY_KDF_ENV, '1');
    expect(kdfForNewSecrets()).toBe(TEST_ONLY_CHEAP_KDF);
    vi.stubEnv(TEST_ONLY_KDF_ENV, 'yes');
    expect(kdfForNewSecrets()).toBe(PRODUCTION_KDF);
  });

  it('password hashes, key seals and enrolment keys record the production cost and open at it', async () => {
    vi.stubEnv(TEST_ONLY_KDF_ENV, '');
    const hash = await hashPassword('correct horse battery');
    expect(hash.split('$').slice(0, 4)).toEqual(['scrypt', '32768', '8', '1']);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('wrong horse battery', hash)).toBe(false);
    const key = newPersonalKey();
    const sealed = JSON.parse(await sealPersonalKey(key.privateKey, 'correct horse battery')) as { N: number; r: number; p: number };
    expect([sealed.N, sealed.r, sealed.p]).toEqual([32768, 8, 1]);
    const enrolment = JSON.parse((await newEnrolmentKey('correct horse battery')).record) as { N: number };
    expect(enrolment.N).toBe(32768);
  });

  it('a secret made at the test-only cost still opens after the variable is gone (each records its own cost)', async () => {
    vi.stubEnv(TEST_ONLY_KDF_ENV, '1');
    const hash = await hashPassword('correct horse battery');
    const key = newPersonalKey();
    const sealed = await sealPersonalKey(key.privateKey, 'correct horse battery');
    expect(hash.split('$')[1]).toBe(String(TEST_ONLY_CHEAP_KDF.N));
    vi.stubEnv(TEST_ONLY_KDF_ENV, '');
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect((await unsealPersonalKey(sealed, 'correct horse battery'))?.fingerprint).toBe(key.fingerprint);
  });

  it('a packaged app refuses the test-only cost (the module is fresh: refusal is one-way)', async () => {
    vi.resetModules();
    const kdf = await import('../../src/main/identity/kdf');
    vi.stubEnv(TEST_ONLY_KDF_ENV, '1');
    expect(kdf.kdfForNewSecrets()).toBe(kdf.TEST_ONLY_CHEAP_KDF);
    kdf.refuseTestOnlyKdf();
    expect(kdf.kdfForNewSecrets()).toBe(kdf.PRODUCTION_KDF);
  });
});
