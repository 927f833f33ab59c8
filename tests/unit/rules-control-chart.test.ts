import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LabDecimal,
  controlLimits,
  fromLabDecimal,
  westgardFlags,
  westgardRules,
  westgardWarnings,
  type WestgardRule,
} from '../../src/shared/rules';

// Canonical decimal strings built from digits (independently of decimal.ts).
const decimalText = (maxFrac: number) =>
  fc
    .tuple(
      fc.boolean(),
      fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,6}$/)),
      fc.option(fc.stringMatching(new RegExp(`^[0-9]{1,${maxFrac}}$`)), { nil: undefined }),
    )
    .map(([negative, int, frac]) => {
      const body = frac === undefined ? int : `${int}.${frac}`;
      return negative && !/^[0.]*$/.test(body) ? `-${body}` : body;
    });

const dec = (s: string) => new LabDecimal(s);

/** Baseline with mean 0 and sample sd exactly 1, so z = x for the values under test. */
const UNIT = ['-1', '0', '1'];

function rulesOf(values: readonly string[], baseline: readonly string[] = UNIT): (readonly WestgardRule[])[] {
  return westgardFlags(values, { baseline }).map((f) => f.rules);
}

function lastRules(values: readonly string[], baseline: readonly string[] = UNIT): readonly WestgardRule[] {
  return rulesOf(values, baseline).at(-1) ?? [];
}

describe('controlLimits: hand-computed', () => {
  it('classic set 2,4,4,4,5,5,7,9: mean 5, sample sd √(32/7) = 2.1380899353…', () => {
    const l = controlLimits(['2', '4', '4', '4', '5', '5', '7', '9']);
    expect(l).toEqual({
      n: 8,
      mean: '5.0000',
      sd: '2.1381',
      warnLow: '0.7238',
      warnHigh: '9.2762',
      ctlLow: '-1.4143',
      ctlHigh: '11.4143',
      oneLow: '2.8619',
      oneHigh: '7.1381',
    });
    const l10 = controlLimits(['2', '4', '4', '4', '5', '5', '7', '9'], { decimals: 10 });
    expect(l10?.sd).toBe('2.1380899353');
    expect(l10?.warnHigh).toBe('9.2761798706');
    expect(l10?.mean).toBe('5.0000000000');
  });

  it('limits are rounded from the unrounded mean and sd, not from the rounded sd', () => {
    // 5 + 2 × 2.1381 would be 9.2762 too, but 3 × 2.1381 = 6.4143 and 5 - 6.4143 = -1.4143;
    // at 2 decimals the difference shows: sd 2.14, 5 + 3 × 2.14 = 11.42, true value 11.41.
    const l = controlLimits(['2', '4', '4', '4', '5', '5', '7', '9'], { decimals: 2 });
    expect(l?.sd).toBe('2.14');
    expect(l?.ctlHigh).toBe('11.41');
    expect(l?.ctlLow).toBe('-1.41');
  });

  it('decimal-exact: 0.1, 0.2, 0.3 has mean exactly 0.2 and sd exactly 0.1', () => {
    const l = controlLimits(['0.1', '0.2', '0.3'], { decimals: 20 });
    expect(l?.mean).toBe('0.20000000000000000000');
    expect(l?.sd).toBe('0.10000000000000000000');
    expect(l?.warnHigh).toBe('0.40000000000000000000');
    expect(l?.ctlLow).toBe('-0.10000000000000000000');
    expect(controlLimits(['0.1', '0.2', '0.3'])?.mean).toBe('0.20000');
  });

  it('default decimals: 4 more than the most stated decimals, capped at 10', () => {
    expect(controlLimits(['1', '2.5'])?.mean).toBe('1.75000');
    expect(controlLimits(['1', '2.50'])?.mean).toBe('1.750000');
    expect(controlLimits(['1.12345678', '1.12345679'])?.mean).toBe('1.1234567850');
  });

  it('an invalid decimals option falls back to the default', () => {
    expect(controlLimits(['1', '2'], { decimals: -1 })?.mean).toBe('1.5000');
    expect(controlLimits(['1', '2'], { decimals: 1.5 })?.mean).toBe('1.5000');
    expect(controlLimits(['1', '2'], { decimals: 0 })?.mean).toBe('2'); // 1.5 half-even → 2
  });

  it('skips unparseable values (ND, <0.5, absent, empty)', () => {
    const l = controlLimits(['ND', '2', '<0.5', '4', 'absent', '']);
    expect(l?.n).toBe(2);
    expect(l?.mean).toBe('3.0000');
    expect(l?.sd).toBe('1.4142');
  });

  it('fewer than 2 parseable values → null', () => {
    expect(controlLimits([])).toBeNull();
    expect(controlLimits(['1'])).toBeNull();
    expect(controlLimits(['1', 'ND', '<0.5'])).toBeNull();
  });

  it('identical values: sd 0, all limits on the mean, no sign on zero', () => {
    expect(controlLimits(['-0.0', '0.00'])).toEqual({
      n: 2,
      mean: '0.000000',
      sd: '0.000000',
      warnLow: '0.000000',
      warnHigh: '0.000000',
      ctlLow: '0.000000',
      ctlHigh: '0.000000',
      oneLow: '0.000000',
      oneHigh: '0.000000',
    });
  });
});

describe('westgardFlags: each rule and its near miss', () => {
  it('exports the rule list and the warning set', () => {
    expect(westgardRules).toEqual(['1_2s', '1_3s', '2_2s', 'R_4s', '4_1s', '10_x']);
    expect([...westgardWarnings]).toEqual(['1_2s']);
  });

  it('1_2s: |z| > 2, strictly', () => {
    expect(lastRules(['2.01'])).toEqual(['1_2s']);
    expect(lastRules(['-2.01'])).toEqual(['1_2s']);
    expect(lastRules(['2'])).toEqual([]);
    expect(lastRules(['-2'])).toEqual([]);
  });

  it('1_3s: |z| > 3 (also a 1_2s point)', () => {
    expect(lastRules(['3.01'])).toEqual(['1_2s', '1_3s']);
    expect(lastRules(['-3.5'])).toEqual(['1_2s', '1_3s']);
    expect(lastRules(['3'])).toEqual(['1_2s']);
  });

  it('2_2s: two consecutive points beyond 2 s on the same side', () => {
    expect(rulesOf(['2.5', '2.1'])).toEqual([['1_2s'], ['1_2s', '2_2s']]);
    expect(lastRules(['-2.5', '-2.1'])).toEqual(['1_2s', '2_2s']);
    expect(lastRules(['2.5', '2'])).toEqual([]);
    expect(lastRules(['2.5', '0', '2.5'])).toEqual(['1_2s']);
  });

  it('R_4s: consecutive points beyond 2 s on opposite sides', () => {
    expect(lastRules(['2.5', '-2.1'])).toEqual(['1_2s', 'R_4s']);
    expect(lastRules(['-2.1', '2.5'])).toEqual(['1_2s', 'R_4s']);
    expect(lastRules(['2.5', '-2'])).toEqual([]);
    expect(lastRules(['1.9', '-2.5'])).toEqual(['1_2s']);
  });

  it('4_1s: four consecutive points beyond 1 s on the same side', () => {
    expect(rulesOf(['1.5', '1.1', '1.01', '1.5'])).toEqual([[], [], [], ['4_1s']]);
    expect(lastRules(['-1.5', '-1.1', '-1.01', '-1.5'])).toEqual(['4_1s']);
    expect(lastRules(['1.5', '1.1', '1', '1.5'])).toEqual([]);
    expect(lastRules(['1.5', '1.1', '-1.5', '1.5'])).toEqual([]);
    expect(lastRules(['1.5', '1.5', '1.5'])).toEqual([]);
  });

  it('10_x: ten consecutive points on the same side of the mean', () => {
    const ten = Array<string>(10).fill('0.5');
    expect(rulesOf(ten).map((r) => r.includes('10_x'))).toEqual([...Array<boolean>(9).fill(false), true]);
    expect(lastRules(ten.map((v) => `-${v}`))).toEqual(['10_x']);
    expect(lastRules(ten.slice(1))).toEqual([]);
    expect(lastRules([...ten.slice(0, 5), '0', ...ten.slice(6)])).toEqual([]);
    expect(lastRules([...ten.slice(0, 5), '-0.1', ...ten.slice(6)])).toEqual([]);
    // an 11th point keeps firing: the last ten are still on one side
    expect(lastRules([...ten, '0.01'])).toEqual(['10_x']);
  });

  it('unparseable values are skipped by runs and get z null, no rules', () => {
    const flags = westgardFlags(['2.5', 'ND', '2.5', '<0.5', 'absent', '-2.5'], { baseline: UNIT });
    expect(flags).toEqual([
      { index: 0, z: '2.50', rules: ['1_2s'] },
      { index: 1, z: null, rules: [] },
      { index: 2, z: '2.50', rules: ['1_2s', '2_2s'] },
      { index: 3, z: null, rules: [] },
      { index: 4, z: null, rules: [] },
      { index: 5, z: '-2.50', rules: ['1_2s', 'R_4s'] },
    ]);
    const ten = [...Array<string>(5).fill('0.5'), 'ND', ...Array<string>(5).fill('0.5')];
    expect(lastRules(ten)).toEqual(['10_x']);
  });

  it('rules compare against the unrounded mean and sd', () => {
    // baseline mean 5, sd 2.13808993…: mean + 2 s = 9.27617987…, shown as 9.2762.
    const base = ['2', '4', '4', '4', '5', '5', '7', '9'];
    expect(controlLimits(base)?.warnHigh).toBe('9.2762');
    expect(lastRules(['9.27618'], base)).toEqual(['1_2s']);
    expect(lastRules(['9.27617'], base)).toEqual([]);
  });

  it('z is (x - mean) / sd rounded to 2 decimals, half-even, no sign on zero', () => {
    const flags = westgardFlags(['0.125', '-0.125', '0.135', '0', '-0.001'], { baseline: UNIT });
    expect(flags.map((f) => f.z)).toEqual(['0.12', '-0.12', '0.14', '0.00', '0.00']);
    // without a baseline, the values' own mean and sd: 2,4,4,4,5,5,7,9 → z of 9 = 4 / 2.138… = 1.87
    expect(westgardFlags(['2', '4', '4', '4', '5', '5', '7', '9']).map((f) => f.z)).toEqual([
      '-1.40',
      '-0.47',
      '-0.47',
      '-0.47',
      '0.00',
      '0.00',
      '0.94',
      '1.87',
    ]);
  });

  it('sd 0: no rules; z 0.00 on the mean, null elsewhere', () => {
    expect(westgardFlags(['5', '5.0', '5.00'])).toEqual([
      { index: 0, z: '0.00', rules: [] },
      { index: 1, z: '0.00', rules: [] },
      { index: 2, z: '0.00', rules: [] },
    ]);
    const flags = westgardFlags([...Array<string>(10).fill('6'), '5'], { baseline: ['5', '5'] });
    expect(flags.every((f) => f.rules.length === 0)).toBe(true);
    expect(flags.map((f) => f.z)).toEqual([...Array<null>(10).fill(null), '0.00']);
  });

  it('fewer than 2 baseline values: every z null, no rules', () => {
    expect(westgardFlags(['1', '100'], { baseline: ['1', 'ND'] })).toEqual([
      { index: 0, z: null, rules: [] },
      { index: 1, z: null, rules: [] },
    ]);
    expect(westgardFlags(['1', 'ND'])).toEqual([
      { index: 0, z: null, rules: [] },
      { index: 1, z: null, rules: [] },
    ]);
    expect(westgardFlags([])).toEqual([]);
  });
});

describe('control chart properties', () => {
  const values = fc.array(decimalText(3), { minLength: 2, maxLength: 30 });
  const constant = decimalText(3);
  const positive = fc
    .tuple(fc.stringMatching(/^[1-9][0-9]{0,2}$/), fc.option(fc.stringMatching(/^[0-9]{1,3}$/), { nil: undefined }))
    .map(([i, f]) => (f === undefined ? i : `${i}.${f}`));
  const shift = (xs: readonly string[], c: string) => xs.map((x) => fromLabDecimal(dec(x).plus(c)));
  const scale = (xs: readonly string[], a: string) => xs.map((x) => fromLabDecimal(dec(x).times(a)));

  it('the mean lies between the minimum and the maximum', () => {
    fc.assert(
      fc.property(fc.array(decimalText(6), { minLength: 2, maxLength: 30 }), (xs) => {
        const l = controlLimits(xs);
        expect(l).not.toBeNull();
        const sorted = xs.map(dec).sort((a, b) => a.comparedTo(b));
        const mean = dec(l?.mean ?? 'NaN');
        expect(mean.gte(sorted[0] ?? 'NaN')).toBe(true);
        expect(mean.lte(sorted.at(-1) ?? 'NaN')).toBe(true);
      }),
    );
  });

  it('limits are ordered: ctlLow ≤ warnLow ≤ oneLow ≤ mean ≤ oneHigh ≤ warnHigh ≤ ctlHigh, sd ≥ 0', () => {
    fc.assert(
      fc.property(values, (xs) => {
        const l = controlLimits(xs);
        if (l === null) throw new Error('expected limits');
        const seq = [l.ctlLow, l.warnLow, l.oneLow, l.mean, l.oneHigh, l.warnHigh, l.ctlHigh].map(dec);
        for (let i = 1; i < seq.length; i++) expect(seq[i - 1]?.lte(seq[i] ?? 'NaN')).toBe(true);
        expect(dec(l.sd).gte(0)).toBe(true);
      }),
    );
  });

  it('shifting every value by a constant shifts mean and limits by it; sd and flags unchanged', () => {
    fc.assert(
      fc.property(values, constant, (xs, c) => {
        const before = controlLimits(xs, { decimals: 10 });
        const after = controlLimits(shift(xs, c), { decimals: 10 });
        if (before === null || after === null) throw new Error('expected limits');
        expect(after.sd).toBe(before.sd);
        for (const key of ['mean', 'warnLow', 'warnHigh', 'ctlLow', 'ctlHigh', 'oneLow', 'oneHigh'] as const) {
          expect(dec(after[key]).minus(before[key]).eq(c)).toBe(true);
        }
        expect(westgardFlags(shift(xs, c))).toEqual(westgardFlags(xs));
      }),
    );
  });

  it('shifting values and baseline together leaves flags unchanged', () => {
    fc.assert(
      fc.property(values, values, constant, (xs, base, c) => {
        expect(westgardFlags(shift(xs, c), { baseline: shift(base, c) })).toEqual(
          westgardFlags(xs, { baseline: base }),
        );
      }),
    );
  });

  it('scaling every value by a positive constant leaves flags (rules and z) unchanged', () => {
    fc.assert(
      fc.property(values, values, positive, (xs, base, a) => {
        expect(westgardFlags(scale(xs, a))).toEqual(westgardFlags(xs));
        expect(westgardFlags(scale(xs, a), { baseline: scale(base, a) })).toEqual(
          westgardFlags(xs, { baseline: base }),
        );
      }),
    );
  });

  it('z and rules agree: 1_3s ⇒ 1_2s, and |z| well beyond / within 2 decides 1_2s', () => {
    fc.assert(
      fc.property(values, values, (xs, base) => {
        for (const f of westgardFlags(xs, { baseline: base })) {
          if (f.rules.includes('1_3s')) expect(f.rules).toContain('1_2s');
          if (f.z === null) continue;
          const z = dec(f.z).abs();
          if (z.gte('2.01')) expect(f.rules).toContain('1_2s');
          if (z.lte('1.99')) expect(f.rules).not.toContain('1_2s');
        }
      }),
    );
  });

  it('westgardFlags never throws on arbitrary strings and returns one entry per input', () => {
    const anyText = fc.oneof(fc.string(), decimalText(4), fc.constantFrom('ND', '<0.5', 'absent', '', '1e5', 'NaN'));
    fc.assert(
      fc.property(
        fc.array(anyText, { maxLength: 40 }),
        fc.option(fc.array(anyText, { maxLength: 20 }), { nil: undefined }),
        (xs, base) => {
          const flags = westgardFlags(xs, base === undefined ? undefined : { baseline: base });
          expect(flags).toHaveLength(xs.length);
          flags.forEach((f, i) => {
            expect(f.index).toBe(i);
            if (f.z !== null) expect(f.z).toMatch(/^-?[0-9]+\.[0-9]{2}$/);
          });
          expect(() => controlLimits(xs)).not.toThrow();
        },
      ),
    );
  });
});
