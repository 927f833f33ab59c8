import type { z } from 'zod';
import type {
  SpotCheckView,
  spotCheckClosures,
  spotCheckItemSchema,
  spotCheckSubjects,
} from '../../shared/contract/channels/intake';
import { fail } from '../../shared/contract/errors';
import type { QuantityUnit } from '../../shared/domain/units';
import {
  applyDeadline,
  nextDeadline,
  reportDeadline,
  retestDateProblem,
  retestRuleFor,
  retestRules,
  sameLab,
  spotCheckStage,
} from '../../shared/rules/retest';
import type { Value } from '../ledger/entities';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { nextSequencedCode } from '../lots';
import type { ReleaseEvidenceService } from '../release-evidence';
import { I } from './entities';
import type { IntakeService } from './intake-service';
import { intakeQueries, type IntakeOwners, type IntakeQueries, spotCheckItems, spotCheckRecord, type SpotCheckRecord } from './queries';

type Item = z.infer<typeof spotCheckItemSchema>;
type Subject = (typeof spotCheckSubjects)[number];
type Closure = (typeof spotCheckClosures)[number];

/** The columns a change of a spot check may set. */
type Patch = Pick<
  SpotCheckRecord,
  | 'disputed'
  | 'applied_on'
  | 'applied_to'
  | 'retest_lab'
  | 'retest_sample_received_on'
  | 'report_deadline'
  | 'report_received_on'
  | 'closure'
  | 'status'
  | 'note'
>;

/**
 * The register of government spot checks (监督抽查) of raw milk and of the plant's products
 * (issue 20 §4). For a nonconforming result: the re-test application deadline (第二十七条: 5
 * working days from receiving the result, on the plant's calendar with 调休), the authority
 * applied to, a re-test lab that is not the first lab, the report deadline (7 working days
 * from the re-test lab receiving the sample) and the retention sample withdrawn for it.
 * Appeals recorded before issue 20 against the plant's own rejections are carried forward
 * into this register by a QA manager (a new record naming the old one, which is retired
 * with the reason) or retired with a reason; they are never rewritten.
 */
export class SpotCheckService {
  private readonly q: IntakeQueries;

  constructor(
    private readonly ledger: Ledger,
    private readonly intake: IntakeService,
    private readonly evidence: ReleaseEvidenceService,
    /** The reads intake asks of the capabilities that own the data (lots, catalog, samples, testing). */
    owners: IntakeOwners,
  ) {
    this.q = intakeQueries(this.ledger.db, owners);
  }

  private row(code: string): SpotCheckRecord {
    const r = this.q.spotCheck(code);
    if (!r) fail('not_found', { entity: 'spot_check', id: code }, 'errors.spot_check_not_found');
    return r;
  }

  view(r: SpotCheckRecord): SpotCheckView {
    const rule = retestRules[r.rule];
    const stage = spotCheckStage({
      result: r.result,
      receivedOn: r.received_on,
      appliedOn: r.applied_on ?? null,
      sampleReceivedOn: r.retest_sample_received_on ?? null,
      reportReceivedOn: r.report_received_on ?? null,
      closure: r.closure ?? null,
    });
    const next = nextDeadline(
      stage,
      { apply: r.apply_deadline ?? null, report: r.report_deadline ?? null },
      r.report_received_on ?? null,
      this.intake.today(),
    );
    const wid = r.retention_withdrawal_id ?? null;
    const w = wid ? this.evidence.withdrawal(wid) : undefined;
    return {
      id: r.id,
      rev: r.rev,
      code: r.code,
      subject: r.subject,
      lotCode: r.lot_code ?? null,
      supplierCode: r.supplier_code ?? null,
      sampleDesc: r.sample_desc,
      authority: r.authority,
      firstLab: r.first_lab,
      sampledOn: r.sampled_on,
      reportNo: r.report_no ?? null,
      receivedOn: r.received_on,
      items: spotCheckItems<Item>(r),
      result: r.result,
      rule: {
        id: rule.id,
        applyDays: rule.applyDays,
        reportDays: rule.reportDays,
        differentLab: rule.differentLab,
        verified: rule.verified,
        sourceZh: rule.sourceZh,
        sourceEn: rule.sourceEn,
      },
      applyDeadline: r.apply_deadline ?? null,
      disputed: r.disputed === 1,
      appliedOn: r.applied_on ?? null,
      appliedTo: r.applied_to ?? null,
      retestLab: r.retest_lab ?? null,
      retestSampleReceivedOn: r.retest_sample_received_on ?? null,
      reportDeadline: r.report_deadline ?? null,
      reportReceivedOn: r.report_received_on ?? null,
      retention: w
        ? {
            withdrawalId: w.id,
            sampleCode: w.sample_code,
            quantity: w.quantity,
            unit: w.unit,
            at: new Date(w.withdrawn_at).toISOString(),
          }
        : null,
      closure: r.closure ?? null,
      stage,
      nextDeadline: next.deadline,
      nextDeadlineKind: next.kind,
      overdue: next.overdue,
      legacyAppealId: r.legacy_appeal_id ?? null,
      note: r.note ?? null,
    };
  }

  list(f: {
    subject?: Subject | undefined;
    stages?: string[] | undefined;
    overdueOnly?: boolean | undefined;
    lotCode?: string | undefined;
    supplierCode?: string | undefined;
  }): SpotCheckView[] {
    const rows = this.q.spotChecks(f).map((r) => this.view(r));
    return rows.filter((r) => (!f.stages?.length || f.stages.includes(r.stage)) && (!f.overdueOnly || r.overdue));
  }

  get(code: string): SpotCheckView {
    return this.view(this.row(code));
  }

  private checkSubject(subject: Subject, lotCode: string | null, supplierCode: string | null): void {
    if (lotCode) {
      const kind = this.q.lotKind(lotCode);
      if (!kind) fail('not_found', { entity: 'lot', id: lotCode }, 'errors.lot_not_found');
      const ok = subject === 'raw_milk' ? kind === 'raw_milk' : kind === 'finished' || kind === 'intermediate';
      if (!ok) fail('invalid_input', { field: 'lotCode', lot: lotCode, kind }, 'errors.spot_check_lot_kind');
    }
    if (supplierCode && !this.q.supplierExists(supplierCode))
      fail('not_found', { entity: 'supplier', id: supplierCode }, 'errors.supplier_unknown');
    if (subject === 'product' && supplierCode)
      fail('invalid_input', { field: 'supplierCode' }, 'errors.spot_check_product_supplier');
  }

  private newRecord(
    w: LedgerWriter,
    i: {
      subject: Subject;
      lotCode: string | null;
      supplierCode: string | null;
      sampleDesc: string;
      authority: string;
      firstLab: string;
      sampledOn: string;
      reportNo: string | null;
      receivedOn: string;
      items: Item[];
      note: string | null;
    },
    carried: Record<string, Value> = {},
    reason?: string,
  ): SpotCheckRecord {
    const today = this.intake.today();
    if (i.sampledOn > today) fail('invalid_input', { field: 'sampledOn' }, 'errors.date_in_future');
    if (i.receivedOn > today) fail('invalid_input', { field: 'receivedOn' }, 'errors.date_in_future');
    if (i.receivedOn < i.sampledOn) fail('invalid_input', { field: 'receivedOn' }, 'errors.spot_check_date_order');
    const result = i.items.every((x) => x.conforming) ? 'conforming' : 'nonconforming';
    const rule = retestRuleFor(i.subject);
    const code = nextSequencedCode(w, {
      namespace: 'spot_check',
      pattern: 'CJ{yyyy}-{seq4}',
      timeZone: this.ledger.timeZone,
      seqDigits: 4,
      taken: (c) => this.q.spotCheckCodeTaken(c),
    });
    const row = w.create(
      I.spotCheck,
      {
        code,
        subject: i.subject,
        lot_code: i.lotCode,
        supplier_code: i.supplierCode,
        sample_desc: i.sampleDesc,
        authority: i.authority,
        first_lab: i.firstLab,
        sampled_on: i.sampledOn,
        report_no: i.reportNo,
        received_on: i.receivedOn,
        items: JSON.stringify(i.items),
        result,
        rule: rule.id,
        apply_deadline: result === 'nonconforming' ? applyDeadline(rule, i.receivedOn, this.intake.calendar()) : null,
        disputed: 0,
        applied_on: null,
        applied_to: null,
        retest_lab: null,
        retest_sample_received_on: null,
        report_deadline: null,
        report_received_on: null,
        retention_withdrawal_id: null,
        closure: null,
        status: result === 'conforming' ? 'conforming' : 'open',
        legacy_appeal_id: null,
        note: i.note,
        ...carried,
      },
      reason ? { reason } : undefined,
    );
    return spotCheckRecord(row);
  }

  create(
    actor: Actor,
    i: {
      subject: Subject;
      lotCode: string | null;
      supplierCode: string | null;
      sampleDesc: string;
      authority: string;
      firstLab: string;
      sampledOn: string;
      reportNo: string | null;
      receivedOn: string;
      items: Item[];
      note: string | null;
    },
  ): SpotCheckView {
    let supplier = i.supplierCode;
    if (i.subject === 'raw_milk' && i.lotCode && !supplier) {
      supplier = this.q.lotSupplier(i.lotCode);
    }
    this.checkSubject(i.subject, i.lotCode, supplier);
    return this.ledger.write(actor, (w) => this.view(this.newRecord(w, { ...i, supplierCode: supplier })));
  }

  /** The next state of a record after a change, checked; returns the patch. */
  private next(
    cur: SpotCheckRecord,
    i: {
      disputed?: boolean | undefined;
      appliedOn?: string | null | undefined;
      appliedTo?: string | null | undefined;
      retestLab?: string | null | undefined;
      retestSampleReceivedOn?: string | null | undefined;
      reportReceivedOn?: string | null | undefined;
      closure?: Closure | null | undefined;
      note?: string | null | undefined;
    },
  ): Patch {
    const n: SpotCheckRecord = { ...cur };
    if (i.appliedOn !== undefined) n.applied_on = i.appliedOn;
    if (i.appliedTo !== undefined) n.applied_to = i.appliedTo;
    if (i.retestLab !== undefined) n.retest_lab = i.retestLab;
    if (i.retestSampleReceivedOn !== undefined) n.retest_sample_received_on = i.retestSampleReceivedOn;
    if (i.reportReceivedOn !== undefined) n.report_received_on = i.reportReceivedOn;
    if (i.closure !== undefined) n.closure = i.closure;
    if (i.note !== undefined) n.note = i.note;
    if (i.disputed !== undefined) n.disputed = i.disputed ? 1 : 0;
    if (n.applied_on) n.disputed = 1;
    const today = this.intake.today();
    const dates = {
      result: n.result,
      receivedOn: n.received_on,
      appliedOn: n.applied_on ?? null,
      sampleReceivedOn: n.retest_sample_received_on ?? null,
      reportReceivedOn: n.report_received_on ?? null,
      closure: n.closure ?? null,
    };
    const problem = retestDateProblem({ ...dates, applyDeadline: n.apply_deadline ?? null, today });
    if (problem) fail('invalid_input', { field: problem.field, deadline: n.apply_deadline ?? '' }, problem.key);
    if (n.applied_on && !n.applied_to)
      fail('invalid_input', { field: 'appliedTo' }, 'errors.spot_check_applied_to_required');
    // 第二十七条: 复检机构与初检机构不得为同一机构.
    if (n.retest_lab && sameLab(n.retest_lab, n.first_lab))
      fail('invalid_input', { field: 'retestLab', lab: n.retest_lab }, 'errors.appeal_same_lab');
    if (n.retest_sample_received_on && !n.retest_lab)
      fail('invalid_input', { field: 'retestLab' }, 'errors.appeal_retest_lab_required');
    const closure = n.closure ?? null;
    if (closure) {
      if (n.result === 'conforming') fail('invalid_input', { field: 'closure' }, 'errors.spot_check_not_disputable');
      if ((closure === 'upheld' || closure === 'overturned') && !n.report_received_on)
        fail('invalid_input', { field: 'closure' }, 'errors.appeal_report_required');
      if (closure === 'lapsed' && (n.applied_on || today <= n.apply_deadline!))
        fail('invalid_input', { field: 'closure', deadline: n.apply_deadline! }, 'errors.spot_check_not_lapsed');
      if (closure === 'accepted' && n.applied_on)
        fail('invalid_input', { field: 'closure' }, 'errors.spot_check_already_applied');
      if (closure === 'withdrawn' && !n.applied_on)
        fail('invalid_input', { field: 'closure' }, 'errors.spot_check_not_applied');
    }
    const rule = retestRules[n.rule];
    return {
      disputed: n.disputed ?? null,
      applied_on: n.applied_on ?? null,
      applied_to: n.applied_to ?? null,
      retest_lab: n.retest_lab ?? null,
      retest_sample_received_on: n.retest_sample_received_on ?? null,
      report_deadline: n.retest_sample_received_on
        ? reportDeadline(rule, n.retest_sample_received_on, this.intake.calendar())
        : null,
      report_received_on: n.report_received_on ?? null,
      closure: n.closure ?? null,
      status: spotCheckStage(dates),
      note: n.note ?? null,
    };
  }

  update(
    actor: Actor,
    i: {
      code: string;
      disputed?: boolean | undefined;
      appliedOn?: string | null | undefined;
      appliedTo?: string | null | undefined;
      retestLab?: string | null | undefined;
      retestSampleReceivedOn?: string | null | undefined;
      reportReceivedOn?: string | null | undefined;
      closure?: Closure | null | undefined;
      note?: string | null | undefined;
      reason: string;
    },
  ): SpotCheckView {
    const r = this.row(i.code);
    if (r.closure) fail('conflict', { code: i.code }, 'errors.spot_check_closed');
    const patch = this.next(r, i);
    return this.ledger.write(actor, (w) => {
      const cur = w.get(I.spotCheck, r.id)!;
      if (cur.rev !== r.rev) fail('conflict', { code: i.code }, 'errors.stale_record');
      return this.view(spotCheckRecord(w.update(I.spotCheck, r.id, patch, { reason: i.reason })));
    });
  }

  /** The retention sample withdrawn for the re-test: a withdrawal naming the spot check, in one transaction. */
  retestSample(
    actor: Actor,
    i: { code: string; retentionCode: string; quantity: string; unit: QuantityUnit; reason: string },
  ): SpotCheckView {
    const r = this.row(i.code);
    if (r.subject !== 'product') fail('invalid_input', { code: i.code }, 'errors.spot_check_retention_product_only');
    if (r.result !== 'nonconforming' || r.closure)
      fail('conflict', { code: i.code }, 'errors.spot_check_not_disputable');
    if (r.retention_withdrawal_id) fail('conflict', { code: i.code }, 'errors.spot_check_retention_taken');
    const sampleLot = this.q.retentionSampleLot(i.retentionCode);
    if (sampleLot !== undefined && r.lot_code && sampleLot !== r.lot_code)
      fail('invalid_input', { field: 'retentionCode', lot: sampleLot }, 'errors.spot_check_retention_other_lot');
    return this.ledger.write(actor, (w) => {
      const cur = w.get(I.spotCheck, r.id)!;
      if (cur.rev !== r.rev) fail('conflict', { code: i.code }, 'errors.stale_record');
      const wd = this.evidence.withdrawIn(w, i.retentionCode, {
        quantity: i.quantity,
        unit: i.unit,
        purpose: 'spot_check_retest',
        reason: i.reason,
        spotCheckCode: i.code,
      });
      return this.view(
        spotCheckRecord(
          w.update(I.spotCheck, r.id, { retention_withdrawal_id: wd.id, disputed: 1 }, { reason: i.reason }),
        ),
      );
    });
  }

  /**
   * Carries a legacy appeal forward: a new spot-check record with what the QA manager knows of
   * the spot check (authority, sampling date, items) and the appeal's dates, naming the appeal,
   * which is retired with the reason in the same transaction.
   */
  carryForward(
    actor: Actor,
    i: {
      id: string;
      authority: string;
      sampledOn: string;
      reportNo: string | null;
      sampleDesc: string;
      items: Item[];
      reason: string;
    },
  ): SpotCheckView {
    const a = this.intake.legacyAppeal(i.id);
    const lotCode = a.lot_code;
    const base = {
      subject: 'raw_milk' as const,
      lotCode,
      supplierCode: a.supplier_code,
      sampleDesc: i.sampleDesc,
      authority: i.authority,
      firstLab: a.first_lab,
      sampledOn: i.sampledOn,
      reportNo: i.reportNo,
      receivedOn: a.notified_on,
      items: i.items,
      note: a.note ?? null,
    };
    this.checkSubject('raw_milk', lotCode, base.supplierCode);
    const outcome = a.outcome ?? null;
    return this.ledger.write(actor, (w) => {
      const rec = this.newRecord(
        w,
        base,
        { legacy_appeal_id: a.id },
        `carried forward from appeal ${a.id}: ${i.reason}`,
      );
      const patch = this.next(rec, {
        appliedOn: a.applied_on ?? null,
        appliedTo: a.applied_on ? i.authority : null,
        retestLab: a.retest_lab ?? null,
        retestSampleReceivedOn: a.sample_received_on ?? null,
        reportReceivedOn: a.report_received_on ?? null,
        closure: outcome === 'upheld' || outcome === 'overturned' || outcome === 'withdrawn' ? outcome : null,
      });
      const row = spotCheckRecord(w.update(I.spotCheck, rec.id, patch, { reason: `dates of appeal ${a.id}` }));
      this.intake.retireAppeal(actor, a.id, `carried forward to spot check ${row.code}: ${i.reason}`, w);
      return this.view(row);
    });
  }
}
