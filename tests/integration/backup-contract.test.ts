import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobProgress } from '../../src/shared/contract';
import { ADMIN_PASSWORD, ADMIN_SIGNATURE, createTestApp, tempDir, type TestApp } from '../helpers/core';

function waitJob(app: TestApp, jobId: string): Promise<JobProgress> {
  return new Promise((resolve) => {
    const off = app.core.dispatcher.onEvent((_t, name, payload) => {
      const p = payload as JobProgress;
      if (name === 'job.progress' && p.jobId === jobId && p.finished) {
        off();
        resolve(p);
      }
    });
  });
}

describe('backup and restore from the app', () => {
  let app: TestApp;
  let out: { dir: string; cleanup: () => void };
  beforeEach(async () => {
    app = await createTestApp();
    out = tempDir('lotseal-backups-');
  });
  afterEach(() => {
    app.close();
    out.cleanup();
  });

  it('backs up and verifies the copy; refuses a corrupted backup without touching the database; restores a good one without anchor_behind', async () => {
    await app.ok(app.admin, 'users.create', {
      userId: 'tech.a',
      printedName: 'Tech A',
      roles: ['technician'],
      password: 'tech-password-1',
      signature: ADMIN_SIGNATURE,
    });
    const { jobId } = await app.ok(app.admin, 'backup.create', { folder: out.dir });
    const done = await waitJob(app, jobId);
    expect(done.error).toBeNull();
    const file = join(out.dir, readdirSync(out.dir).find((f) => f.endsWith('.db'))!);
    expect(existsSync(file)).toBe(true);
    const events = app.core.need().ledger.db.prepare('SELECT kind FROM backup_event').all();
    expect(events).toEqual([{ kind: 'backup' }]);

    // Something happens after the backup.
    await app.ok(app.admin, 'users.create', {
      userId: 'tech.b',
      printedName: 'Tech B',
      roles: ['technician'],
      password: 'tech-password-2',
      signature: ADMIN_SIGNATURE,
    });

    // A corrupted copy of the backup is refused; the database is untouched.
    const bad = join(out.dir, 'corrupted.db');
    writeFileSync(bad, readFileSync(file));
    const raw = new Database(bad);
    raw.exec('DROP TRIGGER audit_entry_no_update');
    raw.prepare("UPDATE audit_entry SET actor_name = 'Mallory' WHERE seq = 3").run();
    raw.close();
    const headBefore = app.core.need().ledger.head();
    const r1 = await app.ok(app.admin, 'backup.restore', {
      file: bad,
      reason: 'test a corrupted backup',
      password: ADMIN_PASSWORD,
    });
    const failed = await waitJob(app, r1.jobId);
    expect(failed.error).toBe('errors.backup_verify_failed');
    // Nothing changed but the record of the administrator's successful authentication.
    const since = app.core
      .need()
      .ledger.db.prepare('SELECT entity, content FROM audit_entry WHERE seq > ?')
      .all(headBefore.seq) as Array<{ entity: string; content: string }>;
    expect(since.map((e) => [e.entity, (JSON.parse(e.content) as { kind: string }).kind])).toEqual([
      ['auth_event', 'restore_authenticated'],
    ]);
    expect(app.core.need().identity.getUser('tech.b')).toBeDefined();

    // The good backup restores: tech.b is gone, the restore is recorded, no anchor_behind.
    const r2 = await app.ok(app.admin, 'backup.restore', {
      file,
      reason: 'disk replaced after failure',
      password: ADMIN_PASSWORD,
    });
    const ok = await waitJob(app, r2.jobId);
    expect(ok.error).toBeNull();
    const svc = app.core.need();
    expect(svc.identity.getUser('tech.a')).toBeDefined();
    expect(svc.identity.getUser('tech.b')).toBeUndefined();
    // The copy was taken before its own "backup" record was written in the live database.
    expect(svc.ledger.db.prepare('SELECT kind, reason FROM backup_event ORDER BY rowid').all()).toEqual([
      { kind: 'restore', reason: 'disk replaced after failure' },
    ]);
    expect(app.core.ledgerState().anchorBehind).toBe(false);
    expect(app.core.startupFindings).toEqual([]);
    // Sessions ended with the swap: sign in again.
    expect((await app.call(app.admin, 'users.list', {})).ok).toBe(false);
    // The replaced database was kept aside, never deleted.
    expect(readdirSync(app.dir).some((f) => f.startsWith('lotseal.db.replaced-'))).toBe(true);
  });

  // One verification at a time, whoever asks: the audit screen now waits for a running one
  // (followed from its progress events), but the refusal in main is the control, for a second
  // session, a stale screen and the CLI through a site server alike.
  it('runs one verification at a time: a second session asking meanwhile is refused and records nothing', async () => {
    const qa = await app.userWith(['qa_manager']);
    const runs = (): number => {
      const db = new Database(join(app.dir, 'lotseal.db'), { readonly: true });
      try {
        return (db.prepare('SELECT count(*) AS n FROM verification_run').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    const before = runs();
    const [a, b] = await Promise.all([app.call(app.admin, 'ledger.verify', {}), app.call(qa, 'ledger.verify', {})]);
    const started = [a, b].filter((r) => r.ok);
    const refused = [a, b].filter((r) => !r.ok);
    expect(started).toHaveLength(1);
    expect(refused.map((r) => (r.ok ? null : r.error))).toEqual([
      expect.objectContaining({ code: 'conflict', messageKey: 'errors.verify_running' }),
    ]);
    const first = started[0]!;
    if (!first.ok) throw new Error('unreachable');
    expect((await waitJob(app, first.data.jobId)).error).toBeNull();
    expect(runs()).toBe(before + 1);
    // Once it has ended, the one refused may ask again.
    const again = await app.ok(qa, 'ledger.verify', {});
    expect((await waitJob(app, again.jobId)).error).toBeNull();
    expect(runs()).toBe(before + 2);
  });

  // Every connection to the file must be closed before a restore moves it (Windows cannot move
  // an open file), and an export half from the old database and half from the restored one would
  // be no evidence: a restore beside a job that reads the database is refused.
  it.each([
    ['a verification', 'verify', (a: TestApp) => a.ok(a.admin, 'ledger.verify', {})],
    [
      'an evidence export',
      'export',
      async (a: TestApp) => a.ok(await a.userWith(['qa_manager']), 'evidence.export', { folder: out.dir }),
    ],
  ] as const)('refuses a restore while %s reads the database in its worker', async (_what, job, start) => {
    const { jobId } = await start(app);
    const r = await app.call(app.admin, 'backup.restore', {
      file: join(out.dir, 'any.db'),
      reason: `restore beside ${job}`,
      password: ADMIN_PASSWORD,
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'conflict', messageKey: 'errors.restore_busy', details: { job } });
    await waitJob(app, jobId);
  });
});
