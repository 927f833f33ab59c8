/**
 * Decimal strings: the only representation of a lab value (domain-model.md "Numbers and
 * time"). "1.20" and "1.2" are the same number but not the same result: the first states a
 * digit in the second decimal place, and GB/T 8170-2008 §2 (修约间隔, 有效位数) and the
 * rounded-value comparison of §4.3 depend on the stated digits. So a value is parsed into an
 * exact coefficient and a scale (digits after the point) and formatted back without ever
 * passing through a binary float.
 *
 * Accepted grammar (decided here, tested in tests/unit/rules-decimal.test.ts):
 *
 *     [+|-] ( 0 | [1-9][0-9]* ) [ . [0-9]+ ]
 *
 * - A leading '+' is accepted because balances print one (Sartorius "+    3.4253 g",
 *   reference-data §4.2); the canonical form drops it.
 * - Exponent form ('1e5', '1.2E-3') is refused: it hides how many digits were stated
 *   (1.20e3 has three significant figures, "1200" has four), and GB/T 8170 writes powers of
 *   ten as "13×10²", which `formatScaled` produces for display.
 * - Refused, each with its own error code: '' (empty), any whitespace (' 1', '1 000'),
 *   a comma ('1,2' is a decimal comma or a thousands separator — ambiguous), NaN/Infinity,
 *   '.5' and '5.' (a digit on each side of the point), redundant leading zeros ('01.5'),
 *   full-width or other non-ASCII digits, and strings longer than 100 characters.
 * - "-0" and "-0.00" are accepted and mean zero; the canonical form of zero has no sign.
 *
 * Arithmetic uses an isolated decimal.js constructor (precision 50, ROUND_HALF_EVEN), so the
 * global Decimal settings other code might rely on are never changed.
 */
import Decimal from 'decimal.js';
import { fail, ok, type RuleResult } from './result';

/**
 * The rules' own decimal.js constructor. 50 significant digits is far beyond any lab value;
 * a quotient that does not terminate (value ÷ energy) keeps 50 digits and is rounded once,
 * at the end, by GB/T 8170 (rounding.ts). Plain notation always: toString never uses an
 * exponent.
 */
export const LabDecimal = Decimal.clone({
  precision: 50,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});
export type LabDecimal = Decimal;

/** An exact decimal: value = (negative ? -1 : 1) × coefficient × 10^-scale. */
export interface ParsedDecimal {
  /** Never true for zero. */
  readonly negative: boolean;
  /** All stated digits as an integer, ≥ 0 ("1.20" → 120n). */
  readonly coefficient: bigint;
  /** Stated digits after the decimal point ("1.20" → 2, "1300" → 0). */
  readonly scale: number;
}

export const decimalErrorCodes = [
  'not_a_string',
  'empty',
  'too_long',
  'whitespace',
  'not_finite',
  'decimal_comma',
  'exponent',
  'leading_zero',
  'malformed',
] as const;
export type DecimalErrorCode = (typeof decimalErrorCodes)[number];

export const MAX_DECIMAL_LENGTH = 100;

const GRAMMAR = /^([+-]?)([0-9]+)(?:\.([0-9]+))?$/;
const NOT_FINITE = /^[+-]?(nan|inf|infinity|∞)$/i;
const EXPONENT = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+$/;

/** Parse a decimal string strictly (grammar in the header). Never throws. */
export function parseDecimal(text: unknown): RuleResult<ParsedDecimal, DecimalErrorCode> {
  if (typeof text !== 'string') return fail('decimal', 'not_a_string');
  if (text.length === 0) return fail('decimal', 'empty');
  if (text.length > MAX_DECIMAL_LENGTH) return fail('decimal', 'too_long', { max: String(MAX_DECIMAL_LENGTH) });
  const input = { input: text };
  if (/\s/.test(text)) return fail('decimal', 'whitespace', input);
  if (NOT_FINITE.test(text)) return fail('decimal', 'not_finite', input);
  if (text.includes(',')) return fail('decimal', 'decimal_comma', input);
  if (EXPONENT.test(text)) return fail('decimal', 'exponent', input);
  const m = GRAMMAR.exec(text);
  if (m === null) return fail('decimal', 'malformed', input);
  const sign = m[1] ?? '';
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int.length > 1 && int.startsWith('0')) return fail('decimal', 'leading_zero', input);
  const coefficient = BigInt(int + frac);
  return ok({ negative: sign === '-' && coefficient !== 0n, coefficient, scale: frac.length });
}

export function isDecimalString(text: unknown): text is string {
  return parseDecimal(text).ok;
}

/**
 * Canonical text of a parsed decimal: no '+', no sign on zero, every stated digit kept.
 * `minDecimals` pads with zeros (restating "1.2" as "1.20" does not change the value); it
 * never drops digits — reducing the digits is rounding, and rounding is rounding.ts.
 */
export function formatDecimal(p: ParsedDecimal, minDecimals = 0): string {
  const q = minDecimals > p.scale ? rescale(p, minDecimals) : p;
  const digits = q.coefficient.toString().padStart(q.scale + 1, '0');
  const cut = digits.length - q.scale;
  const body = q.scale === 0 ? digits : `${digits.slice(0, cut)}.${digits.slice(cut)}`;
  return q.negative && q.coefficient !== 0n ? `-${body}` : body;
}

/** Parse, then format canonically ("+1.20" → "1.20", "-0.0" → "0.0"). */
export function normalizeDecimal(text: unknown): RuleResult<string, DecimalErrorCode> {
  const p = parseDecimal(text);
  return p.ok ? ok(formatDecimal(p.value)) : p;
}

/** Same value with more stated decimal places (zeros appended). `scale` must be ≥ p.scale. */
function rescale(p: ParsedDecimal, scale: number): ParsedDecimal {
  return { negative: p.negative, coefficient: p.coefficient * 10n ** BigInt(scale - p.scale), scale };
}

/** Stated decimal places of a parsed value ("1.20" → 2, "97" → 0). */
export function statedDecimals(p: ParsedDecimal): number {
  return p.scale;
}

/**
 * Significant digits as stated (GB/T 8170-2008 §2, 有效位数): from the first non-zero digit
 * to the last stated digit, trailing zeros included ("0.0320" → 3, "10.00" → 4,
 * "12.490" → 5). A whole number ending in zeros is ambiguous in the standard ("35000" may
 * have 2–5 significant figures; the standard writes 350×10² to say 3): a plain string
 * cannot carry that, so every stated zero is counted ("1300" → 4). Zero has 0.
 */
export function significantDigits(p: ParsedDecimal): number {
  return p.coefficient === 0n ? 0 : p.coefficient.toString().length;
}

/** Exact comparison of two parsed decimals: -1, 0 or 1. "1.2" and "1.20" compare equal. */
export function compareParsed(a: ParsedDecimal, b: ParsedDecimal): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale);
  const av = signed(rescale(a, scale));
  const bv = signed(rescale(b, scale));
  return av < bv ? -1 : av > bv ? 1 : 0;
}

function signed(p: ParsedDecimal): bigint {
  return p.negative ? -p.coefficient : p.coefficient;
}

export function toLabDecimal(p: ParsedDecimal): LabDecimal {
  return new LabDecimal(formatDecimal(p));
}

/**
 * Text of a finite decimal.js value in plain notation, every digit it holds, no sign on
 * zero. Callers check finiteness first (division by zero is refused before dividing).
 */
export function fromLabDecimal(d: LabDecimal): string {
  const text = d.toFixed();
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
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
};

/**
 * Display a value as GB/T 8170 writes results rounded to tens, hundreds…: "13×10²" for 1300
 * rounded to hundreds, "-36×10⁻³" for -0.036 rounded to 0.001. `exponent` is the power of
 * ten of the last kept digit (RoundResult.exponent). Returns null when the value is not a
 * whole multiple of 10^exponent (it was not rounded to that place).
 */
export function formatScaled(p: ParsedDecimal, exponent: number): string | null {
  const shift = -p.scale - exponent;
  let mantissa: bigint;
  if (shift >= 0) {
    mantissa = p.coefficient * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    if (p.coefficient % divisor !== 0n) return null;
    mantissa = p.coefficient / divisor;
  }
  const sign = p.negative && p.coefficient !== 0n ? '-' : '';
  if (exponent === 0) return `${sign}${mantissa}`;
  const power = [...String(exponent)].map((ch) => SUPERSCRIPT[ch] ?? ch).join('');
  return `${sign}${mantissa}×10${power}`;
}
