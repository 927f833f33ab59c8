import Decimal from 'decimal.js';
import { convertQuantity, isQuantityUnit } from '../../shared/domain/units';
import type { ErrorSink } from './errors';
import { normDecimal, specs, type FileKind } from './formats';
import type { Staging } from './staging';
import type { ImportRules } from './import-service';
import { checkLiveRules, checkQaOwned } from './live-checks';
import { checkQueries, storedSpec } from './queries';

/**
 * The cross-row checks of ../shared/formats/README.md §1, over the staging tables joined with
 * the stored records (schema `m`; the statements are in queries.ts): stored identity (new,
 * identical, changed), references, unit dimensions, cycles in the genealogy and running
 * quantities here; what QA decides and live records in live-checks.ts.
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
  const q = checkQueries(ctx.staging.db);
  for (const kind of Object.keys(ctx.names) as FileKind[]) {
    const spec = storedSpec(kind, ctx.present[kind] ?? new Set());
    ctx.staging.classify(kind, {
      table: spec.table,
      match: spec.match.replaceAll('$S', `s_${kind}`),
      same: spec.same.replaceAll('$S', `s_${kind}`),
    });
    if (ctx.correctionReason) continue;
    const getStored = q.storedById(spec.table);
    for (const r of q.changedRows(kind)) {
      if (ctx.errors.full) {
        ctx.errors.total++;
        continue;
      }
      const stored = getStored(r.sid) ?? {};
      const changed = Object.entries(spec.columns)
        .filter(([csv, col]) => differs(kind, csv, r, stored, col))
        .map(([csv, col]) => `${csv}: ${String(stored[col] ?? '')} → ${String(storedValue(kind, csv, r) ?? '')}`);
      ctx.errors.add(
        ctx.names[kind]!,
        r.row,
        Object.keys(spec.columns).find((c) => differs(kind, c, r, stored, spec.columns[c]!)) ?? null,
        'changed_without_reason',
        {
          columns: changed.join('; '),
        },
      );
    }
  }
  q.indexStoredIds();
}

/** References (suppliers, customers, lots), the kind of an output lot, and unit dimensions. */
export function checkReferences(ctx: CheckContext): void {
  const q = checkQueries(ctx.staging.db);
  const e = ctx.errors;
  const n = ctx.names;
  if (n.lots) {
    for (const r of q.unknownSuppliers().iterate()) {
      e.add(n.lots, r.row, 'supplier_code', 'unknown_supplier', { code: String(r.supplier_code) });
    }
  }
  if (n.consumption) {
    for (const r of q.consumptionReferences().iterate()) {
      const row = r.row;
      if (r.ic === null) e.add(n.consumption, row, 'input_lot', 'unknown_lot', { code: String(r.input_lot) });
      if (r.oc === null) e.add(n.consumption, row, 'output_lot', 'unknown_lot', { code: String(r.output_lot) });
      else if (r.ok !== 'intermediate' && r.ok !== 'finished' && r.ok !== null) {
        e.add(n.consumption, row, 'output_lot', 'output_not_produced', {
          lot: String(r.output_lot),
          kind: String(r.ok),
        });
      }
      if (
        r.ic !== null &&
        r.iu !== null &&
        isQuantityUnit(r.iu) &&
        isQuantityUnit(r.unit) &&
        dimOf(r.iu) !== dimOf(r.unit)
      ) {
        e.add(n.consumption, row, 'unit', 'unit_dimension', {
          unit: String(r.unit),
          lot: String(r.input_lot),
          lotUnit: String(r.iu),
        });
      }
    }
  }
  for (const kind of ['shipments', 'stock'] as const) {
    const file = n[kind];
    if (!file) continue;
    const customer = kind === 'shipments';
    for (const r of q.movementReferences(kind).iterate()) {
      const row = r.row;
      if (r.lc === null) e.add(file, row, 'lot_code', 'unknown_lot', { code: String(r.lot_code) });
      else if (r.ld !== null && r.ld !== r.sd)
        e.add(file, row, 'unit', 'unit_dimension', {
          unit: String(r.unit),
          lot: String(r.lot_code),
          lotUnit: String(r.lu),
        });
      if (customer && !r.cust) e.add(file, row, 'customer_code', 'unknown_customer', { code: String(r.customer_code) });
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
  const q = checkQueries(ctx.staging.db);
  const maxId = q.maxLotNumber();
  if (maxId === 0) return;
  const deg = new Int32Array(maxId + 2);
  let edges = 0;
  const stmt = q.edges();
  for (const r of stmt.iterate()) {
    deg[r[0] + 1]!++;
    edges++;
  }
  for (let i = 1; i < deg.length; i++) deg[i]! += deg[i - 1]!;
  const start = deg; // start[v]..start[v+1] are v's successors once filled
  const fill = new Int32Array(maxId + 1);
  const succ = new Int32Array(edges);
  for (const r of stmt.iterate()) {
    succ[start[r[0]]! + fill[r[0]]!++] = r[1];
  }
  const color = new Uint8Array(maxId + 1); // 0 white, 1 on the stack, 2 done
  const stackV = new Int32Array(maxId + 1);
  const stackI = new Int32Array(maxId + 1);
  const codeOf = q.lotCodeOf();
  const closing = q.closingRow();
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
            const r = closing.get(codes[j], codes[(j + 1) % codes.length]);
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
  if (!ctx.names.consumption && !ctx.names.shipments && !ctx.names.lots) return;
  const q = checkQueries(ctx.staging.db);
  const candidates = q.quantityCandidates().all();
  if (candidates.length === 0) return;
  const storedRows = q.storedUses();
  const stagedRows = q.stagedUses();
  for (const lot of candidates) {
    if (!isQuantityUnit(lot.unit)) continue;
    const limit = new Decimal(lot.quantity);
    let used = new Decimal(0);
    for (const r of storedRows.iterate(lot.code, lot.code)) {
      const q = isQuantityUnit(r.unit) ? convertQuantity(r.quantity, r.unit, lot.unit) : null;
      if (q !== null) used = used.plus(q);
    }
    let blamed = false;
    for (const r of stagedRows.iterate(lot.code, lot.code)) {
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
