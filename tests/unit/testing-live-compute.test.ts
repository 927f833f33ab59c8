import { describe, expect, it } from 'vitest';
import type { TestItem } from '../../src/shared/rules';
import { testItem } from '../fixtures/plant/items';
import {
  inputCount,
  liveCompute,
  normalizeValue,
  parseClipboard,
  valueAllowed,
  type LiveRow,
} from '../../src/renderer/src/features/testing/live-compute';

/** A plant item (tests/fixtures/plant) in g/100 g, one decimal. */
const item = (p: Partial<TestItem> & Pick<TestItem, 'code'>): TestItem =>
  testItem({ unit: 'g/100 g', precision: 1, ...p });

function row(i: TestItem, replicates: string[] = [], unitValues: string[] = [], status = 'pending'): LiveRow {
  return { id: i.code, itemCode: i.code, status, calculated: !!i.formula, item: i, replicates, unitValues };
}

const protein = item({
  code: 'protein',
  unit: 'g',
  basis: 'per_100kj',
  limit_form: 'range',
  min: '0.43',
  max: '0.72',
  precision: 2,
  method_code: 'GB 5009.5',
});
const fat = item({
  code: 'fat',
  unit: 'g',
  basis: 'per_100kj',
  limit_form: 'range',
  min: '1.05',
  max: '1.43',
  precision: 2,
});
const moisture = item({ code: 'moisture', limit_form: 'maximum', max: '5.0' });
const ash = item({ code: 'ash' });
const carbohydrate = item({ code: 'carbohydrate', formula: '100 - moisture - protein - fat - ash' });
const energy = item({
  code: 'energy',
  unit: 'kJ/100 g',
  limit_form: 'range',
  min: '1850',
  max: '2250',
  precision: 0,
  formula: '17 * protein + 37 * fat + 17 * carbohydrate',
});
const rules = { 'GB 5009.5': { replicates: 2, repeatability: 'relative' as const, limit: '10' } };

describe('entry grid live computation (what the technician sees before saving)', () => {
  it('chains calculated items and converts per 100 kJ with the sample’s energy, as main does', () => {
    const out = liveCompute(
      [
        row(energy),
        row(protein, ['11.52', '11.60']),
        row(fat, ['27.0']),
        row(carbohydrate),
        row(moisture, ['2.5']),
        row(ash, ['2.3']),
      ],
      rules,
    );
    expect(out.get('carbohydrate')).toMatchObject({ reported: '56.6', value: '56.64' });
    expect(out.get('energy')).toMatchObject({ reported: '2158', verdict: 'pass' });
    expect(out.get('protein')).toMatchObject({ value: '11.56', reported: '0.54', verdict: 'pass' });
    expect(out.get('fat')).toMatchObject({ reported: '1.25', verdict: 'pass' });
  });

  it('waits for the energy, and says so, while an input of it is missing', () => {
    const out = liveCompute(
      [row(energy), row(protein, ['11.52', '11.60']), row(fat), row(carbohydrate), row(moisture), row(ash)],
      rules,
    );
    expect(out.get('protein')).toMatchObject({ verdict: null, waitingFor: ['energy'] });
    expect(out.get('energy')?.verdict).toBeNull();
  });

  it('applies the method’s replicate rule: too few determinations or too far apart is invalid', () => {
    expect(liveCompute([row(protein, ['11.52', ''])], rules).get('protein')).toMatchObject({
      verdict: 'invalid',
      reason: 'testing.replicates_required',
    });
    expect(liveCompute([row(protein, ['10.0', '12.0'])], rules).get('protein')).toMatchObject({
      verdict: 'invalid',
      reason: 'testing.repeatability_exceeded',
    });
  });

  it('leaves invalidated results out of calculations', () => {
    const out = liveCompute(
      [row(moisture, ['9.9'], [], 'invalidated'), row(moisture, ['2.5'])].map((r, i) => ({ ...r, id: `m${i}` })),
      {},
    );
    expect(out.has('m0')).toBe(false);
    expect(out.get('m1')?.verdict).toBe('pass');
  });

  it('shows n unit inputs for a sampling plan and the rule’s replicates otherwise', () => {
    const apc = item({
      code: 'apc',
      limit_form: 'sampling_plan',
      n: 5,
      c: 2,
      m: '1000',
      big_m: '10000',
      precision: null,
    });
    expect(inputCount(apc, rules, [])).toBe(5);
    expect(inputCount(protein, rules, [])).toBe(2);
    expect(inputCount(moisture, rules, ['1', '2', '3'])).toBe(3);
  });
});

describe('values typed or pasted', () => {
  it('reads a spreadsheet block as lines of tab-separated cells, without the trailing newline', () => {
    expect(parseClipboard('2.5\r\n2.3\r\n')).toEqual([['2.5'], ['2.3']]);
    expect(parseClipboard('120\t<10\t300\n')).toEqual([['120', '<10', '300']]);
  });

  it('accepts the result forms of the contract and refuses a comma decimal', () => {
    expect(['12.5', 'ND', '<LOD', '<0.5', '-1'].every((v) => valueAllowed(v, false))).toBe(true);
    expect(valueAllowed('2,3', false)).toBe(false);
    expect(valueAllowed('absent', false)).toBe(false);
    expect(valueAllowed('absent', true)).toBe(true);
    expect([normalizeValue(' nd '), normalizeValue('阴性'), normalizeValue('＜10')]).toEqual(['ND', 'absent', '<10']);
  });
});
