/**
 * Reported as the standards print them (issue 20 §2): reporting rules (decimals, GB/T 8170
 * interval, significant figures, the GB 4789.2 colony-count rule), micro notation at entry,
 * the unit with its basis, and what an item takes at entry. Unit examples plus fast-check
 * properties over the whole input space.
 */
import fc from 'fast-check';
import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { specItem } from '../fixtures/plant/spec';
import type { SpecItem } from '../../src/shared/catalog/spec-schema';
import {
  acceptsMicroNotation,
  applyReportingRule,
  colonyCount,
  computeCalculated,
  computeMeasured,
  entryProblem,
  formatReported,
  normalizeEntry,
  parseDecimal,
  parseMicroNotation,
  reportedWithUnit,
  reportingRuleOf,
  roundDecimal,
  unitWithBasis,
  type ReportingRule,
  type TestItem,
} from '../../src/shared/rules';

const D = Decimal.clone({ precision: 60 });

function cc(x: string): { value: string; text: string } {
  const p = parseDecimal(x);
  if (!p.ok) throw new Error(x);
  const r = colonyCount(p.value);
  if (!r.ok) throw new Error(r.error.code);
  return { value: r.value.value, text: formatReported(r.value.value, { kind: 'colony_count' }) };
}

function rule(value: string, r: ReportingRule): string {
  const out = applyReportingRule(value, r);
  if (!out.ok) throw new Error(out.error.code);
  return out.value.value;
}

/** A plant specification item (tests/fixtures/plant), measured per 100 g unless said otherwise. */
const item = (over: Partial<TestItem> & { code: string }): TestItem =>
  specItem({ basis: 'per_100g', ...(over as Partial<SpecItem> & { code: string }) });

const APC = item({
  code: 'apc',
  group: 'microbiology',
  method_code: 'GB 4789.2',
  unit: 'CFU/g',
  basis: 'per_g',
  limit_form: 'sampling_plan',
  n: 5,
  c: 2,
  m: '1000',
  big_m: '10000',
  precision: null,
  reporting: { kind: 'colony_count' },
});
const SALMONELLA = item({
  code: 'salmonella',
  group: 'microbiology',
  method_code: 'GB 4789.4',
  unit: 'per 25 g',
  basis: 'per_25g',
  limit_form: 'sampling_plan',
  n: 5,
  c: 0,
  m: '0',
  precision: null,
});
const PROTEIN = item({ code: 'protein', basis: 'per_100kj', method_code: 'GB 5009.5', min: '0.43', max: '0.72' });

describe('GB 4789.2 colony-count rule', () => {
  it('reports below 100 as a whole number, rounded half up (四舍五入)', () => {
    expect(cc('0').value).toBe('0');
    expect(cc('12.5').value).toBe('13');
    expect(cc('12.49').value).toBe('12');
    expect(cc('99.4').text).toBe('99');
  });
  it('from 100 on keeps two significant figures, written a.b × 10ⁿ [S2 examples]', () => {
    expect(cc('16400')).toEqual({ value: '16000', text: '1.6 × 10⁴' });
    expect(cc('37750')).toEqual({ value: '38000', text: '3.8 × 10⁴' });
    expect(cc('313000')).toEqual({ value: '310000', text: '3.1 × 10⁵' });
    expect(cc('270').text).toBe('2.7 × 10²');
    expect(cc('100').text).toBe('1.0 × 10²');
  });
  it('rounds the third digit half up, not to even as GB/T 8170 would', () => {
    expect(cc('2450').value).toBe('2500');
    expect(rule('2450', { kind: 'figures', figures: 2 })).toBe('2400');
    expect(cc('2449').value).toBe('2400');
    expect(cc('225').value).toBe('230');
  });
  it('carries into a new power of ten once (99.5 → 1.0 × 10², 9950 → 1.0 × 10⁴)', () => {
    expect(cc('99.5').text).toBe('1.0 × 10²');
    expect(cc('9950').text).toBe('1.0 × 10⁴');
    expect(cc('999999').text).toBe('1.0 × 10⁶');
  });
  it('refuses a negative count', () => {
    const p = parseDecimal('-5');
    expect(p.ok && colonyCount(p.value).ok).toBe(false);
  });

  it('property: two significant figures, within half a unit of the second digit, half up, monotone', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 100n, max: 10n ** 15n }), fc.integer({ min: 0, max: 3 }), (n, scale) => {
        const x = new D(n.toString()).div(10 ** scale);
        if (x.lt(100)) return;
        const text = x.toFixed(scale);
        const got = new D(cc(text).value);
        const lead = x.abs().floor().toString().length - 1;
        const unit = new D(10).pow(lead - 1);
        // Exactly the nearest multiple of 10^(lead−1), ties up (or the carry to the next power).
        const expected = x.div(unit).plus('0.5').floor().times(unit);
        expect(got.eq(expected)).toBe(true);
        expect(got.div(unit.times(got.gte(new D(10).pow(lead + 1)) ? 10 : 1)).isInteger()).toBe(true);
      }),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(new D(cc(String(lo)).value).lte(new D(cc(String(hi)).value))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('property: what is printed reads back as the reported value (a.b × 10ⁿ)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 2_000_000_000 }), (n) => {
        const { value, text } = cc(String(n));
        expect(parseMicroNotation(text)).toBe(value);
      }),
      { numRuns: 300 },
    );
  });
});

describe('reporting rules', () => {
  it('decimals, interval and figures are GB/T 8170 (rounding.ts), applied once', () => {
    expect(rule('1.2', { kind: 'decimals', decimals: 2 })).toBe('1.20');
    expect(rule('60.25', { kind: 'interval', interval: '0.5' })).toBe('60.0');
    expect(rule('60.26', { kind: 'interval', interval: '0.5' })).toBe('60.5');
    expect(rule('1268', { kind: 'interval', interval: '100' })).toBe('1300');
    expect(rule('8.53459', { kind: 'figures', figures: 3 })).toBe('8.53');
  });
  it('an item without a rule reports its precision decimals; a rule wins over precision', () => {
    expect(reportingRuleOf({ precision: 2 })).toEqual({ kind: 'decimals', decimals: 2 });
    expect(reportingRuleOf({ precision: null })).toBeNull();
    expect(reportingRuleOf({ precision: 0, reporting: { kind: 'colony_count' } })).toEqual({ kind: 'colony_count' });
  });
  it('property: decimals / interval / figures equal roundDecimal on any decimal', () => {
    const decimal = fc
      .tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 0, max: 6 }))
      .map(([c, s]) => new D(c.toString()).div(10 ** s).toFixed(s));
    fc.assert(
      fc.property(
        decimal,
        fc.integer({ min: 0, max: 5 }),
        fc.constantFrom('0.5', '0.2', '0.05', '2', '5', '20', '100'),
        fc.integer({ min: 1, max: 6 }),
        (x, d, interval, figures) => {
          const ref = (r: ReturnType<typeof roundDecimal>) => (r.ok ? r.value.value : null);
          expect(rule(x, { kind: 'decimals', decimals: d })).toBe(ref(roundDecimal(x, { decimals: d })));
          expect(rule(x, { kind: 'interval', interval })).toBe(ref(roundDecimal(x, { interval })));
          expect(rule(x, { kind: 'figures', figures })).toBe(ref(roundDecimal(x, { significantFigures: figures })));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('micro notation at entry', () => {
  it('reads 2.1E6, 2.1×10^6, 2.1×10⁶ and their variants as 2100000', () => {
    for (const t of [
      '2.1E6',
      '2.1e6',
      '2.1E+6',
      '2.1×10^6',
      '2.1×10⁶',
      '2.1 × 10⁶',
      '2.1 x 10^6',
      '2.1X10^6',
      '21×10⁵',
    ])
      expect(parseMicroNotation(t), t).toBe('2100000');
    expect(parseMicroNotation('1.23E2')).toBe('123');
    expect(parseMicroNotation('2.5×10⁻¹')).toBe('0.25');
    expect(parseMicroNotation('<1×10¹')).toBe('<10');
    expect(parseMicroNotation('<1.0×10^1')).toBe('<10');
    expect(parseMicroNotation('＜1×10²')).toBe('<100');
  });
  it('is not a number in any other form', () => {
    for (const t of ['2.1', '2,1E6', '2.1E', 'E6', '2.1×10', '2.1×11^6', '-2.1E6', '2.1E600', 'abc', ''])
      expect(parseMicroNotation(t), t).toBeNull();
  });
  it('property: E, ^ and superscript forms state the same exact decimal as mantissa × 10^n', () => {
    const sup = (n: number) =>
      String(n)
        .split('')
        .map((c) => ({ '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' })[c])
        .join('');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99_999 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: -6, max: 12 }),
        (c, s, e) => {
          const m = new D(c).div(10 ** s).toFixed(s);
          const expected = new D(m).times(new D(10).pow(e));
          const forms = [`${m}E${e}`, `${m}×10^${e}`, `${m}×10${sup(e)}`];
          for (const f of forms) {
            const got = parseMicroNotation(f);
            expect(got, f).not.toBeNull();
            expect(new D(got!).eq(expected), f).toBe(true);
            expect(parseDecimal(got!).ok, f).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('what an item takes at entry', () => {
  it('counts take micro notation and <10; presence/absence plans take words, never counts', () => {
    expect(acceptsMicroNotation(APC)).toBe(true);
    expect(acceptsMicroNotation(SALMONELLA)).toBe(false);
    expect(acceptsMicroNotation(PROTEIN)).toBe(false);
    expect(normalizeEntry(APC, '2.1×10⁶')).toBe('2100000');
    expect(normalizeEntry(APC, '<10')).toBe('<10');
    expect(normalizeEntry(APC, '未检出')).toBe('ND');
    expect(normalizeEntry(SALMONELLA, '未检出')).toBe('absent');
    expect(normalizeEntry(SALMONELLA, '阴性')).toBe('absent');
    expect(normalizeEntry(SALMONELLA, '阳性')).toBe('present');
    expect(normalizeEntry(SALMONELLA, '疑似阳性')).toBe('presumptive');
    // Chemistry keeps the strict grammar: no exponent.
    expect(normalizeEntry(PROTEIN, '1.2E1')).toBe('1.2E1');
    expect(entryProblem(PROTEIN, '1.2E1', { presumptive: false })).toBe('format');
    expect(entryProblem(APC, 'absent', { presumptive: false })).toBe('qualitative');
    expect(entryProblem(SALMONELLA, 'presumptive', { presumptive: true })).toBeNull();
    expect(entryProblem(SALMONELLA, 'presumptive', { presumptive: false })).toBe('presumptive');
    expect(entryProblem(SALMONELLA, '12', { presumptive: true })).toBeNull(); // a count of 12 is present
    expect(entryProblem(PROTEIN, 'ND', { presumptive: false })).toBeNull();
  });
});

describe('ratios and counts computed with their own rules', () => {
  it('ARA/DHA to one decimal: 2.4 is reported 2.4 (and fails 1–2), never "2"', () => {
    const ratio = item({
      code: 'ara_dha',
      basis: 'ratio',
      unit: '',
      min: '1',
      max: '2',
      precision: 1,
      formula: 'ara / dha',
    });
    const c = computeCalculated(ratio, { ara: '9.6', dha: '4.0' });
    expect([c.reported, c.verdict]).toEqual(['2.4', 'fail']);
    const ok = computeCalculated(ratio, { ara: '7.6', dha: '4.0' });
    expect([ok.reported, ok.verdict]).toEqual(['1.9', 'pass']);
  });
  it('a plate count plan reports the highest unit by GB 4789.2 and judges as the item says', () => {
    const full = computeMeasured(APC, { unitValues: ['100', '1049', '1500', '<10', '500'] });
    expect(full.reported).toBe('1500');
    expect(formatReported(full.reported!, APC.reporting)).toBe('1.5 × 10³');
    expect(full.verdict).toBe('pass'); // two units above m = 1000, c = 2
    const three = ['1049', '1020', '1500', '<10', '500'];
    // Full value: three units above 1000 → fail; rounded (1.0 × 10³, 1.0 × 10³, 1.5 × 10³): one above → pass.
    expect(computeMeasured(APC, { unitValues: three }).verdict).toBe('fail');
    expect(computeMeasured({ ...APC, comparison: 'rounded_value' }, { unitValues: three }).verdict).toBe('pass');
  });
  it('a presumptive positive unit waits for confirmation (no verdict)', () => {
    const r = computeMeasured(SALMONELLA, { unitValues: ['absent', 'presumptive', 'absent', 'absent', 'absent'] });
    expect([r.verdict, r.reason, r.reported]).toEqual([null, 'testing.awaiting_confirmation', 'presumptive (1/5)']);
  });
});

describe('the unit with its basis', () => {
  it.each([
    ['g', 'per_100kj', 'g/100 kJ'],
    ['µg RE', 'per_100kj', 'µg RE/100 kJ'],
    ['g', 'per_100kcal', 'g/100 kcal'],
    ['kJ', 'per_100ml', 'kJ/100 mL'],
    ['g/100g', 'per_100g', 'g/100 g'],
    ['mg/kg', 'per_kg', 'mg/kg'],
    ['CFU/g', 'per_g', 'CFU/g'],
    ['per 25 g', 'per_25g', '/25 g'],
    ['per 100 g', 'per_100g', '/100 g'],
    ['', 'ratio', ''],
    ['°C', 'as_is', '°C'],
  ])('%s %s → %s', (unit, basis, out) => {
    expect(unitWithBasis(unit, basis)).toBe(out);
  });
  it('prints a result with its basis', () => {
    expect(reportedWithUnit('0.53', PROTEIN)).toBe('0.53 g/100 kJ');
    expect(
      reportedWithUnit('24000', {
        unit: 'CFU/g',
        basis: 'per_g',
        precision: null,
        reporting: { kind: 'colony_count' },
      }),
    ).toBe('2.4 × 10⁴ CFU/g');
  });
});
