import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import Decimal from 'decimal.js';
import {
  LabDecimal,
  compareParsed,
  formatDecimal,
  formatScaled,
  fromLabDecimal,
  isDecimalString,
  normalizeDecimal,
  parseDecimal,
  significantDigits,
  statedDecimals,
  type ParsedDecimal,
} from '../../src/shared/rules';

// Canonical decimal strings built from digits, independently of decimal.ts, so the
// round-trip property is not circular.
const canonicalDecimal = fc
  .tuple(
    fc.boolean(),
    fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,14}$/)),
    fc.option(fc.stringMatching(/^[0-9]{1,10}$/), { nil: undefined }),
  )
  .map(([negative, int, frac]) => {
    const body = frac === undefined ? int : `${int}.${frac}`;
    return negative && !/^[0.]*$/.test(body) ? `-${body}` : body;
  });

function parsed(text: string): ParsedDecimal {
  const r = parseDecimal(text);
  if (!r.ok) throw new Error(`test setup: ${text} did not parse (${r.error.code})`);
  return r.value;
}

describe('parseDecimal: accepted forms', () => {
  it.each([
    ['1.20', false, 120n, 2],
    ['0', false, 0n, 0],
    ['0.0365', false, 365n, 4],
    ['-0.0365', true, 365n, 4],
    ['1300', false, 1300n, 0],
    ['+3.4253', false, 34253n, 4],
    ['-0.00', false, 0n, 2],
  ])('%s', (text, negative, coefficient, scale) => {
    expect(parseDecimal(text)).toEqual({ ok: true, value: { negative, coefficient, scale } });
  });

  it('keeps stated digits: "1.20" is not "1.2" as text, but equal as a number', () => {
    expect(formatDecimal(parsed('1.20'))).toBe('1.20');
    expect(formatDecimal(parsed('1.2'))).toBe('1.2');
    expect(compareParsed(parsed('1.20'), parsed('1.2'))).toBe(0);
  });

  it('canonical form drops "+" and the sign of zero', () => {
    expect(normalizeDecimal('+1.20')).toEqual({ ok: true, value: '1.20' });
    expect(normalizeDecimal('-0.00')).toEqual({ ok: true, value: '0.00' });
  });
});

describe('parseDecimal: refused with a typed result, never a throw', () => {
  it.each([
    ['', 'empty'],
    [' 1', 'whitespace'],
    ['1 ', 'whitespace'],
    ['1 000', 'whitespace'],
    ['1,2', 'decimal_comma'],
    ['1,000.5', 'decimal_comma'],
    ['NaN', 'not_finite'],
    ['Infinity', 'not_finite'],
    ['-Infinity', 'not_finite'],
    ['1e5', 'exponent'],
    ['1.2E-3', 'exponent'],
    ['.5', 'malformed'],
    ['5.', 'malformed'],
    ['--1', 'malformed'],
    ['1.2.3', 'malformed'],
    ['abc', 'malformed'],
    ['１２', 'malformed'],
    ['0x10', 'malformed'],
    ['01.5', 'leading_zero'],
    ['-007', 'leading_zero'],
    ['1'.repeat(101), 'too_long'],
  ])('%j → %s', (text, code) => {
    const r = parseDecimal(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.messageKey).toBe(`decimal.${code}`);
    }
  });

  it.each([1.2, null, undefined, NaN, {}])('non-string %j → not_a_string', (value) => {
    const r = parseDecimal(value);
    expect(r.ok ? null : r.error.code).toBe('not_a_string');
    expect(isDecimalString(value)).toBe(false);
  });
});

describe('stated digits', () => {
  // GB/T 8170 §2 有效位数 examples as the 1987 text gives them (S2: renrendoc / no-prato
  // mirrors of GB 8170-87 §1.2): 0.0320 has three, 12.490 five, 10.00 four.
  it.each([
    ['0.0320', 3],
    ['12.490', 5],
    ['10.00', 4],
    ['3.2', 2],
    ['0.0032', 2],
    ['1300', 4],
    ['0.00', 0],
  ])('%s has %i significant digits', (text, n) => {
    expect(significantDigits(parsed(text))).toBe(n);
  });

  it('decimal places as stated', () => {
    expect(statedDecimals(parsed('97.0'))).toBe(1);
    expect(statedDecimals(parsed('97'))).toBe(0);
  });

  it('formatDecimal pads to a precision but never drops digits', () => {
    expect(formatDecimal(parsed('1.2'), 2)).toBe('1.20');
    expect(formatDecimal(parsed('-5'), 3)).toBe('-5.000');
    expect(formatDecimal(parsed('1.234'), 2)).toBe('1.234');
  });

  it('formatScaled writes powers of ten as GB/T 8170 does', () => {
    expect(formatScaled(parsed('1300'), 2)).toBe('13×10²');
    expect(formatScaled(parsed('-0.036'), -3)).toBe('-36×10⁻³');
    expect(formatScaled(parsed('1234'), 2)).toBeNull();
    expect(formatScaled(parsed('12'), 0)).toBe('12');
  });
});

describe('LabDecimal is isolated', () => {
  it('does not change the global decimal.js configuration', () => {
    expect(Decimal.precision).toBe(20);
    expect(Decimal.rounding).toBe(Decimal.ROUND_HALF_UP);
    expect(LabDecimal.precision).toBe(50);
    expect(LabDecimal.rounding).toBe(Decimal.ROUND_HALF_EVEN);
  });

  it('prints plain notation, no exponent, no negative zero', () => {
    expect(fromLabDecimal(new LabDecimal('1e-12'))).toBe('0.000000000001');
    expect(fromLabDecimal(new LabDecimal('1e25'))).toBe('10000000000000000000000000');
    expect(fromLabDecimal(new LabDecimal('-0'))).toBe('0');
  });
});

describe('properties', () => {
  it('format ∘ parse is the identity on canonical decimal strings', () => {
    fc.assert(
      fc.property(canonicalDecimal, (text) => {
        expect(formatDecimal(parsed(text))).toBe(text);
      }),
    );
  });

  it('parse agrees with decimal.js on the value', () => {
    fc.assert(
      fc.property(canonicalDecimal, canonicalDecimal, (a, b) => {
        expect(compareParsed(parsed(a), parsed(b))).toBe(new Decimal(a).comparedTo(new Decimal(b)));
      }),
    );
  });

  it('a leading "+" parses to the same value and canonical text', () => {
    fc.assert(
      fc.property(
        canonicalDecimal.filter((t) => !t.startsWith('-')),
        (text) => {
          expect(normalizeDecimal(`+${text}`)).toEqual({ ok: true, value: text });
        },
      ),
    );
  });
});
