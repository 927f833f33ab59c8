import type { Db } from '../db/database';

/**
 * Every SQL statement of the evidence exports (issue 21). The exports read the audit trail of
 * a read-only connection (or snapshot) in a worker thread; these are their typed statements.
 */

/** An audit entry with its checkpoint, as the audit-trail CSV writes it. */
export interface CsvEntryRow {
  seq: number;
  at: number;
  tz: string;
  actor: string;
  actor_name: string;
  ws: string;
  action: string;
  entity: string;
  entity_id: string;
  reason: string | null;
  content: string;
  prev: Buffer;
  hash: Buffer;
  cp_at: number | null;
  cp_key: string | null;
  cp_sig: Buffer | null;
}

/** An audit entry of a key's registration (keys-report.ts). */
export interface KeyEntryRow {
  seq: number;
  at: number;
  actor: string;
  actor_name: string;
  action: string;
  entity: string;
  entity_id: string;
  reason: string | null;
  content: string;
}

/** The last entry's sequence number (0 for an empty trail). */
export function lastSeq(db: Db): number {
  return db.prepare<[], number | null>('SELECT max(seq) AS s FROM audit_entry').pluck().get() ?? 0;
}

/** The last entry, or undefined for an empty trail. */
export function headEntry(db: Db): { seq: number; hash: Buffer } | undefined {
  return db
    .prepare<[], { seq: number; hash: Buffer }>('SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1')
    .get();
}

/** The database's id (throws on a database without database_info). */
export function databaseIdOf(db: Db): string | null {
  return db.prepare<[], string>('SELECT id FROM database_info LIMIT 1').pluck().get() ?? null;
}

/**
 * The audit-trail CSV's reads under a filter (`filterSql`, `params`: the WHERE clause and its
 * parameters from ledger/audit-queries.ts `where`), through entry `through`.
 */
export function csvQueries(db: Db, filterSql: string, params: unknown[], chunkSize: number) {
  const cond = filterSql ? `${filterSql} AND seq > ? AND seq <= ?` : 'WHERE seq > ? AND seq <= ?';
  const chunk = db.prepare<unknown[], CsvEntryRow>(
    `SELECT e.*, c.at AS cp_at, c.key_id AS cp_key, c.sig AS cp_sig
       FROM (SELECT seq, at, tz, actor, actor_name, ws, action, entity, entity_id, reason, content, prev, hash
             FROM audit_entry ${cond} ORDER BY seq LIMIT ${chunkSize}) e
       LEFT JOIN checkpoint c ON c.seq = e.seq ORDER BY e.seq`,
  );
  const previous = db
    .prepare<
      [string, string, number],
      string
    >('SELECT content FROM audit_entry WHERE entity = ? AND entity_id = ? AND seq < ? ORDER BY seq DESC LIMIT 1')
    .pluck();
  return {
    /** How many entries the filter selects through `through` (without a filter: `through`). */
    count: (through: number): number =>
      filterSql
        ? (db
            .prepare<unknown[], number>(`SELECT count(*) AS n FROM audit_entry ${filterSql} AND seq <= ?`)
            .pluck()
            .get(...params, through) ?? 0)
        : through,
    /** The next chunk of entries after `cursor`, through `through`. */
    chunk: (cursor: number, through: number): CsvEntryRow[] => chunk.all(...params, cursor, through),
    /** The content of the entry before `seq` of the same record. */
    previousContent: (entity: string, entityId: string, seq: number): string | undefined =>
      previous.get(entity, entityId, seq),
  };
}

/** The entries of one entity through entry `head` (the index on (entity, entity_id, seq) makes it a range scan). */
export function entriesOf(db: Db): (entity: string, head: number) => KeyEntryRow[] {
  const s = db.prepare<[string, number], KeyEntryRow>(
    'SELECT seq, at, actor, actor_name, action, entity, entity_id, reason, content FROM audit_entry WHERE entity = ? AND seq <= ? ORDER BY seq',
  );
  return (entity, head) => s.all(entity, head);
}
