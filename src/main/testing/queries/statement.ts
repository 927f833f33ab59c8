import type { Statement } from 'better-sqlite3';
import type { Db } from '../../db/database';

/**
 * A typed statement prepared on first use (a service is built before anyone reads, and a
 * statement prepared once is reused by every call after).
 */
export function lazy<P extends unknown[], R>(db: Db, sql: string): () => Statement<P, R> {
  let s: Statement<P, R> | undefined;
  return () => (s ??= db.prepare<P, R>(sql));
}
