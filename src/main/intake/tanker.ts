import type { z } from 'zod';
import type {
  Declarations,
  IntakeView,
  TankerDocumentInput,
  intakeCheckSchema,
  intakeDetailSchema,
} from '../../shared/contract/channels/intake';
import type { SignatureView } from '../../shared/contract/common';
import { fail } from '../../shared/contract/errors';
import { permissionsOf, type SignatureMeaning } from '../../shared/domain/roles';
import { limitText } from '../../shared/rules';
import { actorOf, userRoles, type IdentityService } from '../identity';
import type { Actor, Ledger } from '../ledger/ledger';
import { asLot, L } from '../lots';
import type { SamplesService } from '../samples';
import type { Appeals } from './appeals';
import { rejectBasisOf, ruleOf } from './built-in-panel';
import { I } from './entities';
import type { LateFailures } from './late-failures';
import type { Panels } from './panels';
import type { IntakeListFilter, IntakeQueries, IntakeRecord, ItemRules, LotRow } from './queries';
import type { SamplingLevels } from './sampling';
import type { TankerDocuments } from './tanker-documents';
import { iso, mustTanker } from './tanker-lot';

type IntakeDetail = z.infer<typeof intakeDetailSchema>;
type IntakeCheck = z.infer<typeof intakeCheckSchema>;

const REFUSING: ReadonlyArray<keyof Declarations> = ['noColostrum', 'noTreatment', 'withdrawalRespected'];

/** What the tanker intake needs of its neighbours in the intake capability. */
export interface TankerNeighbours {
  panels: Panels;
  levels: SamplingLevels;
  documents: TankerDocuments;
  late: LateFailures;
  appeals: Appeals;
}

/**
 * The tanker's reception and decision (issue 9 §1–3, issue 20 §4): receipt declarations, the
 * panel planned as tests of the tanker's sample (testing model), checks and proposal always
 * recomputed from the records, the signed decision with its guards evaluated again in the
 * deciding transaction, and whether the 第二十八条 report applies.
 */
export class TankerIntake {
  private readonly panels: Panels;
  private readonly levels: SamplingLevels;
  private readonly documents: TankerDocuments;
  private readonly late: LateFailures;
  private readonly appeals: Appeals;

  constructor(
    private readonly ledger: Ledger,
    private readonly q: IntakeQueries,
    private readonly identity: Pick<IdentityService, 'authenticateSigner' | 'sign'>,
    private readonly samples: Pick<SamplesService, 'sampleRow' | 'register'>,
    n: TankerNeighbours,
    /** The spot checks of a lot (the register, src/main/intake/spot-checks.ts), shown on its intake. */
    private readonly spotChecksFor: (lotCode: string) => IntakeDetail['spotChecks'],
    private readonly signatureViews: (entity: string, id: string) => SignatureView[],
  ) {
    this.panels = n.panels;
    this.levels = n.levels;
    this.documents = n.documents;
    this.late = n.late;
    this.appeals = n.appeals;
  }

  private intakeRow(lotCode: string): IntakeRecord | undefined {
    return this.q.intake(lotCode);
  }

  private mustTanker(lotCode: string): LotRow {
    return mustTanker(this.q, lotCode);
  }

  private supplierName(code: string): string | null {
    return this.q.supplierName(code);
  }

  /** The item rules recorded at the start (intakes before issue 20: every item gating, the built-in bases). */
  private itemRules(intake: IntakeRecord | undefined): ItemRules {
    return intake?.item_rules ?? {};
  }

  view(r: IntakeRecord): IntakeView {
    const status = r.status;
    const causes = r.reject_causes;
    return {
      id: r.id,
      lotCode: r.lot_code,
      supplierCode: r.supplier_code,
      supplierName: this.supplierName(r.supplier_code),
      declarations: r.declarations,
      samplingLevel: r.sampling_level,
      panelCode: r.panel_code ?? null,
      sampleCode: r.sample_code ?? null,
      status,
      rejectCauses: causes,
      decisionReason: r.decision_reason ?? null,
      decidedBy: r.decided_by ?? null,
      decidedAt: iso(r.decided_at),
      reportDocumentId: r.report_document_id ?? null,
      openedBy: r.opened_by,
      openedAt: iso(r.opened_at)!,
      // Rejections recorded before issue 20 carry no basis: it is read from their causes.
      rejectBasis: status !== 'rejected' ? null : (r.reject_basis ?? rejectBasisOf(causes, this.itemRules(r))),
    };
  }

  /** Checks, proposal and causes from the records (never stored: always recomputed). */
  private evaluate(intake: IntakeRecord | undefined): {
    checks: IntakeCheck[];
    proposal: 'accept' | 'reject' | 'incomplete';
    causes: string[];
    unsubmitted: string[];
    pendingRetrospective: string[];
  } {
    const causes: string[] = [];
    const checks: IntakeCheck[] = [];
    const unsubmitted: string[] = [];
    const pendingRetrospective: string[] = [];
    const rules = this.itemRules(intake);
    if (intake) {
      const d = intake.declarations;
      for (const k of ['noColostrum', 'noTreatment', 'withdrawalRespected', 'healthCertificates'] as const)
        if (!d[k]) causes.push(`declaration.${k}`);
    }
    const sampleCode = intake?.sample_code ?? null;
    let incomplete = !intake;
    if (sampleCode) {
      const s = this.samples.sampleRow(sampleCode);
      const rows = s ? this.q.panelResults(s.id) : [];
      let gating = 0;
      for (const r of rows) {
        const item = r.item;
        const verdict = r.verdict ?? null;
        const { timing, rule } = ruleOf(rules, item.code);
        const status = r.status;
        checks.push({
          code: item.code,
          nameZh: item.name_zh,
          nameEn: item.name_en,
          unit: item.unit,
          limitText: item.limit_form === 'sampling_plan' && item.n === 1 ? 'negative' : limitText(item),
          screen: item.limit_form === 'sampling_plan' && item.n === 1,
          resultId: r.id,
          status,
          reported: r.reported ?? null,
          verdict,
          timing,
          rule,
          submittedAt: iso(r.submitted_at),
        });
        // A retrospective failure counts once submitted (before the decision it is a cause).
        if (verdict === 'fail' && (timing === 'gating' || status === 'submitted' || status === 'reviewed'))
          causes.push(`check.${item.code}`);
        if (timing === 'retrospective') {
          if (status !== 'submitted' && status !== 'reviewed') pendingRetrospective.push(item.code);
          continue;
        }
        gating++;
        if (verdict === null || verdict === 'invalid') incomplete = true;
        if (status === 'entered' || status === 'returned') unsubmitted.push(item.code);
      }
      if (gating === 0) incomplete = true;
    }
    const refused = intake?.status === 'refused';
    return {
      checks,
      proposal: causes.length > 0 || refused ? 'reject' : incomplete ? 'incomplete' : 'accept',
      causes,
      unsubmitted,
      pendingRetrospective,
    };
  }

  /** Does the 第二十八条 report apply: a rejection on a national item, or a late failure of one? */
  reportRequired(lotCode: string): boolean {
    const intake = this.intakeRow(lotCode);
    if (!intake) return false;
    if (intake.status === 'rejected') return this.view(intake).rejectBasis === 'national';
    return this.late.failedResults(lotCode).some((r) => r.rule === 'national');
  }

  detail(lotCode: string): IntakeDetail {
    const lot = this.mustTanker(lotCode);
    const receipt = this.q.receipt(lot.receipt_id!);
    const supplierCode = lot.supplier_code ?? '';
    const intake = this.intakeRow(lotCode);
    const e = this.evaluate(intake);
    return {
      lot: {
        code: lot.code,
        status: lot.status,
        quantity: lot.quantity,
        unit: lot.unit,
        date: lot.lot_date.slice(0, 10),
      },
      receipt: receipt
        ? {
            vehicle: receipt.vehicle ?? null,
            farms: receipt.farms,
            temperature: receipt.temperature ?? null,
            receivedAt: iso(receipt.received_at),
            condition: receipt.condition ?? null,
          }
        : null,
      supplier: { code: supplierCode, name: this.supplierName(supplierCode) ?? supplierCode },
      sampling: this.levels.sampling(supplierCode),
      intake: intake ? this.view(intake) : null,
      ...e,
      signatures: intake ? this.signatureViews('raw_milk_intake', intake.id) : [],
      appeals: intake ? this.appeals.appeals({ lotCode }) : [],
      spotChecks: this.spotChecksFor(lotCode),
      documents: this.documents.view(intake, lot),
      reportRequired: this.reportRequired(lotCode),
      lateFailures: intake?.status === 'accepted' ? this.late.list({ lotCode }) : [],
    };
  }

  list(f: IntakeListFilter) {
    const { total, rows } = this.q.intakePage(f);
    // Tankers received with no intake started yet: the bench's queue.
    const awaiting = this.q.awaitingIntake();
    return {
      total,
      items: rows.map((r) => this.view(r)),
      awaiting: awaiting.map((a) => ({
        lotCode: a.lot_code,
        supplierCode: a.supplier_code,
        receivedAt: iso(a.received_at),
      })),
    };
  }

  start(
    actor: Actor,
    lotCode: string,
    declarations: Declarations,
    samplingPoint: string,
    note?: string,
    documents: TankerDocumentInput[] = [],
  ): IntakeDetail {
    const lot = this.mustTanker(lotCode);
    if (this.intakeRow(lotCode)) fail('conflict', { lot: lotCode }, 'errors.intake_exists');
    if (lot.status !== 'quarantine')
      fail('conflict', { lot: lotCode, status: lot.status }, 'errors.intake_lot_decided');
    const docs = this.documents.check(documents, lot);
    const supplier = lot.supplier_code!;
    const refused = REFUSING.some((k) => !declarations[k]);
    // 第二十四条: colostrum and milk of cows under treatment or in a withdrawal period are
    // not bought at all: no sample is taken, the tanker awaits its signed rejection.
    let sampleCode: string | null = null;
    if (!refused) {
      sampleCode =
        this.q.tankerSample(lotCode) ??
        this.samples.register(actor, {
          kind: 'raw_milk_tanker',
          lotCode,
          samplingPoint,
          quantity: '500',
          unit: 'mL',
          container: 'sterile bottle',
          receipt: { condition: 'intact' },
          ...(note ? { note } : {}),
        }).sample.code;
    }
    const level = this.levels.sampling(supplier).level;
    // When and against what each planned item is judged, fixed for this intake.
    const rules: ItemRules = {};
    if (!refused) for (const i of this.panels.levelItems(supplier)) rules[i.code] = { timing: i.timing, rule: i.rule };
    this.ledger.write(actor, (w) => {
      if (this.intakeRow(lotCode)) fail('conflict', { lot: lotCode }, 'errors.intake_exists');
      const intake = w.create(I.intake, {
        lot_code: lotCode,
        supplier_code: supplier,
        declarations: JSON.stringify(declarations),
        sampling_level: level,
        panel_code: refused ? null : this.panels.panelFor(supplier).code,
        sample_code: sampleCode,
        status: refused ? 'refused' : 'testing',
        proposal: null,
        reject_causes: null,
        decision_reason: null,
        decided_by: null,
        decided_at: null,
        report_document_id: null,
        opened_by: actor.id,
        opened_at: w.at,
        item_rules: JSON.stringify(rules),
        reject_basis: null,
      });
      w.create(I.documents, {
        intake_id: intake.id,
        lot_code: lotCode,
        documents: JSON.stringify(docs.items),
        deficient: JSON.stringify(docs.deficient),
        recorded_by: actor.id,
        recorded_at: w.at,
        override_reason: null,
        override_by: null,
        override_at: null,
      });
    });
    return this.detail(lotCode);
  }

  async decide(
    signerId: string,
    lotCode: string,
    decision: 'accept' | 'reject',
    reason: string,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
  ): Promise<IntakeDetail> {
    const expected = decision === 'accept' ? 'accepted' : 'rejected';
    if (meaning !== expected)
      fail('invalid_input', { field: 'signature.meaning', expected }, 'errors.signature_meaning_mismatch');
    const lot = this.mustTanker(lotCode);
    const intake = this.intakeRow(lotCode);
    if (!intake) fail('conflict', { lot: lotCode }, 'errors.intake_not_started');
    const status = intake.status;
    if (status === 'accepted' || status === 'rejected')
      fail('conflict', { lot: lotCode, status }, 'errors.intake_decided');
    const e = this.evaluate(intake);
    if (decision === 'accept') {
      if (status === 'refused') fail('conflict', { lot: lotCode }, 'errors.intake_declaration_refused');
      if (e.proposal === 'reject')
        fail('conflict', { lot: lotCode, causes: e.causes.join(', ') }, 'errors.intake_checks_failed');
      if (e.proposal === 'incomplete') fail('conflict', { lot: lotCode }, 'errors.intake_incomplete');
      if (e.unsubmitted.length) fail('conflict', { items: e.unsubmitted.join(', ') }, 'errors.intake_unsubmitted');
      this.documents.mustHave(intake, lotCode);
    }
    const signer = await this.identity.authenticateSigner(signerId, password);
    if (decision === 'reject') {
      if (!permissionsOf(userRoles(signer)).has('intake.reject'))
        fail('forbidden', { permission: 'intake.reject', signer: signer.id }, 'errors.intake_reject_needs_qa');
    }
    this.ledger.write(actorOf(signer), (w) => {
      const cur = w.get(I.intake, intake.id)!;
      if (cur.rev !== intake.rev) fail('conflict', { lot: lotCode }, 'errors.stale_record');
      const lotNow = asLot(w.get(L.lot, lot.id)!);
      if (lotNow.status !== 'quarantine')
        fail('conflict', { lot: lotCode, status: lotNow.status }, 'errors.intake_lot_decided');
      // The documents guard is evaluated again inside the transaction that acts on it.
      if (decision === 'accept') this.documents.mustHave(intake, lotCode);
      const to = decision === 'accept' ? 'accepted' : 'rejected';
      const basis = decision === 'reject' ? rejectBasisOf(e.causes, this.itemRules(intake)) : null;
      w.update(
        I.intake,
        intake.id,
        {
          status: to,
          proposal: e.proposal,
          reject_causes: decision === 'reject' ? JSON.stringify(e.causes) : null,
          decision_reason: reason,
          decided_by: signer.id,
          decided_at: w.at,
          reject_basis: basis,
        },
        { reason },
      );
      this.identity.sign(
        w,
        signer,
        { def: I.intake, id: intake.id },
        { meaning: expected, comment: comment ?? reason },
      );
      w.update(L.lot, lot.id, { status: to }, { reason: `raw milk intake ${to}: ${reason}` });
      this.identity.sign(w, signer, { def: L.lot, id: lot.id }, { meaning: expected, comment: comment ?? reason });
      const supplier = lot.supplier_code!;
      if (decision === 'reject')
        this.levels.recordFailure(w, supplier, `tanker ${lotCode} rejected (${e.causes.join(', ') || reason})`);
      else this.levels.recordPass(w, supplier, `tanker ${lotCode} accepted`);
    });
    return this.detail(lotCode);
  }

  setReport(actor: Actor, lotCode: string, documentId: string): void {
    const intake = this.intakeRow(lotCode)!;
    if (intake.report_document_id) return;
    this.ledger.write(actor, (w) => {
      w.update(I.intake, intake.id, { report_document_id: documentId }, { reason: 'authority report generated' });
    });
  }

  /** The intake of a tanker whose milk failed the national standard (the 第二十八条 report applies), else a refusal. */
  mustReportable(lotCode: string): IntakeRecord {
    const intake = this.intakeRow(lotCode);
    if (!intake || (intake.status !== 'rejected' && intake.status !== 'accepted'))
      fail('conflict', { lot: lotCode }, 'errors.intake_not_rejected');
    if (!this.reportRequired(lotCode)) {
      const basis = this.view(intake).rejectBasis;
      fail(
        'conflict',
        { lot: lotCode, basis: basis ?? 'none' },
        intake.status === 'rejected' ? 'errors.intake_report_not_national' : 'errors.intake_not_rejected',
      );
    }
    return intake;
  }

  openIntake(lotCode: string): { lot: LotRow; intake: IntakeRecord } {
    const lot = this.mustTanker(lotCode);
    const intake = this.intakeRow(lotCode);
    if (!intake) fail('conflict', { lot: lotCode }, 'errors.intake_not_started');
    if (intake.status === 'accepted' || intake.status === 'rejected')
      fail('conflict', { lot: lotCode, status: intake.status }, 'errors.intake_decided');
    return { lot, intake };
  }
}
