/**
 * The staging database is a scratch file of the import, not the record store: nothing in it
 * is a GMP record, and it is deleted when the import ends. These statements write only the
 * staging tables (s_*, eff_lot, unit_dim); the record tables are written by apply.ts
 * through Ledger.write alone. The attached main database (schema `m`) is only read.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openScratchSqlite, type Db, type Stmt } from '../db/database';
import { specs, unitInfo, normDecimal, type FileKind, type Staged } from './formats';

/**
 * Rows are validated while streaming and staged here, on disk, so the cross-row checks
 * (duplicates, references, cycles, running quantities) are SQL over the staging tables
 * joined with the stored records, and the JavaScript heap never holds the rows.
 *
 * Each file kind has a table s_<kind> with the file's columns as given (TEXT), the data
 * row number, and derived columns: `bad` (the row has errors; kept so rows that refer to
 * it are not reported a second time as referring to an unknown key), `dim` and `qb` (unit
 * dimension and the quantity in the dimension's base unit, a float used only to screen),
 * `sk` (the date as an instant, for ordering), `st` (0 new, 1 identical to the stored
 * record, 2 changed) and `sid` (the stored record's id).
 */
export function columnsOf(kind: FileKind): string[] {
  return [...specs[kind].required, ...specs[kind].optional];
}

/** A staged row: the file's columns as given (TEXT) and the derived ones. */
export type StagedRow = Record<string, string | number | null> & { row: number; st: number; sid: string | null };

export interface Conflict {
  row: number;
  same: boolean;
}

export class Staging {
  readonly db: Db;
  readonly file: string;
  private inserts = new Map<FileKind, Stmt>();
  private byKey = new Map<FileKind, Stmt>();
  private pending = 0;
  private attached = false;

  constructor(dir: string) {
    this.file = join(dir, `lotseal-import-${randomBytes(6).toString('hex')}.db`);
    // Through the database module: the desktop's native binding reaches this connection too.
    this.db = openScratchSqlite(this.file);
    // A scratch file: thrown away on any failure, so no journal and no fsync.
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('cache_size = -65536');
    this.db.pragma('temp_store = FILE');
    this.db.function('dnorm', { deterministic: true }, (v: unknown) => {
      if (v === null || v === undefined) return null;
      try {
        return normDecimal(String(v));
      } catch {
        return String(v);
      }
    });
    const ddl: string[] = ['CREATE TABLE unit_dim (unit TEXT PRIMARY KEY, dim TEXT NOT NULL, factor REAL NOT NULL)'];
    for (const kind of Object.keys(specs) as FileKind[]) {
      const cols = columnsOf(kind);
      ddl.push(
        `CREATE TABLE s_${kind} (row INTEGER PRIMARY KEY, bad INTEGER NOT NULL, dim TEXT, qb REAL, sk INTEGER, st INTEGER NOT NULL DEFAULT 0, sid TEXT, ${cols.map((c) => `"${c}" TEXT`).join(', ')})`,
        `CREATE UNIQUE INDEX s_${kind}_key ON s_${kind} (${specs[kind].key.map((c) => `"${c}"`).join(', ')})`,
      );
    }
    this.db.exec(ddl.join(';\n'));
    for (const kind of Object.keys(specs) as FileKind[]) {
      const cols = columnsOf(kind);
      this.inserts.set(
        kind,
        this.db.prepare(
          `INSERT OR IGNORE INTO s_${kind} (row, bad, dim, qb, sk, ${cols.map((c) => `"${c}"`).join(', ')}) VALUES (?, ?, ?, ?, ?, ${cols.map(() => '?').join(', ')})`,
        ),
      );
      this.byKey.set(
        kind,
        this.db.prepare(
          `SELECT row, ${specs[kind].content.map((c) => `"${c}"`).join(', ')} FROM s_${kind} WHERE ${specs[kind].key.map((c) => `"${c}" = ?`).join(' AND ')}`,
        ),
      );
    }
    const u = this.db.prepare('INSERT INTO unit_dim (unit, dim, factor) VALUES (?, ?, ?)');
    for (const [unit, info] of Object.entries(unitInfo)) u.run(unit, info.dim, info.factor);
    this.db.exec('BEGIN');
  }

  /**
   * Stages one row. When a row with the same key is already staged, nothing is written and
   * the earlier row is returned with whether its content is the same.
   */
  stage(kind: FileKind, row: number, bad: boolean, s: Staged): Conflict | null {
    const cols = columnsOf(kind);
    const r = this.inserts.get(kind)!.run(row, bad ? 1 : 0, s.dim, s.qb, s.sk, ...cols.map((c) => s.values[c] ?? null));
    if (++this.pending >= 20_000) this.flush();
    if (r.changes > 0) return null;
    const key = specs[kind].key.map((c) => s.values[c] ?? null);
    const other = this.byKey.get(kind)!.get(...key) as Record<string, string | null> & { row: number };
    const same = specs[kind].content.every((c) => {
      const a = other[c] ?? null;
      const b = s.values[c] ?? null;
      if (c === 'quantity' && a !== null && b !== null) {
        try {
          return normDecimal(a) === normDecimal(b);
        } catch {
          return a === b;
        }
      }
      return a === b;
    });
    return { row: other.row, same };
  }

  /** Commits staged rows in batches (one transaction per batch keeps inserts fast). */
  flush(): void {
    this.db.exec('COMMIT; BEGIN');
    this.pending = 0;
  }

  /** Ends staging: commits and indexes the columns the checks join on. */
  finishStaging(): void {
    this.db.exec('COMMIT');
    this.db.exec(`
      CREATE INDEX s_consumption_out ON s_consumption (output_lot);
      CREATE INDEX s_shipments_lot ON s_shipments (lot_code, sk);
      CREATE INDEX s_stock_lot ON s_stock (lot_code);
    `);
  }

  /**
   * The main database, attached read-only in practice: better-sqlite3 is built without URI
   * file names, so `?mode=ro` is not available; no statement of this module names schema
   * `m` in a write, and every write above names a staging table.
   */
  attachMain(file: string): void {
    this.db.prepare('ATTACH DATABASE ? AS m').run(file);
    this.attached = true;
  }

  /** The rows to apply of a kind: new (st 0) or corrections (st 2), in file order. */
  toApply(kind: FileKind): IterableIterator<StagedRow> {
    return this.db
      .prepare<[], StagedRow>(`SELECT * FROM s_${kind} WHERE bad = 0 AND st != 1 ORDER BY row`)
      .iterate();
  }

  /** How many good rows of a kind are new (0), identical (1) and corrections (2). */
  plannedCounts(kind: FileKind): Map<number, number> {
    const rows = this.db
      .prepare<[], { st: number; n: number }>(`SELECT st, count(*) AS n FROM s_${kind} WHERE bad = 0 GROUP BY st`)
      .all();
    return new Map(rows.map((r) => [r.st, r.n]));
  }

  detachMain(): void {
    if (this.attached) this.db.exec('DETACH DATABASE m');
    this.attached = false;
  }

  /**
   * eff_lot: every lot as it will be after the import — the staged lots (including rows
   * with errors, whose derived columns are null) and the stored lots not in the import.
   */
  buildEffectiveLots(): void {
    this.db.exec(`
      DROP TABLE IF EXISTS eff_lot;
      CREATE TABLE eff_lot (code TEXT PRIMARY KEY, kind TEXT, unit TEXT, dim TEXT, quantity TEXT, qb REAL, staged INTEGER NOT NULL, row INTEGER, bad INTEGER NOT NULL);
      INSERT INTO eff_lot (code, kind, unit, dim, quantity, qb, staged, row, bad)
        SELECT lot_code, kind, unit, CASE WHEN bad = 0 THEN dim END, quantity, CASE WHEN bad = 0 THEN qb END, 1, row, bad FROM s_lots;
      INSERT INTO eff_lot (code, kind, unit, dim, quantity, qb, staged, row, bad)
        SELECT l.code, l.kind, l.unit, u.dim, l.quantity, CAST(l.quantity AS REAL) * u.factor, 0, NULL, 0
        FROM m.lot l LEFT JOIN unit_dim u ON u.unit = l.unit
        WHERE l.retired = 0 AND NOT EXISTS (SELECT 1 FROM s_lots s WHERE s.lot_code = l.code);
    `);
  }

  /** Links each staged row to the stored record with its key (sid) and classifies it (st). */
  classify(kind: FileKind, stored: { table: string; match: string; same: string }): void {
    this.db.exec(`
      UPDATE s_${kind} SET sid = (SELECT t.id FROM m.${stored.table} t WHERE t.retired = 0 AND ${stored.match} ORDER BY (${stored.same}) DESC LIMIT 1)
        WHERE bad = 0;
      UPDATE s_${kind} SET st = CASE WHEN sid IS NULL THEN 0
        WHEN (SELECT ${stored.same} FROM m.${stored.table} t WHERE t.id = s_${kind}.sid) THEN 1 ELSE 2 END
        WHERE bad = 0;
    `.replaceAll('$S', `s_${kind}`));
  }

  close(): void {
    try {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.detachMain();
      this.db.close();
    } finally {
      rmSync(this.file, { force: true });
    }
  }
}
