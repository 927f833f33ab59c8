/**
 * Backup and restore as an administrator and an inspector see them: a backup is reported
 * only when its copy verifies; a damaged backup is refused on restore and the database in
 * place is left exactly as it was; a legitimate restore is recorded in the restored ledger
 * and is not reported as `anchor_behind` afterwards.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppErrorException } from '../../src/shared/contract/errors';
import { openSqlite } from '../../src/main/db/database';
import { backupDatabase, fileSha256, restoreDatabase } from '../../src/main/ledger/backup';
import { verifyFile } from '../../src/main/ledger/verify-runner';
import { SKEW_MS, attacker, makeEnv, newLedger, openLedger, writeSetting, type TestEnv } from '../fixtures/ledger-helpers';

const envs: TestEnv[] = [];
afterEach(() => {
  for (const e of envs.splice(0)) e.cleanup();
});

function setup(n = 20): { env: TestEnv; dbId: string } {
  const env = makeEnv();
  envs.push(env);
  const l = newLedger(env);
  for (let i = 0; i < n; i++) writeSetting(l, `s${i % 5}`, { i });
  const dbId = l.getDatabaseId()!;
  l.db.close();
  return { env, dbId };
}

async function rejects(p: Promise<unknown>): Promise<AppErrorException> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppErrorException);
    return e as AppErrorException;
  }
  throw new Error('expected a refusal');
}

describe('lotseal backup', () => {
  it('copies while another connection writes, verifies the copy, reports entries, bytes and sha256', async () => {
    const { env } = setup(200);
    const writer = openLedger(env);
    const out = join(env.dir, 'backup.db');
    let steps = 0;
    const r = await backupDatabase(env.file, out, {
      skewMs: SKEW_MS,
      onProgress: (phase) => {
        // The app keeps writing while the backup runs.
        if (phase === 'copy' && steps++ < 2) writeSetting(writer, 'during-backup', { steps });
      },
    });
    writer.db.close();
    expect(r).toMatchObject({ ok: true, out });
    expect(r.entries).toBeGreaterThanOrEqual(203);
    expect(r.bytes).toBe(readFileSync(out).length);
    expect(r.sha256).toBe(await fileSha256(out));
    // A self-contained file: no WAL belongs to it.
    expect(existsSync(`${out}-wal`)).toBe(false);
    const v = await verifyFile(out, { skewMs: SKEW_MS, anchor: null });
    expect(v).toMatchObject({ ok: true, findings: [], entries: r.entries });
  });

  it('refuses to overwrite an existing file', async () => {
    const { env } = setup(3);
    const out = join(env.dir, 'exists.db');
    writeFileSync(out, 'keep me');
    const e = await rejects(backupDatabase(env.file, out, { skewMs: SKEW_MS }));
    expect(e.error.code).toBe('database_exists');
    expect(readFileSync(out, 'utf8')).toBe('keep me');
  });

  it('refuses (and deletes the copy) when the database does not verify', async () => {
    const { env } = setup(5);
    const a = attacker(env.file);
    a.prepare("UPDATE setting SET value = '{\"i\":999}' WHERE id = 's1'").run();
    a.close();
    const out = join(env.dir, 'bad-backup.db');
    const e = await rejects(backupDatabase(env.file, out, { skewMs: SKEW_MS }));
    expect(e.error).toMatchObject({ code: 'internal', messageKey: 'errors.backup_verify_failed' });
    expect((e.error.details?.['findings'] as Array<{ kind: string }>).map((f) => f.kind)).toEqual(['row_modified']);
    expect(existsSync(out)).toBe(false);
  });
});

describe('restore', () => {
  it('refuses a corrupted backup and leaves the database in place byte for byte', async () => {
    const { env } = setup(10);
    const out = join(env.dir, 'backup.db');
    await backupDatabase(env.file, out, { skewMs: SKEW_MS });
    // Flip bytes inside one audit entry of the copy.
    const raw = attacker(out);
    const row = raw.prepare('SELECT seq, content FROM audit_entry WHERE seq = 7').get() as { seq: number; content: string };
    raw.prepare('UPDATE audit_entry SET content = ? WHERE seq = 7').run(row.content.replace(/\d/, (d) => String((Number(d) + 1) % 10)));
    raw.close();
    const before = await fileSha256(env.file);
    const filesBefore = readdirSync(env.dir).sort();
    let opened = 0;
    const e = await rejects(
      restoreDatabase({
        backupFile: out,
        targetFile: env.file,
        ledgerFactory: (f) => {
          opened += 1;
          return openLedger(env, { file: f });
        },
        actor: { id: 'admin', name: 'Ada Admin' },
        reason: 'disk failure drill',
        anchors: env.anchors,
        skewMs: SKEW_MS,
      }),
    );
    expect(e.error.messageKey).toBe('errors.backup_verify_failed');
    expect((e.error.details?.['findings'] as Array<{ kind: string; seq: number }>)[0]).toMatchObject({ kind: 'entry_hash_mismatch', seq: 7 });
    expect(opened).toBe(0);
    expect(await fileSha256(env.file)).toBe(before);
    expect(readdirSync(env.dir).sort()).toEqual(filesBefore);
  });

  it('records the restore in the restored ledger and moves the anchor: no anchor_behind afterwards', async () => {
    const { env, dbId } = setup(10);
    const out = join(env.dir, 'backup.db');
    const b = await backupDatabase(env.file, out, { skewMs: SKEW_MS });
    // Work continues after the backup; then the disk fails and the backup is restored.
    const l = openLedger(env);
    for (let i = 0; i < 5; i++) writeSetting(l, `after${i}`, { i });
    l.db.close();
    const anchorBefore = env.anchors.read(dbId)!;
    expect(anchorBefore.seq).toBe(b.entries + 5);
    // Put back without the restore procedure, the older copy would be anchor_behind.
    const plain = await verifyFile(out, { skewMs: SKEW_MS, anchor: anchorBefore });
    expect(plain.findings.map((f) => f.kind)).toEqual(['anchor_behind']);

    const restored = await restoreDatabase({
      backupFile: out,
      targetFile: env.file,
      ledgerFactory: (f) => openLedger(env, { file: f }),
      actor: { id: 'admin', name: 'Ada Admin' },
      reason: 'disk failure drill',
      anchors: env.anchors,
      skewMs: SKEW_MS,
    });
    expect(restored).toMatchObject({ ok: true, target: env.file, sha256: b.sha256, backup_head_seq: b.entries, seq: b.entries + 1 });
    const entry = restored.ledger.db
      .prepare("SELECT actor, actor_name, action, entity, reason, content FROM audit_entry WHERE entity = 'backup_event'")
      .get() as Record<string, string>;
    restored.ledger.db.close();
    expect(entry).toMatchObject({ actor: 'admin', actor_name: 'Ada Admin', action: 'create', reason: 'disk failure drill' });
    expect(JSON.parse(entry['content']!)).toMatchObject({ kind: 'restore', file: out, sha256: b.sha256, head_seq: b.entries, reason: 'disk failure drill' });
    // The replaced database is kept, complete, and still verifies on its own.
    expect(restored.replaced).toMatch(/\.replaced-/);
    const kept = await verifyFile(restored.replaced!, { skewMs: SKEW_MS, anchor: null });
    expect(kept).toMatchObject({ ok: true, entries: b.entries + 5 });

    const anchor = env.anchors.read(dbId)!;
    expect(anchor.seq).toBe(b.entries + 1);
    const v = await verifyFile(env.file, { skewMs: SKEW_MS, anchor });
    expect(v).toMatchObject({ ok: true, findings: [], entries: b.entries + 1 });
    const db = openSqlite(env.file, { readonly: true });
    expect(db.prepare('SELECT kind, head_seq FROM backup_event').all()).toEqual([{ kind: 'restore', head_seq: b.entries }]);
    db.close();
  });
});
