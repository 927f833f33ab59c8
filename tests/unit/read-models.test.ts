/**
 * The declared cross-capability read models (src/main/read-models.json, D-074) stay exact: every
 * table of every migration has one owner, each declaration names a queries module that exists,
 * belongs to a capability, and really reads each table it declares (a read removed from the code
 * must leave the list too), and none declares a table its own capability owns.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../src/main/db/migrations';
import { E } from '../../src/main/ledger/entities';

interface ReadModels {
  kernelTables: Record<string, string>;
  readModels: Array<{ name: string; module: string; tables: string[]; why: string }>;
}
const declared = JSON.parse(readFileSync('src/main/read-models.json', 'utf8')) as ReadModels;

function owners(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync('src/main/ledger/records'))
    for (const m of readFileSync(join('src/main/ledger/records', f), 'utf8').matchAll(/\btable: '([a-z_][a-z0-9_]*)'/g))
      out[m[1]!] = f.replace(/\.ts$/, '');
  return { ...out, ...declared.kernelTables };
}

describe('src/main/read-models.json', () => {
  const own = owners();

  it('every table a migration creates has exactly one owner', () => {
    const created = migrations.flatMap((m) =>
      [...m.sql.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?([a-z_][a-z0-9_]*)/g)].map((x) => x[1]!),
    );
    expect(created.filter((t) => !(t in own))).toEqual([]);
    // The signed store's own record types are assigned in kernelTables (the ledger's or identity's).
    for (const def of Object.values(E))
      expect(declared.kernelTables[def.table], def.table).toMatch(/^(ledger|identity)$/);
  });

  it('each read model names an existing queries module of a capability, and why', () => {
    for (const r of declared.readModels) {
      expect(existsSync(r.module), r.module).toBe(true);
      expect(r.module).toMatch(/^src\/main\/[a-z-]+\/(queries\.ts|queries\/[a-z-]+\.ts|staging\.ts)$/);
      expect(r.why.length, r.name).toBeGreaterThan(40);
    }
  });

  it("declares only other owners' tables, each of which the module really reads", () => {
    for (const r of declared.readModels) {
      const capability = /^src\/main\/([a-z-]+)\//.exec(r.module)![1]!;
      const text = readFileSync(r.module, 'utf8');
      for (const t of r.tables) {
        expect(own[t], `${r.module}: ${t} has an owner`).toBeDefined();
        expect(own[t], `${r.module}: ${t} is its own table`).not.toBe(capability);
        expect(new RegExp(`\\b(FROM|JOIN)\\s+([a-z_]+\\.)?${t}\\b`).test(text), `${r.module} reads ${t}`).toBe(true);
      }
    }
  });
});
