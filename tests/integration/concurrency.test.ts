import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { createTestApp, USER_PASSWORD, type TestApp } from '../helpers/core';
import { moistureReleaseSample, verifyLedger } from '../fixtures/plant';

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
  const { lot, sample, resultId } = await moistureReleaseSample({
    qa: app.member(qaA),
    prod: app.member(prod),
    tech: app.member(techA),
  });
  return { app, techA, techB, qaA, qaB, lot, sample, resultId };
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

describe('two people on a specification draft and on a release page (D-110)', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(() => w.app.close());

  it('spec edits: a stale item edit, removal or approval is refused with who changed what; an approved version refuses edits inside the write', async () => {
    const spec = (await w.app.ok(w.qaA, 'specs.list', {})).find((s) => s.code === 'SPEC-IF-1')!;
    const draft = await w.app.ok(w.qaA, 'specs.newVersion', {
      specId: spec.id,
      changeNote: 'moisture limit review 2026',
    });
    const item = draft.items[0]!;
    // Two QA managers open the same draft; the first saves a change to the item.
    const { id: _id, rev: _rev, position: _p, confirmedBy: _cb, confirmedAt: _ca, ...fields } = item;
    await w.app.ok(w.qaA, 'specs.saveItem', {
      versionId: draft.id,
      itemId: item.id,
      item: { ...fields, note: 'checked against GB 10765-2021 table 2' } as never,
      reason: 'note added after review',
      expectedRev: item.rev,
    });
    const before = head(w);
    // The second, on the draft as it was: refused with the item, who changed it and its revision now.
    const e = refusal(
      await w.app.call(w.qaB, 'specs.saveItem', {
        versionId: draft.id,
        itemId: item.id,
        item: { ...fields, note: 'stale' } as never,
        reason: 'stale edit',
        expectedRev: item.rev,
      }),
    );
    expect(e).toMatchObject({ code: 'conflict', messageKey: 'errors.record_changed' });
    expect(e.details).toMatchObject({ entity: 'spec_item', id: item.id, expected: item.rev, by: 'User qa.chen' });
    const r = refusal(
      await w.app.call(w.qaB, 'specs.removeItem', {
        versionId: draft.id,
        itemId: item.id,
        reason: 'stale removal',
        expectedRev: item.rev,
      }),
    );
    expect(r.messageKey).toBe('errors.record_changed');
    // Approving what the screen showed before the change: refused before the password, nothing signed.
    const a = refusal(
      await w.app.call(w.qaB, 'specs.approve', {
        versionId: draft.id,
        signature: { password: USER_PASSWORD, meaning: 'approved' },
        expectedItems: draft.items.map((x) => ({ id: x.id, rev: x.rev })),
      }),
    );
    expect(a).toMatchObject({ messageKey: 'errors.record_changed', details: { entity: 'spec_item', id: item.id } });
    expect(head(w)).toBe(before);
    expect((await w.app.ok(w.qaB, 'specs.get', { versionId: draft.id })).status).toBe('draft');
    // On the draft as it is now: approved.
    const now = await w.app.ok(w.qaB, 'specs.get', { versionId: draft.id });
    const approved = await w.app.ok(w.qaB, 'specs.approve', {
      versionId: draft.id,
      signature: { password: USER_PASSWORD, meaning: 'approved' },
      expectedItems: now.items.map((x) => ({ id: x.id, rev: x.rev })),
    });
    expect(approved.status).toBe('approved');
    // A second approval from a screen that still shows the draft: refused, one signature only.
    const twice = refusal(
      await w.app.call(w.qaA, 'specs.approve', {
        versionId: draft.id,
        signature: { password: USER_PASSWORD, meaning: 'approved' },
        expectedItems: now.items.map((x) => ({ id: x.id, rev: x.rev })),
      }),
    );
    expect(twice.messageKey).toBe('errors.spec_not_draft');
    expect(approved.signatures.filter((s) => s.meaning === 'approved')).toHaveLength(1);
    await verifyLedger(w.app.member(w.qaA));
  });

  it('release page: a decision on a checklist that changed after the page was shown is refused with the checklist now; nothing signed', async () => {
    const page = await w.app.ok(w.qaB, 'disposition.readiness', { lotCode: w.lot });
    expect(page.basis).toMatch(/^[0-9a-f]{16}$/);
    expect(page.lotRev).toBeGreaterThan(0);
    // Meanwhile at the bench: a result is entered and submitted (the lot itself did not change).
    const seen = (await w.app.ok(w.techA, 'results.get', { id: w.resultId })).result.rev;
    await w.app.ok(w.techA, 'results.enter', { id: w.resultId, replicates: ['2.31', '2.33'], expectedRev: seen });
    const now = await w.app.ok(w.qaB, 'disposition.readiness', { lotCode: w.lot });
    expect(now.lotRev).toBe(page.lotRev);
    expect(now.basis).not.toBe(page.basis);
    const before = head(w);
    const e = refusal(
      await w.app.call(w.qaB, 'disposition.decide', {
        lotCode: w.lot,
        decision: 'reject',
        reason: 'rejected on the checklist as first shown',
        propagate: false,
        signature: { password: USER_PASSWORD, meaning: 'rejected' },
        expectedRev: page.lotRev,
        expectedBasis: page.basis,
      }),
    );
    expect(e).toMatchObject({
      code: 'conflict',
      messageKey: 'errors.readiness_changed',
      details: { lot: w.lot, status: now.lotStatus, basis: now.basis },
    });
    expect(head(w)).toBe(before);
    // Decided again on the checklist as it stands: signed.
    const out = await w.app.ok(w.qaB, 'disposition.decide', {
      lotCode: w.lot,
      decision: 'reject',
      reason: 'rejected on the checklist as it stands',
      propagate: false,
      signature: { password: USER_PASSWORD, meaning: 'rejected' },
      expectedRev: now.lotRev,
      expectedBasis: now.basis,
    });
    expect(out.readiness.lotStatus).toBe('rejected');
  });
});
