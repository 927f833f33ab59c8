import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, createReadStream, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { AppErrorException, appError } from '../../shared/contract/errors';
import { openSqlite } from '../db/database';
import type { AnchorStore } from './anchor';
import { E } from './entities';
import type { Actor, Ledger, LedgerWriter } from './ledger';
import { verifyFile } from './verify-runner';

/**
 * Backup and restore (issue 3 §7, `lotseal backup`, docs/ledger.md §8). A backup is only
 * reported when its copy verifies; a restore verifies the backup before anything is
 * replaced, keeps the replaced database, and records itself in the restored ledger, which
 * moves this workstation's anchor (so a legitimate restore is not `anchor_behind`).
 */
export interface BackupResult {
  ok: true;
  out: string;
  entries: number;
  bytes: number;
  elapsed_ms: number;
  sha256: string;
}

export async function fileSha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

function removeDatabaseFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(f, { force: true });
}

export async function backupDatabase(
  srcFile: string,
  outFile: string,
  opts: { skewMs: number; onProgress?: (phase: string, done: number, total: number) => void },
): Promise<BackupResult> {
  const t0 = performance.now();
  if (!existsSync(srcFile)) throw new AppErrorException(appError('database_missing', { file: srcFile }));
  if (existsSync(outFile)) throw new AppErrorException(appError('database_exists', { file: outFile }));
  const src = openSqlite(srcFile, { readonly: true });
  try {
    // SQLite's online backup: a consistent snapshot page by page while other connections
    // (the running app) keep writing; a write restarts the copy of changed pages.
    await src.backup(outFile, {
      progress: ({ totalPages, remainingPages }) => {
        opts.onProgress?.('copy', totalPages - remainingPages, totalPages);
        return 256;
      },
    });
  } catch (e) {
    removeDatabaseFiles(outFile);
    throw e;
  } finally {
    src.close();
  }
  try {
    // A backup is one self-contained file: leave WAL mode so no -wal/-shm belongs to it.
    const out = openSqlite(outFile, { mustExist: true });
    out.pragma('journal_mode = DELETE');
    out.close();
    const fd = openSync(outFile, 'r');
    fsyncSync(fd);
    closeSync(fd);
    const report = await verifyFile(outFile, {
      skewMs: opts.skewMs,
      anchor: null,
      ...(opts.onProgress ? { onProgress: (p: string, d: number, n: number) => opts.onProgress!(`verify:${p}`, d, n) } : {}),
    });
    if (!report.ok) {
      throw new AppErrorException(appError('internal', { file: outFile, findings: report.findings }, 'errors.backup_verify_failed'));
    }
    const sha256 = await fileSha256(outFile);
    return {
      ok: true,
      out: outFile,
      entries: report.entries,
      bytes: statSync(outFile).size,
      elapsed_ms: Math.round((performance.now() - t0) * 10) / 10,
      sha256,
    };
  } catch (e) {
    removeDatabaseFiles(outFile);
    throw e;
  }
}

export interface RestoreOptions {
  backupFile: string;
  targetFile: string;
  /** Opens the restored file as this workstation (key, anchors); e.g. openDatabase. */
  ledgerFactory: (file: string) => Ledger;
  actor: Actor;
  reason: string;
  anchors: AnchorStore;
  skewMs: number;
  now?: () => number;
  /** Before the restore is recorded (e.g. to authenticate the administrator in the restored database). */
  prepare?: (ledger: Ledger) => Promise<void>;
  /**
   * Adds to the restore's transaction: when the backup predates this workstation's key, the
   * key is registered in it and must be signed `enrolled` by the administrator (docs/ledger.md §3.4).
   */
  record?: (w: LedgerWriter) => void;
}

export interface RestoreResult {
  ok: true;
  target: string;
  /** Where the database that was replaced was kept (never deleted); null if there was none. */
  replaced: string | null;
  sha256: string;
  /** The backup's head, and the restore's own entry in the restored ledger. */
  backup_head_seq: number;
  seq: number;
  ledger: Ledger;
}

/**
 * Restores a backup over `targetFile`. The caller must have closed every connection to the
 * target. Order matters: the backup is verified first (a damaged or tampered backup is
 * refused and nothing is touched); then the current database is moved aside, the backup is
 * copied in (temp file + rename), and the restore is recorded by `actor` in the restored
 * ledger. If recording fails, the original database is put back.
 */
export async function restoreDatabase(opts: RestoreOptions): Promise<RestoreResult> {
  const { backupFile, targetFile } = opts;
  if (!existsSync(backupFile)) throw new AppErrorException(appError('database_missing', { file: backupFile }));
  const report = await verifyFile(backupFile, { skewMs: opts.skewMs, anchor: null });
  if (!report.ok) {
    throw new AppErrorException(appError('internal', { file: backupFile, findings: report.findings }, 'errors.backup_verify_failed'));
  }
  const sha256 = await fileSha256(backupFile);

  const stamp = new Date((opts.now ?? Date.now)()).toISOString().replace(/[:.]/g, '-');
  let replaced: string | null = null;
  if (existsSync(targetFile)) {
    // Fold the WAL into the main file first, so the kept copy is complete on its own.
    const db = openSqlite(targetFile);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    replaced = `${targetFile}.replaced-${stamp}`;
    renameSync(targetFile, replaced);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(targetFile + suffix)) renameSync(targetFile + suffix, replaced + suffix);
    }
  }
  const tmp = `${targetFile}.restore-tmp`;
  let ledger: Ledger | null = null;
  try {
    copyFileSync(backupFile, tmp);
    const fd = openSync(tmp, 'r+');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, targetFile);
    ledger = opts.ledgerFactory(targetFile);
    const l = ledger;
    const backupHead = l.head();
    await opts.prepare?.(l);
    l.write(
      opts.actor,
      (w) => {
        w.create(
          E.backupEvent,
          { kind: 'restore', file: backupFile, sha256, head_seq: backupHead.seq, reason: opts.reason },
          { reason: opts.reason },
        );
        opts.record?.(w);
      },
      // The backup may predate this workstation's key: registering it is part of the
      // administrator's restore, in the same transaction. A restore is the way out of an
      // anchor conflict (the backup is older than this workstation's anchor).
      { registerHostKey: true, resolvesAnchor: true },
    );
    const head = l.head();
    const dbId = l.getDatabaseId();
    // Ledger.write moves the anchor when the ledger has an AnchorStore; the caller's store
    // is the one that verification reads, so write it there too.
    if (dbId) opts.anchors.write({ database_id: dbId, seq: head.seq, hash: head.hash, at: head.at ?? Date.now() });
    return { ok: true, target: targetFile, replaced, sha256, backup_head_seq: backupHead.seq, seq: head.seq, ledger: l };
  } catch (e) {
    try {
      ledger?.db.close();
    } catch {
      // already closed
    }
    removeDatabaseFiles(targetFile);
    rmSync(tmp, { force: true });
    if (replaced) {
      renameSync(replaced, targetFile);
      for (const suffix of ['-wal', '-shm']) if (existsSync(replaced + suffix)) renameSync(replaced + suffix, targetFile + suffix);
    }
    throw e;
  }
}
