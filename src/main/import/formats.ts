import Decimal from 'decimal.js';
import { isQuantityString, isQuantityUnit, type QuantityUnit } from '../../shared/domain/units';

/**
 * The six ERP interchange files of ../shared/formats/README.md §1 (a published contract:
 * change only by adding optional columns). Each file has its columns, its key (docs/import.md
 * "Keys") and a row validator that turns the CSV strings into a staged row, or errors.
 */
export const fileKinds = ['suppliers', 'customers', 'lots', 'consumption', 'shipments', 'stock'] as const;
export type FileKind = (typeof fileKinds)[number];

export type ImportFiles = Partial<Record<FileKind, string>>;

/** One error row of the contract: `{ file, row, column, message }` plus the stable `code`. */
export interface ImportError {
  file: string;
  /** Data rows count from 1; 0 is the file itself or its header. */
  row: number;
  column: string | null;
  message: string;
  /** Optional extension: a stable code the app translates (src/shared/i18n/import-messages.ts). */
  code: string;
  /** Optional extension: the values interpolated into the message. */
  details?: Record<string, string | number>;
}

export const lotKinds = ['raw_milk', 'ingredient', 'packaging', 'intermediate', 'finished'] as const;
export const boughtInKinds: readonly string[] = ['raw_milk', 'ingredient', 'packaging'];
export const producedKinds: readonly string[] = ['intermediate', 'finished'];
export const lotStatuses = ['quarantine', 'accepted', 'on_hold', 'released', 'rejected'] as const;
export const supplierKinds = ['farm', 'ingredient', 'packaging', 'other'] as const;
export const stockMovements = ['on_hand', 'sample', 'waste', 'return', 'adjustment'] as const;

export interface FileSpec {
  kind: FileKind;
  required: readonly string[];
  optional: readonly string[];
  /** Columns of the key, in order. */
  key: readonly string[];
  /** Columns compared with a stored record (when present in the file's header). */
  content: readonly string[];
}

export const specs: Record<FileKind, FileSpec> = {
  suppliers: {
    kind: 'suppliers',
    required: ['supplier_code', 'name', 'kind'],
    optional: ['approved'],
    key: ['supplier_code'],
    content: ['name', 'kind', 'approved'],
  },
  customers: {
    kind: 'customers',
    required: ['customer_code', 'name'],
    optional: ['contact', 'phone'],
    key: ['customer_code'],
    content: ['name', 'contact', 'phone'],
  },
  lots: {
    kind: 'lots',
    required: ['lot_code', 'kind', 'item_code', 'item_name', 'quantity', 'unit', 'date'],
    optional: ['status', 'supplier_code', 'expiry_date'],
    key: ['lot_code'],
    content: ['kind', 'item_code', 'item_name', 'quantity', 'unit', 'date', 'supplier_code', 'expiry_date', 'status'],
  },
  consumption: {
    kind: 'consumption',
    required: ['input_lot', 'output_lot', 'quantity', 'unit', 'date'],
    optional: [],
    key: ['input_lot', 'output_lot', 'date'],
    content: ['quantity', 'unit'],
  },
  shipments: {
    kind: 'shipments',
    required: ['shipment_code', 'lot_code', 'customer_code', 'quantity', 'unit', 'date'],
    optional: [],
    key: ['shipment_code', 'lot_code'],
    content: ['customer_code', 'quantity', 'unit', 'date'],
  },
  stock: {
    kind: 'stock',
    required: ['lot_code', 'movement', 'quantity', 'unit', 'date'],
    optional: [],
    key: ['lot_code', 'movement', 'date'],
    content: ['quantity', 'unit'],
  },
};

/** A problem with one value: its column, code and interpolation values. */
export interface FieldProblem {
  column: string | null;
  code: string;
  details?: Record<string, string | number>;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * ISO 8601 as the contract writes it: a calendar date, or a date-time with seconds optional
 * and an offset (Z or ±hh:mm). A local time without an offset is refused: the same
 * wall-clock time names different instants on different workstations.
 * Returns the instant in ms (a date alone: its midnight UTC) for ordering, or null.
 */
export function parseIsoDate(s: string): number | null {
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return null;
  const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > dim) return null;
  if (m[4] === undefined) return Date.UTC(y, mo - 1, d);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const sec = m[6] === undefined ? 0 : Number(m[6]);
  if (h > 23 || mi > 59 || sec > 59) return null;
  const ms = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  let off = 0;
  const z = m[8]!;
  if (z !== 'Z') {
    const oh = Number(z.slice(1, 3));
    const om = Number(z.slice(4, 6));
    if (oh > 14 || om > 59) return null;
    off = (z[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return Date.UTC(y, mo - 1, d, h, mi, sec) + Math.floor(ms) - off;
}

/** Factor of a unit to its dimension's base (kg, L, or the count unit itself), as a float for screening sums. */
export const unitInfo: Record<QuantityUnit, { dim: string; factor: number }> = {
  g: { dim: 'mass', factor: 0.001 },
  kg: { dim: 'mass', factor: 1 },
  t: { dim: 'mass', factor: 1000 },
  mL: { dim: 'volume', factor: 0.001 },
  L: { dim: 'volume', factor: 1 },
  can: { dim: 'can', factor: 1 },
  bag: { dim: 'bag', factor: 1 },
  pcs: { dim: 'pcs', factor: 1 },
};

const MAX_TEXT = 200;

/** Values of one CSV row by column name ('' for an empty field; undefined when the column is absent). */
export type RawRow = Record<string, string | undefined>;

/** The staged form of a valid row: raw values plus derived columns (dim, qb, sk). */
export interface Staged {
  values: Record<string, string | null>;
  dim: string | null;
  /** Quantity in the dimension's base unit, as a float: only for screening, never stored. */
  qb: number | null;
  /** The date as an instant (ms) for ordering. */
  sk: number | null;
}

export function normDecimal(s: string): string {
  return new Decimal(s).toFixed();
}

/** Validates one data row of `kind`; problems are listed per column. */
export function validateRow(kind: FileKind, raw: RawRow): { staged: Staged; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const values: Record<string, string | null> = {};
  const spec = specs[kind];
  for (const c of [...spec.required, ...spec.optional]) {
    const v = raw[c];
    values[c] = v === undefined || v === '' ? null : v;
    if (v !== undefined && v.length > MAX_TEXT)
      problems.push({ column: c, code: 'too_long', details: { max: MAX_TEXT } });
  }
  for (const c of spec.required) {
    if (values[c] === null) problems.push({ column: c, code: 'required' });
  }
  const oneOf = (c: string, allowed: readonly string[]): void => {
    const v = values[c];
    if (v !== null && v !== undefined && !allowed.includes(v))
      problems.push({ column: c, code: 'not_allowed', details: { value: v, allowed: allowed.join(', ') } });
  };
  const date = (c: string): number | null => {
    const v = values[c];
    if (v === null || v === undefined) return null;
    const t = parseIsoDate(v);
    if (t === null) problems.push({ column: c, code: 'bad_date', details: { value: v } });
    return t;
  };
  let dim: string | null = null;
  let qb: number | null = null;
  let sk: number | null = null;
  const quantity = (signed: boolean): void => {
    const q = values['quantity'];
    const u = values['unit'];
    let okQ = false;
    if (q !== null && q !== undefined) {
      if (!signed && /^-\d+(\.\d+)?$/.test(q))
        problems.push({ column: 'quantity', code: 'negative_quantity', details: { value: q } });
      else if (!isQuantityString(q, signed) || q.replace(/^-/, '').length > 40)
        problems.push({ column: 'quantity', code: 'bad_quantity', details: { value: q } });
      else okQ = true;
    }
    if (u !== null && u !== undefined) {
      if (!isQuantityUnit(u))
        problems.push({
          column: 'unit',
          code: 'bad_unit',
          details: { value: u, allowed: 'kg, g, t, L, mL, can, bag, pcs' },
        });
      else {
        dim = unitInfo[u].dim;
        if (okQ) qb = Number(q) * unitInfo[u].factor;
      }
    }
  };
  switch (kind) {
    case 'suppliers':
      oneOf('kind', supplierKinds);
      oneOf('approved', ['yes', 'no']);
      break;
    case 'customers':
      break;
    case 'lots': {
      oneOf('kind', lotKinds);
      oneOf('status', lotStatuses);
      quantity(false);
      sk = date('date');
      date('expiry_date');
      const k = values['kind'];
      if (k && boughtInKinds.includes(k) && values['supplier_code'] === null) {
        problems.push({ column: 'supplier_code', code: 'supplier_required', details: { kind: k } });
      }
      break;
    }
    case 'consumption':
      quantity(false);
      sk = date('date');
      if (values['input_lot'] !== null && values['input_lot'] === values['output_lot']) {
        problems.push({ column: 'output_lot', code: 'self_input', details: { lot: values['input_lot']! } });
      }
      break;
    case 'shipments':
      quantity(false);
      sk = date('date');
      break;
    case 'stock':
      oneOf('movement', stockMovements);
      // Only an adjustment may be negative (the contract's "signed quantity allowed").
      quantity(values['movement'] === 'adjustment');
      sk = date('date');
      break;
  }
  return { staged: { values, dim, qb, sk }, problems };
}

/** Status of a history lot (dated before the go-live date) the ERP did not give one: bought-in kinds accepted, produced kinds released. */
export function historyStatus(kind: string): string {
  return boughtInKinds.includes(kind) ? 'accepted' : 'released';
}

/** Status a live lot (dated on or after the go-live date) enters: LotSeal decides it (issue 19 §1). */
export function entryStatus(kind: string): string {
  return boughtInKinds.includes(kind) ? 'quarantine' : 'on_hold';
}

/** The status a new lot is stored with: the ERP's for history, the entry status for live lots. */
export function newLotStatus(kind: string, date: string, given: string | null, goLiveDate: string): string {
  return date.slice(0, 10) >= goLiveDate ? entryStatus(kind) : (given ?? historyStatus(kind));
}
