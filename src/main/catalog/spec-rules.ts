import type { SpecProblem } from '../../shared/contract/channels/catalog';
import type { SpecItem } from '../../shared/catalog/spec-schema';
import { checkFormulaSet, compareParsed, parseDecimal } from '../../shared/rules';

/** Products whose finished lots follow the IMF rules (GB 10765/10766/10767-2021). */
export const imfStages = new Set(['infant', 'older_infant', 'young_children']);

function cmp(a: string, b: string): number | null {
  const pa = parseDecimal(a);
  const pb = parseDecimal(b);
  return pa.ok && pb.ok ? compareParsed(pa.value, pb.value) : null;
}

/**
 * Problems that block saving (`hard`) or approval (all) of a specification version. Every
 * problem names the item and field, so the editor can mark the cell.
 */
export function specProblems(items: readonly SpecItem[], ctx: { imfFinished: boolean }): { hard: SpecProblem[]; approval: SpecProblem[] } {
  const hard: SpecProblem[] = [];
  const approval: SpecProblem[] = [];
  const p = (list: SpecProblem[], itemCode: string | null, field: string | null, key: string, details?: Record<string, unknown>) =>
    list.push({ itemCode, field, key, ...(details ? { details } : {}) });

  const formulas = checkFormulaSet(items.map((i) => ({ code: i.code, formula: i.formula })));
  if (!formulas.ok) {
    for (const e of formulas.errors) p(hard, e.item, e.code === 'duplicate_code' ? 'code' : 'formula', e.messageKey, { ...e.details, ...(e.cycle ? { cycle: e.cycle.join(' → ') } : {}) });
  }
  for (const i of items) {
    // 全项目逐批检验 (SAMR 2020 plan): every release item of an IMF finished product, every lot.
    if (ctx.imfFinished && i.required_for_release && i.frequency !== 'every_lot') p(hard, i.code, 'frequency', 'spec.imf_every_lot');
    if (i.frequency === 'every_nth_lot' && !i.frequency_n) p(hard, i.code, 'frequency_n', 'spec.frequency_n_required');
    if (i.frequency === 'periodic' && !i.period_days) p(hard, i.code, 'period_days', 'spec.period_required');
    if (i.min !== null && i.max !== null && (cmp(i.min, i.max) ?? 0) > 0) p(hard, i.code, 'max', 'spec.min_above_max', { min: i.min, max: i.max });
    if (i.limit_form === 'sampling_plan' && i.n !== null && i.c !== null && i.c >= i.n) p(hard, i.code, 'c', 'spec.c_not_below_n');
    if (i.m !== null && i.big_m !== null && (cmp(i.m, i.big_m) ?? 0) >= 0) p(hard, i.code, 'big_m', 'spec.m_above_big_m');
    // The limit of quantification (D-088): a number's report; a plan or a "not detected" limit has none,
    // and one above the maximum would report "<LOQ" for results nobody can judge against the limit.
    if (i.loq) {
      if (i.limit_form === 'sampling_plan' || i.limit_form === 'not_detected') p(hard, i.code, 'loq', 'spec.loq_form');
      else if (i.max !== null && (cmp(i.loq, i.max) ?? 0) > 0) p(hard, i.code, 'loq', 'spec.loq_above_max', { loq: i.loq, max: i.max });
    }

    // What approval needs beyond that: a complete limit in the item's form, and its precision.
    if (i.verification === 'missing' || i.verification === 'unverified') continue; // reported as flagged
    const need = (field: keyof SpecItem, ok: boolean) => {
      if (!ok) p(approval, i.code, field, 'spec.limit_incomplete', { form: i.limit_form });
    };
    switch (i.limit_form) {
      case 'range':
        need('min', i.min !== null);
        need('max', i.max !== null);
        break;
      case 'minimum':
        need('min', i.min !== null);
        break;
      case 'maximum':
        need('max', i.max !== null);
        break;
      case 'equals':
        need('target', i.target !== null);
        break;
      case 'sampling_plan':
        need('n', i.n !== null);
        need('c', i.c !== null);
        need('m', i.m !== null);
        break;
      default:
        break;
    }
    if (['range', 'minimum', 'maximum', 'equals'].includes(i.limit_form) && i.precision === null && !i.reporting) p(approval, i.code, 'precision', 'spec.precision_required');
  }
  return { hard, approval: [...hard, ...approval] };
}
