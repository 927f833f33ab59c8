import { existsSync, rmSync } from 'node:fs';
import { AppErrorException, appError } from '../../shared/contract/errors';
import { E } from '../ledger/entities';
import { sha256Hex } from '../ledger/hashing';
import { Ledger, systemActor, type LedgerOptions, type LedgerWriter } from '../ledger/ledger';
import { openSqlite, type Db } from './database';
import { migrations, type Migration } from './migrations';

export const APP_VERSION = '0.1.0';

export function migrationHash(m: Migration): string {
  return sha256Hex(`${m.id}\n${m.name}\n${m.sql}`);
}

export interface AppliedMigration {
  id: string;
  name: string;
  sha256: string;
}

function appliedMigrations(db: Db): AppliedMigration[] | null {
  const t = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migration'").get();
  if (!t) return null;
  return db.prepare('SELECT id, name, sha256 FROM schema_migration ORDER BY id').all() as AppliedMigration[];
}

/**
 * Refuses a database whose migration record does not match what this app ships (altered,
 * or written by a newer version). Returns the migrations still to apply.
 */
export function checkMigrations(db: Db, file: string): Migration[] {
  const applied = appliedMigrations(db);
  if (applied === null) {
    throw new AppErrorException(appError('database_incompatible', { file, reason: 'not_a_lotseal_database' }, 'errors.db_not_lotseal'));
  }
  const shipped = new Map(migrations.map((m) => [m.id, m]));
  for (const a of applied) {
    const m = shipped.get(a.id);
    if (!m) {
      throw new AppErrorException(
        appError('database_incompatible', { file, migration: a.id, name: a.name }, 'errors.db_newer_than_app'),
      );
    }
    if (migrationHash(m) !== a.sha256 || m.name !== a.name) {
      throw new AppErrorException(
        appError('database_incompatible', { file, migration: a.id, name: a.name }, 'errors.db_migration_mismatch'),
      );
    }
  }
  const done = new Set(applied.map((a) => a.id));
  const pending = migrations.filter((m) => !done.has(m.id));
  // Applied ones must be a prefix of the shipped list (only forward, in order).
  const firstPending = migrations.findIndex((m) => !done.has(m.id));
  if (firstPending >= 0 && migrations.slice(firstPending).some((m) => done.has(m.id))) {
    throw new AppErrorException(appError('database_incompatible', { file }, 'errors.db_migration_mismatch'));
  }
  return pending;
}

function applyMigrations(ledger: Ledger, pending: Migration[]): void {
  if (pending.length === 0) return;
  ledger.write(systemActor, (w) => {
    for (const m of pending) {
      ledger.db.exec(m.sql);
      w.create(E.migration, { name: m.name, sha256: migrationHash(m), applied_at: w.at }, { id: m.id });
      m.backfill?.(w, ledger.db);
    }
  });
}

export type StoreOptions = Omit<LedgerOptions, 'db'>;

/**
 * Creates a new database: schema, database identity, this host's key in the registry, the
 * migration record and what `init` adds (the first administrator with its personal key), in
 * one system transaction — the database-creation transaction of docs/ledger.md §3.1. Refuses
 * to touch an existing file.
 */
export function createDatabase(
  file: string,
  opts: StoreOptions,
  init?: (ledger: Ledger, w: LedgerWriter) => void,
): Ledger {
  if (existsSync(file)) throw new AppErrorException(appError('database_exists', { file }));
  if (!opts.key) throw new AppErrorException(appError('key_error', { file }, 'errors.key_missing'));
  const db = openSqlite(file, { mustExist: false });
  const ledger = new Ledger({ ...opts, db });
  try {
    // The schema first (DDL in its own transaction), then everything it records in one
    // ledger transaction. A failure removes the half-made file: nothing was acknowledged.
    db.exec('BEGIN IMMEDIATE');
    for (const m of migrations) db.exec(m.sql);
    db.exec('COMMIT');
    ledger.write(
      systemActor,
      (w) => {
        w.create(E.database, { created_at: w.at, app_version: APP_VERSION }, { id: cryptoId() });
        for (const m of migrations) w.create(E.migration, { name: m.name, sha256: migrationHash(m), applied_at: w.at }, { id: m.id });
        init?.(ledger, w);
      },
      { registerHostKey: true },
    );
  } catch (e) {
    db.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    throw e;
  }
  return ledger;
}

function cryptoId(): string {
  return globalThis.crypto.randomUUID();
}

/** Opens an existing database, checking (and applying) migrations. */
export function openDatabase(file: string, opts: StoreOptions & { readonly?: boolean }): Ledger {
  if (!existsSync(file)) throw new AppErrorException(appError('database_missing', { file }));
  const db = openSqlite(file, { readonly: opts.readonly ?? false });
  try {
    const pending = checkMigrations(db, file);
    const ledger = new Ledger({ ...opts, db });
    if (pending.length > 0) {
      if (opts.readonly) {
        throw new AppErrorException(appError('database_incompatible', { file, pending: pending.length }, 'errors.db_needs_migration'));
      }
      if (!ledger.isKeyRegistered()) {
        throw new AppErrorException(appError('workstation_not_registered', { file }, 'errors.db_migrate_unregistered'));
      }
      applyMigrations(ledger, pending);
    }
    return ledger;
  } catch (e) {
    db.close();
    throw e;
  }
}
