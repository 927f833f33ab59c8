import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../src/main/db/migrations';
import { allEntities } from '../../src/main/ledger/registry';

describe('entity registry', () => {
  it('registers every ledgered table (id, rev, retired) of every migration, with exactly its columns', () => {
    const db = new Database(':memory:');
    for (const m of migrations) db.exec(m.sql);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    const registered = new Map(allEntities().map((e) => [e.table, e]));
    for (const t of tables) {
      const cols = (db.prepare(`PRAGMA table_info(${t})`).all() as Array<{ name: string }>).map((c) => c.name);
      const ledgered = cols.slice(0, 3).join() === 'id,rev,retired';
      if (!ledgered) continue;
      const def = registered.get(t);
      expect(def, `table ${t} is ledgered but no entity is registered for it (src/main/ledger/registry.ts)`).toBeDefined();
      expect(['id', 'rev', 'retired', ...def!.columns].sort()).toEqual([...cols].sort());
    }
    for (const def of registered.values()) expect(tables, def.table).toContain(def.table);
    db.close();
  });
});
