/**
 * Basis conversion and the calculated items every IMF specification needs.
 *
 * reference-data.md §1.1 [S]: GB 10765/10766/10767-2021 express limits per 100 kJ (per
 * 100 kcal in brackets); the energy factors are protein 17, fat 37, carbohydrate 17 kJ/g
 * and dietary fibre 8 kJ/g; kcal = kJ / 4.184. A powder result in g or mg per 100 g is
 * compared with a per-100 kJ limit as
 *
 *     value_per_100kJ = value_per_100g / (energy_kJ_per_100g / 100)
 *     energy_kJ_per_100g = 17·protein + 37·fat + 17·carbohydrate (+ 8·fibre)
 *
 * Carbohydrate "by difference" is listed in §1.4 as "calculated by difference / GB 5009.8
 * (sugars)" with status [U]: its exact definition is not sourced. This module uses the
 * conventional 100 − moisture − protein − fat − ash, minus dietary fibre when a fibre value
 * is given (so fibre is not counted twice in the energy sum). Check against the official
 * GB 10765 text before production use.
 *
 * Every function takes and returns decimal strings and computes with decimal.js. Results
 * are NOT rounded: a quotient such as 2.4 / 21.35 keeps 50 significant digits and the
 * caller rounds once, at the end, to the reporting precision (GB/T 8170-2008 §3.2 rule 6:
 * never round in steps). Additions and multiplications of lab values are exact.
 */
import { LabDecimal, fromLabDecimal, parseDecimal, toLabDecimal } from './decimal';
import { fail, ok, type RuleResult } from './result';

/** 1 kcal = 4.184 kJ (thermochemical calorie), reference-data §1.1 [S]. */
export const KJ_PER_KCAL = '4.184';

/** Energy factors in kJ/g, reference-data §1.1 [S]. */
export const ENERGY_FACTORS_KJ_PER_G = { protein: '17', fat: '37', carbohydrate: '17', fibre: '8' } as const;

/** The same definitions as formulas over item codes, for spec packs (formula.ts syntax). */
export const ENERGY_FORMULA = '17 * protein + 37 * fat + 17 * carbohydrate + 8 * fibre';
export const CARBOHYDRATE_BY_DIFFERENCE_FORMULA = '100 - moisture - protein - fat - ash - fibre';

export const basisErrorCodes = ['invalid_value', 'negative_value', 'not_positive', 'negative_carbohydrate'] as const;
export type BasisErrorCode = (typeof basisErrorCodes)[number];
export type BasisResult = RuleResult<string, BasisErrorCode>;

type Checked = { ok: true; value: LabDecimal } | { ok: false; error: BasisResult & { ok: false } };

function read(field: string, text: string, rule: 'any' | 'non_negative' | 'positive'): Checked {
  const p = parseDecimal(text);
  if (!p.ok) {
    return {
      ok: false,
      error: fail('basis', 'invalid_value', { field, input: String(text), cause: p.error.messageKey }),
    };
  }
  const d = toLabDecimal(p.value);
  if (rule === 'non_negative' && d.isNegative() && !d.isZero()) {
    return { ok: false, error: fail('basis', 'negative_value', { field, input: text }) };
  }
  if (rule === 'positive' && !d.greaterThan(0)) {
    return { ok: false, error: fail('basis', 'not_positive', { field, input: text }) };
  }
  return { ok: true, value: d };
}

/** Energy in kJ/100 g from protein, fat, carbohydrate (and fibre) in g/100 g. */
export function energyKJPer100g(input: {
  readonly protein: string;
  readonly fat: string;
  readonly carbohydrate: string;
  readonly fibre?: string;
}): BasisResult {
  const f = ENERGY_FACTORS_KJ_PER_G;
  const terms: [string, string | undefined, string][] = [
    ['protein', input.protein, f.protein],
    ['fat', input.fat, f.fat],
    ['carbohydrate', input.carbohydrate, f.carbohydrate],
    ['fibre', input.fibre, f.fibre],
  ];
  let sum = new LabDecimal(0);
  for (const [field, text, factor] of terms) {
    if (text === undefined) continue;
    const v = read(field, text, 'non_negative');
    if (!v.ok) return v.error;
    sum = sum.plus(v.value.times(factor));
  }
  return ok(fromLabDecimal(sum));
}

/** kcal from kJ: kJ / 4.184. */
export function kJToKcal(kJ: string): BasisResult {
  const v = read('energy', kJ, 'any');
  return v.ok ? ok(fromLabDecimal(v.value.dividedBy(KJ_PER_KCAL))) : v.error;
}

/** kJ from kcal: kcal × 4.184. */
export function kcalToKJ(kcal: string): BasisResult {
  const v = read('energy', kcal, 'any');
  return v.ok ? ok(fromLabDecimal(v.value.times(KJ_PER_KCAL))) : v.error;
}

/** value per 100 g ÷ (energy kJ per 100 g ÷ 100). */
export function per100gToPer100kJ(value: string, energyKJPer100g: string): BasisResult {
  const v = read('value', value, 'any');
  if (!v.ok) return v.error;
  const e = read('energy', energyKJPer100g, 'positive');
  if (!e.ok) return e.error;
  return ok(fromLabDecimal(v.value.dividedBy(e.value.dividedBy(100))));
}

/** value per 100 kJ × (energy kJ per 100 g ÷ 100). */
export function per100kJToPer100g(value: string, energyKJPer100g: string): BasisResult {
  const v = read('value', value, 'any');
  if (!v.ok) return v.error;
  const e = read('energy', energyKJPer100g, 'positive');
  if (!e.ok) return e.error;
  return ok(fromLabDecimal(v.value.times(e.value).dividedBy(100)));
}

/** Per 100 kcal = per 100 kJ × 4.184 (100 kcal is 418.4 kJ). Exact. */
export function per100kJToPer100kcal(value: string): BasisResult {
  const v = read('value', value, 'any');
  return v.ok ? ok(fromLabDecimal(v.value.times(KJ_PER_KCAL))) : v.error;
}

/** Per 100 kJ = per 100 kcal ÷ 4.184. */
export function per100kcalToPer100kJ(value: string): BasisResult {
  const v = read('value', value, 'any');
  return v.ok ? ok(fromLabDecimal(v.value.dividedBy(KJ_PER_KCAL))) : v.error;
}

/**
 * Per 100 g → per 100 mL of the ready-to-feed product. `gramsPer100mL` is the reconstitution
 * factor: grams of product in 100 mL as fed (e.g. "13.5" for a powder reconstituted at
 * 13.5 g per 100 mL, or "103" for a liquid of density 1.03 g/mL).
 */
export function per100gToPer100mL(value: string, gramsPer100mL: string): BasisResult {
  const v = read('value', value, 'any');
  if (!v.ok) return v.error;
  const g = read('gramsPer100mL', gramsPer100mL, 'positive');
  if (!g.ok) return g.error;
  return ok(fromLabDecimal(v.value.times(g.value).dividedBy(100)));
}

/** Per 100 mL as fed → per 100 g of product; inverse of per100gToPer100mL. */
export function per100mLToPer100g(value: string, gramsPer100mL: string): BasisResult {
  const v = read('value', value, 'any');
  if (!v.ok) return v.error;
  const g = read('gramsPer100mL', gramsPer100mL, 'positive');
  if (!g.ok) return g.error;
  return ok(fromLabDecimal(v.value.times(100).dividedBy(g.value)));
}

/**
 * Carbohydrate by difference, g/100 g: 100 − moisture − protein − fat − ash [− fibre].
 * [U] definition, see the header. A negative result means the inputs are inconsistent and
 * is refused rather than reported.
 */
export function carbohydrateByDifference(input: {
  readonly moisture: string;
  readonly protein: string;
  readonly fat: string;
  readonly ash: string;
  readonly fibre?: string;
}): BasisResult {
  let rest = new LabDecimal(100);
  const fields: [string, string | undefined][] = [
    ['moisture', input.moisture],
    ['protein', input.protein],
    ['fat', input.fat],
    ['ash', input.ash],
    ['fibre', input.fibre],
  ];
  for (const [field, text] of fields) {
    if (text === undefined) continue;
    const v = read(field, text, 'non_negative');
    if (!v.ok) return v.error;
    rest = rest.minus(v.value);
  }
  if (rest.isNegative() && !rest.isZero()) {
    return fail('basis', 'negative_carbohydrate', { value: fromLabDecimal(rest) });
  }
  return ok(fromLabDecimal(rest));
}
