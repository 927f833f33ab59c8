/**
 * `lotseal trace --json` text (../shared/formats/README.md §2): the contract's fields in its
 * order, and quantities as number tokens carrying the exact stored decimals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseDecimal, type TraceResult } from '../../src/main/trace/trace';
import { stringifyExact, traceToJson } from '../../src/main/trace/trace-json';

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

/** The contract's example, as the engine returns it (decimal strings as stored). */
function example(): TraceResult {
  return {
    root: {
      lot: 'RM-2026-0001',
      kind: 'raw_milk',
      item_code: 'RAWMILK',
      item_name: 'Raw cow milk',
      quantity: '25000.000',
      unit: 'kg',
      status: 'accepted',
    },
    backward: [{ lot: 'ING-1', kind: 'ingredient', item_code: 'LACTOSE', status: 'accepted', depth: 1 }],
    forward: [{ lot: 'INT-1', kind: 'intermediate', item_code: 'BASE', status: 'released', depth: 1 }],
    shipments: [
      { shipment: 'SH-1', lot: 'FIN-1', customer: 'C001', quantity: '120.0', unit: 'kg', date: '2026-03-04' },
    ],
    customers: [{ customer: 'C001', name: '哈尔滨母婴店', contact: 'Wang Fang', phone: null }],
    mass_balance: {
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
    },
    unconverted: [],
    depth_limit_reached: false,
    edges: { backward: [], forward: [] },
    elapsed_ms: 3.1,
  };
}

const keys = (o: unknown) => Object.keys(o as object);

describe('traceToJson', () => {
  it('matches the contract example field for field, in its key order', () => {
    const text = traceToJson(example());
    const j = JSON.parse(text) as TraceDoc;
    expect(keys(j)).toEqual(['root', 'backward', 'forward', 'shipments', 'customers', 'mass_balance', 'elapsed_ms']);
    expect(j['root']).toEqual({
      lot: 'RM-2026-0001',
      kind: 'raw_milk',
      item_code: 'RAWMILK',
      quantity: 25000,
      unit: 'kg',
    });
    expect(keys(j['root'])).toEqual(['lot', 'kind', 'item_code', 'quantity', 'unit']);
    expect(keys(j['backward'][0])).toEqual(['lot', 'kind', 'item_code', 'depth']);
    expect(keys(j['forward'][0])).toEqual(['lot', 'kind', 'item_code', 'depth']);
    expect(j['shipments'][0]).toEqual({
      shipment: 'SH-1',
      lot: 'FIN-1',
      customer: 'C001',
      quantity: 120,
      unit: 'kg',
      date: '2026-03-04',
    });
    expect(keys(j['shipments'][0])).toEqual(['shipment', 'lot', 'customer', 'quantity', 'unit', 'date']);
    expect(j['customers'][0]).toEqual({ customer: 'C001', name: '哈尔滨母婴店', contact: 'Wang Fang', phone: null });
    expect(keys(j['mass_balance'])).toEqual([
      'unit',
      'received_or_produced',
      'consumed',
      'shipped',
      'on_hand',
      'sampled',
      'wasted',
      'returned',
      'adjusted',
      'accounted',
      'accounted_pct',
    ]);
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
    expect(j['elapsed_ms']).toBe(3.1);
    // Number tokens, not strings; the percentage keeps its one decimal as in the example.
    expect(text).toContain('"quantity": 25000,');
    expect(text).toContain('"accounted_pct": 100.0\n');
    // The app's extras (item_name, status, edges) are not part of the contract's document.
    expect(text).not.toMatch(/item_name|status|edges/);
  });

  it('writes quantities from the decimal strings, never through a float', () => {
    const t = example();
    t.root.quantity = '12345678901234567.89';
    t.mass_balance.received_or_produced = '12345678901234567.89';
    t.mass_balance.adjusted = '-0.000000000000000000001';
    t.shipments[0]!.quantity = '0.10';
    const text = traceToJson(t);
    expect(text).toContain('"quantity": 12345678901234567.89,');
    expect(text).toContain('"received_or_produced": 12345678901234567.89,');
    expect(text).toContain('"adjusted": -0.000000000000000000001,'); // no exponent
    expect(text).toContain('"quantity": 0.1,');
    expect(String(Number('12345678901234567.89'))).not.toBe('12345678901234567.89'); // what a float would have printed
    expect(JSON.parse(text)).toBeTruthy();
  });

  it('adds the optional fields only when they carry something', () => {
    const t = example();
    t.unconverted = [
      {
        source: 'consumption',
        ref: 'FIN-9',
        quantity: '3.0',
        unit: 'can',
        date: '2026-03-02',
        reason: 'unit_dimension',
      },
    ];
    t.depth_limit_reached = true;
    t.mass_balance.accounted_pct = null;
    const j = JSON.parse(traceToJson(t)) as TraceDoc;
    expect(keys(j)).toEqual([
      'root',
      'backward',
      'forward',
      'shipments',
      'customers',
      'mass_balance',
      'unconverted',
      'depth_limit_reached',
      'elapsed_ms',
    ]);
    expect(j['unconverted']).toEqual([
      { source: 'consumption', ref: 'FIN-9', quantity: 3, unit: 'can', date: '2026-03-02', reason: 'unit_dimension' },
    ]);
    expect(j['mass_balance']['accounted_pct']).toBeNull();
  });
});

describe('normaliseDecimal', () => {
  it.each([
    ['25000.000', '25000'],
    ['0.10', '0.1'],
    ['-0', '0'],
    ['-0.000', '0'],
    ['007.50', '7.5'],
    ['1e21', '1000000000000000000000'],
    ['-12.340', '-12.34'],
  ])('%s → %s', (input, want) => expect(normaliseDecimal(input)).toBe(want));
});

describe('stringifyExact', () => {
  it('lays out plain JSON exactly as JSON.stringify does', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2), (v, indent) => {
        // -0 is the one value JSON.stringify prints differently from its own round trip.
        const clean = JSON.parse(JSON.stringify(v)) as Parameters<typeof stringifyExact>[0];
        expect(stringifyExact(clean, indent)).toBe(JSON.stringify(clean, null, indent));
      }),
    );
  });
});
