/**
 * Control charts for product trends across lots: Shewhart limits and the Westgard multirule.
 *
 * Source: the Westgard multirule QC procedure (J. O. Westgard, P. L. Barry, M. R. Hunt,
 * T. Groth, "A multi-rule Shewhart chart for quality control in clinical chemistry",
 * Clin. Chem. 27 (1981) 493–501; westgard.com "Westgard Rules"). It was written for control
 * materials run with each analytical batch; LotSeal uses it for trend charts of a product's
 * results across lots: the centre line is the mean of a baseline, the warning limits are
 * mean ± 2 s and the control (action) limits mean ± 3 s, where s is the sample standard
 * deviation (n − 1) of the baseline. A point's z is (x − mean) / s.
 *
 * Rules, evaluated for each point as the last point of the run that breaks the rule, over
 * the parseable values in input order (unparseable ones — 'ND', '<0.5', 'absent' — are
 * skipped: they neither break nor extend a run). "Beyond" is strict: z = 2 exactly is not
 * beyond 2 s.
 *
 * - 1_2s (warning): |z| > 2. In the original procedure a warning that triggers inspection
 *   with the other rules; here every rule is evaluated for every point regardless.
 * - 1_3s: |z| > 3 (random error).
 * - 2_2s: this and the previous point both beyond 2 s on the same side (systematic error).
 * - R_4s: this and the previous point beyond 2 s on opposite sides (range over 4 s, random
 *   error).
 * - 4_1s: this and the 3 previous points all beyond 1 s on the same side (systematic).
 * - 10_x: this and the 9 previous points all on the same side of the mean (z > 0 all, or
 *   z < 0 all; a point exactly on the mean breaks the run).
 *
 * A point lists every rule it triggers, in `westgardRules` order (a 1_3s point is also a
 * 1_2s point). 1_2s is a warning (`westgardWarnings`); the others are rejections.
 *
 * Exactness: lab values are decimal strings and never pass through a binary float. Values
 * are brought to a common scale as integers X (bigint), so Σx and n·Σx² − (Σx)² are exact,
 * and every rule test is an exact integer comparison: z > k ⇔ e > 0 and
 * e²·(n − 1) > k²·n·D, with e = n·X − ΣX and D = n·ΣX² − (ΣX)² (the baseline's). Rules
 * therefore use the unrounded mean and s, never the rounded strings shown on the chart. The
 * displayed numbers (limits, z) are computed with decimal.js (LabDecimal, 50 significant
 * digits, ROUND_HALF_EVEN) and rounded once, at the end.
 *
 * s = 0 (every baseline value identical): no rule fires; a point equal to the mean has
 * z '0.00', any other point has z null (it is infinitely many s away: not a number).
 * Fewer than 2 parseable baseline values: no limits, every z is null and no rule fires.
 */
import { LabDecimal, parseDecimal, type ParsedDecimal } from './decimal';

export const westgardRules = ['1_2s', '1_3s', '2_2s', 'R_4s', '4_1s', '10_x'] as const;
export type WestgardRule = (typeof westgardRules)[number];

/** 1_2s is a warning; the others are violations (rejections). */
export const westgardWarnings: ReadonlySet<WestgardRule> = new Set<WestgardRule>(['1_2s']);

export interface ControlLimits {
  /** Number of (parseable) values used. */
  readonly n: number;
  /**
   * Decimal strings rounded (ROUND_HALF_EVEN) to `decimals` places, trailing zeros kept.
   * Default decimals: 4 more than the most decimals stated by an input value, capped at 10.
   */
  readonly mean: string;
  /** Sample standard deviation (n − 1 in the denominator). */
  readonly sd: string;
  /** mean ∓ 2 sd (warning limits). */
  readonly warnLow: string;
  readonly warnHigh: string;
  /** mean ∓ 3 sd (control limits). */
  readonly ctlLow: string;
  readonly ctlHigh: string;
  /** mean ∓ 1 sd. */
  readonly oneLow: string;
  readonly oneHigh: string;
}

export interface ControlLimitsOptions {
  /**
   * Decimal places of the returned strings: an integer 0–50. Anything else (negative,
   * fractional, NaN) is ignored and the default is used.
   */
  readonly decimals?: number;
}

export interface PointFlags {
  /** Index in the input array. */
  readonly index: number;
  /** (x − mean) / sd rounded to 2 decimals (ROUND_HALF_EVEN); null when not defined. */
  readonly z: string | null;
  /** Rules this point triggers, in `westgardRules` order; empty for unparseable values. */
  readonly rules: readonly WestgardRule[];
}

export interface WestgardOptions {
  /**
   * Values the mean and sd are taken from (e.g. the lots of a validation period). When
   * absent, the mean and sd of `values` themselves are used.
   */
  readonly baseline?: readonly string[];
}

const DEFAULT_EXTRA_DECIMALS = 4;
const DEFAULT_MAX_DECIMALS = 10;
const MAX_DECIMALS = 50;
const Z_DECIMALS = 2;

/** Exact sums of a set of values at a common scale (value = X × 10^-scale). */
interface ExactStats {
  readonly n: bigint;
  readonly scale: number;
  /** ΣX */
  readonly sum: bigint;
  /** n·ΣX² − (ΣX)² = n·(n − 1)·s² × 10^(2·scale); ≥ 0. */
  readonly d: bigint;
}

function parseAll(values: readonly string[]): (ParsedDecimal | null)[] {
  return values.map((v) => {
    const r = parseDecimal(v);
    return r.ok ? r.value : null;
  });
}

function present(ps: readonly (ParsedDecimal | null)[]): ParsedDecimal[] {
  return ps.filter((p): p is ParsedDecimal => p !== null);
}

function maxScale(ps: readonly ParsedDecimal[]): number {
  return ps.reduce((m, p) => Math.max(m, p.scale), 0);
}

/** The value as an integer at `scale` (≥ p.scale). */
function atScale(p: ParsedDecimal, scale: number): bigint {
  const x = p.coefficient * 10n ** BigInt(scale - p.scale);
  return p.negative ? -x : x;
}

function exactStats(ps: readonly ParsedDecimal[], scale: number): ExactStats {
  let sum = 0n;
  let sumSq = 0n;
  for (const p of ps) {
    const x = atScale(p, scale);
    sum += x;
    sumSq += x * x;
  }
  const n = BigInt(ps.length);
  return { n, scale, sum, d: n * sumSq - sum * sum };
}

function dec(x: bigint): LabDecimal {
  return new LabDecimal(x.toString());
}

/** Fixed-point text with `places` decimals, no sign on zero ("-0.00" → "0.00"). */
function fixed(d: LabDecimal, places: number): string {
  const text = d.toFixed(places, LabDecimal.ROUND_HALF_EVEN);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

function resolveDecimals(requested: number | undefined, ps: readonly ParsedDecimal[]): number {
  if (typeof requested === 'number' && Number.isInteger(requested) && requested >= 0 && requested <= MAX_DECIMALS) {
    return requested;
  }
  return Math.min(maxScale(ps) + DEFAULT_EXTRA_DECIMALS, DEFAULT_MAX_DECIMALS);
}

/**
 * Mean, sample sd and the 1 s / 2 s / 3 s limits of the parseable values, as rounded
 * decimal strings for display. Unparseable values ('ND', '<0.5', 'absent', '') are skipped.
 * null when fewer than 2 values parse. Each limit is computed from the unrounded mean and
 * sd and rounded once. Never throws.
 */
export function controlLimits(values: readonly string[], opts?: ControlLimitsOptions): ControlLimits | null {
  const ps = present(parseAll(values));
  if (ps.length < 2) return null;
  const places = resolveDecimals(opts?.decimals, ps);
  const stats = exactStats(ps, maxScale(ps));
  const unit = 10n ** BigInt(stats.scale);
  const mean = dec(stats.sum).div(dec(stats.n * unit));
  const sd = dec(stats.d)
    .div(dec(stats.n * (stats.n - 1n) * unit * unit))
    .sqrt();
  const at = (k: number): string => fixed(mean.plus(sd.times(k)), places);
  return {
    n: ps.length,
    mean: fixed(mean, places),
    sd: fixed(sd, places),
    warnLow: at(-2),
    warnHigh: at(2),
    ctlLow: at(-3),
    ctlHigh: at(3),
    oneLow: at(-1),
    oneHigh: at(1),
  };
}

/** Where a point lies, decided exactly. sign: side of the mean; beyondK: |z| > k. */
interface Position {
  readonly sign: -1 | 0 | 1;
  readonly beyond1: boolean;
  readonly beyond2: boolean;
  readonly beyond3: boolean;
}

function sameSide(run: readonly Position[], test: (p: Position) => boolean): boolean {
  const first = run[0];
  if (first === undefined || first.sign === 0) return false;
  return run.every((p) => p.sign === first.sign && test(p));
}

function rulesAt(history: readonly Position[]): WestgardRule[] {
  const cur = history[history.length - 1];
  if (cur === undefined) return [];
  const prev = history[history.length - 2];
  const hits = new Set<WestgardRule>();
  if (cur.beyond2) hits.add('1_2s');
  if (cur.beyond3) hits.add('1_3s');
  if (prev !== undefined && prev.beyond2 && cur.beyond2) {
    hits.add(prev.sign === cur.sign ? '2_2s' : 'R_4s');
  }
  if (history.length >= 4 && sameSide(history.slice(-4), (p) => p.beyond1)) hits.add('4_1s');
  if (history.length >= 10 && sameSide(history.slice(-10), () => true)) hits.add('10_x');
  return westgardRules.filter((r) => hits.has(r));
}

/**
 * Westgard flags for each input value (same order and index as `values`). The mean and sd
 * come from `opts.baseline` when given (even if it parses to fewer than 2 values), else
 * from `values`. Unparseable values get z null and no rules and are skipped by the runs.
 * See the header for s = 0 and for fewer than 2 baseline values. Never throws.
 */
export function westgardFlags(values: readonly string[], opts?: WestgardOptions): PointFlags[] {
  const parsed = parseAll(values);
  const base = opts?.baseline === undefined ? present(parsed) : present(parseAll(opts.baseline));
  const none = (index: number): PointFlags => ({ index, z: null, rules: [] });
  if (base.length < 2) return parsed.map((_, index) => none(index));

  const scale = Math.max(maxScale(base), maxScale(present(parsed)));
  const { n, sum, d } = exactStats(base, scale);
  const history: Position[] = [];
  // |z| = |e|·√((n − 1)/(n·D)): one square root for the series (the rules above compare
  // exact integers; only the displayed z, rounded to 2 decimals, uses the factor).
  const factor = d === 0n ? null : dec(n - 1n).div(dec(n * d)).sqrt();
  return parsed.map((p, index) => {
    if (p === null) return none(index);
    // e = n·(x − mean) at `scale`: exact.
    const e = n * atScale(p, scale) - sum;
    if (d === 0n) {
      // s = 0: z is 0 on the mean and undefined elsewhere; no rule can be evaluated.
      return { index, z: e === 0n ? fixed(new LabDecimal(0), Z_DECIMALS) : null, rules: [] };
    }
    // z² = e²·(n − 1) / (n·D), exactly; |z| > k ⇔ e²·(n − 1) > k²·n·D.
    const num = e * e * (n - 1n);
    const den = n * d;
    const position: Position = {
      sign: e > 0n ? 1 : e < 0n ? -1 : 0,
      beyond1: num > den,
      beyond2: num > 4n * den,
      beyond3: num > 9n * den,
    };
    history.push(position);
    const z = fixed(dec(e).times(factor!), Z_DECIMALS);
    return { index, z, rules: rulesAt(history) };
  });
}
