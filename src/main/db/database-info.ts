import type { Db } from './database';

/** The database's id (database_info), or null when the file has none (not a LotSeal database). */
export function databaseIdIn(db: Db): string | null {
  try {
    return db.prepare<[], string>('SELECT id FROM database_info LIMIT 1').pluck().get() ?? null;
  } catch {
    return null;
  }
}
