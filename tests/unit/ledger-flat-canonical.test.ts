import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonical } from '../../src/main/ledger/hashing';
import { flatCanonical } from '../../src/main/ledger/ledger';
import type { Row } from '../../src/main/ledger/entities';

describe('flatCanonical', () => {
  it('equals RFC 8785 canonicalize for every flat record of strings, safe integers and nulls', () => {
    const value = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string(), fc.maxSafeInteger(), fc.constant(null));
    const key = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }));
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 12 }), fc.uuid(), (fields, id) => {
        const row = { ...fields, id, rev: 1, retired: 0 } as Row;
        const keys = Object.keys(row).sort();
        expect(flatCanonical(row, keys)).toBe(canonical(row));
      }),
      { numRuns: 500 },
    );
  });
});
