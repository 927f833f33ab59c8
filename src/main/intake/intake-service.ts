import type { z } from 'zod';
import type {
  Declarations,
  IntakeView,
  PanelItem,
  appealViewSchema,
  intakeCheckSchema,
  intakeDetailSchema,
  panelViewSchema,
  samplingStateSchema,
  supplierPerformanceSchema,
} from '../../shared/contract/channels/intake';
import { fail } from '../../shared/contract/errors';
import { permissionsOf, type Role, type SignatureMeaning } from '../../shared/domain/roles';
import { addWorkingDays, limitText, type TestItem, type WorkCalendar } from '../../shared/rules';
import { actorOf, type IdentityService } from '../auth/identity';
import { signatureView } from '../app/signature-view';
import type { Row, Value } from '../ledger/entities';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { L } from '../lots/entities';
import { localDate } from '../lots/codes';
import type { SamplesService } from '../samples/samples-service';
import type { ResultsService } from '../results/results-service';
import { I } from './entities';

type PanelView = z.infer<typeof panelViewSchema>;
type AppealView = z.infer<typeof appealViewSchema>;
type IntakeDetail = z.infer<typeof intakeDetailSchema>;
type IntakeCheck = z.infer<typeof intakeCheckSchema>;
type SamplingState = z.infer<typeof samplingStateSchema>;
type Performance = z.infer<typeof supplierPerformanceSchema>;

/** Consecutive passing deliveries that restore normal sampling, unless configured per supplier. */
export const DEFAULT_PASSES_REQUIRED = 5;
/** 第二十七条: apply within 5 working days of notification; the re-test report within 7 working days. */
export const APPEAL_APPLY_DAYS = 5;
export const APPEAL_REPORT_DAYS = 7;

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

const screen = (
  code: string,
  zh: string,
  en: string,
  level: 'normal' | 'tightened',
  method: string | null,
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
});
const numeric = (
  over: Partial<TestItem> & Pick<TestItem, 'code' | 'name_zh' | 'name_en' | 'unit'>,
  level: 'normal' | 'tightened' = 'normal',
): PanelItem => ({
  ...testItem(over),
  level,
  screen: false,
});

/**
 * The built-in panel: GB 19301-2010 receipt items (fat, protein, non-fat solids, relative
 * density, acidity, freezing point) with the usual bench checks (temperature, sensory,
 * alcohol test) and rapid screens (β-lactam, tetracycline, aflatoxin M1, melamine). The
 * tightened level adds the laboratory tests (total plate count, aflatoxin M1 and melamine
 * quantified, impurities). Limits are GB 19301-2010's (reference-data: spec pack
 * gb-19301-2010-raw-milk); the temperature limit is a plant rule (≤ 6 °C on arrival).
 */
export const BUILT_IN_PANEL: PanelItem[] = [
  numeric({
    code: 'temperature',
    name_zh: '到厂温度',
    name_en: 'Temperature on arrival',
    unit: '°C',
    limit_form: 'maximum',
    max: '6.0',
    precision: 1,
  }),
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
    'tightened',
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
      items: json<PanelItem[]>(r['items'], []),
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

  /** The panel items a tanker sample gets: the supplier's panel at the supplier's sampling level. */
  panelItems(lot: Row): TestItem[] | null {
    if (lot['kind'] !== 'raw_milk') return null;
    const supplier = lot['supplier_code'] as string | null;
    if (!supplier) return null;
    const level = this.sampling(supplier).level;
    return this.panelFor(supplier)
      .items.filter((i) => level === 'tightened' || i.level === 'normal')
      .map(({ level: _level, screen: _screen, ...item }) => item);
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

  view(r: Row): IntakeView {
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
      status: r['status'] as IntakeView['status'],
      rejectCauses: json<string[]>(r['reject_causes'], []),
      decisionReason: (r['decision_reason'] as string | null) ?? null,
      decidedBy: (r['decided_by'] as string | null) ?? null,
      decidedAt: iso(r['decided_at']),
      reportDocumentId: (r['report_document_id'] as string | null) ?? null,
      openedBy: r['opened_by'] as string,
      openedAt: iso(r['opened_at'])!,
    };
  }

  /** Checks, proposal and causes from the records (never stored: always recomputed). */
  private evaluate(intake: Row | undefined): {
    checks: IntakeCheck[];
    proposal: 'accept' | 'reject' | 'incomplete';
    causes: string[];
    unsubmitted: string[];
  } {
    const causes: string[] = [];
    const checks: IntakeCheck[] = [];
    const unsubmitted: string[] = [];
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
      for (const r of rows) {
        const item = JSON.parse(r['item'] as string) as TestItem & { screen?: boolean };
        const verdict = (r['verdict'] as IntakeCheck['verdict']) ?? null;
        checks.push({
          code: item.code,
          nameZh: item.name_zh,
          nameEn: item.name_en,
          unit: item.unit,
          limitText: item.limit_form === 'sampling_plan' && item.n === 1 ? 'negative' : limitText(item),
          screen: item.limit_form === 'sampling_plan' && item.n === 1,
          resultId: r.id,
          status: r['status'] as string,
          reported: (r['reported'] as string | null) ?? null,
          verdict,
        });
        if (verdict === 'fail') causes.push(`check.${item.code}`);
        if (verdict === null || verdict === 'invalid') incomplete = true;
        if (r['status'] === 'entered' || r['status'] === 'returned') unsubmitted.push(item.code);
      }
      if (rows.length === 0) incomplete = true;
    }
    const refused = intake?.['status'] === 'refused';
    return {
      checks,
      proposal: causes.length > 0 || refused ? 'reject' : incomplete ? 'incomplete' : 'accept',
      causes,
      unsubmitted,
    };
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

  start(actor: Actor, lotCode: string, declarations: Declarations, samplingPoint: string, note?: string): IntakeDetail {
    const lot = this.mustTanker(lotCode);
    if (this.intakeRow(lotCode)) fail('conflict', { lot: lotCode }, 'errors.intake_exists');
    if (lot['status'] !== 'quarantine')
      fail('conflict', { lot: lotCode, status: lot['status'] }, 'errors.intake_lot_decided');
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
    this.ledger.write(actor, (w) => {
      if (this.intakeRow(lotCode)) fail('conflict', { lot: lotCode }, 'errors.intake_exists');
      w.create(I.intake, {
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
      const to = decision === 'accept' ? 'accepted' : 'rejected';
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

  mustRejected(lotCode: string): Row {
    const intake = this.intakeRow(lotCode);
    if (!intake || intake['status'] !== 'rejected') fail('conflict', { lot: lotCode }, 'errors.intake_not_rejected');
    return intake;
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

  createAppeal(
    actor: Actor,
    i: { lotCode: string; notifiedOn: string; firstLab: string; itemCodes: string[]; note?: string | undefined },
  ): AppealView {
    const intake = this.mustRejected(i.lotCode);
    if (i.notifiedOn > this.today()) fail('invalid_input', { field: 'notifiedOn' }, 'errors.date_in_future');
    const deadline = addWorkingDays(i.notifiedOn, APPEAL_APPLY_DAYS, this.calendar());
    return this.ledger.write(actor, (w) => {
      const r = w.create(I.appeal, {
        intake_id: intake.id,
        lot_code: i.lotCode,
        supplier_code: intake['supplier_code'] as string,
        item_codes: i.itemCodes.join(','),
        first_lab: i.firstLab,
        notified_on: i.notifiedOn,
        apply_deadline: deadline,
        applied_on: null,
        retest_lab: null,
        sample_received_on: null,
        report_deadline: null,
        report_received_on: null,
        outcome: null,
        status: 'notified',
        note: i.note ?? null,
      });
      return this.appealView(r);
    });
  }

  updateAppeal(
    actor: Actor,
    i: {
      id: string;
      appliedOn?: string | null | undefined;
      retestLab?: string | null | undefined;
      sampleReceivedOn?: string | null | undefined;
      reportReceivedOn?: string | null | undefined;
      outcome?: string | null | undefined;
      note?: string | null | undefined;
      reason: string;
    },
  ): AppealView {
    const cur = this.ledger.get(I.appeal, i.id);
    if (!cur || cur.retired) fail('not_found', { entity: 'intake_appeal', id: i.id }, 'errors.appeal_not_found');
    if (cur['status'] === 'closed') fail('conflict', { id: i.id }, 'errors.appeal_closed');
    const next = { ...cur } as Record<string, Value>;
    const set = (col: string, v: string | null | undefined) => {
      if (v !== undefined) next[col] = v;
    };
    set('applied_on', i.appliedOn);
    set('retest_lab', i.retestLab);
    set('sample_received_on', i.sampleReceivedOn);
    set('report_received_on', i.reportReceivedOn);
    set('outcome', i.outcome);
    set('note', i.note);
    const today = this.today();
    for (const col of ['applied_on', 'sample_received_on', 'report_received_on']) {
      const v = next[col] as string | null;
      if (v && v > today) fail('invalid_input', { field: col }, 'errors.date_in_future');
      if (v && v < (cur['notified_on'] as string)) fail('invalid_input', { field: col }, 'errors.appeal_date_order');
    }
    if (next['applied_on'] && (next['applied_on'] as string) > (cur['apply_deadline'] as string)) {
      fail('invalid_input', { field: 'appliedOn', deadline: cur['apply_deadline'] }, 'errors.appeal_late');
    }
    // 第二十七条: 复检机构与初检机构不得为同一机构.
    const norm = (s: Value | undefined) =>
      String(s ?? '')
        .replace(/\s+/g, '')
        .toLowerCase();
    if (next['retest_lab'] && norm(next['retest_lab']) === norm(cur['first_lab']))
      fail('invalid_input', { field: 'retestLab', lab: next['retest_lab'] }, 'errors.appeal_same_lab');
    if (next['sample_received_on'] && !next['applied_on'])
      fail('invalid_input', { field: 'sampleReceivedOn' }, 'errors.appeal_not_applied');
    if (next['sample_received_on'] && !next['retest_lab'])
      fail('invalid_input', { field: 'retestLab' }, 'errors.appeal_retest_lab_required');
    if (next['report_received_on'] && !next['sample_received_on'])
      fail('invalid_input', { field: 'reportReceivedOn' }, 'errors.appeal_date_order');
    next['report_deadline'] = next['sample_received_on']
      ? addWorkingDays(next['sample_received_on'] as string, APPEAL_REPORT_DAYS, this.calendar())
      : null;
    next['status'] = next['outcome']
      ? 'closed'
      : next['sample_received_on']
        ? 'retesting'
        : next['applied_on']
          ? 'applied'
          : 'notified';
    if (next['outcome'] === 'overturned' || next['outcome'] === 'upheld') {
      if (!next['report_received_on']) fail('invalid_input', { field: 'outcome' }, 'errors.appeal_report_required');
    }
    return this.ledger.write(actor, (w) => {
      const patch: Record<string, Value> = {};
      for (const col of [
        'applied_on',
        'retest_lab',
        'sample_received_on',
        'report_received_on',
        'outcome',
        'note',
        'report_deadline',
        'status',
      ])
        patch[col] = next[col] ?? null;
      return this.appealView(w.update(I.appeal, i.id, patch, { reason: i.reason }));
    });
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
        level: this.sampling(s.code).level,
        months: [...months.entries()].sort().map(([month, m]) => ({ month, ...m })),
      });
    }
    return out;
  }
}
