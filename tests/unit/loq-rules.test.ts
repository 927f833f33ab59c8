import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMeasured, type TestItem } from '../../src/shared/rules';
import { compareParsed, parseDecimal } from '../../src/shared/rules/decimal';
import { belowLimitOfQuantification } from '../../src/shared/rules/reporting';
import { specItemSchema } from '../../src/shared/catalog/spec-schema';

/**
 * A specification item's limit of quantification (定量限, issue 22 §7, D-088): a measured value
 * below it is reported "<LOQ"; the verdict stays the rounded value's (GB/T 8170, D-082).
 */
function item(p: Partial<TestItem> & { code: string }): TestItem {
  return {
    name_zh: p.code,
    name_en: p.code,
    group: 'contaminants',
    method_code: null,
    unit: 'mg',
    basis: 'per_kg',
    limit_form: 'maximum',
    min: null,
    max: '1',
    target: null,
    lod: null,
    n: null,
    c: null,
    m: null,
    big_m: null,
    precision: 2,
    comparison: 'full_value',
    formula: null,
    required_for_release: true,
    in_house_only: false,
    ...p,
  };
}

const cmp = (a: string, b: string) => {
  const pa = parseDecimal(a);
  const pb = parseDecimal(b);
  if (!pa.ok || !pb.ok) throw new Error(`not decimals: ${a}, ${b}`);
  return compareParsed(pa.value, pb.value);
};

/** A non-negative decimal string with up to 4 decimals ("0", "0.04", "12.5000"). */
const decimal = fc
  .tuple(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 9_999 }))
  .map(([whole, digits, frac]) =>
    digits === 0 ? String(whole) : `${whole}.${String(frac % 10 ** digits).padStart(digits, '0')}`,
  );

describe('limit of quantification (D-088)', () => {
  it('melamine with a 0.1 mg/kg LOQ: 0.04 prints "<0.1", 0.1 and above as measured; the verdict is the rounded value’s', () => {
    const melamine = item({ code: 'melamine', loq: '0.1' });
    const low = computeMeasured(melamine, { replicates: ['0.04'] }, {});
    expect(low.reported).toBe('<0.1');
    expect(low.verdict).toBe('pass');
    expect(computeMeasured(melamine, { replicates: ['0.1'] }, {}).reported).toBe('0.10');
    expect(computeMeasured(melamine, { replicates: ['0.15'] }, {}).reported).toBe('0.15');
    // Below the LOQ wins over below the step: 0.004 at 2 decimals would be "<0.01", but it is below the LOQ.
    expect(computeMeasured(melamine, { replicates: ['0.004'] }, {}).reported).toBe('<0.1');
    // Without an LOQ the report is what D-082 made it.
    expect(computeMeasured(item({ code: 'melamine' }), { replicates: ['0.04'] }, {}).reported).toBe('0.04');
    // A value below the LOQ that fails its limit still fails (LOQ above the limit is refused by the spec rules).
    const lead = item({ code: 'pb', max: '0.02', loq: '0.05', precision: 3 });
    const r = computeMeasured(lead, { replicates: ['0.03'] }, {});
    expect(r.reported).toBe('<0.05');
    expect(r.verdict).toBe('fail');
    // A typed censored result stands as typed.
    expect(computeMeasured(melamine, { replicates: ['<0.05'] }, {}).reported).toBe('<0.05');
  });

  it('below the LOQ exactly when the measured value is under it (fast-check)', () => {
    fc.assert(
      fc.property(decimal, decimal, (measured, loq) => {
        const below = belowLimitOfQuantification(measured, loq);
        if (cmp(measured, loq) < 0) expect(below).toBe(`<${loq}`);
        else expect(below).toBeNull();
      }),
    );
  });

  it('the LOQ changes only the report: verdict and reason are those without it, and the report is "<LOQ" or unchanged (fast-check)', () => {
    fc.assert(
      fc.property(
        decimal,
        decimal,
        decimal,
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom('full_value', 'rounded_value'),
        (measured, loq, max, precision, comparison) => {
          const base = item({ code: 'x', max, precision, comparison });
          const without = computeMeasured(base, { replicates: [measured] }, {});
          const withLoq = computeMeasured({ ...base, loq }, { replicates: [measured] }, {});
          expect(withLoq.verdict).toBe(without.verdict);
          expect(withLoq.reason).toBe(without.reason);
          if (cmp(measured, loq) < 0) expect(withLoq.reported).toBe(`<${loq}`);
          else expect(withLoq.reported).toBe(without.reported);
        },
      ),
    );
  });

  it('the spec document accepts an item with or without an LOQ, and refuses a negative or malformed one', () => {
    const base = {
      code: 'melamine',
      name_zh: '三聚氰胺',
      name_en: 'Melamine',
      group: 'contaminants',
      method_code: 'GB/T 22388',
      unit: 'mg',
      basis: 'per_kg',
      limit_form: 'maximum',
      min: null,
      max: '1',
      target: null,
      lod: null,
      n: null,
      c: null,
      m: null,
      big_m: null,
      precision: 2,
      comparison: 'full_value',
      required_for_release: true,
      in_house_only: false,
      frequency: 'every_lot',
      frequency_n: null,
      period_days: null,
      formula: null,
      clause: null,
      source: null,
      verification: 'plant',
      note: null,
    };
    expect(specItemSchema.safeParse(base).success).toBe(true);
    expect(specItemSchema.safeParse({ ...base, loq: '0.1' }).success).toBe(true);
    expect(specItemSchema.safeParse({ ...base, loq: null }).success).toBe(true);
    expect(specItemSchema.safeParse({ ...base, loq: '-0.1' }).success).toBe(false);
    expect(specItemSchema.safeParse({ ...base, loq: '0,1' }).success).toBe(false);
  });
});
