import Database from 'better-sqlite3';

export type Db = Database.Database;
export type Stmt = Database.Statement<unknown[], unknown>;

let nativeBinding: string | undefined;

/**
 * The desktop app loads a better-sqlite3 build for Electron's ABI; Node (tests, CLI,
 * harness) uses the default build. Only the Electron shell calls this (docs/decisions.md).
 */
export function setNativeBinding(path: string | undefined): void {
  nativeBinding = path;
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
    ...(nativeBinding ? { nativeBinding } : {}),
  });
  if (!opts.readonly) {
    db.pragma('journal_mode = WAL');
  }
  // Record writes are acknowledged only when durable (crash safety: a committed write
  // survives kill -9 and power loss, docs/ledger.md).
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}
