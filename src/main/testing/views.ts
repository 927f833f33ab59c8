import type { z } from 'zod';
import type {
  OosView,
  ResultStatus,
  ResultView,
  attachmentViewSchema,
  checklistSchema,
  historyEntrySchema,
} from '../../shared/contract/channels/testing';
import { fail } from '../../shared/contract/errors';
import { entryUnit, limitText, unitWithBasis, type TestItem } from '../../shared/rules';
import { displayContent } from '../ledger/audit-queries';
import type { Row, Value } from '../ledger/entities';
import { arr, DAY, iso, itemOf, json, type PlanReason, type TestingContext } from './context';
import { T } from './entities';
import { contributors } from './independence';
import { replicateRules } from './method-rules';
import {
  asOos,
  asResult,
  asSample,
  type AttachmentRecord,
  type OosRecord,
  type ResultRecord,
  type WorklistFilter,
} from './queries';
import { verdictChangesOf } from './verdict-changes';

type Checklist = z.infer<typeof checklistSchema>;
export type AttachmentView = z.infer<typeof attachmentViewSchema>;
type HistoryEntry = z.infer<typeof historyEntrySchema>;

/**
 * Reading testing (issue 8): result views with their captures, attachments, corrections,
 * contributors and verdict changes; a sample's results, the worklist, one result with its
 * history, the views of OOS investigations and attachments.
 */
export class ResultViews {
  constructor(private readonly ctx: TestingContext) {}

  private get q() {
    return this.ctx.q;
  }

  row(id: string): ResultRecord {
    const r = asResult(this.ctx.ledger.get(T.result, id));
    if (!r || r.retired) fail('not_found', { entity: 'test_result', id }, 'errors.result_not_found');
    return r;
  }

  item(r: Row): TestItem {
    return itemOf(asResult(r));
  }

  private captureViews(resultIds: string[]): Map<string, ResultView['captures']> {
    const out = new Map<string, ResultView['captures']>();
    for (const c of this.q.audit.captures(resultIds)) {
      const list = out.get(c.result_id) ?? [];
      list.push({
        id: c.id,
        replicateIndex: c.replicate_index,
        instrumentCode: c.instrument_code,
        value: c.value ?? null,
        unit: c.unit ?? null,
        status: c.status,
        typedOverReason: c.typed_over_reason ?? null,
        flagged: c.flagged === 1,
        flagReason: c.flag_reason ?? null,
      });
      out.set(c.result_id, list);
    }
    return out;
  }

  view(
    row: Row,
    attachments?: number,
    corrected?: boolean,
    captures?: ResultView['captures'],
    people?: { contributors: string[]; verdictChanges: ResultView['verdictChanges'] },
  ): ResultView {
    const r = asResult(row);
    const item = itemOf(r);
    const n = attachments ?? this.q.records.attachmentCount(r.id);
    const wasCorrected = corrected ?? this.q.audit.corrected(r.id);
    const oosCode = r.oos_id ? this.q.oos.codeOf(r.oos_id) : null;
    return {
      id: r.id,
      rev: r.rev,
      sampleId: r.sample_id,
      sampleCode: r.sample_code,
      lotCode: r.lot_code ?? null,
      productCode: r.product_code ?? null,
      itemCode: r.item_code,
      nameZh: item.name_zh,
      nameEn: item.name_en,
      group: r.item_group,
      position: r.position,
      methodCode: r.method_code ?? null,
      unit: item.unit,
      entryUnit: entryUnit(item),
      reportUnit: unitWithBasis(item.unit, item.basis),
      limitText: limitText(item),
      item,
      calculated: r.calculated === 1,
      parameter: r.plan_reason === 'parameter',
      planReason: r.plan_reason as PlanReason,
      dueAt: iso(r.due_at),
      assignedTo: r.assigned_to ?? null,
      instrumentId: r.instrument_id ?? null,
      status: r.status as ResultStatus,
      replicates: arr(r.replicates),
      unitValues: arr(r.unit_values),
      value: r.value ?? null,
      reported: r.reported ?? null,
      verdict: (r.verdict as ResultView['verdict']) ?? null,
      verdictReason: r.verdict_reason ?? null,
      verdictDetails: json<Record<string, string>>(r.verdict_details) ?? {},
      externalLab: r.external_lab ?? null,
      externalReportNo: r.external_report_no ?? null,
      analystId: r.analyst_id ?? null,
      enteredAt: iso(r.entered_at),
      submittedBy: r.submitted_by ?? null,
      submittedAt: iso(r.submitted_at),
      reviewedBy: r.reviewed_by ?? null,
      reviewedAt: iso(r.reviewed_at),
      returnReason: r.return_reason ?? null,
      invalidatedReason: r.invalidated_reason ?? null,
      attempt: r.attempt,
      retestOf: r.retest_of ?? null,
      oosCode,
      note: r.note ?? null,
      attachments: n,
      corrected: wasCorrected,
      captures: captures ?? this.captureViews([r.id]).get(r.id) ?? [],
      micro: this.ctx.micro.view(r),
      contributors: people?.contributors ?? contributors(this.q.audit, [r.id]).get(r.id) ?? [],
      verdictChanges: people?.verdictChanges ?? verdictChangesOf(this.q.records, [r.id]).get(r.id) ?? [],
    };
  }

  /** Views of many rows with a few queries for the counts instead of a few per row. */
  views(rows: Row[]): ResultView[] {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const counts = this.q.records.attachmentCounts(ids);
    const corrected = this.q.audit.correctedAmong(ids);
    const captures = this.captureViews(ids);
    const people = contributors(this.q.audit, ids);
    const flips = verdictChangesOf(this.q.records, ids);
    return rows.map((r) =>
      this.view(r, counts.get(r.id) ?? 0, corrected.has(r.id), captures.get(r.id) ?? [], {
        contributors: people.get(r.id) ?? [],
        verdictChanges: flips.get(r.id) ?? [],
      }),
    );
  }

  sampleRows(sampleId: string): ResultRecord[] {
    return this.q.results.ofSample(sampleId);
  }

  subjectName(code: string | null): { zh: string; en: string } | null {
    if (!code) return null;
    const r = this.q.foreign.subjectName(code);
    return r ? { zh: r.name_zh, en: r.name_en } : null;
  }

  specLabel(
    versionId: Value | undefined,
  ): { versionId: string; code: string; version: number; effectiveFrom: string | null } | null {
    if (typeof versionId !== 'string') return null;
    const v = this.q.foreign.specLabel(versionId);
    return v ? { versionId: v.id, code: v.code, version: v.version, effectiveFrom: v.effective_from } : null;
  }

  forSample(code: string) {
    const s = asSample(this.ctx.samples.mustSample(code));
    const lot = s.lot_code ? this.q.foreign.lot(s.lot_code) : undefined;
    const rows = this.sampleRows(s.id);
    const results = this.views(rows);
    const count = (st: string) => rows.filter((r) => r.status === st).length;
    const spec = this.specLabel(s.spec_version_id);
    return {
      sample: {
        id: s.id,
        code: s.code,
        kind: s.kind,
        status: s.status,
        lotCode: s.lot_code ?? null,
        itemCode: lot?.item_code ?? null,
        itemName: this.subjectName(lot?.item_code ?? null),
        spec: spec ? { versionId: spec.versionId, code: spec.code, version: spec.version } : null,
      },
      results,
      rules: replicateRules(this.q),
      summary: {
        total: rows.length,
        pending: count('pending'),
        entered: count('entered') + count('returned'),
        submitted: count('submitted'),
        reviewed: count('reviewed'),
        failed: rows.filter((r) => r.verdict === 'fail' && r.status !== 'invalidated').length,
        invalidated: count('invalidated'),
      },
    };
  }

  worklist(f: WorklistFilter) {
    const { total, rows, facets } = this.q.results.worklist(f);
    return { total, results: this.views(rows), facets };
  }

  history(entity: string, id: string): HistoryEntry[] {
    const out: HistoryEntry[] = [];
    let prev: Record<string, unknown> | null = null;
    const text = (v: unknown): string | null =>
      v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);
    for (const r of this.q.audit.history(entity, id)) {
      const cur = displayContent(entity, JSON.parse(r.content) as Record<string, unknown>);
      const changes: HistoryEntry['changes'] = [];
      for (const k of Object.keys(cur)) {
        if (k === 'rev' || k === 'id') continue;
        const a = text(prev?.[k]);
        const b = text(cur[k]);
        if (a !== b && !(prev === null && b === null)) changes.push({ field: k, from: a, to: b });
      }
      out.push({
        seq: r.seq,
        at: new Date(r.at).toISOString(),
        by: r.actor,
        byName: r.actor_name,
        op: r.action,
        reason: r.reason,
        changes,
      });
      prev = cur;
    }
    return out;
  }

  get(id: string) {
    const r = this.row(id);
    const related = this.q.results.related(r);
    const oos = r.oos_id ? asOos(this.ctx.ledger.get(T.oos, r.oos_id)) : this.q.oos.latestOfResult(r.id);
    return {
      result: this.view(r),
      history: this.history('test_result', r.id),
      signatures: this.ctx.identity.signaturesFor('test_result', r.id),
      attachments: this.q.records.attachmentsOf(r.id).map((a) => this.attachmentView(a)),
      oos: oos ? this.oosView(oos) : null,
      related: this.views(related),
    };
  }

  attachmentView(a: AttachmentRecord): AttachmentView {
    return {
      id: a.id,
      resultId: a.result_id,
      fileName: a.file_name,
      mediaType: a.media_type,
      bytes: a.bytes,
      sha256: a.sha256,
      addedBy: a.added_by,
      addedAt: iso(a.added_at)!,
      note: a.note ?? null,
    };
  }

  oosView(row: Row): OosView {
    const o: OosRecord = asOos(row);
    const res = asResult(this.ctx.ledger.get(T.result, o.result_id));
    const item = res ? itemOf(res) : null;
    return {
      id: o.id,
      code: o.code,
      resultId: o.result_id,
      sampleCode: o.sample_code,
      lotCode: o.lot_code ?? null,
      itemCode: o.item_code,
      itemName: { zh: item?.name_zh ?? o.item_code, en: item?.name_en ?? o.item_code },
      status: o.status as OosView['status'],
      reported: o.reported ?? null,
      limitText: o.limit_text ?? null,
      openedAt: iso(o.opened_at)!,
      openedBy: o.opened_by,
      lotHeld: o.lot_held === 1,
      checklist: json<Checklist>(o.checklist),
      phase1Summary: o.phase1_summary ?? null,
      phase1By: o.phase1_by ?? null,
      phase1At: iso(o.phase1_at),
      outcome: (o.outcome as OosView['outcome']) ?? null,
      conclusion: o.conclusion ?? null,
      concludedBy: o.concluded_by ?? null,
      concludedAt: iso(o.concluded_at),
      retestResultId: o.retest_result_id ?? null,
      ageDays: Math.max(0, Math.floor((this.ctx.ledger.now() - o.opened_at) / DAY)),
    };
  }
}
