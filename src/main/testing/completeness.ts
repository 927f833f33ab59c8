import type { Completeness } from '../../shared/contract/channels/testing';
import { fail } from '../../shared/contract/errors';
import { completeness, limitText, reportingRuleOf, unitWithBasis } from '../../shared/rules';
import type { TestingContext } from './context';
import { specItemToTest } from './items';
import type { OosInvestigations } from './oos';
import type { TestPlanner } from './plan';
import type { ResultViews } from './views';

/**
 * A lot's completeness (issue 8 §6): every item of its specification that is due has a
 * reviewed passing result from a sample that counts for the lot, and no OOS investigation
 * is open on it.
 */
export class LotCompleteness {
  constructor(
    private readonly ctx: TestingContext,
    private readonly views: ResultViews,
    private readonly planner: TestPlanner,
    private readonly oos: OosInvestigations,
  ) {}

  completeness(lotCode: string): Completeness {
    const lot = this.ctx.q.foreign.lot(lotCode);
    if (!lot) fail('not_found', { entity: 'lot', id: lotCode }, 'errors.lot_not_found');
    const versionId = this.ctx.samples.specVersionFor(lotCode);
    const spec = this.views.specLabel(versionId);
    const items = versionId ? this.ctx.specs.versionItems(versionId).filter((i) => this.planner.isDue(i, lot)) : [];
    const rows = this.ctx.q.results.forCompleteness(lotCode);
    const c = completeness(
      items.map((i) => ({
        code: i.code,
        group: i.group,
        required: i.required_for_release,
        inHouseOnly: i.in_house_only,
      })),
      rows.map((r) => ({
        itemCode: r.item_code,
        status: r.status,
        verdict: (r.verdict as 'pass') ?? null,
        external: !!r.external_lab,
        attempt: r.attempt,
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
        sampleCode: r?.sample_code ?? null,
        reported: r?.reported ?? null,
        unit: i.unit,
        reportUnit: unitWithBasis(i.unit, i.basis),
        reporting: reportingRuleOf(i),
        limitText: limitText(specItemToTest(i)),
        verdict: (r?.verdict as 'pass' | null | undefined) ?? null,
        externalLab: r?.external_lab ?? null,
      };
    });
    const openOos = this.oos.blockingOos(lotCode);
    return {
      lotCode,
      lotStatus: lot.status,
      itemCode: lot.item_code,
      spec,
      groups: c.groups,
      items: lines,
      complete: versionId !== null && c.complete && openOos.length === 0,
      openOos,
      externalNotCounted: lines.filter((l) => l.state === 'external_not_counted').map((l) => l.code),
    };
  }
}
