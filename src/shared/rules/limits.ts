/**
 * Limit evaluation: does a result meet a specification item's limit?
 *
 * GB/T 8170-2008 §4.3 gives two ways to compare a measured (or calculated) value with a
 * limit value (极限数值), and a specification item records which one applies
 * (reference-data §3.2; the section exists [S], its detail is [U]):
 *
 * - 全数值比较法, full-value comparison ('full_value', the default when nothing is
 *   specified): the unrounded value is compared with the limit; any excursion fails.
 *   Limit ≥ 97.0, result 96.96 → 96.96 < 97.0 → fail.
 * - 修约值比较法, rounded-value comparison ('rounded_value'): the value is first rounded by
 *   §3.2 (rounding.ts) to the place of the limit's last stated digit, then compared.
 *   96.96 → 97.0 ≥ 97.0 → pass. That is why limits are decimal strings: "97.0" and "97"
 *   are different limits under this method. For a range whose bounds state different
 *   digits, the value is rounded separately for each bound.
 *
 * Inclusive bounds by default (≥ min, ≤ max), as GB limit tables are read; a bound can be
 * made strict. Results are strings: a decimal, or a censored/qualitative report:
 * - 'ND' or '<LOD': not detected, i.e. below the method's limit of detection. Against a
 *   maximum it passes only if the LOD is known (options.lod) and not above the maximum;
 *   otherwise the verdict is 'invalid' (the result cannot show compliance).
 * - '<X' (e.g. '<0.5', '<10'): below X. Decided when X settles it, else 'invalid'.
 *   Censored results are taken as concentrations/counts, i.e. not below zero.
 * - 'absent' / 'present': qualitative, for presence/absence sampling plans only.
 *
 * "Not detected" limits (e.g. a residue that must not be found): 'ND' / '<LOD' pass; a
 * numeric result ≥ the LOD is "detected" and fails (rounded to the LOD's digits first under
 * the rounded-value method).
 *
 * Microbiological sampling plans n / c / m / M (GB 4789 series, GB 29921; reference-data
 * §1.4 gives the plans, all [U]): n units are tested; a unit "exceeds" a level when its
 * count is greater than it (≤ m is acceptable). 3-class plan: pass when no unit exceeds M
 * and at most c units exceed m. 2-class plan (no M): pass when at most c units exceed m.
 * Presence/absence plans (Salmonella n=5 c=0 "0/25 g") are 2-class plans with m = 0 and
 * results 'absent' / 'present'. Plan units are compared by full value: counts are already
 * reported to the counting method's digits. In a plan, 'ND' / '<LOD' mean "not found in
 * the portion examined" and count as 0.
 *
 * The verdict is data: { verdict, reason (an i18n key), details (strings) }. 'invalid'
 * means "cannot decide" (bad result text, bad limit, wrong unit count, inconclusive
 * censored result): never silently pass.
 */
import { compareParsed, formatDecimal, parseDecimal, type ParsedDecimal } from './decimal';
import { roundParsed } from './rounding';

export type ComparisonMethod = 'full_value' | 'rounded_value';
export const comparisonMethods = ['full_value', 'rounded_value'] as const;

export type LimitSpec =
  | {
      readonly kind: 'range';
      readonly min: string;
      readonly max: string;
      readonly minInclusive?: boolean;
      readonly maxInclusive?: boolean;
    }
  | { readonly kind: 'minimum'; readonly min: string; readonly inclusive?: boolean }
  | { readonly kind: 'maximum'; readonly max: string; readonly inclusive?: boolean }
  | { readonly kind: 'equals'; readonly value: string }
  | { readonly kind: 'not_detected'; readonly lod: string }
  | {
      readonly kind: 'sampling_plan';
      readonly n: number;
      readonly c: number;
      readonly m: string;
      /** Absent for a 2-class plan. */
      readonly M?: string;
    }
  | {
      readonly kind: 'presence_absence';
      readonly n: number;
      readonly c: number;
      /** Analytical portion, for display ("25 g"). */
      readonly portion?: string;
    };

export interface EvaluateOptions {
  /** Default 'full_value' (reference-data §3.2). Ignored by sampling plans. */
  readonly method?: ComparisonMethod;
  /** The method's limit of detection, needed to judge 'ND' / '<LOD' against min/max. */
  readonly lod?: string;
}

export const verdictReasons = [
  'verdict.within_range',
  'verdict.meets_min',
  'verdict.meets_max',
  'verdict.equal',
  'verdict.not_detected',
  'verdict.plan_pass',
  'verdict.below_min',
  'verdict.above_max',
  'verdict.not_equal',
  'verdict.detected',
  'verdict.plan_unit_above_big_m',
  'verdict.plan_too_many_above_m',
  'verdict.plan_too_many_present',
  'verdict.invalid_result',
  'verdict.invalid_limit',
  'verdict.result_kind_mismatch',
  'verdict.inconclusive',
  'verdict.lod_required',
  'verdict.unit_count_mismatch',
] as const;
export type VerdictReason = (typeof verdictReasons)[number];

export interface Verdict {
  readonly verdict: 'pass' | 'fail' | 'invalid';
  readonly reason: VerdictReason;
  readonly details: Readonly<Record<string, string>>;
}

/** A result as reported: a number, a censored "below" value, or a qualitative finding. */
export type ReportedResult =
  | { readonly kind: 'value'; readonly value: ParsedDecimal }
  /** Below `bound` (exclusive); bound null = 'ND' / '<LOD' with no LOD known. */
  | { readonly kind: 'below'; readonly bound: ParsedDecimal | null }
  | { readonly kind: 'absent' }
  | { readonly kind: 'present' };

/**
 * Parse a reported result: a decimal string, 'ND', '<LOD', '<X', 'absent' or 'present'
 * (exact spelling). `lod` turns 'ND' / '<LOD' into "below the LOD". Returns null if the
 * text is none of these.
 */
export function parseReportedResult(text: string, lod?: ParsedDecimal): ReportedResult | null {
  if (text === 'ND' || text === '<LOD') return { kind: 'below', bound: lod ?? null };
  if (text === 'absent') return { kind: 'absent' };
  if (text === 'present') return { kind: 'present' };
  if (text.startsWith('<')) {
    const bound = parseDecimal(text.slice(1));
    return bound.ok && !bound.value.negative ? { kind: 'below', bound: bound.value } : null;
  }
  const value = parseDecimal(text);
  return value.ok ? { kind: 'value', value: value.value } : null;
}

/** Evaluate one result (or, for a sampling plan, the list of unit results) against a limit. */
export function evaluateLimit(
  limit: LimitSpec,
  result: string | readonly string[],
  options: EvaluateOptions = {},
): Verdict {
  if (limit.kind === 'sampling_plan' || limit.kind === 'presence_absence') {
    if (typeof result === 'string')
      return invalid('verdict.unit_count_mismatch', { expected: String(limit.n), got: '1' });
    return evaluateSamplingPlan(limit, result);
  }
  if (typeof result !== 'string') return invalid('verdict.result_kind_mismatch', { measured: result.join(', ') });
  return evaluateSingle(limit, result, options);
}

type SingleLimit = Exclude<LimitSpec, { kind: 'sampling_plan' } | { kind: 'presence_absence' }>;

function evaluateSingle(limit: SingleLimit, text: string, options: EvaluateOptions): Verdict {
  const method = options.method ?? 'full_value';
  if (method !== 'full_value' && method !== 'rounded_value') {
    return invalid('verdict.invalid_limit', { field: 'method', method: String(method) });
  }
  let lod: ParsedDecimal | undefined;
  if (options.lod !== undefined) {
    const parsedLod = parseNonNegative(options.lod);
    if (parsedLod === null) return invalid('verdict.invalid_limit', { field: 'lod', lod: String(options.lod) });
    lod = parsedLod;
  }

  if (limit.kind === 'not_detected') {
    const limitLod = parseNonNegative(limit.lod);
    if (limitLod === null) return invalid('verdict.invalid_limit', { field: 'lod', lod: String(limit.lod) });
    return evaluateNotDetected(limitLod, text, method);
  }

  const measured = parseReportedResult(text, lod);
  if (measured === null) return invalid('verdict.invalid_result', { measured: text });
  if (measured.kind === 'absent' || measured.kind === 'present') {
    return invalid('verdict.result_kind_mismatch', { measured: text });
  }
  const base: Record<string, string> = { method, measured: text };
  if (lod !== undefined) base.lod = formatDecimal(lod);

  switch (limit.kind) {
    case 'minimum': {
      const min = parseDecimal(limit.min);
      if (!min.ok) return invalid('verdict.invalid_limit', { field: 'min', min: String(limit.min) });
      const check = checkBound('min', min.value, limit.inclusive ?? true, measured, method);
      const details = {
        ...base,
        min: limit.min,
        operator: (limit.inclusive ?? true) ? '≥' : '>',
        compared: check.compared,
      };
      return decide([check], details, 'verdict.meets_min');
    }
    case 'maximum': {
      const max = parseDecimal(limit.max);
      if (!max.ok) return invalid('verdict.invalid_limit', { field: 'max', max: String(limit.max) });
      const check = checkBound('max', max.value, limit.inclusive ?? true, measured, method);
      const details = {
        ...base,
        max: limit.max,
        operator: (limit.inclusive ?? true) ? '≤' : '<',
        compared: check.compared,
      };
      return decide([check], details, 'verdict.meets_max');
    }
    case 'range': {
      const min = parseDecimal(limit.min);
      const max = parseDecimal(limit.max);
      if (!min.ok) return invalid('verdict.invalid_limit', { field: 'min', min: String(limit.min) });
      if (!max.ok) return invalid('verdict.invalid_limit', { field: 'max', max: String(limit.max) });
      const minInclusive = limit.minInclusive ?? true;
      const maxInclusive = limit.maxInclusive ?? true;
      const order = compareParsed(min.value, max.value);
      if (order > 0 || (order === 0 && !(minInclusive && maxInclusive))) {
        return invalid('verdict.invalid_limit', { field: 'range', min: limit.min, max: limit.max });
      }
      const lo = checkBound('min', min.value, minInclusive, measured, method);
      const hi = checkBound('max', max.value, maxInclusive, measured, method);
      const details = {
        ...base,
        min: limit.min,
        max: limit.max,
        minOperator: minInclusive ? '≥' : '>',
        maxOperator: maxInclusive ? '≤' : '<',
        comparedToMin: lo.compared,
        comparedToMax: hi.compared,
      };
      return decide([lo, hi], details, 'verdict.within_range');
    }
    case 'equals': {
      const target = parseDecimal(limit.value);
      if (!target.ok) return invalid('verdict.invalid_limit', { field: 'value', value: String(limit.value) });
      const lo = checkBound('min', target.value, true, measured, method);
      const hi = checkBound('max', target.value, true, measured, method);
      const v = decide([lo, hi], { ...base, value: limit.value, compared: lo.compared }, 'verdict.equal');
      return v.verdict === 'fail' ? { ...v, reason: 'verdict.not_equal' } : v;
    }
  }
}

function evaluateNotDetected(lod: ParsedDecimal, text: string, method: ComparisonMethod): Verdict {
  const measured = parseReportedResult(text, lod);
  if (measured === null) return invalid('verdict.invalid_result', { measured: text });
  const details: Record<string, string> = { method, measured: text, lod: formatDecimal(lod) };
  switch (measured.kind) {
    case 'absent':
    case 'present':
      return invalid('verdict.result_kind_mismatch', details);
    case 'below': {
      // 'ND' / '<LOD' were given the limit's LOD as bound; '<X' with X above the LOD does
      // not show the analyte was below the LOD.
      const bound = measured.bound ?? lod;
      details.compared = `<${formatDecimal(bound)}`;
      return compareParsed(bound, lod) <= 0
        ? { verdict: 'pass', reason: 'verdict.not_detected', details }
        : invalid('verdict.inconclusive', details);
    }
    case 'value': {
      const compared = method === 'rounded_value' ? roundTo(measured.value, lod.scale) : measured.value;
      details.compared = formatDecimal(compared);
      return compareParsed(compared, lod) >= 0
        ? { verdict: 'fail', reason: 'verdict.detected', details }
        : { verdict: 'pass', reason: 'verdict.not_detected', details };
    }
  }
}

interface BoundCheck {
  readonly outcome: 'ok' | 'violated' | 'inconclusive' | 'lod_required';
  readonly side: 'min' | 'max';
  /** The value actually compared with this bound (rounded under the rounded-value method). */
  readonly compared: string;
}

function checkBound(
  side: 'min' | 'max',
  bound: ParsedDecimal,
  inclusive: boolean,
  measured: Extract<ReportedResult, { kind: 'value' | 'below' }>,
  method: ComparisonMethod,
): BoundCheck {
  if (measured.kind === 'below') {
    const x = measured.bound;
    if (x === null) return { outcome: 'lod_required', side, compared: '<LOD' };
    const compared = `<${formatDecimal(x)}`;
    // The result lies in [0, x).
    const zero: ParsedDecimal = { negative: false, coefficient: 0n, scale: 0 };
    if (side === 'max') {
      if (compareParsed(x, bound) <= 0) return { outcome: 'ok', side, compared };
      if (compareParsed(zero, bound) > 0 || (!inclusive && compareParsed(zero, bound) === 0)) {
        return { outcome: 'violated', side, compared };
      }
      return { outcome: 'inconclusive', side, compared };
    }
    if (compareParsed(x, bound) <= 0) return { outcome: 'violated', side, compared };
    const zeroVsMin = compareParsed(zero, bound);
    if (zeroVsMin > 0 || (inclusive && zeroVsMin === 0)) return { outcome: 'ok', side, compared };
    return { outcome: 'inconclusive', side, compared };
  }
  const value = method === 'rounded_value' ? roundTo(measured.value, bound.scale) : measured.value;
  const cmp = compareParsed(value, bound);
  const okay = side === 'min' ? cmp > 0 || (inclusive && cmp === 0) : cmp < 0 || (inclusive && cmp === 0);
  return { outcome: okay ? 'ok' : 'violated', side, compared: formatDecimal(value) };
}

/** GB/T 8170 §4.3 rounded-value comparison: round once to the limit's last stated place. */
function roundTo(value: ParsedDecimal, decimals: number): ParsedDecimal {
  const r = roundParsed(value, { decimals });
  // decimals comes from a parsed limit (0…100), so rounding cannot be refused.
  return r.ok ? r.value.parsed : value;
}

function decide(checks: readonly BoundCheck[], details: Record<string, string>, passReason: VerdictReason): Verdict {
  const violated = checks.find((c) => c.outcome === 'violated');
  if (violated !== undefined) {
    return { verdict: 'fail', reason: violated.side === 'min' ? 'verdict.below_min' : 'verdict.above_max', details };
  }
  if (checks.some((c) => c.outcome === 'lod_required')) return invalid('verdict.lod_required', details);
  if (checks.some((c) => c.outcome === 'inconclusive')) return invalid('verdict.inconclusive', details);
  return { verdict: 'pass', reason: passReason, details };
}

function invalid(reason: VerdictReason, details: Record<string, string>): Verdict {
  return { verdict: 'invalid', reason, details };
}

function parseNonNegative(text: string): ParsedDecimal | null {
  const p = parseDecimal(text);
  return p.ok && !p.value.negative ? p.value : null;
}

// ---------------------------------------------------------------------------------------
// Microbiological sampling plans
// ---------------------------------------------------------------------------------------

const MAX_UNITS = 1000;

type PlanLimit = Extract<LimitSpec, { kind: 'sampling_plan' } | { kind: 'presence_absence' }>;

/** Evaluate n unit results against an n/c/m(/M) plan or a presence/absence plan. */
export function evaluateSamplingPlan(plan: PlanLimit, units: readonly string[]): Verdict {
  const { n, c } = plan;
  if (!Number.isInteger(n) || n < 1 || n > MAX_UNITS)
    return invalid('verdict.invalid_limit', { field: 'n', n: String(n) });
  if (!Number.isInteger(c) || c < 0 || c > n) return invalid('verdict.invalid_limit', { field: 'c', c: String(c) });

  let m: ParsedDecimal;
  let M: ParsedDecimal | undefined;
  const details: Record<string, string> = { n: String(n), c: String(c) };
  if (plan.kind === 'presence_absence') {
    m = { negative: false, coefficient: 0n, scale: 0 };
    if (plan.portion !== undefined) details.portion = plan.portion;
  } else {
    const pm = parseNonNegative(plan.m);
    if (pm === null) return invalid('verdict.invalid_limit', { field: 'm', m: String(plan.m) });
    m = pm;
    details.m = plan.m;
    if (plan.M !== undefined) {
      const pM = parseNonNegative(plan.M);
      if (pM === null || compareParsed(pM, m) <= 0)
        return invalid('verdict.invalid_limit', { field: 'M', M: String(plan.M) });
      M = pM;
      details.M = plan.M;
    }
  }
  details.units = units.join(', ');
  if (units.length !== n)
    return invalid('verdict.unit_count_mismatch', { ...details, expected: String(n), got: String(units.length) });

  const aboveSmallM: number[] = [];
  const aboveBigM: number[] = [];
  const unclear: number[] = [];
  for (const [i, text] of units.entries()) {
    const unit = parseReportedResult(text);
    if (unit === null || (unit.kind === 'value' && unit.value.negative)) {
      return invalid('verdict.invalid_result', { ...details, unit: String(i + 1), measured: String(text) });
    }
    const overM = exceeds(unit, m);
    if (overM === 'unclear') unclear.push(i + 1);
    if (overM === true) aboveSmallM.push(i + 1);
    if (M !== undefined) {
      const overBigM = exceeds(unit, M);
      if (overBigM === 'unclear') unclear.push(i + 1);
      if (overBigM === true) aboveBigM.push(i + 1);
    }
  }
  details.unitsAboveSmallM = aboveSmallM.join(', ');
  details.countAboveSmallM = String(aboveSmallM.length);
  if (M !== undefined) {
    details.unitsAboveBigM = aboveBigM.join(', ');
    details.countAboveBigM = String(aboveBigM.length);
  }
  if (aboveBigM.length > 0) return { verdict: 'fail', reason: 'verdict.plan_unit_above_big_m', details };
  if (aboveSmallM.length > c) {
    return {
      verdict: 'fail',
      reason: plan.kind === 'presence_absence' ? 'verdict.plan_too_many_present' : 'verdict.plan_too_many_above_m',
      details,
    };
  }
  if (unclear.length > 0)
    return invalid('verdict.inconclusive', { ...details, unclearUnits: [...new Set(unclear)].join(', ') });
  return { verdict: 'pass', reason: 'verdict.plan_pass', details };
}

/** Does one unit's result exceed a level (count > level)? */
function exceeds(unit: ReportedResult, level: ParsedDecimal): boolean | 'unclear' {
  switch (unit.kind) {
    case 'value':
      return compareParsed(unit.value, level) > 0;
    case 'absent':
      return false;
    case 'present':
      // Present means a count above zero: it exceeds a zero level ("0/25 g"); against a
      // positive level it says nothing.
      return level.coefficient === 0n ? true : 'unclear';
    case 'below':
      // 'ND' / '<LOD' count as 0 in a plan; '<X' is below X, which settles it when X ≤ level.
      return unit.bound === null || compareParsed(unit.bound, level) <= 0 ? false : 'unclear';
  }
}
