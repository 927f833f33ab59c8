import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SpecVersionView } from '../../shared/contract/channels/catalog';
import { fail } from '../../shared/contract/errors';
import { SPEC_DOCUMENT_SCHEMA, specDocumentSchema, type SpecDocument, type SpecItem } from '../../shared/catalog/spec-schema';
import type { Row, Value } from '../ledger/entities';
import { asSpecItem } from './queries';

/**
 * Specification items as documents: the item ↔ record mapping, the bundled specification
 * packs, parsing and exporting a specification document, and the comparison of two versions.
 * Versions and their approval live in spec-service.ts.
 */

export const ITEM_FIELDS = [
  'code', 'name_zh', 'name_en', 'group', 'method_code', 'unit', 'basis', 'limit_form', 'min', 'max', 'target', 'lod', 'n', 'c',
  'm', 'big_m', 'precision', 'comparison', 'required_for_release', 'in_house_only', 'frequency', 'frequency_n', 'period_days',
  'formula', 'clause', 'source', 'verification', 'note',
] as const;

export function itemFromRow(row: Row): SpecItem {
  const r = asSpecItem(row);
  return {
    code: r.code,
    name_zh: r.name_zh,
    name_en: r.name_en,
    group: r.item_group,
    method_code: r.method_code ?? null,
    unit: r.unit,
    basis: r.basis,
    limit_form: r.limit_form,
    min: r.min ?? null,
    max: r.max ?? null,
    target: r.target ?? null,
    lod: r.lod ?? null,
    n: r.n ?? null,
    c: r.c ?? null,
    m: r.m ?? null,
    big_m: r.big_m ?? null,
    precision: r.precision ?? null,
    comparison: r.comparison,
    required_for_release: r.required_for_release === 1,
    in_house_only: r.in_house_only === 1,
    frequency: r.frequency,
    frequency_n: r.frequency_n ?? null,
    period_days: r.period_days ?? null,
    formula: r.formula ?? null,
    clause: r.clause ?? null,
    source: r.source ?? null,
    verification: r.verification,
    note: r.note ?? null,
    // Only when set: an item without a reporting rule keeps the content (and hash) it had before migration 0014.
    ...(typeof r.reporting === 'string' && r.reporting ? { reporting: JSON.parse(r.reporting) as SpecItem['reporting'] } : {}),
    // Likewise only when set (migration 0018).
    ...(typeof r.origin === 'string' && r.origin ? { origin: JSON.parse(r.origin) as SpecItem['origin'] } : {}),
    // And the limit of quantification (migration 0020).
    ...(typeof r.loq === 'string' && r.loq ? { loq: r.loq } : {}),
  };
}

export function itemToRow(i: SpecItem): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const f of ITEM_FIELDS) {
    const v = i[f];
    out[f === 'group' ? 'item_group' : f] = typeof v === 'boolean' ? (v ? 1 : 0) : (v ?? null);
  }
  out['reporting'] = i.reporting ? JSON.stringify(i.reporting) : null;
  out['origin'] = i.origin ? JSON.stringify(i.origin) : null;
  out['loq'] = i.loq ?? null;
  return out;
}

export interface SpecPackInfo {
  id: string;
  file: string;
  title_zh: string;
  title_en: string;
  standard: string | null;
  subject_kind: 'product' | 'material';
  applies_to: string;
}

/** The specification packs shipped with the application (resources/spec-packs). */
export class SpecPacks {
  constructor(private readonly resourcesDir: string) {}

  packIndex(): SpecPackInfo[] {
    const f = join(this.resourcesDir, 'spec-packs', 'index.json');
    if (!existsSync(f)) return [];
    const idx = JSON.parse(readFileSync(f, 'utf8')) as { packs?: SpecPackInfo[] } | SpecPackInfo[];
    return Array.isArray(idx) ? idx : (idx.packs ?? []);
  }

  pack(id: string): SpecDocument {
    const info = this.packIndex().find((p) => p.id === id);
    if (!info) fail('not_found', { entity: 'spec_pack', id });
    return specDocumentSchema.parse(JSON.parse(readFileSync(join(this.resourcesDir, 'spec-packs', info.file), 'utf8')));
  }

  packs() {
    return this.packIndex().map((p) => {
      const doc = this.pack(p.id);
      const byVerification: Record<string, number> = {};
      for (const i of doc.items) byVerification[i.verification] = (byVerification[i.verification] ?? 0) + 1;
      return {
        id: p.id,
        titleZh: doc.title_zh,
        titleEn: doc.title_en,
        standard: doc.standard,
        subjectKind: doc.subject_kind,
        appliesTo: doc.applies_to,
        items: doc.items.length,
        byVerification,
      };
    });
  }
}

/** Parses a specification document; bad files get per-field errors and change nothing. */
export function parseSpecDocument(json: string): SpecDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    fail('invalid_input', { issues: [{ path: '', code: 'invalid_json', message: e instanceof Error ? e.message : String(e) }] }, 'errors.spec_document_invalid');
  }
  const r = specDocumentSchema.safeParse(raw);
  if (!r.success) {
    fail(
      'invalid_input',
      { issues: r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), code: i.code, message: i.message })) },
      'errors.spec_document_invalid',
    );
  }
  return r.data;
}

/** A version as a specification document (the file a QA manager exports and imports). */
export function specDocumentOf(v: SpecVersionView, standard: string | null): { fileName: string; json: string; document: SpecDocument } {
  const document: SpecDocument = {
    schema: SPEC_DOCUMENT_SCHEMA,
    title_zh: v.titleZh,
    title_en: v.titleEn,
    subject_kind: v.subjectKind,
    applies_to: v.subjectStage ?? '',
    standard,
    version_note: `${v.specCode} v${v.version} (${v.status}${v.effectiveFrom ? `, effective ${v.effectiveFrom}` : ''})`,
    items: v.items.map((i) => {
      const item: Record<string, unknown> = {};
      for (const f of ITEM_FIELDS) item[f] = i[f];
      // The limit of quantification only when set: documents without it stay as they were (D-088).
      if (i.loq) item['loq'] = i.loq;
      return item as SpecItem;
    }),
  };
  return { fileName: `${v.specCode}-v${v.version}.spec.json`, json: JSON.stringify(document, null, 2), document };
}

/** What changed between two versions, item by item. */
export function specDiff(a: SpecVersionView, b: SpecVersionView) {
  const byCode = (v: SpecVersionView) => new Map(v.items.map((i) => [i.code, i]));
  const ma = byCode(a);
  const mb = byCode(b);
  const changed: Array<{ code: string; fields: Array<{ field: string; before: unknown; after: unknown }> }> = [];
  for (const [code, ib] of mb) {
    const ia = ma.get(code);
    if (!ia) continue;
    const fields = [...ITEM_FIELDS, 'loq' as const]
      .filter((f) => JSON.stringify(ia[f] ?? null) !== JSON.stringify(ib[f] ?? null))
      .map((f) => ({ field: f, before: ia[f] ?? null, after: ib[f] ?? null }));
    if (fields.length) changed.push({ code, fields });
  }
  return {
    from: { id: a.id, version: a.version },
    to: { id: b.id, version: b.version },
    added: [...mb.keys()].filter((c) => !ma.has(c)),
    removed: [...ma.keys()].filter((c) => !mb.has(c)),
    changed,
  };
}
