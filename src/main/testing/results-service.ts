import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import type {
  Completeness,
  OosView,
  ResultStatus,
  ResultView,
  attachmentViewSchema,
  checklistSchema,
  historyEntrySchema,
  planReasons,
  replicateRuleSchema,
} from '../../shared/contract/channels/testing';
import { fail } from '../../shared/contract/errors';
import type { SignatureMeaning } from '../../shared/domain/roles';
import {
  completeness,
  computeCalculated,
  computeMeasured,
  dependenciesOf,
  energyKJ,
  entryUnit,
  ENERGY_ITEM,
  isPlanItem,
  confirmsPresumptive,
  entryProblem,
  limitText,
  normalizeEntry,
  reportingRuleOf,
  unitWithBasis,
  parseDecimal,
  RECONSTITUTION_ITEM,
  type ComputedResult,
  type ReplicateRule,
  type TestItem,
  type WestgardRule,
} from '../../shared/rules';
import type { SpecItem } from '../../shared/catalog/spec-schema';
import { actorOf, type IdentityService } from '../identity';
import type { SpecService } from '../catalog/spec-service';
import { displayContent } from '../ledger/audit-queries';
import type { Row, Value } from '../ledger/entities';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { L } from '../lots/entities';
import { nextSequencedCode } from '../lots/codes';
import type { SamplesService } from '../samples/samples-service';
import { T } from './entities';
import { IN } from '../instruments/entities';
import { contributions, contributors } from './independence';
import { MicroWorkflow, type MicroHoldView, type MicroLotStatus } from './micro';
import { chartKey, ControlCharts } from './charts';
import { recordFlips, verdictChangeFigure, verdictChangesOf, type ChangeContext, type Flip } from './verdict-changes';

type PlanReason = (typeof planReasons)[number];
type Checklist = z.infer<typeof checklistSchema>;
type AttachmentView = z.infer<typeof attachmentViewSchema>;
type HistoryEntry = z.infer<typeof historyEntrySchema>;
type RuleView = z.infer<typeof replicateRuleSchema> & {
  id: string;
  rev: number;
  methodCode: string;
  note: string | null;
};

/** Turnaround from sampling to the due time of a test: microbiology 5 days, everything else 2. */
export const TURNAROUND_HOURS = { microbiology: 120, other: 48 } as const;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Attachments up to 20 MiB (a chromatogram PDF, a photo of a printout). */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
const ATTACHMENT_TYPES =
  /^(application\/pdf|image\/(png|jpeg|tiff|gif|webp)|text\/(plain|csv)|application\/(vnd\.ms-excel|vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet|octet-stream))$/;

/** Sample kinds whose results count for the lot they name (in-process and retention samples do not). */
const LOT_RESULT_KINDS = ['finished_release', 'incoming_inspection', 'raw_milk_tanker'];
const EDITABLE: ReadonlySet<string> = new Set(['pending', 'entered', 'returned']);
const CURRENT: ReadonlySet<string> = new Set(['pending', 'entered', 'returned', 'submitted', 'reviewed']);

/** Names of environmental / water targets that have no specification item. */
const TARGET_NAMES: Record<string, [string, string]> = {
  cronobacter: ['克罗诺杆菌属（阪崎肠杆菌）', 'Cronobacter spp.'],
  salmonella: ['沙门氏菌', 'Salmonella'],
  enterobacteriaceae: ['肠杆菌科', 'Enterobacteriaceae'],
  listeria: ['单核细胞增生李斯特氏菌', 'Listeria monocytogenes'],
  apc: ['菌落总数', 'Aerobic plate count'],
  coliforms: ['大肠菌群', 'Coliforms'],
  yeast_mould: ['霉菌和酵母', 'Yeasts and moulds'],
};

function iso(ms: Value | undefined): string | null {
  return typeof ms === 'number' ? new Date(ms).toISOString() : null;
}

function arr(v: Value | undefined): string[] {
  if (typeof v !== 'string' || !v) return [];
  const parsed = JSON.parse(v) as unknown;
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

function json<T>(v: Value | undefined): T | null {
  return typeof v === 'string' && v ? (JSON.parse(v) as T) : null;
}

function specItemToTest(i: SpecItem): TestItem {
  return {
    code: i.code,
    name_zh: i.name_zh,
    name_en: i.name_en,
    group: i.group,
    method_code: i.method_code,
    unit: i.unit,
    basis: i.basis,
    limit_form: i.limit_form,
    min: i.min,
    max: i.max,
    target: i.target,
    lod: i.lod,
    n: i.n,
    c: i.c,
    m: i.m,
    big_m: i.big_m,
    precision: i.precision,
    ...(i.reporting ? { reporting: i.reporting } : {}),
    comparison: i.comparison,
    formula: i.formula,
    required_for_release: i.required_for_release,
    in_house_only: i.in_house_only,
  };
}

function parameterItem(code: string): TestItem {
  const names: Record<string, [string, string, string]> = {
    [RECONSTITUTION_ITEM]: ['冲调比例（每100 mL所用粉量）', 'Reconstitution (powder per 100 mL)', 'g/100 mL'],
    [ENERGY_ITEM]: ['能量（每100 g）', 'Energy (per 100 g)', 'kJ/100 g'],
  };
  const [zh, en, unit] = names[code]!;
  return {
    code,
    name_zh: zh,
    name_en: en,
    group: 'other',
    method_code: null,
    unit,
    basis: 'as_is',
    limit_form: 'report_only',
    min: null,
    max: null,
    target: null,
    lod: null,
    n: null,
    c: null,
    m: null,
    big_m: null,
    precision: null,
    comparison: 'full_value',
    formula: null,
    required_for_release: false,
    in_house_only: false,
  };
}

function targetItem(target: string): TestItem {
  const [zh, en] = TARGET_NAMES[target] ?? [target, target];
  return {
    code: target,
    name_zh: zh,
    name_en: en,
    group: 'microbiology',
    method_code: null,
    unit: 'per swab',
    basis: 'as_is',
    limit_form: 'sampling_plan',
    min: null,
    max: null,
    target: null,
    lod: null,
    n: 1,
    c: 0,
    m: '0',
    big_m: null,
    precision: null,
    comparison: 'full_value',
    formula: null,
    required_for_release: false,
    in_house_only: true,
  };
}

export interface EntryInput {
  typedOverReason?: string | undefined;
  replicates?: string[] | undefined;
  unitValues?: string[] | undefined;
  instrumentId?: string | null | undefined;
  external?: { lab: string; reportNo: string } | null | undefined;
  note?: string | null | undefined;
  expectedRev?: number | undefined;
  /** Needed when a saved failing verdict would leave `fail` (issue 19 §4). */
  verdictChangeReason?: string | undefined;
}

/** Statuses in which a result is not yet submitted: a verdict change here is "before submission". */
const BEFORE_SUBMIT: ReadonlySet<string> = EDITABLE;

/**
 * Testing (issue 8): test plans from the specification version in force on the lot's date,
 * result entry with replicates, basis conversion, GB/T 8170 rounding and limit evaluation
 * (src/shared/rules/testing.ts), calculated items, submission (`authored`) and
 * second-person review (`reviewed`), corrections that keep the original, OOS
 * investigations that hold the lot, lot completeness and trends. Every change goes through
 * the ledger; signatures through IdentityService.sign in the same transaction.
 */
/**
 * The rules of the capabilities that build on testing (intake, environment): constructor
 * dependencies given by the composition root (src/main/app/compose.ts, issue 19 §8), so no
 * ResultsService exists without them.
 */
export interface TestingHooks {
  /** The intake panel of a raw milk tanker lot (null: plan from the specification). */
  panelItems: (lot: Row) => TestItem[] | null;
  /** The supplier's sampling level: `tightened` plans every item of an incoming inspection. */
  samplingLevel: (supplierCode: string) => 'normal' | 'tightened';
  /** A failed ingredient inspection (a failing result submitted). */
  inspectionFailed: (w: LedgerWriter, supplierCode: string, why: string) => void;
  /** An incoming inspection completed with every result within specification. */
  inspectionPassed: (w: LedgerWriter, supplierCode: string, why: string) => void;
  /** A positive environmental swab or water result (submitted). */
  swabPositive: (w: LedgerWriter, result: Row, sample: Row) => void;
}

/**
 * The instrument a value names (issue 19 §5; src/main/instruments/rules.ts): checked inside
 * the transaction that writes a typed or captured value; returns the reference to store.
 */
export interface ValueInstrumentGuard {
  checkValue(w: LedgerWriter, result: Row, instrumentRef: string | null): string | null;
}

export class ResultsService {
  /** Presumptive positives, confirmations, automatic holds, expected completion (issue 20 §3). */
  readonly micro: MicroWorkflow;
  /** Signed baselines, Westgard against them, QC check-sample charts (issue 20 §6). */
  readonly charts: ControlCharts;

  constructor(
    private readonly ledger: Ledger,
    private readonly identity: IdentityService,
    private readonly specs: SpecService,
    private readonly samples: SamplesService,
    private readonly attachmentsDir: string,
    readonly hooks: TestingHooks,
    private readonly instrumentGuard: ValueInstrumentGuard | null = null,
  ) {
    this.micro = new MicroWorkflow(ledger);
    this.charts = new ControlCharts(ledger, identity);
  }

  private get db() {
    return this.ledger.db;
  }

  // ------------------------------------------------------------------ reading

  row(id: string): Row {
    const r = this.ledger.get(T.result, id);
    if (!r || r.retired) fail('not_found', { entity: 'test_result', id }, 'errors.result_not_found');
    return r;
  }

  item(r: Row): TestItem {
    return json<TestItem>(r['item'])!;
  }

  private captureViews(resultIds: string[]): Map<string, ResultView['captures']> {
    const out = new Map<string, ResultView['captures']>();
    for (let i = 0; i < resultIds.length; i += 500) {
      const chunk = resultIds.slice(i, i + 500);
      const rows = this.db
        .prepare(
          `SELECT c.*, ins.code AS instrument_code FROM instrument_capture c JOIN instrument ins ON ins.id = c.instrument_id
           WHERE c.result_id IN (${chunk.map(() => '?').join(',')}) AND c.retired = 0 ORDER BY c.at`,
        )
        .all(...chunk) as Array<Row & { instrument_code: string }>;
      for (const c of rows) {
        const list = out.get(c['result_id'] as string) ?? [];
        list.push({
          id: c.id,
          replicateIndex: c['replicate_index'] as number,
          instrumentCode: c.instrument_code,
          value: (c['value'] as string | null) ?? null,
          unit: (c['unit'] as string | null) ?? null,
          status: c['status'] as 'used' | 'typed_over',
          typedOverReason: (c['typed_over_reason'] as string | null) ?? null,
          flagged: c['flagged'] === 1,
          flagReason: (c['flag_reason'] as string | null) ?? null,
        });
        out.set(c['result_id'] as string, list);
      }
    }
    return out;
  }

  view(
    r: Row,
    attachments?: number,
    corrected?: boolean,
    captures?: ResultView['captures'],
    people?: { contributors: string[]; verdictChanges: ResultView['verdictChanges'] },
  ): ResultView {
    const item = this.item(r);
    const n =
      attachments ??
      (this.db.prepare('SELECT count(*) AS n FROM result_attachment WHERE result_id = ?').get(r.id) as { n: number }).n;
    const wasCorrected =
      corrected ??
      !!this.db
        .prepare(
          "SELECT 1 FROM audit_entry WHERE entity = 'test_result' AND entity_id = ? AND reason LIKE 'correction: %' LIMIT 1",
        )
        .get(r.id);
    const oosCode = r['oos_id']
      ? ((
          this.db.prepare('SELECT code FROM oos_investigation WHERE id = ?').get(r['oos_id']) as
            | { code: string }
            | undefined
        )?.code ?? null)
      : null;
    return {
      id: r.id,
      rev: r.rev,
      sampleId: r['sample_id'] as string,
      sampleCode: r['sample_code'] as string,
      lotCode: (r['lot_code'] as string | null) ?? null,
      productCode: (r['product_code'] as string | null) ?? null,
      itemCode: r['item_code'] as string,
      nameZh: item.name_zh,
      nameEn: item.name_en,
      group: r['item_group'] as string,
      position: r['position'] as number,
      methodCode: (r['method_code'] as string | null) ?? null,
      unit: item.unit,
      entryUnit: entryUnit(item),
      reportUnit: unitWithBasis(item.unit, item.basis),
      limitText: limitText(item),
      item,
      calculated: r['calculated'] === 1,
      parameter: r['plan_reason'] === 'parameter',
      planReason: r['plan_reason'] as PlanReason,
      dueAt: iso(r['due_at']),
      assignedTo: (r['assigned_to'] as string | null) ?? null,
      instrumentId: (r['instrument_id'] as string | null) ?? null,
      status: r['status'] as ResultStatus,
      replicates: arr(r['replicates']),
      unitValues: arr(r['unit_values']),
      value: (r['value'] as string | null) ?? null,
      reported: (r['reported'] as string | null) ?? null,
      verdict: (r['verdict'] as ResultView['verdict']) ?? null,
      verdictReason: (r['verdict_reason'] as string | null) ?? null,
      verdictDetails: json<Record<string, string>>(r['verdict_details']) ?? {},
      externalLab: (r['external_lab'] as string | null) ?? null,
      externalReportNo: (r['external_report_no'] as string | null) ?? null,
      analystId: (r['analyst_id'] as string | null) ?? null,
      enteredAt: iso(r['entered_at']),
      submittedBy: (r['submitted_by'] as string | null) ?? null,
      submittedAt: iso(r['submitted_at']),
      reviewedBy: (r['reviewed_by'] as string | null) ?? null,
      reviewedAt: iso(r['reviewed_at']),
      returnReason: (r['return_reason'] as string | null) ?? null,
      invalidatedReason: (r['invalidated_reason'] as string | null) ?? null,
      attempt: r['attempt'] as number,
      retestOf: (r['retest_of'] as string | null) ?? null,
      oosCode,
      note: (r['note'] as string | null) ?? null,
      attachments: n,
      corrected: wasCorrected,
      captures: captures ?? this.captureViews([r.id]).get(r.id) ?? [],
      micro: this.micro.view(r),
      contributors: people?.contributors ?? contributors(this.db, [r.id]).get(r.id) ?? [],
      verdictChanges: people?.verdictChanges ?? verdictChangesOf(this.db, [r.id]).get(r.id) ?? [],
    };
  }

  /** Views of many rows with two queries for the counts instead of two per row. */
  views(rows: Row[]): ResultView[] {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const counts = new Map<string, number>();
    const corrected = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const ph = chunk.map(() => '?').join(',');
      for (const c of this.db
        .prepare(`SELECT result_id, count(*) AS n FROM result_attachment WHERE result_id IN (${ph}) GROUP BY result_id`)
        .all(...chunk) as Array<{ result_id: string; n: number }>)
        counts.set(c.result_id, c.n);
      for (const c of this.db
        .prepare(
          `SELECT DISTINCT entity_id FROM audit_entry WHERE entity = 'test_result' AND entity_id IN (${ph}) AND reason LIKE 'correction: %'`,
        )
        .all(...chunk) as Array<{ entity_id: string }>)
        corrected.add(c.entity_id);
    }
    const captures = this.captureViews(ids);
    const people = contributors(this.db, ids);
    const flips = verdictChangesOf(this.db, ids);
    return rows.map((r) =>
      this.view(r, counts.get(r.id) ?? 0, corrected.has(r.id), captures.get(r.id) ?? [], {
        contributors: people.get(r.id) ?? [],
        verdictChanges: flips.get(r.id) ?? [],
      }),
    );
  }

  sampleRows(sampleId: string): Row[] {
    return this.db
      .prepare('SELECT * FROM test_result WHERE sample_id = ? AND retired = 0 ORDER BY position, attempt')
      .all(sampleId) as Row[];
  }

  rules(): Record<string, ReplicateRule> {
    const out: Record<string, ReplicateRule> = {};
    for (const r of this.db.prepare('SELECT * FROM method_rule WHERE retired = 0').all() as Row[]) {
      out[r['method_code'] as string] = {
        replicates: r['replicates'] as number,
        repeatability: r['repeatability'] as ReplicateRule['repeatability'],
        limit: (r['repeatability_limit'] as string | null) ?? null,
      };
    }
    return out;
  }

  private subjectName(code: string | null): { zh: string; en: string } | null {
    if (!code) return null;
    const r = this.db
      .prepare(
        'SELECT name_zh, name_en FROM product WHERE code = ? UNION ALL SELECT name_zh, name_en FROM material WHERE code = ? LIMIT 1',
      )
      .get(code, code) as { name_zh: string; name_en: string } | undefined;
    return r ? { zh: r.name_zh, en: r.name_en } : null;
  }

  private specLabel(
    versionId: Value | undefined,
  ): { versionId: string; code: string; version: number; effectiveFrom: string | null } | null {
    if (typeof versionId !== 'string') return null;
    const v = this.db
      .prepare(
        'SELECT v.id, v.version, v.effective_from, s.code FROM spec_version v JOIN specification s ON s.id = v.spec_id WHERE v.id = ?',
      )
      .get(versionId) as { id: string; version: number; effective_from: string | null; code: string } | undefined;
    return v ? { versionId: v.id, code: v.code, version: v.version, effectiveFrom: v.effective_from } : null;
  }

  forSample(code: string) {
    const s = this.samples.mustSample(code);
    const lot = s['lot_code']
      ? (this.db.prepare('SELECT item_code FROM lot WHERE code = ?').get(s['lot_code']) as
          | { item_code: string }
          | undefined)
      : undefined;
    const rows = this.sampleRows(s.id);
    const results = this.views(rows);
    const count = (st: string) => rows.filter((r) => r['status'] === st).length;
    const spec = this.specLabel(s['spec_version_id']);
    return {
      sample: {
        id: s.id,
        code: s['code'] as string,
        kind: s['kind'] as string,
        status: s['status'] as string,
        lotCode: (s['lot_code'] as string | null) ?? null,
        itemCode: lot?.item_code ?? null,
        itemName: this.subjectName(lot?.item_code ?? null),
        spec: spec ? { versionId: spec.versionId, code: spec.code, version: spec.version } : null,
      },
      results,
      rules: this.rules(),
      summary: {
        total: rows.length,
        pending: count('pending'),
        entered: count('entered') + count('returned'),
        submitted: count('submitted'),
        reviewed: count('reviewed'),
        failed: rows.filter((r) => r['verdict'] === 'fail' && r['status'] !== 'invalidated').length,
        invalidated: count('invalidated'),
      },
    };
  }

  worklist(f: {
    methodCode?: string | undefined;
    assignedTo?: string | undefined;
    instrumentId?: string | undefined;
    itemCode?: string | undefined;
    sampleCode?: string | undefined;
    statuses: string[];
    dueBefore?: string | undefined;
    offset: number;
    limit: number;
  }) {
    const where: string[] = [
      'r.retired = 0',
      `r.status IN (${f.statuses.map(() => '?').join(',')})`,
      "s.status IN ('received','in_testing')",
    ];
    const params: unknown[] = [...f.statuses];
    const base = [...where];
    const baseParams = [...params];
    const opt = (col: string, v: string | undefined) => {
      if (v === undefined) return;
      if (v === '') where.push(`r.${col} IS NULL`);
      else {
        where.push(`r.${col} = ?`);
        params.push(v);
      }
    };
    opt('method_code', f.methodCode);
    opt('assigned_to', f.assignedTo);
    opt('instrument_id', f.instrumentId);
    if (f.itemCode) {
      where.push('r.item_code = ?');
      params.push(f.itemCode);
    }
    if (f.sampleCode) {
      where.push('(r.sample_code = ? OR r.lot_code = ?)');
      params.push(f.sampleCode, f.sampleCode);
    }
    if (f.dueBefore) {
      where.push('r.due_at <= ?');
      params.push(Date.parse(f.dueBefore));
    }
    // Calculated items are filled by the app, not by a technician.
    where.push('r.calculated = 0');
    base.push('r.calculated = 0');
    const from = 'FROM test_result r JOIN sample s ON s.id = r.sample_id';
    const total = (
      this.db.prepare(`SELECT count(*) AS n ${from} WHERE ${where.join(' AND ')}`).get(...params) as { n: number }
    ).n;
    const rows = this.db
      .prepare(
        `SELECT r.* ${from} WHERE ${where.join(' AND ')} ORDER BY r.due_at, r.sample_code, r.position LIMIT ? OFFSET ?`,
      )
      .all(...params, f.limit, f.offset) as Row[];
    const facet = (col: string) =>
      this.db
        .prepare(
          `SELECT r.${col} AS key, count(*) AS count ${from} WHERE ${base.join(' AND ')} GROUP BY r.${col} ORDER BY count DESC`,
        )
        .all(...baseParams) as Array<{ key: string | null; count: number }>;
    return {
      total,
      results: this.views(rows),
      facets: { methods: facet('method_code'), analysts: facet('assigned_to'), instruments: facet('instrument_id') },
    };
  }

  history(entity: string, id: string): HistoryEntry[] {
    const rows = this.db
      .prepare(
        'SELECT seq, at, actor, actor_name, action, reason, content FROM audit_entry WHERE entity = ? AND entity_id = ? ORDER BY seq',
      )
      .all(entity, id) as Array<{
      seq: number;
      at: number;
      actor: string;
      actor_name: string | null;
      action: string;
      reason: string | null;
      content: string;
    }>;
    const out: HistoryEntry[] = [];
    let prev: Record<string, unknown> | null = null;
    const text = (v: unknown): string | null =>
      v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);
    for (const r of rows) {
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
    const related = this.db
      .prepare('SELECT * FROM test_result WHERE retired = 0 AND (id = ? OR retest_of = ?) AND id <> ? ORDER BY attempt')
      .all(r['retest_of'] ?? '', r.id, r.id) as Row[];
    const oos = r['oos_id']
      ? this.ledger.get(T.oos, r['oos_id'] as string)
      : (this.db
          .prepare('SELECT * FROM oos_investigation WHERE result_id = ? ORDER BY opened_at DESC LIMIT 1')
          .get(r.id) as Row | undefined);
    return {
      result: this.view(r),
      history: this.history('test_result', r.id),
      signatures: this.identity.signaturesFor('test_result', r.id),
      attachments: (
        this.db.prepare('SELECT * FROM result_attachment WHERE result_id = ? ORDER BY added_at').all(r.id) as Row[]
      ).map((a) => this.attachmentView(a)),
      oos: oos ? this.oosView(oos) : null,
      related: this.views(related),
    };
  }

  // ------------------------------------------------------------------ plans

  private lot(code: string): Row | undefined {
    return this.db.prepare('SELECT * FROM lot WHERE code = ?').get(code) as Row | undefined;
  }

  /** Is a frequency-limited item due for this lot (issue 8 §1)? */
  isDue(item: Pick<SpecItem, 'code' | 'frequency' | 'frequency_n' | 'period_days'>, lot: Row): boolean {
    if (item.frequency === 'every_lot') return true;
    // A lot that already has this item planned keeps it due (the plan is the record).
    if (
      this.db
        .prepare('SELECT 1 FROM test_result WHERE lot_code = ? AND item_code = ? AND retired = 0 LIMIT 1')
        .get(lot['code'], item.code)
    )
      return true;
    const itemCode = lot['item_code'] as string;
    const date = (lot['lot_date'] as string).slice(0, 10);
    if (item.frequency === 'every_nth_lot') {
      const n = item.frequency_n ?? 1;
      if (n <= 1) return true;
      const previous = this.db
        .prepare(
          `SELECT code FROM lot WHERE item_code = ? AND retired = 0 AND code <> ? AND (substr(lot_date,1,10) < ? OR (substr(lot_date,1,10) = ? AND code < ?))
           ORDER BY substr(lot_date,1,10) DESC, code DESC LIMIT ?`,
        )
        .all(itemCode, lot['code'], date, date, lot['code'], n - 1) as Array<{ code: string }>;
      if (previous.length === 0) return true;
      const ph = previous.map(() => '?').join(',');
      const tested = this.db
        .prepare(`SELECT 1 FROM test_result WHERE item_code = ? AND retired = 0 AND lot_code IN (${ph}) LIMIT 1`)
        .get(item.code, ...previous.map((p) => p.code));
      // Due when none of the previous n − 1 lots had it (every nth lot of the product).
      return !tested && previous.length >= n - 1
        ? true
        : !tested && previous.length < n - 1
          ? this.noEarlierTest(itemCode, item.code, date)
          : false;
    }
    // periodic: due when the last lot that had it is period_days or more before this lot.
    const last = this.db
      .prepare(
        `SELECT max(substr(l.lot_date,1,10)) AS d FROM test_result r JOIN lot l ON l.code = r.lot_code
         WHERE r.product_code = ? AND r.item_code = ? AND r.retired = 0 AND substr(l.lot_date,1,10) <= ? AND l.code <> ?`,
      )
      .get(itemCode, item.code, date, lot['code']) as { d: string | null };
    if (!last.d) return true;
    return (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${last.d}T00:00:00Z`)) / DAY >= (item.period_days ?? 1);
  }

  /** Fewer than n − 1 earlier lots exist: due only if none of them had the item (the first lot of a product is tested). */
  private noEarlierTest(productCode: string, itemCode: string, date: string): boolean {
    return !this.db
      .prepare(
        `SELECT 1 FROM test_result r JOIN lot l ON l.code = r.lot_code WHERE r.product_code = ? AND r.item_code = ? AND r.retired = 0 AND substr(l.lot_date,1,10) <= ? LIMIT 1`,
      )
      .get(productCode, itemCode, date);
  }

  private specItems(versionId: string): SpecItem[] {
    const v = this.specs.versionItems(versionId);
    return v;
  }

  /**
   * The tests of a newly registered sample, in the registration's transaction: the items of
   * the specification version in force on the lot's date that are due (frequency), with
   * calculated items wired to their inputs and the basis parameters they need; for swab and
   * water samples one presence/absence test per target. Items that already have a current
   * result on the lot (from an earlier sample) are not planned again.
   */
  planSample(w: LedgerWriter, sample: Row): number {
    const kind = sample['kind'] as string;
    if (kind === 'retention' || sample['parent_sample_id']) return 0;
    const takenAt = sample['taken_at'] as number;
    const base = {
      sample_id: sample.id,
      sample_code: sample['code'] as string,
      lot_code: (sample['lot_code'] as string | null) ?? null,
      product_code: null as string | null,
      spec_version_id: (sample['spec_version_id'] as string | null) ?? null,
    };
    const planned: Array<{ item: TestItem; specItemId: string | null; reason: PlanReason }> = [];
    if (kind === 'environmental_swab' || kind === 'water') {
      for (const t of String(sample['targets'] ?? '')
        .split(',')
        .filter(Boolean))
        planned.push({ item: targetItem(t), specItemId: null, reason: 'target' });
    } else {
      const lot = base.lot_code ? this.lot(base.lot_code) : undefined;
      const panel = kind === 'raw_milk_tanker' && lot ? (this.hooks.panelItems?.(lot) ?? null) : null;
      if (lot && panel) {
        // Raw milk intake: the supplier's rapid panel at its sampling level (issue 9).
        base.product_code = lot['item_code'] as string;
        for (const item of panel) planned.push({ item, specItemId: null, reason: 'panel' });
        let position = 0;
        for (const p of planned) this.createTest(w, base, p.item, p.specItemId, p.reason, ++position, takenAt, 1, null);
        return planned.length;
      }
      if (!lot || !base.spec_version_id) return 0;
      base.product_code = lot['item_code'] as string;
      const tightened =
        kind === 'incoming_inspection' &&
        !!lot['supplier_code'] &&
        this.hooks.samplingLevel?.(lot['supplier_code'] as string) === 'tightened';
      const targets = String(sample['targets'] ?? '')
        .split(',')
        .filter(Boolean);
      const rows = this.db
        .prepare('SELECT id, code FROM spec_item WHERE version_id = ? AND retired = 0')
        .all(base.spec_version_id) as Array<{ id: string; code: string }>;
      const ids = new Map(rows.map((r) => [r.code, r.id]));
      const current = LOT_RESULT_KINDS.includes(kind) ? this.currentItemsOnLot(base.lot_code!) : new Set<string>();
      for (const item of this.specItems(base.spec_version_id)) {
        if (kind === 'in_process' ? !targets.includes(item.code) : !tightened && !this.isDue(item, lot)) continue;
        if (current.has(item.code)) continue;
        planned.push({
          item: specItemToTest(item),
          specItemId: ids.get(item.code) ?? null,
          reason: kind === 'in_process' ? 'target' : (item.frequency as PlanReason),
        });
      }
      // Basis parameters the plan needs and the specification does not give.
      const codes = new Set(planned.map((p) => p.item.code));
      for (const p of [...planned]) {
        for (const dep of dependenciesOf(p.item)) {
          if ((dep === RECONSTITUTION_ITEM || dep === ENERGY_ITEM) && !codes.has(dep) && !current.has(dep)) {
            planned.push({ item: parameterItem(dep), specItemId: null, reason: 'parameter' });
            codes.add(dep);
          }
        }
      }
    }
    let position = (
      this.db.prepare('SELECT coalesce(max(position), 0) AS p FROM test_result WHERE sample_id = ?').get(sample.id) as {
        p: number;
      }
    ).p;
    for (const p of planned) this.createTest(w, base, p.item, p.specItemId, p.reason, ++position, takenAt, 1, null);
    return planned.length;
  }

  private createTest(
    w: LedgerWriter,
    base: {
      sample_id: string;
      sample_code: string;
      lot_code: string | null;
      product_code: string | null;
      spec_version_id: string | null;
    },
    item: TestItem,
    specItemId: string | null,
    reason: PlanReason,
    position: number,
    takenAt: number,
    attempt: number,
    retestOf: string | null,
  ): Row {
    const tat = item.group === 'microbiology' ? TURNAROUND_HOURS.microbiology : TURNAROUND_HOURS.other;
    return w.create(T.result, {
      ...base,
      spec_item_id: specItemId,
      item_code: item.code,
      item_group: item.group,
      position,
      item: JSON.stringify(item),
      method_code: item.method_code,
      calculated: item.formula ? 1 : 0,
      plan_reason: reason,
      due_at: Math.max(takenAt, w.at) + tat * HOUR,
      assigned_to: null,
      instrument_id: null,
      status: 'pending',
      replicates: null,
      unit_values: null,
      value: null,
      reported: null,
      verdict: null,
      verdict_reason: null,
      verdict_details: null,
      external_lab: null,
      external_report_no: null,
      analyst_id: null,
      entered_at: null,
      submitted_by: null,
      submitted_at: null,
      reviewed_by: null,
      reviewed_at: null,
      return_reason: null,
      invalidated_reason: null,
      attempt,
      retest_of: retestOf,
      oos_id: null,
      note: null,
    });
  }

  /** Items with a current (not invalidated) result on a lot, from samples whose results count for it. */
  private currentItemsOnLot(lotCode: string): Set<string> {
    const rows = this.db
      .prepare(
        `SELECT DISTINCT r.item_code FROM test_result r JOIN sample s ON s.id = r.sample_id
         WHERE r.lot_code = ? AND r.retired = 0 AND r.status <> 'invalidated' AND s.status <> 'cancelled' AND s.kind IN (${LOT_RESULT_KINDS.map(() => '?').join(',')})`,
      )
      .all(lotCode, ...LOT_RESULT_KINDS) as Array<{ item_code: string }>;
    return new Set(rows.map((r) => r.item_code));
  }

  plan(actor: Actor, sampleCode: string): { created: number } {
    const s = this.samples.mustSample(sampleCode);
    if (s['status'] === 'cancelled') fail('conflict', { code: sampleCode }, 'errors.sample_cancelled');
    if (this.sampleRows(s.id).length > 0) fail('conflict', { code: sampleCode }, 'errors.sample_has_plan');
    return this.ledger.write(actor, (w) => {
      // The sample may have been registered before its specification was approved.
      let sample = s;
      if (!s['spec_version_id'] && s['lot_code']) {
        const specId = this.samples.specVersionFor(s['lot_code'] as string);
        if (specId) sample = this.samples.setSpecVersion(w, s, specId);
      }
      const created = this.planSample(w, sample);
      if (created === 0) fail('conflict', { code: sampleCode }, 'errors.no_spec_for_sample');
      return { created };
    });
  }

  addTest(actor: Actor, sampleCode: string, itemCode: string, reason: string): ResultView {
    const s = this.samples.mustSample(sampleCode);
    if (!['registered', 'received', 'in_testing'].includes(s['status'] as string))
      fail('conflict', { code: sampleCode, status: s['status'] }, 'errors.sample_closed');
    if (!s['spec_version_id']) fail('conflict', { code: sampleCode }, 'errors.no_spec_for_sample');
    const item = this.specItems(s['spec_version_id'] as string).find((i) => i.code === itemCode);
    if (!item) fail('not_found', { entity: 'spec_item', id: itemCode }, 'errors.item_not_in_spec');
    const onSample = this.sampleRows(s.id).some((r) => r['item_code'] === itemCode && r['status'] !== 'invalidated');
    const onLot = s['lot_code'] ? this.currentItemsOnLot(s['lot_code'] as string).has(itemCode) : false;
    // Nobody tests into compliance: a second result for an item needs an OOS investigation.
    if (onSample || onLot)
      fail('conflict', { item: itemCode, lot: s['lot_code'] }, 'errors.retest_needs_investigation');
    return this.ledger.write(actor, (w) => {
      const idRow = this.db
        .prepare('SELECT id FROM spec_item WHERE version_id = ? AND code = ? AND retired = 0')
        .get(s['spec_version_id'], itemCode) as { id: string } | undefined;
      const position =
        (
          this.db.prepare('SELECT coalesce(max(position), 0) AS p FROM test_result WHERE sample_id = ?').get(s.id) as {
            p: number;
          }
        ).p + 1;
      const lot = s['lot_code'] ? this.lot(s['lot_code'] as string) : undefined;
      const r = this.createTest(
        w,
        {
          sample_id: s.id,
          sample_code: s['code'] as string,
          lot_code: (s['lot_code'] as string | null) ?? null,
          product_code: (lot?.['item_code'] as string | undefined) ?? null,
          spec_version_id: s['spec_version_id'] as string,
        },
        specItemToTest(item),
        idRow?.id ?? null,
        'added',
        position,
        s['taken_at'] as number,
        1,
        null,
      );
      w.update(T.result, r.id, { note: reason }, { reason });
      return this.view(w.get(T.result, r.id)!);
    });
  }

  assign(
    actor: Actor,
    ids: string[],
    assignedTo: string | null | undefined,
    instrumentId: string | null | undefined,
  ): { updated: number } {
    if (assignedTo) {
      const u = this.identity.getUser(assignedTo);
      if (!u) fail('not_found', { entity: 'user', id: assignedTo }, 'errors.user_not_found');
    }
    return this.ledger.write(actor, (w) => {
      let updated = 0;
      for (const id of ids) {
        const r = w.get(T.result, id);
        if (!r || r.retired) fail('not_found', { entity: 'test_result', id }, 'errors.result_not_found');
        if (!EDITABLE.has(r['status'] as string)) continue;
        const patch: Record<string, Value> = {};
        if (assignedTo !== undefined) patch['assigned_to'] = assignedTo;
        if (instrumentId !== undefined) patch['instrument_id'] = instrumentId;
        if (Object.keys(patch).length === 0) continue;
        w.update(T.result, id, patch, { reason: 'assigned' });
        updated++;
      }
      return { updated };
    });
  }

  // ------------------------------------------------------------------ entry and calculation

  /**
   * The values of an entry as the item stores them (src/shared/rules/entry.ts): micro notation
   * of counts as plain decimals, 未检出 / 阴性 / 阳性 / 疑似阳性 as the words the rules read.
   */
  private normalized(r: Row, i: EntryInput): EntryInput {
    const item = this.item(r);
    const norm = (vs: string[] | undefined) => (vs === undefined ? undefined : vs.map((v) => normalizeEntry(item, v)));
    return { ...i, replicates: norm(i.replicates), unitValues: norm(i.unitValues) };
  }

  private checkEntry(r: Row, i: EntryInput): void {
    const item = this.item(r);
    if (r['calculated'] === 1) fail('conflict', { item: item.code }, 'errors.result_calculated');
    if (isPlanItem(item)) {
      if (i.replicates !== undefined)
        fail('invalid_input', { field: 'replicates', item: item.code }, 'errors.result_needs_units');
      if (i.unitValues !== undefined && i.unitValues.length !== (item.n ?? 0)) {
        fail(
          'invalid_input',
          { field: 'unitValues', item: item.code, expected: item.n ?? 0, got: i.unitValues.length },
          'errors.result_unit_count',
        );
      }
    } else if (i.unitValues !== undefined) {
      fail('invalid_input', { field: 'unitValues', item: item.code }, 'errors.result_needs_replicates');
    }
    const presumptive = confirmsPresumptive(item.method_code);
    for (const [field, list] of [
      ['replicates', i.replicates ?? []],
      ['unitValues', i.unitValues ?? []],
    ] as const) {
      for (const v of list) {
        const problem = entryProblem(item, normalizeEntry(item, v), { presumptive });
        // Qualitative units belong to presence/absence plans only, never to counts (issue 19 §4).
        if (problem === 'qualitative')
          fail('invalid_input', { field, item: item.code, value: v }, 'errors.result_qualitative_not_allowed');
        if (problem === 'presumptive')
          fail('invalid_input', { field, item: item.code, value: v }, 'errors.result_presumptive_not_allowed');
        if (problem === 'format')
          fail('invalid_input', { field, item: item.code, value: v }, 'errors.result_value_not_for_item');
      }
    }
  }

  /**
   * A value typed over one captured from an instrument needs a reason (issue 10 §5); the
   * capture keeps its raw bytes and is marked `typed_over`, which review shows.
   */
  private checkTypedOver(w: LedgerWriter, r: Row, replicates: string[], reason: string | undefined): void {
    const captures = this.db
      .prepare("SELECT * FROM instrument_capture WHERE result_id = ? AND status = 'used' AND retired = 0")
      .all(r.id) as Row[];
    for (const c of captures) {
      const k = c['replicate_index'] as number;
      const now = (replicates[k] ?? '').trim();
      if (now === c['value']) continue;
      if (!reason)
        fail(
          'invalid_input',
          { field: 'typedOverReason', item: r['item_code'], replicate: k + 1, captured: c['value'] },
          'errors.capture_typed_over_reason',
        );
      w.update(
        IN.capture,
        c.id,
        { status: 'typed_over', typed_over_reason: reason },
        { reason: `typed over: ${reason}` },
      );
    }
  }

  /**
   * A reading captured from an instrument into replicate k (inside the capture's transaction).
   * `recompute: false` leaves the sample's recomputation to a later call in the same
   * transaction (a print-format record filling several results recomputes once, at its last).
   * `verdictChangeReason`: needed when the reading turns a saved failing verdict (issue 19 §4);
   * `edited`: the other results the same record filled (their verdicts are held to that rule too).
   */
  applyCapture(
    w: LedgerWriter,
    resultId: string,
    k: number,
    value: string,
    instrumentCode: string,
    opts: { recompute?: boolean; verdictChangeReason?: string; edited?: ReadonlySet<string> } = {},
  ): ResultView[] {
    const r = w.get(T.result, resultId);
    if (!r || r.retired) fail('not_found', { entity: 'test_result', id: resultId }, 'errors.result_not_found');
    this.mustBeTestable(r['sample_id'] as string);
    if (!EDITABLE.has(r['status'] as string))
      fail('conflict', { item: r['item_code'], status: r['status'] }, 'errors.result_submitted_use_correct');
    if (isPlanItem(this.item(r))) fail('invalid_input', { item: r['item_code'] }, 'errors.result_needs_units');
    const reps = arr(r['replicates']);
    while (reps.length <= k) reps.push('');
    reps[k] = value;
    // An earlier capture of the same replicate is superseded by this one.
    for (const c of this.db
      .prepare(
        "SELECT id FROM instrument_capture WHERE result_id = ? AND replicate_index = ? AND status = 'used' AND retired = 0 AND at < ?",
      )
      .all(resultId, k, w.at) as Array<{ id: string }>) {
      w.update(
        IN.capture,
        c.id,
        { status: 'typed_over', typed_over_reason: 'captured again' },
        { reason: 'captured again' },
      );
    }
    this.startTestingIfNeeded(w, r['sample_id'] as string);
    const saved = this.applyEntry(
      w,
      r,
      { replicates: reps, instrumentId: instrumentCode },
      `captured from ${instrumentCode}`,
    );
    if (opts.recompute === false) return [];
    const changed = this.recompute(w, r['sample_id'] as string, `${r['item_code']} captured`, {
      via: 'capture',
      reason: opts.verdictChangeReason,
      edited: new Set([resultId, ...(opts.edited ?? [])]),
    });
    const ids = new Set([saved.id, ...changed.map((c) => c.id)]);
    return this.views([...ids].map((x) => w.get(T.result, x)!));
  }

  /** Saves raw data of one test (status pending/entered/returned) inside a transaction. */
  private applyEntry(
    w: LedgerWriter,
    r: Row,
    raw: EntryInput,
    reason?: string,
    opts: { confirming?: number } = {},
  ): Row {
    this.checkEntry(r, raw);
    const i = this.normalized(r, raw);
    const before = arr(r['unit_values']);
    if (i.unitValues !== undefined) this.checkPresumptives(r, before, i.unitValues, opts.confirming);
    if (i.replicates !== undefined) this.checkTypedOver(w, r, i.replicates, i.typedOverReason);
    const patch: Record<string, Value> = {};
    if (i.replicates !== undefined) patch['replicates'] = JSON.stringify(i.replicates.map((v) => v.trim()));
    if (i.unitValues !== undefined) patch['unit_values'] = JSON.stringify(i.unitValues.map((v) => v.trim()));
    if (i.instrumentId !== undefined) patch['instrument_id'] = i.instrumentId;
    if (i.external !== undefined) {
      patch['external_lab'] = i.external?.lab ?? null;
      patch['external_report_no'] = i.external?.reportNo ?? null;
    }
    if (i.note !== undefined) patch['note'] = i.note;
    const empty = (v: Value | undefined) => v === undefined || v === null || arr(v).every((x) => x === '');
    const replicates = patch['replicates'] ?? r['replicates'];
    const units = patch['unit_values'] ?? r['unit_values'];
    const hasValue = !empty(replicates) || !empty(units);
    // A value measured on an instrument names it, unlocked, of the method's kind (issue 19 §5).
    const valuesChanged =
      (patch['replicates'] !== undefined && patch['replicates'] !== (r['replicates'] ?? null)) ||
      (patch['unit_values'] !== undefined && patch['unit_values'] !== (r['unit_values'] ?? null));
    if (this.instrumentGuard && hasValue && (valuesChanged || i.instrumentId !== undefined)) {
      const ref = i.instrumentId !== undefined ? i.instrumentId : ((r['instrument_id'] as string | null) ?? null);
      const stored = this.instrumentGuard.checkValue(w, r, ref);
      if (i.instrumentId !== undefined) patch['instrument_id'] = stored;
    }
    patch['analyst_id'] = w.actor.id;
    patch['entered_at'] = w.at;
    patch['status'] = hasValue ? (r['status'] === 'returned' ? 'returned' : 'entered') : 'pending';
    if (!hasValue) {
      patch['analyst_id'] = null;
      patch['entered_at'] = null;
    }
    const saved = w.update(T.result, r.id, patch, {
      reason: reason ?? (r['status'] === 'pending' ? 'entered' : 'changed before submission'),
    });
    if (r['item_group'] === 'microbiology') {
      // A presumptive positive holds a finished IMF lot at once (issue 20 §3).
      if (i.unitValues !== undefined) this.micro.presumptive(w, saved, before, i.unitValues);
      this.micro.refresh(w, r.id);
      return w.get(T.result, r.id)!;
    }
    return saved;
  }

  /**
   * A presumptive unit leaves `presumptive` only by its confirmation, and on a method that
   * confirms presumptive positives a unit becomes `present` only that way (issue 20 §3).
   */
  private checkPresumptives(r: Row, before: string[], after: string[], confirming: number | undefined): void {
    const confirms = confirmsPresumptive(r['method_code'] as string | null);
    after.forEach((u, k) => {
      if (k === confirming) return;
      if (before[k] === 'presumptive' && u !== 'presumptive')
        fail('conflict', { item: r['item_code'], unit: k + 1, value: u }, 'errors.presumptive_needs_confirmation');
      if (confirms && u === 'present' && before[k] !== 'present')
        fail('invalid_input', { item: r['item_code'], unit: k + 1 }, 'errors.present_needs_confirmation');
    });
  }

  /**
   * Recomputes value, reported value and verdict of every current result of a sample:
   * measured ones from their raw data, calculated ones from their inputs, conversions from
   * the sample's energy and reconstitution. A submitted or reviewed result whose outcome
   * changes (an input was corrected) goes back to `entered`, to be submitted and reviewed
   * again — except a result under OOS investigation, which only its investigation settles
   * (D-024): a change of one of its inputs is refused. A saved failing verdict that would
   * leave `fail` needs the reason the write carries, and is recorded (issue 19 §4).
   */
  private recompute(w: LedgerWriter, sampleId: string, why: string, change: ChangeContext): Row[] {
    const rows = (
      this.db
        .prepare('SELECT id FROM test_result WHERE sample_id = ? AND retired = 0 ORDER BY position, attempt')
        .all(sampleId) as Array<{ id: string }>
    ).map((x) => w.get(T.result, x.id)!);
    const current = rows.filter((r) => CURRENT.has(r['status'] as string));
    const rules = this.rules();
    const computed = new Map<string, ComputedResult>();
    // Fixed point: calculated items may depend on calculated items (energy ← carbohydrate).
    for (let pass = 0; pass <= current.length; pass++) {
      const values: Record<string, string> = {};
      for (const r of current) {
        const c = computed.get(r.id);
        const v = c ? c.value : null;
        if (v !== null && parseDecimal(v).ok) values[r['item_code'] as string] = v;
      }
      const energyRow = current.find((r) => r['item_code'] === ENERGY_ITEM);
      const ctxBase = {
        energyKJPer100g: energyRow && values[ENERGY_ITEM] ? energyKJ(this.item(energyRow), values[ENERGY_ITEM]) : null,
        reconstitution: values[RECONSTITUTION_ITEM] ?? null,
      };
      let changed = false;
      for (const r of current) {
        const item = this.item(r);
        const ctx = { ...ctxBase, rule: item.method_code ? (rules[item.method_code] ?? null) : null };
        const c =
          r['calculated'] === 1
            ? computeCalculated(item, values, ctx)
            : computeMeasured(item, { replicates: arr(r['replicates']), unitValues: arr(r['unit_values']) }, ctx);
        const prev = computed.get(r.id);
        if (!prev || JSON.stringify(prev) !== JSON.stringify(c)) changed = true;
        computed.set(r.id, c);
      }
      if (!changed) break;
    }
    const flips: Flip[] = [];
    const writes: Array<() => Row> = [];
    for (const r of current) {
      const c = computed.get(r.id)!;
      const patch: Record<string, Value> = {
        value: c.value,
        reported: c.reported,
        verdict: c.verdict,
        // "No value yet" is the planned state, not a change worth an audit entry.
        verdict_reason: c.reason === 'testing.no_value' ? null : c.reason,
        verdict_details:
          Object.keys(c.details).length || c.waitingFor.length
            ? JSON.stringify({ ...c.details, ...(c.waitingFor.length ? { waitingFor: c.waitingFor.join(', ') } : {}) })
            : null,
      };
      const same = (Object.keys(patch) as string[]).every((k) => (patch[k] ?? null) === (r[k] ?? null));
      const status = r['status'] as string;
      const submitted = status === 'submitted' || status === 'reviewed';
      // The unrounded value in the specification's basis (control charts use it). A result
      // saved before migration 0014 gets it when it is next written, never by itself.
      const convertedSame = (c.converted ?? null) === (r['converted'] ?? null);
      if (!same || (!submitted && !convertedSame)) patch['converted'] = c.converted;
      if (!same && r['oos_id'] && submitted)
        fail('conflict', { item: r['item_code'], input: why }, 'errors.result_under_oos_input');
      const leavesFail = r['verdict'] === 'fail' && c.verdict !== 'fail';
      if (leavesFail && (BEFORE_SUBMIT.has(status) || change.via === 'correction' || change.via === 'invalidation'))
        flips.push({ row: r, toVerdict: c.verdict, toReported: c.reported });
      const flipNote = leavesFail ? ` — verdict fail → ${c.verdict ?? 'none'}: ${change.reason?.trim() ?? ''}` : '';
      if (r['calculated'] === 1) {
        const hasValue = c.value !== null;
        if (!hasValue && status !== 'pending') {
          patch['status'] = 'pending';
          patch['analyst_id'] = null;
          patch['entered_at'] = null;
        } else if (hasValue && (status === 'pending' || !same)) {
          if (status === 'pending' || submitted) patch['status'] = 'entered';
          patch['analyst_id'] = w.actor.id;
          patch['entered_at'] = w.at;
        }
        if (same && !patch['status'] && !('converted' in patch)) continue;
        writes.push(() =>
          w.update(T.result, r.id, patch, {
            reason: (submitted ? `correction: recalculated (${why})` : `calculated (${why})`) + flipNote,
          }),
        );
        continue;
      }
      if (same && !('converted' in patch)) continue;
      if (!same && submitted) {
        patch['status'] = 'entered';
        writes.push(() => w.update(T.result, r.id, patch, { reason: `correction: recalculated (${why})${flipNote}` }));
      } else writes.push(() => w.update(T.result, r.id, patch, { reason: `computed (${why})${flipNote}` }));
    }
    // Refused before anything of the recomputation is written when a reason is missing.
    recordFlips(w, flips, change);
    return writes.map((write) => write());
  }

  private startTestingIfNeeded(w: LedgerWriter, sampleId: string): void {
    const s = w.get({ ...this.sampleDef() }, sampleId)!;
    if (s['status'] === 'received') this.samples.startTesting(w, s['code'] as string);
  }

  private sampleDef() {
    return this.samples.entity();
  }

  private mustBeTestable(sampleId: string): Row {
    const s = this.ledger.get(this.sampleDef(), sampleId)!;
    const st = s['status'] as string;
    if (st === 'registered') fail('conflict', { code: s['code'] }, 'errors.sample_not_received');
    if (st !== 'received' && st !== 'in_testing')
      fail('conflict', { code: s['code'], status: st }, 'errors.sample_closed');
    return s;
  }

  enter(actor: Actor, id: string, i: EntryInput): { changed: ResultView[] } {
    const r0 = this.row(id);
    this.mustBeTestable(r0['sample_id'] as string);
    return this.ledger.write(actor, (w) => {
      const r = w.get(T.result, id)!;
      if (i.expectedRev !== undefined && r.rev !== i.expectedRev) fail('conflict', { id }, 'errors.stale_record');
      if (!EDITABLE.has(r['status'] as string))
        fail('conflict', { item: r['item_code'], status: r['status'] }, 'errors.result_submitted_use_correct');
      this.startTestingIfNeeded(w, r['sample_id'] as string);
      const saved = this.applyEntry(w, r, i);
      const changed = this.recompute(w, r['sample_id'] as string, r['item_code'] as string, {
        via: 'entry',
        reason: i.verdictChangeReason,
        edited: new Set([id]),
      });
      const ids = new Set([saved.id, ...changed.map((c) => c.id)]);
      return { changed: this.views([...ids].map((x) => w.get(T.result, x)!)) };
    });
  }

  enterMany(
    actor: Actor,
    entries: Array<{ id: string; replicates?: string[] | undefined; unitValues?: string[] | undefined }>,
    verdictChangeReason?: string,
  ): { changed: ResultView[] } {
    const rows = entries.map((e, index) => {
      try {
        const r = this.row(e.id);
        this.mustBeTestable(r['sample_id'] as string);
        if (!EDITABLE.has(r['status'] as string))
          fail('conflict', { item: r['item_code'], status: r['status'] }, 'errors.result_submitted_use_correct');
        this.checkEntry(r, e);
        return r;
      } catch (err) {
        // Name the row: the whole paste is refused and nothing is saved.
        const e2 = err as { error?: { details?: Record<string, unknown> } };
        if (e2.error) e2.error.details = { ...(e2.error.details ?? {}), row: index + 1 };
        throw err;
      }
    });
    return this.ledger.write(actor, (w) => {
      const ids = new Set<string>();
      const samples = new Set<string>();
      entries.forEach((e, k) => {
        const r = w.get(T.result, rows[k]!.id)!;
        this.startTestingIfNeeded(w, r['sample_id'] as string);
        ids.add(this.applyEntry(w, r, e).id);
        samples.add(r['sample_id'] as string);
      });
      for (const s of samples)
        for (const c of this.recompute(w, s, 'pasted', {
          via: 'paste',
          reason: verdictChangeReason,
          edited: new Set(entries.map((e) => e.id)),
        }))
          ids.add(c.id);
      return { changed: this.views([...ids].map((x) => w.get(T.result, x)!)) };
    });
  }

  /** A change after submission (issue 8 §4): reason required, the original stays in the history. */
  correct(actor: Actor, id: string, i: EntryInput, reason: string): { changed: ResultView[] } {
    const r0 = this.row(id);
    this.mustBeTestable(r0['sample_id'] as string);
    const st = r0['status'] as string;
    if (EDITABLE.has(st)) return this.enter(actor, id, i);
    if (st !== 'submitted' && st !== 'reviewed')
      fail('conflict', { item: r0['item_code'], status: st }, 'errors.result_transition_not_allowed');
    // A failing result is settled by its OOS investigation, never by overwriting it.
    if (r0['oos_id'] || r0['verdict'] === 'fail')
      fail('conflict', { item: r0['item_code'] }, 'errors.result_under_oos');
    return this.ledger.write(actor, (w) => {
      const r = w.get(T.result, id)!;
      const moved = w.update(
        T.result,
        r.id,
        { status: 'entered', submitted_by: null, submitted_at: null, reviewed_by: null, reviewed_at: null },
        { reason: `correction: ${reason}` },
      );
      const saved = this.applyEntry(w, moved, i, `correction: ${reason}`);
      const changed = this.recompute(w, r['sample_id'] as string, `${r['item_code']} corrected`, {
        via: 'correction',
        reason,
      });
      const ids = new Set([saved.id, ...changed.map((c) => c.id)]);
      return { changed: this.views([...ids].map((x) => w.get(T.result, x)!)) };
    });
  }

  // ------------------------------------------------------------------ micro workflow (issue 20 §3)

  /** Incubation of micro tests started (at the time given, not in the future, not before sampling). */
  microStart(actor: Actor, ids: string[], startedAt?: string): { updated: ResultView[] } {
    return this.ledger.write(actor, (w) => {
      const at = startedAt ? Date.parse(startedAt) : w.at;
      if (at > w.at + 60_000) fail('invalid_input', { field: 'startedAt' }, 'errors.micro_start_in_future');
      const out: Row[] = [];
      for (const id of ids) {
        const r = w.get(T.result, id);
        if (!r || r.retired) fail('not_found', { entity: 'test_result', id }, 'errors.result_not_found');
        const s = this.mustBeTestable(r['sample_id'] as string);
        if (!EDITABLE.has(r['status'] as string))
          fail('conflict', { item: r['item_code'], status: r['status'] }, 'errors.result_transition_not_allowed');
        if (at < (s['taken_at'] as number))
          fail('invalid_input', { field: 'startedAt', item: r['item_code'] }, 'errors.micro_start_before_sampling');
        this.startTestingIfNeeded(w, r['sample_id'] as string);
        out.push(this.micro.start(w, r, at));
      }
      return { updated: this.views(out.map((r) => w.get(T.result, r.id)!)) };
    });
  }

  /**
   * The confirmation of a presumptive unit (1-based): confirmed → `present`, not confirmed →
   * `absent`, with the identification used. The only way a presumptive unit changes.
   */
  microConfirm(
    actor: Actor,
    id: string,
    unit: number,
    outcome: 'confirmed' | 'not_confirmed',
    evidence: string,
  ): { changed: ResultView[] } {
    return this.ledger.write(actor, (w) => {
      const r = w.get(T.result, id);
      if (!r || r.retired) fail('not_found', { entity: 'test_result', id }, 'errors.result_not_found');
      this.mustBeTestable(r['sample_id'] as string);
      if (!EDITABLE.has(r['status'] as string))
        fail('conflict', { item: r['item_code'], status: r['status'] }, 'errors.result_transition_not_allowed');
      const values = arr(r['unit_values']);
      const k = unit - 1;
      if (values[k] !== 'presumptive') fail('conflict', { item: r['item_code'], unit }, 'errors.unit_not_presumptive');
      values[k] = outcome === 'confirmed' ? 'present' : 'absent';
      const saved = this.applyEntry(
        w,
        r,
        { unitValues: values },
        `confirmation: unit ${unit} ${outcome === 'confirmed' ? 'confirmed' : 'not confirmed'} (${evidence})`,
        { confirming: k },
      );
      this.micro.confirmation(w, saved, k, outcome, evidence);
      this.micro.refresh(w, id);
      const changed = this.recompute(w, r['sample_id'] as string, `${r['item_code']} unit ${unit} ${outcome}`, {
        via: 'confirmation',
        reason: evidence,
        edited: new Set([id]),
      });
      const ids = new Set([id, ...changed.map((c) => c.id)]);
      return { changed: this.views([...ids].map((x) => w.get(T.result, x)!)) };
    });
  }

  microHolds(f: { lotCode?: string | undefined; status?: 'open' | 'reviewed' | undefined }): MicroHoldView[] {
    return this.micro.holds(f);
  }

  microStatus(lotCode: string): MicroLotStatus {
    return this.micro.status(lotCode);
  }

  /** A QA manager reviews an automatic micro hold (signed `reviewed`); the lot's decision stays with disposition. */
  async microHoldReview(
    signerId: string,
    holdId: string,
    note: string,
    password: string,
    meaning: SignatureMeaning,
  ): Promise<MicroHoldView> {
    if (meaning !== 'reviewed')
      fail('invalid_input', { field: 'signature.meaning', expected: 'reviewed' }, 'errors.signature_meaning_mismatch');
    const check = (h: Row | undefined): Row => {
      if (!h || h.retired) fail('not_found', { entity: 'micro_hold', id: holdId }, 'errors.micro_hold_not_found');
      if (h['status'] !== 'open') fail('conflict', { id: holdId, status: h['status'] }, 'errors.micro_hold_reviewed');
      return h;
    };
    check(this.ledger.get(T.microHold, holdId));
    const signer = await this.identity.authenticateSigner(signerId, password);
    return this.ledger.write(actorOf(signer), (w) => {
      check(w.get(T.microHold, holdId));
      const row = w.update(
        T.microHold,
        holdId,
        { status: 'reviewed', reviewed_by: signer.id, reviewed_at: w.at, review_note: note },
        { reason: `reviewed: ${note}` },
      );
      this.identity.sign(w, signer, { def: T.microHold, id: holdId }, { meaning: 'reviewed', comment: note });
      return this.micro.holdView(row);
    });
  }

  // ------------------------------------------------------------------ submission and review

  async submit(
    signerId: string,
    sampleCode: string,
    ids: string[] | undefined,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
    expectedRevs?: Record<string, number>,
  ): Promise<{ submitted: number; oos: string[] }> {
    if (meaning !== 'authored')
      fail('invalid_input', { field: 'signature.meaning', expected: 'authored' }, 'errors.signature_meaning_mismatch');
    const s = this.samples.mustSample(sampleCode);
    this.mustBeTestable(s.id);
    // What was there when the analyst asked to sign: anything changed by the time the write
    // runs (another person's entry while the password was checked) is not signed.
    const seen = new Map(this.sampleRows(s.id).map((r) => [r.id, r.rev]));
    const signer = await this.identity.authenticateSigner(signerId, password);
    return this.ledger.write(actorOf(signer), (w) => {
      // Evaluated again inside the write: the sample may have been cancelled, a value changed
      // while the password was checked (the analyst signs what the screen showed).
      this.mustBeTestable(s.id);
      const rows = this.sampleRows(s.id).map((r) => w.get(T.result, r.id)!);
      const chosen = rows.filter(
        (r) => (ids ? ids.includes(r.id) : true) && (r['status'] === 'entered' || r['status'] === 'returned'),
      );
      if (ids) {
        for (const id of ids)
          if (!rows.some((r) => r.id === id))
            fail('not_found', { entity: 'test_result', id }, 'errors.result_not_found');
      }
      for (const r of chosen) {
        this.checkRev(r, expectedRevs);
        this.checkRev(r, { [r.id]: seen.get(r.id) ?? -1 });
      }
      if (chosen.length === 0) fail('conflict', { code: sampleCode }, 'errors.nothing_to_submit');
      const notReady = chosen.filter((r) => r['verdict'] === null || r['verdict'] === 'invalid');
      if (notReady.length)
        fail('conflict', { items: notReady.map((r) => r['item_code']).join(', ') }, 'errors.result_not_computable');
      const oos: string[] = [];
      for (const r of chosen) {
        w.update(
          T.result,
          r.id,
          { status: 'submitted', submitted_by: signer.id, submitted_at: w.at, return_reason: null },
          { reason: 'submitted' },
        );
        this.identity.sign(w, signer, { def: T.result, id: r.id }, { meaning: 'authored', comment });
        if (r['verdict'] === 'fail' && !r['oos_id']) {
          const kind = s['kind'] as string;
          // A tanker's failing check is settled by the intake decision, a positive swab by
          // its environmental alert; product and ingredient results by an OOS investigation.
          if (kind === 'environmental_swab' || kind === 'water')
            this.hooks.swabPositive?.(w, w.get(T.result, r.id)!, s);
          else if (kind !== 'raw_milk_tanker') {
            oos.push(this.openOos(w, w.get(T.result, r.id)!));
            const supplier =
              kind === 'incoming_inspection' && r['lot_code']
                ? (this.lot(r['lot_code'] as string)?.['supplier_code'] as string | null)
                : null;
            if (supplier)
              this.hooks.inspectionFailed?.(
                w,
                supplier,
                `incoming inspection ${sampleCode}: ${r['item_code']} ${r['reported'] ?? ''}`,
              );
          }
        }
      }
      return { submitted: chosen.length, oos };
    });
  }

  /** A stale screen: the revision the person saw is not the one in the record. */
  private checkRev(r: Row, expectedRevs: Record<string, number> | undefined): void {
    const want = expectedRevs?.[r.id];
    if (want !== undefined && want !== r.rev)
      fail(
        'conflict',
        { item: r['item_code'], id: r.id, rev: r.rev, expected: want },
        'errors.result_changed_meanwhile',
      );
  }

  /**
   * Independent review (issue 19 §3): whoever entered, changed, captured or submitted any
   * value of a result — any revision, any replicate — neither approves nor returns it.
   * Read from the audit trail inside the caller's transaction (independence.ts).
   */
  private checkIndependent(userId: string, rows: readonly Row[], decision: 'approve' | 'return'): void {
    const who = contributions(
      this.db,
      rows.map((r) => r.id),
    );
    for (const r of rows) {
      const mine = who.get(r.id)?.get(userId);
      if (mine)
        fail(
          'self_review',
          {
            meaning: 'reviewed',
            conflictsWith: 'authored',
            decision,
            item: r['item_code'],
            sample: r['sample_code'],
            how: [...mine].join(', '),
          },
          'errors.review_not_independent',
        );
    }
  }

  /** Everything that decides whether these results may be reviewed or returned by this person now. */
  private checkReviewable(
    userId: string,
    ids: readonly string[],
    get: (id: string) => Row | undefined,
    decision: 'approve' | 'return',
    expectedRevs: Record<string, number> | undefined,
  ): Row[] {
    const rows = ids.map((id) => {
      const r = get(id);
      if (!r || r.retired) fail('not_found', { entity: 'test_result', id }, 'errors.result_not_found');
      return r;
    });
    for (const r of rows) {
      if (r['status'] !== 'submitted')
        fail('conflict', { item: r['item_code'], status: r['status'] }, 'errors.result_transition_not_allowed');
      this.checkRev(r, expectedRevs);
      const sample = this.ledger.get(this.sampleDef(), r['sample_id'] as string);
      if (sample?.['status'] === 'cancelled')
        fail('conflict', { code: sample['code'], status: 'cancelled' }, 'errors.sample_closed');
      if (decision === 'return' && r['oos_id']) fail('conflict', { item: r['item_code'] }, 'errors.result_under_oos');
    }
    this.checkIndependent(userId, rows, decision);
    return rows;
  }

  async review(
    signerId: string,
    ids: string[],
    decision: 'approve' | 'return',
    reason: string | undefined,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
    expectedRevs?: Record<string, number>,
  ): Promise<{ reviewed: number; returned: number }> {
    if (decision === 'return' && !reason) fail('invalid_input', { field: 'reason' }, 'errors.return_reason_required');
    if (decision === 'approve' && meaning !== 'reviewed')
      fail('invalid_input', { field: 'signature.meaning', expected: 'reviewed' }, 'errors.signature_meaning_mismatch');
    // Refused at once, before the password, when it already cannot succeed…
    const before = this.checkReviewable(signerId, ids, (id) => this.ledger.get(T.result, id), decision, expectedRevs);
    const seen: Record<string, number> = Object.fromEntries(before.map((r) => [r.id, r.rev]));
    const signer = await this.identity.authenticateSigner(signerId, password);
    return this.ledger.write(actorOf(signer), (w) => {
      // …and decided again inside the write, on the records as they are now (issue 19 §7):
      // a result changed while the password was checked is not the one the reviewer saw.
      const rows = this.checkReviewable(signer.id, ids, (id) => w.get(T.result, id), decision, expectedRevs);
      for (const r of rows) this.checkRev(r, seen);
      const samples = new Set<string>();
      for (const r of rows) {
        const id = r.id;
        samples.add(r['sample_id'] as string);
        if (decision === 'approve') {
          w.update(
            T.result,
            id,
            { status: 'reviewed', reviewed_by: signer.id, reviewed_at: w.at },
            { reason: 'reviewed' },
          );
          this.identity.sign(
            w,
            signer,
            { def: T.result, id },
            { meaning: 'reviewed', comment: comment ?? reason, distinctFrom: ['authored'] },
          );
        } else {
          w.update(
            T.result,
            id,
            { status: 'returned', return_reason: reason!, submitted_by: null, submitted_at: null },
            { reason: `returned: ${reason}` },
          );
        }
      }
      for (const s of samples) this.completeIfDone(w, s);
      return { reviewed: decision === 'approve' ? ids.length : 0, returned: decision === 'return' ? ids.length : 0 };
    });
  }

  /** A sample is complete when all its current tests are reviewed (domain model). */
  private completeIfDone(w: LedgerWriter, sampleId: string): void {
    const s = w.get(this.sampleDef(), sampleId)!;
    if (s['status'] !== 'in_testing') return;
    const rows = this.sampleRows(sampleId).map((r) => w.get(T.result, r.id)!);
    const current = rows.filter((r) => r['status'] !== 'invalidated');
    if (current.length > 0 && current.every((r) => r['status'] === 'reviewed'))
      this.samples.complete(w, s['code'] as string);
  }

  reviewQueue(userId: string, offset: number, limit: number) {
    const total = (
      this.db
        .prepare("SELECT count(DISTINCT sample_id) AS n FROM test_result WHERE status = 'submitted' AND retired = 0")
        .get() as { n: number }
    ).n;
    const rows = this.db
      .prepare(
        `SELECT r.sample_id, r.sample_code, r.lot_code, r.product_code, s.kind, count(*) AS submitted, sum(r.verdict = 'fail') AS failed,
                group_concat(DISTINCT r.submitted_by) AS analysts, max(r.submitted_at) AS at,
                max(r.submitted_by = ? OR r.analyst_id = ?) AS mine
         FROM test_result r JOIN sample s ON s.id = r.sample_id
         WHERE r.status = 'submitted' AND r.retired = 0 GROUP BY r.sample_id ORDER BY at LIMIT ? OFFSET ?`,
      )
      .all(userId, userId, limit, offset) as Array<{
      sample_code: string;
      lot_code: string | null;
      product_code: string | null;
      kind: string;
      submitted: number;
      failed: number;
      analysts: string | null;
      at: number;
      mine: number;
    }>;
    // "Yours": the caller took part in a value of one of the submitted results (independence.ts).
    const submittedIds = rows.length
      ? (this.db
          .prepare(
            `SELECT id, sample_code FROM test_result WHERE status = 'submitted' AND retired = 0 AND sample_code IN (${rows.map(() => '?').join(',')})`,
          )
          .all(...rows.map((r) => r.sample_code)) as Array<{ id: string; sample_code: string }>)
      : [];
    const who = contributions(
      this.db,
      submittedIds.map((x) => x.id),
    );
    const mineSamples = new Set(submittedIds.filter((x) => who.get(x.id)?.has(userId)).map((x) => x.sample_code));
    return {
      total,
      samples: rows.map((r) => ({
        sampleCode: r.sample_code,
        kind: r.kind,
        lotCode: r.lot_code,
        itemName: this.subjectName(r.product_code),
        submitted: r.submitted,
        failed: r.failed ?? 0,
        analysts: (r.analysts ?? '').split(',').filter(Boolean),
        submittedAt: new Date(r.at).toISOString(),
        mine: r.mine === 1 || mineSamples.has(r.sample_code),
      })),
    };
  }

  // ------------------------------------------------------------------ OOS investigations

  /** Opens an OOS record for a failing submitted result and holds the lot (issue 8 §5). */
  private openOos(w: LedgerWriter, r: Row): string {
    const code = nextSequencedCode(w, {
      namespace: 'oos',
      pattern: 'OOS-{yyyy}-{seq4}',
      timeZone: this.ledger.timeZone,
      seqDigits: 4,
      taken: (c) => !!this.db.prepare('SELECT 1 FROM oos_investigation WHERE code = ?').get(c),
    });
    const lotCode = (r['lot_code'] as string | null) ?? null;
    let held = 0;
    if (lotCode) {
      const lot = this.lot(lotCode);
      if (lot && (lot['status'] === 'released' || lot['status'] === 'accepted')) {
        w.update(
          L.lot,
          lot.id,
          { status: 'on_hold' },
          // An automatic hold (a rule of the system, not the submitter's decision): its entry's
          // actor is `system`, which may hold unsigned (docs/ledger.md §3.4, rule lot.hold).
          { reason: `${code}: ${r['item_code']} ${r['reported'] ?? ''} out of specification`, automatic: true },
        );
        held = 1;
      }
    }
    const item = this.item(r);
    const o = w.create(T.oos, {
      code,
      result_id: r.id,
      sample_code: r['sample_code'] as string,
      lot_code: lotCode,
      item_code: r['item_code'] as string,
      status: 'open',
      reported: (r['reported'] as string | null) ?? null,
      limit_text: limitText(item),
      opened_at: w.at,
      opened_by: w.actor.id,
      lot_held: held,
      checklist: null,
      phase1_summary: null,
      phase1_by: null,
      phase1_at: null,
      outcome: null,
      conclusion: null,
      concluded_by: null,
      concluded_at: null,
      retest_result_id: null,
    });
    w.update(T.result, r.id, { oos_id: o.id }, { reason: `OOS ${code} opened` });
    return code;
  }

  oosRow(code: string): Row {
    const r = this.db.prepare('SELECT * FROM oos_investigation WHERE code = ? AND retired = 0').get(code) as
      | Row
      | undefined;
    if (!r) fail('not_found', { entity: 'oos_investigation', id: code }, 'errors.oos_not_found');
    return r;
  }

  oosView(o: Row): OosView {
    const res = this.ledger.get(T.result, o['result_id'] as string);
    const item = res ? this.item(res) : null;
    return {
      id: o.id,
      code: o['code'] as string,
      resultId: o['result_id'] as string,
      sampleCode: o['sample_code'] as string,
      lotCode: (o['lot_code'] as string | null) ?? null,
      itemCode: o['item_code'] as string,
      itemName: { zh: item?.name_zh ?? (o['item_code'] as string), en: item?.name_en ?? (o['item_code'] as string) },
      status: o['status'] as OosView['status'],
      reported: (o['reported'] as string | null) ?? null,
      limitText: (o['limit_text'] as string | null) ?? null,
      openedAt: iso(o['opened_at'])!,
      openedBy: o['opened_by'] as string,
      lotHeld: o['lot_held'] === 1,
      checklist: json<Checklist>(o['checklist']),
      phase1Summary: (o['phase1_summary'] as string | null) ?? null,
      phase1By: (o['phase1_by'] as string | null) ?? null,
      phase1At: iso(o['phase1_at']),
      outcome: (o['outcome'] as OosView['outcome']) ?? null,
      conclusion: (o['conclusion'] as string | null) ?? null,
      concludedBy: (o['concluded_by'] as string | null) ?? null,
      concludedAt: iso(o['concluded_at']),
      retestResultId: (o['retest_result_id'] as string | null) ?? null,
      ageDays: Math.max(0, Math.floor((this.ledger.now() - (o['opened_at'] as number)) / DAY)),
    };
  }

  oosList(f: { statuses?: string[] | undefined; lotCode?: string | undefined; offset: number; limit: number }): {
    total: number;
    items: OosView[];
  } {
    const where = ['retired = 0'];
    const params: unknown[] = [];
    if (f.statuses?.length) {
      where.push(`status IN (${f.statuses.map(() => '?').join(',')})`);
      params.push(...f.statuses);
    }
    if (f.lotCode) {
      where.push('lot_code = ?');
      params.push(f.lotCode);
    }
    const w = where.join(' AND ');
    const total = (
      this.db.prepare(`SELECT count(*) AS n FROM oos_investigation WHERE ${w}`).get(...params) as { n: number }
    ).n;
    const rows = this.db
      .prepare(`SELECT * FROM oos_investigation WHERE ${w} ORDER BY opened_at DESC LIMIT ? OFFSET ?`)
      .all(...params, f.limit, f.offset) as Row[];
    return { total, items: rows.map((r) => this.oosView(r)) };
  }

  oosGet(code: string) {
    const o = this.oosRow(code);
    const r = this.row(o['result_id'] as string);
    const lot = o['lot_code'] ? this.lot(o['lot_code'] as string) : undefined;
    return {
      oos: this.oosView(o),
      result: this.view(r),
      signatures: this.identity.signaturesFor('oos_investigation', o.id),
      lotStatus: (lot?.['status'] as string | undefined) ?? null,
    };
  }

  /** Open (or confirmed) investigations on a lot: they block its release or acceptance. */
  blockingOos(lotCode: string): string[] {
    return (
      this.db
        .prepare(
          "SELECT code FROM oos_investigation WHERE lot_code = ? AND retired = 0 AND status IN ('open','phase1_done','confirmed') ORDER BY code",
        )
        .all(lotCode) as Array<{ code: string }>
    ).map((r) => r.code);
  }

  async phase1(
    signerId: string,
    code: string,
    checklist: Checklist,
    summary: string,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
  ): Promise<OosView> {
    if (meaning !== 'authored')
      fail('invalid_input', { field: 'signature.meaning', expected: 'authored' }, 'errors.signature_meaning_mismatch');
    const o = this.oosRow(code);
    if (o['status'] !== 'open') fail('conflict', { code, status: o['status'] }, 'errors.oos_transition_not_allowed');
    const signer = await this.identity.authenticateSigner(signerId, password);
    return this.ledger.write(actorOf(signer), (w) => {
      const cur = w.get(T.oos, o.id)!;
      if (cur['status'] !== 'open') fail('conflict', { code }, 'errors.stale_record');
      const row = w.update(
        T.oos,
        o.id,
        {
          checklist: JSON.stringify(checklist),
          phase1_summary: summary,
          phase1_by: signer.id,
          phase1_at: w.at,
          status: 'phase1_done',
        },
        { reason: 'phase I investigation recorded' },
      );
      this.identity.sign(w, signer, { def: T.oos, id: o.id }, { meaning: 'authored', comment: comment ?? summary });
      return this.oosView(row);
    });
  }

  async conclude(
    signerId: string,
    code: string,
    outcome: 'assignable_cause' | 'no_assignable_cause',
    conclusion: string,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
  ): Promise<{ oos: OosView; retest: ResultView | null }> {
    if (meaning !== 'oos_concluded')
      fail(
        'invalid_input',
        { field: 'signature.meaning', expected: 'oos_concluded' },
        'errors.signature_meaning_mismatch',
      );
    const o = this.oosRow(code);
    if (o['status'] !== 'phase1_done')
      fail(
        'conflict',
        { code, status: o['status'] },
        o['status'] === 'open' ? 'errors.oos_phase1_first' : 'errors.oos_transition_not_allowed',
      );
    this.checkConcluderIndependent(signerId, o);
    const signer = await this.identity.authenticateSigner(signerId, password);
    return this.ledger.write(actorOf(signer), (w) => {
      const cur = w.get(T.oos, o.id)!;
      if (cur['status'] !== 'phase1_done') fail('conflict', { code }, 'errors.stale_record');
      this.checkConcluderIndependent(signer.id, cur);
      let retest: Row | null = null;
      const patch: Record<string, Value> = { outcome, conclusion, concluded_by: signer.id, concluded_at: w.at };
      if (outcome === 'assignable_cause') {
        // The result is invalidated (kept on record, signed) and a retest is ordered.
        const r = w.get(T.result, o['result_id'] as string)!;
        w.update(
          T.result,
          r.id,
          { status: 'invalidated', invalidated_reason: conclusion },
          { reason: `invalidated by ${code}: ${conclusion}` },
        );
        this.identity.sign(
          w,
          signer,
          { def: T.result, id: r.id },
          { meaning: 'invalidated', comment: `${code}: ${conclusion}` },
        );
        const s = w.get(this.sampleDef(), r['sample_id'] as string)!;
        const position = r['position'] as number;
        retest = this.createTest(
          w,
          {
            sample_id: r['sample_id'] as string,
            sample_code: r['sample_code'] as string,
            lot_code: (r['lot_code'] as string | null) ?? null,
            product_code: (r['product_code'] as string | null) ?? null,
            spec_version_id: (r['spec_version_id'] as string | null) ?? null,
          },
          this.item(r),
          (r['spec_item_id'] as string | null) ?? null,
          'retest',
          position,
          s['taken_at'] as number,
          (r['attempt'] as number) + 1,
          r.id,
        );
        // Calculated items that used the invalidated value wait for the retest.
        this.recompute(w, r['sample_id'] as string, `${r['item_code']} invalidated`, {
          via: 'invalidation',
          reason: `${code}: ${conclusion}`,
        });
        patch['status'] = 'invalidated';
        patch['retest_result_id'] = retest.id;
      } else patch['status'] = 'confirmed';
      const row = w.update(T.oos, o.id, patch, { reason: `concluded: ${outcome}` });
      this.identity.sign(
        w,
        signer,
        { def: T.oos, id: o.id },
        { meaning: 'oos_concluded', comment: `${outcome}: ${conclusion}${comment ? ` — ${comment}` : ''}` },
      );
      return { oos: this.oosView(row), retest: retest ? this.view(w.get(T.result, retest.id)!) : null };
    });
  }

  /** The person who entered (changed, captured, submitted) the result never concludes its OOS investigation. */
  private checkConcluderIndependent(userId: string, o: Row): void {
    const mine = contributions(this.db, [o['result_id'] as string])
      .get(o['result_id'] as string)
      ?.get(userId);
    if (mine)
      fail(
        'self_review',
        {
          meaning: 'oos_concluded',
          conflictsWith: 'authored',
          code: o['code'],
          item: o['item_code'],
          how: [...mine].join(', '),
        },
        'errors.oos_conclude_not_independent',
      );
  }

  // ------------------------------------------------------------------ attachments

  attachmentView(a: Row): AttachmentView {
    return {
      id: a.id,
      resultId: a['result_id'] as string,
      fileName: a['file_name'] as string,
      mediaType: a['media_type'] as string,
      bytes: a['bytes'] as number,
      sha256: a['sha256'] as string,
      addedBy: a['added_by'] as string,
      addedAt: iso(a['added_at'])!,
      note: (a['note'] as string | null) ?? null,
    };
  }

  attach(actor: Actor, id: string, fileName: string, mediaType: string, base64: string, note?: string): AttachmentView {
    const r = this.row(id);
    if (r['status'] === 'invalidated')
      fail('conflict', { item: r['item_code'] }, 'errors.result_transition_not_allowed');
    if (!ATTACHMENT_TYPES.test(mediaType))
      fail('invalid_input', { field: 'mediaType', mediaType }, 'errors.attachment_type');
    const bytes = Buffer.from(base64, 'base64');
    if (bytes.length === 0) fail('invalid_input', { field: 'base64' }, 'errors.result_attachment_empty');
    if (bytes.length > MAX_ATTACHMENT_BYTES)
      fail('invalid_input', { field: 'base64', max: MAX_ATTACHMENT_BYTES }, 'errors.attachment_too_large');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    mkdirSync(this.attachmentsDir, { recursive: true });
    const file = join(this.attachmentsDir, sha256);
    if (!existsSync(file)) {
      // Content-addressed: written once, under its hash, atomically.
      writeFileSync(`${file}.tmp`, bytes, { flag: 'w' });
      renameSync(`${file}.tmp`, file);
    }
    return this.ledger.write(actor, (w) => {
      const a = w.create(T.attachment, {
        result_id: id,
        file_name: fileName.replace(/[\\/]/g, '_'),
        media_type: mediaType,
        bytes: bytes.length,
        sha256,
        added_by: actor.id,
        added_at: w.at,
        note: note ?? null,
      });
      return this.attachmentView(a);
    });
  }

  attachment(attachmentId: string): { attachment: AttachmentView; base64: string; intact: boolean } {
    const a = this.ledger.get(T.attachment, attachmentId);
    if (!a) fail('not_found', { entity: 'result_attachment', id: attachmentId }, 'errors.attachment_not_found');
    const file = join(this.attachmentsDir, a['sha256'] as string);
    if (!existsSync(file)) return { attachment: this.attachmentView(a), base64: '', intact: false };
    const bytes = readFileSync(file);
    const intact = createHash('sha256').update(bytes).digest('hex') === a['sha256'];
    return { attachment: this.attachmentView(a), base64: bytes.toString('base64'), intact };
  }

  // ------------------------------------------------------------------ completeness

  completeness(lotCode: string): Completeness {
    const lot = this.lot(lotCode);
    if (!lot) fail('not_found', { entity: 'lot', id: lotCode }, 'errors.lot_not_found');
    const versionId = this.samples.specVersionFor(lotCode);
    const spec = this.specLabel(versionId);
    const items = versionId ? this.specItems(versionId).filter((i) => this.isDue(i, lot)) : [];
    const rows = this.db
      .prepare(
        `SELECT r.* FROM test_result r JOIN sample s ON s.id = r.sample_id
         WHERE r.lot_code = ? AND r.retired = 0 AND s.status <> 'cancelled' AND r.plan_reason <> 'parameter' AND s.kind IN (${LOT_RESULT_KINDS.map(() => '?').join(',')})
         ORDER BY r.position, r.attempt`,
      )
      .all(lotCode, ...LOT_RESULT_KINDS) as Row[];
    const c = completeness(
      items.map((i) => ({
        code: i.code,
        group: i.group,
        required: i.required_for_release,
        inHouseOnly: i.in_house_only,
      })),
      rows.map((r) => ({
        itemCode: r['item_code'] as string,
        status: r['status'] as string,
        verdict: (r['verdict'] as 'pass') ?? null,
        external: !!r['external_lab'],
        attempt: r['attempt'] as number,
      })),
    );
    const byCode = new Map(items.map((i) => [i.code, i]));
    const lines = c.lines.map((l) => {
      const i = byCode.get(l.code)!;
      const r = l.decidingIndex >= 0 ? rows[l.decidingIndex]! : null;
      return {
        code: l.code,
        nameZh: i.name_zh,
        nameEn: i.name_en,
        group: l.group,
        required: l.required,
        inHouseOnly: i.in_house_only,
        state: l.state,
        resultId: r?.id ?? null,
        sampleCode: (r?.['sample_code'] as string | undefined) ?? null,
        reported: (r?.['reported'] as string | null | undefined) ?? null,
        unit: i.unit,
        reportUnit: unitWithBasis(i.unit, i.basis),
        reporting: reportingRuleOf(i),
        limitText: limitText(specItemToTest(i)),
        verdict: (r?.['verdict'] as 'pass' | null | undefined) ?? null,
        externalLab: (r?.['external_lab'] as string | null | undefined) ?? null,
      };
    });
    const openOos = this.blockingOos(lotCode);
    return {
      lotCode,
      lotStatus: lot['status'] as string,
      itemCode: lot['item_code'] as string,
      spec,
      groups: c.groups,
      items: lines,
      complete: versionId !== null && c.complete && openOos.length === 0,
      openOos,
      externalNotCounted: lines.filter((l) => l.state === 'external_not_counted').map((l) => l.code),
    };
  }

  // ------------------------------------------------------------------ method rules

  methodRules(): RuleView[] {
    return (this.db.prepare('SELECT * FROM method_rule WHERE retired = 0 ORDER BY method_code').all() as Row[]).map(
      (r) => this.ruleView(r),
    );
  }

  private ruleView(r: Row): RuleView {
    return {
      id: r.id,
      rev: r.rev,
      methodCode: r['method_code'] as string,
      replicates: r['replicates'] as number,
      repeatability: r['repeatability'] as RuleView['repeatability'],
      limit: (r['repeatability_limit'] as string | null) ?? null,
      note: (r['note'] as string | null) ?? null,
    };
  }

  saveMethodRule(
    actor: Actor,
    i: {
      methodCode: string;
      replicates: number;
      repeatability: 'none' | 'absolute' | 'relative';
      limit: string | null;
      note: string | null;
      reason?: string | undefined;
    },
  ): RuleView {
    if (i.repeatability !== 'none' && i.limit === null)
      fail('invalid_input', { field: 'limit' }, 'errors.repeatability_limit_required');
    if (i.repeatability !== 'none' && i.replicates < 2)
      fail('invalid_input', { field: 'replicates' }, 'errors.repeatability_needs_replicates');
    const method = this.db.prepare('SELECT 1 FROM test_method WHERE code = ? AND retired = 0').get(i.methodCode);
    const usedBySpecs = this.db.prepare('SELECT 1 FROM spec_item WHERE method_code = ? LIMIT 1').get(i.methodCode);
    if (!method && !usedBySpecs)
      fail('not_found', { entity: 'test_method', id: i.methodCode }, 'errors.method_not_found');
    const existing = this.db.prepare('SELECT * FROM method_rule WHERE method_code = ?').get(i.methodCode) as
      | Row
      | undefined;
    if (existing && !i.reason) fail('invalid_input', { field: 'reason' }, 'errors.reason_required');
    return this.ledger.write(actor, (w) => {
      const fields = {
        method_code: i.methodCode,
        replicates: i.replicates,
        repeatability: i.repeatability,
        repeatability_limit: i.repeatability === 'none' ? null : i.limit,
        note: i.note,
      };
      const r = existing
        ? w.update(T.methodRule, existing.id, fields, { reason: i.reason! })
        : w.create(T.methodRule, fields);
      return this.ruleView(r);
    });
  }

  // ------------------------------------------------------------------ trends

  /** The "verdict changed before submission" figure per analyst and method (issue 19 §4). */
  verdictChangeFigure(from?: string, to?: string) {
    const rows = verdictChangeFigure(
      this.db,
      from ? Date.parse(from) : 0,
      to ? Date.parse(to) : Number.MAX_SAFE_INTEGER,
    );
    const names = new Map<string, string | null>();
    return rows.map((r) => {
      if (!names.has(r.analyst)) names.set(r.analyst, this.identity.getUser(r.analyst)?.printed_name ?? null);
      return { ...r, analystName: names.get(r.analyst) ?? null };
    });
  }

  trendItems(productCode: string) {
    const rows = this.db
      .prepare(
        `SELECT item_code, count(*) AS n, max(rowid) AS last FROM test_result WHERE product_code = ? AND status = 'reviewed' AND retired = 0 AND plan_reason <> 'parameter'
         GROUP BY item_code ORDER BY min(position)`,
      )
      .all(productCode) as Array<{ item_code: string; n: number; last: number }>;
    return rows.map((r) => {
      const item = JSON.parse(
        (this.db.prepare('SELECT item FROM test_result WHERE rowid = ?').get(r.last) as { item: string }).item,
      ) as TestItem;
      return { code: r.item_code, nameZh: item.name_zh, nameEn: item.name_en, unit: item.unit, count: r.n };
    });
  }

  /** A QC check-sample chart (material × method × instrument) against its own signed baseline. */
  qcSeries(f: {
    materialCode: string;
    methodCode: string;
    instrumentId: string;
    from?: string | undefined;
    to?: string | undefined;
  }) {
    const material = this.charts.materials().find((m) => m.code === f.materialCode);
    if (!material) fail('not_found', { entity: 'qc_material', id: f.materialCode }, 'errors.qc_material_not_found');
    const points = this.charts.qcPoints(f.materialCode, f.methodCode, f.instrumentId, f.from, f.to);
    const judged = this.charts.judge(
      chartKey({ kind: 'qc', materialCode: f.materialCode, methodCode: f.methodCode, instrumentId: f.instrumentId }),
      points,
    );
    const spiked = material.kind === 'spiked';
    return {
      material,
      item: {
        code: material.code,
        nameZh: material.nameZh,
        nameEn: material.nameEn,
        unit: spiked ? '%' : material.unit,
        min: null,
        max: null,
      },
      points: judged.points.map((p) => ({ ...p, rules: p.rules as WestgardRule[] })),
      stats: judged.stats,
      baseline: judged.baseline,
      censored: 0,
    };
  }

  /**
   * A product's control chart: reviewed results across lots, judged (limits, Westgard) on
   * their unrounded values against the chart's signed baseline (issue 20 §6), or — with no
   * baseline signed — against the plotted window, which the page says drifts.
   */
  trendSeries(f: {
    productCode: string;
    itemCode: string;
    from?: string | undefined;
    to?: string | undefined;
    limit: number;
  }) {
    const all = this.db
      .prepare(
        `SELECT count(*) AS n FROM test_result r JOIN lot l ON l.code = r.lot_code
         WHERE r.product_code = ? AND r.item_code = ? AND r.status = 'reviewed' AND r.retired = 0
           AND (? IS NULL OR substr(l.lot_date,1,10) >= ?) AND (? IS NULL OR substr(l.lot_date,1,10) <= ?)`,
      )
      .get(f.productCode, f.itemCode, f.from ?? null, f.from ?? null, f.to ?? null, f.to ?? null) as { n: number };
    const points = this.charts.productPoints(f.productCode, f.itemCode, f.from, f.to, f.limit);
    const last = this.db
      .prepare(
        'SELECT item FROM test_result WHERE product_code = ? AND item_code = ? AND retired = 0 ORDER BY rowid DESC LIMIT 1',
      )
      .get(f.productCode, f.itemCode) as { item: string } | undefined;
    const item = last ? (JSON.parse(last.item) as TestItem) : null;
    const judged = this.charts.judge(
      chartKey({ kind: 'product', productCode: f.productCode, itemCode: f.itemCode }),
      points,
    );
    return {
      item: item
        ? {
            code: item.code,
            nameZh: item.name_zh,
            nameEn: item.name_en,
            unit: unitWithBasis(item.unit, item.basis),
            min: item.min,
            max: item.max,
          }
        : null,
      points: judged.points.map((p) => ({
        ...p,
        verdict: p.verdict,
        rules: p.rules as WestgardRule[],
      })),
      stats: judged.stats,
      baseline: judged.baseline,
      censored: Math.max(0, Math.min(all.n, f.limit) - points.length),
    };
  }
}
