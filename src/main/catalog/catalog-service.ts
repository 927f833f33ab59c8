import { fail } from '../../shared/contract/errors';
import type { Row } from '../ledger/entities';
import type { Actor, Ledger } from '../ledger/ledger';
import { asSubject, catalogQueries, type CatalogQueries } from './queries';
import { kindSpec, toRow, toView, type CatalogKind, type CatalogView, type FieldsOf } from './views';

export { kinds, type CatalogKind, type CatalogView } from './views';

/**
 * The catalogue: products, materials, suppliers, customers and test methods. One small
 * service serves the five kinds; views.ts maps each kind's view to its record.
 */
export class CatalogService {
  private readonly q: CatalogQueries;

  constructor(private readonly ledger: Ledger) {
    this.q = catalogQueries(ledger.db);
  }

  private spec(kind: CatalogKind) {
    return kindSpec(kind);
  }

  toView<K extends CatalogKind>(kind: K, row: Row): CatalogView<K> {
    return toView(kind, row);
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
        return this.toView(kind, w.create(k.def, toRow(kind, fields)));
      }
      const before = w.get(k.def, input.id);
      if (!before) fail('not_found', { entity: k.def.name, id: input.id });
      if (asSubject(before).code !== fields.code) {
        fail('invalid_input', { field: 'code', issues: [{ path: 'fields.code', code: 'custom', message: 'code_immutable' }] }, 'errors.code_immutable');
      }
      if (!input.reason) fail('invalid_input', { field: 'reason', issues: [{ path: 'reason', code: 'custom', message: 'reason_required' }] }, 'errors.reason_required');
      return this.toView(kind, w.update(k.def, input.id, toRow(kind, fields), { reason: input.reason }));
    });
  }
}
