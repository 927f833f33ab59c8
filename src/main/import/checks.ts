import Decimal from 'decimal.js';
import { convertQuantity, isQuantityUnit } from '../../shared/domain/units';
import type { ErrorSink } from './errors';
import { boughtInKinds, entryStatus, historyStatus, normDecimal, specs, type FileKind } from './formats';
import type { Staging } from './staging';
import type { ImportRules } from './import-service';

/**
 * The cross-row checks of ../shared/formats/README.md §1, in SQL over the staging tables
 * joined with the stored records (schema `m`): stored identity (new, identical, changed),
 * references, unit dimensions, cycles in the genealogy and running quantities.
 * They are synchronous, so they can run again inside the apply transaction when another
 * writer committed in between (see import-files.ts).
 */
export interface CheckContext {
  staging: Staging;
  errors: ErrorSink;
  /** File name (as shown in errors) of each file given. */
  names: Partial<Record<FileKind, string>>;
  /** Optional columns present in each file's header. */
  present: Partial<Record<FileKind, Set<string>>>;
  correctionReason: string | null;
  /** What QA decides (go-live date, stored lots' use rule): see import-service.ts. */
  rules: ImportRules;
}

interface StoredSpec {
  table: string;
  match: string;
  same: string;
  /** CSV column → stored column (for naming what changed). */
  columns: Record<string, string>;
}

function storedSpec(kind: FileKind, present: Set<string>): StoredSpec {
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

/** The CSV value as it will be stored, for comparing and for naming changes. */
export function storedValue(_kind: FileKind, column: string, row: Record<string, unknown>): string | null {
  return (row[column] ?? null) as string | null;
}

function differs(
  kind: FileKind,
  csvCol: string,
  staged: Record<string, unknown>,
  stored: Record<string, unknown>,
  storedCol: string,
): boolean {
  const a = storedValue(kind, csvCol, staged);
  const b = (stored[storedCol] ?? null) as string | null;
  if (csvCol === 'quantity' && a !== null && b !== null) {
    try {
      return normDecimal(a) !== normDecimal(b);
    } catch {
      return a !== b;
    }
  }
  return a !== b;
}

/** Classifies every staged row against the stored records; changed rows need a reason. */
export function classifyAll(ctx: CheckContext): void {
  const db = ctx.staging.db;
  for (const kind of Object.keys(ctx.names) as FileKind[]) {
    const spec = storedSpec(kind, ctx.present[kind] ?? new Set());
    ctx.staging.classify(kind, {
      table: spec.table,
      match: spec.match.replaceAll('$S', `s_${kind}`),
      same: spec.same.replaceAll('$S', `s_${kind}`),
    });
    if (ctx.correctionReason) continue;
    const getStored = db.prepare(`SELECT * FROM m.${spec.table} WHERE id = ?`);
    for (const r of db.prepare(`SELECT * FROM s_${kind} WHERE st = 2 ORDER BY row`).iterate() as Iterable<
      Record<string, unknown>
    >) {
      if (ctx.errors.full) {
        ctx.errors.total++;
        continue;
      }
      const stored = getStored.get(r['sid']) as Record<string, unknown>;
      const changed = Object.entries(spec.columns)
        .filter(([csv, col]) => differs(kind, csv, r, stored, col))
        .map(([csv, col]) => `${csv}: ${String(stored[col] ?? '')} → ${String(storedValue(kind, csv, r) ?? '')}`);
      ctx.errors.add(
        ctx.names[kind]!,
        r['row'] as number,
        Object.keys(spec.columns).find((c) => differs(kind, c, r, stored, spec.columns[c]!)) ?? null,
        'changed_without_reason',
        {
          columns: changed.join('; '),
        },
      );
    }
  }
  db.exec(
    'CREATE INDEX IF NOT EXISTS s_consumption_sid ON s_consumption (sid); CREATE INDEX IF NOT EXISTS s_shipments_sid ON s_shipments (sid)',
  );
}

type Rec = Record<string, string | number | null>;

/** References (suppliers, customers, lots), the kind of an output lot, and unit dimensions. */
export function checkReferences(ctx: CheckContext): void {
  const db = ctx.staging.db;
  const e = ctx.errors;
  const n = ctx.names;
  if (n.lots) {
    for (const r of db
      .prepare(
        `SELECT row, supplier_code FROM s_lots WHERE bad = 0 AND supplier_code IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM s_suppliers x WHERE x.supplier_code = s_lots.supplier_code)
           AND NOT EXISTS (SELECT 1 FROM m.supplier y WHERE y.code = s_lots.supplier_code AND y.retired = 0) ORDER BY row`,
      )
      .iterate() as Iterable<Rec>) {
      e.add(n.lots, r['row'] as number, 'supplier_code', 'unknown_supplier', { code: String(r['supplier_code']) });
    }
  }
  if (n.consumption) {
    for (const r of db
      .prepare(
        `SELECT c.row, c.input_lot, c.output_lot, c.unit, i.code AS ic, i.unit AS iu, o.code AS oc, o.kind AS ok
         FROM s_consumption c LEFT JOIN eff_lot i ON i.code = c.input_lot LEFT JOIN eff_lot o ON o.code = c.output_lot
         WHERE i.code IS NULL OR o.code IS NULL OR (o.bad = 0 AND o.kind NOT IN ('intermediate', 'finished'))
            OR (i.dim IS NOT NULL AND i.dim != c.dim) ORDER BY c.row`,
      )
      .iterate() as Iterable<Rec>) {
      const row = r['row'] as number;
      if (r['ic'] === null) e.add(n.consumption, row, 'input_lot', 'unknown_lot', { code: String(r['input_lot']) });
      if (r['oc'] === null) e.add(n.consumption, row, 'output_lot', 'unknown_lot', { code: String(r['output_lot']) });
      else if (r['ok'] !== 'intermediate' && r['ok'] !== 'finished' && r['ok'] !== null) {
        e.add(n.consumption, row, 'output_lot', 'output_not_produced', {
          lot: String(r['output_lot']),
          kind: String(r['ok']),
        });
      }
      if (
        r['ic'] !== null &&
        r['iu'] !== null &&
        isQuantityUnit(r['iu']) &&
        isQuantityUnit(r['unit']) &&
        dimOf(r['iu']) !== dimOf(r['unit'])
      ) {
        e.add(n.consumption, row, 'unit', 'unit_dimension', {
          unit: String(r['unit']),
          lot: String(r['input_lot']),
          lotUnit: String(r['iu']),
        });
      }
    }
  }
  for (const kind of ['shipments', 'stock'] as const) {
    const file = n[kind];
    if (!file) continue;
    const customer = kind === 'shipments';
    for (const r of db
      .prepare(
        `SELECT s.row, s.lot_code, s.unit, l.code AS lc, l.unit AS lu, l.dim AS ld, s.dim AS sd
           ${customer ? ', s.customer_code, (EXISTS (SELECT 1 FROM s_customers x WHERE x.customer_code = s.customer_code) OR EXISTS (SELECT 1 FROM m.customer y WHERE y.code = s.customer_code AND y.retired = 0)) AS cust' : ', 1 AS cust'}
         FROM s_${kind} s LEFT JOIN eff_lot l ON l.code = s.lot_code
         WHERE l.code IS NULL OR (l.dim IS NOT NULL AND l.dim != s.dim) ${customer ? 'OR NOT cust' : ''} ORDER BY s.row`,
      )
      .iterate() as Iterable<Rec>) {
      const row = r['row'] as number;
      if (r['lc'] === null) e.add(file, row, 'lot_code', 'unknown_lot', { code: String(r['lot_code']) });
      else if (r['ld'] !== null && r['ld'] !== r['sd'])
        e.add(file, row, 'unit', 'unit_dimension', {
          unit: String(r['unit']),
          lot: String(r['lot_code']),
          lotUnit: String(r['lu']),
        });
      if (customer && !r['cust'])
        e.add(file, row, 'customer_code', 'unknown_customer', { code: String(r['customer_code']) });
    }
  }
}

function dimOf(u: string): string {
  return u === 'g' || u === 'kg' || u === 't' ? 'mass' : u === 'mL' || u === 'L' ? 'volume' : u;
}

/**
 * Cycles in the genealogy (stored edges included). The lots are numbered by eff_lot's rowid
 * and the edges held as typed arrays (compressed sparse rows: 8 bytes an edge, not an
 * object a row); an iterative depth-first search finds each back edge, and the lots on the
 * cycle are named on a consumption row of this import that closes it.
 */
export function checkCycles(ctx: CheckContext, maxCycles = 20): void {
  const file = ctx.names.consumption;
  if (!file) return;
  const db = ctx.staging.db;
  const maxId = (db.prepare('SELECT max(rowid) AS m FROM eff_lot').get() as { m: number | null }).m ?? 0;
  if (maxId === 0) return;
  const edgeSql = `SELECT a.rowid AS a, b.rowid AS b FROM (
      SELECT input_lot AS i, output_lot AS o FROM s_consumption
      UNION SELECT t.input_lot, t.output_lot FROM m.consumption t WHERE t.retired = 0
    ) e JOIN eff_lot a ON a.code = e.i JOIN eff_lot b ON b.code = e.o`;
  const deg = new Int32Array(maxId + 2);
  let edges = 0;
  const stmt = db.prepare(edgeSql).raw(true);
  for (const r of stmt.iterate() as Iterable<[number, number]>) {
    deg[r[0] + 1]!++;
    edges++;
  }
  for (let i = 1; i < deg.length; i++) deg[i]! += deg[i - 1]!;
  const start = deg; // start[v]..start[v+1] are v's successors once filled
  const fill = new Int32Array(maxId + 1);
  const succ = new Int32Array(edges);
  for (const r of stmt.iterate() as Iterable<[number, number]>) {
    succ[start[r[0]]! + fill[r[0]]!++] = r[1];
  }
  const color = new Uint8Array(maxId + 1); // 0 white, 1 on the stack, 2 done
  const stackV = new Int32Array(maxId + 1);
  const stackI = new Int32Array(maxId + 1);
  const codeOf = db.prepare('SELECT code FROM eff_lot WHERE rowid = ?').pluck();
  const closing = db
    .prepare('SELECT row FROM s_consumption WHERE input_lot = ? AND output_lot = ? ORDER BY row LIMIT 1')
    .pluck();
  let found = 0;
  for (let root = 1; root <= maxId && found < maxCycles; root++) {
    if (color[root] !== 0) continue;
    let sp = 0;
    stackV[0] = root;
    stackI[0] = start[root]!;
    color[root] = 1;
    while (sp >= 0) {
      const v = stackV[sp]!;
      const i = stackI[sp]!;
      if (i < start[v + 1]!) {
        stackI[sp] = i + 1;
        const w = succ[i]!;
        if (color[w] === 0) {
          color[w] = 1;
          sp++;
          stackV[sp] = w;
          stackI[sp] = start[w]!;
        } else if (color[w] === 1 && found < maxCycles) {
          found++;
          let k = sp;
          while (stackV[k] !== w) k--;
          const ids = Array.from(stackV.subarray(k, sp + 1));
          const codes = ids.map((id) => String(codeOf.get(id)));
          // The consumption rows of this import on the cycle: blame the first one.
          let row: number | null = null;
          let col = 0;
          for (let j = 0; j < codes.length; j++) {
            const r = closing.get(codes[j], codes[(j + 1) % codes.length]) as number | undefined;
            if (r !== undefined && (row === null || r < row)) {
              row = r;
              col = j;
            }
          }
          const rotated = [...codes.slice(col), ...codes.slice(0, col)];
          ctx.errors.add(file, row ?? 0, 'input_lot', 'cycle', { cycle: [...rotated, rotated[0]].join(' → ') });
        }
      } else {
        color[v] = 2;
        sp--;
      }
    }
  }
}

/**
 * Running quantities: consumption (as input) and shipments of a lot may not exceed its
 * quantity, after unit conversion, counting stored ones (those the import does not
 * replace). Float sums screen the lots; the few near or over their quantity are summed
 * exactly in decimal, the stored total first, then this import's rows by date (then
 * consumption before shipments, then file row), and the row that crosses is the error.
 */
export function checkRunningQuantities(ctx: CheckContext): void {
  const db = ctx.staging.db;
  if (!ctx.names.consumption && !ctx.names.shipments && !ctx.names.lots) return;
  const candidates = db
    .prepare(
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
    )
    .all() as Array<{ code: string; quantity: string; unit: string; staged: number; row: number | null }>;
  if (candidates.length === 0) return;
  const storedRows = db.prepare(
    `SELECT t.quantity, t.unit FROM m.consumption t WHERE t.input_lot = ? AND t.retired = 0 AND NOT EXISTS (SELECT 1 FROM s_consumption s WHERE s.sid = t.id)
     UNION ALL SELECT t.quantity, t.unit FROM m.shipment t WHERE t.lot_code = ? AND t.retired = 0 AND NOT EXISTS (SELECT 1 FROM s_shipments s WHERE s.sid = t.id)`,
  );
  const stagedRows = db.prepare(
    `SELECT 0 AS f, row, quantity, unit, sk, date FROM s_consumption WHERE input_lot = ?
     UNION ALL SELECT 1 AS f, row, quantity, unit, sk, date FROM s_shipments WHERE lot_code = ?
     ORDER BY sk, f, row`,
  );
  for (const lot of candidates) {
    if (!isQuantityUnit(lot.unit)) continue;
    const limit = new Decimal(lot.quantity);
    let used = new Decimal(0);
    for (const r of storedRows.iterate(lot.code, lot.code) as Iterable<{ quantity: string; unit: string }>) {
      const q = isQuantityUnit(r.unit) ? convertQuantity(r.quantity, r.unit, lot.unit) : null;
      if (q !== null) used = used.plus(q);
    }
    let blamed = false;
    for (const r of stagedRows.iterate(lot.code, lot.code) as Iterable<{
      f: number;
      row: number;
      quantity: string;
      unit: string;
      date: string;
    }>) {
      const q = isQuantityUnit(r.unit) ? convertQuantity(r.quantity, r.unit, lot.unit) : null;
      if (q === null) continue;
      used = used.plus(q);
      if (used.greaterThan(limit)) {
        const kind: FileKind = r.f === 0 ? 'consumption' : 'shipments';
        ctx.errors.add(ctx.names[kind]!, r.row, 'quantity', 'quantity_exceeded', {
          lot: lot.code,
          used: used.toFixed(),
          quantity: limit.toFixed(),
          lotUnit: lot.unit,
          date: r.date,
        });
        blamed = true;
        break;
      }
    }
    if (!blamed && used.greaterThan(limit) && lot.staged && ctx.names.lots && lot.row !== null) {
      // Only stored movements, but this import lowers the lot's quantity below them.
      ctx.errors.add(ctx.names.lots, lot.row, 'quantity', 'quantity_exceeded', {
        lot: lot.code,
        used: used.toFixed(),
        quantity: limit.toFixed(),
        lotUnit: lot.unit,
        date: '',
      });
    }
  }
}

/**
 * What QA decides, an import never changes (issue 19 §1; ../shared/formats/README.md §1):
 * a stored lot's `status` and a stored supplier's `approved` — with or without a correction
 * reason — and, from the go-live date on, a new supplier's approval. Each is an error naming
 * the file, row and column ("decided in LotSeal by QA").
 */
export function checkQaOwned(ctx: CheckContext): void {
  const db = ctx.staging.db;
  const e = ctx.errors;
  const n = ctx.names;
  if (n.lots && ctx.present.lots?.has('status')) {
    for (const r of db
      .prepare(
        `SELECT s.row, s.lot_code, s.status, t.status AS stored FROM s_lots s JOIN m.lot t ON t.id = s.sid
         WHERE s.bad = 0 AND s.status IS NOT NULL AND s.status IS NOT t.status ORDER BY s.row`,
      )
      .iterate() as Iterable<Rec>) {
      e.add(n.lots, r['row'] as number, 'status', 'status_decided_by_qa', {
        lot: String(r['lot_code']),
        stored: String(r['stored']),
        value: String(r['status']),
      });
    }
  }
  if (n.suppliers && ctx.present.suppliers?.has('approved')) {
    for (const r of db
      .prepare(
        `SELECT s.row, s.supplier_code, s.approved, t.approval_status AS stored FROM s_suppliers s JOIN m.supplier t ON t.id = s.sid
         WHERE s.bad = 0 AND s.approved IS NOT NULL AND ((s.approved = 'yes') <> (t.approval_status = 'approved')) ORDER BY s.row`,
      )
      .iterate() as Iterable<Rec>) {
      e.add(n.suppliers, r['row'] as number, 'approved', 'approval_decided_by_qa', {
        code: String(r['supplier_code']),
        stored: String(r['stored']),
        value: String(r['approved']),
      });
    }
    if (ctx.rules.today >= ctx.rules.goLiveDate) {
      for (const r of db
        .prepare(
          "SELECT row, supplier_code FROM s_suppliers WHERE bad = 0 AND sid IS NULL AND approved = 'yes' ORDER BY row",
        )
        .iterate() as Iterable<Rec>) {
        e.add(n.suppliers, r['row'] as number, 'approved', 'new_supplier_approval', {
          code: String(r['supplier_code']),
          goLive: ctx.rules.goLiveDate,
        });
      }
    }
  }
}

/**
 * Live records (dated on or after the go-live date) follow LotSeal's decisions: a new lot
 * enters quarantine / on hold; a receipt needs an approved supplier; a shipment needs a lot
 * released or accepted, not held, not under an open recall, its status backed by a valid
 * signed decision. Item codes must be in the catalogue (every lot row). A return may not
 * exceed what was shipped of the lot less what came back already.
 */
export function checkLiveRules(ctx: CheckContext): void {
  const db = ctx.staging.db;
  const e = ctx.errors;
  const n = ctx.names;
  const goLive = ctx.rules.goLiveDate;
  const suppliersLive = ctx.rules.today >= goLive;
  if (n.lots) {
    for (const r of db
      .prepare(
        'SELECT row, lot_code, kind, status FROM s_lots WHERE bad = 0 AND sid IS NULL AND status IS NOT NULL AND substr(date, 1, 10) >= ? ORDER BY row',
      )
      .iterate(goLive) as Iterable<Rec>) {
      const expected = entryStatus(String(r['kind']));
      if (r['status'] !== expected)
        e.add(n.lots, r['row'] as number, 'status', 'status_after_go_live', {
          lot: String(r['lot_code']),
          value: String(r['status']),
          expected,
          goLive,
        });
    }
    const kinds = boughtInKinds.map((k) => `'${k}'`).join(', ');
    for (const r of db
      .prepare(
        `SELECT l.row, l.lot_code, l.supplier_code, sup.approved AS staged_approved, sup.supplier_code AS staged, t.approval_status AS stored
         FROM s_lots l LEFT JOIN s_suppliers sup ON sup.supplier_code = l.supplier_code AND sup.bad = 0
           LEFT JOIN m.supplier t ON t.code = l.supplier_code AND t.retired = 0
         WHERE l.bad = 0 AND l.sid IS NULL AND l.kind IN (${kinds}) AND l.supplier_code IS NOT NULL AND substr(l.date, 1, 10) >= ?
         ORDER BY l.row`,
      )
      .iterate(goLive) as Iterable<Rec>) {
      let approved: boolean | null = null;
      if (r['stored'] !== null) approved = r['stored'] === 'approved';
      else if (r['staged'] !== null) approved = !suppliersLive && r['staged_approved'] !== 'no';
      if (approved === false)
        e.add(n.lots, r['row'] as number, 'supplier_code', 'supplier_not_approved', {
          lot: String(r['lot_code']),
          supplier: String(r['supplier_code']),
          status: String(r['stored'] ?? 'not_approved'),
        });
    }
    for (const r of db
      .prepare(
        `SELECT row, lot_code, kind, item_code,
           EXISTS (SELECT 1 FROM m.product p WHERE p.code = s_lots.item_code AND p.retired = 0) AS product,
           EXISTS (SELECT 1 FROM m.material x WHERE x.code = s_lots.item_code AND x.retired = 0) AS material
         FROM s_lots WHERE bad = 0 AND st IN (0, 2) ORDER BY row`,
      )
      .iterate() as Iterable<Rec>) {
      if (r['kind'] === 'finished' ? r['product'] === 1 : r['product'] === 1 || r['material'] === 1) continue;
      e.add(n.lots, r['row'] as number, 'item_code', r['material'] === 1 ? 'item_not_product' : 'unknown_item', {
        code: String(r['item_code']),
        lot: String(r['lot_code']),
        kind: String(r['kind']),
      });
    }
  }
  if (n.shipments) checkLiveShipments(ctx);
  if (n.stock) checkReturns(ctx);
}

/** Shipments dated on or after the go-live date: the lot may be shipped (see checkLiveRules). */
function checkLiveShipments(ctx: CheckContext): void {
  const db = ctx.staging.db;
  const file = ctx.names.shipments!;
  const goLive = ctx.rules.goLiveDate;
  // Lots under an open recall, through stored and imported genealogy alike.
  const recalled = new Map<string, string[]>();
  const open = db
    .prepare(
      "SELECT code, root_lot, direction FROM m.recall_drill WHERE mode = 'recall' AND status = 'open' AND retired = 0",
    )
    .all() as Array<{ code: string; root_lot: string; direction: string }>;
  for (const rc of open) {
    const lots =
      rc.direction === 'backward'
        ? [rc.root_lot]
        : (
            db
              .prepare(
                `WITH RECURSIVE edge(i, o) AS (SELECT input_lot, output_lot FROM s_consumption WHERE bad = 0
                                               UNION SELECT input_lot, output_lot FROM m.consumption WHERE retired = 0),
                   down(code, d) AS (SELECT ?, 0 UNION SELECT edge.o, down.d + 1 FROM edge JOIN down ON edge.i = down.code WHERE down.d < 64)
                 SELECT DISTINCT code FROM down`,
              )
              .all(rc.root_lot) as Array<{ code: string }>
          ).map((x) => x.code);
    for (const l of lots) recalled.set(l, [...(recalled.get(l) ?? []), rc.code]);
  }
  const stagedLot = db.prepare('SELECT kind, status, date, sid FROM s_lots WHERE lot_code = ? AND bad = 0');
  const cache = new Map<string, ReturnType<ImportRules['storedShipBlock']>>();
  for (const r of db
    .prepare(
      'SELECT row, lot_code, date FROM s_shipments WHERE bad = 0 AND st IN (0, 2) AND substr(date, 1, 10) >= ? ORDER BY row',
    )
    .iterate(goLive) as Iterable<Rec>) {
    const lot = String(r['lot_code']);
    const date = String(r['date']).slice(0, 10);
    const row = r['row'] as number;
    const recalls = recalled.get(lot);
    if (recalls) {
      ctx.errors.add(file, row, 'lot_code', 'ship_under_recall', { lot, recalls: recalls.join(', ') });
      continue;
    }
    const staged = stagedLot.get(lot) as
      | { kind: string; status: string | null; date: string; sid: string | null }
      | undefined;
    if (staged && staged.sid === null) {
      // A lot new in this import: live lots enter quarantine / on hold; history lots carry the ERP's status.
      const status =
        staged.date.slice(0, 10) >= goLive ? entryStatus(staged.kind) : (staged.status ?? historyStatus(staged.kind));
      if (status !== 'released' && status !== 'accepted')
        ctx.errors.add(file, row, 'lot_code', 'ship_not_released', { lot, status });
      continue;
    }
    const key = `${lot}|${date}`;
    if (!cache.has(key)) cache.set(key, ctx.rules.storedShipBlock(lot, date));
    const block = cache.get(key);
    if (block) ctx.errors.add(file, row, 'lot_code', block.code, block.details);
  }
}

/** Returns: cumulative, in date order, at most what was shipped of the lot (stored and imported) less what came back already. */
function checkReturns(ctx: CheckContext): void {
  const db = ctx.staging.db;
  const file = ctx.names.stock!;
  const lots = db
    .prepare(
      "SELECT DISTINCT s.lot_code, l.unit FROM s_stock s JOIN eff_lot l ON l.code = s.lot_code WHERE s.bad = 0 AND s.movement = 'return' AND s.st IN (0, 2)",
    )
    .all() as Array<{ lot_code: string; unit: string }>;
  if (lots.length === 0) return;
  const stagedShipped = db.prepare('SELECT quantity, unit FROM s_shipments WHERE lot_code = ? AND bad = 0');
  const storedShipped = ctx.names.shipments
    ? db.prepare(
        'SELECT t.quantity, t.unit FROM m.shipment t WHERE t.lot_code = ? AND t.retired = 0 AND NOT EXISTS (SELECT 1 FROM s_shipments s WHERE s.sid = t.id)',
      )
    : db.prepare('SELECT t.quantity, t.unit FROM m.shipment t WHERE t.lot_code = ? AND t.retired = 0');
  const storedReturned = db.prepare(
    "SELECT t.quantity, t.unit FROM m.stock_movement t WHERE t.lot_code = ? AND t.movement = 'return' AND t.retired = 0 AND NOT EXISTS (SELECT 1 FROM s_stock s WHERE s.sid = t.id)",
  );
  const stagedReturns = db.prepare(
    "SELECT row, quantity, unit FROM s_stock WHERE lot_code = ? AND bad = 0 AND movement = 'return' ORDER BY sk, row",
  );
  const sum = (rows: Array<{ quantity: string; unit: string }>, unit: string): Decimal => {
    let t = new Decimal(0);
    for (const x of rows) {
      const q = isQuantityUnit(x.unit) && isQuantityUnit(unit) ? convertQuantity(x.quantity, x.unit, unit) : null;
      if (q !== null) t = t.plus(q);
    }
    return t;
  };
  for (const l of lots) {
    if (!isQuantityUnit(l.unit)) continue;
    const shipped = sum(storedShipped.all(l.lot_code) as never, l.unit).plus(
      sum(stagedShipped.all(l.lot_code) as never, l.unit),
    );
    let returned = sum(storedReturned.all(l.lot_code) as never, l.unit);
    for (const r of stagedReturns.iterate(l.lot_code) as Iterable<{ row: number; quantity: string; unit: string }>) {
      const q = isQuantityUnit(r.unit) ? convertQuantity(r.quantity, r.unit, l.unit) : null;
      if (q === null) continue;
      returned = returned.plus(q);
      if (returned.greaterThan(shipped)) {
        ctx.errors.add(file, r.row, 'quantity', 'return_over_shipped', {
          lot: l.lot_code,
          returned: returned.toFixed(),
          shipped: shipped.toFixed(),
          lotUnit: l.unit,
        });
        break;
      }
    }
  }
}

/** All cross-row checks, in order. */
export function runCrossChecks(ctx: CheckContext): void {
  ctx.staging.buildEffectiveLots();
  classifyAll(ctx);
  checkReferences(ctx);
  checkQaOwned(ctx);
  checkLiveRules(ctx);
  checkCycles(ctx);
  checkRunningQuantities(ctx);
}

export { specs };
