import { isMainThread, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

export type Db = Database.Database;
export type Stmt = Database.Statement<unknown[], unknown>;

/** The workerData key under which src/main/workers/spawn.ts passes the binding path. */
export const WORKER_NATIVE_BINDING_KEY = 'lotsealNativeBinding';

/**
 * The better-sqlite3 binary this thread loads. The desktop app sets a build made for
 * Electron's ABI (setNativeBinding); Node hosts (tests, CLI, harness) use the default build
 * in node_modules. A worker thread inherits the path of the thread that started it: every
 * worker is started by src/main/workers/spawn.ts, which passes it in workerData, and it is
 * read here, when this module loads in the worker (docs/decisions.md D-038).
 */
let nativeBinding: string | undefined = bindingFromWorkerData();

function bindingFromWorkerData(): string | undefined {
  if (isMainThread || !workerData || typeof workerData !== 'object') return undefined;
  const v = (workerData as Record<string, unknown>)[WORKER_NATIVE_BINDING_KEY];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Only the Electron shell calls this (and tests that prove the binding reaches workers). */
export function setNativeBinding(path: string | undefined): void {
  nativeBinding = path;
}

/** The binding this thread opens databases with; undefined for the default build. */
export function nativeBindingPath(): string | undefined {
  return nativeBinding;
}

/**
 * How long a statement waits for another connection's write lock before SQLITE_BUSY.
 * 5 s suits the CLI and workers; a host with a user interface sets a short wait for its own
 * thread (setBusyTimeout), so a lock held by another process gives a clear "database busy"
 * message instead of a frozen window (docs/decisions.md D-043). Per thread, like the binding.
 */
let busyTimeoutMs = 5000;

/**
 * The wait a host with a user interface uses on its own thread (Electron main, harness):
 * long enough for another process's short write transaction (a few ms), short enough that a
 * long-held lock (an import by the CLI) is reported within the 50 ms-class budget of the main
 * thread instead of freezing it for 5 s (D-043).
 */
export const UI_BUSY_TIMEOUT_MS = 100;

export function setBusyTimeout(ms: number): void {
  busyTimeoutMs = Math.max(0, Math.floor(ms));
}

export function busyTimeout(): number {
  return busyTimeoutMs;
}

export interface OpenOptions {
  readonly?: boolean;
  /** Fail if the file does not exist (default true): a typo in --db must not create a database. */
  mustExist?: boolean;
}

export function openSqlite(file: string, opts: OpenOptions = {}): Db {
  const db = new Database(file, {
    readonly: opts.readonly ?? false,
    fileMustExist: opts.mustExist ?? true,
    timeout: busyTimeoutMs,
    ...(nativeBinding ? { nativeBinding } : {}),
  });
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
  }
  // Record writes are acknowledged only when durable (crash safety: a committed write
  // survives kill -9 and power loss, docs/ledger.md).
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  return db;
}

/**
 * A scratch SQLite file that is not the record store (the import's staging database): no
 * WAL, no pragmas of the ledger, but the same native binding as every other connection of
 * this thread. The ONLY other place that may construct a better-sqlite3 Database (lint).
 */
export function openScratchSqlite(file: string): Db {
  return new Database(file, { timeout: busyTimeoutMs, ...(nativeBinding ? { nativeBinding } : {}) });
}

/** SQLite's "another connection holds the lock" (SQLITE_BUSY and its extended codes). */
export function isSqliteBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED')
  );
}
