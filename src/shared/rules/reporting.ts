/**
 * Reported as the standards print them (issue 20 §2): an item's reporting rule, micro
 * notation at entry, and the unit with its basis.
 *
 * Reporting rules (one per item):
 * - `decimals` n: GB/T 8170-2008 §3.1–3.2 to n decimal places (the item's `precision`);
 * - `interval` I: GB/T 8170 §3.1 and §3.4 to a rounding interval of 1, 2 or 5 × 10^n
 *   ("0.5", "0.2", "20", "100");
 * - `figures` k: GB/T 8170 §3.2 to k significant figures;
 * - `colony_count`: the colony-count rule of GB 4789.2 (菌落总数测定, 报告): below 100 CFU the
 *   count is rounded to a whole number; from 100 CFU on, the third digit is rounded
 *   (四舍五入) and two significant figures are kept, written as `a.b × 10ⁿ` (or with zeros:
 *   24 000). The standard says 四舍五入 here, which is round half up, not GB/T 8170's
 *   half-to-even: 2 450 → 2.5 × 10³ (GB/T 8170 would give 2.4 × 10³). [S2: the rule's wording
 *   as lab training material quotes GB 4789.2 (e.g. 37 750 → 3.8 × 10⁴, 313 000 → 3.1 × 10⁵);
 *   check against the GB 4789.2-2022 text.] The same rule serves the other plate counts of
 *   the GB 4789 series that refer to it (Enterobacteriaceae, coliforms, yeasts and moulds).
 *
 * Rules are applied once, to the unrounded value (GB/T 8170 §3.2 rule 6). The reported value
 * is stored as a plain decimal string ("24000"); `formatReported` writes it the way the rule
 * prints it. Nothing here throws: bad input is an error value with an i18n key.
 *
 * Micro notation at entry: counts are written "2.1E6", "2.1e6", "2.1×10^6", "2.1×10⁶",
 * "2.1 x 10^6" or "21×10⁵"; they are turned into the plain decimal they state ("2100000")
 * before anything else reads them, exactly (no binary float). "<10", "<1×10¹" and
 * "<1.0×10^1" are censored counts ("<10"). Chemistry values keep the strict decimal grammar
 * (decimal.ts refuses exponents: they hide the stated digits).
 */
import { z } from 'zod';
import { compareParsed, formatDecimal, parseDecimal, type ParsedDecimal } from './decimal';
import { roundParsed } from './rounding';
import { fail, ok, type RuleResult } from './result';

export const reportingRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('decimals'), decimals: z.number().int().min(0).max(8) }).strict(),
  z
    .object({
      kind: z.literal('interval'),
      interval: z.string().regex(/^\d+(\.\d+)?$/, { message: 'decimal_string' }),
    })
    .strict(),
  z.object({ kind: z.literal('figures'), figures: z.number().int().min(1).max(8) }).strict(),
  z.object({ kind: z.literal('colony_count') }).strict(),
]);
export type ReportingRule = z.infer<typeof reportingRuleSchema>;
export const reportingKinds = ['decimals', 'interval', 'figures', 'colony_count'] as const;

export const reportingErrorCodes = ['negative_count', 'bad_rule'] as const;
export type ReportingErrorCode = (typeof reportingErrorCodes)[number];

/** The rule an item reports by: its own `reporting`, else `precision` decimals, else none (as measured). */
export function reportingRuleOf(item: {
  readonly precision: number | null;
  readonly reporting?: ReportingRule | null | undefined;
}): ReportingRule | null {
  if (item.reporting) return item.reporting;
  return item.precision !== null ? { kind: 'decimals', decimals: item.precision } : null;
}

export interface Reported {
  /** Plain decimal string with the stated digits of the rule ("1.20", "24000", "0.5"). */
  readonly value: string;
  /** For `colony_count` from 100 on: the a.b and n of `a.b × 10ⁿ`. */
  readonly scientific: { readonly mantissa: string; readonly exponent: number } | null;
}

/** Rounds the unrounded value once by the rule (see the header). */
export function applyReportingRule(
  value: string,
  rule: ReportingRule,
): RuleResult<Reported, ReportingErrorCode | string> {
  const p = parseDecimal(value);
  if (!p.ok) return p;
  switch (rule.kind) {
    case 'decimals': {
      const r = roundParsed(p.value, { decimals: rule.decimals });
      return r.ok ? ok({ value: r.value.value, scientific: null }) : r;
    }
    case 'interval': {
      const r = roundParsed(p.value, { interval: rule.interval });
      return r.ok ? ok({ value: r.value.value, scientific: null }) : r;
    }
    case 'figures': {
      const r = roundParsed(p.value, { significantFigures: rule.figures });
      return r.ok ? ok({ value: r.value.value, scientific: null }) : r;
    }
    case 'colony_count':
      return colonyCount(p.value);
    default:
      return fail('reporting', 'bad_rule', { rule: JSON.stringify(rule) });
  }
}

/**
 * A measured value that its reporting rule would round to zero is below what the report can
 * state (issue 22 §7): "0 mg/kg" for a melamine reading of 0.1 would claim an absence nobody
 * measured. It is reported as below the rule's smallest step ("<1" at 0 decimals, "<0.1" at
 * one, "<5" on a 5-interval), which is true of every value that rounds to zero (GB/T 8170
 * rounds only values under half a step to zero). Null when the report is not a rounded zero
 * of a non-zero measurement, or the rule has no step (figures, colony counts).
 */
export function belowReportingStep(measured: string, reported: string, rule: ReportingRule): string | null {
  const m = parseDecimal(measured);
  const r = parseDecimal(reported);
  if (!m.ok || !r.ok || m.value.coefficient === 0n || r.value.coefficient !== 0n || m.value.negative) return null;
  if (rule.kind === 'decimals') return `<${rule.decimals === 0 ? '1' : `0.${'0'.repeat(rule.decimals - 1)}1`}`;
  if (rule.kind === 'interval') return `<${rule.interval}`;
  return null;
}

/**
 * A measured value below the item's limit of quantification (定量限, D-088) is reported as
 * "<LOQ" with the LOQ as the specification states it ("<0.1" for melamine measured at 0.04
 * mg/kg): a number below the LOQ was not quantified and is not printed. Compared on the
 * unrounded value in the item's unit and basis, so a value at the LOQ is reported as measured.
 * Null when the value is at or above the LOQ, negative, not a plain decimal, or the LOQ is not
 * a non-negative decimal.
 */
export function belowLimitOfQuantification(measured: string, loq: string): string | null {
  const m = parseDecimal(measured);
  const q = parseDecimal(loq);
  if (!m.ok || !q.ok || m.value.negative || q.value.negative) return null;
  return compareParsed(m.value, q.value) < 0 ? `<${loq}` : null;
}

/** Round half up (四舍五入) of |p| to a whole number of 10^exponent; the count is never negative. */
function halfUp(p: ParsedDecimal, exponent: number): bigint {
  const e = exponent + p.scale;
  if (e <= 0) return p.coefficient * 10n ** BigInt(-e);
  const d = 10n ** BigInt(e);
  const q = p.coefficient / d;
  return 2n * (p.coefficient % d) >= d ? q + 1n : q;
}

/** GB 4789.2: < 100 → whole number; ≥ 100 → two significant figures (third digit 四舍五入), a.b × 10ⁿ. */
export function colonyCount(p: ParsedDecimal): RuleResult<Reported, ReportingErrorCode> {
  if (p.negative) return fail('reporting', 'negative_count', { value: formatDecimal(p) });
  const whole = halfUp(p, 0);
  if (whole < 100n) return ok({ value: whole.toString(), scientific: null });
  // Power of ten of the first digit of the count.
  let lead = p.coefficient.toString().length - 1 - p.scale;
  let k = halfUp(p, lead - 1); // two digits: 10…99, or 100 when 995… carries
  if (k >= 100n) {
    k /= 10n;
    lead += 1;
  }
  const value = (k * 10n ** BigInt(lead - 1)).toString();
  const digits = k.toString();
  return ok({ value, scientific: { mantissa: `${digits[0]}.${digits[1]}`, exponent: lead } });
}

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '-': '⁻',
};
const FROM_SUPERSCRIPT: Record<string, string> = Object.fromEntries(
  Object.entries(SUPERSCRIPT).map(([a, b]) => [b, a]),
);

export function superscript(n: number): string {
  return String(n)
    .split('')
    .map((c) => SUPERSCRIPT[c] ?? c)
    .join('');
}

/**
 * A reported value written as the rule prints it: a colony count from 100 on as
 * `a.b × 10ⁿ` ("2.4 × 10⁴"); everything else as stored. Censored and qualitative results
 * ("<10", "ND", plan summaries) are returned unchanged.
 */
export function formatReported(reported: string, rule: ReportingRule | null | undefined): string {
  if (!rule || rule.kind !== 'colony_count') return reported;
  const p = parseDecimal(reported);
  if (!p.ok) return reported;
  const r = colonyCount(p.value);
  if (!r.ok || !r.value.scientific) return reported;
  return `${r.value.scientific.mantissa} × 10${superscript(r.value.scientific.exponent)}`;
}

/** "2.1", 6 → "2100000" exactly; "21", -1 → "2.1". */
function scaled(mantissa: string, exponent: number): string | null {
  const p = parseDecimal(mantissa);
  if (!p.ok || p.value.negative) return null;
  const scale = p.value.scale - exponent;
  return scale >= 0
    ? formatDecimal({ negative: false, coefficient: p.value.coefficient, scale })
    : formatDecimal({ negative: false, coefficient: p.value.coefficient * 10n ** BigInt(-scale), scale: 0 });
}

const EXP_E = /^(\d+(?:\.\d+)?)[eE]([+-]?\d{1,2})$/;
const EXP_TIMES = /^(\d+(?:\.\d+)?)\s*[×xX*]\s*10\s*(?:\^\s*([+-]?\d{1,2})|([⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2}))$/;

/**
 * A count written in micro notation as the plain decimal it states, or null when the text is
 * not in that notation. "<" before it is kept ("<1×10¹" → "<10").
 */
export function parseMicroNotation(text: string): string | null {
  const t = text.trim().replace(/＜/g, '<');
  const censored = t.startsWith('<');
  const body = censored ? t.slice(1).trim() : t;
  let mantissa: string;
  let exponent: number;
  const e = EXP_E.exec(body);
  const x = e ? null : EXP_TIMES.exec(body);
  if (e) {
    mantissa = e[1]!;
    exponent = Number(e[2]);
  } else if (x) {
    mantissa = x[1]!;
    const sup = x[3];
    exponent = sup
      ? Number(
          sup
            .split('')
            .map((c) => (c === '⁺' ? '' : (FROM_SUPERSCRIPT[c] ?? c)))
            .join(''),
        )
      : Number(x[2]);
  } else return null;
  if (!Number.isInteger(exponent) || Math.abs(exponent) > 15) return null;
  const v = scaled(mantissa, exponent);
  return v === null ? null : censored ? `<${v}` : v;
}

/**
 * Is the item a count the GB 4789 plate methods report (micro notation accepted at entry)?
 * Microbiology items with the colony-count rule, and count sampling plans (m > 0).
 */
export function acceptsMicroNotation(item: {
  readonly group: string;
  readonly limit_form: string;
  readonly m: string | null;
  readonly reporting?: ReportingRule | null | undefined;
}): boolean {
  if (item.reporting?.kind === 'colony_count') return true;
  if (item.group !== 'microbiology') return false;
  if (item.limit_form !== 'sampling_plan') return true;
  const m = item.m === null ? null : parseDecimal(item.m);
  return !!m && m.ok && m.value.coefficient > 0n;
}

// ---------------------------------------------------------------------------------------
// The unit with its basis
// ---------------------------------------------------------------------------------------

/** "g" per_100kj → "g/100 kJ"; "g/100g" per_100g → "g/100 g"; "CFU/g" per_g → "CFU/g"; ratio → "". */
export function unitWithBasis(unit: string, basis: string): string {
  const u = unit.trim();
  const tidy = (s: string) => s.replace(/\/\s*100\s*(g|mL|ml|kJ|kcal)\b/g, (_m, b: string) => `/100 ${b === 'ml' ? 'mL' : b}`);
  const per = (suffix: string, already: RegExp) => {
    if (already.test(u)) return tidy(u);
    const perWord = /^per\s+/i.exec(u);
    if (perWord) return `/${u.slice(perWord[0].length)}`;
    return u ? `${u}/${suffix}` : `/${suffix}`;
  };
  switch (basis) {
    case 'per_100kj':
      return per('100 kJ', /\/\s*100\s*kJ/i);
    case 'per_100kcal':
      return per('100 kcal', /\/\s*100\s*kcal/i);
    case 'per_100ml':
      return per('100 mL', /\/\s*100\s*m[lL]/);
    case 'per_100g':
    case 'per_100g_sample':
      return per('100 g', /\/\s*100\s*g/);
    case 'per_25g':
      return per('25 g', /\/\s*25\s*g/);
    case 'per_kg':
      return per('kg', /\/\s*kg/);
    case 'per_g':
      return per('g', /\/\s*g\b/);
    case 'ratio':
      return u;
    default:
      return tidy(u);
  }
}

/** The reported value with its unit as a reader sees it ("0.56 g/100 kJ", "2.4 × 10⁴ CFU/g"). */
export function reportedWithUnit(
  reported: string,
  item: {
    readonly unit: string;
    readonly basis: string;
    readonly precision: number | null;
    readonly reporting?: ReportingRule | null | undefined;
  },
): string {
  const u = unitWithBasis(item.unit, item.basis);
  const v = formatReported(reported, reportingRuleOf(item));
  return u ? `${v} ${u}` : v;
}
