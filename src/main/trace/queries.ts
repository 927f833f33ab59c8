import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database';

/**
 * Every SQL statement of the trace capability, as typed statements prepared once per opened
 * database.
 *
 * Trace is the genealogy capability: it owns no table, it is the **genealogy read model over
 * the tables of lots** (lot, receipt, batch, consumption, shipment, stock_movement), with the
 * customer catalogue for who must be called and the audit trail for when a record was made
 * (EPCIS event times). These reads are trace's own queries by design (issue 21): the recursive
 * walk over `consumption` must run as one statement inside one read transaction (a consistent
 * picture while an import commits), and the CLI runs it on a read-only database without the
 * app's services. They only read; every change to those tables goes through lots and the ledger.
 */

/** A lot in the genealogy (null attributes: named by a consumption row but with no lot record). */
export interface GenealogyRow {
  lot: string;
  depth: number;
  kind: string | null;
  item_code: string | null;
  status: string | null;
}

export interface RootRow {
  code: string;
  kind: string;
  item_code: string;
  item_name: string;
  quantity: string;
  unit: string;
  status: string;
}

export interface QtyRow {
  quantity: string;
  unit: string;
  date: string;
}

export interface TraceShipmentRow {
  shipment: string;
  lot: string;
  customer: string;
  quantity: string;
  unit: string;
  date: string;
}

export interface TraceCustomerRow {
  customer: string;
  name: string | null;
  contact: string | null;
  phone: string | null;
}

export interface EdgeRow {
  input: string;
  output: string;
  quantity: string;
  unit: string;
}

/** A lot as the EPCIS export reads it. */
export interface EpcisLotRow {
  id: string;
  code: string;
  kind: string;
  item_code: string;
  quantity: string;
  unit: string;
  lot_date: string;
  supplier_code: string | null;
  supplier_lot: string | null;
  expiry_date: string | null;
  origin: string;
  receipt_id: string | null;
  batch_id: string | null;
}

export interface EpcisReceiptRow {
  id: string;
  kind: string;
  supplier_code: string;
  supplier_lot: string | null;
  quantity: string;
  unit: string;
  received_at: number;
}

export interface EpcisBatchRow {
  id: string;
  code: string;
  line: string;
  started_at: number;
  ended_at: number | null;
  status: string;
}

export interface EpcisConsumptionRow {
  id: string;
  input_lot: string;
  output_lot: string;
  quantity: string;
  unit: string;
  date: string;
}

export interface EpcisShipmentRow {
  id: string;
  shipment_code: string;
  lot_code: string;
  customer_code: string;
  quantity: string;
  unit: string;
  date: string;
}

const genealogySql = (dir: 'backward' | 'forward'): string => {
  // backward: from an output to its inputs; forward: from an input to its outputs.
  const [from, to] = dir === 'backward' ? ['output_lot', 'input_lot'] : ['input_lot', 'output_lot'];
  return `
WITH RECURSIVE walk(lot, depth) AS (
  SELECT ${to}, 1 FROM consumption WHERE ${from} = @root AND retired = 0
  UNION
  SELECT c.${to}, w.depth + 1 FROM walk w JOIN consumption c ON c.${from} = w.lot
  WHERE c.retired = 0 AND w.depth < @max AND w.lot <> @root
)
SELECT g.lot AS lot, g.depth AS depth, l.kind AS kind, l.item_code AS item_code, l.status AS status
FROM (SELECT lot, MIN(depth) AS depth FROM walk WHERE lot <> @root GROUP BY lot) g
LEFT JOIN lot l ON l.code = g.lot
ORDER BY g.depth, g.lot`;
};

/** A typed statement prepared on first use (and kept for the life of the opened database). */
function lazy<P extends unknown[], R>(db: Db, sql: string): () => Statement<P, R> {
  let s: Statement<P, R> | undefined;
  return () => (s ??= db.prepare<P, R>(sql));
}

type Walk = [{ root: string; max: number }];
const json = (codes: readonly string[]): string => JSON.stringify(codes);

function build(db: Db) {
  // ---- the trace engine
  const root = lazy<[string], RootRow>(
    db,
    'SELECT code, kind, item_code, item_name, quantity, unit, status FROM lot WHERE code = ?',
  );
  const backward = lazy<Walk, GenealogyRow>(db, genealogySql('backward'));
  const forward = lazy<Walk, GenealogyRow>(db, genealogySql('forward'));
  const shipments = lazy<[string], TraceShipmentRow>(
    db,
    `SELECT shipment_code AS shipment, lot_code AS lot, customer_code AS customer, quantity, unit, date
FROM shipment WHERE retired = 0 AND lot_code IN (SELECT value FROM json_each(?))
ORDER BY date, shipment_code, lot_code`,
  );
  const customers = lazy<[string], TraceCustomerRow>(
    db,
    `SELECT s.code AS customer, c.name AS name, c.contact AS contact, c.phone AS phone
FROM (SELECT DISTINCT value AS code FROM json_each(?)) s LEFT JOIN customer c ON c.code = s.code
ORDER BY s.code`,
  );
  const consumedFrom = lazy<[string], QtyRow & { output_lot: string }>(
    db,
    'SELECT output_lot, quantity, unit, date FROM consumption WHERE input_lot = ? AND retired = 0 ORDER BY rowid',
  );
  const movements = lazy<[string], QtyRow & { seq: number; movement: string }>(
    db,
    'SELECT rowid AS seq, movement, quantity, unit, date FROM stock_movement WHERE lot_code = ? AND retired = 0 ORDER BY rowid',
  );
  const edgesBackward = lazy<[string], EdgeRow>(
    db,
    `SELECT input_lot AS input, output_lot AS output, quantity, unit FROM consumption
WHERE retired = 0 AND output_lot IN (SELECT value FROM json_each(?)) ORDER BY output_lot, input_lot, rowid`,
  );
  const edgesForward = lazy<[string], EdgeRow>(
    db,
    `SELECT input_lot AS input, output_lot AS output, quantity, unit FROM consumption
WHERE retired = 0 AND input_lot IN (SELECT value FROM json_each(?)) ORDER BY input_lot, output_lot, rowid`,
  );

  // ---- the EPCIS export
  const lots = lazy<[string], EpcisLotRow>(
    db,
    `SELECT code, kind, item_code, quantity, unit, lot_date, supplier_code, supplier_lot, expiry_date, origin, receipt_id, batch_id, id
FROM lot WHERE code IN (SELECT value FROM json_each(?))`,
  );
  const receipt = lazy<[string], EpcisReceiptRow>(
    db,
    'SELECT id, kind, supplier_code, supplier_lot, quantity, unit, received_at FROM receipt WHERE id = ? AND retired = 0',
  );
  const batch = lazy<[string], EpcisBatchRow>(
    db,
    'SELECT id, code, line, started_at, ended_at, status FROM batch WHERE id = ?',
  );
  const consumption = lazy<[string], EpcisConsumptionRow>(
    db,
    `SELECT id, input_lot, output_lot, quantity, unit, date FROM consumption
WHERE retired = 0 AND output_lot IN (SELECT value FROM json_each(?)) ORDER BY output_lot, rowid`,
  );
  const shipmentLines = lazy<[string], EpcisShipmentRow>(
    db,
    `SELECT id, shipment_code, lot_code, customer_code, quantity, unit, date FROM shipment
WHERE retired = 0 AND lot_code IN (SELECT value FROM json_each(?)) ORDER BY date, shipment_code, lot_code`,
  );
  const created = lazy<[string, string], { at: number; tz: string }>(
    db,
    'SELECT at, tz FROM audit_entry WHERE entity = ? AND entity_id = ? ORDER BY seq LIMIT 1',
  );
  const latestTz = lazy<[], { tz: string }>(db, 'SELECT tz FROM audit_entry ORDER BY seq DESC LIMIT 1');

  return {
    /** Runs `fn` as one read transaction (one consistent picture while an import commits). */
    read: <T>(fn: () => T): T => db.transaction(fn)(),
    root: (code: string): RootRow | undefined => root().get(code),
    /** The lots the root was made from (backward) or went into (forward), each at its smallest depth ≤ max. */
    genealogy: (dir: 'backward' | 'forward', code: string, max: number): GenealogyRow[] =>
      (dir === 'backward' ? backward : forward)().all({ root: code, max }),
    shipmentsOf: (lots: readonly string[]): TraceShipmentRow[] => shipments().all(json(lots)),
    customersOf: (codes: readonly string[]): TraceCustomerRow[] => customers().all(json(codes)),
    consumedFrom: (code: string): Array<QtyRow & { output_lot: string }> => consumedFrom().all(code),
    movements: (code: string): Array<QtyRow & { seq: number; movement: string }> => movements().all(code),
    /** The consumption rows whose output (backward) or input (forward) is one of the lots. */
    edges: (dir: 'backward' | 'forward', lots: readonly string[]): EdgeRow[] =>
      (dir === 'backward' ? edgesBackward : edgesForward)().all(json(lots)),

    lots: (codes: readonly string[]): EpcisLotRow[] => lots().all(json(codes)),
    receipt: (id: string): EpcisReceiptRow | undefined => receipt().get(id),
    batch: (id: string): EpcisBatchRow | undefined => batch().get(id),
    consumptionInto: (outputs: readonly string[]): EpcisConsumptionRow[] => consumption().all(json(outputs)),
    shipmentLines: (lots: readonly string[]): EpcisShipmentRow[] => shipmentLines().all(json(lots)),
    /** When and in which zone a record was first written (its first audit entry). */
    created: (entity: string, id: string): { at: number; tz: string } | undefined => created().get(entity, id),
    /** The zone of the latest audit entry (a fallback for records without one). */
    latestTz: (): string | undefined => latestTz().get()?.tz,
  };
}

export type TraceQueries = ReturnType<typeof build>;
const cache = new WeakMap<Db, TraceQueries>();

/** The trace queries of an opened database (built once per database). */
export function traceQueries(db: Db): TraceQueries {
  let q = cache.get(db);
  if (!q) {
    q = build(db);
    cache.set(db, q);
  }
  return q;
}
