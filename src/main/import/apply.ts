import { randomBytes } from 'node:crypto';
import { C } from '../catalog';
import type { EntityDef, Value } from '../ledger/entities';
import type { LedgerWriter } from '../ledger/ledger';
import { L } from '../lots';
import { newLotStatus, type FileKind } from './formats';
import type { ImportRules } from './import-service';
import type { Staging } from './staging';

/**
 * Record ids of an import are time-ordered UUIDs (RFC 9562 version 7 layout: 48-bit
 * milliseconds, then a random run prefix and a counter). Two million random UUIDs would land
 * all over the primary-key and audit-entity indexes; ordered ones append to them.
 */
export function idGenerator(now: number): () => string {
  const ts = now.toString(16).padStart(12, '0').slice(-12);
  const run = randomBytes(4).toString('hex');
  let n = 0;
  return () => {
    const c = (n++).toString(16).padStart(11, '0');
    const hex = `${ts}7${run.slice(0, 3)}8${run.slice(3, 7)}${c}`;
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  };
}

type R = Record<string, string | number | null>;
const s = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

interface Mapping {
  def: EntityDef;
  create(r: R, rules: ImportRules): Record<string, Value>;
  /**
   * The columns a correction changes (those the file carries). Never what QA decides: a lot's
   * status, a supplier's approval (issue 19 §1; a row that would change them is an error).
   */
  patch(r: R, present: Set<string>): Record<string, Value>;
}

export const mappings: Record<FileKind, Mapping> = {
  suppliers: {
    def: C.supplier,
    // A new supplier takes the ERP's approval only before the go-live date (history); from it
    // on it enters not approved and QA approves it in LotSeal.
    create: (r, rules) => ({
      code: s(r['supplier_code']),
      name: s(r['name']),
      kind: s(r['kind']),
      approval_status: rules.today < rules.goLiveDate && r['approved'] !== 'no' ? 'approved' : 'not_approved',
      approved_on: null,
      last_audit_on: null,
      next_audit_due: null,
      contact: null,
      phone: null,
    }),
    patch: (r) => ({ name: s(r['name']), kind: s(r['kind']) }),
  },
  customers: {
    def: C.customer,
    create: (r) => ({
      code: s(r['customer_code']),
      name: s(r['name']),
      contact: s(r['contact']),
      phone: s(r['phone']),
      address: null,
    }),
    patch: (r, p) => ({
      name: s(r['name']),
      ...(p.has('contact') ? { contact: s(r['contact']) } : {}),
      ...(p.has('phone') ? { phone: s(r['phone']) } : {}),
    }),
  },
  lots: {
    def: L.lot,
    create: (r, rules) => ({
      code: s(r['lot_code']),
      kind: s(r['kind']),
      item_code: s(r['item_code']),
      item_name: s(r['item_name']),
      quantity: s(r['quantity']),
      unit: s(r['unit']),
      lot_date: s(r['date']),
      supplier_code: s(r['supplier_code']),
      supplier_lot: null,
      expiry_date: s(r['expiry_date']),
      location: null,
      status: newLotStatus(String(r['kind']), String(r['date']), s(r['status']), rules.goLiveDate),
      origin: 'import',
      receipt_id: null,
      batch_id: null,
    }),
    patch: (r, p) => ({
      kind: s(r['kind']),
      item_code: s(r['item_code']),
      item_name: s(r['item_name']),
      quantity: s(r['quantity']),
      unit: s(r['unit']),
      lot_date: s(r['date']),
      ...(p.has('supplier_code') ? { supplier_code: s(r['supplier_code']) } : {}),
      ...(p.has('expiry_date') ? { expiry_date: s(r['expiry_date']) } : {}),
    }),
  },
  consumption: {
    def: L.consumption,
    create: (r) => ({
      input_lot: s(r['input_lot']),
      output_lot: s(r['output_lot']),
      quantity: s(r['quantity']),
      unit: s(r['unit']),
      date: s(r['date']),
      batch_id: null,
      origin: 'import',
    }),
    patch: (r) => ({ quantity: s(r['quantity']), unit: s(r['unit']) }),
  },
  shipments: {
    def: L.shipment,
    create: (r) => ({
      shipment_code: s(r['shipment_code']),
      lot_code: s(r['lot_code']),
      customer_code: s(r['customer_code']),
      quantity: s(r['quantity']),
      unit: s(r['unit']),
      date: s(r['date']),
      origin: 'import',
    }),
    patch: (r) => ({
      customer_code: s(r['customer_code']),
      quantity: s(r['quantity']),
      unit: s(r['unit']),
      date: s(r['date']),
    }),
  },
  stock: {
    def: L.stockMovement,
    create: (r) => ({
      lot_code: s(r['lot_code']),
      movement: s(r['movement']),
      quantity: s(r['quantity']),
      unit: s(r['unit']),
      date: s(r['date']),
      location: null,
      reason: null,
      origin: 'import',
    }),
    patch: (r) => ({ quantity: s(r['quantity']), unit: s(r['unit']) }),
  },
};

/** Files in dependency order: what a row refers to is written before it. */
export const applyOrder: FileKind[] = ['suppliers', 'customers', 'lots', 'consumption', 'shipments', 'stock'];

export interface ApplyCounts {
  inserted: Partial<Record<FileKind, number>>;
  corrected: Partial<Record<FileKind, number>>;
}

/**
 * Writes the staged rows that are new (st 0) or corrections (st 2) inside the caller's
 * ledger transaction; identical rows (st 1) are left alone (re-import is a no-op).
 */
export function applyStaged(
  w: LedgerWriter,
  staging: Staging,
  kinds: FileKind[],
  present: Partial<Record<FileKind, Set<string>>>,
  reason: string | null,
  progress: (done: number) => void,
  rules: ImportRules,
): ApplyCounts {
  const nextId = idGenerator(w.at);
  const inserted: ApplyCounts['inserted'] = {};
  const corrected: ApplyCounts['corrected'] = {};
  let done = 0;
  for (const kind of applyOrder) {
    if (!kinds.includes(kind)) continue;
    const m = mappings[kind];
    let ins = 0;
    let cor = 0;
    for (const r of staging.toApply(kind)) {
      if (r.st === 0) {
        w.create(m.def, m.create(r, rules), { id: nextId() });
        ins++;
      } else {
        if (!reason) throw new Error('import: a changed row reached apply without a correction reason');
        w.update(m.def, String(r.sid), m.patch(r, present[kind] ?? new Set()), { reason });
        cor++;
      }
      if (++done % 10_000 === 0) progress(done);
    }
    inserted[kind] = ins;
    corrected[kind] = cor;
  }
  progress(done);
  return { inserted, corrected };
}
