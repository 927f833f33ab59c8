/**
 * Issue 22 §5: the lot's audit-trail review reads a summary of exceptions first — changes after
 * entry, reopenings, corrections, late entries… — with business keys (lot, sample, item names,
 * people), never record ids; the review's signature records which summary it attested (its
 * hash and counts), and a summary that changed since it was read is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exceptionKinds } from '../../src/shared/rules/audit-exceptions';
import { canonical, sha256Hex } from '../../src/main/ledger/hashing';
import { summaryCanonicalContent } from '../../src/shared/rules/audit-exceptions';
import {
  approveSpec,
  by,
  DAY,
  enterAll,
  errKey,
  finishedLot,
  HOUR,
  later,
  results,
  sign,
  world,
  type World,
} from '../helpers/testing-world';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe('the audit-trail review: a summary of exceptions first', () => {
  let w: World;
  let lot: string;
  let sample: string;

  beforeAll(async () => {
    w = await world();
    await approveSpec(w);
    lot = await finishedLot(w);
    await later(w, 2 * DAY);
    // The sample was taken two days ago and registered only now: a late entry.
    const r = await w.app.ok(w.tech, 'samples.register', {
      kind: 'finished_release',
      lotCode: lot,
      samplingPoint: 'Line 2 filler',
      quantity: '5',
      unit: 'can',
      container: '800 g can',
      withRetention: false,
      receipt: { condition: 'intact' },
      takenAt: new Date(w.clock.now - 2 * DAY).toISOString(),
    });
    sample = r.sample.code;
    await enterAll(w, sample);
    // Protein changed after it was saved (before submission): a change after entry.
    const protein = by(await results(w, sample), 'protein');
    await w.app.ok(w.tech, 'results.enter', { id: protein.id, replicates: ['12.4'] });
    await later(w, HOUR);
    await w.app.ok(w.tech, 'results.submit', { sampleCode: sample, signature: sign('authored') });
    // The reviewer returns fat (a reopening); then protein is corrected after submission (a correction).
    const fat = by(await results(w, sample), 'fat');
    await w.app.ok(w.rev, 'results.review', {
      ids: [fat.id],
      decision: 'return',
      reason: 'replicate spread too wide',
      signature: sign('reviewed'),
    });
    const protein2 = by(await results(w, sample), 'protein');
    await w.app.ok(w.tech, 'results.correct', {
      id: protein2.id,
      replicates: ['12.5'],
      reason: 'transcription error on the worksheet',
    });
  });
  afterAll(() => w?.app.close());

  it('counts the exceptions by kind and names them by lot, sample, item and person, never by id', async () => {
    const s = await w.app.ok(w.qa, 'disposition.auditSummary', { lotCode: lot });
    expect(Object.keys(s.counts).sort()).toEqual([...exceptionKinds].sort());
    // Protein changed once before submission (its raw data, then the value computed from it: one act).
    expect(s.counts.change_after_entry).toBe(1);
    expect(s.counts.reopening).toBeGreaterThanOrEqual(1);
    // The correction of protein (one act of two entries) and the recalculation of carbohydrate it caused.
    expect(s.exceptions.filter((e) => e.kind === 'correction').map((e) => [e.keys.itemCode, e.detail])).toEqual([
      ['protein', null],
      ['carbohydrate', 'recalculated'],
    ]);
    expect(s.counts.late_entry).toBe(1);
    expect(s.counts.invalidation).toBe(0);
    expect(s.counts.override).toBe(0);

    const change = s.exceptions.find((e) => e.kind === 'change_after_entry' && e.keys.itemCode === 'protein')!;
    expect(change).toMatchObject({
      field: 'value',
      from: '12.0',
      to: '12.4',
      actorName: 'User tech.li',
      keys: { lot, sample, itemCode: 'protein' },
    });
    const correction = s.exceptions.find((e) => e.kind === 'correction')!;
    expect(correction).toMatchObject({
      keys: { lot, sample, itemCode: 'protein' },
      field: 'value',
      to: '12.5',
      reason: expect.stringContaining('transcription error'),
    });
    const reopening = s.exceptions.find((e) => e.kind === 'reopening' && e.detail === 'returned')!;
    expect(reopening).toMatchObject({ actorName: 'User rev.wang', keys: { itemCode: 'fat', sample } });
    const late = s.exceptions.find((e) => e.kind === 'late_entry')!;
    expect(late).toMatchObject({ field: 'taken_at', keys: { sample, lot } });
    expect(late.at).toMatch(/^\d{4}-\d\d-\d\dT/);
    // Business keys only: no record id anywhere in what the reviewer reads.
    expect(JSON.stringify(s.exceptions)).not.toMatch(UUID);

    // The hash is the canonical content's (what an inspector can recompute).
    const recomputed = sha256Hex(
      canonical(
        summaryCanonicalContent(lot, s.throughSeq, s.entries, {
          counts: s.counts,
          exceptions: s.exceptions.map((e) => ({ ...e, at: Date.parse(e.at) })),
        }),
      ),
    );
    expect(recomputed).toBe(s.hash);

    // The full list carries the same business keys.
    const all = await w.app.ok(w.qa, 'disposition.auditEntries', { lotCode: lot });
    const results_ = all.entries.filter((e) => e.entity === 'test_result');
    expect(results_.length).toBeGreaterThan(0);
    for (const e of results_) expect(e.keys).toMatchObject({ lot, sample });
  });

  it('refuses a review whose summary changed since it was read; records the summary it signed', async () => {
    const s = await w.app.ok(w.qa, 'disposition.auditSummary', { lotCode: lot });
    const e = await w.app.ok(w.qa, 'disposition.auditEntries', { lotCode: lot });
    // Something new happens on the lot's records after the summary was read.
    const fat = by(await results(w, sample), 'fat');
    await w.app.ok(w.tech, 'results.enter', { id: fat.id, replicates: ['26.5'] });
    const e2 = await w.app.ok(w.qa, 'disposition.auditEntries', { lotCode: lot });
    const stale = await w.app.call(w.qa, 'disposition.auditReview', {
      lotCode: lot,
      throughSeq: e2.headSeq,
      comment: 'reviewed the exceptions',
      signature: sign('audit_reviewed'),
      summaryHash: s.hash,
    });
    expect(errKey(stale)).toBe('errors.audit_summary_stale');
    void e;

    const fresh = await w.app.ok(w.qa, 'disposition.auditSummary', { lotCode: lot });
    expect(fresh.hash).not.toBe(s.hash);
    await w.app.ok(w.qa, 'disposition.auditReview', {
      lotCode: lot,
      throughSeq: e2.headSeq,
      comment: 'reviewed the exceptions: correction and return explained',
      signature: sign('audit_reviewed'),
      summaryHash: fresh.hash,
    });
    const row = w.app.core
      .need()
      .ledger.db.prepare('SELECT summary_hash, summary_counts FROM lot_audit_review WHERE lot_code = ?')
      .get(lot) as { summary_hash: string; summary_counts: string };
    expect(row.summary_hash).toBe(fresh.hash);
    expect(JSON.parse(row.summary_counts)).toEqual({ entries: fresh.entries, ...fresh.counts });
    const after = await w.app.ok(w.qa, 'disposition.auditEntries', { lotCode: lot });
    expect(after.lastReview?.summaryHash).toBe(fresh.hash);
    // Nothing left to review: an empty summary.
    const empty = await w.app.ok(w.qa, 'disposition.auditSummary', { lotCode: lot });
    expect([empty.entries, empty.exceptions.length]).toEqual([0, 0]);
  });
});
