import fc from 'fast-check';
import Decimal from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { GB13432_RULE, labelBounds, margins, nearestMargin, parseLabelRule } from '../../src/shared/rules/label-values';

describe('label values (标示值) and margins', () => {
  it('GB 13432 as the plant applies it: not below 80 % of the declared value, no upper bound', () => {
    expect(labelBounds('60', GB13432_RULE)).toEqual({ min: '48', max: null });
    expect(labelBounds('0.52', GB13432_RULE)).toEqual({ min: '0.416', max: null });
    expect(labelBounds('x', GB13432_RULE)).toBeNull();
  });

  it('margins to each side, exact, with the relative margin to one decimal', () => {
    const m = margins('52', { min: '14', max: '36' })!;
    expect(m).toEqual([
      { side: 'min', bound: '14', margin: '38', marginPct: '271.4', ok: true },
      { side: 'max', bound: '36', margin: '-16', marginPct: '-44.4', ok: false },
    ]);
    expect(nearestMargin(m)!.side).toBe('max');
    expect(margins('48', { min: '48', max: null })).toEqual([
      { side: 'min', bound: '48', margin: '0', marginPct: '0.0', ok: true },
    ]);
    expect(margins('<0.5', { min: null, max: '0.5' })).toBeNull();
    expect(margins('0.1', { min: null, max: '0' })![0]!.marginPct).toBeNull();
  });

  it('a stored rule that is malformed judges nothing', () => {
    expect(parseLabelRule({ minPct: '80' })).toEqual({ minPct: '80', maxPct: null });
    expect(parseLabelRule({ minPct: 80, maxPct: 'abc' })).toEqual({ minPct: null, maxPct: null });
    expect(parseLabelRule(null)).toEqual({ minPct: null, maxPct: null });
  });

  const dec = fc
    .tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 4 }))
    .map(([n, s]) => new Decimal(n).dividedBy(new Decimal(10).pow(s)).toFixed());

  it('a value is within the 80 % rule exactly when its margin is not negative, and value − margin is the bound (property)', () => {
    fc.assert(
      fc.property(dec, dec, (declared, value) => {
        const b = labelBounds(declared, GB13432_RULE)!;
        const [m] = margins(value, b)!;
        expect(new Decimal(value).minus(m!.margin).eq(new Decimal(declared).times(0.8))).toBe(true);
        expect(m!.ok).toBe(new Decimal(value).gte(new Decimal(declared).times(0.8)));
      }),
    );
  });

  it('the nearest side has the smallest relative margin (property)', () => {
    fc.assert(
      fc.property(dec, dec, dec, (a, b, v) => {
        const lo = Decimal.min(a, b).plus(1).toFixed();
        const hi = Decimal.max(a, b).plus(2).toFixed();
        const ms = margins(v, { min: lo, max: hi })!;
        const n = nearestMargin(ms)!;
        for (const m of ms) expect(new Decimal(n.marginPct!).lte(m.marginPct!)).toBe(true);
      }),
    );
  });
});
