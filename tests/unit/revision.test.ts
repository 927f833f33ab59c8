import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { revisionConflict, staleRecords } from '../../src/shared/rules/revision';

describe('optimistic concurrency: the pure comparison (D-097)', () => {
  it('a write conflicts exactly when it names a revision other than the record’s', () => {
    fc.assert(
      fc.property(fc.option(fc.nat(), { nil: undefined }), fc.nat(), (expected, current) => {
        expect(revisionConflict(expected, current)).toBe(expected !== undefined && expected !== current);
      }),
    );
    // The revision the person saw, after one more change by someone else, always conflicts.
    fc.assert(fc.property(fc.nat(), (rev) => revisionConflict(rev, rev + 1)));
  });

  it('lists exactly the records whose revision moved, in their order; unnamed records never conflict', () => {
    const rows = fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1 }), rev: fc.nat(50) }), {
      selector: (r) => r.id,
    });
    fc.assert(
      fc.property(rows, fc.dictionary(fc.string({ minLength: 1 }), fc.nat(50)), (current, seen) => {
        const stale = staleRecords(seen, current);
        const expected = current
          .filter((r) => Object.prototype.hasOwnProperty.call(seen, r.id) && seen[r.id] !== r.rev)
          .map((r) => ({ id: r.id, expected: seen[r.id]!, rev: r.rev }));
        expect(stale).toEqual(expected);
        expect(staleRecords(undefined, current)).toEqual([]);
      }),
    );
    // Keys such as "__proto__" or "constructor" in the revisions sent are plain ids.
    expect(
      staleRecords(JSON.parse('{"__proto__": 1}') as Record<string, number>, [{ id: 'constructor', rev: 2 }]),
    ).toEqual([]);
  });
});
