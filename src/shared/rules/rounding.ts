/**
 * GB/T 8170-2008 rounding (数值修约规则与极限数值的表示和判定), §3, on decimal strings.
 * Clauses as reference-data.md §3 gives them:
 *
 * §3.1  修约间隔 (rounding interval): the result is a whole multiple of the interval; an
 *       interval of 10^-n is "n decimal places", 100 is "to hundreds".
 * §3.2  进舍规则 (rules for dropping and raising), applied to the part to be dropped:
 *       1. first dropped digit < 5: drop it (12.1498 → 12.1);
 *       2. first dropped digit > 5: raise the last kept digit by one (1268 → 13×10²);
 *       3. first dropped digit = 5 and a non-zero digit follows: raise (10.5002 → 11);
 *       4. first dropped digit = 5 with nothing or only zeros after it: raise if the last
 *          kept digit is odd, keep it if even, 0 counting as even (0.35 → 0.4, 1.050 → 1.0);
 *       5. negative numbers: round the absolute value, then restore the sign
 *          (−0.0365 → −36×10⁻³);
 *       6. round once, from the original value, never in steps: 8.53459 to 3 significant
 *          figures is 8.53, not 8.53459 → 8.5346 → 8.535 → 8.54.
 * §3.4  0.5-unit and 0.2-unit rounding (intervals 0.5×10^n and 0.2×10^n) [U in
 *       reference-data: "multiply by 2 (or 5), round, divide by 2 (or 5)"].
 *
 * How the rules are implemented. Rounding |x| to an interval I means choosing the nearest
 * whole multiple k·I. With q = |x| / I computed exactly as a fraction N/D (BigInt, no
 * floats), Q = ⌊N/D⌋ and R = N mod D, the discarded part is R/D of one interval:
 * - rules 1 and 2, and rule 3: 2R < D (less than half an interval) keeps Q, 2R > D raises
 *   to Q+1. "First dropped digit 5 followed by a non-zero digit" is exactly "more than
 *   half", which is why the whole dropped tail is looked at, not only its first digit;
 * - rule 4: 2R = D (exactly half) keeps Q if Q is even, else raises to Q+1;
 * - rule 5: the sign is set aside and restored afterwards, so the rule is symmetric;
 * - §3.4: for I = 0.5×10^n, q = 2|x|/10^n, so rounding q to a whole number is the
 *   standard's "×2, round to the 10^n place, ÷2"; likewise ×5 for I = 0.2×10^n. The
 *   "even" of rule 4 applies to 2|x| (resp. 5|x|) rounded to that place, i.e. to Q, as
 *   the standard's procedure does. Only intervals 1, 2 or 5 × 10^n are accepted.
 * - rule 6: every function here takes the original value and rounds it once. There is
 *   deliberately no function that takes an already-rounded value and rounds it further,
 *   and results store the unrounded value so a report can always re-round from it
 *   (tests/unit/rules-rounding.test.ts shows the stepwise result differs).
 *
 * Output keeps the stated digits of the interval: rounding 1.2 to 2 decimals gives "1.20";
 * rounding to 0.5 gives one decimal ("60.5", "60.0"); rounding to hundreds gives "1300",
 * with `exponent` 2 so a report can print "13×10²" (formatScaled). A value whose magnitude
 * rounds to zero is reported as zero without a sign ("-0.004" to 0.01 → "0.00"): the
 * standard does not define a signed zero and a limit cannot be compared with one.
 */
import { compareParsed, formatDecimal, parseDecimal, type DecimalErrorCode, type ParsedDecimal } from './decimal';
import { fail, ok, type RuleResult } from './result';

export type RoundingSpec =
  | { readonly decimals: number }
  | { readonly interval: string }
  | { readonly significantFigures: number };

export interface Rounded {
  /** Canonical decimal string with the stated digits of the rounding ("1.20"). */
  readonly value: string;
  readonly parsed: ParsedDecimal;
  /** Power of ten of the last kept digit (2 for hundreds, -2 for 0.01); see formatScaled. */
  readonly exponent: number;
  /**
   * 舍 or 进 relative to the magnitude: 'dropped' when |result| < |value|, 'raised' when
   * |result| > |value|. GB/T 8170 §3.3 marks a reported value "(+)" after dropping and
   * "(−)" after raising [U in reference-data]; the UI can show the mark from this field.
   */
  readonly adjustment: 'none' | 'dropped' | 'raised';
}

export const roundingErrorCodes = ['bad_decimals', 'bad_interval', 'bad_figures'] as const;
export type RoundingErrorCode = (typeof roundingErrorCodes)[number];
export type RoundingResult = RuleResult<Rounded, RoundingErrorCode | DecimalErrorCode>;

/** Furthest rounding place accepted either side of the point (far beyond any lab value). */
const MAX_PLACES = 100;

/** An interval m × 10^n with m ∈ {1, 2, 5}. */
interface Interval {
  readonly m: 1n | 2n | 5n;
  readonly n: number;
}

/** Round a decimal string once, by GB/T 8170-2008 §3.2, to the given places/interval/figures. */
export function roundDecimal(value: string, spec: RoundingSpec): RoundingResult {
  const parsed = parseDecimal(value);
  if (!parsed.ok) return parsed;
  return roundParsed(parsed.value, spec);
}

export function roundToDecimals(value: string, decimals: number): RoundingResult {
  return roundDecimal(value, { decimals });
}

export function roundToInterval(value: string, interval: string): RoundingResult {
  return roundDecimal(value, { interval });
}

export function roundToSignificantFigures(value: string, figures: number): RoundingResult {
  return roundDecimal(value, { significantFigures: figures });
}

export function roundParsed(p: ParsedDecimal, spec: RoundingSpec): RoundingResult {
  if ('decimals' in spec) {
    const d = spec.decimals;
    if (!Number.isInteger(d) || Math.abs(d) > MAX_PLACES) {
      return fail('rounding', 'bad_decimals', { decimals: String(d) });
    }
    return ok(roundToIntervalCore(p, { m: 1n, n: -d }));
  }
  if ('interval' in spec) {
    const interval = parseInterval(spec.interval);
    if (interval === null) return fail('rounding', 'bad_interval', { interval: String(spec.interval) });
    return ok(roundToIntervalCore(p, interval));
  }
  const figures = spec.significantFigures;
  if (!Number.isInteger(figures) || figures < 1 || figures > MAX_PLACES) {
    return fail('rounding', 'bad_figures', { figures: String(figures) });
  }
  return ok(roundSignificant(p, figures));
}

/**
 * Parse a rounding interval: a positive decimal string equal to 1, 2 or 5 × 10^n
 * ("0.01", "0.5", "0.2", "20", "100"). Returns null otherwise.
 */
export function parseInterval(text: string): Interval | null {
  const parsed = parseDecimal(text);
  if (!parsed.ok || parsed.value.negative || parsed.value.coefficient === 0n) return null;
  let c = parsed.value.coefficient;
  let n = -parsed.value.scale;
  while (c % 10n === 0n) {
    c /= 10n;
    n += 1;
  }
  if (Math.abs(n) > MAX_PLACES) return null;
  return c === 1n || c === 2n || c === 5n ? { m: c, n } : null;
}

function roundToIntervalCore(p: ParsedDecimal, interval: Interval): Rounded {
  const { k } = roundUnits(p, interval);
  return build(p, k * interval.m, interval.n);
}

/** k = the whole number of intervals nearest |p|, ties to even (§3.2 rules 1–4). */
function roundUnits(p: ParsedDecimal, { m, n }: Interval): { k: bigint } {
  // |p| / I = C·10^-s / (m·10^n) = C / (m·10^(n+s)).
  const e = n + p.scale;
  const N = e >= 0 ? p.coefficient : p.coefficient * 10n ** BigInt(-e);
  const D = e >= 0 ? m * 10n ** BigInt(e) : m;
  const Q = N / D;
  const twiceR = 2n * (N % D);
  if (twiceR < D) return { k: Q };
  if (twiceR > D) return { k: Q + 1n };
  return { k: Q % 2n === 0n ? Q : Q + 1n };
}

/** Result = units × 10^exponent, stated with max(0, -exponent) decimals, sign restored. */
function build(original: ParsedDecimal, units: bigint, exponent: number): Rounded {
  const scale = Math.max(0, -exponent);
  const coefficient = units * 10n ** BigInt(exponent + scale);
  const parsed: ParsedDecimal = { negative: original.negative && coefficient !== 0n, coefficient, scale };
  const cmp = compareParsed({ ...parsed, negative: false }, { ...original, negative: false });
  return {
    value: formatDecimal(parsed),
    parsed,
    exponent,
    adjustment: cmp === 0 ? 'none' : cmp < 0 ? 'dropped' : 'raised',
  };
}

/**
 * Significant figures: find the place of the first non-zero digit, round once to the place
 * `figures` digits further right. When raising carries into a new leading digit
 * (9.996 → 10.0 to 3 figures) the last kept place moves one to the left; that drops a digit
 * that is necessarily 0, so it is not a second rounding. Zero has no first non-zero digit;
 * it is returned with `figures - 1` decimals ("0" to 3 figures → "0.00").
 */
function roundSignificant(p: ParsedDecimal, figures: number): Rounded {
  if (p.coefficient === 0n) return build(p, 0n, -(figures - 1));
  const lead = p.coefficient.toString().length - 1 - p.scale; // power of ten of the first digit
  let exponent = lead - figures + 1;
  let { k } = roundUnits(p, { m: 1n, n: exponent });
  if (k.toString().length > figures) {
    k /= 10n; // the carried value is 10^figures: its last digit is 0
    exponent += 1;
  }
  return build(p, k, exponent);
}
