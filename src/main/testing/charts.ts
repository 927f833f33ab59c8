import { fail } from '../../shared/contract/errors';
import type { SignatureMeaning } from '../../shared/domain/roles';
import {
  controlLimits,
  entryBasis,
  LabDecimal,
  fromLabDecimal,
  parseDecimal,
  westgardFlags,
  type TestItem,
} from '../../shared/rules';
import { actorOf, type IdentityService } from '../identity';
import type { Actor, Ledger } from '../ledger/ledger';
import { T } from './entities';
import { asBaseline, asQcMaterial, asQcResult, type BaselineRecord, type QcMaterialRecord, type TestingQueries } from './queries';

/**
 * Control charts that do not drift (issue 20 §6).
 *
 * - A chart's centre and limits come from a **baseline**: a period a QA manager chooses and
 *   signs (`approved`). Its points are frozen in the record with their *unrounded* values
 *   (the specification-basis value before GB/T 8170 rounding), so later results never move
 *   the limits and rounding never narrows them. A new baseline supersedes the old one.
 * - Westgard rules run against that baseline (src/shared/rules/control-chart.ts, exact).
 *   Without a signed baseline the chart says so and uses the plotted window (it drifts).
 * - QC check samples (reference materials, spiked samples) have their own charts per method
 *   and instrument: results of a material are charted as measured (reference material) or as
 *   recovery % (spiked sample), against the material's own baseline.
 */
export const MIN_BASELINE_POINTS = 5;

export type ChartSpec =
  | { kind: 'product'; productCode: string; itemCode: string }
  | { kind: 'qc'; materialCode: string; methodCode: string; instrumentId: string };

export function chartKey(c: ChartSpec): string {
  return c.kind === 'product'
    ? `product|${c.productCode}|${c.itemCode}`
    : `qc|${c.materialCode}|${c.methodCode}|${c.instrumentId}`;
}

export interface BaselineView {
  id: string;
  chart: string;
  from: string;
  to: string;
  n: number;
  mean: string;
  sd: string;
  note: string | null;
  status: 'active' | 'superseded';
  createdBy: string;
  createdAt: string;
  supersededAt: string | null;
  /** The frozen points: reference (result or QC run) and unrounded value. */
  points: Array<{ ref: string; label: string; value: string }>;
}

export interface ChartPoint {
  resultId: string;
  lotCode: string;
  lotDate: string;
  sampleCode: string;
  reported: string;
  /** The unrounded value the rules used (null: only the rounded value is on record). */
  value: string | null;
  verdict: 'pass' | 'fail' | 'invalid' | 'none' | null;
  z: string | null;
  rules: string[];
}

const DISPLAY_DECIMALS = 10;

/** Local calendar date of an instant in a time zone ("2026-03-05"). */
export function localDate(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(ms),
  );
}

/** The unrounded specification-basis value of a result row, or null when only the rounded one is known. */
export function unroundedValue(r: { converted: string | null; value: string | null; item: string }): string | null {
  if (r.converted !== null && parseDecimal(r.converted).ok) return r.converted;
  const item = JSON.parse(r.item) as TestItem;
  if (r.value !== null && parseDecimal(r.value).ok && entryBasis(item) === item.basis) return r.value;
  return null;
}

export class ControlCharts {
  constructor(
    private readonly ledger: Ledger,
    private readonly identity: IdentityService,
    private readonly q: TestingQueries,
  ) {}

  baselineView(b: BaselineRecord): BaselineView {
    return {
      id: b.id,
      chart: b.chart,
      from: b.from_date,
      to: b.to_date,
      n: b.n,
      mean: b.mean,
      sd: b.sd,
      note: b.note ?? null,
      status: b.status as BaselineView['status'],
      createdBy: b.created_by,
      createdAt: new Date(b.created_at).toISOString(),
      supersededAt: typeof b.superseded_at === 'number' ? new Date(b.superseded_at).toISOString() : null,
      points: JSON.parse(b.point_values) as BaselineView['points'],
    };
  }

  activeBaseline(chart: string): BaselineView | null {
    const b = this.q.charts.activeBaseline(chart);
    return b ? this.baselineView(b) : null;
  }

  baselines(chart: string): BaselineView[] {
    return this.q.charts.baselines(chart).map((b) => this.baselineView(b));
  }

  // ------------------------------------------------------------------ product charts

  /** Reviewed results of a product's item across lots (lot date order), with their unrounded values. */
  productPoints(
    productCode: string,
    itemCode: string,
    from?: string,
    to?: string,
    limit = 5000,
  ): Array<Omit<ChartPoint, 'z' | 'rules'>> {
    const rows = this.q.results.productPoints(productCode, itemCode, from, to, limit).reverse();
    return rows
      .filter((r) => r.reported !== null && parseDecimal(r.reported).ok)
      .map((r) => ({
        resultId: r.id,
        lotCode: r.lot_code,
        lotDate: r.lot_date,
        sampleCode: r.sample_code,
        reported: r.reported!,
        value: unroundedValue(r),
        verdict: r.verdict ?? null,
      }));
  }

  // ------------------------------------------------------------------ QC check samples

  materialView(m: QcMaterialRecord) {
    return {
      id: m.id,
      rev: m.rev,
      code: m.code,
      nameZh: m.name_zh,
      nameEn: m.name_en,
      kind: m.kind,
      methodCode: m.method_code,
      itemCode: m.item_code ?? null,
      unit: m.unit,
      assignedValue: m.assigned_value,
      uncertainty: m.uncertainty ?? null,
      certificateNo: m.certificate_no ?? null,
      lotNo: m.lot_no ?? null,
      expiresOn: m.expires_on ?? null,
      note: m.note ?? null,
      active: m.active === 1,
    };
  }

  materials() {
    return this.q.charts.materials().map((m) => this.materialView(m));
  }

  private material(code: string): QcMaterialRecord {
    const m = this.q.charts.material(code);
    if (!m) fail('not_found', { entity: 'qc_material', id: code }, 'errors.qc_material_not_found');
    return m;
  }

  saveMaterial(
    actor: Actor,
    i: {
      code: string;
      nameZh: string;
      nameEn: string;
      kind: 'reference_material' | 'spiked';
      methodCode: string;
      itemCode: string | null;
      unit: string;
      assignedValue: string;
      uncertainty: string | null;
      certificateNo: string | null;
      lotNo: string | null;
      expiresOn: string | null;
      note: string | null;
      active: boolean;
      reason?: string | undefined;
    },
  ) {
    const assigned = parseDecimal(i.assignedValue);
    if (!assigned.ok || assigned.value.coefficient === 0n || assigned.value.negative)
      fail('invalid_input', { field: 'assignedValue' }, 'errors.qc_assigned_value');
    if (i.kind === 'reference_material' && !i.certificateNo)
      fail('invalid_input', { field: 'certificateNo' }, 'errors.qc_certificate_required');
    return this.ledger.write(actor, (w) => {
      // Read inside the write: two sessions saving the same code, or a result recorded meanwhile.
      const existing = this.q.charts.anyMaterial(i.code);
      if (existing && !i.reason) fail('invalid_input', { field: 'reason' }, 'errors.reason_required');
      if (existing) {
        // What its charted results mean cannot change under them: a new value is a new material (lot).
        const used = { n: this.q.charts.qcResultCount(i.code) };
        const changed = (['kind', 'method_code', 'assigned_value', 'unit'] as const).filter(
          (k) =>
            existing[k] !==
            { kind: i.kind, method_code: i.methodCode, assigned_value: i.assignedValue, unit: i.unit }[k],
        );
        if (used.n > 0 && changed.length)
          fail('conflict', { code: i.code, fields: changed.join(', '), n: used.n }, 'errors.qc_material_in_use');
      }
      const fields = {
        code: i.code,
        name_zh: i.nameZh,
        name_en: i.nameEn,
        kind: i.kind,
        method_code: i.methodCode,
        item_code: i.itemCode,
        unit: i.unit,
        assigned_value: i.assignedValue,
        uncertainty: i.uncertainty,
        certificate_no: i.certificateNo,
        lot_no: i.lotNo,
        expires_on: i.expiresOn,
        note: i.note,
        active: i.active ? 1 : 0,
      };
      const r = existing
        ? w.update(T.qcMaterial, existing.id, fields, { reason: i.reason! })
        : w.create(T.qcMaterial, fields);
      return this.materialView(asQcMaterial(r));
    });
  }

  /** recovery % = measured / assigned × 100, exact (decimal.js, unrounded: charts round only for display). */
  private recovery(value: string, assigned: string): string {
    const r = new LabDecimal(value).times(100).dividedBy(new LabDecimal(assigned));
    return fromLabDecimal(r);
  }

  recordQc(
    actor: Actor,
    i: {
      materialCode: string;
      instrumentId: string;
      value: string;
      runAt?: string | undefined;
      note?: string | undefined;
    },
  ) {
    if (!parseDecimal(i.value).ok) fail('invalid_input', { field: 'value', value: i.value }, 'errors.qc_value');
    return this.ledger.write(actor, (w) => {
      // The material's state (in use, expiry, assigned value) as it is inside the write.
      const m = this.material(i.materialCode);
      if (m.active !== 1) fail('conflict', { code: i.materialCode }, 'errors.qc_material_inactive');
      const ins = this.q.foreign.instrument(i.instrumentId);
      if (!ins) fail('not_found', { entity: 'instrument', id: i.instrumentId }, 'errors.instrument_not_found');
      const at = i.runAt ? Date.parse(i.runAt) : w.at;
      if (at > w.at + 60_000) fail('invalid_input', { field: 'runAt' }, 'errors.qc_run_in_future');
      const expires = m.expires_on;
      if (expires && localDate(at, this.ledger.timeZone) > expires)
        fail('conflict', { code: i.materialCode, expires }, 'errors.qc_material_expired');
      const r = w.create(T.qcResult, {
        material_code: m.code,
        method_code: m.method_code,
        instrument_id: ins.id,
        value: i.value,
        recovery: this.recovery(i.value, m.assigned_value),
        analyst_id: actor.id,
        run_at: at,
        note: i.note ?? null,
      });
      return { id: r.id, recovery: asQcResult(r).recovery };
    });
  }

  /** Charts that have QC results: material × method × instrument. */
  qcCharts() {
    return this.q.charts.qcCharts().map((r) => ({
      materialCode: r.material_code,
      methodCode: r.method_code,
      instrumentId: r.instrument_id,
      instrumentCode: r.instrument_code ?? r.instrument_id,
      count: r.n,
      lastAt: new Date(r.last).toISOString(),
    }));
  }

  /** The QC points of a chart: the plotted quantity is the measured value (reference material) or recovery % (spiked). */
  qcPoints(materialCode: string, methodCode: string, instrumentId: string, from?: string, to?: string) {
    const m = this.material(materialCode);
    const spiked = m.kind === 'spiked';
    const rows = this.q.charts.qcResults(materialCode, methodCode, instrumentId);
    const tz = this.ledger.timeZone;
    return rows
      .map((r) => ({ r, day: localDate(r.run_at, tz) }))
      .filter(({ day }) => (!from || day >= from) && (!to || day <= to))
      .map(({ r, day }) => {
        const plotted = spiked ? r.recovery : r.value;
        return {
          resultId: r.id,
          lotCode: new Date(r.run_at).toISOString(),
          lotDate: day,
          sampleCode: r.analyst_id ?? '',
          reported: plotted,
          value: plotted,
          verdict: null,
          measured: r.value,
          note: r.note ?? null,
        };
      });
  }

  // ------------------------------------------------------------------ baselines

  /** Flags and limits of points against the chart's signed baseline (else the window, which drifts). */
  judge<P extends { value: string | null; reported: string }>(chart: string, points: P[]) {
    const baseline = this.activeBaseline(chart);
    const values = points.map((p) => p.value ?? p.reported);
    const base = baseline ? baseline.points.map((p) => p.value) : values;
    const flags = westgardFlags(values, { baseline: base });
    // Display precision from the values the limits come from, so later points do not change it.
    const maxScale = Math.max(0, ...base.map((v) => (parseDecimal(v).ok ? (v.split('.')[1]?.length ?? 0) : 0)));
    const stats = controlLimits(base, { decimals: Math.min(maxScale + 3, 10) });
    return {
      baseline,
      stats,
      points: points.map((p, k) => ({ ...p, z: flags[k]?.z ?? null, rules: [...(flags[k]?.rules ?? [])] })),
    };
  }

  /**
   * A QA manager signs a baseline (`approved`): the chart's points in the period, frozen with
   * their unrounded values, mean and s. The previous active baseline of the chart is superseded.
   */
  async createBaseline(
    signerId: string,
    spec: ChartSpec,
    from: string,
    to: string,
    note: string,
    password: string,
    meaning: SignatureMeaning,
  ): Promise<BaselineView> {
    if (meaning !== 'approved')
      fail('invalid_input', { field: 'signature.meaning', expected: 'approved' }, 'errors.signature_meaning_mismatch');
    if (from > to) fail('invalid_input', { field: 'from' }, 'errors.baseline_period');
    const collect = () => {
      const pts =
        spec.kind === 'product'
          ? this.productPoints(spec.productCode, spec.itemCode, from, to).map((p) => ({
              ref: p.resultId,
              label: p.lotCode,
              value: p.value,
            }))
          : this.qcPoints(spec.materialCode, spec.methodCode, spec.instrumentId, from, to).map((p) => ({
              ref: p.resultId,
              label: p.lotDate,
              value: p.value,
            }));
      const rounded = pts.filter((p) => p.value === null);
      if (rounded.length)
        fail(
          'conflict',
          { count: rounded.length, lots: rounded.map((p) => p.label).join(', ') },
          'errors.baseline_rounded_only',
        );
      const points = pts as Array<{ ref: string; label: string; value: string }>;
      if (points.length < MIN_BASELINE_POINTS)
        fail('conflict', { n: points.length, min: MIN_BASELINE_POINTS }, 'errors.baseline_too_few');
      return points;
    };
    collect();
    const signer = await this.identity.authenticateSigner(signerId, password);
    return this.ledger.write(actorOf(signer), (w) => {
      // Decided on the records as they are inside the write (issue 19 §7).
      const points = collect();
      const stats = controlLimits(
        points.map((p) => p.value),
        { decimals: DISPLAY_DECIMALS },
      )!;
      const chart = chartKey(spec);
      for (const old of this.q.charts.activeBaselineIds(chart))
        w.update(
          T.baseline,
          old,
          { status: 'superseded', superseded_at: w.at },
          { reason: 'superseded by a new baseline' },
        );
      const b = w.create(T.baseline, {
        chart,
        subject: spec.kind,
        product_code: spec.kind === 'product' ? spec.productCode : null,
        item_code: spec.kind === 'product' ? spec.itemCode : null,
        material_code: spec.kind === 'qc' ? spec.materialCode : null,
        method_code: spec.kind === 'qc' ? spec.methodCode : null,
        instrument_id: spec.kind === 'qc' ? spec.instrumentId : null,
        from_date: from,
        to_date: to,
        n: points.length,
        mean: stats.mean,
        sd: stats.sd,
        point_values: JSON.stringify(points),
        note,
        status: 'active',
        created_by: signer.id,
        created_at: w.at,
        superseded_at: null,
      });
      this.identity.sign(w, signer, { def: T.baseline, id: b.id }, { meaning: 'approved', comment: note });
      return this.baselineView(asBaseline(b));
    });
  }
}
