/**
 * A signing key that cannot be opened (issue 24 §5, D-042): the desktop does not exit; it
 * says why and offers the documented recovery — the passphrase of a passphrase-sealed key, or
 * a new key (the unopened file kept) that an administrator registers. Here on the Node side
 * (tests/integration/desktop-shell.test.ts drives it through the built desktop bundle).
 *
 * "The OS" is an AES key per account standing in for DPAPI / the keyring: another account's
 * cipher cannot open the file, exactly the Windows failure after a password reset or a copied
 * data folder.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppCore } from '../../src/main/app/core';
import {
  bufferCipherProtector,
  createHostKey,
  keyFilePath,
  passphraseProtector,
  type KeyProtector,
} from '../../src/main/ledger/keys';
import { probeHostKey, keySeal, type OsProtection } from '../../src/main/workstation/host-key-access';
import { createKeyRecoveryDispatcher } from '../../src/main/workstation/key-recovery-host';
import { quietLog, tempDir } from '../helpers/core';

function osAccount(): OsProtection & { available: true } {
  const k = randomBytes(32);
  const protector = bufferCipherProtector({
    encrypt: (b) => {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', k, iv);
      const data = Buffer.concat([c.update(b), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), data]);
    },
    decrypt: (b) => {
      const d = createDecipheriv('aes-256-gcm', k, b.subarray(0, 12));
      d.setAuthTag(b.subarray(12, 28));
      return Buffer.concat([d.update(b.subarray(28)), d.final()]);
    },
  });
  return { available: true, protector };
}
const noKeyring: OsProtection = { available: false, why: 'no Linux keyring (basic_text)' };

const dirs: Array<ReturnType<typeof tempDir>> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});
function dataDir(): string {
  const t = tempDir('lotseal-keyrec-');
  dirs.push(t);
  return t.dir;
}
const log = { ...quietLog };

describe('probing the desktop key', () => {
  it('tells every case apart', () => {
    const alice = osAccount();
    const bob = osAccount();
    const d1 = dataDir();
    expect(probeHostKey(d1, 'desktop', alice)).toMatchObject({ ok: true });
    expect(probeHostKey(d1, 'desktop', noKeyring)).toMatchObject({
      ok: false,
      problem: { reason: 'no_protection', seal: 'none' },
    });
    createHostKey(d1, 'desktop', 'pc', alice.protector, Date.now());
    expect(keySeal(d1, 'desktop')).toBe('os');
    expect(probeHostKey(d1, 'desktop', alice)).toMatchObject({ ok: true });
    expect(probeHostKey(d1, 'desktop', bob)).toMatchObject({
      ok: false,
      problem: { reason: 'os_decrypt_failed', seal: 'os' },
    });
    expect(probeHostKey(d1, 'desktop', noKeyring)).toMatchObject({ ok: false, problem: { reason: 'os_unavailable' } });

    const d2 = dataDir();
    createHostKey(d2, 'desktop', 'pc', passphraseProtector('bench passphrase 1'), Date.now());
    expect(probeHostKey(d2, 'desktop', alice)).toMatchObject({
      ok: false,
      problem: { reason: 'passphrase_required', seal: 'passphrase' },
    });

    const d3 = dataDir();
    mkdirSync(join(d3, 'keys'));
    writeFileSync(keyFilePath(d3, 'desktop'), '{ not json');
    expect(probeHostKey(d3, 'desktop', alice)).toMatchObject({ ok: false, problem: { reason: 'damaged' } });
  });
});

describe('the recovery dispatcher', () => {
  const conn = { id: 'wc-1', locale: 'en' as const };

  it('serves status and the key channels only; the passphrase opens the key', async () => {
    const d = dataDir();
    createHostKey(d, 'desktop', 'pc', passphraseProtector('bench passphrase 1'), Date.now());
    const probe = probeHostKey(d, 'desktop', osAccount());
    if (probe.ok) throw new Error('expected a problem');
    const opened: Array<{ how: string; protector: KeyProtector }> = [];
    const disp = createKeyRecoveryDispatcher({
      dataDir: d,
      kind: 'desktop',
      host: 'pc',
      version: '0.1.0',
      problem: probe.problem,
      os: () => noKeyring,
      log,
      logFile: '/var/log/lotseal/main.log',
      onOpened: (protector, how) => opened.push({ protector, how }),
    });
    const status = await disp.call(conn, 'app.status', {});
    expect(status).toMatchObject({
      ok: true,
      data: {
        initialized: false,
        error: { code: 'key_error', messageKey: 'errors.host_key_locked', details: { reason: 'passphrase_required' } },
      },
    });
    expect(await disp.call(conn, 'hostKey.status', {})).toMatchObject({
      ok: true,
      data: {
        state: 'locked',
        seal: 'passphrase',
        reason: 'passphrase_required',
        osProtection: false,
        minPassphrase: 12,
        logFile: '/var/log/lotseal/main.log',
      },
    });
    expect(
      await disp.call(conn, 'app.setup', { userId: 'admin', printedName: 'Admin', password: 'some-password-1' }),
    ).toMatchObject({
      ok: false,
      error: { messageKey: 'errors.host_key_locked' },
    });
    expect(await disp.call(conn, 'users.list', {})).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
    expect(await disp.call(conn, 'hostKey.unlock', { passphrase: 'wrong passphrase here' })).toMatchObject({
      ok: false,
      error: { code: 'wrong_password', messageKey: 'errors.key_passphrase_wrong' },
    });
    expect(opened).toEqual([]);
    const r = await disp.call(conn, 'hostKey.unlock', { passphrase: 'bench passphrase 1' });
    expect(r).toMatchObject({ ok: true });
    expect(opened.map((o) => [o.how, o.protector.kind])).toEqual([['unlocked', 'passphrase']]);
    expect(await disp.call(conn, 'hostKey.unlock', { passphrase: 'bench passphrase 1' })).toMatchObject({
      ok: false,
      error: { messageKey: 'errors.key_already_open' },
    });
  });

  it('replaces an unopenable key, keeps the old file, and the new key waits for an administrator', async () => {
    // A database made by Alice's account; Bob's account (or Alice after a DPAPI reset) cannot open the key.
    const d = dataDir();
    const alice = osAccount();
    const first = new AppCore({ dataDir: d, hostKind: 'desktop', protector: alice.protector, host: 'pc', log });
    await first.dispatcher.call(conn, 'app.setup', {
      userId: 'admin',
      printedName: 'Admin',
      password: 'admin-password-1',
    });
    const oldFingerprint = first.key.fingerprint;
    first.close();

    const bob = osAccount();
    const probe = probeHostKey(d, 'desktop', bob);
    if (probe.ok) throw new Error('expected a problem');
    expect(probe.problem.reason).toBe('os_decrypt_failed');
    let started: AppCore | null = null;
    const disp = createKeyRecoveryDispatcher({
      dataDir: d,
      kind: 'desktop',
      host: 'pc',
      version: '0.1.0',
      problem: probe.problem,
      os: () => bob,
      log,
      logFile: null,
      onOpened: (protector) => {
        started = new AppCore({ dataDir: d, hostKind: 'desktop', protector, host: 'pc', log });
      },
    });
    expect(
      await disp.call(conn, 'hostKey.replace', { protection: 'passphrase', passphrase: 'too-short', confirm: true }),
    ).toMatchObject({
      ok: false,
      error: { messageKey: 'errors.key_passphrase_short', details: { min: 12 } },
    });
    expect(await disp.call(conn, 'hostKey.replace', { protection: 'os', confirm: false } as never)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    const r = await disp.call(conn, 'hostKey.replace', { protection: 'os', confirm: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const data = r.data as { fingerprint: string; keptAs: string };
    expect(data.fingerprint).not.toBe(oldFingerprint);
    expect(existsSync(data.keptAs)).toBe(true);
    expect(readdirSync(join(d, 'keys')).sort()).toEqual([
      'desktop.key.json',
      expect.stringMatching(/^desktop\.key\.json\.unopened-/),
    ]);

    const core = started as unknown as AppCore;
    try {
      expect(core.key.fingerprint).toBe(data.fingerprint);
      const status = await core.dispatcher.call(conn, 'app.status', {});
      expect(status).toMatchObject({ ok: true, data: { initialized: true, workstationRegistered: false } });
      // A sign-in registers nothing (issue 18 §5): an administrator enrols the new key, signed.
      await core.dispatcher.call(conn, 'auth.signIn', { userId: 'admin', password: 'admin-password-1' });
      expect(
        (await core.dispatcher.call(conn, 'app.status', {})) as { data: { workstationRegistered: boolean } },
      ).toMatchObject({ data: { workstationRegistered: false } });
      expect(
        await core.dispatcher.call(conn, 'host.enrol', {
          signature: { password: 'admin-password-1', meaning: 'enrolled' },
        }),
      ).toMatchObject({ ok: true });
      expect(
        (await core.dispatcher.call(conn, 'app.status', {})) as { data: { workstationRegistered: boolean } },
      ).toMatchObject({
        data: { workstationRegistered: true },
      });
      expect(await core.dispatcher.call(conn, 'hostKey.replace', { protection: 'os', confirm: true })).toMatchObject({
        ok: false,
        error: { messageKey: 'errors.key_already_open' },
      });
    } finally {
      core.close();
    }
  });
});
