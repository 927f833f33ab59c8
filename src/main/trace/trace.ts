import type { Db } from '../db/database';
import { QuantityDecimal as D, convertQuantity, isQuantityUnit, sameDimension } from '../../shared/domain/units';
import { traceQueries, type QtyRow } from './queries';

/**
 * The trace engine (issue 6 item 6; the `lotseal trace` contract in ../shared/formats/README.md
 * §2): backward and forward genealogy of one lot, the shipments of the lot and of everything
 * made from it, their customers, and the lot's mass balance. The app's lot page and trace
 * screen and the CLI call this one function, so both show the same numbers.
 *
 * Decisions the contract leaves open:
 * - Genealogy is walked with a recursive CTE over `consumption` (./queries.ts) limited to `maxDepth` levels
 *   (default 64). The limit is also what stops a cycle (the import refuses cycles, but a
 *   trace must never hang on a bad database). Each lot is kept at its SMALLEST depth. The root
 *   is never listed in its own genealogy, even on a cycle. If the limit was reached the result
 *   says so (`depth_limit_reached`): a recall must not silently miss lots.
 * - Voided records (retired = 1) of consumption, shipment and stock_movement are not part of
 *   the trace. Lot and customer attributes are looked up whatever their retired flag: a
 *   customer retired from the catalogue must still be called in a recall.
 * - Order: genealogy by depth, then lot code; customers by code; shipments by date, then
 *   shipment code, then lot code. Codes compare by UTF-8 byte order (SQLite BINARY).
 * - Quantities are decimal strings end to end (decimal.js, never a binary float). A quantity
 *   whose unit cannot be converted to the root's (another dimension, an unknown unit) or that
 *   is not a decimal is left out of the sums and listed in `unconverted`.
 * - `on_hand` is the latest `on_hand` count that can be converted: ordered by its date (a
 *   date-only value sorts before any time on that UTC day; times with offsets compare as
 *   instants), then by insertion order (rowid). 0 when there is none.
 * - `accounted_pct` = 100 × accounted / received_or_produced rounded to one decimal place,
 *   half-even on the decimal value (GB/T 8170 is not required for a logistics ratio). It is
 *   null when the lot's quantity is 0 (the ratio has no value; a script must not read a 0 %
 *   or 100 % that was never computed).
 */

export const DEFAULT_MAX_DEPTH = 64;

export interface TraceLotRef {
  lot: string;
  /** null when the lot is named by a consumption row but has no lot record. */
  kind: string | null;
  item_code: string | null;
  /** The lot's status (for the app's tree; not part of the CLI contract's document). */
  status: string | null;
  depth: number;
}

export interface TraceRoot {
  lot: string;
  kind: string;
  item_code: string;
  item_name: string;
  quantity: string;
  unit: string;
  status: string;
}

export interface TraceShipment {
  shipment: string;
  lot: string;
  customer: string;
  quantity: string;
  unit: string;
  date: string;
}

export interface TraceCustomer {
  customer: string;
  /** null when the shipment names a customer that is not in the catalogue. */
  name: string | null;
  contact: string | null;
  phone: string | null;
}

export interface MassBalance {
  unit: string;
  received_or_produced: string;
  consumed: string;
  shipped: string;
  on_hand: string;
  sampled: string;
  wasted: string;
  returned: string;
  adjusted: string;
  accounted: string;
  /** One decimal place, e.g. "100.0"; null when received_or_produced is 0. */
  accounted_pct: string | null;
}

export type UnconvertedReason = 'unit_dimension' | 'unknown_unit' | 'bad_quantity' | 'unknown_movement';

/** A record of the root left out of the mass balance, with why. */
export interface Unconverted {
  source: 'consumption' | 'shipment' | 'stock';
  /** The output lot (consumption), the shipment code (shipment) or the movement (stock). */
  ref: string;
  quantity: string;
  unit: string;
  date: string;
  reason: UnconvertedReason;
}

/** One consumption row inside the traced genealogy (for trees; quantity in its own unit). */
export interface TraceEdge {
  input: string;
  output: string;
  quantity: string;
  unit: string;
}

export interface TraceResult {
  root: TraceRoot;
  backward: TraceLotRef[];
  forward: TraceLotRef[];
  shipments: TraceShipment[];
  customers: TraceCustomer[];
  mass_balance: MassBalance;
  unconverted: Unconverted[];
  /** Set when some lot sits at the depth limit: deeper lots may exist and are not listed. */
  depth_limit_reached: boolean;
  /** Only with `edges: true`. */
  edges?: { backward: TraceEdge[]; forward: TraceEdge[] };
  elapsed_ms: number;
}

export interface TraceOptions {
  now?: () => number;
  maxDepth?: number;
  /** Also return the consumption rows inside the genealogy (tree views). */
  edges?: boolean;
}

/** A decimal string in plain notation without trailing zeros or exponent ("25000.000" → "25000"). */
export function normaliseDecimal(value: string | InstanceType<typeof D>): string {
  const d = typeof value === 'string' ? new D(value) : value;
  if (d.isZero()) return '0';
  return d.toFixed();
}

type Dec = InstanceType<typeof D>;

/** The quantity in the root's unit, or why it cannot be. */
function toRootUnit(quantity: string, unit: string, rootUnit: string): Dec | UnconvertedReason {
  let q: Dec;
  try {
    q = new D(quantity);
  } catch {
    return 'bad_quantity';
  }
  if (!q.isFinite()) return 'bad_quantity';
  if (unit === rootUnit) return q;
  if (!isQuantityUnit(unit) || !isQuantityUnit(rootUnit)) return 'unknown_unit';
  if (!sameDimension(unit, rootUnit)) return 'unit_dimension';
  return new D(convertQuantity(q.toString(), unit, rootUnit) as string);
}

/**
 * Sort key of a stock-count date: a date with a time becomes its UTC instant
 * ("2026-03-01T00:30:00.000Z"); a date-only value stays "2026-03-01", which sorts before any
 * instant of that UTC day. Unparseable text is kept as written.
 */
function dateKey(date: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const t = Date.parse(date);
  return Number.isNaN(t) ? date : new Date(t).toISOString();
}

/** Traces one lot, or returns null when no lot has this code. */
export function traceLot(db: Db, code: string, opts: TraceOptions = {}): TraceResult | null {
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;

  const q = traceQueries(db);
  const r = q.root(code);
  if (!r) return null;

  // One read transaction: the genealogy, shipments and balance are one consistent picture
  // even while an import commits (WAL readers see a snapshot).
  const result = q.read(() => {
    const backward: TraceLotRef[] = q.genealogy('backward', code, maxDepth);
    const forward: TraceLotRef[] = q.genealogy('forward', code, maxDepth);

    const shipped = [code, ...forward.map((f) => f.lot)];
    const shipments: TraceShipment[] = q.shipmentsOf(shipped).map((s) => ({
      ...s,
      quantity: safeNormalise(s.quantity),
    }));
    const customers: TraceCustomer[] = q.customersOf(shipments.map((s) => s.customer));

    const unconverted: Unconverted[] = [];
    const consumed = sumInto(
      q.consumedFrom(code),
      r.unit,
      (row, reason) =>
        unconverted.push({
          source: 'consumption',
          ref: row.output_lot,
          quantity: row.quantity,
          unit: row.unit,
          date: row.date,
          reason,
        }),
    );
    const rootShipments = shipments.filter((s) => s.lot === code);
    const shippedSum = sumInto(rootShipments, r.unit, (row, reason) =>
      unconverted.push({
        source: 'shipment',
        ref: row.shipment,
        quantity: row.quantity,
        unit: row.unit,
        date: row.date,
        reason,
      }),
    );

    const moves = q.movements(code);
    const sums: Record<'sample' | 'waste' | 'return' | 'adjustment', Dec> = {
      sample: new D(0),
      waste: new D(0),
      return: new D(0),
      adjustment: new D(0),
    };
    let onHand: { key: string; seq: number; value: Dec } | null = null;
    for (const m of moves) {
      const push = (reason: UnconvertedReason) =>
        unconverted.push({
          source: 'stock',
          ref: m.movement,
          quantity: m.quantity,
          unit: m.unit,
          date: m.date,
          reason,
        });
      const isKnown = m.movement === 'on_hand' || Object.prototype.hasOwnProperty.call(sums, m.movement);
      if (!isKnown) {
        push('unknown_movement');
        continue;
      }
      const v = toRootUnit(m.quantity, m.unit, r.unit);
      if (typeof v === 'string') {
        push(v);
        continue;
      }
      if (m.movement === 'on_hand') {
        // A count replaces the previous one: the latest by date, then by insertion order.
        const key = dateKey(m.date);
        if (!onHand || key > onHand.key || (key === onHand.key && m.seq > onHand.seq))
          onHand = { key, seq: m.seq, value: v };
      } else {
        const k = m.movement as keyof typeof sums;
        sums[k] = sums[k].plus(v);
      }
    }

    const received = new D(r.quantity);
    const onHandV = onHand?.value ?? new D(0);
    const accounted = consumed
      .plus(shippedSum)
      .plus(onHandV)
      .plus(sums.sample)
      .plus(sums.waste)
      .minus(sums.return)
      .plus(sums.adjustment);
    const pct = received.isZero()
      ? null
      : accounted.times(100).dividedBy(received).toDecimalPlaces(1, D.ROUND_HALF_EVEN);

    const out: Omit<TraceResult, 'elapsed_ms'> = {
      root: {
        lot: r.code,
        kind: r.kind,
        item_code: r.item_code,
        item_name: r.item_name,
        quantity: normaliseDecimal(received),
        unit: r.unit,
        status: r.status,
      },
      backward,
      forward,
      shipments,
      customers,
      mass_balance: {
        unit: r.unit,
        received_or_produced: normaliseDecimal(received),
        consumed: normaliseDecimal(consumed),
        shipped: normaliseDecimal(shippedSum),
        on_hand: normaliseDecimal(onHandV),
        sampled: normaliseDecimal(sums.sample),
        wasted: normaliseDecimal(sums.waste),
        returned: normaliseDecimal(sums.return),
        adjusted: normaliseDecimal(sums.adjustment),
        accounted: normaliseDecimal(accounted),
        accounted_pct: pct === null ? null : (pct.isZero() ? new D(0) : pct).toFixed(1),
      },
      unconverted,
      depth_limit_reached: [...backward, ...forward].some((l) => l.depth >= maxDepth),
    };
    if (opts.edges) {
      out.edges = {
        backward: q.edges('backward', [code, ...backward.map((b) => b.lot)]).map(normEdge),
        forward: q.edges('forward', [code, ...forward.map((f) => f.lot)]).map(normEdge),
      };
    }
    return out;
  });

  return { ...result, elapsed_ms: Math.round((now() - started) * 100) / 100 };
}

function normEdge(e: TraceEdge): TraceEdge {
  return { ...e, quantity: safeNormalise(e.quantity) };
}

/** Listed quantities are shown normalised when they are decimals, and as stored otherwise. */
function safeNormalise(q: string): string {
  try {
    return normaliseDecimal(q);
  } catch {
    return q;
  }
}

function sumInto<R extends QtyRow>(
  rows: R[],
  rootUnit: string,
  skip: (row: R, reason: UnconvertedReason) => void,
): Dec {
  let sum = new D(0);
  for (const row of rows) {
    const v = toRootUnit(row.quantity, row.unit, rootUnit);
    if (typeof v === 'string') skip(row, v);
    else sum = sum.plus(v);
  }
  return sum;
}
