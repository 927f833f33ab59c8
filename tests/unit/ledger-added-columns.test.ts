import { describe, expect, it } from 'vitest';
import { canonical } from '../../src/main/ledger/hashing';
import { rowMatchesContent } from '../../src/main/ledger/verify';

// docs/ledger.md §5.1: a column added by a later migration may be absent from the content of
// records written before it, but only while the row holds NULL there.
describe('row replay with columns added by a later migration', () => {
  const old = { id: 'a', rev: 2, retired: 0, name: 'x' };
  const content = canonical(old);
  const def = { added: ['extra'] as const };

  it('an old record whose added column is NULL matches its content', () => {
    expect(rowMatchesContent({ ...old, extra: null }, content, def)).toBe(true);
  });
  it('a value written into the added column of an old record is a difference', () => {
    expect(rowMatchesContent({ ...old, extra: 'forged' }, content, def)).toBe(false);
  });
  it('the tolerance covers only declared columns', () => {
    expect(rowMatchesContent({ ...old, extra: null }, content, {})).toBe(false);
    expect(rowMatchesContent({ ...old, other: null }, content, def)).toBe(false);
  });
  it('any other change is still a difference', () => {
    expect(rowMatchesContent({ ...old, name: 'y', extra: null }, content, def)).toBe(false);
  });
  it('a record written after the migration carries the key, NULL included', () => {
    const now = { ...old, extra: null };
    expect(rowMatchesContent(now, canonical(now), def)).toBe(true);
    expect(rowMatchesContent({ ...old, extra: 'v' }, canonical({ ...old, extra: 'v' }), def)).toBe(true);
  });
});
