import { afterEach, describe, expect, it, vi } from 'vitest';
import { PRODUCTION_KDF, TEST_ONLY_CHEAP_KDF, TEST_ONLY_KDF_ENV, kdfForNewSecrets } from '../../src/main/ledger/kdf';
import { hashPassword, verifyPassword } from '../../src/main/identity/passwords';
import {
  newEnrolmentKey,
  newPersonalKey,
  sealPersonalKey,
  unsealPersonalKey,
} from '../../src/main/identity/personal-keys';

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
    const sealed = JSON.parse(await sealPersonalKey(key.privateKey, 'correct horse battery')) as {
      N: number;
      r: number;
      p: number;
    };
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
    const kdf = await import('../../src/main/ledger/kdf');
    vi.stubEnv(TEST_ONLY_KDF_ENV, '1');
    expect(kdf.kdfForNewSecrets()).toBe(kdf.TEST_ONLY_CHEAP_KDF);
    kdf.refuseTestOnlyKdf();
    expect(kdf.kdfForNewSecrets()).toBe(kdf.PRODUCTION_KDF);
  });
});

describe('the host key sealed under a passphrase records its scrypt cost (D-066)', () => {
  it('production cost without the variable, the test-only cost with it; each opens at its own', async () => {
    vi.resetModules(); // a module graph without the refusal above
    const { passphraseProtector } = await import('../../src/main/ledger/keys');
    const protector = passphraseProtector('a long host passphrase');
    vi.stubEnv(TEST_ONLY_KDF_ENV, '');
    const production = protector.seal(Buffer.from('host key bytes'));
    expect(production['kdf']).toBe('scrypt-n32768-r8-p1');
    vi.stubEnv(TEST_ONLY_KDF_ENV, '1');
    const cheap = protector.seal(Buffer.from('host key bytes'));
    expect(cheap['kdf']).toBe(`scrypt-n${TEST_ONLY_CHEAP_KDF.N}-r8-p1`);
    vi.stubEnv(TEST_ONLY_KDF_ENV, '');
    expect(protector.open(production).toString()).toBe('host key bytes');
    expect(protector.open(cheap).toString()).toBe('host key bytes');
  });

  it('a sealed file that names an unknown or unbounded cost is refused as a wrong passphrase, without deriving', async () => {
    const { passphraseProtector } = await import('../../src/main/ledger/keys');
    const protector = passphraseProtector('a long host passphrase');
    const sealed = protector.seal(Buffer.from('host key bytes'));
    for (const kdf of ['scrypt-n2097152-r8-p1', 'scrypt-n1000-r8-p1', 'argon2id', 'scrypt-n32768-r64-p1']) {
      expect(() => protector.open({ ...sealed, kdf }), kdf).toThrow(/key_passphrase|wrong/);
    }
  });
});
