import type { Db } from '../db/database';
import { boughtInKinds, type FileKind } from './formats';

/**
 * The SQL of the import's cross-row checks (checks.ts, live-checks.ts), as typed statements.
 * They run on the staging connection (staging.ts: the scratch file, whose own statements stay
 * there), with the record store attached read-only as schema `m`.
 *
 * The import is a cross-capability loader by nature: one file set carries suppliers and
 * customers (catalog), lots, consumption, shipments and stock movements (lots), and is checked
 * against products and materials (catalog) and open recalls (recall). A two-million-row import
 * checks references, genealogy cycles and running quantities as set-based joins of the staged
 * rows with the stored records; asking each owner row by row through its front door would
 * turn seconds into hours. So these reads of other capabilities' tables stay here, in one
 * section, read-only; every write goes through the ledger (apply.ts), and the per-lot rules
 * QA decides come from the lots capability's front door (import-service.ts).
 */

/** A staged row as the checks see it (TEXT columns as given, and the derived ones). */
export type StagedRecord = Record<string, string | number | null> & { row: number; sid: string | null };

// ================================================= reads of other capabilities' tables

/** How a staged row of a kind matches its stored record (`$S`: the staging table). */
export interface StoredSpec {
  table: string;
  match: string;
  same: string;
  /** CSV column → stored column (for naming what changed). */
  columns: Record<string, string>;
}

export function storedSpec(kind: FileKind, present: Set<string>): StoredSpec {
  const has = (c: string): boolean => present.has(c);
  switch (kind) {
    case 'suppliers':
      return {
        table: 'supplier',
        match: 't.code = $S.supplier_code',
        // `approved` is QA's: never compared as content nor corrected (checkQaOwned).
        same: 't.name IS $S.name AND t.kind IS $S.kind',
        columns: { name: 'name', kind: 'kind' },
      };
    case 'customers':
      return {
        table: 'customer',
        match: 't.code = $S.customer_code',
        same:
          't.name IS $S.name' +
          (has('contact') ? ' AND t.contact IS $S.contact' : '') +
          (has('phone') ? ' AND t.phone IS $S.phone' : ''),
        columns: {
          name: 'name',
          ...(has('contact') ? { contact: 'contact' } : {}),
          ...(has('phone') ? { phone: 'phone' } : {}),
        },
      };
    case 'lots':
      return {
        table: 'lot',
        match: 't.code = $S.lot_code',
        same:
          't.kind IS $S.kind AND t.item_code IS $S.item_code AND t.item_name IS $S.item_name AND dnorm(t.quantity) IS dnorm($S.quantity)' +
          ' AND t.unit IS $S.unit AND t.lot_date IS $S.date' +
          (has('supplier_code') ? ' AND t.supplier_code IS $S.supplier_code' : '') +
          // `status` is QA's: never compared as content nor corrected (checkQaOwned).
          (has('expiry_date') ? ' AND t.expiry_date IS $S.expiry_date' : ''),
        columns: {
          kind: 'kind',
          item_code: 'item_code',
          item_name: 'item_name',
          quantity: 'quantity',
          unit: 'unit',
          date: 'lot_date',
          ...(has('supplier_code') ? { supplier_code: 'supplier_code' } : {}),
          ...(has('expiry_date') ? { expiry_date: 'expiry_date' } : {}),
        },
      };
    case 'consumption':
      return {
        table: 'consumption',
        match: 't.input_lot = $S.input_lot AND t.output_lot = $S.output_lot AND t.date = $S.date',
        same: 'dnorm(t.quantity) IS dnorm($S.quantity) AND t.unit IS $S.unit',
        columns: { quantity: 'quantity', unit: 'unit' },
      };
    case 'shipments':
      return {
        table: 'shipment',
        match: 't.shipment_code = $S.shipment_code AND t.lot_code = $S.lot_code',
        same: 't.customer_code IS $S.customer_code AND dnorm(t.quantity) IS dnorm($S.quantity) AND t.unit IS $S.unit AND t.date IS $S.date',
        columns: { customer_code: 'customer_code', quantity: 'quantity', unit: 'unit', date: 'date' },
      };
    case 'stock':
      return {
        table: 'stock_movement',
        match: 't.lot_code = $S.lot_code AND t.movement = $S.movement AND t.date = $S.date',
        same: 'dnorm(t.quantity) IS dnorm($S.quantity) AND t.unit IS $S.unit',
        columns: { quantity: 'quantity', unit: 'unit' },
      };
  }
}

/** What the checks use of a prepared statement (a type the exported queries can name). */
export interface Prepared<P extends unknown[], R> {
  get(...params: P): R | undefined;
  all(...params: P): R[];
  iterate(...params: P): IterableIterator<R>;
}

export interface QuantityRow {
  quantity: string;
  unit: string;
}

/**
 * The checks' statements on a staging connection (prepared when asked: each check prepares
 * its own once per run, as the staged kinds and headers decide their text).
 */
export function checkQueries(db: Db) {
  const prep = <P extends unknown[], R>(sql: string): Prepared<P, R> => db.prepare<P, R>(sql);
  return {
    // ---------------------------------------------------------- classification
    /** The stored record a changed row replaces. */
    storedById: (table: string): ((id: string | null) => Record<string, unknown> | undefined) => {
      const s = prep<[string | null], Record<string, unknown>>(`SELECT * FROM m.${table} WHERE id = ?`);
      return (id) => s.get(id);
    },
    /** Staged rows that change their stored record. */
    changedRows: (kind: FileKind): IterableIterator<StagedRecord> =>
      prep<[], StagedRecord>(`SELECT * FROM s_${kind} WHERE st = 2 ORDER BY row`).iterate(),
    indexStoredIds: (): void => {
      db.exec(
        'CREATE INDEX IF NOT EXISTS s_consumption_sid ON s_consumption (sid); CREATE INDEX IF NOT EXISTS s_shipments_sid ON s_shipments (sid)',
      );
    },

    // ---------------------------------------------------------- references
    unknownSuppliers: () =>
      prep<[], { row: number; supplier_code: string }>(
        `SELECT row, supplier_code FROM s_lots WHERE bad = 0 AND supplier_code IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM s_suppliers x WHERE x.supplier_code = s_lots.supplier_code)
           AND NOT EXISTS (SELECT 1 FROM m.supplier y WHERE y.code = s_lots.supplier_code AND y.retired = 0) ORDER BY row`,
      ),
    consumptionReferences: () =>
      prep<
        [],
        {
          row: number;
          input_lot: string;
          output_lot: string;
          unit: string;
          ic: string | null;
          iu: string | null;
          oc: string | null;
          ok: string | null;
        }
      >(
        `SELECT c.row, c.input_lot, c.output_lot, c.unit, i.code AS ic, i.unit AS iu, o.code AS oc, o.kind AS ok
         FROM s_consumption c LEFT JOIN eff_lot i ON i.code = c.input_lot LEFT JOIN eff_lot o ON o.code = c.output_lot
         WHERE i.code IS NULL OR o.code IS NULL OR (o.bad = 0 AND o.kind NOT IN ('intermediate', 'finished'))
            OR (i.dim IS NOT NULL AND i.dim != c.dim) ORDER BY c.row`,
      ),
    movementReferences: (kind: 'shipments' | 'stock') => {
      const customer = kind === 'shipments';
      return prep<
        [],
        {
          row: number;
          lot_code: string;
          unit: string;
          lc: string | null;
          lu: string | null;
          ld: string | null;
          sd: string | null;
          customer_code?: string;
          cust: number;
        }
      >(
        `SELECT s.row, s.lot_code, s.unit, l.code AS lc, l.unit AS lu, l.dim AS ld, s.dim AS sd
           ${customer ? ', s.customer_code, (EXISTS (SELECT 1 FROM s_customers x WHERE x.customer_code = s.customer_code) OR EXISTS (SELECT 1 FROM m.customer y WHERE y.code = s.customer_code AND y.retired = 0)) AS cust' : ', 1 AS cust'}
         FROM s_${kind} s LEFT JOIN eff_lot l ON l.code = s.lot_code
         WHERE l.code IS NULL OR (l.dim IS NOT NULL AND l.dim != s.dim) ${customer ? 'OR NOT cust' : ''} ORDER BY s.row`,
      );
    },

    // ---------------------------------------------------------- genealogy cycles
    maxLotNumber: (): number => prep<[], { m: number | null }>('SELECT max(rowid) AS m FROM eff_lot').get()?.m ?? 0,
    /** Every edge (staged and stored) as [input lot number, output lot number]. */
    edges: (): Prepared<[], [number, number]> =>
      db
        .prepare<[], [number, number]>(
          `SELECT a.rowid AS a, b.rowid AS b FROM (
      SELECT input_lot AS i, output_lot AS o FROM s_consumption
      UNION SELECT t.input_lot, t.output_lot FROM m.consumption t WHERE t.retired = 0
    ) e JOIN eff_lot a ON a.code = e.i JOIN eff_lot b ON b.code = e.o`,
        )
        .raw(true),
    lotCodeOf: (): Prepared<[number], string> =>
      db.prepare<[number], string>('SELECT code FROM eff_lot WHERE rowid = ?').pluck(),
    closingRow: (): Prepared<[string | undefined, string | undefined], number> =>
      db
        .prepare<
          [string | undefined, string | undefined],
          number
        >('SELECT row FROM s_consumption WHERE input_lot = ? AND output_lot = ? ORDER BY row LIMIT 1')
        .pluck(),

    // ---------------------------------------------------------- running quantities
    quantityCandidates: () =>
      prep<[], { code: string; quantity: string; unit: string; staged: number; row: number | null }>(
        `WITH used AS (
         SELECT input_lot AS lot, dim, qb FROM s_consumption
         UNION ALL SELECT lot_code, dim, qb FROM s_shipments
         UNION ALL SELECT t.input_lot, u.dim, CAST(t.quantity AS REAL) * u.factor FROM m.consumption t JOIN unit_dim u ON u.unit = t.unit
           WHERE t.retired = 0 AND NOT EXISTS (SELECT 1 FROM s_consumption s WHERE s.sid = t.id)
         UNION ALL SELECT t.lot_code, u.dim, CAST(t.quantity AS REAL) * u.factor FROM m.shipment t JOIN unit_dim u ON u.unit = t.unit
           WHERE t.retired = 0 AND NOT EXISTS (SELECT 1 FROM s_shipments s WHERE s.sid = t.id)
       )
       SELECT l.code, l.quantity, l.unit, l.staged, l.row FROM used JOIN eff_lot l ON l.code = used.lot
       WHERE l.dim IS NOT NULL AND used.dim = l.dim
       GROUP BY l.code HAVING sum(used.qb) > l.qb * (1 - 1e-9) - 1e-12 ORDER BY l.code`,
      ),
    /** Stored uses of a lot (consumption, shipments) this import does not replace. */
    storedUses: () =>
      prep<[string, string], QuantityRow>(
        `SELECT t.quantity, t.unit FROM m.consumption t WHERE t.input_lot = ? AND t.retired = 0 AND NOT EXISTS (SELECT 1 FROM s_consumption s WHERE s.sid = t.id)
     UNION ALL SELECT t.quantity, t.unit FROM m.shipment t WHERE t.lot_code = ? AND t.retired = 0 AND NOT EXISTS (SELECT 1 FROM s_shipments s WHERE s.sid = t.id)`,
      ),
    stagedUses: () =>
      prep<[string, string], QuantityRow & { f: number; row: number; sk: number | null; date: string }>(
        `SELECT 0 AS f, row, quantity, unit, sk, date FROM s_consumption WHERE input_lot = ?
     UNION ALL SELECT 1 AS f, row, quantity, unit, sk, date FROM s_shipments WHERE lot_code = ?
     ORDER BY sk, f, row`,
      ),

    // ---------------------------------------------------------- what QA decides
    lotStatusChanges: () =>
      prep<[], { row: number; lot_code: string; status: string; stored: string }>(
        `SELECT s.row, s.lot_code, s.status, t.status AS stored FROM s_lots s JOIN m.lot t ON t.id = s.sid
         WHERE s.bad = 0 AND s.status IS NOT NULL AND s.status IS NOT t.status ORDER BY s.row`,
      ),
    approvalChanges: () =>
      prep<[], { row: number; supplier_code: string; approved: string; stored: string }>(
        `SELECT s.row, s.supplier_code, s.approved, t.approval_status AS stored FROM s_suppliers s JOIN m.supplier t ON t.id = s.sid
         WHERE s.bad = 0 AND s.approved IS NOT NULL AND ((s.approved = 'yes') <> (t.approval_status = 'approved')) ORDER BY s.row`,
      ),
    newApprovedSuppliers: () =>
      prep<[], { row: number; supplier_code: string }>(
        "SELECT row, supplier_code FROM s_suppliers WHERE bad = 0 AND sid IS NULL AND approved = 'yes' ORDER BY row",
      ),

    // ---------------------------------------------------------- live records
    newLiveLots: () =>
      prep<[string], { row: number; lot_code: string; kind: string; status: string }>(
        'SELECT row, lot_code, kind, status FROM s_lots WHERE bad = 0 AND sid IS NULL AND status IS NOT NULL AND substr(date, 1, 10) >= ? ORDER BY row',
      ),
    liveReceiptSuppliers: () =>
      prep<
        [string],
        {
          row: number;
          lot_code: string;
          supplier_code: string;
          staged_approved: string | null;
          staged: string | null;
          stored: string | null;
        }
      >(
        `SELECT l.row, l.lot_code, l.supplier_code, sup.approved AS staged_approved, sup.supplier_code AS staged, t.approval_status AS stored
         FROM s_lots l LEFT JOIN s_suppliers sup ON sup.supplier_code = l.supplier_code AND sup.bad = 0
           LEFT JOIN m.supplier t ON t.code = l.supplier_code AND t.retired = 0
         WHERE l.bad = 0 AND l.sid IS NULL AND l.kind IN (${boughtInKinds.map((k) => `'${k}'`).join(', ')}) AND l.supplier_code IS NOT NULL AND substr(l.date, 1, 10) >= ?
         ORDER BY l.row`,
      ),
    lotItems: () =>
      prep<[], { row: number; lot_code: string; kind: string; item_code: string; product: number; material: number }>(
        `SELECT row, lot_code, kind, item_code,
           EXISTS (SELECT 1 FROM m.product p WHERE p.code = s_lots.item_code AND p.retired = 0) AS product,
           EXISTS (SELECT 1 FROM m.material x WHERE x.code = s_lots.item_code AND x.retired = 0) AS material
         FROM s_lots WHERE bad = 0 AND st IN (0, 2) ORDER BY row`,
      ),
    openRecalls: (): Array<{ code: string; root_lot: string; direction: string }> =>
      prep<[], { code: string; root_lot: string; direction: string }>(
        "SELECT code, root_lot, direction FROM m.recall_drill WHERE mode = 'recall' AND status = 'open' AND retired = 0",
      ).all(),
    /** Lots downstream of a lot, through stored and imported genealogy alike. */
    downstream: (rootLot: string): string[] =>
      prep<[string], { code: string }>(
        `WITH RECURSIVE edge(i, o) AS (SELECT input_lot, output_lot FROM s_consumption WHERE bad = 0
                                               UNION SELECT input_lot, output_lot FROM m.consumption WHERE retired = 0),
                   down(code, d) AS (SELECT ?, 0 UNION SELECT edge.o, down.d + 1 FROM edge JOIN down ON edge.i = down.code WHERE down.d < 64)
                 SELECT DISTINCT code FROM down`,
      )
        .all(rootLot)
        .map((x) => x.code),
    stagedLot: () =>
      prep<[string], { kind: string; status: string | null; date: string; sid: string | null }>(
        'SELECT kind, status, date, sid FROM s_lots WHERE lot_code = ? AND bad = 0',
      ),
    liveShipments: () =>
      prep<[string], { row: number; lot_code: string; date: string }>(
        'SELECT row, lot_code, date FROM s_shipments WHERE bad = 0 AND st IN (0, 2) AND substr(date, 1, 10) >= ? ORDER BY row',
      ),

    // ---------------------------------------------------------- returns
    returnedLots: (): Array<{ lot_code: string; unit: string }> =>
      prep<[], { lot_code: string; unit: string }>(
        "SELECT DISTINCT s.lot_code, l.unit FROM s_stock s JOIN eff_lot l ON l.code = s.lot_code WHERE s.bad = 0 AND s.movement = 'return' AND s.st IN (0, 2)",
      ).all(),
    stagedShipped: () =>
      prep<[string], QuantityRow>('SELECT quantity, unit FROM s_shipments WHERE lot_code = ? AND bad = 0'),
    /** Stored shipments of a lot (those this import replaces left out when it carries shipments). */
    storedShipped: (shipmentsStaged: boolean) =>
      shipmentsStaged
        ? prep<[string], QuantityRow>(
            'SELECT t.quantity, t.unit FROM m.shipment t WHERE t.lot_code = ? AND t.retired = 0 AND NOT EXISTS (SELECT 1 FROM s_shipments s WHERE s.sid = t.id)',
          )
        : prep<[string], QuantityRow>(
            'SELECT t.quantity, t.unit FROM m.shipment t WHERE t.lot_code = ? AND t.retired = 0',
          ),
    storedReturned: () =>
      prep<[string], QuantityRow>(
        "SELECT t.quantity, t.unit FROM m.stock_movement t WHERE t.lot_code = ? AND t.movement = 'return' AND t.retired = 0 AND NOT EXISTS (SELECT 1 FROM s_stock s WHERE s.sid = t.id)",
      ),
    stagedReturns: () =>
      prep<[string], QuantityRow & { row: number }>(
        "SELECT row, quantity, unit FROM s_stock WHERE lot_code = ? AND bad = 0 AND movement = 'return' ORDER BY sk, row",
      ),
  };
}
export type CheckQueries = ReturnType<typeof checkQueries>;
