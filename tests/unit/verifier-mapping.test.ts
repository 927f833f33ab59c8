/**
 * The standalone verifier embeds its own copy of the record type → table mapping and of the
 * append-only triggers (resources/verifier/lotseal_records.py). This test compares it, line for
 * line and in order, with the application's registry (`allEntities()`) and migrations, so the
 * two can never drift: a record type, column, added/signed/secret column or trigger added on
 * one side only fails here, with the line to add.
 */
import { describe, expect, it } from 'vitest';
import { migrations } from '../../src/main/db/migrations';
import { allEntities } from '../../src/main/ledger/registry';
import { VERIFIER_DIR, runPython } from '../helpers/python';

interface PyMapping {
  entities: Array<{
    name: string;
    table: string;
    columns: string[];
    added?: string[];
    signed?: string[];
    secret?: string[];
  }>;
  triggers: string[];
}

function pythonMapping(): PyMapping {
  const r = runPython([
    '-c',
    [
      'import json, sys',
      'sys.dont_write_bytecode = True',
      `sys.path.insert(0, ${JSON.stringify(VERIFIER_DIR)})`,
      'import lotseal_records as r',
      'print(json.dumps({"entities": r.ENTITIES, "triggers": r.APPEND_ONLY_TRIGGERS}))',
    ].join('\n'),
  ]);
  if (r.status !== 0) throw new Error(`lotseal_records.py did not load: ${r.stderr}`);
  return JSON.parse(r.stdout) as PyMapping;
}

/** The Python line that describes an entity, as lotseal_records.py writes it. */
function pythonLine(d: ReturnType<typeof allEntities>[number]): string {
  const parts = [
    `"name": ${JSON.stringify(d.name)}`,
    `"table": ${JSON.stringify(d.table)}`,
    `"columns": ${JSON.stringify(d.columns)}`,
  ];
  if (d.added?.length) parts.push(`"added": ${JSON.stringify(d.added)}`);
  if (d.signed) parts.push(`"signed": ${JSON.stringify(d.signed)}`);
  if (d.secret?.length) parts.push(`"secret": ${JSON.stringify(d.secret)}`);
  return `{${parts.join(', ').replace(/","/g, '", "')}},`;
}

describe('the Python verifier knows every record type as the application does', { timeout: 60_000 }, () => {
  const py = pythonMapping();

  it('the same record types, tables and columns, in registry order', () => {
    const ts = allEntities().map((d) => ({
      name: d.name,
      table: d.table,
      columns: [...d.columns],
      added: d.added?.length ? [...d.added] : undefined,
      signed: d.signed ? [...d.signed] : undefined,
      secret: d.secret?.length ? [...d.secret] : undefined,
    }));
    const pyn = py.entities.map((e) => ({
      name: e.name,
      table: e.table,
      columns: e.columns,
      added: e.added?.length ? e.added : undefined,
      signed: e.signed,
      secret: e.secret?.length ? e.secret : undefined,
    }));
    const missing = allEntities().filter((d) => !py.entities.some((e) => e.name === d.name));
    expect(missing.map(pythonLine), 'add these lines to ENTITIES in resources/verifier/lotseal_records.py').toEqual([]);
    expect(pyn).toEqual(ts);
  });

  it('the same append-only triggers as the migrations create', () => {
    const created = migrations.flatMap((m) =>
      [...m.sql.matchAll(/CREATE TRIGGER (\w+)[^;]*?RAISE\(ABORT, '[^']*append-only'\)/g)].map((x) => x[1]!),
    );
    expect(created.length).toBeGreaterThan(0);
    expect([...py.triggers].sort()).toEqual([...new Set(created)].sort());
  });
});
