import type { TraceView } from '../../shared/contract/channels/trace';
import { normaliseDecimal, type TraceResult } from './trace';

/**
 * The `lotseal trace --json` document (../shared/formats/README.md §2), field for field and
 * in the contract's key order. "Quantities are JSON numbers carrying the exact stored decimal
 * values": a quantity is written as a number TOKEN made from its decimal string, never through
 * a JS number, so "12345678901234567.89" keeps every digit (a float would print
 * 12345678901234568). A reader that parses into doubles rounds as it always does; one that
 * parses decimals gets the stored value.
 *
 * Optional fields (the contract may be extended only by optional fields): `unconverted` when
 * some quantity of the root could not be converted to its unit, `depth_limit_reached` when
 * the genealogy reached the depth limit. Both are absent in the ordinary case.
 */

/** A JSON number token written as is. */
class NumberToken {
  constructor(readonly token: string) {}
}

type Json = string | number | boolean | null | NumberToken | Json[] | { [k: string]: Json };

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * A stored decimal as a number token. Text that is not a decimal (only in a damaged
 * database: the import validates quantities) stays a JSON string rather than breaking the
 * document.
 */
function qty(s: string): Json {
  let n: string;
  try {
    n = normaliseDecimal(s);
  } catch {
    return s;
  }
  return JSON_NUMBER.test(n) ? new NumberToken(n) : s;
}

export function traceToJsonValue(t: TraceResult): Json {
  const mb = t.mass_balance;
  const doc: { [k: string]: Json } = {
    root: {
      lot: t.root.lot,
      kind: t.root.kind,
      item_code: t.root.item_code,
      quantity: qty(t.root.quantity),
      unit: t.root.unit,
    },
    backward: t.backward.map((l) => ({ lot: l.lot, kind: l.kind, item_code: l.item_code, depth: l.depth })),
    forward: t.forward.map((l) => ({ lot: l.lot, kind: l.kind, item_code: l.item_code, depth: l.depth })),
    shipments: t.shipments.map((s) => ({
      shipment: s.shipment,
      lot: s.lot,
      customer: s.customer,
      quantity: qty(s.quantity),
      unit: s.unit,
      date: s.date,
    })),
    customers: t.customers.map((c) => ({ customer: c.customer, name: c.name, contact: c.contact, phone: c.phone })),
    mass_balance: {
      unit: mb.unit,
      received_or_produced: qty(mb.received_or_produced),
      consumed: qty(mb.consumed),
      shipped: qty(mb.shipped),
      on_hand: qty(mb.on_hand),
      sampled: qty(mb.sampled),
      wasted: qty(mb.wasted),
      returned: qty(mb.returned),
      adjusted: qty(mb.adjusted),
      accounted: qty(mb.accounted),
      // Kept with its one decimal place ("100.0"), as the contract's example prints it.
      accounted_pct: mb.accounted_pct === null ? null : new NumberToken(mb.accounted_pct),
    },
  };
  if (t.unconverted.length > 0) {
    doc['unconverted'] = t.unconverted.map((u) => ({
      source: u.source,
      ref: u.ref,
      quantity: qty(u.quantity),
      unit: u.unit,
      date: u.date,
      reason: u.reason,
    }));
  }
  if (t.depth_limit_reached) doc['depth_limit_reached'] = true;
  doc['elapsed_ms'] = t.elapsed_ms;
  return doc;
}

/** The trace as the contract's JSON text (two-space indent, like every `--json` output). */
export function traceToJson(t: TraceResult): string {
  return stringifyExact(traceToJsonValue(t), 2);
}

/** JSON.stringify's layout, plus number tokens written verbatim. */
export function stringifyExact(v: Json, indent = 0): string {
  const pad = (level: number) => (indent > 0 ? `\n${' '.repeat(indent * level)}` : '');
  const sep = indent > 0 ? ': ' : ':';
  const go = (x: Json, level: number): string => {
    if (x instanceof NumberToken) return x.token;
    if (x === null) return 'null';
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) return 'null';
      return JSON.stringify(x);
    }
    if (typeof x === 'string' || typeof x === 'boolean') return JSON.stringify(x);
    if (Array.isArray(x)) {
      if (x.length === 0) return '[]';
      return `[${x.map((e) => pad(level + 1) + go(e, level + 1)).join(',')}${pad(level)}]`;
    }
    const keys = Object.keys(x);
    if (keys.length === 0) return '{}';
    return `{${keys.map((k) => `${pad(level + 1)}${JSON.stringify(k)}${sep}${go(x[k]!, level + 1)}`).join(',')}${pad(level)}}`;
  };
  return go(v, 0);
}

/**
 * The same document from the contract's `trace.run` view, for `lotseal trace --server` (issue 23
 * §3): the view carries the same fields with quantities as decimal strings, written back as
 * number tokens. (The view has no `unconverted` list: a remote trace omits that optional field.)
 */
export function traceViewToJson(v: TraceView): string {
  const mb = v.mass_balance;
  const line = (l: { lot: string; kind: string; item_code: string; depth: number }): Json => ({
    lot: l.lot,
    kind: l.kind,
    item_code: l.item_code,
    depth: l.depth,
  });
  const doc: { [k: string]: Json } = {
    root: {
      lot: v.root.lot,
      kind: v.root.kind,
      item_code: v.root.item_code,
      quantity: qty(v.root.quantity),
      unit: v.root.unit,
    },
    backward: v.backward.map(line),
    forward: v.forward.map(line),
    shipments: v.shipments.map((s) => ({
      shipment: s.shipment,
      lot: s.lot,
      customer: s.customer,
      quantity: qty(s.quantity),
      unit: s.unit,
      date: s.date,
    })),
    customers: v.customers.map((c) => ({ customer: c.customer, name: c.name, contact: c.contact, phone: c.phone })),
    mass_balance: {
      unit: mb.unit,
      received_or_produced: qty(mb.received_or_produced),
      consumed: qty(mb.consumed),
      shipped: qty(mb.shipped),
      on_hand: qty(mb.on_hand),
      sampled: qty(mb.sampled),
      wasted: qty(mb.wasted),
      returned: qty(mb.returned),
      adjusted: qty(mb.adjusted),
      accounted: qty(mb.accounted),
      accounted_pct: mb.accounted_pct === '' ? null : new NumberToken(mb.accounted_pct),
    },
    elapsed_ms: v.elapsed_ms,
  };
  return stringifyExact(doc, 2);
}
