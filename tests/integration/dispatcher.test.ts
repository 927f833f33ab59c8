import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/core';

describe('dispatcher', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await createTestApp();
  });
  afterEach(() => app.close());

  it('refuses an unknown channel with a typed error', async () => {
    const r = await app.core.dispatcher.call(app.admin, 'users.dropAll', {});
    expect(r).toEqual({ ok: false, error: { code: 'unknown_channel', messageKey: 'errors.unknown_channel', details: { channel: 'users.dropAll' } } });
  });

  it('refuses an invalid payload before any service runs, and writes nothing', async () => {
    const before = app.core.need().ledger.head();
    const r = await app.core.dispatcher.call(app.admin, 'users.create', { userId: 'X Y', printedName: '', roles: ['wizard'], password: 5 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid_input');
    const paths = (r.error.details?.['issues'] as Array<{ path: string }>).map((i) => i.path).sort();
    expect(paths).toEqual(['password', 'printedName', 'roles.0', 'signature', 'userId']);
    expect(app.core.need().ledger.head()).toEqual(before);
    expect(app.core.need().identity.getUser('x y')).toBeUndefined();
  });

  it('localises validation messages for a zh-CN connection', async () => {
    const c = { ...app.admin, locale: 'zh-CN' as const };
    const r = await app.core.dispatcher.call(c, 'users.create', { userId: 'ab', printedName: 'A', roles: [], password: 'x' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const msg = (r.error.details?.['issues'] as Array<{ message: string }>)[0]!.message;
    expect(msg).toMatch(/[\u4e00-\u9fff]/);
  });

  it('refuses calls without a session, and a locked session', async () => {
    const stranger = app.conn();
    expect((await app.call(stranger, 'users.list', {})).ok).toBe(false);
    await app.ok(app.admin, 'auth.lock', {});
    const r = await app.call(app.admin, 'users.list', {});
    expect(r.ok ? null : r.error.code).toBe('session_locked');
    await app.ok(app.admin, 'auth.unlock', { password: 'admin-password-1' });
    expect((await app.call(app.admin, 'users.list', {})).ok).toBe(true);
  });

  it('locks an idle session after the configured time', async () => {
    let now = Date.now();
    const idle = await createTestApp({ clock: () => now });
    try {
      expect((await idle.call(idle.admin, 'users.list', {})).ok).toBe(true);
      now += 16 * 60_000;
      const r = await idle.call(idle.admin, 'users.list', {});
      expect(r.ok ? null : r.error.code).toBe('session_locked');
      const wrong = await idle.call(idle.admin, 'auth.unlock', { password: 'not-the-password' });
      expect(wrong.ok ? null : wrong.error.code).toBe('wrong_password');
      await idle.ok(idle.admin, 'auth.unlock', { password: 'admin-password-1' });
      expect((await idle.call(idle.admin, 'users.list', {})).ok).toBe(true);
    } finally {
      idle.close();
    }
  });
});

describe('dispatcher messages', () => {
  it('says the contract’s own format rules in the user’s language', async () => {
    const app = await createTestApp();
    try {
      const zh = { ...app.admin, locale: 'zh-CN' as const };
      const r = await app.core.dispatcher.call(zh, 'users.create', { userId: 'Bad Id!', printedName: 'X', roles: ['technician'], password: 'long-enough-1' });
      const issue = r.ok ? null : (r.error.details?.['issues'] as Array<{ path: string; message: string }>).find((i) => i.path === 'userId');
      expect(issue?.message).toMatch(/用户 ID/);
    } finally {
      app.close();
    }
  });
});
