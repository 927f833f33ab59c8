import type { TFunction } from 'i18next';
import type { z } from 'zod';
import {
  customerFields,
  lineFields,
  materialFields,
  methodFields,
  productFields,
  supplierFields,
  type CustomerView,
  type LineView,
  type MaterialView,
  type MethodView,
  type ProductView,
  type SupplierView,
} from '../../../../shared/contract/channels/catalog';

export const catalogKinds = ['products', 'materials', 'suppliers', 'customers', 'methods', 'lines'] as const;
export type CatalogKind = (typeof catalogKinds)[number];

export interface ViewOf {
  products: ProductView;
  materials: MaterialView;
  suppliers: SupplierView;
  customers: CustomerView;
  methods: MethodView;
  lines: LineView;
}
export type AnyCatalogView = ViewOf[CatalogKind];

/** Form state: inputs hold strings (empty = not given), switches booleans, tag inputs lists. */
export type FormValues = Record<string, string | boolean | string[]>;

/** Customers are kept by production (recall contacts), production lines by the administrator (plant set-up); the rest of the catalogue by QA. */
export function managePermission(kind: CatalogKind): string {
  return kind === 'customers' ? 'customers.manage' : kind === 'lines' ? 'settings.manage' : 'catalog.manage';
}

export const schemas: Record<CatalogKind, z.ZodObject> = {
  products: productFields,
  materials: materialFields,
  suppliers: supplierFields,
  customers: customerFields,
  methods: methodFields,
  lines: lineFields,
};

const blank: Record<CatalogKind, FormValues> = {
  products: {
    code: '',
    nameZh: '',
    nameEn: '',
    stage: 'infant',
    proteinBase: 'cow',
    registrationNo: '',
    shelfLifeDays: '',
    packSizes: [],
  },
  materials: { code: '', nameZh: '', nameEn: '', kind: 'ingredient', defaultUnit: 'kg' },
  suppliers: {
    code: '',
    name: '',
    kind: 'ingredient',
    approvalStatus: 'not_approved',
    approvedOn: '',
    lastAuditOn: '',
    nextAuditDue: '',
    contact: '',
    phone: '',
  },
  customers: { code: '', name: '', contact: '', phone: '', address: '' },
  methods: { code: '', titleZh: '', titleEn: '', analyte: '', unit: '', lod: '', loq: '', inHouse: true },
  lines: { code: '', nameZh: '', nameEn: '', site: '', active: true },
};

export function initialValues(kind: CatalogKind, view: AnyCatalogView | null): FormValues {
  const out: FormValues = { ...blank[kind] };
  if (!view) return out;
  for (const key of Object.keys(out)) {
    const v = (view as unknown as Record<string, unknown>)[key];
    if (typeof v === 'boolean' || Array.isArray(v)) out[key] = v as boolean | string[];
    else out[key] = v === null || v === undefined ? '' : String(v);
  }
  return out;
}

const nullableText = new Set([
  'registrationNo',
  'approvedOn',
  'lastAuditOn',
  'nextAuditDue',
  'contact',
  'phone',
  'address',
  'lod',
  'loq',
  'site',
]);
const integers = new Set(['shelfLifeDays']);

/** Form state → the contract's fields: trimmed, empty optional text → null, numbers parsed. */
export function toFields(values: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (typeof v === 'string') {
      const s = v.trim();
      if (integers.has(k)) out[k] = s === '' ? null : /^\d+$/.test(s) ? Number(s) : s;
      else out[k] = nullableText.has(k) && s === '' ? null : s;
    } else out[k] = v;
  }
  return out;
}

/** Client-side check with the contract's own schema, so the person sees problems per field. */
export function validateFields(t: TFunction, kind: CatalogKind, values: FormValues): Record<string, string> {
  const r = schemas[kind].safeParse(toFields(values));
  if (r.success) return {};
  const errors: Record<string, string> = {};
  for (const issue of r.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (!field || errors[field]) continue;
    const custom = `zod.${issue.message}`;
    errors[field] = t(custom, { defaultValue: '' }) || t(`zod.${issue.code}`, { defaultValue: t('zod.custom') });
  }
  return errors;
}

export function displayName(lang: string, v: AnyCatalogView): string {
  const r = v as unknown as Record<string, unknown>;
  if (typeof r['name'] === 'string') return r['name'];
  const zh = (r['nameZh'] ?? r['titleZh']) as string | undefined;
  const en = (r['nameEn'] ?? r['titleEn']) as string | undefined;
  return (lang.startsWith('zh') ? zh : en) ?? '';
}
