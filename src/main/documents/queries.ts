import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database';
import type { Row } from '../ledger/entities';

/**
 * Every SQL statement of the documents capability (table `document`, migration 0005), as
 * typed statements prepared on first use. Rows are typed here, at the edge.
 */

/** A generated document as recorded (one row per print; a reprint points at the first). */
export type DocumentRow = Row & {
  kind: string;
  subject_entity: string;
  subject_id: string;
  locale: string;
  file_name: string;
  sha256: string;
  bytes: number;
  page_size: string;
  head_seq: number;
  head_hash: string;
  reprint_of: string | null;
  created_by: string;
  created_at: number;
};

/** A ledger row of the `document` entity, typed (the ledger returns untyped rows). */
export function asDocument(row: Row): DocumentRow {
  return row as DocumentRow;
}

/** A typed statement prepared on first use (and kept for the life of the opened database). */
function lazy<P extends unknown[], R>(db: Db, sql: string, pluck = false): () => Statement<P, R> {
  let s: Statement<P, R> | undefined;
  return () => (s ??= pluck ? db.prepare<P, R>(sql).pluck() : db.prepare<P, R>(sql));
}

export function documentQueries(db: Db) {
  const printsOf = lazy<[string, string, string], string>(
    db,
    'SELECT id FROM document WHERE subject_entity = ? AND subject_id = ? AND kind = ? AND retired = 0 ORDER BY created_at, head_seq, id',
    true,
  );
  const ofSubject = lazy<[string, string], DocumentRow>(
    db,
    'SELECT * FROM document WHERE subject_entity = ? AND subject_id = ? AND retired = 0 ORDER BY created_at, head_seq, id',
  );
  return {
    /** The ids of the prints of a subject and kind, first print first. */
    printsOf: (entity: string, id: string, kind: string): string[] => printsOf().all(entity, id, kind),
    /** The documents of a subject, oldest first. */
    ofSubject: (entity: string, id: string): DocumentRow[] => ofSubject().all(entity, id),
  };
}
export type DocumentQueries = ReturnType<typeof documentQueries>;
