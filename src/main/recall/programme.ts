import { fail } from '../../shared/contract/errors';
import type { Actor } from '../ledger/ledger';
import { localDate } from '../lots';
import type { RecallContext } from './context';
import { RC } from './entities';
import type { ProductGroup } from './queries';
import type { DrillRecords } from './records';

/**
 * The yearly drill programme (issue 12 §5): planned drills per product group and direction
 * with their due dates, what is overdue or not covered, and the KPIs of completed drills.
 */
export class DrillProgramme {
  constructor(
    private readonly ctx: RecallContext,
    private readonly records: DrillRecords,
  ) {}

  plan(year: number) {
    const today = localDate(this.ctx.ledger.timeZone, this.ctx.ledger.now());
    const rows = this.ctx.q.planOfYear(year);
    const entries = rows.map((r) => ({
      id: r.id,
      productGroup: r.product_group,
      direction: r.direction,
      dueOn: r.due_on,
      drillCode: r.drill_code,
      overdue: r.drill_status !== 'completed' && r.due_on < today,
    }));
    // Which product groups (with lots) × directions have no drill planned or done this year.
    const groups = this.ctx.q.productGroups();
    const covered = (g: string, d: 'backward' | 'forward') =>
      entries.some((e) => e.productGroup === g && (e.direction === d || e.direction === 'both'));
    const uncovered: Array<{ productGroup: ProductGroup; direction: 'backward' | 'forward' }> = [];
    for (const g of groups)
      for (const d of ['backward', 'forward'] as const)
        if (!covered(g, d)) uncovered.push({ productGroup: g, direction: d });
    return { entries, uncovered };
  }

  savePlan(
    actor: Actor,
    i: { year: number; productGroup: string; direction: string; dueOn: string; reason?: string | undefined },
  ): { ok: true } {
    if (!i.dueOn.startsWith(`${i.year}-`)) fail('invalid_input', { field: 'dueOn' }, 'errors.drill_plan_year');
    const cur = this.ctx.q.planEntry(i.year, i.productGroup, i.direction);
    this.ctx.ledger.write(actor, (w) => {
      if (cur) w.update(RC.plan, cur.id, { due_on: i.dueOn }, { reason: i.reason ?? 'due date changed' });
      else
        w.create(RC.plan, {
          year: i.year,
          product_group: i.productGroup,
          direction: i.direction,
          due_on: i.dueOn,
          drill_id: null,
        });
    });
    return { ok: true };
  }

  /** Overdue planned drills (for the dashboard). */
  overdue(): number {
    const today = localDate(this.ctx.ledger.timeZone, this.ctx.ledger.now());
    return this.ctx.q.overdueCount(today);
  }

  kpis(mode: string) {
    const rows = this.ctx.q.completedOfMode(mode);
    const drills = rows.map((r) => {
      const v = this.records.view(r);
      return {
        code: v.code,
        completedAt: v.completedAt!,
        minutes: Math.round(v.elapsedMs / 600) / 100,
        accountedPct: v.accountedPct,
        findings: v.findings,
        withinTarget: v.withinTarget,
      };
    });
    const years = new Map<number, typeof drills>();
    for (const d of drills) {
      const y = Number(d.completedAt.slice(0, 4));
      years.set(y, [...(years.get(y) ?? []), d]);
    }
    return {
      drills,
      years: [...years.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([year, ds]) => {
          const m = ds.map((d) => d.minutes).sort((a, b) => a - b);
          const median = m.length
            ? m.length % 2
              ? m[(m.length - 1) / 2]!
              : (m[m.length / 2 - 1]! + m[m.length / 2]!) / 2
            : null;
          return {
            year,
            drills: ds.length,
            medianMinutes: median,
            withinTarget: ds.filter((d) => d.withinTarget).length,
            findings: ds.reduce((s, d) => s + d.findings, 0),
          };
        }),
    };
  }
}
