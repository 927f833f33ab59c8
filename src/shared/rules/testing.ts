/**
 * From what the analyst measured to the reported value and its verdict, for one planned
 * test (issue 8 §3). Pure and shared: main stores what this computes, and the entry grid
 * runs the same function while the analyst types, so what is shown is what is recorded.
 *
 * 1. Replicates → value: the arithmetic mean of the determinations (decimal.js, exact for
 *    what terminates, 50 significant digits otherwise), after the method's replicate rule:
 *    the number of determinations and the repeatability limit between them (absolute, or
 *    relative to the mean in %, as GB 5009 methods state it: "两次独立测定结果的绝对差值不得
 *    超过算术平均值的10%"). A rule broken is an `invalid` verdict: the raw data is kept, the
 *    result cannot be submitted until the determination is repeated.
 * 2. Basis: nutrients limited per 100 kJ (GB 10765/10766/10767-2021) are measured per 100 g
 *    of powder and converted with the sample's energy (kJ/100 g, the calculated `energy`
 *    item from the unrounded inputs); items limited per 100 mL as fed use the reconstitution
 *    (g of powder per 100 mL, a parameter the analyst enters from the lot's label). Ratios
 *    and other bases are reported as measured.
 * 3. Rounding: the converted value is rounded once, by GB/T 8170 §3.2, to the item's
 *    precision: that is the reported value. The verdict compares the unrounded value
 *    (全数值比较法) or the rounded one (修约值比较法) as the item says (limits.ts).
 * 4. Censored results ('ND', '<LOD', '<X') are reported as given and judged by limits.ts;
 *    microbiological sampling plans take one result per unit and report the plan's summary.
 * 5. Calculated items (formula over other items' codes) are evaluated over the unrounded
 *    entry-basis values of their inputs and then follow 2–3.
 */
import { formatDecimal, fromLabDecimal, parseDecimal, statedDecimals, toLabDecimal, LabDecimal } from './decimal';
import { evaluateLimit, parseReportedResult, type LimitSpec, type Verdict } from './limits';
import {
  applyReportingRule,
  belowLimitOfQuantification,
  belowReportingStep,
  reportingRuleOf,
  type ReportingRule,
} from './reporting';
import { per100gToPer100kJ, per100gToPer100mL, KJ_PER_KCAL } from './basis';
import { evaluateFormula } from './formula';

/** The specification item as copied into a planned test (test_result.item). */
export interface TestItem {
  readonly code: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly group: string;
  readonly method_code: string | null;
  readonly unit: string;
  readonly basis: string;
  readonly limit_form: string;
  readonly min: string | null;
  readonly max: string | null;
  readonly target: string | null;
  readonly lod: string | null;
  readonly n: number | null;
  readonly c: number | null;
  readonly m: string | null;
  readonly big_m: string | null;
  readonly precision: number | null;
  /** A reporting rule beyond decimals (interval, figures, colony count); absent: `precision`. */
  readonly reporting?: ReportingRule | null | undefined;
  /** The limit of quantification in the item's unit and basis (D-088): below it the report is "<LOQ". */
  readonly loq?: string | null | undefined;
  readonly comparison: string;
  readonly formula: string | null;
  readonly required_for_release: boolean;
  readonly in_house_only: boolean;
}

/** The energy item whose value (kJ per 100 g) converts per-100 kJ items. */
export const ENERGY_ITEM = 'energy';
/** The reconstitution parameter: grams of powder per 100 mL as fed. */
export const RECONSTITUTION_ITEM = 'reconstitution';

export type TestVerdict = 'pass' | 'fail' | 'invalid' | 'none';

/** i18n keys of testing.ts's own reasons (besides limits.ts's verdict.* and the other rules'). */
export const testingReasons = [
  'testing.no_value',
  'testing.censored_replicates',
  'testing.replicates_required',
  'testing.repeatability_exceeded',
  'testing.censored_conversion',
  'testing.waiting',
  'testing.report_only',
  'testing.no_limit',
  'testing.units_missing',
  'testing.no_formula',
  'testing.awaiting_confirmation',
] as const;

export interface ReplicateRule {
  /** Determinations required (1 = single). */
  readonly replicates: number;
  readonly repeatability: 'none' | 'absolute' | 'relative';
  /** Absolute difference in the entry unit, or % of the mean. */
  readonly limit: string | null;
}

export interface ComputeContext {
  /** The sample's energy in kJ per 100 g (unrounded), when known. */
  readonly energyKJPer100g?: string | null;
  /** Grams of powder per 100 mL as fed, when known. */
  readonly reconstitution?: string | null;
  readonly rule?: ReplicateRule | null;
}

export interface ComputedResult {
  /** Unrounded value in the entry basis (what the analyst measured), null for censored/micro. */
  readonly value: string | null;
  /** Unrounded value in the specification's basis. */
  readonly converted: string | null;
  /** What is reported: rounded value, censored text, or the sampling plan's summary. */
  readonly reported: string | null;
  /** null: not computable yet (waiting for an input: energy, reconstitution, a formula input). */
  readonly verdict: TestVerdict | null;
  /** i18n key (verdict.* from limits.ts, or testing.*). */
  readonly reason: string | null;
  readonly details: Readonly<Record<string, string>>;
  /** Item codes this result waits for. */
  readonly waitingFor: readonly string[];
}

const CONVERTED_FROM_100G = new Set(['per_100kj', 'per_100kcal', 'per_100ml']);

/** The basis the analyst enters in: per 100 g for items limited per 100 kJ/kcal/mL. */
export function entryBasis(item: Pick<TestItem, 'basis' | 'code'>): string {
  if (item.code === RECONSTITUTION_ITEM) return 'as_is';
  return CONVERTED_FROM_100G.has(item.basis) ? 'per_100g' : item.basis;
}

/** "g" + per_100kj → entry unit "g/100 g" (display). */
export function entryUnit(item: Pick<TestItem, 'basis' | 'unit' | 'code'>): string {
  if (entryBasis(item) === 'per_100g' && CONVERTED_FROM_100G.has(item.basis))
    return item.unit ? `${item.unit}/100 g` : '/100 g';
  return item.unit;
}

/** The limit of an item, or null when it has none (report only, or not stated in the specification). */
export function limitSpecOf(item: TestItem): LimitSpec | null {
  switch (item.limit_form) {
    case 'range':
    case 'minimum':
    case 'maximum':
      if (item.min !== null && item.max !== null) return { kind: 'range', min: item.min, max: item.max };
      if (item.min !== null) return { kind: 'minimum', min: item.min };
      if (item.max !== null) return { kind: 'maximum', max: item.max };
      return null;
    case 'equals':
      return item.target !== null ? { kind: 'equals', value: item.target } : null;
    case 'not_detected':
      return item.lod !== null ? { kind: 'not_detected', lod: item.lod } : null;
    case 'sampling_plan':
      if (item.n === null || item.c === null || item.m === null) return null;
      return item.big_m !== null
        ? { kind: 'sampling_plan', n: item.n, c: item.c, m: item.m, M: item.big_m }
        : { kind: 'sampling_plan', n: item.n, c: item.c, m: item.m };
    default:
      return null;
  }
}

/** A limit as text for lists and documents ("0.43–0.72", "≤ 5.0", "n=5 c=2 m=1000 M=10000"). */
export function limitText(item: TestItem): string {
  const l = limitSpecOf(item);
  if (!l) return item.limit_form === 'report_only' ? '—' : '?';
  switch (l.kind) {
    case 'range':
      return `${l.min}–${l.max}`;
    case 'minimum':
      return `≥ ${l.min}`;
    case 'maximum':
      return `≤ ${l.max}`;
    case 'equals':
      return `= ${l.value}`;
    case 'not_detected':
      return `ND (LOD ${l.lod})`;
    case 'sampling_plan':
      return `n=${l.n} c=${l.c} m=${l.m}${l.M !== undefined ? ` M=${l.M}` : ''}`;
    case 'presence_absence':
      return `n=${l.n} c=${l.c}`;
  }
}

export function isPlanItem(item: TestItem): boolean {
  return item.limit_form === 'sampling_plan';
}

/**
 * A presence/absence sampling plan (m = 0, no M: Salmonella 0/25 g, Cronobacter 0/100 g, a
 * swab, a rapid screen): its units are `absent` / `present`, never counts. Only such plans
 * take qualitative unit results or a bulk "all not detected" (issue 19 §4); a count plan
 * (APC, Enterobacteriaceae: m > 0) takes numbers, `<X` or `ND` per unit.
 */
export function isPresenceAbsence(item: Pick<TestItem, 'limit_form' | 'm' | 'big_m'>): boolean {
  if (item.limit_form !== 'sampling_plan' || item.big_m !== null || item.m === null) return false;
  const m = parseDecimal(item.m);
  return m.ok && m.value.coefficient === 0n;
}

function result(partial: Partial<ComputedResult> & Pick<ComputedResult, 'verdict'>): ComputedResult {
  return { value: null, converted: null, reported: null, reason: null, details: {}, waitingFor: [], ...partial };
}

function invalid(reason: string, details: Record<string, string> = {}, value: string | null = null): ComputedResult {
  return result({ verdict: 'invalid', reason, details, value });
}

/** Mean of decimal replicates, after the replicate rule. */
export function combineReplicates(
  replicates: readonly string[],
  rule?: ReplicateRule | null,
):
  | { ok: true; value: string; censored: boolean; details: Record<string, string> }
  | { ok: false; reason: string; details: Record<string, string>; value: string | null } {
  const texts = replicates.map((r) => r.trim()).filter((r) => r !== '');
  if (texts.length === 0) return { ok: false, reason: 'testing.no_value', details: {}, value: null };
  const censored = texts.filter((t) => !parseDecimal(t).ok);
  if (censored.length > 0) {
    // A censored report ('ND', '<LOD', '<0.5') stands alone: it cannot be averaged.
    const only = censored[0]!;
    if (texts.length > 1)
      return { ok: false, reason: 'testing.censored_replicates', details: { values: texts.join(', ') }, value: null };
    if (parseReportedResult(only) === null)
      return { ok: false, reason: 'verdict.invalid_result', details: { measured: only }, value: null };
    return { ok: true, value: only, censored: true, details: {} };
  }
  const values = texts.map((t) =>
    toLabDecimal((parseDecimal(t) as { ok: true; value: Parameters<typeof toLabDecimal>[0] }).value),
  );
  const decimals = Math.max(
    ...texts.map((t) =>
      statedDecimals((parseDecimal(t) as { ok: true; value: Parameters<typeof statedDecimals>[0] }).value),
    ),
  );
  const sum = values.reduce((a, b) => a.plus(b), new LabDecimal(0));
  const mean = sum.dividedBy(values.length);
  // The mean keeps at least the replicates' stated digits ("12.0", not "12").
  const meanParsed = parseDecimal(fromLabDecimal(mean));
  const meanText = meanParsed.ok ? formatDecimal(meanParsed.value, decimals) : fromLabDecimal(mean);
  const details: Record<string, string> = {
    replicates: String(values.length),
    mean: meanText,
    decimals: String(decimals),
  };
  const need = rule?.replicates ?? 1;
  if (values.length < need)
    return {
      ok: false,
      reason: 'testing.replicates_required',
      details: { ...details, expected: String(need), got: String(values.length) },
      value: meanText,
    };
  if (values.length > 1 && rule && rule.repeatability !== 'none' && rule.limit !== null) {
    const max = LabDecimal.max(...values);
    const min = LabDecimal.min(...values);
    const diff = max.minus(min);
    details.difference = fromLabDecimal(diff);
    details.limit = rule.limit;
    if (rule.repeatability === 'absolute') {
      if (diff.greaterThan(rule.limit))
        return {
          ok: false,
          reason: 'testing.repeatability_exceeded',
          details: { ...details, kind: 'absolute' },
          value: meanText,
        };
    } else {
      const allowed = mean.abs().times(rule.limit).dividedBy(100);
      details.allowed = fromLabDecimal(allowed);
      if (diff.greaterThan(allowed))
        return {
          ok: false,
          reason: 'testing.repeatability_exceeded',
          details: { ...details, kind: 'relative' },
          value: meanText,
        };
    }
  }
  return { ok: true, value: meanText, censored: false, details };
}

/** Entry basis → specification basis. null + waitingFor when a factor is missing. */
export function convertToSpecBasis(
  item: TestItem,
  value: string,
  ctx: ComputeContext,
):
  | { ok: true; value: string }
  | { ok: false; waitingFor: string[] }
  | { ok: false; reason: string; details: Record<string, string> } {
  if (entryBasis(item) !== 'per_100g' || !CONVERTED_FROM_100G.has(item.basis)) return { ok: true, value };
  if (item.basis === 'per_100ml') {
    if (!ctx.reconstitution) return { ok: false, waitingFor: [RECONSTITUTION_ITEM] };
    const r = per100gToPer100mL(value, ctx.reconstitution);
    return r.ok
      ? { ok: true, value: r.value }
      : { ok: false, reason: r.error.messageKey, details: { ...r.error.details } };
  }
  if (!ctx.energyKJPer100g) return { ok: false, waitingFor: [ENERGY_ITEM] };
  const r = per100gToPer100kJ(value, ctx.energyKJPer100g);
  if (!r.ok) return { ok: false, reason: r.error.messageKey, details: { ...r.error.details } };
  if (item.basis === 'per_100kj') return { ok: true, value: r.value };
  // per 100 kcal = per 100 kJ × 4.184
  return { ok: true, value: fromLabDecimal(new LabDecimal(r.value).times(KJ_PER_KCAL)) };
}

/** Round (GB/T 8170) and judge a value in the entry basis. */
export function finishValue(
  item: TestItem,
  value: string,
  ctx: ComputeContext,
  extra: Record<string, string> = {},
): ComputedResult {
  const censored = parseDecimal(value).ok ? null : value;
  if (censored !== null) {
    if (entryBasis(item) !== item.basis && item.code !== RECONSTITUTION_ITEM) {
      return invalid('testing.censored_conversion', { measured: censored });
    }
    return judge(item, { value: censored, converted: censored, reported: censored }, extra);
  }
  const conv = convertToSpecBasis(item, value, ctx);
  if (!conv.ok) {
    if ('waitingFor' in conv)
      return result({
        verdict: null,
        value,
        waitingFor: conv.waitingFor,
        reason: 'testing.waiting',
        details: { waitingFor: conv.waitingFor.join(', ') },
      });
    return invalid(conv.reason, conv.details, value);
  }
  let reported = conv.value;
  const rule = reportingRuleOf(item);
  // Below the item's limit of quantification (D-088): "<0.1", never a number nobody could
  // quantify. The verdict is still the rounded value's (GB/T 8170 修约值比较法, as below the step).
  const belowLoq = item.loq ? belowLimitOfQuantification(conv.value, item.loq) : null;
  if (belowLoq !== null) {
    if (rule !== null) {
      const r = applyReportingRule(conv.value, rule);
      if (!r.ok) return invalid(r.error.messageKey, { ...(r.error.details ?? {}) }, value);
      reported = r.value.value;
    }
    return { ...judge(item, { value, converted: conv.value, reported }, extra), reported: belowLoq };
  }
  if (rule !== null) {
    // Rounded once, by the item's reporting rule (GB/T 8170, or GB 4789.2 for colony counts).
    const r = applyReportingRule(conv.value, rule);
    if (!r.ok) return invalid(r.error.messageKey, { ...(r.error.details ?? {}) }, value);
    reported = r.value.value;
    // Below what the report can state: "<1", never "0" for a measured 0.1 (issue 22 §7). The
    // verdict is the rounded value's (修约值比较法 compares the rounded 0); only the report changes.
    const below = belowReportingStep(conv.value, reported, rule);
    if (below !== null) return { ...judge(item, { value, converted: conv.value, reported }, extra), reported: below };
  }
  return judge(item, { value, converted: conv.value, reported }, extra);
}

function judge(
  item: TestItem,
  v: { value: string; converted: string; reported: string },
  extra: Record<string, string>,
): ComputedResult {
  const limit = limitSpecOf(item);
  if (!limit) {
    return result({
      verdict: 'none',
      reason:
        item.limit_form === 'report_only' || item.code === RECONSTITUTION_ITEM
          ? 'testing.report_only'
          : 'testing.no_limit',
      details: extra,
      ...v,
    });
  }
  const opts = {
    method: item.comparison === 'rounded_value' ? ('rounded_value' as const) : ('full_value' as const),
    ...(item.lod !== null ? { lod: item.lod } : {}),
  };
  const verdict: Verdict = evaluateLimit(limit, v.converted, opts);
  return result({ verdict: verdict.verdict, reason: verdict.reason, details: { ...extra, ...verdict.details }, ...v });
}

/** A measured item from replicates, or a sampling-plan item from its unit results. */
export function computeMeasured(
  item: TestItem,
  input: { readonly replicates?: readonly string[] | null; readonly unitValues?: readonly string[] | null },
  ctx: ComputeContext = {},
): ComputedResult {
  if (isPlanItem(item)) {
    const units = (input.unitValues ?? []).map((u) => u.trim());
    if (units.length === 0 || units.every((u) => u === ''))
      return result({ verdict: null, reason: 'testing.no_value' });
    const limit = limitSpecOf(item);
    // Each unit's count as the item reports it (GB 4789.2: 2 significant figures from 100 on).
    const rule = reportingRuleOf(item);
    const reportedUnits = units.map((u) => {
      if (rule === null || !parseDecimal(u).ok) return u;
      const r = applyReportingRule(u, rule);
      return r.ok ? r.value.value : u;
    });
    const reported = planSummary(reportedUnits);
    if (units.some((u) => u === 'presumptive'))
      return result({
        verdict: null,
        reason: 'testing.awaiting_confirmation',
        reported,
        details: {
          units: units
            .map((u, k) => (u === 'presumptive' ? String(k + 1) : ''))
            .filter(Boolean)
            .join(', '),
        },
      });
    if (!limit) return result({ verdict: 'none', reason: 'testing.no_limit', reported });
    if (units.some((u) => u === ''))
      return result({
        verdict: null,
        reason: 'testing.units_missing',
        reported,
        details: { expected: String(item.n ?? 0), got: String(units.filter((u) => u !== '').length) },
      });
    // 修约值比较法 compares the counts as reported; 全数值比较法 the counts as entered.
    const v = evaluateLimit(limit, item.comparison === 'rounded_value' ? reportedUnits : units);
    return result({ verdict: v.verdict, reason: v.reason, details: v.details, reported });
  }
  const replicates = input.replicates ?? [];
  if (replicates.every((r) => r.trim() === '')) return result({ verdict: null, reason: 'testing.no_value' });
  const combined = combineReplicates(replicates, ctx.rule);
  if (!combined.ok) return invalid(combined.reason, combined.details, combined.value);
  return finishValue(item, combined.value, ctx, combined.details);
}

/** A calculated item from its inputs' unrounded entry-basis values. */
export function computeCalculated(
  item: TestItem,
  inputs: Readonly<Record<string, string>>,
  ctx: ComputeContext = {},
): ComputedResult {
  if (!item.formula) return invalid('testing.no_formula');
  const r = evaluateFormula(item.formula, inputs);
  if (!r.ok) {
    if (r.error.code === 'missing_value') {
      const missing = r.error.details?.['item'] ?? '';
      return result({
        verdict: null,
        reason: 'testing.waiting',
        waitingFor: missing ? [missing] : [],
        details: { ...(r.error.details ?? {}) },
      });
    }
    return invalid(r.error.messageKey, { ...(r.error.details ?? {}) });
  }
  return finishValue(item, r.value, ctx, { formula: item.formula });
}

/**
 * The reported summary of a sampling plan's units: "absent" when every unit is absent,
 * "presumptive (k/n)" while presumptive positives wait for confirmation, "present (k/n)" when
 * some units are present, else the highest count (a censored '<X' / 'ND' when no
 * unit has a count).
 */
export function planSummary(units: readonly string[]): string {
  const filled = units.filter((u) => u !== '');
  if (filled.length > 0 && filled.every((u) => u === 'absent')) return 'absent';
  // A presumptive positive waits for its confirmation (GB 4789 pathogen methods).
  const presumptive = filled.filter((u) => u === 'presumptive').length;
  if (presumptive > 0) return `presumptive (${presumptive}/${units.length})`;
  const present = filled.filter((u) => u === 'present').length;
  if (present > 0) return `present (${present}/${units.length})`;
  let best: { d: LabDecimal; text: string } | null = null;
  for (const u of filled) {
    const p = parseDecimal(u);
    if (!p.ok) continue;
    const d = toLabDecimal(p.value);
    if (!best || d.greaterThan(best.d)) best = { d, text: u };
  }
  return best ? best.text : (filled[0] ?? '');
}

/**
 * A reported value as a reader sees it. Plan summaries are stored as words ('absent',
 * 'present (k/n)'); Chinese reports say 未检出 / 检出（k/n）. Numbers, 'ND' and '<X' are the
 * same in both languages and come back unchanged.
 */
export function reportedForReader(reported: string, locale: 'en' | 'zh-CN'): string {
  if (locale !== 'zh-CN') return reported;
  if (reported === 'absent') return '未检出';
  const present = /^present \((\d+)\/(\d+)\)$/.exec(reported);
  if (present) return `检出（${present[1]}/${present[2]}）`;
  if (reported === 'present') return '检出';
  const presumptive = /^presumptive \((\d+)\/(\d+)\)$/.exec(reported);
  if (presumptive) return `疑似阳性（${presumptive[1]}/${presumptive[2]}）`;
  if (reported === 'presumptive') return '疑似阳性';
  return reported;
}

/** Which entry-basis values a calculated item's formula or a conversion needs, in plan order. */
export function dependenciesOf(item: TestItem): string[] {
  const deps = new Set<string>();
  if (item.formula) for (const m of item.formula.matchAll(/[a-z][a-z0-9_]*/g)) deps.add(m[0]);
  if (entryBasis(item) === 'per_100g' && CONVERTED_FROM_100G.has(item.basis))
    deps.add(item.basis === 'per_100ml' ? RECONSTITUTION_ITEM : ENERGY_ITEM);
  return [...deps];
}

/**
 * The order people enter a plan in (issue 22 §7): the plan's own order, except that a typed
 * input others depend on (冲调比例 for per-100 mL items, a formula's typed terms, a typed
 * energy for per-100 kJ items) comes before the first item that needs it, so a value is never typed before what it
 * is computed from. Stable: rows that depend on nothing keep their places; a cycle (refused
 * when the specification is approved) leaves the plan order.
 */
export function entryOrder<R extends { item: TestItem }>(rows: readonly R[]): R[] {
  const byCode = new Map<string, R[]>();
  for (const r of rows) byCode.set(r.item.code, [...(byCode.get(r.item.code) ?? []), r]);
  const placed = new Set<R>();
  const visiting = new Set<string>();
  const out: R[] = [];
  const place = (r: R): void => {
    if (placed.has(r) || visiting.has(r.item.code)) return;
    visiting.add(r.item.code);
    // Only typed inputs move; a calculated item is not typed, so where it stands holds nobody up.
    for (const dep of dependenciesOf(r.item)) for (const d of byCode.get(dep) ?? []) if (!d.item.formula) place(d);
    visiting.delete(r.item.code);
    if (!placed.has(r)) {
      placed.add(r);
      out.push(r);
    }
  };
  for (const r of rows) place(r);
  return out;
}

/** Energy in kJ per 100 g from the energy item's entry-basis value, whatever its unit (kJ or kcal). */
export function energyKJ(item: Pick<TestItem, 'unit'>, value: string): string {
  return /kcal/i.test(item.unit) ? fromLabDecimal(new LabDecimal(value).times(KJ_PER_KCAL)) : value;
}

// ---------------------------------------------------------------------------------------
// Lot completeness (issue 8 §1)
// ---------------------------------------------------------------------------------------

export interface CompletenessResult {
  readonly itemCode: string;
  readonly status: string;
  readonly verdict: TestVerdict | null;
  readonly external: boolean;
  readonly attempt: number;
}

export interface CompletenessItem {
  readonly code: string;
  readonly group: string;
  readonly required: boolean;
  readonly inHouseOnly: boolean;
}

export type ItemState = 'missing' | 'pending' | 'done' | 'reviewed' | 'failed' | 'external_not_counted';

export interface CompletenessLine {
  readonly code: string;
  readonly group: string;
  readonly required: boolean;
  readonly state: ItemState;
  /** Index into the results passed in of the result that decides the state, or -1. */
  readonly decidingIndex: number;
}

export interface CompletenessGroup {
  readonly group: string;
  readonly required: number;
  readonly done: number;
  readonly reviewed: number;
  readonly failed: number;
  readonly missing: number;
}

const DONE = new Set(['entered', 'returned', 'submitted', 'reviewed']);

/**
 * Per item due for the lot: which result decides, and the item's state. A failing result
 * that has not been invalidated decides (a passing retest or second sample never hides it:
 * nobody tests into compliance); otherwise the latest attempt. An external lab's result for
 * an in-house-only item does not count (SAMR 2020: 全项目逐批检验，不得实施委托检验).
 */
export function completeness(
  items: readonly CompletenessItem[],
  results: readonly CompletenessResult[],
): { lines: CompletenessLine[]; groups: CompletenessGroup[]; complete: boolean } {
  const byItem = new Map<string, number[]>();
  results.forEach((r, i) => {
    if (r.status === 'invalidated' || r.status === 'cancelled') return;
    const list = byItem.get(r.itemCode) ?? [];
    list.push(i);
    byItem.set(r.itemCode, list);
  });
  const lines: CompletenessLine[] = [];
  for (const item of items) {
    const idx = byItem.get(item.code) ?? [];
    const failing = idx.find((i) => results[i]!.verdict === 'fail' && DONE.has(results[i]!.status));
    let decidingIndex = -1;
    let state: ItemState = 'missing';
    if (failing !== undefined) {
      decidingIndex = failing;
      state = 'failed';
    } else if (idx.length > 0) {
      const counted = idx.filter((i) => !(item.inHouseOnly && results[i]!.external));
      const pool = counted.length > 0 ? counted : idx;
      // Prefer reviewed, then done, then pending; latest attempt within each.
      const rank = (i: number) => {
        const s = results[i]!.status;
        return s === 'reviewed' ? 3 : DONE.has(s) ? 2 : 1;
      };
      decidingIndex = [...pool].sort((a, b) => rank(b) - rank(a) || results[b]!.attempt - results[a]!.attempt)[0]!;
      const r = results[decidingIndex]!;
      if (counted.length === 0) state = 'external_not_counted';
      else state = r.status === 'reviewed' ? 'reviewed' : DONE.has(r.status) ? 'done' : 'pending';
    }
    lines.push({ code: item.code, group: item.group, required: item.required, state, decidingIndex });
  }
  const groups = new Map<
    string,
    { group: string; required: number; done: number; reviewed: number; failed: number; missing: number }
  >();
  for (const l of lines) {
    const g = groups.get(l.group) ?? { group: l.group, required: 0, done: 0, reviewed: 0, failed: 0, missing: 0 };
    if (l.required) g.required++;
    if (l.state === 'done' || l.state === 'reviewed' || l.state === 'failed') g.done++;
    if (l.state === 'reviewed') g.reviewed++;
    if (l.state === 'failed') g.failed++;
    if (l.required && (l.state === 'missing' || l.state === 'pending' || l.state === 'external_not_counted'))
      g.missing++;
    groups.set(l.group, g);
  }
  const complete = lines.filter((l) => l.required).every((l) => l.state === 'reviewed');
  return { lines, groups: [...groups.values()], complete };
}
