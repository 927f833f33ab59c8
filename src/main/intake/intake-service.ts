import type { z } from 'zod';
import {
  tankerDocumentKinds,
  type Declarations,
  type IntakeView,
  type PanelItem,
  type TankerDocumentInput,
  type documentProblems,
  type lateFailureDetailSchema,
} from '../../shared/contract/channels/intake';
import type {
  appealViewSchema,
  intakeCheckSchema,
  intakeDetailSchema,
  panelViewSchema,
  samplingStateSchema,
  supplierPerformanceSchema,
} from '../../shared/contract/channels/intake';
import { fail } from '../../shared/contract/errors';
import { permissionsOf, type Role, type SignatureMeaning } from '../../shared/domain/roles';
import { isValidDate, limitText, type TestItem, type WorkCalendar } from '../../shared/rules';
import { traceLot } from '../trace';
import { actorOf, type IdentityService } from '../identity/identity';
import { signatureView } from '../app/signature-view';
import type { Row, Value } from '../ledger/entities';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { L } from '../lots';
import { localDate } from '../lots';
import type { SamplesService } from '../samples';
import type { TestingService as ResultsService } from '../testing';
import { I } from './entities';

type PanelView = z.infer<typeof panelViewSchema>;
type AppealView = z.infer<typeof appealViewSchema>;
type IntakeDetail = z.infer<typeof intakeDetailSchema>;
type IntakeCheck = z.infer<typeof intakeCheckSchema>;
type SamplingState = z.infer<typeof samplingStateSchema>;
type Performance = z.infer<typeof supplierPerformanceSchema>;
type LateFailureDetail = z.infer<typeof lateFailureDetailSchema>;
type DocumentProblem = (typeof documentProblems)[number];
type TankerDocumentKind = (typeof tankerDocumentKinds)[number];

/** Lots that may be put on hold (a hold acts on what is left of them, shipped in part or not). */
const USABLE = new Set(['accepted', 'released']);

/** Consecutive passing deliveries that restore normal sampling, unless configured per supplier. */
export const DEFAULT_PASSES_REQUIRED = 5;

function testItem(over: Partial<TestItem> & Pick<TestItem, 'code' | 'name_zh' | 'name_en' | 'unit'>): TestItem {
  return {
    group: 'other',
    method_code: null,
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
    required_for_release: true,
    in_house_only: true,
    ...over,
  };
}

type Timing = PanelItem['timing'];
type RuleBasis = PanelItem['rule'];

const screen = (
  code: string,
  zh: string,
  en: string,
  level: 'normal' | 'tightened',
  method: string | null,
  rule: RuleBasis = 'national',
): PanelItem => ({
  ...testItem({
    code,
    name_zh: zh,
    name_en: en,
    unit: '',
    group: 'contaminants',
    method_code: method,
    limit_form: 'sampling_plan',
    n: 1,
    c: 0,
    m: '0',
  }),
  level,
  screen: true,
  timing: 'gating',
  rule,
});
const numeric = (
  over: Partial<TestItem> & Pick<TestItem, 'code' | 'name_zh' | 'name_en' | 'unit'>,
  level: 'normal' | 'tightened' = 'normal',
  timing: Timing = 'gating',
  rule: RuleBasis = 'national',
): PanelItem => ({
  ...testItem(over),
  level,
  screen: false,
  timing,
  rule,
});

/**
 * The built-in panel: GB 19301-2010 receipt items (fat, protein, non-fat solids, relative
 * density, acidity, freezing point, sensory) with the usual bench checks (temperature,
 * alcohol test) and rapid screens (β-lactam, tetracycline, aflatoxin M1, melamine). Limits
 * are GB 19301-2010's (reference-data: spec pack gb-19301-2010-raw-milk).
 *
 * Gating items decide the tanker at the bench. Retrospective items are recorded after the
 * decision (issue 20 §4): the aerobic plate count (GB 4789.2, ~48 h of incubation) and the
 * somatic cell count on every tanker, and, at the tightened level, aflatoxin M1 quantified
 * (usually sent out); a late failure of one of them is traced to the lots that used the milk.
 *
 * Plant rules (not the national standard, so a rejection on them is no 第二十八条 matter):
 * the temperature on arrival (≤ 6 °C), the alcohol test and the somatic cell count (GB 19301
 * sets none; 600 000 /mL is an in-house figure, reference-data §2 [U]).
 */
export const BUILT_IN_PANEL: PanelItem[] = [
  numeric(
    {
      code: 'temperature',
      name_zh: '到厂温度',
      name_en: 'Temperature on arrival',
      unit: '°C',
      limit_form: 'maximum',
      max: '6.0',
      precision: 1,
    },
    'normal',
    'gating',
    'plant',
  ),
  screen(
    'sensory_defect',
    '感官异常（色泽、滋味、气味、组织状态）',
    'Sensory defect (colour, taste, odour, texture)',
    'normal',
    'GB 19301-2010 4.2',
  ),
  screen(
    'alcohol_test',
    '酒精试验（72% 乙醇，出现絮片为阳性）',
    'Alcohol test (72 % ethanol, flocculation = positive)',
    'normal',
    'GB 5009.239',
    'plant',
  ),
  numeric({
    code: 'acidity',
    name_zh: '酸度',
    name_en: 'Acidity',
    unit: '°T',
    limit_form: 'range',
    min: '12',
    max: '18',
    precision: 0,
    method_code: 'GB 5009.239',
  }),
  numeric({
    code: 'relative_density',
    name_zh: '相对密度（20 ℃/4 ℃）',
    name_en: 'Relative density (20 °C/4 °C)',
    unit: '',
    limit_form: 'minimum',
    min: '1.027',
    precision: 3,
    method_code: 'GB 5009.2',
  }),
  numeric({
    code: 'fat',
    name_zh: '脂肪',
    name_en: 'Fat',
    unit: 'g/100g',
    limit_form: 'minimum',
    min: '3.1',
    precision: 1,
    method_code: 'GB 5009.6',
  }),
  numeric({
    code: 'protein',
    name_zh: '蛋白质',
    name_en: 'Protein',
    unit: 'g/100g',
    limit_form: 'minimum',
    min: '2.8',
    precision: 1,
    method_code: 'GB 5009.5',
  }),
  numeric({
    code: 'non_fat_solids',
    name_zh: '非脂乳固体',
    name_en: 'Non-fat milk solids',
    unit: 'g/100g',
    limit_form: 'minimum',
    min: '8.1',
    precision: 1,
    method_code: 'GB 5413.39',
  }),
  numeric({
    code: 'freezing_point',
    name_zh: '冰点',
    name_en: 'Freezing point',
    unit: '°C',
    limit_form: 'range',
    min: '-0.560',
    max: '-0.500',
    precision: 3,
    method_code: 'GB 5413.38',
  }),
  screen('beta_lactam', 'β-内酰胺类抗生素（快速检测）', 'β-lactam antibiotics (rapid screen)', 'normal', null),
  screen('tetracycline', '四环素类抗生素（快速检测）', 'Tetracyclines (rapid screen)', 'normal', null),
  screen('afm1_screen', '黄曲霉毒素M1（快速检测）', 'Aflatoxin M1 (rapid screen)', 'normal', null),
  screen('melamine_screen', '三聚氰胺（快速检测）', 'Melamine (rapid screen)', 'normal', null),
  numeric(
    {
      code: 'apc',
      name_zh: '菌落总数',
      name_en: 'Aerobic plate count',
      unit: 'CFU/mL',
      group: 'microbiology',
      limit_form: 'maximum',
      max: '2000000',
      precision: 0,
      method_code: 'GB 4789.2',
    },
    'normal',
    'retrospective',
  ),
  numeric(
    {
      code: 'somatic_cells',
      name_zh: '体细胞数',
      name_en: 'Somatic cell count',
      unit: 'cells/mL',
      group: 'other',
      limit_form: 'maximum',
      max: '600000',
      precision: 0,
    },
    'normal',
    'retrospective',
    'plant',
  ),
  numeric(
    {
      code: 'afm1',
      name_zh: '黄曲霉毒素M1',
      name_en: 'Aflatoxin M1',
      unit: 'µg/kg',
      group: 'contaminants',
      limit_form: 'maximum',
      max: '0.5',
      precision: 1,
      method_code: 'GB 5009.24',
    },
    'tightened',
    'retrospective',
  ),
  numeric(
    {
      code: 'melamine',
      name_zh: '三聚氰胺',
      name_en: 'Melamine',
      unit: 'mg/kg',
      group: 'contaminants',
      limit_form: 'maximum',
      max: '2.5',
      precision: 1,
      method_code: 'GB/T 22388',
    },
    'tightened',
  ),
  numeric(
    {
      code: 'impurities',
      name_zh: '杂质度',
      name_en: 'Impurities',
      unit: 'mg/kg',
      limit_form: 'maximum',
      max: '4.0',
      precision: 1,
      method_code: 'GB 5413.30',
    },
    'tightened',
  ),
];

/** Item codes of the built-in panel with their timing and basis: the defaults for panels saved before issue 20. */
const BUILT_IN_RULES = new Map(BUILT_IN_PANEL.map((i) => [i.code, { timing: i.timing, rule: i.rule }]));

/** A stored panel item, with the timing and basis it had or the defaults (built-in code, else gating / national). */
export function normalisePanelItem(i: Partial<PanelItem> & { code: string }): PanelItem {
  const d = BUILT_IN_RULES.get(i.code);
  return {
    ...(i as PanelItem),
    timing: i.timing ?? d?.timing ?? 'gating',
    rule: i.rule ?? d?.rule ?? 'national',
  };
}

export type ItemRules = Record<string, { timing: Timing; rule: RuleBasis }>;

/** a ÷ b as a percentage with one decimal, rounded half up, in integer arithmetic (counts, not lab values). */
function tenthsPercent(a: number, b: number): string {
  const t = Math.floor((a * 2000 + b) / (2 * b));
  return `${Math.floor(t / 10)}.${t % 10}`;
}

const REFUSING: ReadonlyArray<keyof Declarations> = ['noColostrum', 'noTreatment', 'withdrawalRespected'];

function iso(ms: Value | undefined): string | null {
  return typeof ms === 'number' ? new Date(ms).toISOString() : null;
}

function json<T>(v: Value | undefined, fallback: T): T {
  return typeof v === 'string' && v ? (JSON.parse(v) as T) : fallback;
}

/**
 * Raw milk intake (issue 9 §1–3, §5): receipt declarations, the rapid panel as results of the
 * tanker's sample (testing model), the signed decision, the report to the agriculture
 * authority for a rejected tanker, appeals with working-day deadlines, and the supplier's
 * sampling level (tightened after a failure until N consecutive passes).
 */
export class IntakeService {
  constructor(
    private readonly ledger: Ledger,
    private readonly identity: IdentityService,
    private readonly samples: SamplesService,
    private readonly results: ResultsService,
    /** The spot checks of a lot (the register, src/main/intake/spot-checks.ts), shown on its intake. */
    private readonly spotChecksFor: (lotCode: string) => IntakeDetail['spotChecks'],
  ) {}

  private get db() {
    return this.ledger.db;
  }

  today(): string {
    return localDate(this.ledger.timeZone, this.ledger.now());
  }

  // ------------------------------------------------------------------ panels

  private panelView(r: Row | null, builtIn = false): PanelView {
    if (!r || builtIn) {
      return {
        id: null,
        rev: 0,
        code: 'BUILT-IN',
        nameZh: '默认生鲜乳进厂检验项目（GB 19301-2010）',
        nameEn: 'Default raw milk intake panel (GB 19301-2010)',
        supplierCode: null,
        items: BUILT_IN_PANEL,
        active: true,
        builtIn: true,
      };
    }
    return {
      id: r.id,
      rev: r.rev,
      code: r['code'] as string,
      nameZh: r['name_zh'] as string,
      nameEn: r['name_en'] as string,
      supplierCode: (r['supplier_code'] as string | null) ?? null,
      items: json<PanelItem[]>(r['items'], []).map(normalisePanelItem),
      active: r['active'] === 1,
      builtIn: false,
    };
  }

  panels(): PanelView[] {
    const rows = this.db
      .prepare('SELECT * FROM intake_panel WHERE retired = 0 ORDER BY supplier_code IS NOT NULL, supplier_code, code')
      .all() as Row[];
    const plant = rows.some((r) => r['supplier_code'] === null && r['active'] === 1);
    return [...(plant ? [] : [this.panelView(null, true)]), ...rows.map((r) => this.panelView(r))];
  }

  /** The panel for a supplier: its own active panel, else the plant's, else the built-in one. */
  panelFor(supplierCode: string): PanelView {
    const own = this.db
      .prepare('SELECT * FROM intake_panel WHERE supplier_code = ? AND active = 1 AND retired = 0 LIMIT 1')
      .get(supplierCode) as Row | undefined;
    if (own) return this.panelView(own);
    const plant = this.db
      .prepare('SELECT * FROM intake_panel WHERE supplier_code IS NULL AND active = 1 AND retired = 0 LIMIT 1')
      .get() as Row | undefined;
    return plant ? this.panelView(plant) : this.panelView(null, true);
  }

  savePanel(
    actor: Actor,
    i: {
      id?: string | undefined;
      fields: {
        code: string;
        nameZh: string;
        nameEn: string;
        supplierCode: string | null;
        items: PanelItem[];
        active: boolean;
      };
      reason?: string | undefined;
    },
  ): PanelView {
    const f = i.fields;
    const codes = f.items.map((x) => x.code);
    if (new Set(codes).size !== codes.length) fail('invalid_input', { field: 'items' }, 'errors.panel_item_repeated');
    if (f.supplierCode && !this.db.prepare('SELECT 1 FROM supplier WHERE code = ? AND retired = 0').get(f.supplierCode))
      fail('not_found', { entity: 'supplier', id: f.supplierCode }, 'errors.supplier_unknown');
    if (i.id && !i.reason) fail('invalid_input', { field: 'reason' }, 'errors.reason_required');
    return this.ledger.write(actor, (w) => {
      if (f.active) {
        // One active panel per supplier (and one for the plant).
        const others = this.db
          .prepare(
            `SELECT id FROM intake_panel WHERE active = 1 AND retired = 0 AND ${f.supplierCode ? 'supplier_code = ?' : 'supplier_code IS NULL'} AND id <> ?`,
          )
          .all(...(f.supplierCode ? [f.supplierCode] : []), i.id ?? '') as Array<{ id: string }>;
        for (const o of others) w.update(I.panel, o.id, { active: 0 }, { reason: `replaced by panel ${f.code}` });
      }
      const fields = {
        code: f.code,
        name_zh: f.nameZh,
        name_en: f.nameEn,
        supplier_code: f.supplierCode,
        items: JSON.stringify(f.items),
        active: f.active ? 1 : 0,
      };
      if (i.id) {
        const cur = w.get(I.panel, i.id);
        if (!cur) fail('not_found', { entity: 'intake_panel', id: i.id });
        if (cur['code'] !== f.code) fail('invalid_input', { field: 'code' }, 'errors.code_immutable');
        return this.panelView(w.update(I.panel, i.id, fields, { reason: i.reason! }));
      }
      if (this.db.prepare('SELECT 1 FROM intake_panel WHERE code = ?').get(f.code))
        fail('conflict', { code: f.code }, 'errors.code_taken');
      return this.panelView(w.create(I.panel, fields));
    });
  }

  /** The panel items of a supplier at its current sampling level (timing and basis kept). */
  private levelItems(supplier: string): PanelItem[] {
    const level = this.sampling(supplier).level;
    return this.panelFor(supplier).items.filter((i) => level === 'tightened' || i.level === 'normal');
  }

  /** The panel items a tanker sample gets: the supplier's panel at the supplier's sampling level. */
  panelItems(lot: Row): TestItem[] | null {
    if (lot['kind'] !== 'raw_milk') return null;
    const supplier = lot['supplier_code'] as string | null;
    if (!supplier) return null;
    return this.levelItems(supplier).map(
      ({ level: _level, screen: _screen, timing: _timing, rule: _rule, ...item }) => item,
    );
  }

  // ------------------------------------------------------------------ sampling levels

  private samplingRow(supplierCode: string): Row | undefined {
    return this.db
      .prepare('SELECT * FROM supplier_sampling WHERE supplier_code = ? AND retired = 0')
      .get(supplierCode) as Row | undefined;
  }

  sampling(supplierCode: string): SamplingState {
    const r = this.samplingRow(supplierCode);
    return {
      supplierCode,
      level: ((r?.['level'] as string | undefined) ?? 'normal') as SamplingState['level'],
      consecutivePasses: (r?.['consecutive_passes'] as number | undefined) ?? 0,
      passesRequired: (r?.['passes_required'] as number | undefined) ?? DEFAULT_PASSES_REQUIRED,
      changedAt: iso(r?.['changed_at']),
      reason: (r?.['reason'] as string | null | undefined) ?? null,
    };
  }

  samplingHistory(supplierCode: string) {
    const r = this.samplingRow(supplierCode);
    const state = this.sampling(supplierCode);
    if (!r) return { ...state, history: [] };
    const entries = this.db
      .prepare(
        "SELECT at, actor, content, reason FROM audit_entry WHERE entity = 'supplier_sampling' AND entity_id = ? ORDER BY seq DESC LIMIT 200",
      )
      .all(r.id) as Array<{ at: number; actor: string; content: string; reason: string | null }>;
    return {
      ...state,
      history: entries.map((e) => {
        const c = JSON.parse(e.content) as Record<string, unknown>;
        return {
          at: new Date(e.at).toISOString(),
          by: e.actor,
          level: String(c['level']),
          consecutivePasses: Number(c['consecutive_passes']),
          reason: e.reason ?? (c['reason'] as string | null) ?? null,
        };
      }),
    };
  }

  configureSampling(actor: Actor, supplierCode: string, passesRequired: number, reason: string): SamplingState {
    if (!this.db.prepare('SELECT 1 FROM supplier WHERE code = ? AND retired = 0').get(supplierCode))
      fail('not_found', { entity: 'supplier', id: supplierCode }, 'errors.supplier_unknown');
    return this.ledger.write(actor, (w) => {
      const r = this.samplingRow(supplierCode);
      if (r) w.update(I.supplierSampling, r.id, { passes_required: passesRequired }, { reason });
      else
        w.create(
          I.supplierSampling,
          {
            supplier_code: supplierCode,
            level: 'normal',
            consecutive_passes: 0,
            passes_required: passesRequired,
            changed_at: w.at,
            reason,
          },
          { reason },
        );
      return this.sampling(supplierCode);
    });
  }

  /** A failed delivery (rejected tanker, failed ingredient inspection): the supplier's next deliveries are tightened. */
  recordFailure(w: LedgerWriter, supplierCode: string, why: string): void {
    const r = this.samplingRow(supplierCode);
    const reason = `tightened: ${why}`;
    if (!r) {
      w.create(
        I.supplierSampling,
        {
          supplier_code: supplierCode,
          level: 'tightened',
          consecutive_passes: 0,
          passes_required: DEFAULT_PASSES_REQUIRED,
          changed_at: w.at,
          reason,
        },
        { reason },
      );
      return;
    }
    const cur = w.get(I.supplierSampling, r.id)!;
    const patch: Record<string, Value> = { level: 'tightened', consecutive_passes: 0 };
    if (cur['level'] !== 'tightened') {
      patch['changed_at'] = w.at;
      patch['reason'] = reason;
    }
    w.update(I.supplierSampling, r.id, patch, { reason });
  }

  /** A passing delivery: counts toward restoring normal sampling. */
  recordPass(w: LedgerWriter, supplierCode: string, why: string): void {
    const r = this.samplingRow(supplierCode);
    if (!r) return;
    const cur = w.get(I.supplierSampling, r.id)!;
    if (cur['level'] !== 'tightened') return;
    const passes = (cur['consecutive_passes'] as number) + 1;
    if (passes >= (cur['passes_required'] as number)) {
      const reason = `normal: ${passes} consecutive passes (last: ${why})`;
      w.update(
        I.supplierSampling,
        r.id,
        { level: 'normal', consecutive_passes: 0, changed_at: w.at, reason },
        { reason },
      );
    } else
      w.update(
        I.supplierSampling,
        r.id,
        { consecutive_passes: passes },
        { reason: `pass ${passes} of ${cur['passes_required'] as number}: ${why}` },
      );
  }

  // ------------------------------------------------------------------ intake

  private intakeRow(lotCode: string): Row | undefined {
    return this.db.prepare('SELECT * FROM raw_milk_intake WHERE lot_code = ? AND retired = 0').get(lotCode) as
      | Row
      | undefined;
  }

  private mustTanker(lotCode: string): Row {
    const lot = this.db.prepare('SELECT * FROM lot WHERE code = ? AND retired = 0').get(lotCode) as Row | undefined;
    if (!lot) fail('not_found', { entity: 'lot', id: lotCode }, 'errors.lot_not_found');
    if (lot['kind'] !== 'raw_milk' || !lot['receipt_id'])
      fail('invalid_input', { lot: lotCode }, 'errors.intake_not_tanker');
    return lot;
  }

  private supplierName(code: string): string | null {
    return (
      (this.db.prepare('SELECT name FROM supplier WHERE code = ?').get(code) as { name: string } | undefined)?.name ??
      null
    );
  }

  /** The item rules recorded at the start (intakes before issue 20: every item gating, the built-in bases). */
  private itemRules(intake: Row | undefined): ItemRules {
    return json<ItemRules>(intake?.['item_rules'], {});
  }

  private ruleOf(rules: ItemRules, code: string): { timing: Timing; rule: RuleBasis } {
    return rules[code] ?? { timing: 'gating', rule: BUILT_IN_RULES.get(code)?.rule ?? 'national' };
  }

  /** Why a rejection was made: a failed national item, else a failed plant rule, else the declarations (第二十四条). */
  rejectBasisOf(causes: string[], rules: ItemRules): 'national' | 'plant' | 'declaration' {
    const checks = causes.filter((c) => c.startsWith('check.')).map((c) => c.slice(6));
    if (checks.some((c) => this.ruleOf(rules, c).rule === 'national')) return 'national';
    return checks.length ? 'plant' : 'declaration';
  }

  view(r: Row): IntakeView {
    const status = r['status'] as IntakeView['status'];
    const causes = json<string[]>(r['reject_causes'], []);
    return {
      id: r.id,
      lotCode: r['lot_code'] as string,
      supplierCode: r['supplier_code'] as string,
      supplierName: this.supplierName(r['supplier_code'] as string),
      declarations: json<Declarations>(r['declarations'], {
        noColostrum: false,
        noTreatment: false,
        withdrawalRespected: false,
        healthCertificates: false,
      }),
      samplingLevel: r['sampling_level'] as IntakeView['samplingLevel'],
      panelCode: (r['panel_code'] as string | null) ?? null,
      sampleCode: (r['sample_code'] as string | null) ?? null,
      status,
      rejectCauses: causes,
      decisionReason: (r['decision_reason'] as string | null) ?? null,
      decidedBy: (r['decided_by'] as string | null) ?? null,
      decidedAt: iso(r['decided_at']),
      reportDocumentId: (r['report_document_id'] as string | null) ?? null,
      openedBy: r['opened_by'] as string,
      openedAt: iso(r['opened_at'])!,
      // Rejections recorded before issue 20 carry no basis: it is read from their causes.
      rejectBasis:
        status !== 'rejected'
          ? null
          : ((r['reject_basis'] as IntakeView['rejectBasis']) ?? this.rejectBasisOf(causes, this.itemRules(r))),
    };
  }

  /** Checks, proposal and causes from the records (never stored: always recomputed). */
  private evaluate(intake: Row | undefined): {
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
      const d = json<Declarations>(intake['declarations'], {
        noColostrum: false,
        noTreatment: false,
        withdrawalRespected: false,
        healthCertificates: false,
      });
      for (const k of ['noColostrum', 'noTreatment', 'withdrawalRespected', 'healthCertificates'] as const)
        if (!d[k]) causes.push(`declaration.${k}`);
    }
    const sampleCode = (intake?.['sample_code'] as string | null | undefined) ?? null;
    let incomplete = !intake;
    if (sampleCode) {
      const s = this.samples.sampleRow(sampleCode);
      const rows = s
        ? (this.db
            .prepare(
              "SELECT * FROM test_result WHERE sample_id = ? AND retired = 0 AND status <> 'invalidated' ORDER BY position, attempt",
            )
            .all(s.id) as Row[])
        : [];
      let gating = 0;
      for (const r of rows) {
        const item = JSON.parse(r['item'] as string) as TestItem & { screen?: boolean };
        const verdict = (r['verdict'] as IntakeCheck['verdict']) ?? null;
        const { timing, rule } = this.ruleOf(rules, item.code);
        const status = r['status'] as string;
        checks.push({
          code: item.code,
          nameZh: item.name_zh,
          nameEn: item.name_en,
          unit: item.unit,
          limitText: item.limit_form === 'sampling_plan' && item.n === 1 ? 'negative' : limitText(item),
          screen: item.limit_form === 'sampling_plan' && item.n === 1,
          resultId: r.id,
          status,
          reported: (r['reported'] as string | null) ?? null,
          verdict,
          timing,
          rule,
          submittedAt: iso(r['submitted_at']),
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
    const refused = intake?.['status'] === 'refused';
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
    if (intake['status'] === 'rejected') return this.view(intake).rejectBasis === 'national';
    return this.lateFailedResults(lotCode).some((r) => r.rule === 'national');
  }

  detail(lotCode: string): IntakeDetail {
    const lot = this.mustTanker(lotCode);
    const receipt = this.db.prepare('SELECT * FROM receipt WHERE id = ?').get(lot['receipt_id']) as Row | undefined;
    const supplierCode = (lot['supplier_code'] as string | null) ?? '';
    const intake = this.intakeRow(lotCode);
    const e = this.evaluate(intake);
    return {
      lot: {
        code: lot['code'] as string,
        status: lot['status'] as string,
        quantity: lot['quantity'] as string,
        unit: lot['unit'] as string,
        date: (lot['lot_date'] as string).slice(0, 10),
      },
      receipt: receipt
        ? {
            vehicle: (receipt['vehicle'] as string | null) ?? null,
            farms: json<string[]>(receipt['farms'], []),
            temperature: (receipt['temperature'] as string | null) ?? null,
            receivedAt: iso(receipt['received_at']),
            condition: (receipt['condition'] as string | null) ?? null,
          }
        : null,
      supplier: { code: supplierCode, name: this.supplierName(supplierCode) ?? supplierCode },
      sampling: this.sampling(supplierCode),
      intake: intake ? this.view(intake) : null,
      ...e,
      signatures: intake ? this.identity.signaturesFor('raw_milk_intake', intake.id).map(signatureView) : [],
      appeals: intake ? this.appeals({ lotCode }) : [],
      spotChecks: this.spotChecksFor(lotCode),
      documents: this.documentsView(intake, lot),
      reportRequired: this.reportRequired(lotCode),
      lateFailures: intake?.['status'] === 'accepted' ? this.lateFailures({ lotCode }) : [],
    };
  }

  list(f: {
    status?: string | undefined;
    supplierCode?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    offset: number;
    limit: number;
  }) {
    const where = ['i.retired = 0'];
    const params: unknown[] = [];
    if (f.status) {
      where.push('i.status = ?');
      params.push(f.status);
    }
    if (f.supplierCode) {
      where.push('i.supplier_code = ?');
      params.push(f.supplierCode);
    }
    if (f.from) {
      where.push('substr(l.lot_date,1,10) >= ?');
      params.push(f.from);
    }
    if (f.to) {
      where.push('substr(l.lot_date,1,10) <= ?');
      params.push(f.to);
    }
    const sql = `FROM raw_milk_intake i JOIN lot l ON l.code = i.lot_code WHERE ${where.join(' AND ')}`;
    const total = (this.db.prepare(`SELECT count(*) AS n ${sql}`).get(...params) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT i.* ${sql} ORDER BY i.opened_at DESC LIMIT ? OFFSET ?`)
      .all(...params, f.limit, f.offset) as Row[];
    // Tankers received with no intake started yet: the bench's queue.
    const awaiting = this.db
      .prepare(
        `SELECT l.code AS lot_code, l.supplier_code, r.received_at FROM lot l JOIN receipt r ON r.id = l.receipt_id
         WHERE l.kind = 'raw_milk' AND l.retired = 0 AND l.status = 'quarantine' AND NOT EXISTS (SELECT 1 FROM raw_milk_intake i WHERE i.lot_code = l.code)
         ORDER BY r.received_at LIMIT 200`,
      )
      .all() as Array<{ lot_code: string; supplier_code: string | null; received_at: number | null }>;
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
    if (lot['status'] !== 'quarantine')
      fail('conflict', { lot: lotCode, status: lot['status'] }, 'errors.intake_lot_decided');
    const docs = this.checkDocuments(documents, lot);
    const supplier = lot['supplier_code'] as string;
    const refused = REFUSING.some((k) => !declarations[k]);
    // 第二十四条: colostrum and milk of cows under treatment or in a withdrawal period are
    // not bought at all: no sample is taken, the tanker awaits its signed rejection.
    let sampleCode: string | null = null;
    if (!refused) {
      const existing = this.db
        .prepare(
          "SELECT code FROM sample WHERE lot_code = ? AND kind = 'raw_milk_tanker' AND status <> 'cancelled' AND parent_sample_id IS NULL ORDER BY taken_at LIMIT 1",
        )
        .get(lotCode) as { code: string } | undefined;
      sampleCode =
        existing?.code ??
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
    const level = this.sampling(supplier).level;
    // When and against what each planned item is judged, fixed for this intake.
    const rules: ItemRules = {};
    if (!refused) for (const i of this.levelItems(supplier)) rules[i.code] = { timing: i.timing, rule: i.rule };
    this.ledger.write(actor, (w) => {
      if (this.intakeRow(lotCode)) fail('conflict', { lot: lotCode }, 'errors.intake_exists');
      const intake = w.create(I.intake, {
        lot_code: lotCode,
        supplier_code: supplier,
        declarations: JSON.stringify(declarations),
        sampling_level: level,
        panel_code: refused ? null : this.panelFor(supplier).code,
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
    const status = intake['status'] as string;
    if (status === 'accepted' || status === 'rejected')
      fail('conflict', { lot: lotCode, status }, 'errors.intake_decided');
    const e = this.evaluate(intake);
    if (decision === 'accept') {
      if (status === 'refused') fail('conflict', { lot: lotCode }, 'errors.intake_declaration_refused');
      if (e.proposal === 'reject')
        fail('conflict', { lot: lotCode, causes: e.causes.join(', ') }, 'errors.intake_checks_failed');
      if (e.proposal === 'incomplete') fail('conflict', { lot: lotCode }, 'errors.intake_incomplete');
      if (e.unsubmitted.length) fail('conflict', { items: e.unsubmitted.join(', ') }, 'errors.intake_unsubmitted');
      this.mustHaveDocuments(intake, lotCode);
    }
    const signer = await this.identity.authenticateSigner(signerId, password);
    if (decision === 'reject') {
      const roles = JSON.parse(signer.roles) as Role[];
      if (!permissionsOf(roles).has('intake.reject'))
        fail('forbidden', { permission: 'intake.reject', signer: signer.id }, 'errors.intake_reject_needs_qa');
    }
    this.ledger.write(actorOf(signer), (w) => {
      const cur = w.get(I.intake, intake.id)!;
      if (cur['rev'] !== intake.rev) fail('conflict', { lot: lotCode }, 'errors.stale_record');
      const lotNow = w.get(L.lot, lot.id)!;
      if (lotNow['status'] !== 'quarantine')
        fail('conflict', { lot: lotCode, status: lotNow['status'] }, 'errors.intake_lot_decided');
      // The documents guard is evaluated again inside the transaction that acts on it.
      if (decision === 'accept') this.mustHaveDocuments(intake, lotCode);
      const to = decision === 'accept' ? 'accepted' : 'rejected';
      const basis = decision === 'reject' ? this.rejectBasisOf(e.causes, this.itemRules(intake)) : null;
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
      const supplier = lot['supplier_code'] as string;
      if (decision === 'reject')
        this.recordFailure(w, supplier, `tanker ${lotCode} rejected (${e.causes.join(', ') || reason})`);
      else this.recordPass(w, supplier, `tanker ${lotCode} accepted`);
    });
    return this.detail(lotCode);
  }

  setReport(actor: Actor, lotCode: string, documentId: string): void {
    const intake = this.intakeRow(lotCode)!;
    if (intake['report_document_id']) return;
    this.ledger.write(actor, (w) => {
      w.update(I.intake, intake.id, { report_document_id: documentId }, { reason: 'authority report generated' });
    });
  }

  /** The intake of a tanker whose milk failed the national standard (the 第二十八条 report applies), else a refusal. */
  mustReportable(lotCode: string): Row {
    const intake = this.intakeRow(lotCode);
    if (!intake || (intake['status'] !== 'rejected' && intake['status'] !== 'accepted'))
      fail('conflict', { lot: lotCode }, 'errors.intake_not_rejected');
    if (!this.reportRequired(lotCode)) {
      const basis = this.view(intake).rejectBasis;
      fail(
        'conflict',
        { lot: lotCode, basis: basis ?? 'none' },
        intake['status'] === 'rejected' ? 'errors.intake_report_not_national' : 'errors.intake_not_rejected',
      );
    }
    return intake;
  }

  // ------------------------------------------------------------------ the tanker's documents

  /** Each document with its problem, from what was recorded and the receipt date. */
  private checkDocuments(
    input: TankerDocumentInput[],
    lot: Row,
  ): { items: Array<TankerDocumentInput & { problem: DocumentProblem | null }>; deficient: TankerDocumentKind[] } {
    const kinds = input.map((d) => d.kind);
    if (new Set(kinds).size !== kinds.length)
      fail('invalid_input', { field: 'documents' }, 'errors.intake_document_repeated');
    const receiptDay = this.receiptDay(lot);
    const items = tankerDocumentKinds.map((kind) => {
      const d: TankerDocumentInput = input.find((x) => x.kind === kind) ?? {
        kind,
        present: false,
        number: null,
        issuer: null,
        validUntil: null,
        date: null,
        note: null,
      };
      for (const [field, v] of [
        ['validUntil', d.validUntil],
        ['date', d.date],
      ] as const)
        if (v && !isValidDate(v)) fail('invalid_input', { field: `documents.${kind}.${field}` }, 'errors.date_invalid');
      let problem: DocumentProblem | null = null;
      if (!d.present) problem = 'missing';
      else if (kind === 'cleaning_record') {
        if (!d.date) problem = 'incomplete';
        else if (d.date > receiptDay) problem = 'after_receipt';
      } else if (!d.number) problem = 'incomplete';
      else if (kind === 'transport_permit' || kind === 'purchase_licence') {
        if (!d.validUntil) problem = 'incomplete';
        else if (d.validUntil < receiptDay) problem = 'expired';
      }
      return { ...d, problem };
    });
    return { items, deficient: items.filter((i) => i.problem !== null).map((i) => i.kind) };
  }

  private receiptDay(lot: Row): string {
    const r = this.db.prepare('SELECT received_at FROM receipt WHERE id = ?').get(lot['receipt_id']) as
      | { received_at: number | null }
      | undefined;
    return r?.received_at ? localDate(this.ledger.timeZone, r.received_at) : (lot['lot_date'] as string).slice(0, 10);
  }

  private documentsRow(intakeId: string): Row | undefined {
    return this.db.prepare('SELECT * FROM intake_documents WHERE intake_id = ? AND retired = 0').get(intakeId) as
      | Row
      | undefined;
  }

  private documentsView(intake: Row | undefined, lot: Row): IntakeDetail['documents'] {
    const row = intake ? this.documentsRow(intake.id) : undefined;
    if (!row) {
      // An intake started before issue 20 has no record of its documents: shown as not recorded.
      const none = this.checkDocuments([], lot);
      return {
        items: none.items,
        deficient: none.deficient,
        recordedBy: null,
        recordedAt: null,
        override: null,
        blocking: !!intake && intake['status'] === 'testing' && none.deficient.length > 0,
      };
    }
    const items = json<IntakeDetail['documents']['items']>(row['documents'], []);
    const deficient = json<TankerDocumentKind[]>(row['deficient'], []);
    const overridden = !!row['override_at'];
    const by = (row['override_by'] as string | null) ?? null;
    return {
      items,
      deficient,
      recordedBy: row['recorded_by'] as string,
      recordedAt: iso(row['recorded_at']),
      override: overridden
        ? {
            by: by ?? '',
            printedName: (by && this.identity.getUser(by)?.printed_name) || null,
            at: iso(row['override_at'])!,
            reason: row['override_reason'] as string,
          }
        : null,
      blocking: deficient.length > 0 && !overridden,
    };
  }

  /** Acceptance needs the tanker's documents, or a QA manager's signed override of what is missing. */
  private mustHaveDocuments(intake: Row, lotCode: string): void {
    const row = this.documentsRow(intake.id);
    const deficient = row ? json<string[]>(row['deficient'], []) : [...tankerDocumentKinds];
    if (deficient.length && !row?.['override_at'])
      fail('conflict', { lot: lotCode, documents: deficient.join(', ') }, 'errors.intake_documents_missing');
  }

  private openIntake(lotCode: string): { lot: Row; intake: Row } {
    const lot = this.mustTanker(lotCode);
    const intake = this.intakeRow(lotCode);
    if (!intake) fail('conflict', { lot: lotCode }, 'errors.intake_not_started');
    if (intake['status'] === 'accepted' || intake['status'] === 'rejected')
      fail('conflict', { lot: lotCode, status: intake['status'] }, 'errors.intake_decided');
    return { lot, intake };
  }

  /** Records the documents again (a slip brought later, a number corrected); an earlier override no longer applies. */
  saveDocuments(actor: Actor, lotCode: string, documents: TankerDocumentInput[], reason: string): IntakeDetail {
    const { lot, intake } = this.openIntake(lotCode);
    const docs = this.checkDocuments(documents, lot);
    this.ledger.write(actor, (w) => {
      const cur = this.documentsRow(intake.id);
      const fields = {
        documents: JSON.stringify(docs.items),
        deficient: JSON.stringify(docs.deficient),
        recorded_by: actor.id,
        recorded_at: w.at,
        override_reason: null,
        override_by: null,
        override_at: null,
      };
      if (cur) w.update(I.documents, cur.id, fields, { reason });
      else w.create(I.documents, { intake_id: intake.id, lot_code: lotCode, ...fields }, { reason });
    });
    return this.detail(lotCode);
  }

  /**
   * A QA manager's signed exception (`override`) for the deficiencies on record, given at the
   * terminal where the intake is recorded. It covers exactly those: recording the documents
   * again withdraws it.
   */
  async overrideDocuments(
    signerId: string,
    lotCode: string,
    reason: string,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
  ): Promise<IntakeDetail> {
    if (meaning !== 'override')
      fail('invalid_input', { field: 'signature.meaning', expected: 'override' }, 'errors.signature_meaning_mismatch');
    const { intake } = this.openIntake(lotCode);
    const row = this.documentsRow(intake.id);
    const deficient = row ? json<string[]>(row['deficient'], []) : [...tankerDocumentKinds];
    if (deficient.length === 0) fail('conflict', { lot: lotCode }, 'errors.intake_documents_complete');
    if (row?.['override_at']) fail('conflict', { lot: lotCode }, 'errors.intake_documents_overridden');
    const signer = await this.identity.authenticateSigner(signerId.trim().toLowerCase(), password);
    if (!permissionsOf(JSON.parse(signer.roles) as Role[]).has('intake.reject'))
      fail('forbidden', { permission: 'intake.reject', signer: signer.id }, 'errors.override_needs_qa');
    this.ledger.write(actorOf(signer), (w) => {
      let cur = this.documentsRow(intake.id);
      if (cur && (cur.rev !== row?.rev || cur['override_at']))
        fail('conflict', { lot: lotCode }, 'errors.stale_record');
      if (!cur) {
        const lot = this.mustTanker(lotCode);
        const none = this.checkDocuments([], lot);
        cur = w.create(I.documents, {
          intake_id: intake.id,
          lot_code: lotCode,
          documents: JSON.stringify(none.items),
          deficient: JSON.stringify(none.deficient),
          recorded_by: signer.id,
          recorded_at: w.at,
          override_reason: null,
          override_by: null,
          override_at: null,
        });
      }
      w.update(
        I.documents,
        cur.id,
        { override_reason: reason, override_by: signer.id, override_at: w.at },
        { reason: `documents override: ${reason}` },
      );
      this.identity.sign(
        w,
        signer,
        { def: I.documents, id: cur.id },
        { meaning: 'override', comment: comment ?? `${reason} (${deficient.join(', ')})` },
      );
    });
    return this.detail(lotCode);
  }

  // ------------------------------------------------------------------ late failures

  /** Results of an accepted tanker that failed after the acceptance (retrospective tests), oldest first. */
  private lateFailedResults(lotCode?: string): Array<{
    lotCode: string;
    supplierCode: string;
    resultId: string;
    item: TestItem;
    reported: string | null;
    submittedAt: number;
    rule: RuleBasis;
    rules: ItemRules;
  }> {
    const rows = this.db
      .prepare(
        `SELECT i.lot_code, i.supplier_code, i.item_rules, r.id AS result_id, r.item, r.reported, r.submitted_at
         FROM raw_milk_intake i JOIN sample s ON s.code = i.sample_code JOIN test_result r ON r.sample_id = s.id
         WHERE i.retired = 0 AND i.status = 'accepted' ${lotCode ? 'AND i.lot_code = ?' : ''}
           AND r.retired = 0 AND r.verdict = 'fail' AND r.status IN ('submitted', 'reviewed') AND r.submitted_at >= i.decided_at
         ORDER BY r.submitted_at, r.position`,
      )
      .all(...(lotCode ? [lotCode] : [])) as Array<{
      lot_code: string;
      supplier_code: string;
      item_rules: string | null;
      result_id: string;
      item: string;
      reported: string | null;
      submitted_at: number;
    }>;
    return rows.map((r) => {
      const rules = json<ItemRules>(r.item_rules, {});
      const item = JSON.parse(r.item) as TestItem;
      return {
        lotCode: r.lot_code,
        supplierCode: r.supplier_code,
        resultId: r.result_id,
        item,
        reported: r.reported,
        submittedAt: r.submitted_at,
        rule: this.ruleOf(rules, item.code).rule,
        rules,
      };
    });
  }

  private lateHolds(lotCode: string): Row[] {
    return this.db
      .prepare('SELECT * FROM tanker_late_failure WHERE lot_code = ? AND retired = 0 ORDER BY held_at')
      .all(lotCode) as Row[];
  }

  lateFailures(f: {
    status?: 'open' | 'held' | undefined;
    lotCode?: string | undefined;
  }): IntakeDetail['lateFailures'] {
    const byLot = new Map<string, ReturnType<IntakeService['lateFailedResults']>>();
    for (const r of this.lateFailedResults(f.lotCode)) byLot.set(r.lotCode, [...(byLot.get(r.lotCode) ?? []), r]);
    const out: IntakeDetail['lateFailures'] = [];
    for (const [lot, rs] of byLot) {
      const holds = this.lateHolds(lot);
      const covered = new Set(holds.flatMap((h) => json<string[]>(h['result_ids'], [])));
      const status = rs.every((r) => covered.has(r.resultId)) ? 'held' : 'open';
      if (f.status && f.status !== status) continue;
      out.push({
        lotCode: lot,
        supplierCode: rs[0]!.supplierCode,
        items: [...new Set(rs.map((r) => r.item.code))],
        basis: rs.some((r) => r.rule === 'national') ? 'national' : 'plant',
        status,
        detectedAt: new Date(rs[0]!.submittedAt).toISOString(),
        heldAt: holds.length ? iso(holds[holds.length - 1]!['held_at']) : null,
      });
    }
    return out.sort((a, b) =>
      a.status !== b.status ? (a.status === 'open' ? -1 : 1) : b.detectedAt.localeCompare(a.detectedAt),
    );
  }

  /** A late failure: what failed and everything made from the tanker (trace engine), with the holds made. */
  lateFailure(lotCode: string): LateFailureDetail {
    const lot = this.mustTanker(lotCode);
    const intake = this.intakeRow(lotCode);
    const failed = this.lateFailedResults(lotCode);
    if (!intake || failed.length === 0) fail('not_found', { lot: lotCode }, 'errors.late_failure_not_found');
    const holds = this.lateHolds(lotCode);
    const covered = new Set(holds.flatMap((h) => json<string[]>(h['result_ids'], [])));
    const t = traceLot(this.db, lotCode)!;
    const shippedLots = new Set(t.shipments.map((s) => s.lot));
    const customers = new Map(t.customers.map((c) => [c.customer, c]));
    const lotInfo = this.db.prepare(
      'SELECT l.item_name, l.batch_id, b.code AS batch_code, b.line FROM lot l LEFT JOIN batch b ON b.id = l.batch_id WHERE l.code = ?',
    );
    const affected = t.forward.map((f) => {
      const info = lotInfo.get(f.lot) as
        | { item_name: string | null; batch_code: string | null; line: string | null }
        | undefined;
      return {
        lot: f.lot,
        kind: f.kind,
        itemCode: f.item_code,
        itemName: info?.item_name ?? null,
        status: f.status,
        depth: f.depth,
        batchCode: info?.batch_code ?? null,
        line: info?.line ?? null,
        shipped: shippedLots.has(f.lot),
        holdable: USABLE.has(f.status ?? ''),
      };
    });
    return {
      lotCode,
      supplierCode: intake['supplier_code'] as string,
      supplierName: this.supplierName(intake['supplier_code'] as string),
      acceptedAt: iso(intake['decided_at']),
      lotStatus: lot['status'] as string,
      results: failed.map((r) => ({
        resultId: r.resultId,
        itemCode: r.item.code,
        nameZh: r.item.name_zh,
        nameEn: r.item.name_en,
        reported: r.reported,
        unit: r.item.unit,
        limitText: limitText(r.item),
        rule: r.rule,
        submittedAt: new Date(r.submittedAt).toISOString(),
        held: covered.has(r.resultId),
      })),
      basis: failed.some((r) => r.rule === 'national') ? 'national' : 'plant',
      status: failed.every((r) => covered.has(r.resultId)) ? 'held' : 'open',
      affected,
      shipments: t.shipments.map((s) => ({
        lot: s.lot,
        customer: s.customer,
        customerName: customers.get(s.customer)?.name ?? null,
        quantity: s.quantity,
        unit: s.unit,
        date: s.date,
      })),
      depthLimitReached: t.depth_limit_reached,
      holds: holds.map((h) => ({
        id: h.id,
        heldLots: json<string[]>(h['held_lots'], []),
        items: json<string[]>(h['items'], []),
        reason: h['reason'] as string,
        heldBy: h['held_by'] as string,
        heldAt: iso(h['held_at'])!,
        signatures: this.identity.signaturesFor('tanker_late_failure', h.id).map(signatureView),
      })),
      reportRequired: failed.some((r) => r.rule === 'national'),
      reportDocumentId: (intake['report_document_id'] as string | null) ?? null,
    };
  }

  /**
   * One signed hold (`held`) for a late failure: the chosen lots (the tanker and what was made
   * from it) go on hold, each with its `held` signature, and the late-failure record — the
   * failing results, the lots at risk as traced now, the lots held — is signed too, all in
   * one transaction with one password.
   */
  async holdLateFailure(
    signerId: string,
    lotCode: string,
    lotCodes: string[],
    reason: string,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
  ): Promise<LateFailureDetail> {
    if (meaning !== 'held')
      fail('invalid_input', { field: 'signature.meaning', expected: 'held' }, 'errors.signature_meaning_mismatch');
    const d = this.lateFailure(lotCode);
    if (d.status !== 'open') fail('conflict', { lot: lotCode }, 'errors.late_failure_held');
    const holdable = new Map<string, boolean>([
      [lotCode, USABLE.has(d.lotStatus)],
      ...d.affected.map((a) => [a.lot, a.holdable] as const),
    ]);
    const chosen = [...new Set(lotCodes)];
    for (const c of chosen) {
      if (!holdable.has(c)) fail('invalid_input', { lot: c, tanker: lotCode }, 'errors.late_failure_lot_not_affected');
      if (!holdable.get(c)) fail('conflict', { lot: c }, 'errors.late_failure_lot_not_holdable');
    }
    const signer = await this.identity.authenticateSigner(signerId, password);
    if (!permissionsOf(JSON.parse(signer.roles) as Role[]).has('lots.decide'))
      fail('forbidden', { permission: 'lots.decide', signer: signer.id }, 'errors.hold_needs_qa');
    const open = d.results.filter((r) => !r.held);
    const why = `late failure of tanker ${lotCode} (${open.map((r) => `${r.itemCode} ${r.reported ?? ''}`.trim()).join(', ')}): ${reason}`;
    this.ledger.write(actorOf(signer), (w) => {
      // Evaluated again inside the transaction that acts on it: still open, lots still usable.
      const covered = new Set(this.lateHolds(lotCode).flatMap((h) => json<string[]>(h['result_ids'], [])));
      if (open.some((r) => covered.has(r.resultId))) fail('conflict', { lot: lotCode }, 'errors.stale_record');
      for (const c of chosen) {
        const row = this.db.prepare('SELECT id FROM lot WHERE code = ?').get(c) as { id: string };
        const cur = w.get(L.lot, row.id)!;
        if (!USABLE.has(cur['status'] as string)) fail('conflict', { lot: c }, 'errors.stale_record');
        w.update(L.lot, row.id, { status: 'on_hold' }, { reason: why });
        this.identity.sign(w, signer, { def: L.lot, id: row.id }, { meaning: 'held', comment: comment ?? why });
      }
      const rec = w.create(
        I.lateFailure,
        {
          lot_code: lotCode,
          result_ids: JSON.stringify(open.map((r) => r.resultId)),
          items: JSON.stringify(open.map((r) => r.itemCode)),
          basis: open.some((r) => r.rule === 'national') ? 'national' : 'plant',
          affected: JSON.stringify(
            d.affected.map((a) => ({ lot: a.lot, kind: a.kind, status: a.status, batch: a.batchCode })),
          ),
          held_lots: JSON.stringify(chosen),
          reason,
          held_by: signer.id,
          held_at: w.at,
        },
        { reason },
      );
      this.identity.sign(
        w,
        signer,
        { def: I.lateFailure, id: rec.id },
        { meaning: 'held', comment: comment ?? reason },
      );
    });
    return this.lateFailure(lotCode);
  }

  // ------------------------------------------------------------------ calendar and appeals

  calendar(): WorkCalendar {
    const rows = this.db.prepare('SELECT date, kind FROM calendar_day WHERE retired = 0').all() as Array<{
      date: string;
      kind: string;
    }>;
    return {
      holidays: new Set(rows.filter((r) => r.kind === 'holiday').map((r) => r.date)),
      workdays: new Set(rows.filter((r) => r.kind === 'workday').map((r) => r.date)),
    };
  }

  calendarList(year: number) {
    return (
      this.db
        .prepare('SELECT * FROM calendar_day WHERE retired = 0 AND date LIKE ? ORDER BY date')
        .all(`${year}-%`) as Row[]
    ).map((r) => ({
      id: r.id,
      date: r['date'] as string,
      kind: r['kind'] as 'holiday' | 'workday',
      name: (r['name'] as string | null) ?? null,
    }));
  }

  saveCalendarDay(
    actor: Actor,
    date: string,
    kind: 'holiday' | 'workday' | null,
    name: string | null,
    reason?: string,
  ): { ok: true } {
    if (Number.isNaN(Date.parse(`${date}T00:00:00Z`))) fail('invalid_input', { field: 'date' }, 'errors.date_invalid');
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (kind === 'workday' && dow !== 0 && dow !== 6)
      fail('invalid_input', { field: 'kind', date }, 'errors.workday_not_weekend');
    return this.ledger.write(actor, (w) => {
      const cur = this.db.prepare('SELECT * FROM calendar_day WHERE date = ?').get(date) as Row | undefined;
      if (kind === null) {
        if (cur && !cur.retired) w.retire(I.calendarDay, cur.id, reason ?? 'back to the normal week');
      } else if (cur) {
        w.update(
          I.calendarDay,
          cur.id,
          { kind, name, ...(cur.retired ? {} : {}) },
          { reason: reason ?? `${kind} ${name ?? ''}`.trim() },
        );
        if (cur.retired) fail('conflict', { date }, 'errors.record_retired');
      } else w.create(I.calendarDay, { date, kind, name });
      return { ok: true as const };
    });
  }

  private appealView(r: Row): AppealView {
    const today = this.today();
    const status = r['status'] as AppealView['status'];
    const applyDeadline = r['apply_deadline'] as string;
    const reportDeadline = (r['report_deadline'] as string | null) ?? null;
    let nextDeadline: string | null = null;
    if (status === 'notified') nextDeadline = applyDeadline;
    else if (status === 'retesting' && !r['report_received_on']) nextDeadline = reportDeadline;
    return {
      id: r.id,
      rev: r.rev,
      intakeId: r['intake_id'] as string,
      lotCode: r['lot_code'] as string,
      supplierCode: r['supplier_code'] as string,
      itemCodes: String(r['item_codes']).split(',').filter(Boolean),
      firstLab: r['first_lab'] as string,
      notifiedOn: r['notified_on'] as string,
      applyDeadline,
      appliedOn: (r['applied_on'] as string | null) ?? null,
      retestLab: (r['retest_lab'] as string | null) ?? null,
      sampleReceivedOn: (r['sample_received_on'] as string | null) ?? null,
      reportDeadline,
      reportReceivedOn: (r['report_received_on'] as string | null) ?? null,
      outcome: (r['outcome'] as AppealView['outcome']) ?? null,
      status,
      note: (r['note'] as string | null) ?? null,
      overdue: nextDeadline !== null && today > nextDeadline,
      nextDeadline,
    };
  }

  appeals(f: {
    statuses?: string[] | undefined;
    overdueOnly?: boolean | undefined;
    lotCode?: string | undefined;
  }): AppealView[] {
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
    const rows = (
      this.db
        .prepare(`SELECT * FROM intake_appeal WHERE ${where.join(' AND ')} ORDER BY notified_on DESC`)
        .all(...params) as Row[]
    ).map((r) => this.appealView(r));
    return f.overdueOnly ? rows.filter((r) => r.overdue) : rows;
  }

  /** A legacy appeal still standing (not carried forward or retired). */
  legacyAppeal(id: string): Row {
    const cur = this.ledger.get(I.appeal, id);
    if (!cur || cur.retired) fail('not_found', { entity: 'intake_appeal', id }, 'errors.appeal_not_found');
    return cur;
  }

  /**
   * Retires a legacy appeal with the reason, never rewriting it: it was recorded against the
   * plant's own rejection, which 第二十七条 does not cover (a supplier contesting the plant's
   * result is a commercial matter), or it has been carried forward into the spot-check register.
   */
  retireAppeal(actor: Actor, id: string, reason: string, w?: LedgerWriter): { ok: true } {
    const act = (wr: LedgerWriter) => {
      const cur = wr.get(I.appeal, id);
      if (!cur || cur.retired) fail('not_found', { entity: 'intake_appeal', id }, 'errors.appeal_not_found');
      wr.retire(I.appeal, id, reason);
      return { ok: true as const };
    };
    return w ? act(w) : this.ledger.write(actor, act);
  }

  // ------------------------------------------------------------------ supplier performance

  performance(from: string, to: string, supplierCode?: string): Performance[] {
    const suppliers = this.db
      .prepare(
        `SELECT code, name, kind FROM supplier WHERE retired = 0 ${supplierCode ? 'AND code = ?' : ''} ORDER BY code`,
      )
      .all(...(supplierCode ? [supplierCode] : [])) as Array<{ code: string; name: string; kind: string }>;
    const out: Performance[] = [];
    for (const s of suppliers) {
      const intakes = this.db
        .prepare(
          `SELECT i.status, i.reject_causes, substr(l.lot_date,1,7) AS month FROM raw_milk_intake i JOIN lot l ON l.code = i.lot_code WHERE i.supplier_code = ? AND i.retired = 0 AND substr(l.lot_date,1,10) BETWEEN ? AND ?`,
        )
        .all(s.code, from, to) as Array<{ status: string; reject_causes: string | null; month: string }>;
      const causes = new Map<string, number>();
      for (const i of intakes)
        for (const c of json<string[]>(i.reject_causes, [])) causes.set(c, (causes.get(c) ?? 0) + 1);
      const accepted = intakes.filter((i) => i.status === 'accepted').length;
      const rejected = intakes.filter((i) => i.status === 'rejected').length;
      const months = new Map<string, { intakes: number; rejected: number }>();
      for (const i of intakes) {
        const m = months.get(i.month) ?? { intakes: 0, rejected: 0 };
        m.intakes++;
        if (i.status === 'rejected') m.rejected++;
        months.set(i.month, m);
      }
      const insp = this.db
        .prepare(
          `SELECT s.id, (SELECT count(*) FROM test_result r WHERE r.sample_id = s.id AND r.retired = 0 AND r.verdict = 'fail' AND r.status IN ('submitted','reviewed','invalidated')) AS failed
           FROM sample s JOIN lot l ON l.code = s.lot_code WHERE s.kind = 'incoming_inspection' AND s.parent_sample_id IS NULL AND s.status <> 'cancelled' AND l.supplier_code = ? AND substr(l.lot_date,1,10) BETWEEN ? AND ?`,
        )
        .all(s.code, from, to) as Array<{ failed: number }>;
      const appeals = this.db
        .prepare(
          'SELECT outcome FROM intake_appeal a JOIN lot l ON l.code = a.lot_code WHERE a.supplier_code = ? AND a.retired = 0 AND substr(l.lot_date,1,10) BETWEEN ? AND ?',
        )
        .all(s.code, from, to) as Array<{ outcome: string | null }>;
      const outcomes = new Map<string, number>();
      for (const a of appeals) outcomes.set(a.outcome ?? 'open', (outcomes.get(a.outcome ?? 'open') ?? 0) + 1);
      const spot = this.db
        .prepare(
          "SELECT result FROM spot_check WHERE supplier_code = ? AND subject = 'raw_milk' AND retired = 0 AND sampled_on BETWEEN ? AND ?",
        )
        .all(s.code, from, to) as Array<{ result: string }>;
      const decided = accepted + rejected;
      out.push({
        supplierCode: s.code,
        supplierName: s.name,
        kind: s.kind,
        intakes: intakes.length,
        accepted,
        rejected,
        passRate: decided ? tenthsPercent(accepted, decided) : null,
        rejectsByCause: [...causes.entries()].sort((a, b) => b[1] - a[1]).map(([cause, count]) => ({ cause, count })),
        inspections: insp.length,
        inspectionsFailed: insp.filter((x) => x.failed > 0).length,
        appeals: appeals.length,
        appealsByOutcome: [...outcomes.entries()].map(([outcome, count]) => ({ outcome, count })),
        spotChecks: spot.length,
        spotChecksNonconforming: spot.filter((x) => x.result === 'nonconforming').length,
        level: this.sampling(s.code).level,
        months: [...months.entries()].sort().map(([month, m]) => ({ month, ...m })),
      });
    }
    return out;
  }
}
