import type { Db } from './database';

/** The database's id (database_info), or null when the file has none (not a LotSeal database). */
export function databaseIdIn(db: Db): string | null {
  try {
    return db.prepare<[], string>('SELECT id FROM database_info LIMIT 1').pluck().get() ?? null;
  } catch {
    return null;
  }
}

/** The database's creation instant (database_info), prepared once; null when the table is empty. */
export function databaseCreatedAt(db: Db): () => number | null {
  let s: ReturnType<typeof prepare> | undefined;
  function prepare() {
    return db.prepare<[], { at: number | null }>('SELECT min(created_at) AS at FROM database_info');
  }
  return () => (s ??= prepare()).get()?.at ?? null;
}
