import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIsoDate, validateRow } from '../../src/main/import/formats';
import { Utf8Checker } from '../../src/main/import/utf8-check';

describe('streaming UTF-8 check', () => {
  const valid = (bytes: Uint8Array, cuts: number[]): boolean => {
    const c = new Utf8Checker();
    let at = 0;
    for (const cut of [...cuts.filter((x) => x < bytes.length).sort((a, b) => a - b), bytes.length]) {
      if (!c.push(bytes.subarray(at, cut))) return false;
      at = cut;
    }
    return c.end();
  };

  it('agrees with TextDecoder(fatal) on any bytes, wherever the chunks are cut', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.array(fc.nat(40), { maxLength: 5 }), (bytes, cuts) => {
        let ok = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          ok = false;
        }
        expect(valid(bytes, cuts)).toBe(ok);
      }),
      { numRuns: 3_000 },
    );
  });

  it('accepts any text split inside its multi-byte sequences, and refuses GBK with the offset and line', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), fc.array(fc.nat(60)), (s, cuts) => valid(new TextEncoder().encode(s), cuts)));
    const c = new Utf8Checker();
    expect(c.push(Buffer.from('a,b\nC1,'))).toBe(true);
    expect(c.push(Buffer.from([0xb1, 0xb1, 0xbe, 0xa9]))).toBe(false);
    expect(c.invalid).toEqual({ offset: 7, line: 2 });
  });
});

describe('row rules', () => {
  it('ISO 8601 dates: a calendar date or a date-time with an offset', () => {
    expect(parseIsoDate('2026-03-01')).toBe(Date.UTC(2026, 2, 1));
    expect(parseIsoDate('2026-03-01T08:30:00+08:00')).toBe(Date.UTC(2026, 2, 1, 0, 30));
    expect(parseIsoDate('2026-03-01T08:30Z')).toBe(Date.UTC(2026, 2, 1, 8, 30));
    for (const bad of ['2026-02-30', '2026-3-1', '01/03/2026', '2026-03-01T08:30:00', '2026-03-01 08:30:00+08:00', '2026-03-01T24:00:00Z']) {
      expect(parseIsoDate(bad), bad).toBeNull();
    }
    expect(parseIsoDate('2024-02-29')).not.toBeNull();
  });

  it('quantities: decimal, not negative, except a stock adjustment', () => {
    const stock = (movement: string, quantity: string) =>
      validateRow('stock', { lot_code: 'L1', movement, quantity, unit: 'kg', date: '2026-03-01' }).problems.map((p) => p.code);
    expect(stock('adjustment', '-12.5')).toEqual([]);
    expect(stock('waste', '-12.5')).toEqual(['negative_quantity']);
    expect(stock('waste', '1,5')).toEqual(['bad_quantity']);
    expect(stock('waste', '1e3')).toEqual(['bad_quantity']);
    expect(stock('melted', '1')).toEqual(['not_allowed']);
  });

  it('bought-in lots need a supplier; units come from the list', () => {
    const lot = { lot_code: 'RM-1', kind: 'raw_milk', item_code: 'RM', item_name: 'Raw milk', quantity: '25000', unit: 'kg', date: '2026-03-01' };
    expect(validateRow('lots', lot).problems.map((p) => p.column)).toEqual(['supplier_code']);
    expect(validateRow('lots', { ...lot, supplier_code: 'F1', unit: 'lb' }).problems.map((p) => p.code)).toEqual(['bad_unit']);
    expect(validateRow('lots', { ...lot, kind: 'finished', status: 'released' }).problems).toEqual([]);
  });
});
