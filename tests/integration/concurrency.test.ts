import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { createTestApp, USER_PASSWORD, type TestApp } from '../helpers/core';
import { approveSpec, MOISTURE, product, PRODUCTS, specDocument, verifyLedger } from '../fixtures/plant';

/**
 * Issue 23 §5: two people acting on the same record, each on their own session of one core. The
 * second, whose screen still shows the record before the first one's change, is told that the
 * record changed (who, when, its revision now) and nothing of theirs is written: never a silent
 * overwrite, never a crash. The comparison runs inside the write transaction (Trust II).
 */
interface World {
  app: TestApp;
  techA: Connection;
  techB: Connection;
  qaA: Connection;
  qaB: Connection;
  lot: string;
  sample: string;
  resultId: string;
}

async function world(): Promise<World> {
  const app = await createTestApp();
  const qaA = await app.userWith(['qa_manager'], 'qa.chen');
  const qaB = await app.userWith(['qa_manager'], 'qa.sun');
  const techA = await app.userWith(['technician'], 'tech.li');
  const techB = await app.userWith(['technician'], 'tech.zhao');
  const prod = await app.userWith(['production'], 'prod.wu');
  const productId = await product(app.member(qaA), PRODUCTS.if1);
  await approveSpec(app.member(qaA), {
    subjectId: productId,
    code: 'SPEC-IF-1',
    doc: specDocument('IF-1', [MOISTURE]),
  });
  const lot = (
    await app.ok(prod, 'batches.start', { line: 'Line 2', outputKind: 'finished', itemCode: 'IF-1', unit: 'kg' })
  ).output.code;
  const s = await app.ok(techA, 'samples.register', {
    kind: 'finished_release',
    lotCode: lot,
    samplingPoint: 'filler',
    quantity: '5',
    unit: 'can',
    container: 'can',
    withRetention: false,
    receipt: { condition: 'intact' },
  });
  const [r] = (await app.ok(techA, 'results.forSample', { sampleCode: s.sample.code })).results;
  return { app, techA, techB, qaA, qaB, lot, sample: s.sample.code, resultId: r!.id };
}

const head = (w: World) => w.app.core.need().ledger.head().seq;

function refusal(r: { ok: boolean; error?: { code: string; messageKey: string; details?: Record<string, unknown> } }) {
  expect(r.ok).toBe(false);
  return r.error!;
}

describe('two people on one record (issue 23 §5)', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(() => w.app.close());

  it('result entry: the second entry on a stale screen is refused with who changed it; the first value stands', async () => {
    const seenA = (await w.app.ok(w.techA, 'results.get', { id: w.resultId })).result.rev;
    const seenB = (await w.app.ok(w.techB, 'results.get', { id: w.resultId })).result.rev;
    await w.app.ok(w.techA, 'results.enter', { id: w.resultId, replicates: ['2.31', '2.33'], expectedRev: seenA });
    const before = head(w);
    const e = refusal(
      await w.app.call(w.techB, 'results.enter', { id: w.resultId, replicates: ['2.90', '2.95'], expectedRev: seenB }),
    );
    expect(e).toMatchObject({ code: 'conflict', messageKey: 'errors.record_changed' });
    const now = (await w.app.ok(w.techB, 'results.get', { id: w.resultId })).result;
    expect(e.details).toMatchObject({
      entity: 'test_result',
      id: w.resultId,
      expected: seenB,
      rev: now.rev,
      by: 'User tech.li',
    });
    expect(now.replicates).toEqual(['2.31', '2.33']);
    expect(head(w)).toBe(before);
    // B, now on the current state, may change it (a correction of the entered value).
    await w.app.ok(w.techB, 'results.enter', { id: w.resultId, replicates: ['2.32', '2.33'], expectedRev: now.rev });
    // A correction after submission on a stale screen is refused the same way.
    const cur = (await w.app.ok(w.techA, 'results.get', { id: w.resultId })).result;
    await w.app.ok(w.techA, 'results.submit', {
      sampleCode: w.sample,
      expectedRevs: { [w.resultId]: cur.rev },
      signature: { password: USER_PASSWORD, meaning: 'authored' },
    });
    const c = refusal(
      await w.app.call(w.techB, 'results.correct', {
        id: w.resultId,
        replicates: ['2.40', '2.41'],
        reason: 'transcription error',
        expectedRev: cur.rev,
      }),
    );
    expect(c.messageKey).toBe('errors.record_changed');
    await verifyLedger(w.app.member(w.qaA));
  });

  it('lot decisions: a second decision on the lot as it was (on hold) is refused, the first one stands', async () => {
    const seen = (await w.app.ok(w.qaB, 'lots.get', { code: w.lot })).lot.rev;
    await w.app.ok(w.qaA, 'lots.decide', {
      code: w.lot,
      decision: 'reject',
      reason: 'rejected: foreign matter found on line 2',
      signature: { password: USER_PASSWORD, meaning: 'rejected' },
      expectedRev: seen,
    });
    const before = head(w);
    const e = refusal(
      await w.app.call(w.qaB, 'lots.decide', {
        code: w.lot,
        decision: 'reject',
        reason: 'rejected on the first report',
        signature: { password: USER_PASSWORD, meaning: 'rejected' },
        expectedRev: seen,
      }),
    );
    expect(e).toMatchObject({ code: 'conflict', messageKey: 'errors.record_changed' });
    expect(e.details).toMatchObject({ entity: 'lot', expected: seen, by: 'User qa.chen' });
    const now = (await w.app.ok(w.qaB, 'lots.get', { code: w.lot })).lot;
    expect(now.status).toBe('rejected');
    expect(e.details).toMatchObject({ rev: now.rev });
    expect(head(w)).toBe(before);
    // The same through the release page's channel.
    const d = refusal(
      await w.app.call(w.qaB, 'disposition.decide', {
        lotCode: w.lot,
        decision: 'reject',
        reason: 'rejected on the first report',
        propagate: false,
        signature: { password: USER_PASSWORD, meaning: 'rejected' },
        expectedRev: seen,
      }),
    );
    expect(d.messageKey).toBe('errors.record_changed');
    expect(head(w)).toBe(before);
  });

  it('sample edits: a cancellation on a stale screen after a move is refused; the sample stays open', async () => {
    const seen = (await w.app.ok(w.techB, 'samples.get', { code: w.sample })).sample.rev;
    await w.app.ok(w.techA, 'samples.move', { code: w.sample, storageLocation: 'Fridge 2', expectedRev: seen });
    const e = refusal(
      await w.app.call(w.techB, 'samples.cancel', { code: w.sample, reason: 'registered twice', expectedRev: seen }),
    );
    expect(e).toMatchObject({ code: 'conflict', messageKey: 'errors.record_changed' });
    const now = (await w.app.ok(w.techB, 'samples.get', { code: w.sample })).sample;
    expect(now.status).not.toBe('cancelled');
    expect(e.details).toMatchObject({ entity: 'sample', rev: now.rev, by: 'User tech.li' });
  });

  it('a pasted column on a stale screen is refused whole, naming the row; nothing of it is saved', async () => {
    const seen = (await w.app.ok(w.techB, 'results.get', { id: w.resultId })).result.rev;
    await w.app.ok(w.techA, 'results.enter', { id: w.resultId, replicates: ['2.31'], expectedRev: seen });
    const before = head(w);
    const e = refusal(
      await w.app.call(w.techB, 'results.enterMany', {
        entries: [{ id: w.resultId, replicates: ['2.50', '2.52'], expectedRev: seen }],
      }),
    );
    expect(e).toMatchObject({ messageKey: 'errors.record_changed', details: { row: 1, by: 'User tech.li' } });
    expect(head(w)).toBe(before);
  });

  it('concurrent entries of the same revision: exactly one is written, whatever the interleaving', async () => {
    const seen = (await w.app.ok(w.techA, 'results.get', { id: w.resultId })).result.rev;
    const [a, b] = await Promise.all([
      w.app.call(w.techA, 'results.enter', { id: w.resultId, replicates: ['2.31'], expectedRev: seen }),
      w.app.call(w.techB, 'results.enter', { id: w.resultId, replicates: ['2.77'], expectedRev: seen }),
    ]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    const lost = (a.ok ? b : a) as { ok: false; error: { messageKey: string } };
    expect(lost.error.messageKey).toBe('errors.record_changed');
    const now = (await w.app.ok(w.techA, 'results.get', { id: w.resultId })).result;
    expect(now.replicates).toEqual([a.ok ? '2.31' : '2.77']);
  });
});
