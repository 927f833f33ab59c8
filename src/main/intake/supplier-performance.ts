import type { z } from 'zod';
import type { supplierPerformanceSchema } from '../../shared/contract/channels/intake';
import type { IntakeQueries } from './queries';
import type { SamplingLevels } from './sampling';

type Performance = z.infer<typeof supplierPerformanceSchema>;

/** a ÷ b as a percentage with one decimal, rounded half up, in integer arithmetic (counts, not lab values). */
function tenthsPercent(a: number, b: number): string {
  const t = Math.floor((a * 2000 + b) / (2 * b));
  return `${Math.floor(t / 10)}.${t % 10}`;
}

/** Supplier performance over a period (issue 9 §5): intakes, rejections by cause, inspections, appeals, spot checks, level. */
export class SupplierPerformance {
  constructor(
    private readonly q: IntakeQueries,
    private readonly levels: SamplingLevels,
  ) {}

  performance(from: string, to: string, supplierCode?: string): Performance[] {
    const suppliers = this.q.suppliers(supplierCode);
    const out: Performance[] = [];
    for (const s of suppliers) {
      const intakes = this.q.performanceIntakes(s.code, from, to);
      const causes = new Map<string, number>();
      for (const i of intakes) for (const c of i.causes) causes.set(c, (causes.get(c) ?? 0) + 1);
      const accepted = intakes.filter((i) => i.status === 'accepted').length;
      const rejected = intakes.filter((i) => i.status === 'rejected').length;
      const months = new Map<string, { intakes: number; rejected: number }>();
      for (const i of intakes) {
        const m = months.get(i.month) ?? { intakes: 0, rejected: 0 };
        m.intakes++;
        if (i.status === 'rejected') m.rejected++;
        months.set(i.month, m);
      }
      const insp = this.q.performanceInspections(s.code, from, to);
      const appeals = this.q.performanceAppeals(s.code, from, to);
      const outcomes = new Map<string, number>();
      for (const a of appeals) outcomes.set(a.outcome ?? 'open', (outcomes.get(a.outcome ?? 'open') ?? 0) + 1);
      const spot = this.q.spotCheckResults(s.code, from, to);
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
        spotChecksNonconforming: spot.filter((x) => x === 'nonconforming').length,
        level: this.levels.sampling(s.code).level,
        months: [...months.entries()].sort().map(([month, m]) => ({ month, ...m })),
      });
    }
    return out;
  }
}
