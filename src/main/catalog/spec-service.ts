import type { SpecVersionView, SpecificationView } from '../../shared/contract/channels/catalog';
import { fail } from '../../shared/contract/errors';
import type { SpecDocument, SpecItem } from '../../shared/catalog/spec-schema';
import type { IdentityService, SignatureRow, UserRow } from '../identity';
import { actorOf } from '../identity';
import { canonical, sha256Hex } from '../ledger/hashing';
import { mustBeRevision, recordChanged } from '../ledger/revision';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { C } from './entities';
import {
  asSpec,
  asSpecItem,
  asSpecVersion,
  asSubject,
  asSubjectOrNone,
  catalogQueries,
  type CatalogQueries,
  type SpecItemRow,
  type SpecRow,
  type SpecVersionRow,
  type SubjectRow,
} from './queries';
import { itemFromRow, itemToRow, parseSpecDocument, specDiff, specDocumentOf, SpecPacks, type SpecPackInfo } from './spec-documents';
import { imfStages, specProblems } from './spec-rules';
import { SpecTableConfirmations } from './spec-tables';

function today(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/**
 * Versioned specifications: draft → approved (QA manager e-signature) → superseded on the
 * next version's effective date. Approved versions never change; a new version is a copy.
 */
export class SpecService {
  private readonly q: CatalogQueries;
  private readonly packFiles: SpecPacks;
  /** Whole tables confirmed against the official text with one signature (spec-tables.ts). */
  readonly tables: SpecTableConfirmations;

  constructor(
    private readonly ledger: Ledger,
    private readonly identity: IdentityService,
    resourcesDir: string,
  ) {
    this.q = catalogQueries(ledger.db);
    this.packFiles = new SpecPacks(resourcesDir);
    this.tables = new SpecTableConfirmations(ledger, identity, this.q);
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

  private subject(kind: string, id: string): SubjectRow {
    const r = this.ledger.get(kind === 'product' ? C.product : C.material, id);
    if (!r) fail('not_found', { entity: kind, id });
    return asSubject(r);
  }

  /** A specification's subject, if it still exists. */
  private subjectOf(s: Pick<SpecRow, 'subject_kind' | 'subject_id'>): SubjectRow | undefined {
    return asSubjectOrNone(this.ledger.get(s.subject_kind === 'product' ? C.product : C.material, s.subject_id));
  }

  private imfFinished(spec: Pick<SpecRow, 'subject_kind' | 'subject_id'>): boolean {
    if (spec.subject_kind !== 'product') return false;
    const p = asSubjectOrNone(this.ledger.get(C.product, spec.subject_id));
    return !!p && typeof p.stage === 'string' && imfStages.has(p.stage);
  }

  view(versionId: string): SpecVersionView {
    const v = this.version(versionId);
    const s = this.spec(v.spec_id);
    const rows = this.itemRows(versionId);
    const items = rows.map(itemFromRow);
    const subj = this.subjectOf(s);
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
      subjectStage: subj ? (subj.stage ?? subj.kind ?? null) : null,
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
      tables: this.tables.tables(v.id),
    };
  }

  list(filter: { subjectKind?: string | undefined; subjectId?: string | undefined }): SpecificationView[] {
    const specs = this.q.specifications(filter);
    return specs.map((s) => {
      const subj = this.subjectOf(s);
      const versions = this.q.versionsWithCounts(s.id);
      return {
        id: s.id,
        code: s.code,
        subjectKind: s.subject_kind,
        subjectId: s.subject_id,
        subjectCode: subj?.code ?? '?',
        subjectName: subj?.name_en ?? '?',
        subjectNameZh: subj?.name_zh ?? '?',
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

  // ------------------------------------------------------------------ packs and documents (spec-documents.ts)

  packIndex(): SpecPackInfo[] {
    return this.packFiles.packIndex();
  }

  pack(id: string): SpecDocument {
    return this.packFiles.pack(id);
  }

  packs() {
    return this.packFiles.packs();
  }

  /** Parses a specification document; bad files get per-field errors and change nothing. */
  parseDocument(json: string): SpecDocument {
    return parseSpecDocument(json);
  }

  export(versionId: string): { fileName: string; json: string; document: SpecDocument } {
    const v = this.view(versionId);
    return specDocumentOf(v, this.spec(v.specId).standard ?? null);
  }

  diff(fromId: string, toId: string) {
    return specDiff(this.view(fromId), this.view(toId));
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
        // A pack's version note is for developers (it stays in the pack file): the screen says what a pack is.
        change_note: input.from.kind === 'pack' ? null : (doc?.version_note ?? null),
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

  /**
   * Inside the write transaction (Trust II, D-110): the version is still a draft (it may have
   * been approved since the screen was opened).
   */
  private stillDraft(w: LedgerWriter, versionId: string): void {
    const cur = asSpecVersion(w.get(C.specVersion, versionId)!);
    if (cur.status !== 'draft') fail('record_locked', { entity: 'spec_version', id: versionId, status: cur.status }, 'errors.spec_not_draft');
  }

  /** An item still at the revision the editor showed (errors.record_changed, D-097, D-110). */
  private sameItem(w: LedgerWriter, itemId: string, expectedRev: number | undefined): void {
    const cur = w.get(C.specItem, itemId);
    if (cur) mustBeRevision(this.ledger, C.specItem.name, { id: itemId, rev: cur.rev as number }, expectedRev, { item: asSpecItem(cur).code });
  }

  saveItem(
    actor: Actor,
    input: { versionId: string; itemId?: string | undefined; item: SpecItem; reason?: string | undefined; expectedRev?: number | undefined },
  ): void {
    const { spec } = this.draft(input.versionId);
    const check = (): SpecItemRow[] => {
      const rows = this.itemRows(input.versionId);
      const others = rows.filter((r) => r.id !== input.itemId).map(itemFromRow);
      if (others.some((o) => o.code === input.item.code)) fail('conflict', { code: input.item.code }, 'errors.spec_item_code_taken');
      this.checkHard(spec, [...others, input.item]);
      return rows;
    };
    check();
    this.ledger.write(actor, (w) => {
      this.stillDraft(w, input.versionId);
      if (input.itemId) this.sameItem(w, input.itemId, input.expectedRev);
      // Again on the items as they are now: another person may have added the same code meanwhile.
      const rows = check();
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
      // A value keeps where it comes from (standard, table, row) unless the edit names another:
      // entering a missing value of 表 1 leaves it in 表 1 (an item without `origin` says nothing).
      const row = itemToRow(input.item);
      if (input.item.origin === undefined) row['origin'] = before.origin;
      w.update(
        C.specItem,
        before.id,
        {
          ...row,
          confirmed_by: confirmed ? (newlyConfirmed ? actor.id : before.confirmed_by) : null,
          confirmed_at: confirmed ? (newlyConfirmed ? w.at : before.confirmed_at) : null,
        },
        { reason: input.reason ?? (newlyConfirmed ? 'value confirmed against the official text' : 'draft edited') },
      );
    });
  }

  removeItem(actor: Actor, versionId: string, itemId: string, reason: string, expectedRev?: number): void {
    this.draft(versionId);
    this.ledger.write(actor, (w) => {
      this.stillDraft(w, versionId);
      const r = w.get(C.specItem, itemId);
      if (!r || asSpecItem(r).version_id !== versionId) fail('not_found', { entity: 'spec_item', id: itemId });
      this.sameItem(w, itemId, expectedRev);
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

  /**
   * The items as the approver's screen showed them (id, revision): an item changed, added or
   * removed since is refused with errors.record_changed naming it (D-110): nothing is signed
   * that the signer has not seen.
   */
  private sameItems(versionId: string, seen: Array<{ id: string; rev: number }> | undefined): void {
    if (!seen) return;
    const was = new Map(seen.map((x) => [x.id, x.rev]));
    for (const r of this.itemRows(versionId)) {
      const rev = was.get(r.id);
      if (rev !== r.rev) throw recordChanged(this.ledger, C.specItem.name, r.id, rev ?? 0, r.rev, { item: r.code, version: versionId });
      was.delete(r.id);
    }
    for (const [id, rev] of was) {
      const gone = this.ledger.get(C.specItem, id);
      throw recordChanged(this.ledger, C.specItem.name, id, rev, (gone?.rev as number | undefined) ?? rev + 1, { item: gone ? asSpecItem(gone).code : id, version: versionId });
    }
  }

  async approve(
    signerId: string,
    versionId: string,
    signature: { password: string; comment?: string | undefined },
    now: number,
    expectedItems?: Array<{ id: string; rev: number }>,
  ): Promise<void> {
    const { v, spec } = this.draft(versionId);
    const items = this.itemRows(versionId).map(itemFromRow);
    if (items.length === 0) fail('invalid_input', {}, 'errors.spec_empty');
    const flagged = items.filter((i) => i.verification === 'missing' || i.verification === 'unverified');
    if (flagged.length) fail('invalid_input', { items: flagged.map((i) => i.code) }, 'errors.spec_flagged');
    const { approval } = specProblems(items, { imfFinished: this.imfFinished(spec) });
    if (approval.length) fail('invalid_input', { problems: approval }, 'errors.spec_problems');
    // Early, before the password: a stale screen hears it at once.
    this.sameItems(versionId, expectedItems);
    const signer: UserRow = await this.identity.authenticateSigner(signerId, signature.password);
    this.ledger.write(actorOf(signer), (w) => {
      // Again inside the transaction that signs: approved meanwhile by another QA manager, or changed.
      this.stillDraft(w, versionId);
      this.sameItems(versionId, expectedItems);
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

}

function sigView(r: SignatureRow) {
  return {
    id: r.id,
    userId: r.user_id,
    printedName: r.printed_name,
    meaning: r.meaning,
    signedAt: new Date(r.signed_at).toISOString(),
    timeZone: r.tz,
    comment: r.comment ?? null,
    entity: r.entity,
    entityId: r.entity_id,
    recordHash: r.record_hash,
    valid: r.valid,
  };
}
