import { dirname } from 'node:path';
import { AppErrorException, appError } from '../../shared/contract/errors';
import { databaseFiles, flushFile, nodeFileOps, type FileOps } from '../files/file-ops';
import type { AnchorStore } from './anchor';
import { E } from './entities';
import type { Actor, Ledger, LedgerWriter } from './ledger';
import { verifyFile } from './verify-runner';

/**
 * Backup and restore (issue 3 §7, `lotseal backup`, docs/ledger.md §8). A backup is only
 * reported when its copy verifies; a restore verifies the backup before anything is
 * replaced, keeps the replaced database, and records itself in the restored ledger, which
 * moves this workstation's anchor (so a legitimate restore is not `anchor_behind`).
 *
 * Every file operation goes through a FileOps (src/main/files/file-ops.ts) and follows the
 * Windows rules it documents: a file is flushed through a handle opened for writing, and
 * nothing is renamed or deleted while a handle on it is open (close, then move). The unit
 * tests run both procedures against a double that enforces those rules (D-040).
 */
export interface BackupResult {
  ok: true;
  out: string;
  entries: number;
  bytes: number;
  elapsed_ms: number;
  sha256: string;
}

export async function fileSha256(file: string, ops: FileOps = nodeFileOps): Promise<string> {
  return ops.sha256(file);
}

function removeDatabaseFiles(ops: FileOps, file: string): void {
  for (const f of databaseFiles(file)) ops.remove(f);
}

export async function backupDatabase(
  srcFile: string,
  outFile: string,
  opts: { skewMs: number; onProgress?: (phase: string, done: number, total: number) => void; ops?: FileOps },
): Promise<BackupResult> {
  const ops = opts.ops ?? nodeFileOps;
  const t0 = performance.now();
  if (!ops.exists(srcFile)) throw new AppErrorException(appError('database_missing', { file: srcFile }));
  if (ops.exists(outFile)) throw new AppErrorException(appError('database_exists', { file: outFile }));
  const src = ops.openSqlite(srcFile, { readonly: true });
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
    src.close();
    removeDatabaseFiles(ops, outFile);
    throw e;
  }
  src.close();
  try {
    // A backup is one self-contained file: leave WAL mode so no -wal/-shm belongs to it.
    const out = ops.openSqlite(outFile, { mustExist: true });
    try {
      out.pragma('journal_mode = DELETE');
    } finally {
      out.close();
    }
    // Durable before it is reported: flushed through a handle opened for writing (Windows
    // refuses FlushFileBuffers on a read-only handle).
    flushFile(ops, outFile);
    ops.syncDir(dirname(outFile));
    const report = await verifyFile(outFile, {
      skewMs: opts.skewMs,
      anchor: null,
      ...(opts.onProgress
        ? { onProgress: (p: string, d: number, n: number) => opts.onProgress!(`verify:${p}`, d, n) }
        : {}),
    });
    if (!report.ok) {
      throw new AppErrorException(
        appError('internal', { file: outFile, findings: report.findings }, 'errors.backup_verify_failed'),
      );
    }
    const sha256 = await ops.sha256(outFile);
    return {
      ok: true,
      out: outFile,
      entries: report.entries,
      bytes: ops.size(outFile),
      elapsed_ms: Math.round((performance.now() - t0) * 10) / 10,
      sha256,
    };
  } catch (e) {
    removeDatabaseFiles(ops, outFile);
    throw e;
  }
}

export interface RestoreOptions {
  backupFile: string;
  targetFile: string;
  /**
   * Closes every connection this process holds on the target (the app's own database),
   * called once the backup has verified and its copy is ready, right before the target is
   * moved aside. Windows cannot rename a file SQLite holds open.
   */
  releaseTarget?: () => void;
  /** Opens the restored file as this workstation (key, anchors); e.g. openDatabase. */
  ledgerFactory: (file: string) => Ledger;
  /** After a failure once the target was released: opens the original again (the app's reopen). */
  reopenOriginal?: () => void;
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
  ops?: FileOps;
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
 * Restores a backup over `targetFile`, in an order that holds on Windows:
 *
 *  1. the backup is verified (a damaged or tampered backup is refused; nothing is touched);
 *  2. it is copied beside the target (`<target>.restore-tmp`) and flushed, while the app
 *     keeps serving from the target;
 *  3. `releaseTarget` closes the app's connection; the target's WAL is folded into it on a
 *     connection of our own, which is closed again;
 *  4. only then are the target and its -wal/-shm moved aside (`.replaced-<time>`, kept) and
 *     the copy renamed into place;
 *  5. the restore is recorded by `actor` in the restored ledger.
 *
 * Any failure after step 3 puts the original back and calls `reopenOriginal`.
 */
export async function restoreDatabase(opts: RestoreOptions): Promise<RestoreResult> {
  const ops = opts.ops ?? nodeFileOps;
  const { backupFile, targetFile } = opts;
  if (!ops.exists(backupFile)) throw new AppErrorException(appError('database_missing', { file: backupFile }));
  const report = await verifyFile(backupFile, { skewMs: opts.skewMs, anchor: null });
  if (!report.ok) {
    throw new AppErrorException(
      appError('internal', { file: backupFile, findings: report.findings }, 'errors.backup_verify_failed'),
    );
  }
  const sha256 = await ops.sha256(backupFile);

  const stamp = new Date((opts.now ?? Date.now)()).toISOString().replace(/[:.]/g, '-');
  const tmp = `${targetFile}.restore-tmp`;
  ops.remove(tmp);
  ops.copyFile(backupFile, tmp);
  flushFile(ops, tmp);
  if ((await ops.sha256(tmp)) !== sha256) {
    ops.remove(tmp);
    throw new AppErrorException(appError('internal', { file: backupFile }, 'errors.backup_changed_while_restoring'));
  }

  let released = false;
  let replaced: string | null = null;
  const moved: Array<[string, string]> = [];
  let ledger: Ledger | null = null;
  try {
    opts.releaseTarget?.();
    released = true;
    if (ops.exists(targetFile)) {
      // Fold the WAL into the main file first, so the kept copy is complete on its own; our
      // connection is closed before anything moves.
      const db = ops.openSqlite(targetFile);
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
      replaced = `${targetFile}.replaced-${stamp}`;
      for (const suffix of ['', '-wal', '-shm']) {
        if (!ops.exists(targetFile + suffix)) continue;
        ops.rename(targetFile + suffix, replaced + suffix);
        moved.push([targetFile + suffix, replaced + suffix]);
      }
    }
    ops.rename(tmp, targetFile);
    ops.syncDir(dirname(targetFile));
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
    return {
      ok: true,
      target: targetFile,
      replaced,
      sha256,
      backup_head_seq: backupHead.seq,
      seq: head.seq,
      ledger: l,
    };
  } catch (e) {
    try {
      ledger?.db.close();
    } catch {
      // already closed
    }
    if (moved.length > 0) {
      // The restored copy (if it got into place) goes; the original comes back.
      removeDatabaseFiles(ops, targetFile);
      for (const [from, to] of moved.reverse()) ops.rename(to, from);
    }
    ops.remove(tmp);
    if (released) opts.reopenOriginal?.();
    throw e;
  }
}
