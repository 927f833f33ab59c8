import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allEntities } from '../../src/main/ledger/registry';

/** docs/ledger.md §9 (the record type → table mapping) against the registry it documents. */
describe('docs/ledger.md §9 record type → table mapping', () => {
  it('lists every record type with exactly its table, columns, added, signed and secret columns', () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'ledger.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## 9. Record type → table mapping'));
    const cells = (s: string): string[] =>
      s.trim() === '—' || s.trim() === 'whole record' ? [] : s.split(',').map((c) => c.trim().replace(/`/g, ''));
    const documented = new Map<
      string,
      { table: string; columns: string[]; added: string[]; signed: string[] | null; secret: string[] }
    >();
    for (const line of section.split('\n')) {
      const m = /^\| `([a-z_]+)` \| `([a-z_]+)` \|([^|]*)\|([^|]*)\|([^|]*)\|([^|]*)\|$/.exec(line);
      if (!m) continue;
      documented.set(m[1]!, {
        table: m[2]!,
        columns: cells(m[3]!),
        added: cells(m[4]!),
        signed: m[5]!.trim() === 'whole record' ? null : cells(m[5]!),
        secret: cells(m[6]!),
      });
    }
    const actual = new Map(
      allEntities().map((d) => [
        d.name,
        {
          table: d.table,
          columns: [...d.columns],
          added: [...(d.added ?? [])],
          signed: d.signed ? [...d.signed] : null,
          secret: [...(d.secret ?? [])],
        },
      ]),
    );
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(actual));
  });
});
