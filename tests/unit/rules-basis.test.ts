/**
 * Basis conversion and energy (reference-data §1.1 [S]); carbohydrate by difference
 * (reference-data §1.4, definition [U]).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import Decimal from 'decimal.js';
import {
  CARBOHYDRATE_BY_DIFFERENCE_FORMULA,
  ENERGY_FORMULA,
  carbohydrateByDifference,
  energyKJPer100g,
  evaluateFormula,
  kJToKcal,
  kcalToKJ,
  per100gToPer100kJ,
  per100gToPer100mL,
  per100kJToPer100g,
  per100kJToPer100kcal,
  per100kcalToPer100kJ,
  per100mLToPer100g,
  roundToDecimals,
  type BasisResult,
} from '../../src/shared/rules';

const v = (r: BasisResult): string => {
  if (!r.ok) throw new Error(`refused: ${r.error.code}`);
  return r.value;
};
const err = (r: BasisResult): string => (r.ok ? 'ok' : r.error.code);

describe('energy, reference-data §1.1 [S]: 17·protein + 37·fat + 17·carbohydrate + 8·fibre kJ/100 g', () => {
  it('protein 10.5, fat 26.0, carbohydrate 56.5, fibre 1.0 g/100 g → 2109 kJ/100 g', () => {
    // 178.5 + 962.0 + 960.5 + 8.0
    expect(v(energyKJPer100g({ protein: '10.5', fat: '26.0', carbohydrate: '56.5', fibre: '1.0' }))).toBe('2109');
  });
  it('fibre is optional', () => {
    expect(v(energyKJPer100g({ protein: '10.5', fat: '26.0', carbohydrate: '56.5' }))).toBe('2101');
  });
  it('kcal = kJ / 4.184: 418.4 kJ is 100 kcal; 2109 kJ is 504.06… kcal', () => {
    expect(v(kJToKcal('418.4'))).toBe('100');
    expect(v(kcalToKJ('100'))).toBe('418.4');
    const kcal = v(kJToKcal('2109'));
    expect(kcal.startsWith('504.0630975143403441682600382409177820267686424474')).toBe(true);
    expect(roundToDecimals(kcal, 0)).toMatchObject({ ok: true, value: { value: '504' } });
  });
  it('the energy formula text for spec packs gives the same result', () => {
    const values = { protein: '10.5', fat: '26.0', carbohydrate: '56.5', fibre: '1.0' };
    expect(evaluateFormula(ENERGY_FORMULA, values)).toEqual({ ok: true, value: v(energyKJPer100g(values)) });
  });
  it('refuses negative or malformed inputs with the field named', () => {
    const r = energyKJPer100g({ protein: '-1', fat: '26', carbohydrate: '56' });
    expect(r.ok ? null : r.error).toMatchObject({ code: 'negative_value', details: { field: 'protein' } });
    const bad = energyKJPer100g({ protein: '10', fat: '2,6', carbohydrate: '56' });
    expect(bad.ok ? null : bad.error).toMatchObject({
      code: 'invalid_value',
      messageKey: 'basis.invalid_value',
      details: { field: 'fat', cause: 'decimal.decimal_comma' },
    });
  });
});

describe('per 100 g → per 100 kJ: value ÷ (energy ÷ 100), reference-data §1.1 [S]', () => {
  it('protein 10.5 g/100 g at 2100 kJ/100 g → 0.5 g/100 kJ', () => {
    expect(v(per100gToPer100kJ('10.5', '2100'))).toBe('0.5');
  });
  it('vitamin C 60 mg/100 g at 2000 kJ/100 g → 3 mg/100 kJ', () => {
    expect(v(per100gToPer100kJ('60', '2000'))).toBe('3');
  });
  it('a quotient that does not terminate is kept unrounded (50 digits) and rounded once by the caller', () => {
    const raw = v(per100gToPer100kJ('2.4', '2135'));
    const D50 = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_EVEN });
    expect(raw).toBe(new D50('2.4').dividedBy('21.35').toFixed());
    expect(raw.replace(/^0\.0*/, '').length).toBe(50);
    expect(roundToDecimals(raw, 3)).toMatchObject({ ok: true, value: { value: '0.112' } });
  });
  it('the inverse returns per 100 g', () => {
    expect(v(per100kJToPer100g('0.5', '2100'))).toBe('10.5');
  });
  it('zero, negative or malformed energy is refused', () => {
    expect(err(per100gToPer100kJ('10', '0'))).toBe('not_positive');
    expect(err(per100gToPer100kJ('10', '-2100'))).toBe('not_positive');
    expect(err(per100gToPer100kJ('10', 'abc'))).toBe('invalid_value');
    expect(err(per100gToPer100kJ('', '2100'))).toBe('invalid_value');
  });
});

describe('per 100 kJ ↔ per 100 kcal (× 4.184, exact)', () => {
  it('0.5 g/100 kJ → 2.092 g/100 kcal, and back', () => {
    expect(v(per100kJToPer100kcal('0.5'))).toBe('2.092');
    expect(v(per100kcalToPer100kJ('2.092'))).toBe('0.5');
  });
  it('GB 10765 protein 0.43–0.72 g/100 kJ is 1.79912–3.01248 g/100 kcal', () => {
    expect(v(per100kJToPer100kcal('0.43'))).toBe('1.79912');
    expect(v(per100kJToPer100kcal('0.72'))).toBe('3.01248');
  });
});

describe('per 100 g ↔ per 100 mL with a reconstitution factor (g product per 100 mL as fed)', () => {
  it('2100 kJ/100 g powder at 13.5 g/100 mL → 283.5 kJ/100 mL (GB 10765 range 250–295 [S])', () => {
    expect(v(per100gToPer100mL('2100', '13.5'))).toBe('283.5');
    expect(v(per100mLToPer100g('283.5', '13.5'))).toBe('2100');
  });
  it('a liquid of density 1.03 g/mL: factor 103', () => {
    expect(v(per100gToPer100mL('1.20', '103'))).toBe('1.236');
  });
  it('a zero factor is refused', () => {
    expect(err(per100mLToPer100g('10', '0'))).toBe('not_positive');
  });
});

describe('carbohydrate by difference [U]: 100 − moisture − protein − fat − ash [− fibre]', () => {
  const input = { moisture: '2.5', protein: '10.5', fat: '26.0', ash: '2.0' };
  it('without fibre: 100 − 2.5 − 10.5 − 26.0 − 2.0 = 59', () => {
    expect(v(carbohydrateByDifference(input))).toBe('59');
  });
  it('with fibre 1.0: 58', () => {
    expect(v(carbohydrateByDifference({ ...input, fibre: '1.0' }))).toBe('58');
  });
  it('matches the formula text for spec packs', () => {
    const values = { ...input, fibre: '1.0' };
    expect(evaluateFormula(CARBOHYDRATE_BY_DIFFERENCE_FORMULA, values)).toEqual({
      ok: true,
      value: v(carbohydrateByDifference(values)),
    });
  });
  it('inconsistent inputs (sum above 100) are refused, not reported as a negative carbohydrate', () => {
    const r = carbohydrateByDifference({ moisture: '50', protein: '30', fat: '30', ash: '2' });
    expect(r.ok ? null : r.error).toMatchObject({ code: 'negative_carbohydrate', details: { value: '-12' } });
  });
});

describe('basis properties', () => {
  const amount = fc
    .tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 4 }))
    .map(([u, d]) => new Decimal(u).dividedBy(10 ** d).toFixed(d));
  const positive = fc
    .tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 3 }))
    .map(([u, d]) => new Decimal(u).dividedBy(10 ** d).toFixed(d));

  it('per 100 kJ → per 100 kcal → per 100 kJ is exact', () => {
    fc.assert(
      fc.property(amount, (x) => {
        expect(new Decimal(v(per100kcalToPer100kJ(v(per100kJToPer100kcal(x))))).equals(x)).toBe(true);
      }),
    );
  });

  it('per 100 g → per 100 kJ → per 100 g returns the value to 40 significant digits', () => {
    fc.assert(
      fc.property(amount, positive, (x, energy) => {
        const back = new Decimal(v(per100kJToPer100g(v(per100gToPer100kJ(x, energy)), energy)));
        expect(back.minus(x).abs().lessThanOrEqualTo(new Decimal(x).abs().times('1e-40'))).toBe(true);
      }),
    );
  });

  it('per 100 g → per 100 mL → per 100 g returns the value to 40 significant digits', () => {
    fc.assert(
      fc.property(amount, positive, (x, factor) => {
        const back = new Decimal(v(per100mLToPer100g(v(per100gToPer100mL(x, factor)), factor)));
        expect(back.minus(x).abs().lessThanOrEqualTo(new Decimal(x).abs().times('1e-40'))).toBe(true);
      }),
    );
  });
});
