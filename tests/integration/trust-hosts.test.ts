/**
 * Issue 18 §5–7, §10: failed authentication of every kind leaves the database byte for byte as
 * it was; host keys are registered only at init or by an administrator's enrolment; no quiet
 * rollback; password rules on the command line; paper witnesses.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AppCore } from '../../src/main/app/core';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { passphraseProtector } from '../../src/main/ledger/keys';
import { verifyFile } from '../../src/main/ledger/verify-runner';
import type { ChannelInput, ChannelName, ChannelOutput, Result } from '../../src/shared/contract';
import { lotseal } from '../helpers/cli';
import {
  ADMIN_PASSWORD,
  ADMIN_SIGNATURE,
  USER_PASSWORD,
  createTestApp,
  quietLog,
  tempDir,
  type TestApp,
} from '../helpers/core';

const sha = (f: string): string =>
  existsSync(f) ? createHash('sha256').update(readFileSync(f)).digest('hex') : 'absent';
/** The database as bytes: the main file and its write-ahead log (a write lands in one of them). */
const fingerprint = (file: string): string => `${sha(file)}/${sha(`${file}-wal`)}`;
const code = (r: { ok: boolean; error?: { code: string } }): string | null => (r.ok ? null : r.error!.code);
const errorOf = (r: { json: unknown }): string => (r.json as { error: string }).error;

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

/** An AppCore on an existing data folder and database, as the harness or desktop opens it. */
function openCore(dataDir: string, dbFile: string, hostKind: 'harness' | 'cli' = 'harness') {
  const core = new AppCore({
    dataDir,
    dbFile,
    hostKind,
    protector: passphraseProtector('test-passphrase'),
    host: 'test-host',
    log: quietLog,
  });
  cleanups.unshift(() => core.close());
  let n = 0;
  const conn = (): Connection => ({ id: `c${++n}`, locale: 'en' });
  const call = async <K extends ChannelName>(c: Connection, name: K, input: ChannelInput<K>) =>
    (await core.dispatcher.call(c, name, input)) as Result<ChannelOutput<K>>;
  const ok = async <K extends ChannelName>(c: Connection, name: K, input: ChannelInput<K>) => {
    const r = await call(c, name, input);
    if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
    return r.data;
  };
  return { core, conn, call, ok };
}

describe('failed authentication writes nothing', () => {
  it('a wrong password, an unknown user, a wrong signature, unlock, password change, restore, enrolment or recovery code: the database file is byte-identical; the sidecar counts', async () => {
    const a: TestApp = await createTestApp();
    cleanups.unshift(() => a.close());
    const svc = a.core.need();
    const qa = await a.userWith(['qa_manager'], 'qa.ma');
    const it = await a.userWith(['administrator'], 'it.admin');
    const file = a.core.dbFile;
    svc.ledger.db.pragma('wal_checkpoint(TRUNCATE)');
    const before = fingerprint(file);
    const c = a.conn();
    expect(code(await a.call(c, 'auth.signIn', { userId: 'qa.ma', password: 'wrong-password' }))).toBe(
      'wrong_password',
    );
    expect(code(await a.call(c, 'auth.signIn', { userId: 'nobody.here', password: 'wrong-password' }))).toBe(
      'wrong_password',
    );
    expect(
      code(
        await a.call(qa, 'audit.review', {
          throughSeq: 1,
          filter: {},
          comment: 'a review',
          signature: { password: 'wrong-password', meaning: 'audit_reviewed' },
        }),
      ),
    ).toBe('wrong_password');
    await a.ok(qa, 'auth.lock', {});
    expect(code(await a.call(qa, 'auth.unlock', { password: 'wrong-password' }))).toBe('wrong_password');
    expect(
      code(
        await a.call(a.admin, 'auth.changePassword', {
          currentPassword: 'wrong-password',
          newPassword: 'another-password-9',
        }),
      ),
    ).toBe('wrong_password');
    expect(
      code(
        await a.call(a.admin, 'backup.restore', {
          file: '/nonexistent.db',
          reason: 'restore test',
          password: 'wrong-password',
        }),
      ),
    ).toBe('wrong_password');
    expect(
      code(
        await a.call(a.admin, 'users.create', {
          userId: 'x.z',
          printedName: 'X',
          roles: ['technician'],
          password: 'initial-password-1',
          signature: { password: 'wrong-password', meaning: 'enrolled' },
        }),
      ),
    ).toBe('wrong_password');
    expect(
      code(await a.call(a.admin, 'host.enrol', { signature: { password: 'wrong-password', meaning: 'enrolled' } })),
    ).toBe('wrong_password');
    await expect(svc.identity.unlockWithRecoveryCode('admin', 'AAAA-BBBB-CCCC-DDDD-EEEE')).rejects.toThrow(
      /wrong_password/,
    );
    // qa.ma: four failures; the fifth locks, the right password is then refused too.
    expect(code(await a.call(c, 'auth.signIn', { userId: 'qa.ma', password: 'wrong-password' }))).toBe(
      'wrong_password',
    );
    expect(code(await a.call(c, 'auth.signIn', { userId: 'qa.ma', password: 'wrong-password' }))).toBe(
      'account_locked',
    );
    expect(code(await a.call(c, 'auth.signIn', { userId: 'qa.ma', password: USER_PASSWORD }))).toBe('account_locked');
    expect(fingerprint(file)).toBe(before);
    const lines = svc.identity.sidecar.lines();
    expect(lines.filter((l) => l.user === 'qa.ma' && l.kind.endsWith('_failed'))).toHaveLength(5);
    expect(lines.some((l) => l.user === 'nobody.here')).toBe(true);
    expect(readFileSync(`${file}.auth-log`, 'utf8').split('\n').filter(Boolean).length).toBe(lines.length);
    // admin: a wrong current password, restore password, two wrong signatures and a wrong
    // recovery code are five failures: locked as well.
    expect(svc.identity.failedAttempts('admin')).toBe(5);
    expect(svc.identity.effectiveStatus(svc.identity.getUser('admin')!)).toBe('locked');
    // The lockout holds for the open sessions too, and an administrator's unlock carries it all in.
    expect(code(await a.call(qa, 'audit.reviews', {}))).toBe('not_signed_in');
    expect(code(await a.call(a.admin, 'users.list', {}))).toBe('not_signed_in');
    await a.ok(it, 'users.unlock', { userId: 'qa.ma', reason: 'identity confirmed by phone' });
    const carried = svc.ledger.db.prepare("SELECT kind FROM auth_event WHERE user_id = 'qa.ma'").all() as Array<{
      kind: string;
    }>;
    expect(carried.map((k) => k.kind).filter((k) => k.endsWith('_failed')).length).toBe(5);
    expect(carried.map((k) => k.kind)).toContain('account_locked');
    await a.ok(a.conn(), 'auth.signIn', { userId: 'qa.ma', password: USER_PASSWORD });
  });
});

describe('host keys: only at init or by an administrator’s enrolment', () => {
  it('CLI: an unenrolled host cannot write, a refused enrolment writes nothing, `host enrol` by an administrator does; the app enrols from its settings', async () => {
    const d = dir();
    const db = join(d, 'plant.db');
    const pw = join(d, 'pw.txt');
    writeFileSync(pw, `${ADMIN_PASSWORD}\n`);
    const hostA = join(d, 'host-a');
    const hostB = join(d, 'host-b');
    expect(lotseal(['init', '--db', db, '--admin', 'admin', '--password-file', pw], { dataDir: hostA }).code).toBe(0);
    const npw = join(d, 'npw.txt');
    writeFileSync(npw, 'tech-password-01\n');
    const add = (host: string, id: string) =>
      lotseal(
        [
          'user',
          'add',
          '--db',
          db,
          '--user',
          'admin',
          '--password-file',
          pw,
          '--new-user',
          id,
          '--name',
          id,
          '--roles',
          'technician',
          '--new-password-file',
          npw,
          '--json',
        ],
        { dataDir: host },
      );
    expect(add(hostA, 'li.tech').code).toBe(0);
    const before = sha(db);
    // Host B's first command: authenticated, but its key is not enrolled, so nothing is written.
    const refused = add(hostB, 'wang.tech');
    expect(refused.code).toBe(2);
    expect(errorOf(refused)).toBe('workstation_not_registered');
    expect(refused.stderr).toMatch(/lotseal host enrol/);
    const bad = join(d, 'bad.txt');
    writeFileSync(bad, 'not-the-password\n');
    expect(
      lotseal(['host', 'enrol', '--db', db, '--user', 'admin', '--password-file', bad, '--json'], { dataDir: hostB })
        .code,
    ).toBe(2);
    expect(
      lotseal(['host', 'enrol', '--db', db, '--user', 'li.tech', '--password-file', npw, '--json'], { dataDir: hostB })
        .code,
    ).toBe(2);
    expect(sha(db)).toBe(before);
    const enrol = lotseal(
      ['host', 'enrol', '--db', db, '--user', 'admin', '--password-file', pw, '--name', 'IT-LAPTOP-3', '--json'],
      { dataDir: hostB },
    );
    expect(enrol.code, enrol.stderr).toBe(0);
    expect(add(hostB, 'wang.tech').code).toBe(0);
    const v = lotseal(['verify', '--db', db, '--json'], { dataDir: hostB });
    expect(v.code, v.stdout).toBe(0);
    const keys = (v.json as { keys: Array<{ fingerprint: string; host: string }> }).keys;
    expect(keys.map((k) => k.host)).toEqual([expect.stringMatching(/^cli@/), 'cli@IT-LAPTOP-3']);
    expect(keys[1]!.fingerprint).toBe((enrol.json as { fingerprint: string }).fingerprint);

    // The app on the same database: its own key is not enrolled either.
    const app = openCore(join(d, 'app-data'), db);
    const fp = sha(db);
    expect((await app.call(app.conn(), 'auth.signIn', { userId: 'li.tech', password: 'tech-password-01' })).ok).toBe(
      false,
    );
    const admin = app.conn();
    const session = await app.ok(admin, 'auth.signIn', { userId: 'admin', password: ADMIN_PASSWORD });
    expect(session.warnings.map((w) => w.key)).toContain('warnings.workstation_not_enrolled');
    expect(
      code(
        await app.call(admin, 'users.create', {
          userId: 'zhou.tech',
          printedName: 'Zhou',
          roles: ['technician'],
          password: 'initial-password-1',
          signature: ADMIN_SIGNATURE,
        }),
      ),
    ).toBe('workstation_not_registered');
    app.core.need().ledger.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(sha(db)).toBe(fp);
    expect((await app.ok(admin, 'host.status', {})).enrolled).toBe(false);
    await app.ok(admin, 'host.enrol', { name: 'QA-PC-01', signature: ADMIN_SIGNATURE });
    expect((await app.ok(admin, 'host.status', {})).enrolled).toBe(true);
    await app.ok(admin, 'users.create', {
      userId: 'zhou.tech',
      printedName: 'Zhou',
      roles: ['technician'],
      password: 'initial-password-1',
      signature: ADMIN_SIGNATURE,
    });
    const hosts = (await app.ok(admin, 'keys.list', {})).hosts;
    expect(hosts.map((h) => [h.host, h.enrolledBy])).toEqual([
      [expect.any(String), null],
      ['IT-LAPTOP-3', 'admin'],
      ['QA-PC-01', 'admin'],
    ]);
    // The admin's sign-in before the enrolment was carried in with it.
    const events = app.core
      .need()
      .ledger.db.prepare("SELECT kind, ws FROM auth_event WHERE user_id = 'admin' AND kind = 'sign_in'")
      .all() as Array<{ kind: string; ws: string }>;
    expect(events).toContainEqual({ kind: 'sign_in', ws: 'harness@test-host' });
    const report = await verifyFile(db, { skewMs: 300_000, anchor: null });
    expect(report.findings).toEqual([]);
  });
});

describe('no quiet rollback', () => {
  it('CLI: an older copy put back is refused at the next write; verify names anchor_behind without flags; a signed acknowledgement records it and writing resumes', () => {
    const d = dir();
    const db = join(d, 'plant.db');
    const host = join(d, 'host');
    const pw = join(d, 'pw.txt');
    writeFileSync(pw, `${ADMIN_PASSWORD}\n`);
    const npw = join(d, 'npw.txt');
    writeFileSync(npw, 'tech-password-01\n');
    const add = (id: string) =>
      lotseal(
        [
          'user',
          'add',
          '--db',
          db,
          '--user',
          'admin',
          '--password-file',
          pw,
          '--new-user',
          id,
          '--name',
          id,
          '--roles',
          'technician',
          '--new-password-file',
          npw,
          '--json',
        ],
        { dataDir: host },
      );
    expect(lotseal(['init', '--db', db, '--admin', 'admin', '--password-file', pw], { dataDir: host }).code).toBe(0);
    expect(add('one.tech').code).toBe(0);
    copyFileSync(db, `${db}.old`);
    expect(add('two.tech').code).toBe(0);
    copyFileSync(`${db}.old`, db);
    const before = sha(db);
    const refused = add('three.tech');
    expect(refused.code).toBe(2);
    expect(errorOf(refused)).toBe('ledger_blocked');
    expect(refused.stderr).toMatch(/older copy/);
    expect(refused.stderr).toMatch(/acknowledge-rollback/);
    expect(sha(db)).toBe(before);
    const v = lotseal(['verify', '--db', db, '--json'], { dataDir: host });
    expect(v.code).toBe(1);
    expect((v.json as { findings: Array<{ kind: string }> }).findings.map((f) => f.kind)).toEqual(['anchor_behind']);
    expect(lotseal(['verify', '--db', db, '--no-anchor', '--json'], { dataDir: host }).code).toBe(0);
    const ack = lotseal(
      [
        'host',
        'acknowledge-rollback',
        '--db',
        db,
        '--user',
        'admin',
        '--password-file',
        pw,
        '--reason',
        'the newer copy was lost with the old disk',
        '--json',
      ],
      { dataDir: host },
    );
    expect(ack.code, ack.stderr).toBe(0);
    expect(ack.json).toMatchObject({ ok: true, finding: 'anchor_behind' });
    expect(lotseal(['verify', '--db', db, '--json'], { dataDir: host }).code).toBe(0);
    expect(add('three.tech').code).toBe(0);
    const raw = new Database(db, { readonly: true });
    expect(raw.prepare('SELECT finding, reason FROM rollback_acknowledgement').all()).toEqual([
      { finding: 'anchor_behind', reason: 'the newer copy was lost with the old disk' },
    ]);
    expect(
      raw.prepare("SELECT meaning, user_id FROM signature WHERE entity = 'rollback_acknowledgement'").all(),
    ).toEqual([{ meaning: 'acknowledged', user_id: 'admin' }]);
    raw.close();
  });

  it('harness: the start-up check finds it, every write is refused with a clear message, the administrator acknowledges from the settings', async () => {
    const d = dir();
    const dataDir = join(d, 'data');
    mkdirSync(dataDir);
    const db = join(dataDir, 'lotseal.db');
    let app = openCore(dataDir, db);
    const admin = app.conn();
    await app.ok(admin, 'app.setup', { userId: 'admin', printedName: 'Admin', password: ADMIN_PASSWORD });
    await app.ok(admin, 'auth.signIn', { userId: 'admin', password: ADMIN_PASSWORD });
    app.core.close();
    copyFileSync(db, `${db}.old`);
    app = openCore(dataDir, db);
    const a2 = app.conn();
    await app.ok(a2, 'auth.signIn', { userId: 'admin', password: ADMIN_PASSWORD });
    await app.ok(a2, 'users.create', {
      userId: 'one.tech',
      printedName: 'One',
      roles: ['technician'],
      password: 'initial-password-1',
      signature: ADMIN_SIGNATURE,
    });
    app.core.close();
    for (const s of ['-wal', '-shm']) rmSync(db + s, { force: true });
    copyFileSync(`${db}.old`, db);
    app = openCore(dataDir, db);
    const state = app.core.ledgerState();
    expect(state.blocked).toMatchObject({ finding: 'anchor_behind' });
    expect(app.core.startupFindings.map((f) => f.kind)).toEqual(['anchor_behind']);
    const a3 = app.conn();
    const s = await app.ok(a3, 'auth.signIn', { userId: 'admin', password: ADMIN_PASSWORD });
    expect(s.warnings.map((w) => w.key)).toContain('errors.anchor_ahead_of_database');
    const before = sha(db);
    const r = await app.call(a3, 'users.create', {
      userId: 'two.tech',
      printedName: 'Two',
      roles: ['technician'],
      password: 'initial-password-1',
      signature: ADMIN_SIGNATURE,
    });
    expect(r.ok ? null : [r.error.code, r.error.messageKey]).toEqual([
      'ledger_blocked',
      'errors.anchor_ahead_of_database',
    ]);
    expect(sha(db)).toBe(before);
    await app.ok(a3, 'host.acknowledgeRollback', {
      reason: 'restored from the weekly backup on purpose',
      signature: { password: ADMIN_PASSWORD, meaning: 'acknowledged' },
    });
    expect(app.core.ledgerState().blocked).toBeNull();
    await app.ok(a3, 'users.create', {
      userId: 'two.tech',
      printedName: 'Two',
      roles: ['technician'],
      password: 'initial-password-1',
      signature: ADMIN_SIGNATURE,
    });
    const dbId = app.core.need().ledger.getDatabaseId()!;
    expect((await verifyFile(db, { skewMs: 300_000, anchor: app.core.anchors.read(dbId) })).findings).toEqual([]);
  });
});

describe('password rules on the command line', () => {
  it('refuses an initial password with how to change it, writing nothing; `user passwd` changes it and makes the personal key', () => {
    const d = dir();
    const db = join(d, 'plant.db');
    const host = join(d, 'host');
    const pw = join(d, 'pw.txt');
    writeFileSync(pw, `${ADMIN_PASSWORD}\n`);
    const init2 = join(d, 'init2.txt');
    writeFileSync(init2, 'initial-password-2\n');
    const new2 = join(d, 'new2.txt');
    writeFileSync(new2, 'admin2-own-password\n');
    expect(lotseal(['init', '--db', db, '--admin', 'admin', '--password-file', pw], { dataDir: host }).code).toBe(0);
    expect(
      lotseal(
        [
          'user',
          'add',
          '--db',
          db,
          '--user',
          'admin',
          '--password-file',
          pw,
          '--new-user',
          'admin2',
          '--name',
          'Admin 2',
          '--roles',
          'administrator',
          '--new-password-file',
          init2,
        ],
        { dataDir: host },
      ).code,
    ).toBe(0);
    const before = sha(db);
    const r = lotseal(['user', 'list', '--db', db, '--user', 'admin2', '--password-file', init2, '--json'], {
      dataDir: host,
    });
    expect(r.code).toBe(2);
    expect(errorOf(r)).toBe('must_change_password');
    expect(r.stderr).toMatch(/lotseal user passwd --user admin2 --password-file OLD --new-password-file NEW/);
    expect(sha(db)).toBe(before);
    const p = lotseal(
      [
        'user',
        'passwd',
        '--db',
        db,
        '--user',
        'admin2',
        '--password-file',
        init2,
        '--new-password-file',
        new2,
        '--json',
      ],
      { dataDir: host },
    );
    expect(p.code, p.stderr).toBe(0);
    expect((p.json as { key_fingerprint: string }).key_fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(
      lotseal(['user', 'list', '--db', db, '--user', 'admin2', '--password-file', new2, '--json'], { dataDir: host })
        .code,
    ).toBe(0);
    expect(lotseal(['verify', '--db', db], { dataDir: host }).code).toBe(0);
  });

  it('refuses an expired password on the command-line path', async () => {
    let now = Date.now() - 10 * 86_400_000;
    const a = await createTestApp({ clock: () => now });
    cleanups.unshift(() => a.close());
    const s = await a.ok(a.admin, 'settings.get', {});
    await a.ok(a.admin, 'settings.update', {
      settings: { ...s, passwordExpiryDays: 1 },
      reason: 'short expiry for the test',
    });
    now += 3 * 86_400_000;
    await expect(a.core.need().identity.authenticateCommand('admin', ADMIN_PASSWORD)).rejects.toMatchObject({
      error: {
        code: 'password_expired',
        messageKey: 'errors.cli_password_expired',
        details: { how: expect.stringMatching(/lotseal user passwd/) },
      },
    });
  });
});

describe('paper witnesses', () => {
  it('verify --witness SEQ:HASH confirms the head the chain holds, names a wrong one; the app accepts a scanned COA code', async () => {
    const a = await createTestApp();
    cleanups.unshift(() => a.close());
    const head = a.core.need().ledger.head();
    const good = await a.ok(a.admin, 'ledger.witness', {
      text: `LOTSEAL|COA|FG-20260301-001|${head.seq}|${head.hash}`,
    });
    expect(good).toMatchObject({ holds: true, seq: head.seq, source: 'COA', subject: 'FG-20260301-001' });
    const wrong = await a.ok(a.admin, 'ledger.witness', { text: `${head.seq}:${'a'.repeat(64)}` });
    expect(wrong).toMatchObject({ holds: false, stored: head.hash });
    expect(code(await a.call(a.admin, 'ledger.witness', { text: 'not a witness' }))).toBe('invalid_input');
    a.core.need().ledger.db.pragma('wal_checkpoint(TRUNCATE)');
    const env = { dataDir: a.dir };
    const ok = lotseal(
      ['verify', '--db', a.core.dbFile, '--no-anchor', '--witness', `${head.seq}:${head.hash}`, '--json'],
      env,
    );
    expect(ok.code, ok.stdout).toBe(0);
    const bad = lotseal(
      [
        'verify',
        '--db',
        a.core.dbFile,
        '--no-anchor',
        '--witness',
        `${head.seq}:${'b'.repeat(64)}`,
        '--witness',
        `${head.seq + 100}:${head.hash}`,
        '--json',
      ],
      env,
    );
    expect(bad.code).toBe(1);
    expect(
      (bad.json as { findings: Array<{ kind: string; seq: number }> }).findings.map((f) => [f.kind, f.seq]),
    ).toEqual([
      ['witness_mismatch', head.seq],
      ['witness_mismatch', head.seq + 100],
    ]);
  });
});
