/**
 * The trace engine on hand-built genealogies with known answers (issue 6, Tests), on real
 * SQLite files written through the one write path (Ledger.write), as an import or the
 * batching screens would leave them.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { C } from '../../src/main/catalog/entities';
import type { Ledger, LedgerWriter } from '../../src/main/ledger/ledger';
import { L } from '../../src/main/lots/entities';
import { traceLot, type TraceResult } from '../../src/main/trace/trace';
import { traceToJson } from '../../src/main/trace/trace-json';
import { makeEnv, newLedger, type TestEnv } from '../fixtures/ledger-helpers';

const actor = { id: 'importer01', name: 'Zhang Min' };

const produced = new Set(['intermediate', 'finished']);

/** Record builders over one ledger transaction. */
function builder(w: LedgerWriter) {
  return {
    lot(code: string, kind: string, quantity = '1000', unit = 'kg', item = kind.toUpperCase()) {
      w.create(L.lot, {
        code,
        kind,
        item_code: item,
        item_name: `${item} name`,
        quantity,
        unit,
        lot_date: '2026-03-01',
        supplier_code: produced.has(kind) ? null : 'S001',
        status: produced.has(kind) ? 'released' : 'accepted',
        // History as an ERP import leaves it: only an import may create a lot already decided
        // (docs/ledger.md §3.3, rules lot.create_*).
        origin: 'import',
      });
    },
    use(input: string, output: string, quantity = '1', unit = 'kg', date = '2026-03-02') {
      return w.create(L.consumption, { input_lot: input, output_lot: output, quantity, unit, date, origin: 'test' });
    },
    ship(shipment: string, lot: string, customer: string, quantity: string, unit = 'kg', date = '2026-03-04') {
      w.create(L.shipment, {
        shipment_code: shipment,
        lot_code: lot,
        customer_code: customer,
        quantity,
        unit,
        date,
        origin: 'test',
      });
    },
    stock(lot: string, movement: string, quantity: string, unit = 'kg', date = '2026-03-05') {
      w.create(L.stockMovement, {
        lot_code: lot,
        movement,
        quantity,
        unit,
        date,
        reason: movement === 'adjustment' ? 'count correction' : null,
        origin: 'test',
      });
    },
    customer(code: string, name: string, contact: string | null = null, phone: string | null = null) {
      w.create(C.customer, { code, name, contact, phone });
    },
    retire(def: typeof L.consumption, id: string) {
      w.retire(def, id, 'entered against the wrong batch');
    },
  };
}

type B = ReturnType<typeof builder>;

let env: TestEnv;
let ledger: Ledger;
const build = (fn: (b: B) => void) => ledger.write(actor, (w) => fn(builder(w)));
const trace = (code: string, opts = {}): TraceResult => {
  const t = traceLot(ledger.db, code, opts);
  if (!t) throw new Error(`no lot ${code}`);
  return t;
};
const names = (l: Array<{ lot: string; depth: number }>) => l.map((x) => `${x.lot}@${x.depth}`);

beforeAll(() => {
  env = makeEnv('lotseal-trace-');
  ledger = newLedger(env);
  build((b) => {
    b.customer('C001', 'Harbin Mother & Baby Store', 'Wang Fang', '+86 451 5555 0101');
    b.customer('C002', 'Shenyang Pharmacy Chain', 'Liu Yang', null);
  });
});

afterAll(() => {
  ledger.db.close();
  env.cleanup();
});

describe('multi-level genealogy: raw milk → intermediate → finished → shipped', () => {
  beforeAll(() =>
    build((b) => {
      b.lot('ML-RM-1', 'raw_milk', '25000.000', 'kg', 'RAWMILK');
      b.lot('ML-RM-2', 'raw_milk', '18000', 'kg', 'RAWMILK');
      b.lot('ML-ING-1', 'ingredient', '500', 'kg', 'LACTOSE');
      b.lot('ML-INT-1', 'intermediate', '6000', 'kg', 'BASEPOWDER');
      b.lot('ML-FIN-1', 'finished', '4000', 'can', 'STAGE1-800G');
      b.lot('ML-FIN-2', 'finished', '3000', 'can', 'STAGE1-800G');
      b.use('ML-RM-1', 'ML-INT-1', '24500');
      b.use('ML-RM-2', 'ML-INT-1', '18000');
      b.use('ML-ING-1', 'ML-INT-1', '480');
      b.use('ML-INT-1', 'ML-FIN-1', '3200');
      b.use('ML-INT-1', 'ML-FIN-2', '2400');
      b.ship('SH-0002', 'ML-FIN-2', 'C002', '1200', 'can', '2026-03-06');
      b.ship('SH-0001', 'ML-FIN-1', 'C001', '2000', 'can', '2026-03-05');
      b.ship('SH-0003', 'ML-FIN-1', 'C404', '120', 'can', '2026-03-06');
      b.stock('ML-RM-1', 'on_hand', '300', 'kg', '2026-03-03');
      b.stock('ML-RM-1', 'sample', '2');
      b.stock('ML-RM-1', 'waste', '198');
    }),
  );

  it('traces a raw milk lot forward to every finished lot, its shipments and customers', () => {
    const t = trace('ML-RM-1');
    expect(t.root).toMatchObject({
      lot: 'ML-RM-1',
      kind: 'raw_milk',
      item_code: 'RAWMILK',
      quantity: '25000',
      unit: 'kg',
    });
    expect(t.backward).toEqual([]);
    expect(t.forward).toEqual([
      { lot: 'ML-INT-1', kind: 'intermediate', item_code: 'BASEPOWDER', status: 'released', depth: 1 },
      { lot: 'ML-FIN-1', kind: 'finished', item_code: 'STAGE1-800G', status: 'released', depth: 2 },
      { lot: 'ML-FIN-2', kind: 'finished', item_code: 'STAGE1-800G', status: 'released', depth: 2 },
    ]);
    // Sorted by date, then shipment code.
    expect(t.shipments).toEqual([
      { shipment: 'SH-0001', lot: 'ML-FIN-1', customer: 'C001', quantity: '2000', unit: 'can', date: '2026-03-05' },
      { shipment: 'SH-0002', lot: 'ML-FIN-2', customer: 'C002', quantity: '1200', unit: 'can', date: '2026-03-06' },
      { shipment: 'SH-0003', lot: 'ML-FIN-1', customer: 'C404', quantity: '120', unit: 'can', date: '2026-03-06' },
    ]);
    // A customer missing from the catalogue is still listed (a recall must reach it).
    expect(t.customers).toEqual([
      { customer: 'C001', name: 'Harbin Mother & Baby Store', contact: 'Wang Fang', phone: '+86 451 5555 0101' },
      { customer: 'C002', name: 'Shenyang Pharmacy Chain', contact: 'Liu Yang', phone: null },
      { customer: 'C404', name: null, contact: null, phone: null },
    ]);
    // The contract's own example: 24500 + 0 + 300 + 2 + 198 = 25000.
    expect(t.mass_balance).toEqual({
      unit: 'kg',
      received_or_produced: '25000',
      consumed: '24500',
      shipped: '0',
      on_hand: '300',
      sampled: '2',
      wasted: '198',
      returned: '0',
      adjusted: '0',
      accounted: '25000',
      accounted_pct: '100.0',
    });
    expect(t.unconverted).toEqual([]);
    expect(t.depth_limit_reached).toBe(false);
    expect(t.elapsed_ms).toBeGreaterThanOrEqual(0);
  });

  it('traces a finished lot backward to its raw milk and ingredients', () => {
    const t = trace('ML-FIN-1');
    expect(names(t.backward)).toEqual(['ML-INT-1@1', 'ML-ING-1@2', 'ML-RM-1@2', 'ML-RM-2@2']);
    expect(t.forward).toEqual([]);
    expect(t.shipments.map((s) => s.shipment)).toEqual(['SH-0001', 'SH-0003']);
    expect(t.customers.map((c) => c.customer)).toEqual(['C001', 'C404']);
    expect(t.mass_balance).toMatchObject({
      unit: 'can',
      received_or_produced: '4000',
      shipped: '2120',
      accounted: '2120',
      accounted_pct: '53.0',
    });
  });

  it('an intermediate lot has both directions; shipments only of its forward lots', () => {
    const t = trace('ML-INT-1');
    expect(names(t.backward)).toEqual(['ML-ING-1@1', 'ML-RM-1@1', 'ML-RM-2@1']);
    expect(names(t.forward)).toEqual(['ML-FIN-1@1', 'ML-FIN-2@1']);
    expect(t.shipments).toHaveLength(3);
    expect(t.mass_balance).toMatchObject({ consumed: '5600', accounted_pct: '93.3' });
  });
});

describe('diamonds', () => {
  beforeAll(() =>
    build((b) => {
      // DA → DB → DC → DD, and DA → DD directly; DA → DX → DD (two paths of length 2).
      for (const c of ['DA', 'DB', 'DC', 'DD', 'DX']) b.lot(c, c === 'DA' ? 'raw_milk' : 'intermediate');
      b.lot('DE', 'finished');
      b.use('DA', 'DB');
      b.use('DB', 'DC');
      b.use('DC', 'DD');
      b.use('DA', 'DD');
      b.use('DA', 'DX');
      b.use('DX', 'DD');
      b.use('DD', 'DE');
      b.use('DD', 'DE', '2'); // two consumption rows for the same pair
      b.ship('S-DE', 'DE', 'C001', '10');
      b.ship('S-DE-2', 'DE', 'C001', '5');
    }),
  );

  it('a lot reached by several paths appears once, at its smallest depth', () => {
    const f = trace('DA').forward;
    expect(names(f)).toEqual(['DB@1', 'DD@1', 'DX@1', 'DC@2', 'DE@2']);
    const b = trace('DE').backward;
    expect(names(b)).toEqual(['DD@1', 'DA@2', 'DC@2', 'DX@2', 'DB@3']);
  });

  it('a customer reached by several shipments is listed once', () => {
    const t = trace('DA');
    expect(t.shipments.map((s) => s.shipment)).toEqual(['S-DE', 'S-DE-2']);
    expect(t.customers.map((c) => c.customer)).toEqual(['C001']);
  });
});

describe('shared ingredients', () => {
  beforeAll(() =>
    build((b) => {
      b.lot('SI-PREMIX', 'ingredient', '50', 'kg', 'VITPREMIX');
      b.lot('SI-RM-1', 'raw_milk', '20000');
      b.lot('SI-RM-2', 'raw_milk', '20000');
      b.lot('SI-INT-1', 'intermediate');
      b.lot('SI-INT-2', 'intermediate');
      b.lot('SI-FIN-1', 'finished', '100', 'can');
      b.lot('SI-FIN-2', 'finished', '100', 'can');
      b.use('SI-RM-1', 'SI-INT-1', '20000');
      b.use('SI-RM-2', 'SI-INT-2', '20000');
      b.use('SI-PREMIX', 'SI-INT-1', '12.5');
      b.use('SI-PREMIX', 'SI-INT-2', '12.5');
      b.use('SI-INT-1', 'SI-FIN-1', '800');
      b.use('SI-INT-2', 'SI-FIN-2', '800');
      b.ship('S-SI-1', 'SI-FIN-1', 'C001', '100', 'can');
      b.ship('S-SI-2', 'SI-FIN-2', 'C002', '60', 'can');
    }),
  );

  it('an ingredient used in two batches reaches both finished lots and both customers', () => {
    const t = trace('SI-PREMIX');
    expect(names(t.forward)).toEqual(['SI-INT-1@1', 'SI-INT-2@1', 'SI-FIN-1@2', 'SI-FIN-2@2']);
    expect(t.customers.map((c) => c.customer)).toEqual(['C001', 'C002']);
    expect(t.mass_balance).toMatchObject({ consumed: '25', accounted: '25', accounted_pct: '50.0' });
  });

  it('a finished lot does not pull in its siblings through the shared ingredient', () => {
    const t = trace('SI-FIN-1');
    expect(names(t.backward)).toEqual(['SI-INT-1@1', 'SI-PREMIX@2', 'SI-RM-1@2']);
    expect(t.shipments.map((s) => s.shipment)).toEqual(['S-SI-1']);
    expect(t.customers.map((c) => c.customer)).toEqual(['C001']);
  });
});

describe('lots without shipments or genealogy', () => {
  beforeAll(() => build((b) => b.lot('NS-ING-1', 'ingredient', '40', 'kg')));

  it('has empty lists and a balance of what is on record', () => {
    const t = trace('NS-ING-1');
    expect([t.backward, t.forward, t.shipments, t.customers]).toEqual([[], [], [], []]);
    expect(t.mass_balance).toMatchObject({
      received_or_produced: '40',
      accounted: '0',
      on_hand: '0',
      accounted_pct: '0.0',
    });
  });

  it('an unknown lot is null', () => {
    expect(traceLot(ledger.db, 'NO-SUCH-LOT')).toBeNull();
    // Codes are exact: no case folding, no trimming.
    expect(traceLot(ledger.db, 'ns-ing-1')).toBeNull();
  });
});

describe('mass balance', () => {
  beforeAll(() =>
    build((b) => {
      b.lot('MB-ING-1', 'ingredient', '1000.000', 'kg', 'WPC80');
      b.lot('MB-INT-1', 'intermediate');
      b.lot('MB-INT-2', 'intermediate');
      // 2500 g = 2.5 kg; 0.5 t = 500 kg; 250000 g = 250 kg.
      b.use('MB-ING-1', 'MB-INT-1', '2500', 'g');
      b.use('MB-ING-1', 'MB-INT-2', '0.5', 't');
      b.ship('S-MB-1', 'MB-ING-1', 'C002', '250000', 'g');
      // Counts replace each other: the latest by date wins, not the last written...
      b.stock('MB-ING-1', 'on_hand', '300', 'kg', '2026-03-02');
      b.stock('MB-ING-1', 'on_hand', '240', 'kg', '2026-03-07');
      b.stock('MB-ING-1', 'on_hand', '999', 'kg', '2026-03-03');
      b.stock('MB-ING-1', 'on_hand', '900', 'kg', '2026-03-07T08:30:00+08:00');
      // ...and on the same date, the last written: 230 kg replaces 900 kg.
      b.stock('MB-ING-1', 'on_hand', '230000', 'g', '2026-03-07T08:30:00+08:00');
      b.stock('MB-ING-1', 'sample', '500', 'g');
      b.stock('MB-ING-1', 'waste', '1.5');
      b.stock('MB-ING-1', 'return', '20', 'kg');
      b.stock('MB-ING-1', 'adjustment', '-4.25');
      b.stock('MB-ING-1', 'adjustment', '2');
      // A can count of a kg lot cannot be converted: listed, not summed, no crash.
      b.use('MB-ING-1', 'MB-INT-2', '3', 'can');
      b.stock('MB-ING-1', 'waste', '1', 'L');
    }),
  );

  it('converts units exactly and applies returns, signed adjustments and the replacing count', () => {
    const t = trace('MB-ING-1');
    // consumed 2.5 + 500 = 502.5; shipped 250; on_hand 230; sampled 0.5; wasted 1.5;
    // returned 20; adjusted −2.25. accounted = 502.5 + 250 + 230 + 0.5 + 1.5 − 20 − 2.25 = 962.25
    expect(t.mass_balance).toEqual({
      unit: 'kg',
      received_or_produced: '1000',
      consumed: '502.5',
      shipped: '250',
      on_hand: '230',
      sampled: '0.5',
      wasted: '1.5',
      returned: '20',
      adjusted: '-2.25',
      accounted: '962.25',
      // 96.225 → 96.2 (half-even on the decimal; half-up would give 96.3)
      accounted_pct: '96.2',
    });
    expect(t.unconverted).toEqual([
      {
        source: 'consumption',
        ref: 'MB-INT-2',
        quantity: '3',
        unit: 'can',
        date: '2026-03-02',
        reason: 'unit_dimension',
      },
      { source: 'stock', ref: 'waste', quantity: '1', unit: 'L', date: '2026-03-05', reason: 'unit_dimension' },
    ]);
    // The shipment is listed in its own unit, as stored.
    expect(t.shipments).toEqual([
      { shipment: 'S-MB-1', lot: 'MB-ING-1', customer: 'C002', quantity: '250000', unit: 'g', date: '2026-03-04' },
    ]);
    const json = JSON.parse(traceToJson(t)) as Record<string, unknown>;
    expect(json['unconverted']).toHaveLength(2);
  });

  it('a voided consumption row is not part of the trace', () => {
    let id = '';
    build((b) => {
      b.lot('RT-ING', 'ingredient', '10');
      b.lot('RT-INT', 'intermediate');
      id = b.use('RT-ING', 'RT-INT', '4').id;
    });
    expect(trace('RT-ING').mass_balance.consumed).toBe('4');
    build((b) => b.retire(L.consumption, id));
    const t = trace('RT-ING');
    expect(t.forward).toEqual([]);
    expect(t.mass_balance.consumed).toBe('0');
  });

  it('a lot of quantity 0 has no accounted_pct (null), not a division error', () => {
    build((b) => b.lot('Z-ING', 'ingredient', '0'));
    const t = trace('Z-ING');
    expect(t.mass_balance.accounted_pct).toBeNull();
    expect(JSON.parse(traceToJson(t)).mass_balance.accounted_pct).toBeNull();
  });

  it('keeps every digit of a large quantity in the JSON text', () => {
    build((b) => {
      b.lot('BIG-RM', 'raw_milk', '12345678901234567.89');
      b.lot('BIG-INT', 'intermediate');
      b.use('BIG-RM', 'BIG-INT', '0.10');
    });
    const text = traceToJson(trace('BIG-RM'));
    expect(text).toContain('"quantity": 12345678901234567.89');
    expect(text).toContain('"received_or_produced": 12345678901234567.89');
    expect(text).toContain('"consumed": 0.1,');
    expect(text).toContain('"accounted": 0.1,');
  });
});

describe('bad databases do not hang or crash the trace', () => {
  it('a cycle is cut by the depth limit, the root is never its own ancestor', () => {
    build((b) => {
      b.lot('CY-A', 'intermediate');
      b.lot('CY-B', 'intermediate');
      b.lot('CY-C', 'intermediate');
      b.use('CY-A', 'CY-B');
      b.use('CY-B', 'CY-C');
      b.use('CY-C', 'CY-A');
    });
    const t = trace('CY-A');
    expect(names(t.forward)).toEqual(['CY-B@1', 'CY-C@2']);
    expect(names(t.backward)).toEqual(['CY-C@1', 'CY-B@2']);
  });

  it('a genealogy deeper than the limit is cut and says so', () => {
    build((b) => {
      for (let i = 0; i <= 70; i++) b.lot(`DP-${String(i).padStart(3, '0')}`, 'intermediate');
      for (let i = 0; i < 70; i++) b.use(`DP-${String(i).padStart(3, '0')}`, `DP-${String(i + 1).padStart(3, '0')}`);
    });
    const t = trace('DP-000');
    expect(t.forward).toHaveLength(64);
    expect(t.depth_limit_reached).toBe(true);
    expect(JSON.parse(traceToJson(t)).depth_limit_reached).toBe(true);
    const deep = trace('DP-000', { maxDepth: 100 });
    expect(deep.forward).toHaveLength(70);
    expect(deep.depth_limit_reached).toBe(false);
  });
});

describe('property: random DAGs', () => {
  /** Breadth-first shortest path lengths from `root` over `next`, computed independently. */
  function bfs(root: number, next: (n: number) => number[]): Map<number, number> {
    const d = new Map<number, number>([[root, 0]]);
    const q = [root];
    while (q.length > 0) {
      const n = q.shift()!;
      for (const m of next(n)) {
        if (!d.has(m)) {
          d.set(m, d.get(n)! + 1);
          q.push(m);
        }
      }
    }
    d.delete(root);
    return d;
  }

  let run = 0;
  it('forward lots trace back to the root; depths are BFS shortest path lengths', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 18 }).chain((n) =>
          fc.tuple(
            fc.constant(n),
            fc.uniqueArray(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), {
              maxLength: n * 3,
              selector: ([a, b]) => `${a}-${b}`,
            }),
          ),
        ),
        ([n, pairs]) => {
          // Only edges from a lower to a higher index: a DAG.
          const edges = pairs.filter(([a, b]) => a < b);
          const prefix = `P${++run}-`;
          const code = (i: number) => `${prefix}${String(i).padStart(2, '0')}`;
          build((b) => {
            for (let i = 0; i < n; i++) b.lot(code(i), i === 0 ? 'raw_milk' : 'intermediate');
            for (const [a, c] of edges) b.use(code(a), code(c));
          });
          const out = (i: number) => edges.filter(([a]) => a === i).map(([, c]) => c);
          const inp = (i: number) => edges.filter(([, c]) => c === i).map(([a]) => a);
          for (let root = 0; root < n; root++) {
            const t = trace(code(root));
            const expectDepths = (got: Array<{ lot: string; depth: number }>, want: Map<number, number>) => {
              const sorted = [...want.entries()]
                .map(([i, d]) => ({ lot: code(i), depth: d }))
                .sort((x, y) => x.depth - y.depth || (x.lot < y.lot ? -1 : 1));
              expect(got.map(({ lot, depth }) => ({ lot, depth }))).toEqual(sorted);
            };
            expectDepths(t.forward, bfs(root, out));
            expectDepths(t.backward, bfs(root, inp));
            for (const f of t.forward) expect(trace(f.lot).backward.map((x) => x.lot)).toContain(code(root));
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
