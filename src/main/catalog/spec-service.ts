import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SpecVersionView, SpecificationView } from '../../shared/contract/channels/catalog';
import { fail } from '../../shared/contract/errors';
import { SPEC_DOCUMENT_SCHEMA, specDocumentSchema, type SpecDocument, type SpecItem } from '../../shared/catalog/spec-schema';
import type { IdentityService, SignatureRow, UserRow } from '../identity';
import { actorOf } from '../identity';
import type { Row, Value } from '../ledger/entities';
import { canonical, sha256Hex } from '../ledger/hashing';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { C } from './entities';
import { asSpec, asSpecItem, asSpecVersion, catalogQueries, type CatalogQueries, type SpecItemRow, type SpecRow, type SpecVersionRow } from './queries';
import { imfStages, specProblems } from './spec-rules';

const ITEM_FIELDS = [
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
  };
}

function itemToRow(i: SpecItem): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const f of ITEM_FIELDS) {
    const v = i[f];
    out[f === 'group' ? 'item_group' : f] = typeof v === 'boolean' ? (v ? 1 : 0) : (v ?? null);
  }
  out['reporting'] = i.reporting ? JSON.stringify(i.reporting) : null;
  return out;
}

function today(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
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

/**
 * Versioned specifications: draft → approved (QA manager e-signature) → superseded on the
 * next version's effective date. Approved versions never change; a new version is a copy.
 */
export class SpecService {
  private readonly q: CatalogQueries;

  constructor(
    private readonly ledger: Ledger,
    private readonly identity: IdentityService,
    private readonly resourcesDir: string,
  ) {
    this.q = catalogQueries(ledger.db);
  }

  // ------------------------------------------------------------------ reading

  private version(id: string): SpecVersionRow {
    const v = this.ledger.get(C.specVersion, id);
    if (!v) fail('not_found', { entity: 'spec_version', id });
    return asSpecVersion(v);
  }

  private spec(id: string): SpecRow {
    const s = this.ledger.get(C.specification, id);
    if (!s) fail('not_found', { entity: 'specification', id });
    return asSpec(s);
  }

  private itemRows(versionId: string): SpecItemRow[] {
    return this.q.items(versionId);
  }

  private subject(kind: string, id: string): Row {
    const r = this.ledger.get(kind === 'product' ? C.product : C.material, id);
    if (!r) fail('not_found', { entity: kind, id });
    return r;
  }

  private imfFinished(spec: Pick<SpecRow, 'subject_kind' | 'subject_id'>): boolean {
    if (spec.subject_kind !== 'product') return false;
    const p = this.ledger.get(C.product, spec.subject_id);
    return !!p && typeof p['stage'] === 'string' && imfStages.has(p['stage']);
  }

  view(versionId: string): SpecVersionView {
    const v = this.version(versionId);
    const s = this.spec(v.spec_id);
    const rows = this.itemRows(versionId);
    const items = rows.map(itemFromRow);
    const subj = this.ledger.get(s.subject_kind === 'product' ? C.product : C.material, s.subject_id);
    const problems =
      v.status === 'draft'
        ? specProblems(items, { imfFinished: this.imfFinished(s) }).approval
        : v.content_hash !== this.contentHash(v.id)
          ? // The items no longer match what was approved: shown, never silently accepted.
            [{ itemCode: null, field: null, key: 'spec.content_changed_after_approval' }]
          : [];
    return {
      id: v.id,
      specId: s.id,
      specCode: s.code,
      titleZh: s.title_zh,
      titleEn: s.title_en,
      subjectKind: s.subject_kind,
      subjectId: s.subject_id,
      subjectStage: subj ? ((subj['stage'] ?? subj['kind'] ?? null) as string | null) : null,
      version: v.version,
      status: v.status,
      effectiveFrom: v.effective_from ?? null,
      basedOn: v.based_on ?? null,
      source: v.source,
      changeNote: v.change_note ?? null,
      contentHash: v.content_hash ?? null,
      items: rows.map((r, i) => ({
        ...items[i]!,
        id: r.id,
        rev: r.rev,
        position: r.position,
        confirmedBy: r.confirmed_by ?? null,
        confirmedAt: r.confirmed_at === null || r.confirmed_at === undefined ? null : new Date(r.confirmed_at).toISOString(),
      })),
      flagged: rows
        .flatMap((r) => (r.verification === 'missing' || r.verification === 'unverified' ? [{ itemId: r.id, code: r.code, verification: r.verification }] : [])),
      problems,
      signatures: this.identity.signaturesFor('spec_version', v.id).map(sigView),
    };
  }

  list(filter: { subjectKind?: string | undefined; subjectId?: string | undefined }): SpecificationView[] {
    const specs = this.q.specifications(filter);
    return specs.map((s) => {
      const subj = this.ledger.get(s.subject_kind === 'product' ? C.product : C.material, s.subject_id);
      const versions = this.q.versionsWithCounts(s.id);
      return {
        id: s.id,
        code: s.code,
        subjectKind: s.subject_kind,
        subjectId: s.subject_id,
        subjectCode: (subj?.['code'] as string | undefined) ?? '?',
        subjectName: (subj?.['name_en'] as string | undefined) ?? '?',
        subjectNameZh: (subj?.['name_zh'] as string | undefined) ?? '?',
        titleZh: s.title_zh,
        titleEn: s.title_en,
        standard: s.standard ?? null,
        versions: versions.map((v) => ({
          id: v.id,
          version: v.version,
          status: v.status,
          effectiveFrom: v.effective_from ?? null,
          approvedAt: v.approved_at ? new Date(v.approved_at).toISOString() : null,
          items: v.n_items,
          flagged: v.n_flagged,
        })),
      };
    });
  }

  /** A version's items in order (for test plans). */
  versionItems(versionId: string): SpecItem[] {
    return this.q.itemsByPosition(versionId).map(itemFromRow);
  }

  /** The id of the version in force on a date (the light lookup behind `effective`). */
  effectiveId(subjectKind: string, subjectId: string, date: string): string | null {
    return this.q.effectiveVersionId(subjectKind, subjectId, date) ?? null;
  }

  /** The version in force on a date: approved (or since superseded), effective on or before it, newest. */
  effective(subjectKind: string, subjectId: string, date: string): SpecVersionView | null {
    const id = this.q.effectiveVersionId(subjectKind, subjectId, date);
    return id ? this.view(id) : null;
  }

  // ------------------------------------------------------------------ packs and documents

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

  /** Parses a specification document; bad files get per-field errors and change nothing. */
  parseDocument(json: string): SpecDocument {
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

  export(versionId: string): { fileName: string; json: string; document: SpecDocument } {
    const v = this.view(versionId);
    const s = this.spec(v.specId);
    const document: SpecDocument = {
      schema: SPEC_DOCUMENT_SCHEMA,
      title_zh: v.titleZh,
      title_en: v.titleEn,
      subject_kind: v.subjectKind,
      applies_to: v.subjectStage ?? '',
      standard: s.standard ?? null,
      version_note: `${v.specCode} v${v.version} (${v.status}${v.effectiveFrom ? `, effective ${v.effectiveFrom}` : ''})`,
      items: v.items.map((i) => {
        const item: Record<string, unknown> = {};
        for (const f of ITEM_FIELDS) item[f] = i[f];
        return item as SpecItem;
      }),
    };
    return { fileName: `${v.specCode}-v${v.version}.spec.json`, json: JSON.stringify(document, null, 2), document };
  }

  // ------------------------------------------------------------------ changes

  private checkHard(spec: Pick<SpecRow, 'subject_kind' | 'subject_id'>, items: SpecItem[]): void {
    const { hard } = specProblems(items, { imfFinished: this.imfFinished(spec) });
    if (hard.length) fail('invalid_input', { problems: hard }, 'errors.spec_problems');
  }

  private writeItems(w: LedgerWriter, versionId: string, items: SpecItem[], confirmations?: Array<{ by: string | null; at: number | null }>): void {
    items.forEach((item, i) => {
      // A copied confirmation keeps who confirmed the value and when (it was not re-checked).
      const c = item.verification === 'confirmed' ? confirmations?.[i] : undefined;
      w.create(C.specItem, { version_id: versionId, position: (i + 1) * 10, ...itemToRow(item), confirmed_by: c?.by ?? null, confirmed_at: c?.at ?? null });
    });
  }

  create(
    actor: Actor,
    input: {
      subjectKind: 'product' | 'material';
      subjectId: string;
      code: string;
      titleZh: string;
      titleEn: string;
      from: { kind: 'pack'; packId: string } | { kind: 'document'; json: string } | { kind: 'empty' };
    },
  ): string {
    const subj = this.subject(input.subjectKind, input.subjectId);
    const doc = input.from.kind === 'pack' ? this.pack(input.from.packId) : input.from.kind === 'document' ? this.parseDocument(input.from.json) : null;
    if (doc && doc.subject_kind !== input.subjectKind) fail('invalid_input', { field: 'subjectKind', expected: doc.subject_kind }, 'errors.spec_subject_mismatch');
    // A confirmation belongs to a person in this database: an imported "confirmed" is re-checked here.
    const items = (doc?.items ?? []).map((i) => (i.verification === 'confirmed' ? { ...i, verification: 'verified' as const } : i));
    this.checkHard({ subject_kind: input.subjectKind, subject_id: subj.id }, items);
    return this.ledger.write(actor, (w) => {
      if (this.q.specCodeTaken(input.code)) fail('conflict', { code: input.code }, 'errors.code_taken');
      const spec = w.create(C.specification, {
        code: input.code,
        subject_kind: input.subjectKind,
        subject_id: input.subjectId,
        title_zh: input.titleZh,
        title_en: input.titleEn,
        standard: doc?.standard ?? null,
      });
      const v = w.create(C.specVersion, {
        spec_id: spec.id,
        version: 1,
        status: 'draft',
        effective_from: null,
        based_on: null,
        source: input.from.kind === 'pack' ? `pack:${input.from.packId}` : input.from.kind === 'document' ? 'import' : 'manual',
        change_note: doc?.version_note ?? null,
        content_hash: null,
        approved_at: null,
        superseded_at: null,
      });
      this.writeItems(w, v.id, items);
      return v.id;
    });
  }

  newVersion(actor: Actor, specId: string, changeNote: string): string {
    const spec = this.spec(specId);
    return this.ledger.write(actor, (w) => {
      const versions = this.q.versionsOfSpec(specId);
      if (versions.some((v) => v.status === 'draft')) fail('conflict', { specId }, 'errors.spec_draft_exists');
      const latest = versions[0];
      if (!latest) fail('not_found', { entity: 'spec_version', specId });
      const v = w.create(C.specVersion, {
        spec_id: spec.id,
        version: latest.version + 1,
        status: 'draft',
        effective_from: null,
        based_on: latest.id,
        source: `copy:v${latest.version}`,
        change_note: changeNote,
        content_hash: null,
        approved_at: null,
        superseded_at: null,
      });
      const rows = this.itemRows(latest.id);
      this.writeItems(
        w,
        v.id,
        rows.map(itemFromRow),
        rows.map((r) => ({ by: r.confirmed_by ?? null, at: r.confirmed_at ?? null })),
      );
      return v.id;
    });
  }

  private draft(versionId: string): { v: SpecVersionRow; spec: SpecRow } {
    const v = this.version(versionId);
    // Approved versions never change (through the UI or the contract): a new version is a copy.
    if (v.status !== 'draft') fail('record_locked', { entity: 'spec_version', id: versionId, status: v.status }, 'errors.spec_not_draft');
    return { v, spec: this.spec(v.spec_id) };
  }

  saveItem(actor: Actor, input: { versionId: string; itemId?: string | undefined; item: SpecItem; reason?: string | undefined }): void {
    const { spec } = this.draft(input.versionId);
    const rows = this.itemRows(input.versionId);
    const others = rows.filter((r) => r.id !== input.itemId).map(itemFromRow);
    if (others.some((o) => o.code === input.item.code)) fail('conflict', { code: input.item.code }, 'errors.spec_item_code_taken');
    this.checkHard(spec, [...others, input.item]);
    this.ledger.write(actor, (w) => {
      const confirmed = input.item.verification === 'confirmed';
      if (!input.itemId) {
        const pos = rows.reduce((m, r) => Math.max(m, r.position), 0) + 10;
        w.create(C.specItem, {
          version_id: input.versionId,
          position: pos,
          ...itemToRow(input.item),
          confirmed_by: confirmed ? actor.id : null,
          confirmed_at: confirmed ? w.at : null,
        });
        return;
      }
      const before = rows.find((r) => r.id === input.itemId);
      if (!before) fail('not_found', { entity: 'spec_item', id: input.itemId });
      const newlyConfirmed = confirmed && before.verification !== 'confirmed';
      w.update(
        C.specItem,
        before.id,
        {
          ...itemToRow(input.item),
          confirmed_by: confirmed ? (newlyConfirmed ? actor.id : before.confirmed_by) : null,
          confirmed_at: confirmed ? (newlyConfirmed ? w.at : before.confirmed_at) : null,
        },
        { reason: input.reason ?? (newlyConfirmed ? 'value confirmed against the official text' : 'draft edited') },
      );
    });
  }

  removeItem(actor: Actor, versionId: string, itemId: string, reason: string): void {
    this.draft(versionId);
    this.ledger.write(actor, (w) => {
      const r = w.get(C.specItem, itemId);
      if (!r || asSpecItem(r).version_id !== versionId) fail('not_found', { entity: 'spec_item', id: itemId });
      w.retire(C.specItem, itemId, reason);
    });
  }

  setEffective(actor: Actor, versionId: string, date: string, reason?: string): void {
    this.draft(versionId);
    this.ledger.write(actor, (w) => w.update(C.specVersion, versionId, { effective_from: date }, { reason: reason ?? 'effective date set' }));
  }

  /** SHA-256 of the items' canonical content: what the approval signature covers. */
  contentHash(versionId: string): string {
    return sha256Hex(canonical(this.itemRows(versionId).map((r) => ({ position: r.position, ...itemFromRow(r), confirmed_by: r.confirmed_by ?? null }))));
  }

  async approve(signerId: string, versionId: string, signature: { password: string; comment?: string | undefined }, now: number): Promise<void> {
    const { v, spec } = this.draft(versionId);
    const items = this.itemRows(versionId).map(itemFromRow);
    if (items.length === 0) fail('invalid_input', {}, 'errors.spec_empty');
    const flagged = items.filter((i) => i.verification === 'missing' || i.verification === 'unverified');
    if (flagged.length) fail('invalid_input', { items: flagged.map((i) => i.code) }, 'errors.spec_flagged');
    const { approval } = specProblems(items, { imfFinished: this.imfFinished(spec) });
    if (approval.length) fail('invalid_input', { problems: approval }, 'errors.spec_problems');
    const signer: UserRow = await this.identity.authenticateSigner(signerId, signature.password);
    this.ledger.write(actorOf(signer), (w) => {
      const effective = v.effective_from ?? today(now);
      w.update(C.specVersion, versionId, { status: 'approved', effective_from: effective, content_hash: this.contentHash(versionId), approved_at: w.at }, { reason: 'approved' });
      this.identity.sign(w, signer, { def: C.specVersion, id: versionId }, { meaning: 'approved', comment: signature.comment });
      this.supersedeDue(w, now, spec.id);
    });
  }

  /**
   * A version is superseded once a later approved version has become effective. Runs at
   * approval, at start-up and daily (the `system` actor's scheduled job).
   */
  /**
   * Is any version due to be superseded (a read, no lock)? The scheduled job takes the
   * write lock only when this is true, so a start-up never waits on another process's write
   * lock for nothing (issue 24 §7).
   */
  hasDue(now: number): boolean {
    return this.q.anySupersedeDue(today(now));
  }

  supersedeDue(w: LedgerWriter, now: number, specId?: string): number {
    const d = today(now);
    const specs = specId ? [specId] : this.q.liveSpecIds();
    let n = 0;
    for (const id of specs) {
      const approved = this.q.approvedInForce(id, d);
      for (const old of approved.slice(1)) {
        w.update(C.specVersion, old.id, { status: 'superseded', superseded_at: w.at }, { reason: `superseded by version effective ${approved[0]!.effective_from}` });
        n++;
      }
    }
    return n;
  }

  diff(fromId: string, toId: string) {
    const a = this.view(fromId);
    const b = this.view(toId);
    const byCode = (v: SpecVersionView) => new Map(v.items.map((i) => [i.code, i]));
    const ma = byCode(a);
    const mb = byCode(b);
    const changed: Array<{ code: string; fields: Array<{ field: string; before: unknown; after: unknown }> }> = [];
    for (const [code, ib] of mb) {
      const ia = ma.get(code);
      if (!ia) continue;
      const fields = ITEM_FIELDS.filter((f) => JSON.stringify(ia[f]) !== JSON.stringify(ib[f])).map((f) => ({ field: f, before: ia[f], after: ib[f] }));
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
}

function sigView(r: SignatureRow) {
  return {
    id: r.id,
    userId: r['user_id'] as string,
    printedName: r['printed_name'] as string,
    meaning: r['meaning'] as 'approved',
    signedAt: new Date(r['signed_at'] as number).toISOString(),
    timeZone: r['tz'] as string,
    comment: (r['comment'] as string | null) ?? null,
    entity: r['entity'] as string,
    entityId: r['entity_id'] as string,
    recordHash: r['record_hash'] as string,
    valid: r.valid,
  };
}
