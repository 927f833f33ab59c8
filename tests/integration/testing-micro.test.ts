import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { L } from '../../src/main/lots/entities';
import { T } from '../../src/main/testing/entities';
import { translate } from '../../src/shared/i18n';
import { USER_PASSWORD } from '../helpers/core';
import {
  approveSpec,
  by,
  enterAll,
  errCode,
  errKey,
  finishedLot,
  head,
  HOUR,
  later,
  releaseSample,
  results,
  sign,
  world,
  type World,
} from '../helpers/testing-world';

/**
 * The micro workflow over the contract (issue 20 §3): presumptive positive → confirmation →
 * confirmed / not confirmed; a presumptive positive on a finished IMF lot holds it at once
 * (system rule, unsigned, reviewed by QA); incubation and confirmation times give the expected
 * completion on the worklist and on the lot's readiness.
 */
describe('micro workflow (issue 20 §3)', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
    await approveSpec(w);
  });
  afterEach(() => w.app.close());

  const units = (presumptive: number[], n = 3) =>
    Array.from({ length: n }, (_, k) => (presumptive.includes(k + 1) ? '疑似阳性' : 'absent'));

  it('a presumptive Cronobacter positive holds a released IMF lot at once, unsigned; QA reviews it', async () => {
    const lot = await finishedLot(w);
    const s = await releaseSample(w, lot);
    await enterAll(w, s, { cronobacter: [] });
    // Fixture: the lot was released earlier (its release path is disposition's own tests),
    // with the QA manager's personal signature the ledger requires (issue 18 §3).
    const svc = w.app.core.need();
    const lotRow = svc.ledger.db.prepare('SELECT id FROM lot WHERE code = ?').get(lot) as { id: string };
    const qa = await svc.identity.authenticateSigner('qa.chen', USER_PASSWORD);
    svc.ledger.write({ id: 'qa.chen', name: 'User qa.chen' }, (wr) => {
      wr.update(L.lot, lotRow.id, { status: 'released' }, { reason: 'test fixture: released' });
      svc.identity.sign(wr, qa, { def: L.lot, id: lotRow.id }, { meaning: 'released', comment: 'test fixture' });
    });
    const cro = by(await results(w, s), 'cronobacter');
    const saved = await w.app.ok(w.tech, 'results.enter', { id: cro.id, unitValues: units([2]) });
    const now = by(saved.changed, 'cronobacter');
    expect(now).toMatchObject({ unitValues: ['absent', 'presumptive', 'absent'], verdict: null });
    expect(now.reported).toBe('presumptive (1/3)');
    expect(now.micro).toMatchObject({ method: 'GB 4789.40', stage: 'presumptive', presumptiveUnits: [2] });
    // Held in the same write: status on hold, a hold record by the rule, no signature on it.
    const l = await w.app.ok(w.qa, 'lots.get', { code: lot });
    expect(l.lot.status).toBe('on_hold');
    const holds = await w.app.ok(w.qa, 'results.microHolds', { lotCode: lot });
    expect(holds).toHaveLength(1);
    expect(holds[0]).toMatchObject({
      rule: 'micro.presumptive_positive',
      status: 'open',
      outcome: 'pending',
      units: [2],
      lotStatusBefore: 'released',
    });
    expect(await w.app.ok(w.qa, 'signatures.forRecord', { entity: 'micro_hold', entityId: holds[0]!.id })).toHaveLength(
      0,
    );
    // Readiness names it; no release.
    const r = await w.app.ok(w.qa, 'disposition.readiness', { lotCode: lot });
    const line = r.lines.find((x) => x.key === 'micro');
    expect(line).toMatchObject({ ok: false, details: { presumptive: 'cronobacter', holds: '1' } });
    expect(r.allowedDecisions).not.toContain('release');
    // Only a QA manager reviews the hold, with a signature.
    expect(
      errCode(
        await w.app.call(w.tech, 'results.microHoldReview', {
          id: holds[0]!.id,
          note: 'looked at it',
          signature: sign('reviewed'),
        }),
      ),
    ).toBe('forbidden');
    const reviewed = await w.app.ok(w.qa, 'results.microHoldReview', {
      id: holds[0]!.id,
      note: 'Stock quarantined in warehouse B; waiting for the confirmation.',
      signature: sign('reviewed'),
    });
    expect(reviewed).toMatchObject({ status: 'reviewed', reviewedBy: 'qa.chen' });
    const sigs = await w.app.ok(w.qa, 'signatures.forRecord', { entity: 'micro_hold', entityId: holds[0]!.id });
    expect(sigs.map((x) => x.meaning)).toEqual(['reviewed']);
    expect(
      errKey(
        await w.app.call(w.qa, 'results.microHoldReview', {
          id: holds[0]!.id,
          note: 'again',
          signature: sign('reviewed'),
        }),
      ),
    ).toBe('errors.micro_hold_reviewed');
    // The lot's audit-trail review shows the hold.
    const audit = await w.app.ok(w.qa, 'disposition.auditEntries', { lotCode: lot, onlyUnreviewed: false });
    expect(audit.entries.some((e) => e.entity === 'micro_hold')).toBe(true);
    expect(audit.entries.some((e) => e.entity === 'micro_confirmation')).toBe(true);
  });

  it('a presumptive unit changes only by its confirmation; a positive is never typed straight in', async () => {
    const lot = await finishedLot(w);
    const s = await releaseSample(w, lot);
    await enterAll(w, s, { cronobacter: [] });
    const cro = by(await results(w, s), 'cronobacter');
    const before = head(w);
    // A positive is presumptive first on a method that confirms (GB 4789.40).
    const direct = await w.app.call(w.tech, 'results.enter', {
      id: cro.id,
      unitValues: ['absent', 'present', 'absent'],
    });
    expect(errKey(direct)).toBe('errors.present_needs_confirmation');
    expect(head(w)).toBe(before);
    await w.app.ok(w.tech, 'results.enter', { id: cro.id, unitValues: units([2]) });
    const mid = head(w);
    // Typed over, pasted or cleared: refused, nothing written.
    for (const v of [
      ['absent', 'absent', 'absent'],
      ['absent', '', 'absent'],
    ]) {
      const r = await w.app.call(w.tech, 'results.enter', { id: cro.id, unitValues: v });
      expect(errKey(r), JSON.stringify(v)).toBe('errors.presumptive_needs_confirmation');
      const p = await w.app.call(w.tech, 'results.enterMany', { entries: [{ id: cro.id, unitValues: v }] });
      expect(errKey(p), JSON.stringify(v)).toBe('errors.presumptive_needs_confirmation');
    }
    expect(
      errKey(
        await w.app.call(w.tech, 'results.microConfirm', {
          id: cro.id,
          unit: 1,
          outcome: 'not_confirmed',
          evidence: 'no typical colonies',
        }),
      ),
    ).toBe('errors.unit_not_presumptive');
    expect(head(w)).toBe(mid);
    // Confirmed: the unit is present, the plan fails; submission opens the OOS investigation.
    const conf = await w.app.ok(w.tech2, 'results.microConfirm', {
      id: cro.id,
      unit: 2,
      outcome: 'confirmed',
      evidence: 'Yellow pigment on TSA; API 20E 3305373: C. sakazakii',
    });
    expect(by(conf.changed, 'cronobacter')).toMatchObject({
      unitValues: ['absent', 'present', 'absent'],
      verdict: 'fail',
      reported: 'present (1/3)',
    });
    expect((await w.app.ok(w.qa, 'results.microHolds', { lotCode: lot }))[0]).toMatchObject({ outcome: 'confirmed' });
    const sub = await w.app.ok(w.tech, 'results.submit', { sampleCode: s, signature: sign('authored') });
    expect(sub.oos).toHaveLength(1);
    // The history keeps the presumptive and the confirmation with its evidence.
    const got = await w.app.ok(w.rev, 'results.get', { id: cro.id });
    expect(got.history.some((h) => h.reason?.includes('confirmation: unit 2 confirmed (Yellow pigment'))).toBe(true);
    // Contributors include the confirming technician: tech.zhao cannot review it either.
    expect(got.result.contributors).toEqual(['tech.li', 'tech.zhao']);
  });

  it('incubation and confirmation times give the expected completion on the worklist and the readiness', async () => {
    const lot = await finishedLot(w);
    const s = await releaseSample(w, lot);
    const rs = await results(w, s);
    const micro = rs.filter((r) => r.micro);
    expect(micro.map((r) => [r.itemCode, r.micro!.stage]).sort()).toEqual(
      [
        ['apc', 'not_started'],
        ['cronobacter', 'not_started'],
        ['enterobacteriaceae', 'not_started'],
        ['salmonella', 'not_started'],
      ].sort(),
    );
    const t0 = w.clock.now;
    const started = await w.app.ok(w.tech, 'results.microStart', { ids: micro.map((r) => r.id) });
    const exp = (code: string) => by(started.updated, code).micro!.expectedFinalAt;
    // Cronobacter 20 + 26 + 26 h, Salmonella 18 + 24 + 48 h, APC 50 h, Enterobacteriaceae 26 + 24 h [U].
    expect(exp('cronobacter')).toBe(new Date(t0 + 72 * HOUR).toISOString());
    expect(exp('salmonella')).toBe(new Date(t0 + 90 * HOUR).toISOString());
    expect(exp('apc')).toBe(new Date(t0 + 50 * HOUR).toISOString());
    expect(exp('enterobacteriaceae')).toBe(new Date(t0 + 50 * HOUR).toISOString());
    // The worklist shows them; the lot's readiness says when micro will be final.
    const wl = await w.app.ok(w.tech, 'results.worklist', { sampleCode: s });
    expect(by(wl.results, 'salmonella').micro?.expectedFinalAt).toBe(new Date(t0 + 90 * HOUR).toISOString());
    let line = (await w.app.ok(w.qa, 'disposition.readiness', { lotCode: lot })).lines.find((x) => x.key === 'micro');
    expect(line).toMatchObject({
      ok: false,
      details: { pending: '4', expected: new Date(t0 + 90 * HOUR).toISOString() },
    });
    // A presumptive Salmonella on day 3 moves its expected completion to the confirmation (+48 h).
    await later(w, 60 * HOUR);
    const sal = by(rs, 'salmonella');
    await w.app.ok(w.tech, 'results.enter', { id: sal.id, unitValues: units([4], 5) });
    const st = await w.app.ok(w.qa, 'results.microStatus', { lotCode: lot });
    expect(st.presumptive).toEqual(['salmonella']);
    expect(st.expectedFinalAt).toBe(new Date(t0 + 108 * HOUR).toISOString());
    expect(st.openHolds).toHaveLength(1);
    // Not confirmed: the unit is absent, the expected time goes back to the method's.
    await w.app.ok(w.tech, 'results.microConfirm', {
      id: sal.id,
      unit: 4,
      outcome: 'not_confirmed',
      evidence: 'TSI and LIA atypical; API 20E 1004552: Citrobacter freundii',
    });
    const after = by(await results(w, s), 'salmonella');
    expect(after).toMatchObject({ verdict: 'pass', reported: 'absent' });
    expect(after.micro?.expectedFinalAt).toBe(new Date(t0 + 90 * HOUR).toISOString());
    expect((await w.app.ok(w.qa, 'results.microHolds', { lotCode: lot }))[0]).toMatchObject({
      outcome: 'not_confirmed',
      status: 'open',
    });
    // Everything entered, submitted and the hold reviewed: the micro line is met.
    await enterAll(w, s, { salmonella: [] });
    await w.app.ok(w.tech, 'results.submit', { sampleCode: s, signature: sign('authored') });
    const hold = (await w.app.ok(w.qa, 'results.microHolds', { lotCode: lot }))[0]!;
    line = (await w.app.ok(w.qa, 'disposition.readiness', { lotCode: lot })).lines.find((x) => x.key === 'micro');
    expect(line).toMatchObject({ ok: false, details: { pending: '0', holds: '1' } });
    await w.app.ok(w.qa, 'results.microHoldReview', {
      id: hold.id,
      note: 'Not confirmed (Citrobacter); lot may proceed',
      signature: sign('reviewed'),
    });
    line = (await w.app.ok(w.qa, 'disposition.readiness', { lotCode: lot })).lines.find((x) => x.key === 'micro');
    expect(line?.ok).toBe(true);
  });

  it('a micro value counts only once its culture is on record: refused before the incubation start on every path, never signed, never released (D-111)', async () => {
    const lot = await finishedLot(w);
    const s = await releaseSample(w, lot);
    const rs = await results(w, s);
    const sal = by(rs, 'salmonella');
    const apc = by(rs, 'apc');
    expect(sal.micro?.stage).toBe('not_started');
    const before = head(w);
    // The grid (results.enter), a paste (results.enterMany): refused, nothing written, said plainly.
    const one = await w.app.call(w.tech, 'results.enter', { id: sal.id, unitValues: Array(5).fill('未检出') });
    expect(errKey(one)).toBe('errors.micro_culture_not_started');
    const many = await w.app.call(w.tech, 'results.enterMany', {
      entries: [
        { id: by(rs, 'protein').id, replicates: ['12.0'] },
        { id: apc.id, unitValues: ['<10', '<10', '<10', '<10', '<10'] },
      ],
    });
    expect(errKey(many)).toBe('errors.micro_culture_not_started');
    expect(head(w)).toBe(before);
    const details = (one as { error: { details: Record<string, unknown> } }).error.details;
    expect(translate('zh-CN', 'errors.micro_culture_not_started', details)).toContain('尚未开始培养');
    expect(translate('en', 'errors.micro_culture_not_started', details)).toContain('has not been started');
    // Started: the values are taken. The start cannot then be moved after them.
    await w.app.ok(w.tech, 'results.microStart', { ids: [sal.id, apc.id] });
    await later(w, HOUR);
    await w.app.ok(w.tech, 'results.enter', { id: sal.id, unitValues: Array(5).fill('未检出') });
    await later(w, HOUR);
    const moved = await w.app.call(w.tech, 'results.microStart', { ids: [sal.id] });
    expect(errKey(moved)).toBe('errors.micro_start_after_values');
    // Everything entered and submitted (enterAll records the other cultures first): the micro line is met.
    await enterAll(w, s, { salmonella: [] });
    await w.app.ok(w.tech, 'results.submit', { sampleCode: s, signature: sign('authored') });
    const microLine = async () =>
      (await w.app.ok(w.qa, 'disposition.readiness', { lotCode: lot })).lines.find((x) => x.key === 'micro');
    expect((await microLine())?.ok).toBe(true);
    // A record typed with no culture on record (as versions before D-111 allowed, or an insider's
    // edit through the write path): it is not final, the lot's micro line fails, no release.
    const svc = w.app.core.need();
    svc.ledger.write({ id: 'tech.li', name: 'User tech.li' }, (wr) => {
      wr.update(
        T.result,
        sal.id,
        { micro_started_at: null, micro_expected_at: null },
        { reason: 'test fixture: an older record' },
      );
    });
    const line = await microLine();
    expect(line).toMatchObject({ ok: false, details: { pending: '1' } });
    expect(line?.evidence).toEqual([expect.objectContaining({ ref: sal.id, note: 'not_started' })]);
    expect(by(await results(w, s), 'salmonella').micro?.stage).toBe('not_started');
    const r = await w.app.ok(w.qa, 'disposition.readiness', { lotCode: lot });
    expect(r.allowedDecisions).not.toContain('release');
  });

  it('a value typed before its culture was on record is not signed as a result (D-111)', async () => {
    const lot = await finishedLot(w);
    const s = await releaseSample(w, lot);
    const sal = by(await results(w, s), 'salmonella');
    await w.app.ok(w.tech, 'results.microStart', { ids: [sal.id] });
    await w.app.ok(w.tech, 'results.enter', { id: sal.id, unitValues: Array(5).fill('absent') });
    // An older record: the value stands, the culture start is gone.
    w.app.core.need().ledger.write({ id: 'tech.li', name: 'User tech.li' }, (wr) => {
      wr.update(T.result, sal.id, { micro_started_at: null }, { reason: 'test fixture: an older record' });
    });
    const before = head(w);
    const sub = await w.app.call(w.tech, 'results.submit', {
      sampleCode: s,
      ids: [sal.id],
      signature: sign('authored'),
    });
    expect(errKey(sub)).toBe('errors.micro_culture_not_read');
    expect(head(w)).toBe(before);
  });

  it('presumptive is refused where the method has no confirmation step or the plan counts', async () => {
    const s = await releaseSample(w, await finishedLot(w));
    const rs = await results(w, s);
    const before = head(w);
    const apc = await w.app.call(w.tech, 'results.enter', {
      id: by(rs, 'apc').id,
      unitValues: ['疑似阳性', '<10', '<10', '<10', '<10'],
    });
    expect(errKey(apc)).toBe('errors.result_presumptive_not_allowed');
    expect(head(w)).toBe(before);
  });
});
