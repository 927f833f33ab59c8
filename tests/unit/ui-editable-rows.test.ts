import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  anyRowError,
  canAdd,
  canRemove,
  focusAfterRemove,
  rowErrors,
  rowKeyAction,
  withAddedRow,
  withoutRow,
  withRow,
} from '../../src/renderer/src/ui/editable-rows-model';
import { contract } from '../../src/shared/contract';

interface Point {
  nominal: string;
  unit: string;
}
const rows: Point[] = [
  { nominal: '1', unit: 'g' },
  { nominal: '2', unit: 'g' },
  { nominal: '3', unit: 'g' },
];

describe('editable rows: changing rows', () => {
  it('changes one row and leaves the others (and the input) as they were', () => {
    const next = withRow(rows, 1, { nominal: '2.5' });
    expect(next.map((r) => r.nominal)).toEqual(['1', '2.5', '3']);
    expect(next[0]).toBe(rows[0]);
    expect(next[2]).toBe(rows[2]);
    expect(rows[1]!.nominal).toBe('2');
  });

  it('removes a row, never below the minimum nor out of range', () => {
    expect(withoutRow(rows, 0).map((r) => r.nominal)).toEqual(['2', '3']);
    expect(withoutRow(rows.slice(0, 1), 0)).toHaveLength(1);
    expect(withoutRow(rows.slice(0, 1), 0, 0)).toHaveLength(0);
    expect(withoutRow(rows, 7)).toHaveLength(3);
    expect(canRemove(1)).toBe(false);
    expect(canRemove(1, 0)).toBe(true);
  });

  it('adds a row at the end, never above the maximum', () => {
    expect(withAddedRow(rows, { nominal: '4', unit: 'g' }).map((r) => r.nominal)).toEqual(['1', '2', '3', '4']);
    expect(withAddedRow(rows, { nominal: '4', unit: 'g' }, 3)).toHaveLength(3);
    expect(canAdd(2, 3)).toBe(true);
    expect(canAdd(3, 3)).toBe(false);
  });

  it('keeps between min and max whatever is added and removed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 3, max: 8 }),
        fc.array(fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 9 })), { maxLength: 40 }),
        (min, max, ops) => {
          let r: number[] = Array.from({ length: min }, (_, i) => i);
          for (const op of ops) r = op === -1 ? withAddedRow(r, r.length, max) : withoutRow(r, op, min);
          return r.length >= min && r.length <= max;
        },
      ),
    );
  });
});

describe('editable rows: keyboard', () => {
  const enter = { key: 'Enter' };
  it('Enter goes down the column; on the last row it is left to the page', () => {
    expect(rowKeyAction(enter, 0, 3, true)).toEqual({ focus: 1 });
    expect(rowKeyAction(enter, 2, 3, true)).toBeNull();
  });

  it('Shift+Enter goes up; Ctrl or ⌘+Enter adds when a row may be added', () => {
    expect(rowKeyAction({ ...enter, shiftKey: true }, 1, 3, true)).toEqual({ focus: 0 });
    expect(rowKeyAction({ ...enter, shiftKey: true }, 0, 3, true)).toBeNull();
    expect(rowKeyAction({ ...enter, ctrlKey: true }, 1, 3, true)).toEqual({ add: true });
    expect(rowKeyAction({ ...enter, metaKey: true }, 1, 3, true)).toEqual({ add: true });
    expect(rowKeyAction({ ...enter, ctrlKey: true }, 1, 3, false)).toBeNull();
  });

  it('other keys, Alt+Enter and an input method composing are not the table’s', () => {
    expect(rowKeyAction({ key: 'Tab' }, 0, 3, true)).toBeNull();
    expect(rowKeyAction({ ...enter, altKey: true }, 0, 3, true)).toBeNull();
    expect(rowKeyAction({ ...enter, isComposing: true }, 0, 3, true)).toBeNull();
  });

  it('after a removal the focus goes to the row that took its place, or the new last one', () => {
    expect(focusAfterRemove(0, 3)).toBe(0);
    expect(focusAfterRemove(2, 3)).toBe(1);
    expect(focusAfterRemove(0, 1)).toBeNull();
  });
});

describe('editable rows: messages on cells', () => {
  it('puts each issue of the list on its row and field, first message first', () => {
    const errors = rowErrors(
      [
        { path: 'points.1.nominal', message: 'a' },
        { path: 'points.1.nominal', message: 'b' },
        { path: 'points.0.unit', message: 'c' },
        { path: 'points', message: 'too few' },
        { path: 'points.9.unit', message: 'out of range' },
        { path: 'id', message: 'other field' },
      ],
      'points',
      2,
    );
    expect(errors).toEqual([{ unit: 'c' }, { nominal: 'a' }]);
    expect(anyRowError(errors)).toBe(true);
    expect(anyRowError([{}, {}])).toBe(false);
  });

  it('reads a channel schema’s issues: the check plan refuses a comma decimal on its cell', () => {
    const parsed = contract['instruments.checkPlan.save'].input.safeParse({
      id: 'i1',
      points: [
        {
          standard: 'E2 100 g',
          certificateNo: 'C-1',
          certificateValidUntil: null,
          nominal: '100.00',
          tolerance: '0.05',
          unit: 'g',
        },
        {
          standard: 'E2 200 g',
          certificateNo: 'C-2',
          certificateValidUntil: '2027-01',
          nominal: '200,00',
          tolerance: '0.05',
          unit: 'g',
        },
      ],
    });
    expect(parsed.success).toBe(false);
    const issues = parsed.success
      ? []
      : parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    expect(rowErrors(issues, 'points', 2)).toEqual([
      {},
      { certificateValidUntil: 'date_format', nominal: 'decimal_string' },
    ]);
  });
});
