/**
 * Start-up never waits on a lock, and a busy database answers clearly (issue 24 §7, D-043).
 * Another process (the CLI's ERP import, here a child holding BEGIN IMMEDIATE) keeps the
 * write lock: the app still opens (start-up takes the lock only when a scheduled change is
 * due), reads work, and a write answers errors.database_busy after the UI's short wait,
 * changing nothing; once the lock is released the same write goes through.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppCore } from '../../src/main/app/core';
import { busyTimeout, setBusyTimeout, UI_BUSY_TIMEOUT_MS } from '../../src/main/db/database';
import { ADMIN_PASSWORD, createTestApp, quietLog, testKeyProtector, type TestApp } from '../helpers/core';

const require = createRequire(import.meta.url);

function holdWriteLock(file: string): Promise<{ child: ChildProcess; release: () => Promise<void> }> {
  const code = `const D=require(${JSON.stringify(require.resolve('better-sqlite3'))});const db=new D(process.argv[1]);db.exec('BEGIN IMMEDIATE');process.stdout.write('locked\\n');process.stdin.once('data',()=>{db.exec('COMMIT');db.close();process.exit(0)});`;
  const child = spawn(process.execPath, ['-e', code, file], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((res, rej) => {
    child.stdout!.once('data', () =>
      res({
        child,
        release: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.stdin!.write('go\n');
          }),
      }),
    );
    child.once('error', rej);
  });
}

describe('a database locked by another process', () => {
  let app: TestApp;
  const previous = busyTimeout();
  beforeAll(async () => {
    app = await createTestApp();
    setBusyTimeout(UI_BUSY_TIMEOUT_MS);
  });
  afterAll(() => {
    setBusyTimeout(previous);
    app.close();
  });

  it('start-up opens without the lock, reads work, writes say "busy" and change nothing', async () => {
    const dbFile = app.core.dbFile;
    app.core.close();
    const lock = await holdWriteLock(dbFile);
    let core: AppCore | null = null;
    try {
      // Nothing scheduled is due on this database: opening it needs no write lock (a start-up
      // that tried would have hit SQLITE_BUSY and logged it under the daily job).
      const logged: string[] = [];
      const log = {
        ...quietLog,
        error: (i: { channel: string }) => logged.push(`error ${i.channel}`),
        info: (m: string) => logged.push(`info ${m}`),
      };
      core = new AppCore({
        dataDir: app.dir,
        hostKind: 'harness',
        protector: testKeyProtector(),
        host: 'test-host',
        log,
      });
      expect(core.openError).toBeNull();
      expect(logged.filter((l) => /daily|busy/.test(l))).toEqual([]);
      const conn = { id: 'c-busy', locale: 'en' as const };
      const status = await core.dispatcher.call(conn, 'app.status', {});
      expect(status).toMatchObject({ ok: true, data: { initialized: true } });
      const head = core.need().ledger.head().seq;
      const signIn = await core.dispatcher.call(conn, 'auth.signIn', { userId: 'admin', password: ADMIN_PASSWORD });
      // Signing in records the sign-in: under the lock it is refused, clearly.
      expect(signIn).toMatchObject({ ok: false, error: { code: 'conflict', messageKey: 'errors.database_busy' } });
      expect(core.need().ledger.head().seq).toBe(head);
      await lock.release();
      expect(
        await core.dispatcher.call(conn, 'auth.signIn', { userId: 'admin', password: ADMIN_PASSWORD }),
      ).toMatchObject({ ok: true });
      expect(core.need().ledger.head().seq).toBeGreaterThan(head);
    } finally {
      if (lock.child.exitCode === null) await lock.release();
      core?.close();
    }
  });

  it('the daily job takes the write lock only when a change is due', () => {
    const core = new AppCore({
      dataDir: app.dir,
      hostKind: 'harness',
      protector: testKeyProtector(),
      host: 'test-host',
      log: quietLog,
    });
    try {
      expect(core.need().specs.hasDue(Date.now())).toBe(false);
    } finally {
      core.close();
    }
  });
});
