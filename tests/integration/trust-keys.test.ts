/**
 * Issue 18 §1–3, §7: personal signing keys and their life cycle, real e-signatures, the
 * signed-change rule table at write time, meanings, the failure counter, and the upgrade of a
 * database made before personal keys existed.
 */
import { mkdirSync } from 'node:fs';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { AppCore } from '../../src/main/app/core';
import { actorOf } from '../../src/main/identity';
import { hashPassword } from '../../src/main/identity/passwords';
import { unsealPersonalKey } from '../../src/main/identity/personal-keys';
import { migrations } from '../../src/main/db/migrations';
import { openSqlite } from '../../src/main/db/database';
import { migrationHash } from '../../src/main/db/store';
import { E } from '../../src/main/ledger/entities';
import { esigFieldsOf, recordHash, signEsig } from '../../src/main/ledger/esig';
import { verifyFile } from '../../src/main/ledger/verify-runner';
import { passphraseProtector } from '../../src/main/ledger/keys';
import { appendAsInsider } from '../fixtures/insider';
import { PASSPHRASE, SKEW_MS, makeEnv, type TestEnv } from '../fixtures/ledger-helpers';

import { ADMIN_PASSWORD, ADMIN_SIGNATURE, USER_PASSWORD, createTestApp, quietLog, type TestApp } from '../helpers/core';

/**
 * Personal keys at the production scrypt cost (D-066), for the tests about the keys' life
 * cycle and their upgrade: the life cycle checks the seal's cost. The refusals and the failure
 * counter do not depend on the cost and run at the suite's test-only cost (each production
 * scrypt is ~0.14 CPU-s; those three tests made ~40 of them). Restored when the test ends:
 * integration files share their worker process (vitest.config.mts).
 */
function atProductionKdf(): void {
  vi.stubEnv('LOTSEAL_TEST_ONLY_CHEAP_KDF', '');
  onTestFinished(() => {
    vi.unstubAllEnvs();
  });
}

const code = (r: { ok: boolean; error?: { code: string } }): string | null => (r.ok ? null : r.error!.code);
const apps: TestApp[] = [];
const envs: TestEnv[] = [];
afterEach(() => {
  for (const a of apps.splice(0)) a.close();
  for (const e of envs.splice(0)) e.cleanup();
});

async function app(): Promise<TestApp> {
  const a = await createTestApp();
  apps.push(a);
  return a;
}

async function verify(a: TestApp) {
  const dbId = a.core.need().ledger.getDatabaseId()!;
  return verifyFile(a.core.dbFile, { skewMs: SKEW_MS, anchor: a.core.anchors.read(dbId) });
}

function review(a: TestApp, password: string) {
  return {
    throughSeq: a.core.need().ledger.head().seq,
    filter: {},
    comment: 'periodic audit trail review',
    signature: { password, meaning: 'audit_reviewed' as const },
  };
}

describe('personal signing keys', () => {
  it('life cycle: first own password, change (re-sealed), administrator reset (retired; old signatures still verify), new key; the old key cannot sign after the reset', async () => {
    atProductionKdf();
    const a = await app();
    const svc = a.core.need();
    expect((await a.ok(a.admin, 'keys.list', {})).personal).toEqual([
      expect.objectContaining({ userId: 'admin', enrolment: 'init', validTo: null }),
    ]);

    // An administrator creates the account (signed `enrolled`): no key until a password of one's own.
    await a.ok(a.admin, 'users.create', {
      userId: 'qa.li',
      printedName: '李质量',
      roles: ['qa_manager'],
      password: 'initial-password-1',
      signature: ADMIN_SIGNATURE,
    });
    expect(svc.identity.activeKey('qa.li')).toBeUndefined();
    const enrolment = svc.ledger.db
      .prepare("SELECT id FROM signature WHERE entity = 'user' AND entity_id = 'qa.li' AND meaning = 'enrolled'")
      .get() as { id: string };
    const qa = a.conn();
    expect(
      (await a.ok(qa, 'auth.signIn', { userId: 'qa.li', password: 'initial-password-1' })).mustChangePassword,
    ).toBe(true);
    await a.ok(qa, 'auth.changePassword', { currentPassword: 'initial-password-1', newPassword: USER_PASSWORD });
    const k1 = svc.identity.activeKey('qa.li')!;
    expect(k1).toMatchObject({ enrolment: enrolment.id, valid_to: null });
    expect(k1.enrolment_proof).toMatch(/^[A-Za-z0-9+/]{86}==$/);
    expect(svc.identity.getUser('qa.li')!.enrolment_key).toBeNull();

    await a.ok(qa, 'audit.review', review(a, USER_PASSWORD));
    const first = (await a.ok(qa, 'audit.reviews', {}))[0]!.signatures[0]!;
    expect(first).toMatchObject({ personal: 'verified', keyFingerprint: k1.fingerprint, valid: true });

    // The owner's password change re-seals the same key.
    await a.ok(qa, 'auth.changePassword', { currentPassword: USER_PASSWORD, newPassword: 'second-password-22' });
    const resealed = svc.identity.activeKey('qa.li')!;
    expect(resealed.id).toBe(k1.id);
    expect(resealed.sealed).not.toBe(k1.sealed);
    // Sealed at the production scrypt cost (this file runs without the suite's test-only cost).
    expect(JSON.parse(resealed.sealed!)).toMatchObject({ kdf: 'scrypt', N: 32768, r: 8, p: 1 });
    expect(await unsealPersonalKey(resealed.sealed!, USER_PASSWORD)).toBeNull();
    await a.ok(qa, 'audit.review', review(a, 'second-password-22'));

    // What the key was before the reset (an insider who learned the password keeps a copy).
    const old = (await unsealPersonalKey(resealed.sealed!, 'second-password-22'))!;
    const signerBefore = await svc.identity.authenticateSigner('qa.li', 'second-password-22');
    await a.ok(a.admin, 'users.resetPassword', {
      userId: 'qa.li',
      newPassword: 'reset-password-33',
      reason: 'forgotten password, identity checked in person',
      signature: ADMIN_SIGNATURE,
    });
    const retired = svc.identity.keysOf('qa.li')[0]!;
    expect(retired.valid_to).not.toBeNull();
    expect(retired.sealed).toBeNull();
    expect(svc.identity.activeKey('qa.li')).toBeUndefined();
    // Signatures made before the reset still verify.
    const reviews = await a.ok(a.admin, 'audit.reviews', {});
    expect(reviews.flatMap((r) => r.signatures.map((s) => s.personal))).toEqual(['verified', 'verified']);
    expect((await verify(a)).findings).toEqual([]);

    // The old key cannot sign after the reset: the ledger refuses, nothing is written.
    const head = svc.ledger.head().seq;
    expect(() =>
      svc.ledger.write(actorOf(signerBefore), (w) => {
        const r = w.create(E.auditReview, { through_seq: head, filter: '{}', comment: 'after the reset' });
        svc.identity.sign(
          w,
          signerBefore,
          { def: E.auditReview, id: r.id },
          { meaning: 'audit_reviewed', comment: 'after the reset' },
        );
      }),
    ).toThrow(/signature_required/);
    expect(svc.ledger.head().seq).toBe(head);

    // The user sets an own password again: a new key, enrolled by the reset.
    const qa2 = a.conn();
    await a.ok(qa2, 'auth.signIn', { userId: 'qa.li', password: 'reset-password-33' });
    await a.ok(qa2, 'auth.changePassword', { currentPassword: 'reset-password-33', newPassword: 'third-password-444' });
    const k2 = svc.identity.activeKey('qa.li')!;
    expect(k2.id).not.toBe(k1.id);
    await a.ok(qa2, 'audit.review', review(a, 'third-password-444'));
    const keys = (await a.ok(a.admin, 'keys.list', {})).personal.filter((k) => k.userId === 'qa.li');
    expect(keys.map((k) => [k.id, k.enrolment, k.validTo === null])).toEqual([
      [k1.id, 'enrolled', false],
      [k2.id, 'enrolled', true],
    ]);
    expect((await verify(a)).findings).toEqual([]);

    // An insider with the host key writes an audit review signed with the old key anyway.
    const dbId = svc.ledger.getDatabaseId()!;
    const [, sigSeq] = appendAsInsider(
      { file: a.core.dbFile, key: a.core.key, anchors: a.core.anchors, dbId },
      { id: 'qa.li', name: '李质量' },
      (tx) => {
        const rev = {
          id: 'forged-review',
          rev: 1,
          retired: 0,
          through_seq: tx.headSeq,
          filter: '{}',
          comment: 'forged',
        };
        const s: Record<string, unknown> = {
          id: 'old-key-signature',
          rev: 1,
          retired: 0,
          entity: 'audit_review',
          entity_id: rev.id,
          meaning: 'audit_reviewed',
          user_id: 'qa.li',
          printed_name: '李质量',
          signed_at: tx.at,
          tz: 'Asia/Shanghai',
          comment: 'forged',
          record_hash: recordHash(E.auditReview, rev),
          key_id: k1.id,
          head_seq: tx.headSeq,
          head_hash: tx.headHash,
          sig: null,
        };
        s['sig'] = signEsig(old.privateKey, esigFieldsOf(s));
        return [
          { entity: 'audit_review', action: 'create', row: rev },
          { entity: 'signature', action: 'create', row: s },
        ];
      },
    );
    const found = (await verify(a)).findings;
    expect(found.map((f) => [f.kind, f.seq, f.entity, f.id])).toEqual([
      ['signature_invalid', sigSeq, 'signature', 'old-key-signature'],
    ]);
    expect(found[0]!.detail).toMatch(/not valid at/);
  });

  it('the ledger refuses a decision without a valid personal signature of an entitled signer (signature_required), writing nothing', async () => {
    const a = await app();
    const svc = a.core.need();
    await a.userWith(['technician'], 'tech.zhao');
    const head = svc.ledger.head().seq;
    // No signature at all.
    expect(() =>
      svc.ledger.write({ id: 'qa', name: 'QA' }, (w) =>
        w.create(E.auditReview, { through_seq: head, filter: '{}', comment: 'unsigned' }),
      ),
    ).toThrow(/signature_required/);
    // A valid personal signature of someone not entitled (a technician reviewing the audit trail).
    const tech = await svc.identity.authenticateSigner('tech.zhao', USER_PASSWORD);
    expect(() =>
      svc.ledger.write(actorOf(tech), (w) => {
        const r = w.create(E.auditReview, { through_seq: head, filter: '{}', comment: 'not mine to sign' });
        svc.identity.sign(w, tech, { def: E.auditReview, id: r.id }, { meaning: 'audit_reviewed' });
      }),
    ).toThrow(/signer_not_entitled/);
    // A Signer is good for one transaction: its unsealed key is dropped afterwards.
    expect(() =>
      svc.ledger.write(actorOf(tech), (w) =>
        svc.identity.sign(w, tech, { def: E.user, id: 'tech.zhao' }, { meaning: 'authored' }),
      ),
    ).toThrow(/needs the Signer returned by authenticateSigner/);
    expect(svc.ledger.head().seq).toBe(head);
  });

  it('refuses a meaning the channel does not sign (invalid_input) before the password is checked', async () => {
    const a = await app();
    const qa = await a.userWith(['qa_manager'], 'qa.sun');
    const r = await a.call(qa, 'audit.review', {
      ...review(a, 'wrong-password'),
      signature: { password: 'wrong-password', meaning: 'released' },
    });
    expect(code(r)).toBe('invalid_input');
    expect(r.ok ? null : r.error.messageKey).toBe('errors.signature_meaning_mismatch');
    expect(a.core.need().identity.failedAttempts('qa.sun')).toBe(0);
    expect(
      code(
        await a.call(a.admin, 'users.create', {
          userId: 'x.y',
          printedName: 'X',
          roles: ['technician'],
          password: 'initial-password-1',
          signature: { password: ADMIN_PASSWORD, meaning: 'approved' },
        }),
      ),
    ).toBe('invalid_input');
    expect(
      code(
        await a.call(qa, 'specs.approve', {
          versionId: 'none',
          signature: { password: USER_PASSWORD, meaning: 'released' },
        }),
      ),
    ).toBe('invalid_input');
  });

  it('a successful authentication (sign-in, signing) resets the failure counter and is recorded with the failures before it', async () => {
    const a = await app();
    const svc = a.core.need();
    await a.userWith(['qa_manager'], 'qa.he');
    const c = a.conn();
    for (let i = 0; i < 2; i++)
      expect(code(await a.call(c, 'auth.signIn', { userId: 'qa.he', password: 'wrong-password' }))).toBe(
        'wrong_password',
      );
    expect(svc.identity.failedAttempts('qa.he')).toBe(2);
    const s = await a.ok(c, 'auth.signIn', { userId: 'qa.he', password: USER_PASSWORD });
    expect(s.warnings).toContainEqual({ key: 'warnings.failed_attempts', details: { count: 2 } });
    expect(svc.identity.failedAttempts('qa.he')).toBe(0);
    const kinds = () =>
      (
        svc.ledger.db.prepare("SELECT kind FROM auth_event WHERE user_id = 'qa.he' ORDER BY at, rowid").all() as Array<{
          kind: string;
        }>
      ).map((r) => r.kind);
    expect(kinds().filter((k) => k === 'sign_in_failed')).toHaveLength(2);
    expect(kinds().filter((k) => k === 'sign_in')).toHaveLength(2);
    // A wrong signature password counts; the next successful signing resets and records it.
    expect(code(await a.call(c, 'audit.review', review(a, 'wrong-password')))).toBe('wrong_password');
    expect(svc.identity.failedAttempts('qa.he')).toBe(1);
    await a.ok(c, 'audit.review', review(a, USER_PASSWORD));
    expect(svc.identity.failedAttempts('qa.he')).toBe(0);
    expect(kinds()).toContain('signature_failed');
    expect(kinds()).toContain('signature_authenticated');
  });
});

describe('upgrade of a database made before personal keys', () => {
  /** A database as LotSeal wrote it before migration 0011: its own schema, entries and checkpoints. */
  async function legacyDatabase(env: TestEnv): Promise<void> {
    mkdirSync(env.dir, { recursive: true });
    const db = openSqlite(env.file, { mustExist: false });
    for (const m of migrations.filter((x) => x.id < '0011')) db.exec(m.sql);
    db.close();
    const target = { file: env.file, key: env.key, anchors: env.anchors, dbId: 'legacy-db' };
    const sys = { id: 'system', name: 'System' };
    const t0 = Date.now() - 60_000;
    const user = async (id: string, roles: string[], password: string) => ({
      id,
      rev: 1,
      retired: 0,
      printed_name: `Old ${id}`,
      roles: JSON.stringify(roles),
      status: 'active',
      password_hash: await hashPassword(password),
      password_history: '[]',
      password_changed_at: t0,
      must_change_password: 0,
      failed_attempts: 0,
      last_sign_in_at: null,
      created_at: t0,
    });
    const admin = await user('admin', ['administrator'], ADMIN_PASSWORD);
    const qa = await user('qa.old', ['qa_manager'], USER_PASSWORD);
    appendAsInsider(
      target,
      sys,
      () => [
        {
          entity: 'signing_key',
          action: 'create',
          row: {
            id: env.key.id,
            rev: 1,
            retired: 0,
            public_key: env.key.publicKey,
            fingerprint: env.key.fingerprint,
            host: 'test-host',
            host_kind: 'cli',
            valid_from: t0,
            valid_to: null,
          },
        },
        {
          entity: 'database',
          action: 'create',
          row: { id: 'legacy-db', rev: 1, retired: 0, created_at: t0, app_version: '0.1.0' },
        },
        ...migrations
          .filter((m) => m.id < '0011')
          .map((m) => ({
            entity: 'schema_migration',
            action: 'create' as const,
            row: { id: m.id, rev: 1, retired: 0, name: m.name, sha256: migrationHash(m), applied_at: t0 },
          })),
      ],
      { at: t0 },
    );
    appendAsInsider(target, sys, () => [{ entity: 'user', action: 'create', row: admin }], { at: t0 });
    appendAsInsider(target, { id: 'admin', name: 'Old admin' }, () => [{ entity: 'user', action: 'create', row: qa }], {
      at: t0,
    });
    // A signature of the time: a record, without a personal signature.
    appendAsInsider(
      target,
      { id: 'qa.old', name: 'Old qa.old' },
      () => {
        const rev = {
          id: 'old-review',
          rev: 1,
          retired: 0,
          through_seq: 3,
          filter: '{}',
          comment: 'before the upgrade',
        };
        return [
          { entity: 'audit_review', action: 'create', row: rev },
          {
            entity: 'signature',
            action: 'create',
            row: {
              id: 'old-signature',
              rev: 1,
              retired: 0,
              entity: 'audit_review',
              entity_id: 'old-review',
              meaning: 'audit_reviewed',
              user_id: 'qa.old',
              printed_name: 'Old qa.old',
              signed_at: t0,
              tz: 'Asia/Shanghai',
              comment: null,
              record_hash: recordHash(E.auditReview, rev),
            },
          },
        ];
      },
      { at: t0 },
    );
  }

  it('accounts older than migration 0011 get a key at their first own-password authentication (enrolment `upgrade`, listed by verify); old signatures are legacy, not findings', async () => {
    atProductionKdf();
    const env = makeEnv('lotseal-upgrade-');
    envs.push(env);
    await legacyDatabase(env);
    const core = new AppCore({
      dataDir: env.dataDir,
      dbFile: env.file,
      hostKind: 'cli',
      protector: passphraseProtector(PASSPHRASE),
      host: 'test-host',
      log: quietLog,
    });
    try {
      const svc = core.need();
      expect(svc.ledger.db.prepare("SELECT id FROM schema_migration WHERE id = '0011'").get()).toBeTruthy();
      const conn = { id: 'qa', locale: 'en' as const };
      const call = async <T>(name: string, input: unknown): Promise<T> => {
        const r = await core.dispatcher.call(conn, name as never, input as never);
        if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
        return r.data as T;
      };
      expect(svc.identity.activeKey('qa.old')).toBeUndefined();
      await call('auth.signIn', { userId: 'qa.old', password: USER_PASSWORD });
      const k = svc.identity.activeKey('qa.old')!;
      expect(k.enrolment).toBe('upgrade');
      await call('audit.review', {
        throughSeq: svc.ledger.head().seq,
        filter: {},
        comment: 'after the upgrade',
        signature: { password: USER_PASSWORD, meaning: 'audit_reviewed' },
      });
      const sigs = svc.identity.signaturesFor('audit_review', 'old-review');
      expect(sigs.map((s) => s.personal)).toEqual(['legacy']);
      const report = await verifyFile(env.file, { skewMs: SKEW_MS, anchor: env.anchors.read('legacy-db') });
      expect(report.findings).toEqual([]);
      expect(report.legacy_signatures).toBe(1);
      expect(report.signatures).toBe(1);
      expect(report.upgrade_keys).toEqual([{ seq: expect.any(Number), user: 'qa.old', key: k.id }]);
    } finally {
      core.close();
    }
  });
});
