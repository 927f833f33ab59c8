import type { z } from 'zod';
import type {
  Declarations,
  IntakeView,
  TankerDocumentInput,
  intakeDetailSchema,
  lateFailureDetailSchema,
} from '../../shared/contract/channels/intake';
import type { SignatureView } from '../../shared/contract/common';
import type { SignatureMeaning } from '../../shared/domain/roles';
import type { TestItem, WorkCalendar } from '../../shared/rules';
import type { IdentityService } from '../identity';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { localDate } from '../lots';
import type { SamplesService } from '../samples';
import { Appeals } from './appeals';
import { rejectBasisOf } from './built-in-panel';
import { IntakeCalendar } from './calendar';
import { LateFailures } from './late-failures';
import { Panels } from './panels';
import { intakeQueries, type IntakeOwners, type IntakeListFilter, type IntakeRecord, type ItemRules } from './queries';
import { SamplingLevels } from './sampling';
import { SupplierPerformance } from './supplier-performance';
import { TankerIntake } from './tanker';
import { TankerDocuments } from './tanker-documents';

type IntakeDetail = z.infer<typeof intakeDetailSchema>;
type LateFailureDetail = z.infer<typeof lateFailureDetailSchema>;

/** What intake needs of identity: signing, the signer's re-authentication, a user's printed name. */
export type IntakeIdentity = Pick<IdentityService, 'authenticateSigner' | 'sign' | 'getUser'>;

/**
 * Raw milk intake (issue 9 §1–3, §5; issue 20 §4), one service over its sub-capabilities:
 * the panels and sampling levels (panels.ts, sampling.ts), the tanker's reception and signed
 * decision (tanker.ts) with its documents (tanker-documents.ts) and late failures
 * (late-failures.ts), the working calendar (calendar.ts), legacy appeals (appeals.ts) and
 * supplier performance (supplier-performance.ts). Other capabilities and the handlers call
 * this service; each method hands the call to the part that owns it.
 */
export class IntakeService {
  readonly panelsOf: Panels;
  readonly levels: SamplingLevels;
  readonly tankers: TankerIntake;
  readonly documents: TankerDocuments;
  readonly late: LateFailures;
  readonly workCalendar: IntakeCalendar;
  readonly legacyAppeals: Appeals;
  readonly suppliers: SupplierPerformance;

  constructor(
    private readonly ledger: Ledger,
    identity: IntakeIdentity,
    samples: Pick<SamplesService, 'sampleRow' | 'register'>,
    /** The spot checks of a lot (the register, src/main/intake/spot-checks.ts), shown on its intake. */
    spotChecksFor: (lotCode: string) => IntakeDetail['spotChecks'],
    /** The signatures of a record as screens and printouts show them. */
    signatureViews: (entity: string, id: string) => SignatureView[],
    /** The reads intake asks of the capabilities that own the data (lots, catalog, samples, testing). */
    owners: IntakeOwners,
  ) {
    const q = intakeQueries(ledger.db, owners);
    this.levels = new SamplingLevels(ledger, q);
    this.panelsOf = new Panels(ledger, q, this.levels);
    this.documents = new TankerDocuments(ledger, q, identity, (lotCode) => this.tankers.openIntake(lotCode));
    this.late = new LateFailures(ledger, q, identity, signatureViews);
    this.workCalendar = new IntakeCalendar(ledger, q);
    this.legacyAppeals = new Appeals(ledger, q);
    this.suppliers = new SupplierPerformance(q, this.levels);
    this.tankers = new TankerIntake(
      ledger,
      q,
      identity,
      samples,
      {
        panels: this.panelsOf,
        levels: this.levels,
        documents: this.documents,
        late: this.late,
        appeals: this.legacyAppeals,
      },
      spotChecksFor,
      signatureViews,
    );
  }

  today(): string {
    return localDate(this.ledger.timeZone, this.ledger.now());
  }

  // ------------------------------------------------------------------ panels and sampling levels
  panels() {
    return this.panelsOf.panels();
  }
  panelFor(supplierCode: string) {
    return this.panelsOf.panelFor(supplierCode);
  }
  savePanel(actor: Actor, i: Parameters<Panels['savePanel']>[1]) {
    return this.panelsOf.savePanel(actor, i);
  }
  /** The panel items a tanker sample gets (testing's hook, when it plans a sample). */
  panelItems(lot: { kind: string; supplier_code: string | null }): TestItem[] | null {
    return this.panelsOf.panelItems(lot);
  }
  sampling(supplierCode: string) {
    return this.levels.sampling(supplierCode);
  }
  samplingHistory(supplierCode: string) {
    return this.levels.samplingHistory(supplierCode);
  }
  configureSampling(actor: Actor, supplierCode: string, passesRequired: number, reason: string) {
    return this.levels.configureSampling(actor, supplierCode, passesRequired, reason);
  }
  /** A failed delivery (rejected tanker, failed ingredient inspection): the supplier's next deliveries are tightened. */
  recordFailure(w: LedgerWriter, supplierCode: string, why: string): void {
    this.levels.recordFailure(w, supplierCode, why);
  }
  /** A passing delivery: counts toward restoring normal sampling. */
  recordPass(w: LedgerWriter, supplierCode: string, why: string): void {
    this.levels.recordPass(w, supplierCode, why);
  }

  // ------------------------------------------------------------------ the tanker
  rejectBasisOf(causes: string[], rules: ItemRules): 'national' | 'plant' | 'declaration' {
    return rejectBasisOf(causes, rules);
  }
  view(r: IntakeRecord): IntakeView {
    return this.tankers.view(r);
  }
  reportRequired(lotCode: string): boolean {
    return this.tankers.reportRequired(lotCode);
  }
  detail(lotCode: string): IntakeDetail {
    return this.tankers.detail(lotCode);
  }
  list(f: IntakeListFilter) {
    return this.tankers.list(f);
  }
  start(
    actor: Actor,
    lotCode: string,
    declarations: Declarations,
    samplingPoint: string,
    note?: string,
    documents: TankerDocumentInput[] = [],
  ): IntakeDetail {
    return this.tankers.start(actor, lotCode, declarations, samplingPoint, note, documents);
  }
  decide(
    signerId: string,
    lotCode: string,
    decision: 'accept' | 'reject',
    reason: string,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
  ): Promise<IntakeDetail> {
    return this.tankers.decide(signerId, lotCode, decision, reason, password, meaning, comment);
  }
  setReport(actor: Actor, lotCode: string, documentId: string): void {
    this.tankers.setReport(actor, lotCode, documentId);
  }
  /** The intake of a tanker whose milk failed the national standard (the 第二十八条 report applies), else a refusal. */
  mustReportable(lotCode: string): IntakeRecord {
    return this.tankers.mustReportable(lotCode);
  }

  // ------------------------------------------------------------------ the tanker's documents
  /** Records the documents again (a slip brought later, a number corrected); an earlier override no longer applies. */
  saveDocuments(actor: Actor, lotCode: string, documents: TankerDocumentInput[], reason: string): IntakeDetail {
    this.documents.save(actor, lotCode, documents, reason);
    return this.tankers.detail(lotCode);
  }
  /** A QA manager's signed exception (`override`) for the deficiencies on record. */
  async overrideDocuments(
    signerId: string,
    lotCode: string,
    reason: string,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
  ): Promise<IntakeDetail> {
    await this.documents.override(signerId, lotCode, reason, password, meaning, comment);
    return this.tankers.detail(lotCode);
  }

  // ------------------------------------------------------------------ late failures
  lateFailures(f: { status?: 'open' | 'held' | undefined; lotCode?: string | undefined }) {
    return this.late.list(f);
  }
  lateFailure(lotCode: string): LateFailureDetail {
    return this.late.get(lotCode);
  }
  holdLateFailure(
    signerId: string,
    lotCode: string,
    lotCodes: string[],
    reason: string,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
  ): Promise<LateFailureDetail> {
    return this.late.hold(signerId, lotCode, lotCodes, reason, password, meaning, comment);
  }

  // ------------------------------------------------------------------ calendar, appeals, suppliers
  calendar(): WorkCalendar {
    return this.workCalendar.calendar();
  }
  calendarList(year: number) {
    return this.workCalendar.calendarList(year);
  }
  saveCalendarDay(
    actor: Actor,
    date: string,
    kind: 'holiday' | 'workday' | null,
    name: string | null,
    reason?: string,
  ) {
    return this.workCalendar.saveCalendarDay(actor, date, kind, name, reason);
  }
  appeals(f: Parameters<Appeals['appeals']>[0]) {
    return this.legacyAppeals.appeals(f);
  }
  /** A legacy appeal still standing (not carried forward or retired). */
  legacyAppeal(id: string) {
    return this.legacyAppeals.legacyAppeal(id);
  }
  retireAppeal(actor: Actor, id: string, reason: string, w?: LedgerWriter): { ok: true } {
    return this.legacyAppeals.retireAppeal(actor, id, reason, w);
  }
  performance(from: string, to: string, supplierCode?: string) {
    return this.suppliers.performance(from, to, supplierCode);
  }
}
