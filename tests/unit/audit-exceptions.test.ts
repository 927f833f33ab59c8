/** The exception classifier of the lot's audit-trail review (issue 22 §5, src/shared/rules/audit-exceptions.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyFact,
  exceptionKinds,
  LATE_ENTRY_MS,
  noKeys,
  summariseExceptions,
  summaryCanonicalContent,
  type AuditFact,
  type Content,
} from '../../src/shared/rules/audit-exceptions';

const T = Date.parse('2026-07-01T02:00:00Z');
const keys = { lot: 'FG-1', sample: 'S-1', itemCode: 'protein', itemZh: '蛋白质', itemEn: 'Protein' };

function fact(over: Partial<AuditFact> & { entity: string; after: Content }): AuditFact {
  return {
    seq: 1,
    at: T,
    actorName: '孙丽',
    action: 'update',
    reason: null,
    before: null,
    keys,
    corrected: false,
    ...over,
  };
}
const kinds = (f: AuditFact) => classifyFact(f).map((e) => [e.kind, e.detail]);

describe('audit exceptions: each kind', () => {
  it('a saved result whose value changes is a change after entry; the first entry is not', () => {
    const pending = { status: 'pending', value: null, reported: null, verdict: null };
    const entered = { status: 'entered', value: '2.31', reported: '2.31', verdict: 'pass' };
    expect(kinds(fact({ entity: 'test_result', before: pending, after: entered }))).toEqual([]);
    const e = classifyFact(
      fact({ entity: 'test_result', before: entered, after: { ...entered, value: '2.41', reported: '2.41' } }),
    );
    expect(e).toMatchObject([{ kind: 'change_after_entry', field: 'value', from: '2.31', to: '2.41', keys }]);
  });

  it('a correction is its own category (not counted again as a change), from the corrections source', () => {
    const a = { status: 'submitted', value: '2.31', reported: '2.31' };
    const f = fact({
      entity: 'test_result',
      before: a,
      after: { ...a, value: '2.35', reported: '2.35' },
      corrected: true,
      reason: 'transcription',
    });
    expect(classifyFact(f)).toMatchObject([
      { kind: 'correction', field: 'value', from: '2.31', to: '2.35', reason: 'transcription' },
    ]);
  });

  it('reopenings: a result returned or set back to entered, a decided lot put on hold, a complete sample reopened', () => {
    expect(
      kinds(fact({ entity: 'test_result', before: { status: 'submitted' }, after: { status: 'returned' } })),
    ).toEqual([['reopening', 'returned']]);
    expect(
      kinds(fact({ entity: 'test_result', before: { status: 'reviewed' }, after: { status: 'entered' } })),
    ).toEqual([['reopening', 'reopened']]);
    expect(kinds(fact({ entity: 'lot', before: { status: 'released' }, after: { status: 'on_hold' } }))).toEqual([
      ['reopening', 'lot_reopened'],
    ]);
    expect(kinds(fact({ entity: 'lot', before: { status: 'on_hold' }, after: { status: 'released' } }))).toEqual([]);
    expect(kinds(fact({ entity: 'sample', before: { status: 'complete' }, after: { status: 'in_testing' } }))).toEqual([
      ['reopening', 'sample_reopened'],
    ]);
  });

  it('invalidations, overrides, overwrites and instrument flags', () => {
    expect(
      kinds(fact({ entity: 'test_result', before: { status: 'submitted' }, after: { status: 'invalidated' } })),
    ).toEqual([['invalidation', null]]);
    expect(
      kinds(
        fact({
          entity: 'signature',
          action: 'create',
          after: { meaning: 'override', entity: 'shipment', comment: 'customer waiting' },
        }),
      ),
    ).toEqual([['override', 'shipment']]);
    expect(
      kinds(fact({ entity: 'signature', action: 'create', after: { meaning: 'reviewed', entity: 'test_result' } })),
    ).toEqual([]);
    expect(
      kinds(
        fact({
          entity: 'instrument_capture',
          before: { status: 'used', flagged: 0 },
          after: { status: 'typed_over', flagged: 0, value: '1.0' },
        }),
      ),
    ).toEqual([['overwrite', 'typed_over']]);
    expect(
      kinds(
        fact({
          entity: 'instrument_capture',
          before: { status: 'used', flagged: 0 },
          after: { status: 'used', flagged: 1, flag_reason: 'check failed' },
        }),
      ),
    ).toEqual([['instrument_flag', 'capture_flagged']]);
    expect(kinds(fact({ entity: 'instrument_flag', action: 'create', after: { how: 'check' } }))).toEqual([
      ['instrument_flag', 'result_flagged'],
    ]);
    expect(
      kinds(fact({ entity: 'verdict_change', action: 'create', after: { from_verdict: 'fail', to_verdict: 'pass' } })),
    ).toEqual([['change_after_entry', 'verdict_changed']]);
  });

  it('a late entry: a stated event time more than a day before it was recorded', () => {
    const sample = { code: 'S-1', taken_at: T - LATE_ENTRY_MS - 1, received_at: null };
    expect(classifyFact(fact({ entity: 'sample', action: 'create', after: sample }))).toMatchObject([
      { kind: 'late_entry', field: 'taken_at' },
    ]);
    expect(
      kinds(fact({ entity: 'sample', action: 'create', after: { ...sample, taken_at: T - LATE_ENTRY_MS } })),
    ).toEqual([]);
    // An unchanged stated time on a later update is not a new late entry.
    expect(kinds(fact({ entity: 'sample', before: sample, after: { ...sample, storage_location: 'B2' } }))).toEqual([]);
  });
});

describe('audit exceptions: one act is one exception', () => {
  it('raw data saved then the value computed from it, by one person at one moment, is one change (named by the value)', () => {
    const a = { status: 'entered', replicates: '["12.0"]', value: '12.0' };
    const b = { ...a, replicates: '["12.4"]' };
    const c = { ...b, value: '12.4' };
    const s = summariseExceptions([
      fact({ seq: 10, entity: 'test_result', before: a, after: b }),
      fact({ seq: 11, entity: 'test_result', before: b, after: c }),
    ]);
    expect(s.exceptions).toMatchObject([
      { kind: 'change_after_entry', seq: 10, field: 'value', from: '12.0', to: '12.4' },
    ]);
    expect(s.counts.change_after_entry).toBe(1);
  });

  it('a correction’s entries (moved back, new data, new value) are one correction; another record or moment is another', () => {
    const sub = { status: 'submitted', replicates: '["12.4"]', value: '12.4' };
    const back = { ...sub, status: 'entered' };
    const data = { ...back, replicates: '["12.5"]' };
    const val = { ...data, value: '12.5' };
    const r = 'correction: transcription';
    const s = summariseExceptions([
      fact({ seq: 20, entity: 'test_result', before: sub, after: back, corrected: true, reason: r }),
      fact({ seq: 21, entity: 'test_result', before: back, after: data, corrected: true, reason: r }),
      fact({ seq: 22, entity: 'test_result', before: data, after: val, reason: 'computed' }),
      fact({
        seq: 23,
        entity: 'test_result',
        keys: { ...keys, itemCode: 'fat' },
        before: sub,
        after: back,
        corrected: true,
        reason: r,
      }),
      fact({
        seq: 30,
        at: T + 60_000,
        entity: 'test_result',
        before: val,
        after: { ...val, value: '12.6' },
        corrected: true,
        reason: r,
      }),
    ]);
    expect(s.exceptions.map((e) => [e.kind, e.seq, e.keys.itemCode, e.field, e.to, e.reason])).toEqual([
      ['correction', 20, 'protein', 'value', '12.5', r],
      ['correction', 23, 'fat', 'status', 'entered', r],
      ['correction', 30, 'protein', 'value', '12.6', r],
    ]);
  });
});

// ------------------------------------------------------------------ properties

const entities = [
  'test_result',
  'lot',
  'sample',
  'instrument_capture',
  'signature',
  'verdict_change',
  'instrument_flag',
  'batch',
  'shipment',
];
const value = fc.oneof(
  fc.constantFrom(
    null,
    'entered',
    'submitted',
    'reviewed',
    'returned',
    'invalidated',
    'released',
    'on_hold',
    'complete',
    'override',
    'typed_over',
    'used',
  ),
  fc.integer({ min: 0, max: 3 }).map(String),
  fc.integer({ min: 0, max: 1 }),
);
const content = fc.dictionary(
  fc.constantFrom('status', 'value', 'reported', 'verdict', 'meaning', 'flagged', 'note', 'taken_at'),
  value,
  { maxKeys: 5 },
);
const arbFact = fc.record({
  seq: fc.integer({ min: 1, max: 10_000 }),
  at: fc.integer({ min: T, max: T + 10 * LATE_ENTRY_MS }),
  actorName: fc.constantFrom('孙丽', '周杰', '赵敏'),
  action: fc.constantFrom('create', 'update'),
  entity: fc.constantFrom(...entities),
  reason: fc.option(fc.constantFrom('typo', 'correction: wrong dilution'), { nil: null }),
  before: fc.option(content, { nil: null }),
  after: content,
  keys: fc.constant(noKeys),
  corrected: fc.boolean(),
});
const facts = fc.uniqueArray(arbFact, { selector: (f) => f.seq, maxLength: 30 });

describe('audit exceptions: properties', () => {
  it('an entry that changes nothing, is no correction, no override signature and states no time raises nothing', () => {
    fc.assert(
      fc.property(arbFact, (f) => {
        const same: AuditFact = {
          ...f,
          action: 'update',
          before: f.after,
          corrected: false,
          entity:
            f.entity === 'signature' || f.entity === 'verdict_change' || f.entity === 'instrument_flag'
              ? 'batch'
              : f.entity,
        };
        expect(classifyFact(same)).toEqual([]);
      }),
    );
  });

  it('every correction is reported, exactly once, as a correction', () => {
    fc.assert(
      fc.property(arbFact, (f) => {
        const n = classifyFact(f).filter((e) => e.kind === 'correction').length;
        expect(n).toBe(f.corrected ? 1 : 0);
      }),
    );
  });

  it('the summary does not depend on the order the entries come in; counts add up; exceptions name entries given', () => {
    fc.assert(
      fc.property(facts, fc.integer(), (fs, seed) => {
        const shuffled = [...fs].sort((a, b) => ((a.seq * 7919 + seed) % 101) - ((b.seq * 7919 + seed) % 101));
        const s1 = summariseExceptions(fs);
        const s2 = summariseExceptions(shuffled);
        expect(s2).toEqual(s1);
        expect(Object.values(s1.counts).reduce((a, b) => a + b, 0)).toBe(s1.exceptions.length);
        expect(Object.keys(s1.counts)).toEqual([...exceptionKinds]);
        const seqs = new Set(fs.map((f) => f.seq));
        for (const e of s1.exceptions) expect(seqs.has(e.seq)).toBe(true);
        for (let i = 1; i < s1.exceptions.length; i++)
          expect(s1.exceptions[i]!.seq).toBeGreaterThanOrEqual(s1.exceptions[i - 1]!.seq);
      }),
    );
  });

  it('the canonical content changes when an exception is added or its value differs', () => {
    fc.assert(
      fc.property(facts, (fs) => {
        const s = summariseExceptions(fs);
        const c = JSON.stringify(summaryCanonicalContent('FG-1', 9, fs.length, s));
        const extra = fact({
          seq: 20_000,
          entity: 'test_result',
          before: { status: 'submitted' },
          after: { status: 'invalidated' },
        });
        const s2 = summariseExceptions([...fs, extra]);
        expect(JSON.stringify(summaryCanonicalContent('FG-1', 9, fs.length, s2))).not.toBe(c);
      }),
    );
  });
});
