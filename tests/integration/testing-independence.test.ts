import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  approveSpec,
  barrierOn,
  by,
  enterAll,
  errCode,
  errKey,
  finishedLot,
  head,
  releaseSample,
  results,
  sign,
  world,
  type World,
} from '../helpers/testing-world';

// Many people sign in (scrypt) and sign: slow on a loaded machine, never timed.

/**
 * Issue 19 §3, §4 and §7 for results: each bypass the issue names, attempted through the
 * contract, refused with a clear message and nothing written.
 */
describe('independent review (issue 19 §3)', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
    await approveSpec(w);
  });
  afterEach(() => w.app.close());

  it('someone who entered a value that another person later changed and submitted cannot review or return it', async () => {
    const s = await releaseSample(w, await finishedLot(w));
    // tech.rev enters protein; tech.li changes it and enters the rest, then submits everything.
    const protein = by(await results(w, s), 'protein');
    await w.app.ok(w.techRev, 'results.enter', { id: protein.id, replicates: ['11.8'] });
    await enterAll(w, s);
    await w.app.ok(w.tech, 'results.submit', { sampleCode: s, signature: sign('authored') });
    const now = by(await results(w, s), 'protein');
    expect(now.analystId).toBe('tech.li');
    expect(now.contributors).toEqual(['tech.li', 'tech.rev']);
    const before = head(w);
    for (const decision of ['approve', 'return'] as const) {
      const r = await w.app.call(w.techRev, 'results.review', {
        ids: [now.id],
        decision,
        ...(decision === 'return' ? { reason: 'please check the second replicate' } : {}),
        signature: sign('reviewed'),
      });
      expect(errCode(r)).toBe('self_review');
      expect(errKey(r)).toBe('errors.review_not_independent');
      expect(r.ok ? null : r.error.details).toMatchObject({ item: 'protein', how: 'entered' });
    }
    expect(head(w)).toBe(before);
    // The queue marks the sample as one tech.rev took part in.
    const q = await w.app.ok(w.techRev, 'results.reviewQueue', {});
    expect(q.samples.find((x) => x.sampleCode === s)?.mine).toBe(true);
    // An independent reviewer approves it.
    expect(
      (await w.app.ok(w.rev, 'results.review', { ids: [now.id], decision: 'approve', signature: sign('reviewed') }))
        .reviewed,
    ).toBe(1);
  });

  it('a user cannot return a result they submitted, nor one whose value they entered and then cleared', async () => {
    const s = await releaseSample(w, await finishedLot(w));
    const rs = await results(w, s);
    // tech.rev typed a moisture value, then cleared it (back to pending): a revision counts.
    await w.app.ok(w.techRev, 'results.enter', { id: by(rs, 'moisture').id, replicates: ['2.6'] });
    await w.app.ok(w.techRev, 'results.enter', { id: by(rs, 'moisture').id, replicates: [''] });
    expect(by(await results(w, s), 'moisture').status).toBe('pending');
    await enterAll(w, s, {}, w.tech);
    await w.app.ok(w.tech, 'results.submit', { sampleCode: s, signature: sign('authored') });
    const before = head(w);
    const moisture = by(await results(w, s), 'moisture');
    expect(moisture.contributors).toContain('tech.rev');
    const r1 = await w.app.call(w.techRev, 'results.review', {
      ids: [moisture.id],
      decision: 'return',
      reason: 'recheck the drying time',
      signature: sign('reviewed'),
    });
    expect(errKey(r1)).toBe('errors.review_not_independent');
    expect(head(w)).toBe(before);

    // A second sample submitted by tech.rev: returning it is refused too (it was only approval before).
    const s2 = await releaseSample(w, await finishedLot(w));
    await enterAll(w, s2, {}, w.techRev);
    await w.app.ok(w.techRev, 'results.submit', { sampleCode: s2, signature: sign('authored') });
    const fat = by(await results(w, s2), 'fat');
    const before2 = head(w);
    const r2 = await w.app.call(w.techRev, 'results.review', {
      ids: [fat.id],
      decision: 'return',
      reason: 'my own result',
      signature: sign('reviewed'),
    });
    expect(errKey(r2)).toBe('errors.review_not_independent');
    expect(String(r2.ok ? '' : r2.error.details?.['how'])).toMatch(/^entered.*submitted$/);
    expect(head(w)).toBe(before2);
  });

  it('a correction after submission makes its author a participant; a recalculation by another input too', async () => {
    const s = await releaseSample(w, await finishedLot(w));
    await enterAll(w, s);
    await w.app.ok(w.tech, 'results.submit', { sampleCode: s, signature: sign('authored') });
    // tech.rev corrects fat; protein per 100 kJ is recalculated from the new energy (0.56 → 0.58).
    const fat = by(await results(w, s), 'fat');
    await w.app.ok(w.techRev, 'results.correct', { id: fat.id, replicates: ['22.0'], reason: 'transcription error' });
    await w.app.ok(w.tech, 'results.submit', { sampleCode: s, signature: sign('authored') });
    const rs = await results(w, s);
    expect(by(rs, 'fat').contributors).toContain('tech.rev');
    expect(by(rs, 'protein').contributors).toContain('tech.rev');
    expect(by(rs, 'moisture').contributors).not.toContain('tech.rev');
    const before = head(w);
    for (const code of ['fat', 'protein', 'energy']) {
      const r = await w.app.call(w.techRev, 'results.review', {
        ids: [by(rs, code).id],
        decision: 'approve',
        signature: sign('reviewed'),
      });
      expect(errKey(r), code).toBe('errors.review_not_independent');
    }
    expect(head(w)).toBe(before);
    // Moisture, which tech.rev never touched, tech.rev may review.
    expect(
      (
        await w.app.ok(w.techRev, 'results.review', {
          ids: [by(rs, 'moisture').id],
          decision: 'approve',
          signature: sign('reviewed'),
        })
      ).reviewed,
    ).toBe(1);
  });

  it('the person who entered a result cannot conclude its OOS investigation', async () => {
    const s = await releaseSample(w, await finishedLot(w));
    await enterAll(w, s);
    const rs = await results(w, s);
    // tech.qa (technician and QA manager) enters a failing lead value; tech.li submits.
    await w.app.ok(w.techQa, 'results.enter', { id: by(rs, 'pb').id, replicates: ['0.12'] });
    const sub = await w.app.ok(w.tech, 'results.submit', { sampleCode: s, signature: sign('authored') });
    expect(sub.oos).toHaveLength(1);
    const code = sub.oos[0]!;
    await w.app.ok(w.tech2, 'oos.phase1', {
      code,
      checklist: Object.fromEntries(
        ['calculation', 'instrument', 'method', 'standards', 'preparation'].map((k) => [
          k,
          { ok: true, note: 'checked, nothing found' },
        ]),
      ) as never,
      summary: 'no laboratory error found',
      signature: sign('authored'),
    });
    const before = head(w);
    const r = await w.app.call(w.techQa, 'oos.conclude', {
      code,
      outcome: 'assignable_cause',
      conclusion: 'dilution error by the analyst',
      signature: sign('oos_concluded'),
    });
    expect(errCode(r)).toBe('self_review');
    expect(errKey(r)).toBe('errors.oos_conclude_not_independent');
    expect(head(w)).toBe(before);
    // Another QA manager concludes.
    const ok = await w.app.ok(w.qa, 'oos.conclude', {
      code,
      outcome: 'no_assignable_cause',
      conclusion: 'confirmed: lead above the limit',
      signature: sign('oos_concluded'),
    });
    expect(ok.oos.status).toBe('confirmed');
  });
});

describe('no quiet testing into compliance (issue 19 §4)', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
    await approveSpec(w);
  });
  afterEach(() => w.app.close());

  it('a failing value changed to a passing one needs a reason; the change is kept, flagged and counted', async () => {
    const lot = await finishedLot(w);
    const s = await releaseSample(w, lot);
    const rs = await enterAll(w, s, { enterobacteriaceae: ['<10', '<10', '<10', '<10', '20'] });
    const eb = by(rs, 'enterobacteriaceae');
    expect(eb.verdict).toBe('fail');
    const before = head(w);
    // Typed over without a reason: refused, nothing written.
    const refused = await w.app.call(w.tech, 'results.enter', {
      id: eb.id,
      unitValues: ['<10', '<10', '<10', '<10', '<10'],
    });
    expect(errKey(refused)).toBe('errors.verdict_change_reason');
    expect(refused.ok ? null : refused.error.details).toMatchObject({ items: 'enterobacteriaceae (20 → <10)' });
    expect(head(w)).toBe(before);
    // Pasted as a block without a reason: refused too.
    const pasted = await w.app.call(w.tech, 'results.enterMany', {
      entries: [{ id: eb.id, unitValues: ['<10', '<10', '<10', '<10', '<10'] }],
    });
    expect(errKey(pasted)).toBe('errors.verdict_change_reason');
    expect(head(w)).toBe(before);
    // "All not detected" on a count is refused whatever the reason.
    const bulk = await w.app.call(w.tech, 'results.enter', {
      id: eb.id,
      unitValues: ['absent', 'absent', 'absent', 'absent', 'absent'],
      verdictChangeReason: 'all not detected',
    });
    expect(errKey(bulk)).toBe('errors.result_qualitative_not_allowed');
    expect(head(w)).toBe(before);
    // With a reason: saved, recorded.
    const saved = await w.app.ok(w.tech, 'results.enter', {
      id: eb.id,
      unitValues: ['<10', '<10', '<10', '<10', '<10'],
      verdictChangeReason: 'unit 5 plate was the 10⁻¹ dilution of another sample; recounted',
    });
    const after = by(saved.changed, 'enterobacteriaceae');
    expect(after.verdict).toBe('pass');
    expect(after.verdictChanges).toHaveLength(1);
    expect(after.verdictChanges[0]).toMatchObject({
      fromVerdict: 'fail',
      toVerdict: 'pass',
      fromReported: '20',
      toReported: '<10',
      via: 'entry',
      changedBy: 'tech.li',
    });
    // Every saved value is kept: the history shows the failing units and the reason.
    const got = await w.app.ok(w.rev, 'results.get', { id: eb.id });
    const texts = got.history.flatMap((h) => h.changes.filter((c) => c.field === 'unit_values').map((c) => c.to));
    expect(texts.some((t) => t?.includes('"20"'))).toBe(true);
    expect(got.history.some((h) => h.reason?.includes('verdict fail → pass: unit 5 plate'))).toBe(true);
    // The lot's audit-trail review shows the record.
    const audit = await w.app.ok(w.qa, 'disposition.auditEntries', { lotCode: lot, onlyUnreviewed: false });
    expect(audit.entries.some((e) => e.entity === 'verdict_change')).toBe(true);
    // The trends figure counts it per analyst and method.
    const fig = await w.app.ok(w.qa, 'trends.verdictChanges', {});
    expect(fig.find((f) => f.analyst === 'tech.li' && f.method === 'GB 4789.41')).toMatchObject({
      changes: 1,
      results: 1,
      analystName: 'User tech.li',
    });
  });

  it('a failing result that passes because another input changed needs the reason too (recalculation)', async () => {
    const s = await releaseSample(w, await finishedLot(w));
    // protein 9.0 g/100 g at 2138.4 kJ/100 g is 0.42 g/100 kJ: below 0.43.
    const rs = await enterAll(w, s, { protein: ['9.0'] });
    expect(by(rs, 'protein').verdict).toBe('fail');
    const before = head(w);
    // Less fat lowers the energy: protein per 100 kJ rises above 0.43.
    const r = await w.app.call(w.tech2, 'results.enter', { id: by(rs, 'fat').id, replicates: ['20.0'] });
    expect(errKey(r)).toBe('errors.verdict_change_reason');
    expect(r.ok ? null : r.error.details?.['items']).toContain('protein');
    expect(head(w)).toBe(before);
    const ok = await w.app.ok(w.tech2, 'results.enter', {
      id: by(rs, 'fat').id,
      replicates: ['20.0'],
      verdictChangeReason: 'fat re-extracted, first extraction incomplete',
    });
    expect(by(ok.changed, 'protein')).toMatchObject({ verdict: 'pass' });
    expect(by(ok.changed, 'protein').verdictChanges[0]).toMatchObject({ via: 'recalculation', changedBy: 'tech.zhao' });
  });

  it('an input of a result under OOS investigation cannot be corrected (the dependent result would change)', async () => {
    const s = await releaseSample(w, await finishedLot(w));
    await enterAll(w, s, { protein: ['9.0'] });
    const sub = await w.app.ok(w.tech, 'results.submit', { sampleCode: s, signature: sign('authored') });
    expect(sub.oos).toHaveLength(1);
    const before = head(w);
    const fat = by(await results(w, s), 'fat');
    const r = await w.app.call(w.tech, 'results.correct', {
      id: fat.id,
      replicates: ['20.0'],
      reason: 'fat re-extracted',
    });
    expect(errKey(r)).toBe('errors.result_under_oos_input');
    expect(r.ok ? null : r.error.details).toMatchObject({ item: 'protein' });
    expect(head(w)).toBe(before);
  });
});

describe('guards inside the write transaction: review and submission races (issue 19 §7)', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
    await approveSpec(w);
  });
  afterEach(() => w.app.close());

  it('a review whose result is corrected and resubmitted while the reviewer signs is refused', async () => {
    const s = await releaseSample(w, await finishedLot(w));
    await enterAll(w, s);
    await w.app.ok(w.tech, 'results.submit', { sampleCode: s, signature: sign('authored') });
    const moisture = by(await results(w, s), 'moisture');
    const gate = barrierOn(w.app.core.need().identity, 'authenticateSigner');
    // The reviewer saw moisture 2.5 and signs.
    const review = w.app.call(w.rev, 'results.review', {
      ids: [moisture.id],
      decision: 'approve',
      signature: sign('reviewed'),
    });
    await gate.reached;
    gate.restore();
    // Meanwhile the analyst corrects it to 4.8 and submits again: the status is `submitted` once more.
    await w.app.ok(w.tech, 'results.correct', { id: moisture.id, replicates: ['4.8'], reason: 'wrong dish weighed' });
    await w.app.ok(w.tech, 'results.submit', { sampleCode: s, signature: sign('authored') });
    const before = head(w);
    gate.release();
    const r = await review;
    expect(errKey(r)).toBe('errors.result_changed_meanwhile');
    expect(head(w)).toBe(before);
    const now = by(await results(w, s), 'moisture');
    expect(now).toMatchObject({ status: 'submitted', reported: '4.8', reviewedBy: null });
  });

  it('two reviewers at once: the second decision is refused once the first has returned the result', async () => {
    const s = await releaseSample(w, await finishedLot(w));
    await enterAll(w, s);
    await w.app.ok(w.tech, 'results.submit', { sampleCode: s, signature: sign('authored') });
    const fat = by(await results(w, s), 'fat');
    const gate = barrierOn(w.app.core.need().identity, 'authenticateSigner');
    const approve = w.app.call(w.rev, 'results.review', {
      ids: [fat.id],
      decision: 'approve',
      signature: sign('reviewed'),
    });
    await gate.reached;
    gate.restore();
    await w.app.ok(w.rev2, 'results.review', {
      ids: [fat.id],
      decision: 'return',
      reason: 'replicates missing from the worksheet',
      signature: sign('reviewed'),
    });
    const before = head(w);
    gate.release();
    const r = await approve;
    expect(errKey(r)).toBe('errors.result_transition_not_allowed');
    expect(head(w)).toBe(before);
    expect(by(await results(w, s), 'fat').status).toBe('returned');
  });

  it('a submission during which another analyst changes a value signs nothing', async () => {
    const s = await releaseSample(w, await finishedLot(w));
    const rs = await enterAll(w, s);
    const gate = barrierOn(w.app.core.need().identity, 'authenticateSigner');
    const submit = w.app.call(w.tech, 'results.submit', { sampleCode: s, signature: sign('authored') });
    await gate.reached;
    gate.restore();
    await w.app.ok(w.tech2, 'results.enter', { id: by(rs, 'ash').id, replicates: ['2.4'] });
    const before = head(w);
    gate.release();
    const r = await submit;
    expect(errKey(r)).toBe('errors.result_changed_meanwhile');
    expect(head(w)).toBe(before);
    expect((await results(w, s)).every((x) => x.status !== 'submitted')).toBe(true);
  });

  it('a submission during which the sample is cancelled signs nothing', async () => {
    const s = await releaseSample(w, await finishedLot(w));
    await enterAll(w, s);
    const gate = barrierOn(w.app.core.need().identity, 'authenticateSigner');
    const submit = w.app.call(w.tech, 'results.submit', { sampleCode: s, signature: sign('authored') });
    await gate.reached;
    gate.restore();
    await w.app.ok(w.tech2, 'samples.cancel', { code: s, reason: 'container leaked in transit' });
    const before = head(w);
    gate.release();
    const r = await submit;
    expect(errKey(r)).toBe('errors.sample_closed');
    expect(head(w)).toBe(before);
  });
});
