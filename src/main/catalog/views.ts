import type { z } from 'zod';
import {
  customerFields,
  lineFields,
  materialFields,
  methodFields,
  productFields,
  supplierFields,
} from '../../shared/contract/channels/catalog';
import type { EntityDef, Row, Value } from '../ledger/entities';
import { C } from './entities';

/**
 * The catalogue's edge: the contract's camelCase views on one side, the snake_case columns of
 * the signed records on the other, mapped here once (issue 21 §3). Each kind is its entity, its
 * zod fields, the column of each view field, which fields are booleans or lists (stored as
 * INTEGER 0/1 and JSON text), and the columns a search looks in.
 */
interface KindSpec<F extends z.ZodObject> {
  def: EntityDef;
  fields: F;
  /** View field → column. */
  columns: Readonly<Record<string, string>>;
  booleans?: readonly string[];
  lists?: readonly string[];
  search: readonly string[];
}

type ColumnsOf<F extends z.ZodObject> = { readonly [K in keyof z.infer<F>]: string };

const productColumns = {
  code: 'code',
  nameZh: 'name_zh',
  nameEn: 'name_en',
  stage: 'stage',
  proteinBase: 'protein_base',
  registrationNo: 'registration_no',
  shelfLifeDays: 'shelf_life_days',
  packSizes: 'pack_sizes',
} as const satisfies ColumnsOf<typeof productFields>;
const materialColumns = {
  code: 'code',
  nameZh: 'name_zh',
  nameEn: 'name_en',
  kind: 'kind',
  defaultUnit: 'default_unit',
} as const satisfies ColumnsOf<typeof materialFields>;
const supplierColumns = {
  code: 'code',
  name: 'name',
  kind: 'kind',
  approvalStatus: 'approval_status',
  approvedOn: 'approved_on',
  lastAuditOn: 'last_audit_on',
  nextAuditDue: 'next_audit_due',
  contact: 'contact',
  phone: 'phone',
} as const satisfies ColumnsOf<typeof supplierFields>;
const customerColumns = {
  code: 'code',
  name: 'name',
  contact: 'contact',
  phone: 'phone',
  address: 'address',
} as const satisfies ColumnsOf<typeof customerFields>;
const methodColumns = {
  code: 'code',
  titleZh: 'title_zh',
  titleEn: 'title_en',
  analyte: 'analyte',
  unit: 'unit',
  lod: 'lod',
  loq: 'loq',
  inHouse: 'in_house',
} as const satisfies ColumnsOf<typeof methodFields>;
const lineColumns = {
  code: 'code',
  nameZh: 'name_zh',
  nameEn: 'name_en',
  site: 'site',
  active: 'active',
} as const satisfies ColumnsOf<typeof lineFields>;

export const kinds = {
  products: {
    def: C.product,
    fields: productFields,
    columns: productColumns,
    lists: ['packSizes'],
    search: ['code', 'name_zh', 'name_en', 'registration_no'],
  },
  materials: { def: C.material, fields: materialFields, columns: materialColumns, search: ['code', 'name_zh', 'name_en'] },
  suppliers: { def: C.supplier, fields: supplierFields, columns: supplierColumns, search: ['code', 'name', 'contact'] },
  customers: { def: C.customer, fields: customerFields, columns: customerColumns, search: ['code', 'name', 'contact', 'phone'] },
  methods: {
    def: C.method,
    fields: methodFields,
    columns: methodColumns,
    booleans: ['inHouse'],
    search: ['code', 'title_zh', 'title_en', 'analyte'],
  },
  lines: { def: C.productionLine, fields: lineFields, columns: lineColumns, booleans: ['active'], search: ['code', 'name_zh', 'name_en', 'site'] },
} satisfies Record<string, KindSpec<z.ZodObject>>;
export type CatalogKind = keyof typeof kinds;

export type FieldsOf<K extends CatalogKind> = z.infer<(typeof kinds)[K]['fields']>;
export type CatalogView<K extends CatalogKind> = FieldsOf<K> & { id: string; rev: number; retired: boolean };

export function kindSpec(kind: CatalogKind): KindSpec<z.ZodObject> {
  return kinds[kind] as KindSpec<z.ZodObject>;
}

/** A stored record as the contract's view. */
export function toView<K extends CatalogKind>(kind: K, row: Row): CatalogView<K> {
  const k = kindSpec(kind);
  const out: Record<string, unknown> = { id: row.id, rev: row.rev, retired: row.retired === 1 };
  for (const [field, column] of Object.entries(k.columns)) {
    const v = row[column] ?? null;
    if (k.booleans?.includes(field)) out[field] = v === 1;
    else if (k.lists?.includes(field)) out[field] = typeof v === 'string' ? (JSON.parse(v) as unknown) : [];
    else out[field] = v;
  }
  return out as CatalogView<K>;
}

/** The contract's fields as the record's columns (every column of the entity, in the entity's order). */
export function toRow(kind: CatalogKind, fields: Record<string, unknown>): Record<string, Value> {
  const k = kindSpec(kind);
  const fieldOf = new Map(Object.entries(k.columns).map(([field, column]) => [column, field]));
  const out: Record<string, Value> = {};
  for (const column of k.def.columns) {
    const field = fieldOf.get(column);
    if (field === undefined) throw new Error(`catalog views: no field for column ${k.def.table}.${column}`);
    const v = fields[field];
    if (k.booleans?.includes(field)) out[column] = v ? 1 : 0;
    else if (k.lists?.includes(field)) out[column] = JSON.stringify(v ?? []);
    else out[column] = (v ?? null) as Value;
  }
  return out;
}
