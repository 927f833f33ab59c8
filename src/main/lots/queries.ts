import type { LotView } from '../../shared/contract/channels/lots';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database';
import { databaseCreatedAt } from '../db/database-info';
import type { SignatureHead, SignatureReads } from '../identity';
import type { Row } from '../ledger/entities';

/**
 * Every SQL statement of the lots capability (lot, receipt, batch, consumption, shipment,
 * stock_movement), as typed statements prepared once per opened database. Rows are typed
 * here, at the edge: services read `lot.code`, never `lot['code'] as string`.
 */

export type LotKind = LotView['kind'];
export type LotStatus = LotView['status'];

/** A lot record as stored (migration 0003). */
export type LotRow = Row & {
  code: string;
  kind: LotKind;
  item_code: string;
  item_name: string;
  quantity: string;
  unit: string;
  lot_date: string;
  supplier_code: string | null;
  supplier_lot: string | null;
  expiry_date: string | null;
  location: string | null;
  status: LotStatus;
  origin: string;
  receipt_id: string | null;
  batch_id: string | null;
};

/** A production batch (投料) as stored. */
export type BatchRow = Row & {
  code: string;
  line: string;
  started_at: number;
  ended_at: number | null;
  status: 'open' | 'closed';
  note: string | null;
};

/** A shipment line as stored. */
export type ShipmentRow = Row & {
  shipment_code: string;
  lot_code: string;
  customer_code: string;
  quantity: string;
  unit: string;
  date: string;
  origin: string;
};

/** A receipt as stored (farms and compartments are JSON text). */
export type ReceiptRow = Row & { received_at: number; farms: string | null; compartments: string | null };

export interface QuantityRow {
  quantity: string;
  unit: string;
}

export interface BatchInputRow {
  id: string;
  input_lot: string;
  quantity: string;
  unit: string;
  kind: string;
  item_code: string;
  overridden: number;
}

export interface MovementRow {
  id: string;
  other: string;
  quantity: string;
  unit: string;
  date: string;
}

export interface LotShipmentRow {
  id: string;
  shipment_code: string;
  customer_code: string;
  quantity: string;
  unit: string;
  date: string;
}

export type StockMovementKind = 'on_hand' | 'sample' | 'waste' | 'return' | 'adjustment';

export interface StockRow {
  id: string;
  movement: StockMovementKind;
  quantity: string;
  unit: string;
  date: string;
  reason: string | null;
}

export interface LotFilter {
  kind?: string | undefined;
  status?: string | undefined;
  search?: string | undefined;
  offset: number;
  limit: number;
}

/** A return recorded in a recall (a `return` movement tied to it), with its shipment's code. */
export interface RecallReturnRow {
  lot_code: string;
  quantity: string;
  unit: string;
  date: string;
  customer_code: string | null;
  shipment_code: string | null;
}

export type DecisionSignatureRow = SignatureHead;

/** A record read through the ledger (`w.get(L.lot, …)`) as the lot it is: the one narrowing, at the edge. */
export function asLot(row: Row): LotRow {
  return row as LotRow;
}
/** A code generator's counter (table `code_sequence`): the last number handed out. */
export type CodeSequenceRow = Row & { value: number };
export function asCodeSequence(row: Row): CodeSequenceRow {
  return row as CodeSequenceRow;
}
export function asBatch(row: Row): BatchRow {
  return row as BatchRow;
}
export function asShipment(row: Row): ShipmentRow {
  return row as ShipmentRow;
}
export function asReceipt(row: Row): ReceiptRow {
  return row as ReceiptRow;
}

const escapeLike = (s: string): string => `%${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** A typed statement prepared on first use (and kept for the life of the opened database). */
function lazy<P extends unknown[], R>(db: Db, sql: string, pluck = false): () => Statement<P, R> {
  let s: Statement<P, R> | undefined;
  return () => (s ??= pluck ? db.prepare<P, R>(sql).pluck() : db.prepare<P, R>(sql));
}

/** The signature reads lots asks of identity (src/main/identity's SignatureReads). */
export type LotSignatures = Pick<SignatureReads, 'latestOf' | 'signedLive' | 'everSigned'>;
const DECIDING_MEANINGS = ['accepted', 'released', 'held', 'rejected'] as const;
const FIRST_DECISION_MEANINGS = ['accepted', 'released', 'held'] as const;

export function lotQueries(db: Db, signatures: LotSignatures) {
  const lotByCode = lazy<[string], LotRow>(db, 'SELECT * FROM lot WHERE code = ?');
  const lotOfBatch = lazy<[string], LotRow>(db, 'SELECT * FROM lot WHERE batch_id = ?');
  const consumedFrom = lazy<[string], QuantityRow>(
    db,
    'SELECT quantity, unit FROM consumption WHERE input_lot = ? AND retired = 0',
  );
  const shippedOf = lazy<[string], QuantityRow>(
    db,
    'SELECT quantity, unit FROM shipment WHERE lot_code = ? AND retired = 0',
  );
  const stockOf = lazy<[string], QuantityRow & { movement: string }>(
    db,
    "SELECT movement, quantity, unit FROM stock_movement WHERE lot_code = ? AND retired = 0 AND movement <> 'on_hand'",
  );
  const returnsOfShipment = lazy<[string], QuantityRow>(
    db,
    "SELECT quantity, unit FROM stock_movement WHERE movement = 'return' AND shipment_id = ? AND retired = 0",
  );
  const returnsOfLot = lazy<[string], QuantityRow>(
    db,
    "SELECT quantity, unit FROM stock_movement WHERE lot_code = ? AND movement = 'return' AND retired = 0",
  );
  const firstLiveLot = lazy<[string], { code: string; lot_date: string }>(
    db,
    'SELECT code, lot_date FROM lot WHERE retired = 0 AND substr(lot_date, 1, 10) >= ? ORDER BY lot_date LIMIT 1',
  );
  const ancestors = lazy<[string], { code: string; d: number }>(
    db,
    `WITH RECURSIVE anc(code, d) AS (
       SELECT ?, 0
       UNION SELECT c.input_lot, anc.d + 1 FROM consumption c JOIN anc ON c.output_lot = anc.code WHERE anc.d < 64 AND c.retired = 0
     )
     SELECT code, d FROM anc`,
  );
  const isAncestor = lazy<[string, string], number>(
    db,
    `WITH RECURSIVE anc(code, d) AS (SELECT ?, 0 UNION SELECT c.input_lot, anc.d + 1 FROM consumption c JOIN anc ON c.output_lot = anc.code WHERE anc.d < 64 AND c.retired = 0)
     SELECT 1 FROM anc WHERE code = ? LIMIT 1`,
    true,
  );
  // One statement per batch on purpose: whether an input was consumed under a signed override
  // reads identity's `signature` in an EXISTS (a batch list shows every batch's inputs; asking
  // identity per consumption would be one statement per input).
  const batchInputs = lazy<[string], BatchInputRow>(
    db,
    `SELECT c.id, c.input_lot, c.quantity, c.unit, l.kind, l.item_code,
            EXISTS (SELECT 1 FROM signature s WHERE s.entity = 'consumption' AND s.entity_id = c.id AND s.meaning = 'override') AS overridden
     FROM consumption c JOIN lot l ON l.code = c.input_lot WHERE c.batch_id = ? AND c.retired = 0 ORDER BY c.rowid`,
  );
  const batchesByStatus = lazy<[string], BatchRow>(
    db,
    'SELECT * FROM batch WHERE status = ? AND retired = 0 ORDER BY started_at DESC LIMIT 500',
  );
  const allBatches = lazy<[], BatchRow>(db, 'SELECT * FROM batch WHERE retired = 0 ORDER BY started_at DESC LIMIT 500');
  const consumptionsOfBatch = lazy<[string], number>(
    db,
    'SELECT count(*) AS n FROM consumption WHERE batch_id = ? AND retired = 0',
    true,
  );
  const shipmentLine = lazy<[string, string], number>(
    db,
    'SELECT 1 FROM shipment WHERE shipment_code = ? AND lot_code = ?',
    true,
  );
  const shipmentRow = lazy<[string, string], ShipmentRow>(
    db,
    'SELECT * FROM shipment WHERE shipment_code = ? AND lot_code = ? AND retired = 0',
  );
  const batchCode = lazy<[string], string>(db, 'SELECT code FROM batch WHERE id = ?', true);
  const returnsOfRecall = lazy<[string], RecallReturnRow>(
    db,
    "SELECT m.lot_code, m.quantity, m.unit, m.date, m.customer_code, s.shipment_code FROM stock_movement m LEFT JOIN shipment s ON s.id = m.shipment_id WHERE m.movement = 'return' AND m.retired = 0 AND m.drill_id = ? ORDER BY m.date, m.rowid",
  );
  const lotsDated = lazy<[string, string, string], string>(
    db,
    'SELECT code FROM lot WHERE kind = ? AND substr(lot_date,1,10) BETWEEN ? AND ? AND retired = 0 ORDER BY code',
    true,
  );
  const consumedInto = lazy<[string], MovementRow>(
    db,
    'SELECT id, output_lot AS other, quantity, unit, date FROM consumption WHERE input_lot = ? AND retired = 0',
  );
  const madeFrom = lazy<[string], MovementRow>(
    db,
    'SELECT id, input_lot AS other, quantity, unit, date FROM consumption WHERE output_lot = ? AND retired = 0',
  );
  const shipmentsOfLot = lazy<[string], LotShipmentRow>(
    db,
    'SELECT id, shipment_code, customer_code, quantity, unit, date FROM shipment WHERE lot_code = ? AND retired = 0',
  );
  const stockMovementsOfLot = lazy<[string], StockRow>(
    db,
    'SELECT id, movement, quantity, unit, date, reason FROM stock_movement WHERE lot_code = ? AND retired = 0',
  );

  // The lot's signed decisions are asked of identity (it owns `signature`), the database's
  // creation instant of the store (`database_info`).
  const createdAt = databaseCreatedAt(db);

  return {
    lotByCode: (code: string): LotRow | undefined => lotByCode().get(code),
    /** The output lot of a batch (every batch has one). */
    lotOfBatch: (batchId: string): LotRow => lotOfBatch().get(batchId)!,
    listLots(f: LotFilter): { total: number; rows: LotRow[] } {
      const where: string[] = ['retired = 0'];
      const params: unknown[] = [];
      if (f.kind) {
        where.push('kind = ?');
        params.push(f.kind);
      }
      if (f.status) {
        where.push('status = ?');
        params.push(f.status);
      }
      if (f.search) {
        where.push(
          "(code LIKE ? ESCAPE '\\' OR item_code LIKE ? ESCAPE '\\' OR item_name LIKE ? ESCAPE '\\' OR supplier_lot LIKE ? ESCAPE '\\')",
        );
        const like = escapeLike(f.search);
        params.push(like, like, like, like);
      }
      const w = `WHERE ${where.join(' AND ')}`;
      const total = db.prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM lot ${w}`).get(...params)!.n;
      const rows = db
        .prepare<unknown[], LotRow>(`SELECT * FROM lot ${w} ORDER BY lot_date DESC, code DESC LIMIT ? OFFSET ?`)
        .all(...params, f.limit, f.offset);
      return { total, rows };
    },
    consumedFrom: (lotCode: string): QuantityRow[] => consumedFrom().all(lotCode),
    shippedOf: (lotCode: string): QuantityRow[] => shippedOf().all(lotCode),
    /** Stock movements other than counts (on hand). */
    stockOf: (lotCode: string): Array<QuantityRow & { movement: string }> => stockOf().all(lotCode),
    returnsOfShipment: (shipmentId: string): QuantityRow[] => returnsOfShipment().all(shipmentId),
    returnsOfLot: (lotCode: string): QuantityRow[] => returnsOfLot().all(lotCode),
    /** The first live lot dated on or after a date (a later go-live date would make it history). */
    firstLotFrom: (date: string): { code: string; lot_date: string } | undefined => firstLiveLot().get(date),
    /** The lot and every lot it was made from (any depth ≤ 64), with the depth. */
    ancestors: (lotCode: string): Array<{ code: string; d: number }> => ancestors().all(lotCode),
    /** Whether `ancestor` is the lot or one it was made from. */
    madeFromOrSelf: (lotCode: string, ancestor: string): boolean => isAncestor().get(lotCode, ancestor) !== undefined,
    batchInputs: (batchId: string): BatchInputRow[] => batchInputs().all(batchId),
    batches: (status?: string): BatchRow[] => (status ? batchesByStatus().all(status) : allBatches().all()),
    consumptionCount: (batchId: string): number => consumptionsOfBatch().get(batchId) ?? 0,
    shipmentLineExists: (shipmentCode: string, lotCode: string): boolean =>
      shipmentLine().get(shipmentCode, lotCode) !== undefined,
    /** A live shipment line (shipment code + lot). */
    shipmentRow: (shipmentCode: string, lotCode: string): ShipmentRow | undefined =>
      shipmentRow().get(shipmentCode, lotCode),
    batchCode: (batchId: string): string | undefined => batchCode().get(batchId),
    /** The returns recorded in a recall (stock_movement.drill_id), by date. */
    returnsOfRecall: (drillId: string): RecallReturnRow[] => returnsOfRecall().all(drillId),
    /** The live lots of a kind dated in a period (codes, in order). */
    lotsDated: (kind: string, from: string, to: string): string[] => lotsDated().all(kind, from, to),
    consumedInto: (lotCode: string): MovementRow[] => consumedInto().all(lotCode),
    madeFrom: (lotCode: string): MovementRow[] => madeFrom().all(lotCode),
    shipmentsOfLot: (lotCode: string): LotShipmentRow[] => shipmentsOfLot().all(lotCode),
    stockMovementsOfLot: (lotCode: string): StockRow[] => stockMovementsOfLot().all(lotCode),

    /** The lot's latest live status decision (accepted, released, held, rejected). */
    latestDecision: (lotId: string): DecisionSignatureRow | undefined =>
      signatures.latestOf('lot', lotId, DECIDING_MEANINGS),
    /** The lot had a live positive decision or hold (its first decision was made). */
    everDecided: (lotId: string): boolean => signatures.signedLive('lot', lotId, FIRST_DECISION_MEANINGS),
    /** The lot was ever signed `held` (retired or not). */
    everHeld: (lotId: string): boolean => signatures.everSigned('lot', lotId, 'held'),
    databaseCreatedAt: (): number | null => createdAt(),
  };
}
export type LotQueries = ReturnType<typeof lotQueries>;

// =====================================================================================
// The reads lots offers other capabilities (issue 21: "no capability reads another's tables;
// it asks the owner"). Built once by the composition root (src/main/app/compose.ts) and
// passed to the capabilities that ask (intake, environment, testing), as a constructor
// dependency.
// =====================================================================================

/** A tanker's receipt, farms parsed. */
export interface ReceiptFacts {
  vehicle: string | null;
  farms: string[];
  temperature: string | null;
  received_at: number | null;
  condition: string | null;
}

/** A consumption line of a lot with the input lot's fields (null: the input lot is unknown). */
export interface InputLineRow {
  input_lot: string;
  quantity: string;
  unit: string;
  date: string | null;
  kind: string | null;
  item_code: string | null;
  status: string | null;
  supplier_code: string | null;
}

/** A finished lot on hold, as the release queue lists it. */
export interface HeldLotRow {
  id: string;
  code: string;
  item_code: string;
  item_name: string;
  lot_date: string;
  status: string;
}

export function lotReads(db: Db) {
  const live = lazy<[string], LotRow>(db, 'SELECT * FROM lot WHERE code = ? AND retired = 0');
  const any = lazy<[string], LotRow>(db, 'SELECT * FROM lot WHERE code = ?');
  const lotId = lazy<[string], { id: string }>(db, 'SELECT id FROM lot WHERE code = ?');
  const lotKind = lazy<[string], { kind: string }>(db, 'SELECT kind FROM lot WHERE code = ? AND retired = 0');
  const lotSupplier = lazy<[string], { supplier_code: string | null }>(db, 'SELECT supplier_code FROM lot WHERE code = ?');
  const lotBatch = lazy<[string], { item_name: string | null; batch_code: string | null; line: string | null }>(
    db,
    'SELECT l.item_name, l.batch_id, b.code AS batch_code, b.line FROM lot l LEFT JOIN batch b ON b.id = l.batch_id WHERE l.code = ?',
  );
  const lotLine = lazy<[string], { lot_date: string; line: string | null }>(
    db,
    'SELECT l.lot_date, b.line FROM lot l LEFT JOIN batch b ON b.id = l.batch_id WHERE l.code = ?',
  );
  const receipt = lazy<
    [string],
    { vehicle: string | null; farms: string | null; temperature: string | null; received_at: number | null; condition: string | null }
  >(db, 'SELECT * FROM receipt WHERE id = ?');
  const shipped = lazy<[string], 1>(db, 'SELECT 1 FROM shipment WHERE lot_code = ? AND retired = 0 LIMIT 1');
  const previousLots = lazy<[string, string, string, string, string, number], { code: string }>(
    db,
    `SELECT code FROM lot WHERE item_code = ? AND retired = 0 AND code <> ? AND (substr(lot_date,1,10) < ? OR (substr(lot_date,1,10) = ? AND code < ?))
     ORDER BY substr(lot_date,1,10) DESC, code DESC LIMIT ?`,
  );
  const finishedProductOf = lazy<[string], { item_code: string }>(
    db,
    "SELECT item_code FROM lot WHERE code = ? AND kind = 'finished'",
  );
  const lotInfo = lazy<[string], { item_code: string; lot_date: string; kind: string }>(
    db,
    'SELECT item_code, lot_date, kind FROM lot WHERE code = ?',
  );
  const batchById = lazy<[string], { code: string; status: string }>(db, 'SELECT code, status FROM batch WHERE id = ?');
  const inputsOf = lazy<[string], { code: string; status: string | null; kind: string | null }>(
    db,
    'SELECT DISTINCT c.input_lot AS code, l.status, l.kind FROM consumption c LEFT JOIN lot l ON l.code = c.input_lot WHERE c.output_lot = ? AND c.retired = 0 ORDER BY c.input_lot',
  );
  const inputLines = lazy<[string], InputLineRow>(
    db,
    'SELECT c.input_lot, c.quantity, c.unit, c.date, l.kind, l.item_code, l.status, l.supplier_code FROM consumption c LEFT JOIN lot l ON l.code = c.input_lot WHERE c.output_lot = ? AND c.retired = 0 ORDER BY c.input_lot',
  );
  const onHoldFinished = lazy<[number], HeldLotRow>(
    db,
    "SELECT id, code, item_code, item_name, lot_date, status FROM lot WHERE kind = 'finished' AND status = 'on_hold' AND retired = 0 ORDER BY lot_date, code LIMIT ?",
  );
  const scope = (
    [
      ['consumption', 'SELECT id FROM consumption WHERE output_lot = ? OR input_lot = ?', 2],
      ['shipment', 'SELECT id FROM shipment WHERE lot_code = ?', 1],
      ['stock_movement', 'SELECT id FROM stock_movement WHERE lot_code = ?', 1],
    ] as const
  ).map(([entity, sql, n]) => ({ entity, stmt: lazy<string[], { id: string }>(db, sql), n }));
  return {
    /** A batch's code and status. */
    batch: (id: string) => batchById().get(id),
    /** The lots a lot was made from (distinct), with their status and kind. */
    inputsOf: (lotCode: string) => inputsOf().all(lotCode),
    /** The consumption lines a lot was made from, with each input lot's fields. */
    inputLines: (lotCode: string): InputLineRow[] => inputLines().all(lotCode),
    /** Finished lots on hold (the release queue), oldest first. */
    onHoldFinished: (limit: number): HeldLotRow[] => onHoldFinished().all(limit),
    /** The lots' records behind a lot (its consumption either way, shipments, stock movements), by entity. */
    recordsOfLot: (lotCode: string): Array<{ entity: string; ids: string[] }> =>
      scope.map(({ entity, stmt, n }) => ({
        entity,
        ids: stmt()
          .all(...(n === 2 ? [lotCode, lotCode] : [lotCode]))
          .map((r) => r.id),
      })),
    /** The product of a finished lot (null: no such finished lot). */
    finishedProductOf: (code: string): string | null => finishedProductOf().get(code)?.item_code ?? null,
    /** A lot's item, date and kind (retired or not). */
    lotInfo: (code: string) => lotInfo().get(code),
    /** The lot of that code, not retired. */
    liveLot: (code: string): LotRow | undefined => live().get(code),
    /** The lot of that code, retired or not (its ledger record). */
    lot: (code: string): LotRow | undefined => any().get(code),
    lotId: (code: string): string | undefined => lotId().get(code)?.id,
    /** The kind of the lot of that code, not retired. */
    lotKind: (code: string): string | undefined => lotKind().get(code)?.kind,
    lotSupplier: (code: string): string | null => lotSupplier().get(code)?.supplier_code ?? null,
    /** A lot's item name and its batch (code, line). */
    lotBatch: (code: string) => lotBatch().get(code),
    /** A lot's date and the line of its batch. */
    lotLine: (code: string) => lotLine().get(code),
    /** A tanker's receipt, farms parsed. */
    receipt: (id: string): ReceiptFacts | undefined => {
      const r = receipt().get(id);
      return r && { ...r, farms: r.farms ? (JSON.parse(r.farms) as string[]) : [] };
    },
    /** Whether anything of the lot was shipped. */
    shipped: (code: string): boolean => !!shipped().get(code),
    /** Lots produced on a line (by their batch) from a date to a date (local dates, inclusive). */
    lotsOnLine: (line: string, fromDate: string | null, toDate: string): string[] =>
      db
        .prepare<unknown[], { code: string }>(
          `SELECT l.code FROM lot l JOIN batch b ON b.id = l.batch_id
         WHERE b.line = ? AND l.retired = 0 AND substr(l.lot_date,1,10) <= ? ${fromDate ? 'AND substr(l.lot_date,1,10) >= ?' : ''}
         ORDER BY l.lot_date, l.code`,
        )
        .all(line, toDate, ...(fromDate ? [fromDate] : []))
        .map((r) => r.code),
    /** Up to `n` lots of the same item before this one (lot date, then code), newest first. */
    previousLots: (itemCode: string, lotCode: string, date: string, n: number): string[] =>
      previousLots()
        .all(itemCode, lotCode, date, date, lotCode, n)
        .map((r) => r.code),
  };
}
export type LotReads = ReturnType<typeof lotReads>;
