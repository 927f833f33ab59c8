import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database';
import type { OpenRecall } from '../lots';

/** A typed statement prepared on first use (and kept for the life of the opened database). */
function lazy<P extends unknown[], R>(db: Db, sql: string, pluck = false): () => Statement<P, R> {
  let s: Statement<P, R> | undefined;
  return () => (s ??= pluck ? db.prepare<P, R>(sql).pluck() : db.prepare<P, R>(sql));
}

/**
 * Every SQL statement of the recall capability (recall_drill, drill_step, drill_finding,
 * recall_contact, drill_plan), as typed statements.
 */
export function recallQueries(db: Db) {
  const openRecalls = lazy<[], OpenRecall>(
    db,
    "SELECT code, root_lot AS rootLot, direction FROM recall_drill WHERE mode = 'recall' AND status = 'open' AND retired = 0 ORDER BY code",
  );
  return {
    /** The real recalls still open (their root lot and direction). */
    openRecalls: (): OpenRecall[] => openRecalls().all(),
  };
}
export type RecallQueries = ReturnType<typeof recallQueries>;
