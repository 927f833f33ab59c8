/**
 * `lotseal trace` through the real command (bin/lotseal.cjs), on a real database written
 * through the ledger: the --json document matches ../shared/formats/README.md §2 field for
 * field, unknown lots exit 1 with the contract's error, bad arguments exit 2.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { C } from '../../src/main/catalog/entities';
import { L } from '../../src/main/lots/entities';
import { lotseal } from '../helpers/cli';
import { makeEnv, newLedger, type TestEnv } from '../fixtures/ledger-helpers';

type Obj = Record<string, unknown>;
/** The contract's document, as a script reads it. */
interface TraceDoc {
  root: Obj;
  backward: Obj[];
  forward: Obj[];
  shipments: Obj[];
  customers: Obj[];
  mass_balance: Obj;
  unconverted?: Obj[];
  depth_limit_reached?: boolean;
  elapsed_ms: number;
}

let env: TestEnv;
let cliData: string;

const sorted = (o: unknown) => Object.keys(o as object).sort();

beforeAll(() => {
  env = makeEnv('lotseal-trace-cli-');
  cliData = join(env.dir, 'cli-data');
  const ledger = newLedger(env);
  const lot = (code: string, kind: string, quantity: string, unit: string, item: string) => ({
    code,
    kind,
    item_code: item,
    item_name: `${item} name`,
    quantity,
    unit,
    lot_date: '2026-03-01',
    supplier_code: kind === 'raw_milk' ? 'FARM01' : null,
    status: kind === 'raw_milk' ? 'accepted' : 'released',
    origin: 'import',
  });
  ledger.write({ id: 'importer01', name: 'Zhang Min' }, (w) => {
    w.create(C.customer, { code: 'C001', name: '哈尔滨母婴店', contact: 'Wang Fang', phone: '+86 451 5555 0101' });
    w.create(L.lot, lot('RM-2026-0001', 'raw_milk', '25000.000', 'kg', 'RAWMILK'));
    w.create(L.lot, lot('INT-2026-0001', 'intermediate', '6000', 'kg', 'BASEPOWDER'));
    w.create(L.lot, lot('FIN-2026-0001', 'finished', '4000', 'can', 'STAGE1-800G'));
    w.create(L.consumption, {
      input_lot: 'RM-2026-0001',
      output_lot: 'INT-2026-0001',
      quantity: '24500000',
      unit: 'g',
      date: '2026-03-02',
      origin: 'import',
    });
    w.create(L.consumption, {
      input_lot: 'INT-2026-0001',
      output_lot: 'FIN-2026-0001',
      quantity: '3200',
      unit: 'kg',
      date: '2026-03-03',
      origin: 'import',
    });
    w.create(L.shipment, {
      shipment_code: 'SH-0001',
      lot_code: 'FIN-2026-0001',
      customer_code: 'C001',
      quantity: '120',
      unit: 'can',
      date: '2026-03-04',
      origin: 'import',
    });
    for (const [movement, quantity] of [
      ['on_hand', '300'],
      ['sample', '2'],
      ['waste', '198'],
    ] as const) {
      w.create(L.stockMovement, {
        lot_code: 'RM-2026-0001',
        movement,
        quantity,
        unit: 'kg',
        date: '2026-03-05',
        origin: 'import',
      });
    }
  });
  ledger.db.close();
});

afterAll(() => env.cleanup());

describe('lotseal trace', () => {
  it('--json matches the contract field for field', () => {
    const r = lotseal(['trace', '--db', env.file, '--lot', 'RM-2026-0001', '--json'], {
      dataDir: cliData,
      passphrase: null,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = r.json as TraceDoc;
    expect(sorted(j)).toEqual(['backward', 'customers', 'elapsed_ms', 'forward', 'mass_balance', 'root', 'shipments']);
    expect(sorted(j['root'])).toEqual(['item_code', 'kind', 'lot', 'quantity', 'unit']);
    expect(j['root']).toEqual({
      lot: 'RM-2026-0001',
      kind: 'raw_milk',
      item_code: 'RAWMILK',
      quantity: 25000,
      unit: 'kg',
    });
    expect(j['backward']).toEqual([]);
    expect(j['forward']).toEqual([
      { lot: 'INT-2026-0001', kind: 'intermediate', item_code: 'BASEPOWDER', depth: 1 },
      { lot: 'FIN-2026-0001', kind: 'finished', item_code: 'STAGE1-800G', depth: 2 },
    ]);
    for (const f of j['forward']) expect(sorted(f)).toEqual(['depth', 'item_code', 'kind', 'lot']);
    expect(j['shipments']).toEqual([
      { shipment: 'SH-0001', lot: 'FIN-2026-0001', customer: 'C001', quantity: 120, unit: 'can', date: '2026-03-04' },
    ]);
    expect(sorted(j['shipments'][0])).toEqual(['customer', 'date', 'lot', 'quantity', 'shipment', 'unit']);
    expect(j['customers']).toEqual([
      { customer: 'C001', name: '哈尔滨母婴店', contact: 'Wang Fang', phone: '+86 451 5555 0101' },
    ]);
    expect(sorted(j['customers'][0])).toEqual(['contact', 'customer', 'name', 'phone']);
    // The contract's example balance; consumption was recorded in g (24 500 000 g = 24 500 kg).
    expect(j['mass_balance']).toEqual({
      unit: 'kg',
      received_or_produced: 25000,
      consumed: 24500,
      shipped: 0,
      on_hand: 300,
      sampled: 2,
      wasted: 198,
      returned: 0,
      adjusted: 0,
      accounted: 25000,
      accounted_pct: 100,
    });
    expect(sorted(j['mass_balance'])).toEqual([
      'accounted',
      'accounted_pct',
      'adjusted',
      'consumed',
      'on_hand',
      'received_or_produced',
      'returned',
      'sampled',
      'shipped',
      'unit',
      'wasted',
    ]);
    expect(typeof j['elapsed_ms']).toBe('number');
    expect(r.stdout).toContain('"accounted_pct": 100.0');
  });

  it('a backward trace from the finished lot reaches the raw milk', () => {
    const r = lotseal(['trace', '--db', env.file, '--lot', 'FIN-2026-0001', '--json'], {
      dataDir: cliData,
      passphrase: null,
    });
    expect(r.code).toBe(0);
    const j = r.json as TraceDoc;
    expect(j['backward']).toEqual([
      { lot: 'INT-2026-0001', kind: 'intermediate', item_code: 'BASEPOWDER', depth: 1 },
      { lot: 'RM-2026-0001', kind: 'raw_milk', item_code: 'RAWMILK', depth: 2 },
    ]);
    expect(j['mass_balance']).toMatchObject({ unit: 'can', shipped: 120, accounted: 120, accounted_pct: 3 });
  });

  it('prints a readable summary without --json', () => {
    const r = lotseal(['trace', '--db', env.file, '--lot', 'RM-2026-0001'], { dataDir: cliData, passphrase: null });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Lot RM-2026-0001  raw_milk  RAWMILK');
    expect(r.stdout).toMatch(/└─ INT-2026-0001 {2}intermediate {2}BASEPOWDER {2}\(24500000 g\)/);
    expect(r.stdout).toMatch(/ {3}└─ FIN-2026-0001 {2}finished {2}STAGE1-800G {2}\(3200 kg\)/);
    expect(r.stdout).toContain('哈尔滨母婴店');
    expect(r.stdout).toMatch(/accounted %\s+100\.0/);
  });

  it('an unknown lot exits 1 with the contract error', () => {
    const r = lotseal(['trace', '--db', env.file, '--lot', 'RM-2099-9999', '--json'], {
      dataDir: cliData,
      passphrase: null,
    });
    expect(r.code).toBe(1);
    expect(r.json).toEqual({ error: 'lot_not_found', lot: 'RM-2099-9999' });
    const human = lotseal(['trace', '--db', env.file, '--lot', 'RM-2099-9999'], { dataDir: cliData, passphrase: null });
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('RM-2099-9999');
  });

  it('bad arguments or no database exit 2', () => {
    expect(lotseal(['trace', '--db', env.file, '--json'], { dataDir: cliData }).code).toBe(2);
    expect(lotseal(['trace', '--db', env.file, '--lot', '', '--json'], { dataDir: cliData }).code).toBe(2);
    const missing = lotseal(['trace', '--db', join(env.dir, 'nope.db'), '--lot', 'X', '--json'], { dataDir: cliData });
    expect(missing.code).toBe(2);
    expect((missing.json as { error: string }).error).toBe('database_missing');
  });
});
