/**
 * Backup and restore under Windows' file rules (issue 24 §3, D-040), on real SQLite files
 * through the Windows test double: every fsync goes through a writable handle, and nothing is
 * renamed or deleted while a connection holds it, including the app's own connection, which
 * the restore closes (releaseTarget) before it moves the database aside.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupDatabase, restoreDatabase } from '../../src/main/ledger/backup';
import { verifyFile } from '../../src/main/ledger/verify-runner';
import { SKEW_MS, makeEnv, newLedger, openLedger, writeSetting, type TestEnv } from '../fixtures/ledger-helpers';
import { WindowsFileOps } from '../helpers/windows-fs';

const envs: TestEnv[] = [];
afterEach(() => {
  for (const e of envs.splice(0)) e.cleanup();
});

function setup(n = 10): TestEnv {
  const env = makeEnv('lotseal-winbackup-');
  envs.push(env);
  const l = newLedger(env);
  for (let i = 0; i < n; i++) writeSetting(l, `s${i % 3}`, { i });
  l.db.close();
  return env;
}

const actor = { id: 'admin', name: 'Ada Admin' };

describe('backup under Windows file rules', () => {
  it('makes, flushes and verifies the copy while the app keeps its connection; no handle is left', async () => {
    const env = setup();
    const ops = new WindowsFileOps();
    const release = ops.holdOpen(env.file, 'the app');
    const out = join(env.dir, 'backup.db');
    const r = await backupDatabase(env.file, out, { skewMs: SKEW_MS, ops });
    expect(r).toMatchObject({ ok: true, out });
    expect(r.entries).toBeGreaterThan(10);
    expect(ops.refusals).toEqual([]);
    release();
    expect(ops.openHandles()).toEqual([]);
    expect(readdirSync(env.dir).filter((f) => f.startsWith('backup.db'))).toEqual(['backup.db']);
  });
});

describe('restore under Windows file rules', () => {
  it('closes the app connection before moving the database, then records the restore', async () => {
    const env = setup();
    const ops = new WindowsFileOps();
    const out = join(env.dir, 'backup.db');
    const b = await backupDatabase(env.file, out, { skewMs: SKEW_MS, ops });
    // The app keeps working after the backup, on its own connection.
    const app = openLedger(env);
    for (let i = 0; i < 3; i++) writeSetting(app, `late${i}`, { i });
    const release = ops.holdOpen(env.file, 'the app');
    const events: string[] = [];
    const r = await restoreDatabase({
      backupFile: out,
      targetFile: env.file,
      releaseTarget: () => {
        events.push('release');
        app.db.close();
        release();
      },
      ledgerFactory: (f) => {
        events.push('open restored');
        return openLedger(env, { file: f });
      },
      reopenOriginal: () => events.push('reopen original'),
      actor,
      reason: 'disk replaced',
      anchors: env.anchors,
      skewMs: SKEW_MS,
      ops,
    });
    expect(events).toEqual(['release', 'open restored']);
    expect(ops.refusals).toEqual([]);
    expect(r).toMatchObject({ ok: true, backup_head_seq: b.entries, seq: b.entries + 1 });
    r.ledger.db.close();
    const kept = await verifyFile(r.replaced!, { skewMs: SKEW_MS, anchor: null });
    expect(kept).toMatchObject({ ok: true, entries: b.entries + 3 });
    expect(ops.openHandles()).toEqual([]);
  });

  it('a restore that does not release the app connection fails on Windows and puts everything back', async () => {
    const env = setup();
    const ops = new WindowsFileOps();
    const out = join(env.dir, 'backup.db');
    await backupDatabase(env.file, out, { skewMs: SKEW_MS, ops });
    const app = openLedger(env);
    const headBefore = app.head();
    const release = ops.holdOpen(env.file, 'the app');
    let reopened = 0;
    await expect(
      restoreDatabase({
        backupFile: out,
        targetFile: env.file,
        // The bug the issue describes: the app's connection stays open during the swap.
        releaseTarget: () => undefined,
        ledgerFactory: (f) => openLedger(env, { file: f }),
        reopenOriginal: () => {
          reopened += 1;
        },
        actor,
        reason: 'disk replaced',
        anchors: env.anchors,
        skewMs: SKEW_MS,
        ops,
      }),
    ).rejects.toMatchObject({ code: 'EBUSY' });
    expect(ops.refusals.some((r) => r.startsWith('rename EBUSY'))).toBe(true);
    expect(reopened).toBe(1);
    // Nothing moved: the app's database and its head are as they were, no copy left behind.
    expect(app.head()).toEqual(headBefore);
    expect(readdirSync(env.dir).filter((f) => /restore-tmp|replaced-/.test(f))).toEqual([]);
    app.db.close();
    release();
  });

  it('a damaged backup is refused before the app connection is touched', async () => {
    const env = setup();
    const ops = new WindowsFileOps();
    const out = join(env.dir, 'not-a-backup.db');
    const junk = ops.open(out, 'w');
    ops.close(junk);
    let released = 0;
    await expect(
      restoreDatabase({
        backupFile: out,
        targetFile: env.file,
        releaseTarget: () => {
          released += 1;
        },
        ledgerFactory: (f) => openLedger(env, { file: f }),
        actor,
        reason: 'x',
        anchors: env.anchors,
        skewMs: SKEW_MS,
        ops,
      }),
    ).rejects.toThrow();
    expect(released).toBe(0);
  });
});
