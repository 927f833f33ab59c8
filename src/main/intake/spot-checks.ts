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
  type RetestRuleId,
} from '../../shared/rules/retest';
import type { Row, Value } from '../ledger/entities';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { nextSequencedCode } from '../lots';
import type { ReleaseEvidenceService } from '../release-evidence/release-evidence-service';
import { I } from './entities';
import type { IntakeService } from './intake-service';

type Item = z.infer<typeof spotCheckItemSchema>;
type Subject = (typeof spotCheckSubjects)[number];
type Closure = (typeof spotCheckClosures)[number];

function json<T>(v: Value | undefined, fallback: T): T {
  return typeof v === 'string' && v ? (JSON.parse(v) as T) : fallback;
}

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
  constructor(
    private readonly ledger: Ledger,
    private readonly intake: IntakeService,
    private readonly evidence: ReleaseEvidenceService,
  ) {}

  private get db() {
    return this.ledger.db;
  }

  private row(code: string): Row {
    const r = this.db.prepare('SELECT * FROM spot_check WHERE code = ? AND retired = 0').get(code) as Row | undefined;
    if (!r) fail('not_found', { entity: 'spot_check', id: code }, 'errors.spot_check_not_found');
    return r;
  }

  view(r: Row): SpotCheckView {
    const rule = retestRules[r['rule'] as RetestRuleId];
    const stage = spotCheckStage({
      result: r['result'] as 'conforming' | 'nonconforming',
      receivedOn: r['received_on'] as string,
      appliedOn: (r['applied_on'] as string | null) ?? null,
      sampleReceivedOn: (r['retest_sample_received_on'] as string | null) ?? null,
      reportReceivedOn: (r['report_received_on'] as string | null) ?? null,
      closure: (r['closure'] as string | null) ?? null,
    });
    const next = nextDeadline(
      stage,
      {
        apply: (r['apply_deadline'] as string | null) ?? null,
        report: (r['report_deadline'] as string | null) ?? null,
      },
      (r['report_received_on'] as string | null) ?? null,
      this.intake.today(),
    );
    const wid = (r['retention_withdrawal_id'] as string | null) ?? null;
    const w = wid
      ? (this.db.prepare('SELECT * FROM retention_withdrawal WHERE id = ?').get(wid) as Row | undefined)
      : undefined;
    return {
      id: r.id,
      rev: r.rev,
      code: r['code'] as string,
      subject: r['subject'] as Subject,
      lotCode: (r['lot_code'] as string | null) ?? null,
      supplierCode: (r['supplier_code'] as string | null) ?? null,
      sampleDesc: r['sample_desc'] as string,
      authority: r['authority'] as string,
      firstLab: r['first_lab'] as string,
      sampledOn: r['sampled_on'] as string,
      reportNo: (r['report_no'] as string | null) ?? null,
      receivedOn: r['received_on'] as string,
      items: json<Item[]>(r['items'], []),
      result: r['result'] as SpotCheckView['result'],
      rule: {
        id: rule.id,
        applyDays: rule.applyDays,
        reportDays: rule.reportDays,
        differentLab: rule.differentLab,
        verified: rule.verified,
        sourceZh: rule.sourceZh,
        sourceEn: rule.sourceEn,
      },
      applyDeadline: (r['apply_deadline'] as string | null) ?? null,
      disputed: r['disputed'] === 1,
      appliedOn: (r['applied_on'] as string | null) ?? null,
      appliedTo: (r['applied_to'] as string | null) ?? null,
      retestLab: (r['retest_lab'] as string | null) ?? null,
      retestSampleReceivedOn: (r['retest_sample_received_on'] as string | null) ?? null,
      reportDeadline: (r['report_deadline'] as string | null) ?? null,
      reportReceivedOn: (r['report_received_on'] as string | null) ?? null,
      retention: w
        ? {
            withdrawalId: w.id,
            sampleCode: w['sample_code'] as string,
            quantity: w['quantity'] as string,
            unit: w['unit'] as string,
            at: new Date(w['withdrawn_at'] as number).toISOString(),
          }
        : null,
      closure: (r['closure'] as Closure | null) ?? null,
      stage,
      nextDeadline: next.deadline,
      nextDeadlineKind: next.kind,
      overdue: next.overdue,
      legacyAppealId: (r['legacy_appeal_id'] as string | null) ?? null,
      note: (r['note'] as string | null) ?? null,
    };
  }

  list(f: {
    subject?: Subject | undefined;
    stages?: string[] | undefined;
    overdueOnly?: boolean | undefined;
    lotCode?: string | undefined;
    supplierCode?: string | undefined;
  }): SpotCheckView[] {
    const where = ['retired = 0'];
    const params: unknown[] = [];
    if (f.subject) {
      where.push('subject = ?');
      params.push(f.subject);
    }
    if (f.lotCode) {
      where.push('lot_code = ?');
      params.push(f.lotCode);
    }
    if (f.supplierCode) {
      where.push('supplier_code = ?');
      params.push(f.supplierCode);
    }
    const rows = (
      this.db
        .prepare(
          `SELECT * FROM spot_check WHERE ${where.join(' AND ')} ORDER BY received_on DESC, code DESC LIMIT 1000`,
        )
        .all(...params) as Row[]
    ).map((r) => this.view(r));
    return rows.filter((r) => (!f.stages?.length || f.stages.includes(r.stage)) && (!f.overdueOnly || r.overdue));
  }

  get(code: string): SpotCheckView {
    return this.view(this.row(code));
  }

  private checkSubject(subject: Subject, lotCode: string | null, supplierCode: string | null): void {
    if (lotCode) {
      const lot = this.db.prepare('SELECT kind FROM lot WHERE code = ? AND retired = 0').get(lotCode) as
        | { kind: string }
        | undefined;
      if (!lot) fail('not_found', { entity: 'lot', id: lotCode }, 'errors.lot_not_found');
      const ok =
        subject === 'raw_milk' ? lot.kind === 'raw_milk' : lot.kind === 'finished' || lot.kind === 'intermediate';
      if (!ok) fail('invalid_input', { field: 'lotCode', lot: lotCode, kind: lot.kind }, 'errors.spot_check_lot_kind');
    }
    if (supplierCode && !this.db.prepare('SELECT 1 FROM supplier WHERE code = ? AND retired = 0').get(supplierCode))
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
  ): Row {
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
      taken: (c) => !!this.db.prepare('SELECT 1 FROM spot_check WHERE code = ?').get(c),
    });
    return w.create(
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
      supplier =
        (
          this.db.prepare('SELECT supplier_code FROM lot WHERE code = ?').get(i.lotCode) as
            | { supplier_code: string | null }
            | undefined
        )?.supplier_code ?? null;
    }
    this.checkSubject(i.subject, i.lotCode, supplier);
    return this.ledger.write(actor, (w) => this.view(this.newRecord(w, { ...i, supplierCode: supplier })));
  }

  /** The next state of a record after a change, checked; returns the patch. */
  private next(
    cur: Row,
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
  ): Record<string, Value> {
    const n: Record<string, Value> = { ...cur };
    const set = (col: string, v: Value | undefined) => {
      if (v !== undefined) n[col] = v;
    };
    set('applied_on', i.appliedOn);
    set('applied_to', i.appliedTo);
    set('retest_lab', i.retestLab);
    set('retest_sample_received_on', i.retestSampleReceivedOn);
    set('report_received_on', i.reportReceivedOn);
    set('closure', i.closure);
    set('note', i.note);
    if (i.disputed !== undefined) n['disputed'] = i.disputed ? 1 : 0;
    if (n['applied_on']) n['disputed'] = 1;
    const today = this.intake.today();
    const dates = {
      result: n['result'] as 'conforming' | 'nonconforming',
      receivedOn: n['received_on'] as string,
      appliedOn: (n['applied_on'] as string | null) ?? null,
      sampleReceivedOn: (n['retest_sample_received_on'] as string | null) ?? null,
      reportReceivedOn: (n['report_received_on'] as string | null) ?? null,
      closure: (n['closure'] as string | null) ?? null,
    };
    const problem = retestDateProblem({
      ...dates,
      applyDeadline: (n['apply_deadline'] as string | null) ?? null,
      today,
    });
    if (problem) fail('invalid_input', { field: problem.field, deadline: n['apply_deadline'] ?? '' }, problem.key);
    if (n['applied_on'] && !n['applied_to'])
      fail('invalid_input', { field: 'appliedTo' }, 'errors.spot_check_applied_to_required');
    // 第二十七条: 复检机构与初检机构不得为同一机构.
    if (n['retest_lab'] && sameLab(n['retest_lab'] as string, n['first_lab'] as string))
      fail('invalid_input', { field: 'retestLab', lab: n['retest_lab'] as string }, 'errors.appeal_same_lab');
    if (n['retest_sample_received_on'] && !n['retest_lab'])
      fail('invalid_input', { field: 'retestLab' }, 'errors.appeal_retest_lab_required');
    const closure = (n['closure'] as Closure | null) ?? null;
    if (closure) {
      if (n['result'] === 'conforming') fail('invalid_input', { field: 'closure' }, 'errors.spot_check_not_disputable');
      if ((closure === 'upheld' || closure === 'overturned') && !n['report_received_on'])
        fail('invalid_input', { field: 'closure' }, 'errors.appeal_report_required');
      if (closure === 'lapsed' && (n['applied_on'] || today <= (n['apply_deadline'] as string)))
        fail(
          'invalid_input',
          { field: 'closure', deadline: n['apply_deadline'] as string },
          'errors.spot_check_not_lapsed',
        );
      if (closure === 'accepted' && n['applied_on'])
        fail('invalid_input', { field: 'closure' }, 'errors.spot_check_already_applied');
      if (closure === 'withdrawn' && !n['applied_on'])
        fail('invalid_input', { field: 'closure' }, 'errors.spot_check_not_applied');
    }
    const rule = retestRules[n['rule'] as RetestRuleId];
    n['report_deadline'] = n['retest_sample_received_on']
      ? reportDeadline(rule, n['retest_sample_received_on'] as string, this.intake.calendar())
      : null;
    n['status'] = spotCheckStage(dates);
    const patch: Record<string, Value> = {};
    for (const col of [
      'disputed',
      'applied_on',
      'applied_to',
      'retest_lab',
      'retest_sample_received_on',
      'report_deadline',
      'report_received_on',
      'closure',
      'status',
      'note',
    ])
      patch[col] = n[col] ?? null;
    return patch;
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
    if (r['closure']) fail('conflict', { code: i.code }, 'errors.spot_check_closed');
    const patch = this.next(r, i);
    return this.ledger.write(actor, (w) => {
      const cur = w.get(I.spotCheck, r.id)!;
      if (cur.rev !== r.rev) fail('conflict', { code: i.code }, 'errors.stale_record');
      return this.view(w.update(I.spotCheck, r.id, patch, { reason: i.reason }));
    });
  }

  /** The retention sample withdrawn for the re-test: a withdrawal naming the spot check, in one transaction. */
  retestSample(
    actor: Actor,
    i: { code: string; retentionCode: string; quantity: string; unit: QuantityUnit; reason: string },
  ): SpotCheckView {
    const r = this.row(i.code);
    if (r['subject'] !== 'product') fail('invalid_input', { code: i.code }, 'errors.spot_check_retention_product_only');
    if (r['result'] !== 'nonconforming' || r['closure'])
      fail('conflict', { code: i.code }, 'errors.spot_check_not_disputable');
    if (r['retention_withdrawal_id']) fail('conflict', { code: i.code }, 'errors.spot_check_retention_taken');
    const s = this.db
      .prepare("SELECT lot_code FROM sample WHERE code = ? AND kind = 'retention'")
      .get(i.retentionCode) as { lot_code: string } | undefined;
    if (s && r['lot_code'] && s.lot_code !== r['lot_code'])
      fail('invalid_input', { field: 'retentionCode', lot: s.lot_code }, 'errors.spot_check_retention_other_lot');
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
        w.update(I.spotCheck, r.id, { retention_withdrawal_id: wd.id, disputed: 1 }, { reason: i.reason }),
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
    const lotCode = a['lot_code'] as string;
    const base = {
      subject: 'raw_milk' as const,
      lotCode,
      supplierCode: a['supplier_code'] as string,
      sampleDesc: i.sampleDesc,
      authority: i.authority,
      firstLab: a['first_lab'] as string,
      sampledOn: i.sampledOn,
      reportNo: i.reportNo,
      receivedOn: a['notified_on'] as string,
      items: i.items,
      note: (a['note'] as string | null) ?? null,
    };
    this.checkSubject('raw_milk', lotCode, base.supplierCode);
    const outcome = (a['outcome'] as string | null) ?? null;
    return this.ledger.write(actor, (w) => {
      const rec = this.newRecord(
        w,
        base,
        { legacy_appeal_id: a.id },
        `carried forward from appeal ${a.id}: ${i.reason}`,
      );
      const patch = this.next(rec, {
        appliedOn: (a['applied_on'] as string | null) ?? null,
        appliedTo: a['applied_on'] ? i.authority : null,
        retestLab: (a['retest_lab'] as string | null) ?? null,
        retestSampleReceivedOn: (a['sample_received_on'] as string | null) ?? null,
        reportReceivedOn: (a['report_received_on'] as string | null) ?? null,
        closure: outcome === 'upheld' || outcome === 'overturned' || outcome === 'withdrawn' ? outcome : null,
      });
      const row = w.update(I.spotCheck, rec.id, patch, { reason: `dates of appeal ${a.id}` });
      this.intake.retireAppeal(actor, a.id, `carried forward to spot check ${row['code'] as string}: ${i.reason}`, w);
      return this.view(row);
    });
  }
}
