import type { z } from 'zod';
import {
  customerFields,
  materialFields,
  methodFields,
  productFields,
  supplierFields,
} from '../../shared/contract/channels/catalog';
import { fail } from '../../shared/contract/errors';
import type { EntityDef, Row, Value } from '../ledger/entities';
import type { Actor, Ledger } from '../ledger/ledger';
import { C } from './entities';
import { catalogQueries, type CatalogQueries } from './queries';

/**
 * The catalogue: products, materials, suppliers, customers and test methods. One small
 * service serves the five kinds: each kind is its entity, its zod fields, and which of its
 * fields are booleans or lists (stored as INTEGER 0/1 and JSON text).
 */
interface KindSpec<F extends z.ZodObject> {
  def: EntityDef;
  fields: F;
  booleans?: readonly string[];
  lists?: readonly string[];
  search: readonly string[];
}

export const kinds = {
  products: { def: C.product, fields: productFields, lists: ['pack_sizes'], search: ['code', 'name_zh', 'name_en', 'registration_no'] },
  materials: { def: C.material, fields: materialFields, search: ['code', 'name_zh', 'name_en'] },
  suppliers: { def: C.supplier, fields: supplierFields, search: ['code', 'name', 'contact'] },
  customers: { def: C.customer, fields: customerFields, search: ['code', 'name', 'contact', 'phone'] },
  methods: { def: C.method, fields: methodFields, booleans: ['in_house'], search: ['code', 'title_zh', 'title_en', 'analyte'] },
} satisfies Record<string, KindSpec<z.ZodObject>>;
export type CatalogKind = keyof typeof kinds;

type FieldsOf<K extends CatalogKind> = z.infer<(typeof kinds)[K]['fields']>;
export type CatalogView<K extends CatalogKind> = FieldsOf<K> & { id: string; rev: number; retired: boolean };

export class CatalogService {
  private readonly q: CatalogQueries;

  constructor(private readonly ledger: Ledger) {
    this.q = catalogQueries(ledger.db);
  }

  private spec(kind: CatalogKind): KindSpec<z.ZodObject> {
    return kinds[kind] as KindSpec<z.ZodObject>;
  }

  toView<K extends CatalogKind>(kind: K, row: Row): CatalogView<K> {
    const k = this.spec(kind);
    const out: Record<string, unknown> = { id: row.id, rev: row.rev, retired: row.retired === 1 };
    for (const c of k.def.columns) {
      const v = row[c] ?? null;
      if (k.booleans?.includes(c)) out[c] = v === 1;
      else if (k.lists?.includes(c)) out[c] = typeof v === 'string' ? (JSON.parse(v) as unknown) : [];
      else out[c] = v;
    }
    return out as CatalogView<K>;
  }

  private toRow(kind: CatalogKind, fields: Record<string, unknown>): Record<string, Value> {
    const k = this.spec(kind);
    const out: Record<string, Value> = {};
    for (const c of k.def.columns) {
      const v = fields[c];
      if (k.booleans?.includes(c)) out[c] = v ? 1 : 0;
      else if (k.lists?.includes(c)) out[c] = JSON.stringify(v ?? []);
      else out[c] = (v ?? null) as Value;
    }
    return out;
  }

  list<K extends CatalogKind>(kind: K, opts: { search?: string | undefined; includeRetired?: boolean | undefined } = {}): Array<CatalogView<K>> {
    const k = this.spec(kind);
    const rows = this.q.list(k.def.table, { search: opts.search, columns: k.search, includeRetired: !!opts.includeRetired });
    return rows.map((r) => this.toView(kind, r));
  }

  byCode<K extends CatalogKind>(kind: K, code: string): CatalogView<K> | undefined {
    const r = this.q.byCode(this.spec(kind).def.table, code);
    return r ? this.toView(kind, r) : undefined;
  }

  /** A record by code that is in use (not retired). */
  active<K extends CatalogKind>(kind: K, code: string): CatalogView<K> | undefined {
    const r = this.q.activeByCode(this.spec(kind).def.table, code);
    return r ? this.toView(kind, r) : undefined;
  }

  /** The first material of a kind in use, by code (e.g. the raw milk a tanker delivers). */
  firstMaterial(kind: CatalogView<'materials'>['kind']): { code: string; name_en: string } | undefined {
    return this.q.firstMaterialOfKind(kind);
  }

  get<K extends CatalogKind>(kind: K, id: string): CatalogView<K> | undefined {
    const r = this.ledger.get(this.spec(kind).def, id);
    return r ? this.toView(kind, r) : undefined;
  }

  /** Create (no id) or update (with a reason). Codes are keys for the ERP import: they never change. */
  save<K extends CatalogKind>(actor: Actor, kind: K, input: { id?: string | undefined; fields: FieldsOf<K>; reason?: string | undefined }): CatalogView<K> {
    const k = this.spec(kind);
    const fields = input.fields as Record<string, unknown> & { code: string };
    return this.ledger.write(actor, (w) => {
      const existing = this.byCode(kind, fields.code);
      if (!input.id) {
        if (existing) fail('conflict', { code: fields.code, entity: k.def.name }, 'errors.code_taken');
        return this.toView(kind, w.create(k.def, this.toRow(kind, fields)));
      }
      const before = w.get(k.def, input.id);
      if (!before) fail('not_found', { entity: k.def.name, id: input.id });
      if (before['code'] !== fields.code) {
        fail('invalid_input', { field: 'code', issues: [{ path: 'fields.code', code: 'custom', message: 'code_immutable' }] }, 'errors.code_immutable');
      }
      if (!input.reason) fail('invalid_input', { field: 'reason', issues: [{ path: 'reason', code: 'custom', message: 'reason_required' }] }, 'errors.reason_required');
      return this.toView(kind, w.update(k.def, input.id, this.toRow(kind, fields), { reason: input.reason }));
    });
  }
}
