import Decimal from 'decimal.js';
import { convertQuantity, isQuantityUnit } from '../../shared/domain/units';
import type { CheckContext } from './checks';
import { entryStatus, historyStatus } from './formats';
import type { ImportRules } from './import-service';
import { checkQueries, type QuantityRow } from './queries';

/**
 * The cross-row checks of what QA decides and of live records (../shared/formats/README.md
 * §1, issue 19 §1): run by runCrossChecks (checks.ts) after classification and references.
 */

/**
 * What QA decides, an import never changes (issue 19 §1; ../shared/formats/README.md §1):
 * a stored lot's `status` and a stored supplier's `approved` — with or without a correction
 * reason — and, from the go-live date on, a new supplier's approval. Each is an error naming
 * the file, row and column ("decided in LotSeal by QA").
 */
export function checkQaOwned(ctx: CheckContext): void {
  const q = checkQueries(ctx.staging.db);
  const e = ctx.errors;
  const n = ctx.names;
  if (n.lots && ctx.present.lots?.has('status')) {
    for (const r of q.lotStatusChanges().iterate()) {
      e.add(n.lots, r.row, 'status', 'status_decided_by_qa', {
        lot: String(r.lot_code),
        stored: String(r.stored),
        value: String(r.status),
      });
    }
  }
  if (n.suppliers && ctx.present.suppliers?.has('approved')) {
    for (const r of q.approvalChanges().iterate()) {
      e.add(n.suppliers, r.row, 'approved', 'approval_decided_by_qa', {
        code: String(r.supplier_code),
        stored: String(r.stored),
        value: String(r.approved),
      });
    }
    if (ctx.rules.today >= ctx.rules.goLiveDate) {
      for (const r of q.newApprovedSuppliers().iterate()) {
        e.add(n.suppliers, r.row, 'approved', 'new_supplier_approval', {
          code: String(r.supplier_code),
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
  const q = checkQueries(ctx.staging.db);
  const e = ctx.errors;
  const n = ctx.names;
  const goLive = ctx.rules.goLiveDate;
  const suppliersLive = ctx.rules.today >= goLive;
  if (n.lots) {
    for (const r of q.newLiveLots().iterate(goLive)) {
      const expected = entryStatus(String(r.kind));
      if (r.status !== expected)
        e.add(n.lots, r.row, 'status', 'status_after_go_live', {
          lot: String(r.lot_code),
          value: String(r.status),
          expected,
          goLive,
        });
    }
    for (const r of q.liveReceiptSuppliers().iterate(goLive)) {
      let approved: boolean | null = null;
      if (r.stored !== null) approved = r.stored === 'approved';
      else if (r.staged !== null) approved = !suppliersLive && r.staged_approved !== 'no';
      if (approved === false)
        e.add(n.lots, r.row, 'supplier_code', 'supplier_not_approved', {
          lot: String(r.lot_code),
          supplier: String(r.supplier_code),
          status: String(r.stored ?? 'not_approved'),
        });
    }
    for (const r of q.lotItems().iterate()) {
      if (r.kind === 'finished' ? r.product === 1 : r.product === 1 || r.material === 1) continue;
      e.add(n.lots, r.row, 'item_code', r.material === 1 ? 'item_not_product' : 'unknown_item', {
        code: String(r.item_code),
        lot: String(r.lot_code),
        kind: String(r.kind),
      });
    }
  }
  if (n.shipments) checkLiveShipments(ctx);
  if (n.stock) checkReturns(ctx);
}

/** Shipments dated on or after the go-live date: the lot may be shipped (see checkLiveRules). */
function checkLiveShipments(ctx: CheckContext): void {
  const q = checkQueries(ctx.staging.db);
  const file = ctx.names.shipments!;
  const goLive = ctx.rules.goLiveDate;
  // Lots under an open recall, through stored and imported genealogy alike.
  const recalled = new Map<string, string[]>();
  for (const rc of q.openRecalls()) {
    const lots = rc.direction === 'backward' ? [rc.root_lot] : q.downstream(rc.root_lot);
    for (const l of lots) recalled.set(l, [...(recalled.get(l) ?? []), rc.code]);
  }
  const stagedLot = q.stagedLot();
  const cache = new Map<string, ReturnType<ImportRules['storedShipBlock']>>();
  for (const r of q.liveShipments().iterate(goLive)) {
    const lot = String(r.lot_code);
    const date = String(r.date).slice(0, 10);
    const row = r.row;
    const recalls = recalled.get(lot);
    if (recalls) {
      ctx.errors.add(file, row, 'lot_code', 'ship_under_recall', { lot, recalls: recalls.join(', ') });
      continue;
    }
    const staged = stagedLot.get(lot);
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
  const q = checkQueries(ctx.staging.db);
  const file = ctx.names.stock!;
  const lots = q.returnedLots();
  if (lots.length === 0) return;
  const stagedShipped = q.stagedShipped();
  const storedShipped = q.storedShipped(!!ctx.names.shipments);
  const storedReturned = q.storedReturned();
  const stagedReturns = q.stagedReturns();
  const sum = (rows: QuantityRow[], unit: string): Decimal => {
    let t = new Decimal(0);
    for (const x of rows) {
      const q = isQuantityUnit(x.unit) && isQuantityUnit(unit) ? convertQuantity(x.quantity, x.unit, unit) : null;
      if (q !== null) t = t.plus(q);
    }
    return t;
  };
  for (const l of lots) {
    if (!isQuantityUnit(l.unit)) continue;
    const shipped = sum(storedShipped.all(l.lot_code), l.unit).plus(sum(stagedShipped.all(l.lot_code), l.unit));
    let returned = sum(storedReturned.all(l.lot_code), l.unit);
    for (const r of stagedReturns.iterate(l.lot_code)) {
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
