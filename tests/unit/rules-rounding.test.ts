/**
 * GB/T 8170-2008 rounding. Every worked example of reference-data.md §3.1 is a named test
 * quoting the example. Tags follow reference-data: [S] sourced, [S2] secondary, [U]
 * unverified.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import Decimal from 'decimal.js';
import {
  formatScaled,
  roundDecimal,
  roundToDecimals,
  roundToInterval,
  roundToSignificantFigures,
  type Rounded,
  type RoundingResult,
} from '../../src/shared/rules';

function value(r: RoundingResult): Rounded {
  if (!r.ok) throw new Error(`rounding refused: ${r.error.code}`);
  return r.value;
}
const toDecimals = (x: string, d: number): string => value(roundToDecimals(x, d)).value;
const toInterval = (x: string, i: string): string => value(roundToInterval(x, i)).value;
const toFigures = (x: string, n: number): string => value(roundToSignificantFigures(x, n)).value;
/** Display as the standard writes it, e.g. 13×10². */
const scaled = (r: RoundingResult): string | null => formatScaled(value(r).parsed, value(r).exponent);

describe('reference-data §3.1 进舍规则 worked examples [S]', () => {
  it('rule 1 "12.1498 → 12 (to units)"', () => {
    expect(toDecimals('12.1498', 0)).toBe('12');
  });
  it('rule 1 "12.1498 → 12.1 (to 0.1)"', () => {
    expect(toDecimals('12.1498', 1)).toBe('12.1');
    expect(toInterval('12.1498', '0.1')).toBe('12.1');
  });
  it('rule 2 "1268 → 13×10² (to hundreds)"', () => {
    const r = roundToDecimals('1268', -2);
    expect(value(r).value).toBe('1300');
    expect(scaled(r)).toBe('13×10²');
    expect(toInterval('1268', '100')).toBe('1300');
  });
  it('rule 3 "10.5002 → 11"', () => {
    expect(toDecimals('10.5002', 0)).toBe('11');
  });
  it('rule 4 "1.050 → 1.0 (kept digit 0 is even)"', () => {
    expect(toDecimals('1.050', 1)).toBe('1.0');
  });
  it('rule 4 "0.35 → 0.4 (kept digit 3 is odd)"', () => {
    expect(toDecimals('0.35', 1)).toBe('0.4');
  });
  it('rule 4 "2500 → 2×10³"', () => {
    const r = roundToDecimals('2500', -3);
    expect(value(r).value).toBe('2000');
    expect(scaled(r)).toBe('2×10³');
  });
  it('rule 4 "3500 → 4×10³"', () => {
    const r = roundToDecimals('3500', -3);
    expect(value(r).value).toBe('4000');
    expect(scaled(r)).toBe('4×10³');
  });
  it('rule 5 "−0.0365 → −36×10⁻³ (to 0.001)"', () => {
    const r = roundToDecimals('-0.0365', 3);
    expect(value(r).value).toBe('-0.036');
    expect(scaled(r)).toBe('-36×10⁻³');
  });
  it('rule 6 "8.53459 to 3 significant figures is 8.53, not 8.53459→8.5346→8.535→8.54"', () => {
    expect(toFigures('8.53459', 3)).toBe('8.53');
    // The forbidden stepwise rounding gives 8.54: which is why only the original value is
    // ever rounded (see rounding.ts header).
    const stepwise = toFigures(toFigures(toFigures('8.53459', 5), 4), 3);
    expect(stepwise).toBe('8.54');
  });
});

describe('reference-data §3.1 more examples [S: wiki.szjm666.com], to 0.01 / 0.1', () => {
  it.each([
    ['28.175', 2, '28.18'],
    ['28.165', 2, '28.16'],
    ['28.350', 1, '28.4'],
    ['28.250', 1, '28.2'],
    ['28.050', 1, '28.0'],
    ['28.2501', 1, '28.3'],
  ])('"%s → %s"', (x, d, expected) => {
    expect(toDecimals(x, d)).toBe(expected);
  });
});

describe('reference-data §3.1 reporting marks §3.3 [U]', () => {
  it('"15.4546 to 0.01 reported as 15.45(+)": the value was dropped (舍), so the mark is (+)', () => {
    const r = value(roundToDecimals('15.4546', 2));
    expect(r.value).toBe('15.45');
    expect(r.adjustment).toBe('dropped');
  });
  it('raising (进) and exact values are told apart', () => {
    expect(value(roundToDecimals('15.4556', 2)).adjustment).toBe('raised');
    expect(value(roundToDecimals('15.45', 2)).adjustment).toBe('none');
    expect(value(roundToDecimals('-15.4556', 2)).adjustment).toBe('raised');
  });
});

describe('§3.4 0.5-unit and 0.2-unit rounding [U in reference-data]', () => {
  // reference-data gives only the method ("×2, round, ÷2"; "×5, round, ÷5") as [U]. The two
  // examples below appear in the GB 8170-87 text mirrored on renrendoc.com / no-prato.com
  // [S2, 1987 edition]; the others are the standard's examples as commonly reproduced,
  // recalled and not checked against the 2008 text [U]. All agree with the ×2 / ×5 method.
  it('"60.28 to the 0.5 unit of the units place → 60.5" [S2]', () => {
    expect(toInterval('60.28', '0.5')).toBe('60.5');
  });
  it('"832 to the 0.2 unit of the hundreds place → 840" [S2]', () => {
    expect(toInterval('832', '20')).toBe('840');
  });
  it.each([
    ['60.25', '0.5', '60.0'],
    ['60.38', '0.5', '60.5'],
    ['-60.75', '0.5', '-61.0'],
    ['830', '20', '840'],
    ['842', '20', '840'],
    ['-930', '20', '-920'],
  ])('%s to interval %s → %s [U]', (x, interval, expected) => {
    expect(toInterval(x, interval)).toBe(expected);
  });
  it('agrees with the "×2, round, ÷2" and "×5, round, ÷5" procedure', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.integer({ min: 0, max: 4 }), (units, d) => {
        const x = new Decimal(units).dividedBy(10 ** (d + 2)).toFixed();
        for (const [interval, k] of [
          [new Decimal(0.5).dividedBy(10 ** d), 2],
          [new Decimal(0.2).dividedBy(10 ** d), 5],
        ] as const) {
          const viaProcedure = new Decimal(x).times(k).toDecimalPlaces(d, Decimal.ROUND_HALF_EVEN).dividedBy(k);
          const got = new Decimal(toInterval(x, interval.toFixed()));
          expect(got.equals(viaProcedure)).toBe(true);
        }
      }),
    );
  });
  it('refuses intervals that are not 1, 2 or 5 × 10^n', () => {
    for (const bad of ['0.3', '0', '-0.5', '1.5', 'x', '']) {
      const r = roundToInterval('1.23', bad);
      expect(r.ok ? 'ok' : r.error.code).toBe('bad_interval');
    }
  });
});

describe('output keeps the stated digits', () => {
  it('1.2 to two decimals is "1.20"', () => {
    expect(toDecimals('1.2', 2)).toBe('1.20');
  });
  it('a value rounding to zero has no sign', () => {
    expect(toDecimals('-0.004', 2)).toBe('0.00');
  });
  it('significant figures: carrying into a new digit keeps the count (9.996 → 10.0)', () => {
    expect(toFigures('9.996', 3)).toBe('10.0');
    expect(toFigures('0.0365', 2)).toBe('0.036');
    expect(toFigures('0.0375', 2)).toBe('0.038');
    const r = roundToSignificantFigures('996', 2);
    expect(value(r).value).toBe('1000');
    expect(scaled(r)).toBe('10×10²');
    expect(toFigures('0', 3)).toBe('0.00');
  });
  it('bad arguments and bad values are typed errors', () => {
    const codes = [
      roundToDecimals('1.2', 1.5),
      roundToSignificantFigures('1.2', 0),
      roundDecimal('1,2', { decimals: 1 }),
      roundDecimal('', { decimals: 1 }),
    ].map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes).toEqual(['bad_decimals', 'bad_figures', 'decimal_comma', 'empty']);
  });
});

// ---------------------------------------------------------------------------------------

const decimalText = fc
  .tuple(
    fc.boolean(),
    fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,9}$/)),
    fc.option(fc.stringMatching(/^[0-9]{1,8}$/), { nil: undefined }),
  )
  .map(([negative, int, frac]) => {
    const body = frac === undefined ? int : `${int}.${frac}`;
    return negative && !/^[0.]*$/.test(body) ? `-${body}` : body;
  });
const places = fc.integer({ min: -4, max: 6 });
const interval = fc
  .tuple(fc.constantFrom('1', '2', '5'), fc.integer({ min: -5, max: 3 }))
  .map(([m, n]) => new Decimal(m).times(new Decimal(10).pow(n)).toFixed());

describe('rounding properties', () => {
  it('agrees with decimal.js ROUND_HALF_EVEN (an independent oracle for rules 1–5)', () => {
    fc.assert(
      fc.property(decimalText, places, (x, d) => {
        const got = new Decimal(toDecimals(x, d));
        const scale = new Decimal(10).pow(d);
        const expected = new Decimal(x).times(scale).toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN).dividedBy(scale);
        expect(got.equals(expected)).toBe(true);
      }),
    );
  });

  it('is idempotent (decimals, intervals, significant figures)', () => {
    fc.assert(
      fc.property(decimalText, places, interval, fc.integer({ min: 1, max: 8 }), (x, d, i, n) => {
        const once = toDecimals(x, d);
        expect(toDecimals(once, d)).toBe(once);
        const onceI = toInterval(x, i);
        expect(toInterval(onceI, i)).toBe(onceI);
        const onceF = toFigures(x, n);
        expect(toFigures(onceF, n)).toBe(onceF);
      }),
    );
  });

  it('never changes a value already at the precision (only restates its digits)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), interval, (k, i) => {
        const x = new Decimal(k.toString()).times(i).toFixed();
        const r = value(roundToInterval(x, i));
        expect(new Decimal(r.value).equals(new Decimal(x))).toBe(true);
        expect(r.adjustment).toBe('none');
      }),
    );
  });

  it('moves the value by at most half an interval, and lands on a multiple of it', () => {
    fc.assert(
      fc.property(decimalText, interval, (x, i) => {
        const r = new Decimal(toInterval(x, i));
        expect(r.minus(x).abs().lessThanOrEqualTo(new Decimal(i).dividedBy(2))).toBe(true);
        expect(r.mod(i).isZero()).toBe(true);
      }),
    );
  });

  it('is symmetric for negative numbers (rule 5: round |x|, restore the sign)', () => {
    fc.assert(
      fc.property(decimalText, places, interval, (x, d, i) => {
        const negated = x.startsWith('-') ? x.slice(1) : /^[0.]*$/.test(x) ? x : `-${x}`;
        expect(new Decimal(toDecimals(negated, d)).equals(new Decimal(toDecimals(x, d)).negated())).toBe(true);
        expect(new Decimal(toInterval(negated, i)).equals(new Decimal(toInterval(x, i)).negated())).toBe(true);
      }),
    );
  });

  it('states exactly the digits of the rounding place', () => {
    fc.assert(
      fc.property(decimalText, places, (x, d) => {
        const text = toDecimals(x, d);
        const stated = text.includes('.') ? (text.split('.')[1] ?? '').length : 0;
        expect(stated).toBe(Math.max(0, d));
      }),
    );
  });

  it('significant figures equal rounding at the place of the leading digit', () => {
    fc.assert(
      fc.property(
        decimalText.filter((x) => !/^-?[0.]*$/.test(x)),
        fc.integer({ min: 1, max: 8 }),
        (x, n) => {
          const d = new Decimal(x);
          const expected = d.toSignificantDigits(n, Decimal.ROUND_HALF_EVEN);
          expect(new Decimal(toFigures(x, n)).equals(expected)).toBe(true);
        },
      ),
    );
  });
});
