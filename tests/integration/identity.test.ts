import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { E } from '../../src/main/ledger/entities';
import { createTestApp, ADMIN_PASSWORD, ADMIN_SIGNATURE, USER_PASSWORD, type TestApp } from '../helpers/core';

const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? null : r.error!.code);

describe('identity: accounts, sign-in, signatures', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp();
  });
  afterEach(() => app.close());

  it('locks an account after five consecutive failures; an administrator unlocks it; every event is in the audit trail', async () => {
    await app.userWith(['technician'], 'zhang.san');
    const c = app.conn();
    for (let i = 1; i <= 4; i++)
      expect(code(await app.call(c, 'auth.signIn', { userId: 'zhang.san', password: 'wrong-password' }))).toBe(
        'wrong_password',
      );
    expect(code(await app.call(c, 'auth.signIn', { userId: 'zhang.san', password: 'wrong-password' }))).toBe(
      'account_locked',
    );
    expect(code(await app.call(c, 'auth.signIn', { userId: 'zhang.san', password: USER_PASSWORD }))).toBe(
      'account_locked',
    );
    const listed = await app.ok(app.admin, 'users.list', {});
    expect(listed.find((u) => u.userId === 'zhang.san')).toMatchObject({ status: 'locked', failedAttempts: 5 });
    await app.ok(app.admin, 'users.unlock', { userId: 'zhang.san', reason: 'identity confirmed by phone' });
    await app.ok(c, 'auth.signIn', { userId: 'zhang.san', password: USER_PASSWORD });
    const events = await app.ok(app.admin, 'audit.query', { filter: { entity: 'auth_event' }, offset: 0, limit: 100 });
    const kinds = events.entries.map((e) => e.entityId);
    expect(kinds.length).toBeGreaterThan(0);
    const details = await Promise.all(events.entries.map((e) => app.ok(app.admin, 'audit.entry', { seq: e.seq })));
    const eventKinds = details.map((d) => d.after['kind']);
    expect(eventKinds.filter((k) => k === 'sign_in_failed')).toHaveLength(5);
    expect(eventKinds).toContain('account_locked');
    expect(eventKinds).toContain('account_unlocked');
    const failure = details.find((d) => d.after['kind'] === 'sign_in_failed')!;
    expect(failure.after['ws']).toBe('harness@test-host');
    expect(failure.entry.at).toMatch(/Z$/);
  });

  it('enforces the password policy and the forced change at first sign-in', async () => {
    const tooShort = await app.call(app.admin, 'users.create', {
      userId: 'li.si',
      printedName: '李四',
      roles: ['technician'],
      password: 'short',
      signature: ADMIN_SIGNATURE,
    });
    expect(code(tooShort)).toBe('password_policy');
    const same = await app.call(app.admin, 'users.create', {
      userId: 'li.si.long',
      printedName: '李四',
      roles: ['technician'],
      password: 'li.si.long',
      signature: ADMIN_SIGNATURE,
    });
    expect(code(same)).toBe('password_policy');
    await app.ok(app.admin, 'users.create', {
      userId: 'li.si',
      printedName: '李四',
      roles: ['technician'],
      password: 'initial-password-1',
      signature: ADMIN_SIGNATURE,
    });
    const c = app.conn();
    const s = await app.ok(c, 'auth.signIn', { userId: 'li.si', password: 'initial-password-1' });
    expect(s.mustChangePassword).toBe(true);
    expect(code(await app.call(c, 'audit.query', { filter: {}, offset: 0, limit: 1 }))).toBe('must_change_password');
    const reuse = await app.call(c, 'auth.changePassword', {
      currentPassword: 'initial-password-1',
      newPassword: 'initial-password-1',
    });
    expect(code(reuse)).toBe('password_policy');
    const changed = await app.ok(c, 'auth.changePassword', {
      currentPassword: 'initial-password-1',
      newPassword: 'second-password-2',
    });
    expect(changed.mustChangePassword).toBe(false);
    expect(code(await app.call(c, 'audit.query', { filter: {}, offset: 0, limit: 1 }))).toBe(null);
    // Not one of the last five.
    await app.ok(c, 'auth.changePassword', { currentPassword: 'second-password-2', newPassword: 'third-password-33' });
    expect(
      code(
        await app.call(c, 'auth.changePassword', {
          currentPassword: 'third-password-33',
          newPassword: 'second-password-2',
        }),
      ),
    ).toBe('password_policy');
  });

  it('refuses administrator combined with reviewer or QA manager, and never leaves the plant without an active administrator', async () => {
    expect(
      code(
        await app.call(app.admin, 'users.create', {
          userId: 'boss',
          printedName: 'Boss',
          roles: ['administrator', 'qa_manager'],
          password: 'boss-password-1',
          signature: ADMIN_SIGNATURE,
        }),
      ),
    ).toBe('segregation_of_duties');
    await app.userWith(['reviewer'], 'rev');
    expect(
      code(
        await app.call(app.admin, 'users.update', {
          userId: 'rev',
          printedName: 'Rev',
          roles: ['reviewer', 'administrator'],
          reason: 'try to combine',
          signature: ADMIN_SIGNATURE,
        }),
      ),
    ).toBe('segregation_of_duties');
    // The only administrator cannot remove its own role nor be deactivated.
    expect(
      code(
        await app.call(app.admin, 'users.update', {
          userId: 'admin',
          printedName: 'Admin',
          roles: ['technician'],
          reason: 'drop admin role',
          signature: ADMIN_SIGNATURE,
        }),
      ),
    ).toBe('last_admin');
    await app.ok(app.admin, 'users.create', {
      userId: 'admin2',
      printedName: 'Second admin',
      roles: ['administrator'],
      password: 'admin2-password-1',
      signature: ADMIN_SIGNATURE,
    });
    const a2 = app.conn();
    await app.ok(a2, 'auth.signIn', { userId: 'admin2', password: 'admin2-password-1' });
    await app.ok(a2, 'auth.changePassword', { currentPassword: 'admin2-password-1', newPassword: 'admin2-password-2' });
    await app.ok(a2, 'users.deactivate', { userId: 'admin', reason: 'left the company' });
    expect(code(await app.call(app.admin, 'users.list', {}))).toBe('not_signed_in');
    expect(code(await app.call(a2, 'users.deactivate', { userId: 'admin2', reason: 'oops' }))).toBe('forbidden');
    // Deactivated, never deleted, and the id is never reused.
    expect(
      code(
        await app.call(a2, 'users.create', {
          userId: 'admin',
          printedName: 'New admin',
          roles: ['technician'],
          password: 'reuse-password-1',
          signature: { password: 'admin2-password-2', meaning: 'enrolled' },
        }),
      ),
    ).toBe('conflict');
  });

  it('signs with the password re-entered: a wrong one is refused and recorded; the signature shows printed name, time and meaning', async () => {
    const qa = await app.userWith(['qa_manager'], 'qa.wang');
    const head = app.core.need().ledger.head().seq;
    const wrong = await app.call(qa, 'audit.review', {
      throughSeq: head,
      filter: {},
      comment: 'monthly audit trail review',
      signature: { password: 'not-my-password', meaning: 'audit_reviewed' },
    });
    expect(code(wrong)).toBe('wrong_password');
    // Counted in the authentication sidecar, not written to the database (issue 18 §5).
    expect(app.core.need().identity.failedAttempts('qa.wang')).toBe(1);
    await app.ok(qa, 'audit.review', {
      throughSeq: head,
      filter: {},
      comment: 'monthly audit trail review',
      signature: { password: USER_PASSWORD, meaning: 'audit_reviewed' },
    });
    const reviews = await app.ok(qa, 'audit.reviews', {});
    expect(reviews).toHaveLength(1);
    const s = reviews[0]!.signatures[0]!;
    expect(s).toMatchObject({
      userId: 'qa.wang',
      printedName: 'User qa.wang',
      meaning: 'audit_reviewed',
      valid: true,
      comment: 'monthly audit trail review',
    });
    expect(s.signedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(s.recordHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('shows a signature as invalidated when its record changes after signing, and refuses the same person at two levels', async () => {
    const svc = app.core.need();
    // Sign a record at the service level (capabilities call this inside their transactions).
    const rec = svc.ledger.write({ id: 'admin', name: 'Admin' }, (w) =>
      w.create(E.setting, { value: '{"draft":1}' }, { id: 'signed-thing' }),
    );
    const first = await svc.identity.authenticateSigner('admin', ADMIN_PASSWORD);
    svc.ledger.write({ id: 'admin', name: 'Admin' }, (w) =>
      svc.identity.sign(w, first, { def: E.setting, id: rec.id }, { meaning: 'authored' }),
    );
    expect(svc.identity.signaturesFor('setting', rec.id).map((s) => [s.valid, s.personal])).toEqual([
      [true, 'verified'],
    ]);
    const second = await svc.identity.authenticateSigner('admin', ADMIN_PASSWORD);
    expect(() =>
      svc.ledger.write({ id: 'admin', name: 'Admin' }, (w) =>
        svc.identity.sign(
          w,
          second,
          { def: E.setting, id: rec.id },
          { meaning: 'reviewed', distinctFrom: ['authored'] },
        ),
      ),
    ).toThrow(/self_review/);
    svc.ledger.write({ id: 'admin', name: 'Admin' }, (w) =>
      w.update(E.setting, rec.id, { value: '{"draft":2}' }, { reason: 'changed after signing' }),
    );
    const after = await app.ok(app.admin, 'signatures.forRecord', { entity: 'setting', entityId: rec.id });
    expect(after.map((s) => s.valid)).toEqual([false]);
  });

  it('records no write without an authenticated user, except the system actor’s own entries', async () => {
    const tech = await app.userWith(['technician'], 'tech');
    await app.call(app.conn(), 'auth.signIn', { userId: 'tech', password: 'wrong-password' });
    await app.ok(tech, 'auth.signOut', {});
    const db = app.core.need().ledger.db;
    const system = db.prepare("SELECT DISTINCT entity FROM audit_entry WHERE actor = 'system'").all() as Array<{
      entity: string;
    }>;
    const allowedSystem = new Set([
      'database',
      'schema_migration',
      'signing_key',
      'user',
      'recovery_code',
      'personal_key',
      'auth_event',
      'verification_run',
      'backup_event',
    ]);
    for (const r of system) expect(allowedSystem.has(r.entity), r.entity).toBe(true);
    // System-made user changes are only the first administrator and failed-attempt counters.
    const sysUsers = db
      .prepare("SELECT action, reason FROM audit_entry WHERE actor = 'system' AND entity = 'user'")
      .all() as Array<{ action: string; reason: string }>;
    for (const u of sysUsers) expect(u.reason).toMatch(/first administrator|wrong password|recovery code/);
    const actors = db.prepare("SELECT DISTINCT actor FROM audit_entry WHERE actor <> 'system'").all() as Array<{
      actor: string;
    }>;
    const users = new Set(
      app.core
        .need()
        .identity.listUsers()
        .map((u) => u.id),
    );
    for (const a of actors) expect(users.has(a.actor)).toBe(true);
    void ADMIN_PASSWORD;
  });
});
