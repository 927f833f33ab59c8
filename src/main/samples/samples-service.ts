import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type {
  SampleEventView,
  SampleKind,
  SampleStatus,
  SampleView,
  SiteView,
  sampleActions,
  sampleDetailSchema,
} from '../../shared/contract/channels/samples';
import { fail } from '../../shared/contract/errors';
import type { Permission } from '../../shared/domain/roles';
import type { Locale } from '../../shared/i18n';
import { printLabel, type DocumentsService, type LabelSize } from '../documents';
import type { CatalogService, SpecService } from '../catalog';
import type { IdentityService } from '../identity';
import type { Row } from '../ledger/entities';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { mustBeRevision } from '../ledger/revision';
import type { LotControls } from '../lots';
import { DEFAULT_RETENTION_MARGIN_DAYS, OPEN, SampleBook, addDays, instantMs } from './book';
import { S } from './entities';
import { asSample, type SampleRow } from './queries';
import { SampleRegistration, checkTemperature, type ReceiptInput, type RegisterInput } from './registration';
import { Retention } from './retention';
import { Sites, type ScheduleInput, type SiteInput } from './sites';

export { DEFAULT_RETENTION_MARGIN_DAYS, addDays, defaultSampleCodePatterns } from './book';
export type { ReceiptInput, RegisterInput } from './registration';

type Action = (typeof sampleActions)[number];
/** A sample's detail as the samples capability knows it (the signatures are the identity capability's). */
export type SampleDetail = Omit<z.infer<typeof sampleDetailSchema>, 'signatures'>;

export interface SamplesOptions {
  /** The plant's patterns (settings.sampleCodePatterns), read at each registration. */
  patterns?: () => Partial<Record<SampleKind, string>>;
  retentionMarginDays?: number;
  /** The plant's zone for dates and codes (D-089); the workstation's when not given. */
  zone?: () => string;
}

/** What the samples capability asks of others (front doors), given by the composition root. */
export interface SamplesDeps {
  identity: IdentityService;
  specs: Pick<SpecService, 'effective' | 'effectiveId'>;
  catalog: Pick<CatalogService, 'byCode'>;
  lots: Pick<LotControls, 'lot'>;
  documents: DocumentsService;
  /** Plans a newly registered sample's tests (testing, issue 8 §1), inside the registering transaction. */
  onRegistered: (w: LedgerWriter, sample: Row) => void;
}

/**
 * Samples from registration to disposal (issue 7 §1, §4, §5): identity and custody of every
 * sample, its lot or sampling site, the specification version that applies, the n units of
 * a microbiological sampling plan, retention samples and environmental / water sampling
 * sites with their swab schedules. The parts live beside this file (book, registration,
 * retention, sites); this class is what other capabilities and the handlers hold. States
 * follow ../shared/guides/domain-model.md.
 */
export class SamplesService {
  readonly retentionMarginDays: number;
  private readonly book: SampleBook;
  private readonly registration: SampleRegistration;
  private readonly retention: Retention;
  private readonly siteBook: Sites;

  constructor(
    private readonly ledger: Ledger,
    private readonly deps: SamplesDeps,
    opts: SamplesOptions = {},
  ) {
    this.retentionMarginDays = opts.retentionMarginDays ?? DEFAULT_RETENTION_MARGIN_DAYS;
    this.book = new SampleBook(
      ledger,
      deps.identity,
      { lots: deps.lots, catalog: deps.catalog },
      opts.patterns ?? (() => ({})),
      this.retentionMarginDays,
      opts.zone,
    );
    this.registration = new SampleRegistration(this.book, deps.specs, deps.onRegistered);
    this.retention = new Retention(this.book);
    this.siteBook = new Sites(this.book);
  }

  /** The code pattern of a kind: the plant's setting, else the default. */
  pattern(kind: SampleKind): string {
    return this.book.pattern(kind);
  }

  /** The workstation-local date of an instant (YYYY-MM-DD). */
  localDate(at: number): string {
    return this.book.localDate(at);
  }

  nextCode(w: LedgerWriter, kind: SampleKind, pattern?: string): string {
    return this.book.nextCode(w, kind, pattern);
  }

  // ------------------------------------------------------------------ reading

  sampleRow(code: string): SampleRow | undefined {
    return this.book.sampleRow(code);
  }

  mustSample(code: string): SampleRow {
    return this.book.mustSample(code);
  }

  /** The contract view of a sample row (site code and parent code looked up). */
  view(r: Row): SampleView {
    return this.book.view(r);
  }

  list(f: {
    kind?: SampleKind | undefined;
    status?: SampleStatus | undefined;
    lotCode?: string | undefined;
    siteCode?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    search?: string | undefined;
    includeUnits?: boolean | undefined;
    offset: number;
    limit: number;
  }): { total: number; samples: SampleView[] } {
    const { from, to, ...rest } = f;
    const { total, rows } = this.book.q.listSamples({
      ...rest,
      fromMs: from ? this.book.localMidnight(from) : undefined,
      toMs: to ? this.book.localMidnight(addDays(to, 1)) : undefined,
    });
    return { total, samples: rows.map((r) => this.book.toView(r)) };
  }

  units(sampleId: string): SampleView[] {
    return this.book.units(sampleId);
  }

  events(sampleId: string): SampleEventView[] {
    return this.book.events(sampleId);
  }

  /** A sample with its units, parent, custody events, lot, site and what the caller may do (`perms`). */
  detail(code: string, perms: ReadonlySet<Permission>): SampleDetail {
    const r = this.mustSample(code);
    const lot = r.lot_code ? this.deps.lots.lot(r.lot_code) : undefined;
    const site = r.site_id ? this.ledger.get(S.site, r.site_id) : undefined;
    const parent = r.parent_sample_id ? this.ledger.get(S.sample, r.parent_sample_id) : undefined;
    return {
      sample: this.view(r),
      units: this.units(r.id),
      parent: parent ? this.view(parent) : null,
      events: this.events(r.id),
      lot: lot
        ? {
            code: lot.code,
            kind: lot.kind,
            itemCode: lot.item_code,
            itemName: lot.item_name,
            status: lot.status,
            expiryDate: lot.expiry_date ?? null,
          }
        : null,
      site: site ? this.siteView(site) : null,
      allowedActions: this.allowedActions(r, perms),
    };
  }

  /** What a holder of these permissions may do with the sample now (the service checks again). */
  allowedActions(r: SampleRow, perms: ReadonlySet<Permission>): Action[] {
    const out: Action[] = [];
    const status = r.status;
    const disposed = r.disposed_at !== null && r.disposed_at !== undefined;
    if (perms.has('samples.register')) {
      if (status === 'registered') out.push('receive');
      if (status !== 'cancelled' && !disposed) out.push('move');
      if (OPEN.has(status) && !disposed) out.push('cancel');
    }
    if (perms.has('samples.dispose') && this.retention.canDispose(r, this.localDate(this.ledger.now())) === null) out.push('dispose');
    return out;
  }

  // ------------------------------------------------------------------ registration

  /** The ledgered sample entity (for the testing capability's reads inside its transactions). */
  entity() {
    return S.sample;
  }

  /** The approved specification version that applies to a lot (on its date), or null. */
  specVersionFor(lotCode: string): string | null {
    return this.registration.specVersionFor(lotCode);
  }

  /** Records the specification version of a sample registered before one was approved. */
  setSpecVersion(w: LedgerWriter, sample: Row, versionId: string): SampleRow {
    return asSample(w.update(S.sample, sample.id, { spec_version_id: versionId }, { reason: 'specification version in force on the lot date' }));
  }

  /** The codes of a lot's primary samples, whose results stand behind it (units and retention samples excepted). */
  primarySampleCodes(lotCode: string): string[] {
    return this.book.q.primaryOfLot(lotCode);
  }

  /** Does the lot have a retention sample (registered, kept or disposed; a cancelled one does not count)? */
  hasRetention(lotCode: string): boolean {
    return this.registration.hasRetention(lotCode);
  }

  register(actor: Actor, i: RegisterInput): { sample: SampleView; units: SampleView[]; retention: SampleView | null } {
    return this.registration.register(actor, i);
  }

  // ------------------------------------------------------------------ custody and states

  /** Units follow their sample through receive, move and cancel (when they are in the same state). */
  private withUnits(r: SampleRow, statuses: ReadonlySet<string>): SampleRow[] {
    const units = r.parent_sample_id ? [] : this.book.q.unitsOf(r.id);
    return [r, ...units.filter((u) => statuses.has(u.status) && u.disposed_at === null)];
  }

  receive(actor: Actor, code: string, i: ReceiptInput): SampleView {
    const b = this.book;
    const r = this.mustSample(code);
    if (r.status !== 'registered') b.transitionRefused(r, 'receive');
    checkTemperature(i.temperature);
    return this.ledger.write(actor, (w) => {
      const at = instantMs(i.receivedAt, w.at, 'receivedAt');
      if (at < r.taken_at) fail('invalid_input', { field: 'receivedAt' }, 'errors.received_before_taken');
      for (const s of this.withUnits(r, new Set(['registered']))) {
        const cur = asSample(w.get(S.sample, s.id)!);
        if (cur.status !== 'registered') fail('conflict', { code: s.code }, 'errors.stale_record');
        w.update(S.sample, s.id, {
          status: 'received',
          received_by: actor.id,
          received_at: at,
          condition_on_receipt: i.condition,
          temperature: i.temperature ?? null,
          storage_location: i.storageLocation ?? s.storage_location,
        });
        b.event(w, s.id, 'received', i.storageLocation ?? null, i.condition);
      }
      return this.view(w.get(S.sample, r.id)!);
    });
  }

  move(actor: Actor, code: string, storageLocation: string, reason?: string, expectedRev?: number): SampleView {
    const r = this.mustSample(code);
    if (r.status === 'cancelled' || r.disposed_at !== null) this.book.transitionRefused(r, 'move');
    return this.ledger.write(actor, (w) => {
      mustBeRevision(this.ledger, S.sample.name, w.get(S.sample, r.id) as { id: string; rev: number }, expectedRev, { code });
      for (const s of this.withUnits(r, new Set(['registered', 'received', 'in_testing', 'complete']))) {
        w.update(S.sample, s.id, { storage_location: storageLocation }, { reason: reason ?? `moved to ${storageLocation}` });
        this.book.event(w, s.id, 'moved', storageLocation, reason ?? null);
      }
      return this.view(w.get(S.sample, r.id)!);
    });
  }

  cancel(actor: Actor, code: string, reason: string, expectedRev?: number): SampleView {
    const r = this.mustSample(code);
    if (!OPEN.has(r.status) || r.disposed_at !== null) this.book.transitionRefused(r, 'cancel');
    return this.ledger.write(actor, (w) => {
      // A stale screen (D-097): the sample as the person saw it, under the write lock.
      mustBeRevision(this.ledger, S.sample.name, w.get(S.sample, r.id) as { id: string; rev: number }, expectedRev, { code });
      for (const s of this.withUnits(r, OPEN)) {
        w.update(S.sample, s.id, { status: 'cancelled', cancel_reason: reason }, { reason });
        this.book.event(w, s.id, 'cancelled', null, reason);
      }
      return this.view(w.get(S.sample, r.id)!);
    });
  }

  /**
   * received → in_testing, called by the testing capability inside its own transaction
   * when the first test of the sample starts. No results are invented here.
   */
  startTesting(w: LedgerWriter, code: string): Row {
    const r = this.mustSample(code);
    if (r.status !== 'received') this.book.transitionRefused(r, 'start_testing');
    const row = w.update(S.sample, r.id, { status: 'in_testing' });
    this.book.event(w, r.id, 'testing_started');
    return row;
  }

  /** in_testing → complete, called by the testing capability once all its tests are reviewed. */
  complete(w: LedgerWriter, code: string): Row {
    const r = this.mustSample(code);
    if (r.status !== 'in_testing') this.book.transitionRefused(r, 'complete');
    const row = w.update(S.sample, r.id, { status: 'complete' });
    this.book.event(w, r.id, 'completed');
    return row;
  }

  /** A label print (first print or reprint), recorded as a custody event; for the label pipeline. */
  recordLabelPrint(actor: Actor, code: string, detail: string | null = null): SampleEventView {
    const r = this.mustSample(code);
    return this.ledger.write(actor, (w) => {
      const printed = this.book.q.labelPrinted(r.id);
      this.book.event(w, r.id, printed ? 'label_reprinted' : 'label_printed', null, detail);
      return this.events(r.id).at(-1)!;
    });
  }

  /** Prints the sample's label to PDF (the documents capability) and records the print in its custody. */
  async printLabel(
    actor: Actor,
    code: string,
    opts: { size: LabelSize; locale: Locale },
  ): Promise<{ documentId: string; fileName: string; base64: string; sha256: string; reprint: boolean }> {
    const r = this.mustSample(code);
    const v = this.view(r);
    const lot = v.lotCode ? this.deps.lots.lot(v.lotCode) : undefined;
    const item = lot
      ? (this.deps.catalog.byCode('products', lot.item_code) ?? this.deps.catalog.byCode('materials', lot.item_code))
      : undefined;
    const doc = await printLabel(
      this.deps.documents,
      actor,
      {
        sampleId: v.code,
        lotCode: v.lotCode,
        kind: v.kind,
        date: v.takenAt.slice(0, 10),
        productName: { zh: item?.nameZh ?? null, en: item?.nameEn ?? (lot ? lot.item_name : null) },
        site: v.siteCode,
      },
      { size: opts.size, locale: opts.locale, subject: { entity: 'sample', id: r.id } },
    );
    // The custody record says who printed it and whether it was a reprint.
    this.recordLabelPrint(actor, code, `${opts.size} ${doc.fileName} sha256 ${doc.sha256.slice(0, 12)}`);
    return { documentId: doc.id, fileName: doc.fileName, base64: readFileSync(doc.file).toString('base64'), sha256: doc.sha256, reprint: doc.reprint };
  }

  // ------------------------------------------------------------------ retention samples

  retentionDue(withinDays: number, offset: number, limit: number): { total: number; samples: SampleView[] } {
    return this.retention.retentionDue(withinDays, offset, limit);
  }

  dispose(signerId: string, code: string, reason: string, signature: { password: string; meaning: string }): Promise<SampleView> {
    return this.retention.dispose(signerId, code, reason, signature);
  }

  retentionMissingList(f: { lotCode?: string | undefined; offset: number; limit: number }) {
    return this.retention.retentionMissingList(f);
  }

  /** Is this finished lot missing its retention sample (the flag on its page)? */
  retentionMissing(lotCode: string): boolean {
    return this.retention.retentionMissing(lotCode);
  }

  // ------------------------------------------------------------------ sampling sites

  siteView(site: Row): SiteView {
    return this.siteBook.siteView(site);
  }

  sites(f: { kind?: string | undefined; includeInactive?: boolean | undefined; search?: string | undefined }): SiteView[] {
    return this.siteBook.sites(f);
  }

  saveSite(actor: Actor, i: SiteInput): SiteView {
    return this.siteBook.saveSite(actor, i);
  }

  saveSchedule(actor: Actor, i: ScheduleInput): SiteView {
    return this.siteBook.saveSchedule(actor, i);
  }

  due(date?: string) {
    return this.siteBook.due(date);
  }

  // ------------------------------------------------------------------ scanner

  /**
   * What a scanned code opens: a sample first, then a lot. Both lookups use a UNIQUE index
   * on code. A scanner in the wrong keyboard case sends lower case: tried upper-cased too.
   */
  lookup(raw: string): { type: 'sample' | 'lot'; code: string } {
    const code = raw.trim();
    for (const c of code === code.toUpperCase() ? [code] : [code, code.toUpperCase()]) {
      const s = this.book.q.sampleCode(c);
      if (s) return { type: 'sample', code: s };
      const l = this.deps.lots.lot(c);
      if (l) return { type: 'lot', code: l.code };
    }
    fail('not_found', { code }, 'errors.scan_unknown');
  }
}
