import { fail } from '../../shared/contract/errors';
import { unitWithBasis, type TestItem, type WestgardRule } from '../../shared/rules';
import { chartKey } from './charts';
import type { TestingContext } from './context';
import { verdictChangeFigure } from './verdict-changes';

/**
 * Trends (issue 8 §7, issue 20 §6): a product's control charts judged against their signed
 * baselines, QC check-sample charts, and the "verdict changed before submission" figure.
 */
export class Trends {
  constructor(private readonly ctx: TestingContext) {}

  /** The "verdict changed before submission" figure per analyst and method (issue 19 §4). */
  verdictChangeFigure(from?: string, to?: string) {
    const rows = verdictChangeFigure(
      this.ctx.q,
      from ? Date.parse(from) : 0,
      to ? Date.parse(to) : Number.MAX_SAFE_INTEGER,
    );
    const names = new Map<string, string | null>();
    return rows.map((r) => {
      if (!names.has(r.analyst)) names.set(r.analyst, this.ctx.identity.getUser(r.analyst)?.printed_name ?? null);
      return { ...r, analystName: names.get(r.analyst) ?? null };
    });
  }

  trendItems(productCode: string) {
    return this.ctx.q.results.trendItems(productCode).map((r) => {
      const item = JSON.parse(this.ctx.q.results.itemAtRowid(r.last)!) as TestItem;
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
    const charts = this.ctx.charts;
    const material = charts.materials().find((m) => m.code === f.materialCode);
    if (!material) fail('not_found', { entity: 'qc_material', id: f.materialCode }, 'errors.qc_material_not_found');
    const points = charts.qcPoints(f.materialCode, f.methodCode, f.instrumentId, f.from, f.to);
    const judged = charts.judge(
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
    const all = this.ctx.q.results.trendCount(f.productCode, f.itemCode, f.from ?? null, f.to ?? null);
    const points = this.ctx.charts.productPoints(f.productCode, f.itemCode, f.from, f.to, f.limit);
    const last = this.ctx.q.results.lastItem(f.productCode, f.itemCode);
    const item = last ? (JSON.parse(last) as TestItem) : null;
    const judged = this.ctx.charts.judge(
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
      censored: Math.max(0, Math.min(all, f.limit) - points.length),
    };
  }
}
