import {
  DummyDriver,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
} from 'kysely';
import type { Db, Stmt } from './database';
import type { Schema } from './schema';

/**
 * Typed SQL: kysely builds and compiles the queries (the same builder runs on PostgreSQL
 * for multi-workstation sites); better-sqlite3 executes them synchronously, so a ledger
 * transaction never yields to the event loop half-way (docs/decisions.md D-003).
 */
export const qb = new Kysely<Schema>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

const cache = new WeakMap<Db, Map<string, Stmt>>();

function prepared(db: Db, sql: string): Stmt {
  let m = cache.get(db);
  if (!m) {
    m = new Map();
    cache.set(db, m);
  }
  let st = m.get(sql);
  if (!st) {
    st = db.prepare<unknown[], unknown>(sql);
    m.set(sql, st);
  }
  return st;
}

export function all<R>(db: Db, q: { compile(): CompiledQuery<R> }): R[] {
  const c = q.compile();
  return prepared(db, c.sql).all(...(c.parameters as unknown[])) as R[];
}
