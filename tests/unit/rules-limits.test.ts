/**
 * Limit evaluation: GB/T 8170-2008 §4.3 comparison methods (reference-data §3.2), "not
 * detected" against the LOD, and microbiological sampling plans (reference-data §1.4 [U]).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import Decimal from 'decimal.js';
import { evaluateLimit, roundToDecimals, type LimitSpec, type Verdict } from '../../src/shared/rules';

const full = { method: 'full_value' } as const;
const rounded = { method: 'rounded_value' } as const;
const brief = (v: Verdict): string => `${v.verdict} ${v.reason}`;

describe('reference-data §3.2 worked examples [U, illustrative]', () => {
  const min97: LimitSpec = { kind: 'minimum', min: '97.0' };
  it('"Limit ≥97.0 %, result 96.96 %. Full comparison: 96.96 < 97.0, fail"', () => {
    const v = evaluateLimit(min97, '96.96', full);
    expect(brief(v)).toBe('fail verdict.below_min');
    expect(v.details).toMatchObject({ measured: '96.96', compared: '96.96', min: '97.0', method: 'full_value' });
  });
  it('"Rounded comparison: 96.96 → 97.0, pass"', () => {
    const v = evaluateLimit(min97, '96.96', rounded);
    expect(brief(v)).toBe('pass verdict.meets_min');
    expect(v.details).toMatchObject({ measured: '96.96', compared: '97.0', min: '97.0', method: 'rounded_value' });
  });
  it('full-value comparison is the default', () => {
    expect(evaluateLimit(min97, '96.96').verdict).toBe('fail');
  });
  const afm1: LimitSpec = { kind: 'maximum', max: '0.5' };
  it('"Limit ≤0.5 µg/kg AFM1, result 0.54. Full comparison: fail"', () => {
    expect(brief(evaluateLimit(afm1, '0.54', full))).toBe('fail verdict.above_max');
  });
  it('"Rounded to 0.1: 0.5, pass"', () => {
    const v = evaluateLimit(afm1, '0.54', rounded);
    expect(brief(v)).toBe('pass verdict.meets_max');
    expect(v.details.compared).toBe('0.5');
  });
  it('the limit\'s stated digits matter: against "97" the value is rounded to units (96.4 → 96), against "97.00" 96.96 stays 96.96', () => {
    expect(evaluateLimit({ kind: 'minimum', min: '97' }, '96.4', rounded).details.compared).toBe('96');
    expect(evaluateLimit({ kind: 'minimum', min: '97.00' }, '96.96', rounded).verdict).toBe('fail');
  });
  it('rounded comparison uses GB/T 8170 round-half-even: 96.95 → 97.0 but 96.85 → 96.8', () => {
    expect(evaluateLimit(min97, '96.95', rounded).verdict).toBe('pass');
    expect(evaluateLimit({ kind: 'minimum', min: '96.9' }, '96.85', rounded).verdict).toBe('fail');
  });
});

describe('range, minimum, maximum, equals', () => {
  // Vitamin D 0.48–1.20 µg/100 kJ (reference-data §1.2, S2) as a shape example.
  const vitD: LimitSpec = { kind: 'range', min: '0.48', max: '1.20' };
  it.each([
    ['0.48', 'pass verdict.within_range'],
    ['1.20', 'pass verdict.within_range'],
    ['1.2', 'pass verdict.within_range'],
    ['0.479', 'fail verdict.below_min'],
    ['1.201', 'fail verdict.above_max'],
  ])('vitamin D 0.48–1.20, result %s → %s (full value)', (x, expected) => {
    expect(brief(evaluateLimit(vitD, x, full))).toBe(expected);
  });
  it('range bounds are inclusive by default and can be strict', () => {
    const strict: LimitSpec = { kind: 'range', min: '0.48', max: '1.20', minInclusive: false, maxInclusive: false };
    expect(brief(evaluateLimit(strict, '0.48'))).toBe('fail verdict.below_min');
    expect(brief(evaluateLimit(strict, '1.20'))).toBe('fail verdict.above_max');
    expect(brief(evaluateLimit({ kind: 'maximum', max: '5', inclusive: false }, '5'))).toBe('fail verdict.above_max');
    expect(brief(evaluateLimit({ kind: 'minimum', min: '5', inclusive: false }, '5.0001'))).toBe(
      'pass verdict.meets_min',
    );
  });
  it("range under the rounded-value method rounds to each bound's own digits", () => {
    const v = evaluateLimit({ kind: 'range', min: '8.4', max: '41.80' }, '41.804', rounded);
    expect(v.details).toMatchObject({ comparedToMin: '41.8', comparedToMax: '41.80' });
    expect(v.verdict).toBe('pass');
  });
  it("equals: full value compares the number; rounded value rounds to the target's digits", () => {
    const eq: LimitSpec = { kind: 'equals', value: '1.20' };
    expect(brief(evaluateLimit(eq, '1.2'))).toBe('pass verdict.equal');
    expect(brief(evaluateLimit(eq, '1.204'))).toBe('fail verdict.not_equal');
    expect(brief(evaluateLimit(eq, '1.204', rounded))).toBe('pass verdict.equal');
  });
  it('melamine ≤1 mg/kg in infant formula [S, reference-data §1.4]: 1.4 fails in full, passes rounded to units', () => {
    const melamine: LimitSpec = { kind: 'maximum', max: '1' };
    expect(evaluateLimit(melamine, '1.4').verdict).toBe('fail');
    expect(evaluateLimit(melamine, '1.4', rounded).verdict).toBe('pass');
    expect(evaluateLimit(melamine, '1.5', rounded).verdict).toBe('fail');
  });
  it('negative values (freezing point −0.500 to −0.560 °C, reference-data §2)', () => {
    const fp: LimitSpec = { kind: 'range', min: '-0.560', max: '-0.500' };
    expect(evaluateLimit(fp, '-0.530').verdict).toBe('pass');
    expect(brief(evaluateLimit(fp, '-0.495'))).toBe('fail verdict.above_max');
    expect(brief(evaluateLimit(fp, '-0.5604'))).toBe('fail verdict.below_min');
    expect(brief(evaluateLimit(fp, '-0.5604', rounded))).toBe('pass verdict.within_range');
  });
});

describe('invalid inputs give "invalid", never a silent pass', () => {
  it.each([
    ['1,2', 'verdict.invalid_result'],
    ['', 'verdict.invalid_result'],
    [' 1', 'verdict.invalid_result'],
    ['1e5', 'verdict.invalid_result'],
    ['NaN', 'verdict.invalid_result'],
    ['present', 'verdict.result_kind_mismatch'],
  ])('result %j → %s', (x, reason) => {
    expect(brief(evaluateLimit({ kind: 'maximum', max: '5' }, x))).toBe(`invalid ${reason}`);
  });
  it('bad limits', () => {
    expect(evaluateLimit({ kind: 'range', min: '5', max: '1' }, '3').reason).toBe('verdict.invalid_limit');
    expect(evaluateLimit({ kind: 'minimum', min: 'abc' }, '3').reason).toBe('verdict.invalid_limit');
    expect(evaluateLimit({ kind: 'not_detected', lod: '-1' }, '3').reason).toBe('verdict.invalid_limit');
    expect(evaluateLimit({ kind: 'maximum', max: '1' }, ['1', '2']).reason).toBe('verdict.result_kind_mismatch');
  });
});

describe('not detected (ND) and the limit of detection', () => {
  const nd: LimitSpec = { kind: 'not_detected', lod: '0.01' };
  it.each([
    ['ND', 'pass verdict.not_detected'],
    ['<LOD', 'pass verdict.not_detected'],
    ['<0.01', 'pass verdict.not_detected'],
    ['0.009', 'pass verdict.not_detected'],
    ['0.01', 'fail verdict.detected'],
    ['0.25', 'fail verdict.detected'],
    ['<0.05', 'invalid verdict.inconclusive'],
    ['absent', 'invalid verdict.result_kind_mismatch'],
  ])('LOD 0.01, result %s → %s', (x, expected) => {
    expect(brief(evaluateLimit(nd, x))).toBe(expected);
  });
  it("under the rounded-value method the result is rounded to the LOD's digits: 0.0096 → 0.01, detected", () => {
    expect(brief(evaluateLimit(nd, '0.0096', rounded))).toBe('fail verdict.detected');
    expect(brief(evaluateLimit(nd, '0.0096', full))).toBe('pass verdict.not_detected');
  });
  it("ND against a maximum passes only when the method's LOD is known and not above the maximum", () => {
    const pb: LimitSpec = { kind: 'maximum', max: '0.08' }; // Pb ≤0.08 mg/kg [U]
    expect(brief(evaluateLimit(pb, 'ND'))).toBe('invalid verdict.lod_required');
    expect(brief(evaluateLimit(pb, 'ND', { lod: '0.005' }))).toBe('pass verdict.meets_max');
    expect(brief(evaluateLimit(pb, 'ND', { lod: '0.1' }))).toBe('invalid verdict.inconclusive');
    expect(brief(evaluateLimit(pb, '<0.02'))).toBe('pass verdict.meets_max');
  });
  it('ND against a minimum fails when the LOD is at or below the minimum', () => {
    const min: LimitSpec = { kind: 'minimum', min: '2.8' };
    expect(brief(evaluateLimit(min, 'ND', { lod: '0.1' }))).toBe('fail verdict.below_min');
    expect(brief(evaluateLimit(min, '<5'))).toBe('invalid verdict.inconclusive');
  });
});

describe('microbiological sampling plans n/c/m/M', () => {
  // Aerobic plate count n=5, c=2, m=1000, M=10000 CFU/g (reference-data §1.4 [U]).
  const apc: LimitSpec = { kind: 'sampling_plan', n: 5, c: 2, m: '1000', M: '10000' };
  it('3-class: two units between m and M (c = 2) pass', () => {
    expect(brief(evaluateLimit(apc, ['100', '1000', '5000', '9000', 'ND']))).toBe('pass verdict.plan_pass');
  });
  it('3-class: a count equal to m or M does not exceed it', () => {
    expect(evaluateLimit(apc, ['1000', '1000', '10000', '10000', '1000']).verdict).toBe('pass');
  });
  it('3-class: three units above m fail (more than c)', () => {
    const v = evaluateLimit(apc, ['1100', '2000', '5000', '10', '<10']);
    expect(brief(v)).toBe('fail verdict.plan_too_many_above_m');
    expect(v.details).toMatchObject({ countAboveSmallM: '3', unitsAboveSmallM: '1, 2, 3', c: '2' });
  });
  it('3-class: one unit above M fails even when c is not reached', () => {
    const v = evaluateLimit(apc, ['10', '10', '10', '10', '12000']);
    expect(brief(v)).toBe('fail verdict.plan_unit_above_big_m');
    expect(v.details).toMatchObject({ unitsAboveBigM: '5', countAboveBigM: '1' });
  });
  // Enterobacteriaceae n=5, c=0, m=10 CFU/g, a 2-class plan (reference-data §1.4 [U]).
  const entero: LimitSpec = { kind: 'sampling_plan', n: 5, c: 0, m: '10' };
  it('2-class: all units ≤ m pass; "<10" is at most m', () => {
    expect(evaluateLimit(entero, ['<10', '<10', '10', 'ND', '0']).verdict).toBe('pass');
  });
  it('2-class: one unit above m with c = 0 fails', () => {
    expect(brief(evaluateLimit(entero, ['<10', '<10', '20', 'ND', '0']))).toBe('fail verdict.plan_too_many_above_m');
  });
  it('2-class with c = 1 allows one unit above m', () => {
    const plan: LimitSpec = { kind: 'sampling_plan', n: 5, c: 1, m: '10' };
    expect(evaluateLimit(plan, ['20', '0', '0', '0', '0']).verdict).toBe('pass');
    expect(evaluateLimit(plan, ['20', '30', '0', '0', '0']).verdict).toBe('fail');
  });
  // Salmonella n=5, c=0, m=0/25 g (reference-data §1.4 [U]).
  const salmonella: LimitSpec = { kind: 'presence_absence', n: 5, c: 0, portion: '25 g' };
  it('presence/absence: Salmonella n=5 c=0 "absent in 25 g" — all absent pass', () => {
    expect(brief(evaluateLimit(salmonella, ['absent', 'absent', 'absent', 'absent', 'ND']))).toBe(
      'pass verdict.plan_pass',
    );
  });
  it('presence/absence: one unit present fails', () => {
    const v = evaluateLimit(salmonella, ['absent', 'present', 'absent', 'absent', 'absent']);
    expect(brief(v)).toBe('fail verdict.plan_too_many_present');
    expect(v.details).toMatchObject({ unitsAboveSmallM: '2', portion: '25 g' });
  });
  it('Cronobacter n=3 c=0 m=0/100 g as a numeric 2-class plan: any count fails', () => {
    const plan: LimitSpec = { kind: 'sampling_plan', n: 3, c: 0, m: '0' };
    expect(evaluateLimit(plan, ['0', 'absent', 'ND']).verdict).toBe('pass');
    expect(evaluateLimit(plan, ['0', 'present', 'ND']).verdict).toBe('fail');
  });
  it('wrong number of units, bad unit results and bad plans are invalid', () => {
    expect(evaluateLimit(apc, ['1', '2', '3', '4']).reason).toBe('verdict.unit_count_mismatch');
    expect(evaluateLimit(apc, '5').reason).toBe('verdict.unit_count_mismatch');
    expect(evaluateLimit(apc, ['1', '2', '3', '4', 'lots']).reason).toBe('verdict.invalid_result');
    expect(evaluateLimit(apc, ['1', '2', '3', '4', '-5']).reason).toBe('verdict.invalid_result');
    expect(evaluateLimit({ ...apc, M: '100' } as LimitSpec, ['1', '2', '3', '4', '5']).reason).toBe(
      'verdict.invalid_limit',
    );
    expect(evaluateLimit({ ...apc, c: 6 } as LimitSpec, ['1', '2', '3', '4', '5']).reason).toBe(
      'verdict.invalid_limit',
    );
    expect(evaluateLimit({ ...apc, n: 0 } as LimitSpec, []).reason).toBe('verdict.invalid_limit');
  });
  it('a qualitative "present" against a positive m cannot be judged', () => {
    expect(brief(evaluateLimit(entero, ['present', '0', '0', '0', '0']))).toBe('invalid verdict.inconclusive');
  });
});

// ---------------------------------------------------------------------------------------

const lab = fc
  .tuple(fc.integer({ min: -99999, max: 99999 }), fc.integer({ min: 0, max: 4 }))
  .map(([units, d]) => new Decimal(units).dividedBy(10 ** d).toFixed(d));

describe('comparison properties', () => {
  it("rounded-value comparison = full-value comparison of the value rounded to the limit's digits", () => {
    fc.assert(
      fc.property(
        lab,
        lab,
        fc.constantFrom('minimum', 'maximum', 'equals'),
        fc.boolean(),
        (x, limitValue, kind, inclusive) => {
          const limit: LimitSpec =
            kind === 'minimum'
              ? { kind, min: limitValue, inclusive }
              : kind === 'maximum'
                ? { kind, max: limitValue, inclusive }
                : { kind, value: limitValue };
          const decimals = limitValue.includes('.') ? (limitValue.split('.')[1] ?? '').length : 0;
          const r = roundToDecimals(x, decimals);
          if (!r.ok) throw new Error('setup');
          const viaRounded = evaluateLimit(limit, x, rounded);
          const viaFull = evaluateLimit(limit, r.value.value, full);
          expect(viaRounded.verdict).toBe(viaFull.verdict);
          expect(viaRounded.reason).toBe(viaFull.reason);
        },
      ),
    );
  });

  it('full-value comparison agrees with decimal.js ordering', () => {
    fc.assert(
      fc.property(lab, lab, lab, (x, a, b) => {
        const [min, max] = new Decimal(a).lessThanOrEqualTo(b) ? [a, b] : [b, a];
        const v = evaluateLimit({ kind: 'range', min, max }, x);
        const inside = new Decimal(x).greaterThanOrEqualTo(min) && new Decimal(x).lessThanOrEqualTo(max);
        expect(v.verdict).toBe(inside ? 'pass' : 'fail');
      }),
    );
  });

  it('a sampling-plan verdict does not depend on the order of the units', () => {
    const unit = fc.oneof(fc.integer({ min: 0, max: 20000 }).map(String), fc.constantFrom('ND', '<10'));
    fc.assert(
      fc.property(fc.array(unit, { minLength: 5, maxLength: 5 }), (units) => {
        const plan: LimitSpec = { kind: 'sampling_plan', n: 5, c: 2, m: '1000', M: '10000' };
        const forward = evaluateLimit(plan, units);
        const backward = evaluateLimit(plan, [...units].reverse());
        expect(backward.verdict).toBe(forward.verdict);
        const counts = units.map((u) => (u === 'ND' || u === '<10' ? 0 : Number(u)));
        const expected = counts.some((n) => n > 10000) || counts.filter((n) => n > 1000).length > 2 ? 'fail' : 'pass';
        expect(forward.verdict).toBe(expected);
      }),
    );
  });
});
