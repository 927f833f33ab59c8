import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMeasured, entryOrder, type TestItem } from '../../src/shared/rules';
import { belowReportingStep } from '../../src/shared/rules/reporting';

function item(p: Partial<TestItem> & { code: string }): TestItem {
  return {
    name_zh: p.code,
    name_en: p.code,
    group: 'macronutrients',
    method_code: null,
    unit: 'g',
    basis: 'per_100g',
    limit_form: 'report_only',
    min: null,
    max: null,
    target: null,
    lod: null,
    n: null,
    c: null,
    m: null,
    big_m: null,
    precision: null,
    comparison: 'full_value',
    formula: null,
    required_for_release: true,
    in_house_only: true,
    ...p,
  };
}

describe('the entry grid’s rules (issue 22 §7)', () => {
  it('a value that rounds to zero is reported below the reporting step, never as 0', () => {
    const melamine = item({ code: 'melamine', unit: 'mg/kg', basis: 'per_kg', limit_form: 'maximum', max: '1', precision: 0 });
    const r = computeMeasured(melamine, { replicates: ['0.1'] }, {});
    expect(r.reported).toBe('<1');
    expect(r.verdict).toBe('pass');
    expect(computeMeasured({ ...melamine, precision: 1 }, { replicates: ['0.04'] }, {}).reported).toBe('<0.1');
    expect(computeMeasured({ ...melamine, precision: 1 }, { replicates: ['0.06'] }, {}).reported).toBe('0.1');
    expect(computeMeasured(melamine, { replicates: ['0'] }, {}).reported).toBe('0');
  });

  it('below-step reports are true of every value that rounds to zero (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 49_999 }), (decimals, n) => {
        // Every positive value under half a step: 0.(d zeros)00001 … 0.(d zeros)49999.
        const measured = `0.${'0'.repeat(decimals)}${String(n).padStart(5, '0')}`;
        const below = belowReportingStep(measured, '0', { kind: 'decimals', decimals });
        expect(below).not.toBeNull();
        expect(Number(measured)).toBeLessThan(Number(below!.slice(1)));
      }),
    );
    expect(belowReportingStep('0.4', '0', { kind: 'interval', interval: '5' })).toBe('<5');
    expect(belowReportingStep('2', '2', { kind: 'decimals', decimals: 0 })).toBeNull();
  });

  it('typed inputs others depend on come before them; everything else keeps the plan order', () => {
    const rows = [
      item({ code: 'protein', basis: 'per_100kj' }),
      item({ code: 'fat', basis: 'per_100kj' }),
      item({ code: 'energy', unit: 'kJ', basis: 'per_100ml', formula: '17 * protein + 37 * fat' }),
      item({ code: 'vit_a', unit: 'µg RE', basis: 'per_100ml' }),
      item({ code: 'moisture' }),
      item({ code: 'reconstitution', unit: 'g/100 mL', basis: 'ratio' }),
    ].map((i) => ({ item: i }));
    expect(entryOrder(rows).map((r) => r.item.code)).toEqual(['protein', 'fat', 'reconstitution', 'energy', 'vit_a', 'moisture']);
  });

  it('entryOrder is a permutation, and a row never precedes a typed input it needs (fast-check)', () => {
    const codes = ['a', 'b', 'c', 'd', 'e', 'reconstitution'];
    fc.assert(
      fc.property(
        fc.shuffledSubarray(codes, { minLength: 1 }),
        fc.array(fc.tuple(fc.constantFrom(...codes), fc.constantFrom(...codes)), { maxLength: 6 }),
        (order, edges) => {
          const rows = order.map((code) => {
            const deps = edges.filter(([from, to]) => from === code && to !== code).map(([, to]) => to);
            return { item: item({ code, formula: deps.length ? deps.join(' + ') : null }) };
          });
          const out = entryOrder(rows);
          expect(out).toHaveLength(rows.length);
          expect(new Set(out)).toEqual(new Set(rows));
          const at = new Map(out.map((r, i) => [r.item.code, i]));
          for (const r of out)
            for (const dep of (r.item.formula ?? '').split(' + ').filter(Boolean)) {
              const d = rows.find((x) => x.item.code === dep);
              if (d && !d.item.formula) expect(at.get(dep)!).toBeLessThan(at.get(r.item.code)!);
            }
        },
      ),
    );
  });
});
