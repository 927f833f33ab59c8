import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database';
import type { Row } from '../ledger/entities';

/**
 * Every SQL statement of the catalog capability (products, materials, suppliers, customers,
 * test methods, specifications and their versions and items), as typed statements.
 * Table names come from the capability's own entity definitions, never from input.
 */

/** A typed statement prepared on first use (and kept for the life of the opened database). */
function lazy<P extends unknown[], R>(db: Db, sql: string, pluck = false): () => Statement<P, R> {
  let s: Statement<P, R> | undefined;
  return () => (s ??= pluck ? db.prepare<P, R>(sql).pluck() : db.prepare<P, R>(sql));
}

const escapeLike = (s: string): string => `%${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

export function catalogQueries(db: Db) {
  const cache = new Map<string, Statement<unknown[], Row>>();
  const stmt = (sql: string): Statement<unknown[], Row> => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare<unknown[], Row>(sql);
      cache.set(sql, s);
    }
    return s;
  };
  const firstMaterialOfKind = lazy<[string], { code: string; name_en: string }>(
    db,
    'SELECT code, name_en FROM material WHERE kind = ? AND retired = 0 ORDER BY code LIMIT 1',
  );
  return {
    /** The records of one catalogue table, by code, optionally searched (LIKE) over some columns. */
    list(table: string, opts: { search?: string | undefined; columns: readonly string[]; includeRetired: boolean }): Row[] {
      const where: string[] = [];
      const params: unknown[] = [];
      if (!opts.includeRetired) where.push('retired = 0');
      if (opts.search) {
        where.push(`(${opts.columns.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
        const like = escapeLike(opts.search);
        for (let i = 0; i < opts.columns.length; i++) params.push(like);
      }
      return stmt(
        `SELECT * FROM ${table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY code LIMIT 5000`,
      ).all(...params);
    },
    /** A record by code, retired or not. */
    byCode: (table: string, code: string): Row | undefined => stmt(`SELECT * FROM ${table} WHERE code = ?`).get(code),
    /** A record by code, not retired. */
    activeByCode: (table: string, code: string): Row | undefined =>
      stmt(`SELECT * FROM ${table} WHERE code = ? AND retired = 0`).get(code),
    /** The first material of a kind (by code) that is not retired. */
    firstMaterialOfKind: (kind: string): { code: string; name_en: string } | undefined => firstMaterialOfKind().get(kind),
  };
}
export type CatalogQueries = ReturnType<typeof catalogQueries>;
