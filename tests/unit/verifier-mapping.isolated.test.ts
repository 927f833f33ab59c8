/**
 * The standalone verifier embeds its own copy of the record type → table mapping, of the
 * signed-change rule table and of the triggers the migrations create
 * (resources/verifier/lotseal_records.py). This test compares them, entry for entry and in
 * order, with the application's registry (`allEntities()`), `signedChangeRules` and the
 * migrations, so the two can never drift: a record type, a column, an added/signed/secret
 * column, a rule or a trigger added on one side only fails here, printing the line to add.
 *
 * Isolated (its own module graph, project unit-isolated): the registry lists record types in
 * the order their modules were first imported, which is src/main/ledger/registry.ts's order
 * only when the registry is what loads them. In the shared unit graph another file that
 * imported a capability first (e.g. the testing records through a micro rule) reordered it
 * and failed this test in one run of several.
 */
import { describe, expect, it } from 'vitest';
import { migrations } from '../../src/main/db/migrations';
import { allEntities } from '../../src/main/ledger/registry';
import { expectedTriggers } from '../../src/main/ledger/verify';
import { signedChangeRules } from '../../src/shared/domain/signed-changes';
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
  rules: unknown[];
  triggers: Array<{ migration: string; name: string; table: string; sql: string }>;
}

function pythonMapping(): PyMapping {
  const r = runPython([
    '-c',
    [
      'import json, sys',
      'sys.dont_write_bytecode = True',
      `sys.path.insert(0, ${JSON.stringify(VERIFIER_DIR)})`,
      'import lotseal_records as r',
      'print(json.dumps({"entities": r.ENTITIES, "rules": r.RULES, "triggers": r.TRIGGERS}))',
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

describe('the Python verifier knows every record type as the application does', () => {
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

  it('the same signed-change rules, in order (src/shared/domain/signed-changes.ts)', () => {
    const ts = JSON.parse(JSON.stringify(signedChangeRules)) as unknown[];
    const missing = ts.filter((r) => !py.rules.some((p) => JSON.stringify(p) === JSON.stringify(r)));
    expect(missing, 'add these rules to RULES in resources/verifier/lotseal_records.py').toEqual([]);
    expect(py.rules).toEqual(ts);
  });

  it('the same triggers, with the same SQL, as the migrations create', () => {
    const ts = expectedTriggers(new Set(migrations.map((m) => m.id)));
    const expected = migrations.flatMap((m) =>
      [...ts]
        .filter(([name]) => m.sql.includes(`CREATE TRIGGER ${name} `))
        .map(([name, t]) => ({ migration: m.id, name, table: t.table, sql: t.sql })),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(py.triggers).toEqual(expected);
  });
});
