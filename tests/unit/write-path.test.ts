/**
 * One write path (issue 3 §1, 21 CFR 11.10(e)): nothing outside the ledger issues
 * INSERT / UPDATE / DELETE / REPLACE, so every change to a record is in the audit trail.
 * This scans every source file under src/ except the ledger itself and the migrations
 * (schema DDL) for SQL write statements in string literals and for kysely write builders,
 * and names the file and line of each.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const EXEMPT = ['src/main/ledger/', 'src/main/db/migrations/'];
const SQL_WRITE = /\b(INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE\s+(?:OR\s+\w+\s+)?["`\w.]+\s+SET|DELETE\s+FROM|REPLACE\s+INTO)\b/i;
const BUILDER_WRITE = /\.\s*(insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\s*\(/;
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
    const w = SQL_WRITE.exec(m[0]);
    if (w) hits.push({ line: lineOf(m.index! + w.index), text: w[0].replace(/\s+/g, ' ') });
  }
  for (const [i, l] of source.split('\n').entries()) {
    const b = BUILDER_WRITE.exec(l);
    if (b) hits.push({ line: i + 1, text: b[0] });
  }
  return hits;
}

describe('the ledger is the only write path', () => {
  it('the scanner finds writes in strings, template literals over several lines and query builders', () => {
    const sample = [
      "db.prepare('insert into lot (id) values (?)');",
      'db.exec(`UPDATE',
      '  lot SET qty = 1`);',
      'db.prepare("DELETE FROM lot");',
      "db.prepare('REPLACE INTO x VALUES (1)');",
      "qb.updateTable('lot').set({ qty: 1 });",
      "const ok = 'SELECT * FROM lot'; // an update set aside",
    ].join('\n');
    expect(writeStatements(sample).map((h) => h.line)).toEqual([1, 2, 4, 5, 6]);
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
