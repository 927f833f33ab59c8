/**
 * One write path (issue 3 §1, 21 CFR 11.10(e)): nothing outside the ledger issues
 * INSERT / UPDATE / DELETE / REPLACE on a table of the record store, so every change to a
 * record is in the audit trail. This scans every source file under src/ except the ledger
 * itself and the migrations for SQL write statements in string literals (and kysely write
 * builders) and names the file and line of each one whose target is a record-store table
 * (every table the migrations create) or a table name computed at run time that could be
 * one. Writes to scratch tables of another database (the import's staging file: s_*,
 * eff_lot …) are not record writes and pass.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../src/main/db/migrations';

const root = join(__dirname, '..', '..');
// The import's staging database is a temporary file of its own, never the record store.
const EXEMPT = ['src/main/ledger/', 'src/main/db/migrations/', 'src/main/import/staging.ts'];
const NAME = String.raw`([\w."\[\]$\{\}]+)`;
const SQL_WRITE = new RegExp(String.raw`\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|DELETE\s+FROM)\s+${NAME}|\bUPDATE\s+(?:OR\s+\w+\s+)?${NAME}\s+SET\b`, 'gi');
const BUILDER_WRITE = /\.\s*(?:insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\s*\(\s*([^),]*)/g;

/** Every table of the record store: what the shipped migrations create. */
const STORE_TABLES = new Set(migrations.flatMap((m) => [...m.sql.matchAll(/CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?["`]?(\w+)/gi)].map((x) => x[1]!.toLowerCase())));

/** Could this target be a record-store table? Names built at run time count unless their literal prefix rules it out. */
function isStoreTarget(raw: string): boolean {
  let name = raw.replace(/["`'[\]]/g, '').toLowerCase();
  if (!name.includes('${')) name = name.replace(/^\w+\./, ''); // schema prefix (main., m.)
  const dyn = name.indexOf('${');
  if (dyn < 0) return STORE_TABLES.has(name);
  const prefix = name.slice(0, dyn).replace(/^\w+\./, '');
  return [...STORE_TABLES].some((t) => t.startsWith(prefix));
}
const STRING = /(['"`])(?:\\[\s\S]|(?!\1)[^\\])*\1/g;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return /\.(ts|tsx|js|cjs|mjs)$/.test(name) ? [p] : [];
  });
}

export function writeStatements(source: string): Array<{ line: number; text: string }> {
  const hits: Array<{ line: number; text: string }> = [];
  const lineOf = (i: number): number => source.slice(0, i).split('\n').length;
  for (const m of source.matchAll(STRING)) {
    for (const w of m[0].matchAll(SQL_WRITE)) {
      if (isStoreTarget(w[1] ?? w[2] ?? '')) hits.push({ line: lineOf(m.index! + w.index!), text: w[0].replace(/\s+/g, ' ') });
    }
  }
  for (const [i, l] of source.split('\n').entries()) {
    for (const b of l.matchAll(BUILDER_WRITE)) {
      const arg = (b[1] ?? '').trim();
      // A literal argument names the table; anything else is computed and could be a record table.
      const lit = /^(['"`])([^'"`$]*)\1$/.exec(arg);
      if (!lit || isStoreTarget(lit[2]!)) hits.push({ line: i + 1, text: b[0] });
    }
  }
  return hits.sort((a, b) => a.line - b.line);
}

describe('the ledger is the only write path', () => {
  it('the scanner finds writes in strings, template literals over several lines and query builders', () => {
    const sample = [
      "db.prepare('insert into setting (id) values (?)');",
      'db.exec(`UPDATE',
      '  user_account SET status = 1`);',
      'db.prepare("DELETE FROM main.audit_entry");',
      'db.prepare(`REPLACE INTO ${def.table} VALUES (1)`);',
      "qb.updateTable('signature').set({ comment: 'x' });",
      "const ok = 'SELECT * FROM setting'; // an update set aside",
      "db.prepare('INSERT INTO s_lots (row) VALUES (?)'); db.exec(`DELETE FROM s_${kind}`);",
      "db.prepare('INSERT OR IGNORE INTO eff_lot SELECT * FROM m.setting');",
      'qb.insertInto(table).values({});',
    ].join('\n');
    expect(writeStatements(sample).map((h) => h.line)).toEqual([1, 2, 4, 5, 6, 10]);
  });

  it('no file under src/ outside src/main/ledger and the migrations writes SQL', () => {
    const offenders: string[] = [];
    for (const f of files(join(root, 'src'))) {
      const rel = relative(root, f).split(sep).join('/');
      if (EXEMPT.some((e) => rel.startsWith(e))) continue;
      for (const h of writeStatements(readFileSync(f, 'utf8'))) offenders.push(`${rel}:${h.line}: ${h.text}`);
    }
    expect(offenders, 'write through the ledger (Ledger.write) instead').toEqual([]);
  });
});
