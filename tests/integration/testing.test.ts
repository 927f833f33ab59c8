import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SpecDocument, SpecItem } from '../../src/shared/catalog/spec-schema';
import type { ResultView } from '../../src/shared/contract/channels/testing';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { ADMIN_PASSWORD, createTestApp, USER_PASSWORD, type TestApp } from '../helpers/core';
import * as plant from '../fixtures/plant';
import { MATERIALS, PRODUCTS, specItem, SUPPLIERS, TEST_PEOPLE, type Person } from '../fixtures/plant';

const T0 = Date.parse('2026-03-05T02:00:00Z');
const DAY = 86_400_000;
const sign = (meaning: string) => ({ password: USER_PASSWORD, meaning }) as never;
const errKey = (r: { ok: boolean; error?: { messageKey: string } }) => (r.ok ? null : r.error!.messageKey);
const errCode = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? null : r.error!.code);

const item = specItem;

/** A plant specification for IF-1 exercising conversion, calculation, rounding methods and sampling plans. */
const IF1_ITEMS: SpecItem[] = [
  item({
    code: 'energy',
    unit: 'kJ',
    basis: 'per_100ml',
    min: '250',
    max: '295',
    precision: 0,
    formula: '17 * protein + 37 * fat + 17 * carbohydrate',
  }),
  item({ code: 'protein', method_code: 'GB 5009.5', min: '0.43', max: '0.72' }),
  item({ code: 'fat', method_code: 'GB 5009.6', min: '1.05', max: '1.43' }),
  item({ code: 'carbohydrate', min: '2.2', max: '3.3', precision: 1, formula: '100 - moisture - protein - fat - ash' }),
  item({
    code: 'moisture',
    group: 'other',
    unit: 'g/100g',
    basis: 'per_100g',
    limit_form: 'maximum',
    max: '5.0',
    precision: 1,
  }),
  item({ code: 'ash', group: 'other', unit: 'g/100g', basis: 'per_100g', limit_form: 'report_only', precision: 1 }),
  item({
    code: 'pb',
    group: 'contaminants',
    unit: 'mg/kg',
    basis: 'per_kg',
    limit_form: 'maximum',
    max: '0.08',
    precision: 2,
    lod: '0.01',
  }),
  item({
    code: 'nitrite',
    group: 'contaminants',
    unit: 'mg/kg',
    basis: 'per_kg',
    limit_form: 'maximum',
    max: '2.0',
    precision: 1,
    comparison: 'rounded_value',
  }),
  item({
    code: 'apc',
    group: 'microbiology',
    unit: 'CFU/g',
    basis: 'per_g',
    limit_form: 'sampling_plan',
    n: 5,
    c: 2,
    m: '1000',
    big_m: '10000',
    precision: null,
  }),
  item({
    code: 'salmonella',
    group: 'microbiology',
    unit: 'per 25 g',
    basis: 'per_25g',
    limit_form: 'sampling_plan',
    n: 5,
    c: 0,
    m: '0',
    precision: null,
  }),
];

interface World {
  app: TestApp;
  clock: { now: number };
  qa: Connection;
  tech: Connection;
  tech2: Connection;
  rev: Connection;
  /** A technician who is also a reviewer: may review others' results, never their own. */
  techRev: Connection;
  prod: Connection;
  productId: string;
  materialId: string;
}

async function world(): Promise<World> {
  const clock = { now: T0 };
  const app = await createTestApp({ clock: () => clock.now });
  const P = TEST_PEOPLE;
  const mk = (p: Person) => app.userWith([...p.roles], p.userId);
  const qa = await mk(P.qa);
  const tech = await mk(P.tech);
  const tech2 = await mk(P.tech2);
  const rev = await mk(P.reviewer);
  const techRev = await mk(P.techReviewer);
  const prod = await mk(P.prod);
  const QA = app.member(qa);
  const productId = await plant.product(QA, { ...PRODUCTS.if1, nameZh: '婴儿配方奶粉 1段', shelfLifeDays: 720 });
  const m = await app.ok(qa, 'catalog.materials.save', { fields: { ...MATERIALS.wpc80, nameZh: '浓缩乳清蛋白' } });
  await plant.supplier(QA, { ...SUPPLIERS.whey, name: 'SUP-W Ltd', approvedOn: null, lastAuditOn: null, nextAuditDue: null });
  return { app, clock, qa, tech, tech2, rev, techRev, prod, productId, materialId: m.id };
}

async function approve(
  w: World,
  subjectKind: 'product' | 'material',
  subjectId: string,
  code: string,
  items: SpecItem[],
  appliesTo = 'infant',
): Promise<string> {
  return plant.approveSpec(w.app.member(w.qa), {
    subjectId,
    code,
    doc: plant.specDocument(code, items, { subjectKind, appliesTo }),
  });
}

async function finishedLot(w: World, itemCode = 'IF-1'): Promise<string> {
  return (await plant.makeLot(w.app.member(w.prod), { line: 'Line 2', itemCode })).code;
}

async function releaseSample(w: World, lotCode: string): Promise<{ code: string; units: string[] }> {
  return plant.releaseSample(w.app.member(w.tech), lotCode);
}

async function later(w: World, ms: number): Promise<void> {
  w.clock.now += ms;
  for (const c of [w.tech, w.tech2, w.qa, w.prod, w.rev, w.techRev])
    await w.app.ok(c, 'auth.unlock', { password: USER_PASSWORD });
  await w.app.ok(w.app.admin, 'auth.unlock', { password: ADMIN_PASSWORD });
}

const by = (rs: ResultView[], code: string) => {
  const r = rs.filter((x) => x.itemCode === code).sort((a, b) => b.attempt - a.attempt)[0];
  if (!r) throw new Error(`no result ${code}`);
  return r;
};

async function results(w: World, sampleCode: string): Promise<ResultView[]> {
  return (await w.app.ok(w.tech, 'results.forSample', { sampleCode })).results;
}

/** Enters the good values of IF1_ITEMS for a sample (optionally overriding some). */
async function enterAll(w: World, sampleCode: string, over: Record<string, string[]> = {}): Promise<ResultView[]> {
  const rs = await results(w, sampleCode);
  const values: Record<string, string[]> = {
    protein: ['12.0'],
    fat: ['26.0'],
    moisture: ['2.5'],
    ash: ['2.3'],
    pb: ['ND'],
    nitrite: ['0.8'],
    reconstitution: ['13.0'],
    apc: ['100', '2000', '1500', '<10', '500'],
    salmonella: ['absent', 'absent', 'absent', 'absent', 'absent'],
    ...over,
  };
  for (const r of rs) {
    const v = values[r.itemCode];
    if (!v || r.calculated) continue;
    await w.app.ok(
      w.tech,
      'results.enter',
      r.item.limit_form === 'sampling_plan' ? { id: r.id, unitValues: v } : { id: r.id, replicates: v },
    );
  }
  return results(w, sampleCode);
}

describe('testing: plans, entry, calculation, review, OOS, completeness', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(() => w.app.close());

  it('plans every item of the GB 10765 pack for a release sample, with micro n units and calculated items wired', async () => {
    const pack = JSON.parse(
      readFileSync(join(__dirname, '../../resources/spec-packs/gb-10765-2021-milk.json'), 'utf8'),
    ) as SpecDocument;
    // The plant completes the pack before approval: every item its own (verification
    // `plant`), items without a published limit reported only.
    const items = plant.completeGbPack(pack);
    await approve(w, 'product', w.productId, 'SPEC-GB10765', items);
    const lot = await finishedLot(w);
    const s = await releaseSample(w, lot);
    // The largest plan's n units are registered (salmonella, apc: n = 5).
    expect(s.units).toHaveLength(5);
    const rs = await results(w, s.code);
    const planned = rs.filter((r) => !r.parameter).map((r) => r.itemCode);
    expect(planned).toEqual(pack.items.map((i) => i.code));
    // Energy is per 100 mL as fed: the plan asks for the reconstitution.
    expect(rs.filter((r) => r.parameter).map((r) => r.itemCode)).toEqual(['reconstitution']);
    expect(
      rs
        .filter((r) => r.calculated)
        .map((r) => r.itemCode)
        .sort(),
    ).toEqual(['ara_dha', 'ca_p', 'carbohydrate', 'energy', 'la_ala'].sort());
    expect(by(rs, 'salmonella').item.n).toBe(5);
    expect(by(rs, 'cronobacter').item.n).toBe(3);
    expect(by(rs, 'protein').entryUnit).toBe('g/100 g');
    expect(rs.every((r) => r.status === 'pending' && r.planReason !== 'added')).toBe(true);
    // Completeness lists every release item as missing, by group.
    const c = await w.app.ok(w.qa, 'results.completeness', { lotCode: lot });
    expect(c.items).toHaveLength(pack.items.length);
    expect(c.complete).toBe(false);
    expect(c.groups.find((g) => g.group === 'microbiology')).toMatchObject({ required: 4, missing: 4 });
  });

  it('frequency rules: every lot, every nth lot of the product, periodic', async () => {
    const p = await w.app.ok(w.qa, 'catalog.products.save', {
      fields: {
        code: 'MP-1',
        nameZh: '全脂乳粉',
        nameEn: 'Whole milk powder',
        stage: 'other_dairy',
        proteinBase: 'cow',
        registrationNo: null,
        shelfLifeDays: 540,
        packSizes: [],
      },
    });
    await approve(
      w,
      'product',
      p.id,
      'SPEC-MP',
      [
        item({ code: 'moisture', basis: 'per_100g', unit: 'g/100g', limit_form: 'maximum', max: '5.0', precision: 1 }),
        item({
          code: 'vit_d',
          basis: 'per_100g',
          unit: 'µg/100g',
          min: '5',
          max: '20',
          precision: 1,
          frequency: 'every_nth_lot',
          frequency_n: 3,
        }),
        item({
          code: 'pb',
          group: 'contaminants',
          basis: 'per_kg',
          unit: 'mg/kg',
          limit_form: 'maximum',
          max: '0.08',
          frequency: 'periodic',
          period_days: 7,
        }),
      ],
      'milk_powder',
    );
    const plans: string[][] = [];
    for (let d = 0; d < 9; d++) {
      const lot = await finishedLot(w, 'MP-1');
      const s = await releaseSample(w, lot);
      plans.push((await results(w, s.code)).map((r) => r.itemCode));
      await later(w, DAY);
    }
    expect(plans.map((x) => x.includes('moisture'))).toEqual(Array(9).fill(true));
    expect(plans.map((x) => x.includes('vit_d'))).toEqual([true, false, false, true, false, false, true, false, false]);
    expect(plans.map((x) => x.includes('pb'))).toEqual([true, false, false, false, false, false, false, true, false]);
  });

  it('enters, converts, calculates, rounds (GB/T 8170) and judges end to end', async () => {
    await approve(w, 'product', w.productId, 'SPEC-IF-1', IF1_ITEMS);
    const lot = await finishedLot(w);
    const s = await releaseSample(w, lot);
    let rs = await results(w, s.code);
    // Protein per 100 kJ waits for the energy, which waits for its inputs.
    const first = await w.app.ok(w.tech, 'results.enter', { id: by(rs, 'protein').id, replicates: ['12.0'] });
    expect(by(first.changed, 'protein')).toMatchObject({ status: 'entered', value: '12.0', verdict: null });
    expect(by(first.changed, 'protein').verdictDetails['waitingFor']).toBe('energy');
    rs = await enterAll(w, s.code);
    // carbohydrate = 100 − 2.5 − 12.0 − 26.0 − 2.3 = 57.2 g/100 g; energy = 17×12 + 37×26 + 17×57.2 = 2138.4 kJ/100 g
    expect(by(rs, 'carbohydrate')).toMatchObject({
      status: 'entered',
      value: '57.2',
      reported: '2.7',
      verdict: 'pass',
    });
    expect(by(rs, 'energy')).toMatchObject({ value: '2138.4', reported: '278', verdict: 'pass' }); // × 13.0 g / 100 mL = 277.992
    expect(by(rs, 'protein')).toMatchObject({ reported: '0.56', verdict: 'pass' }); // 12.0 / 21.384
    expect(by(rs, 'fat')).toMatchObject({ reported: '1.22', verdict: 'pass' });
    expect(by(rs, 'ash')).toMatchObject({ reported: '2.3', verdict: 'none', verdictReason: 'testing.report_only' });
    expect(by(rs, 'pb')).toMatchObject({ reported: 'ND', verdict: 'pass' });
    expect(by(rs, 'apc')).toMatchObject({ reported: '2000', verdict: 'pass', verdictReason: 'verdict.plan_pass' });
    expect(by(rs, 'salmonella')).toMatchObject({ reported: 'absent', verdict: 'pass' });

    const enter = async (code: string, v: string[], verdictChangeReason?: string) =>
      by(
        (
          await w.app.ok(w.tech, 'results.enter', {
            id: by(rs, code).id,
            ...(by(rs, code).item.limit_form === 'sampling_plan' ? { unitValues: v } : { replicates: v }),
            ...(verdictChangeReason ? { verdictChangeReason } : {}),
          })
        ).changed,
        code,
      );
    // GB/T 8170 §3.2: 2.25 → 2.2 and 2.35 → 2.4 (a 5 with nothing after it rounds to even).
    expect(await enter('moisture', ['2.25'])).toMatchObject({ reported: '2.2', verdict: 'pass' });
    expect(await enter('moisture', ['2.35'])).toMatchObject({ reported: '2.4' });
    // Rounded-value comparison (修约值比较法): nitrite ≤ 2.0; 2.05 → 2.0 passes, 2.051 → 2.1 fails.
    expect(await enter('nitrite', ['2.05'])).toMatchObject({ reported: '2.0', verdict: 'pass' });
    expect(await enter('nitrite', ['2.051'])).toMatchObject({ reported: '2.1', verdict: 'fail' });
    // Full-value comparison (全数值比较法): Pb ≤ 0.08; 0.081 reports 0.08 but fails.
    expect(await enter('pb', ['0.081'])).toMatchObject({
      reported: '0.08',
      verdict: 'fail',
      verdictReason: 'verdict.above_max',
    });
    // A saved failing verdict changes only with a reason (issue 19 §4).
    expect(await enter('pb', ['0.080'], 'keyed 0.081 for the 0.080 on the printout')).toMatchObject({
      reported: '0.08',
      verdict: 'pass',
    });
    // Duplicates are averaged before rounding.
    expect(await enter('protein', ['12.0', '12.2'])).toMatchObject({ value: '12.1' });
    // Micro n/c/m/M: three units above m with c = 2 fail; one above M fails.
    expect(await enter('apc', ['1100', '2000', '1500', '<10', '500'])).toMatchObject({
      verdict: 'fail',
      verdictReason: 'verdict.plan_too_many_above_m',
    });
    expect(await enter('apc', ['100', '20000', '10', '<10', '500'])).toMatchObject({
      verdict: 'fail',
      verdictReason: 'verdict.plan_unit_above_big_m',
    });
    expect(await enter('salmonella', ['absent', 'absent', 'present', 'absent', 'absent'])).toMatchObject({
      reported: 'present (1/5)',
      verdict: 'fail',
    });
    // A correction of an input recalculates the dependent items at once.
    const moist = await w.app.ok(w.tech, 'results.enter', { id: by(rs, 'moisture').id, replicates: ['3.5'] });
    expect(by(moist.changed, 'carbohydrate').value).toBe('56.1'); // 100 − 3.5 − 12.1 − 26.0 − 2.3
    // Wrong shapes are refused and change nothing.
    const before = w.app.core.need().ledger.head().seq;
    expect(errKey(await w.app.call(w.tech, 'results.enter', { id: by(rs, 'apc').id, unitValues: ['1', '2'] }))).toBe(
      'errors.result_unit_count',
    );
    expect(
      errKey(await w.app.call(w.tech, 'results.enter', { id: by(rs, 'protein').id, replicates: ['absent'] })),
    ).toBe('errors.result_qualitative_not_allowed');
    expect(errKey(await w.app.call(w.tech, 'results.enter', { id: by(rs, 'energy').id, replicates: ['2000'] }))).toBe(
      'errors.result_calculated',
    );
    expect(errCode(await w.app.call(w.tech, 'results.enter', { id: by(rs, 'protein').id, replicates: ['12,0'] }))).toBe(
      'invalid_input',
    );
    expect(w.app.core.need().ledger.head().seq).toBe(before);
  });

  it('replicate rule from the method: too few or too far apart cannot be submitted', async () => {
    await approve(w, 'product', w.productId, 'SPEC-IF-1', IF1_ITEMS);
    await w.app.ok(w.qa, 'methods.rules.save', {
      methodCode: 'GB 5009.5',
      replicates: 2,
      repeatability: 'relative',
      limit: '10',
      note: 'GB 5009.5-2016 §… 10 % of the mean',
    });
    const s = await releaseSample(w, await finishedLot(w));
    let rs = await enterAll(w, s.code, { protein: ['12.0'] });
    expect(by(rs, 'protein')).toMatchObject({ verdict: 'invalid', verdictReason: 'testing.replicates_required' });
    rs = await enterAll(w, s.code, { protein: ['12.0', '13.5'] }); // difference 1.5 > 10 % of 12.75
    expect(by(rs, 'protein')).toMatchObject({ verdict: 'invalid', verdictReason: 'testing.repeatability_exceeded' });
    expect(
      errKey(await w.app.call(w.tech, 'results.submit', { sampleCode: s.code, signature: sign('authored') })),
    ).toBe('errors.result_not_computable');
    rs = await enterAll(w, s.code, { protein: ['12.0', '12.4'] });
    expect(by(rs, 'protein')).toMatchObject({ verdict: 'pass', value: '12.2' });
  });

  it('submit (authored), second-person review (reviewed), self-review refused, return, correction keeps the original', async () => {
    await approve(w, 'product', w.productId, 'SPEC-IF-1', IF1_ITEMS);
    const lot = await finishedLot(w);
    const s = await releaseSample(w, lot);
    // The technician-reviewer enters and submits; they can never review their own results.
    let rs = await results(w, s.code);
    for (const r of rs) {
      if (r.calculated) continue;
      const v: Record<string, string[]> = {
        protein: ['12.0'],
        fat: ['26.0'],
        moisture: ['2.5'],
        ash: ['2.3'],
        pb: ['ND'],
        nitrite: ['0.8'],
        reconstitution: ['13.0'],
        apc: ['100', '2000', '1500', '<10', '500'],
        salmonella: Array(5).fill('absent'),
      };
      await w.app.ok(
        w.techRev,
        'results.enter',
        r.item.limit_form === 'sampling_plan'
          ? { id: r.id, unitValues: v[r.itemCode]! }
          : { id: r.id, replicates: v[r.itemCode]! },
      );
    }
    expect(
      errCode(
        await w.app.call(w.techRev, 'results.submit', {
          sampleCode: s.code,
          signature: { password: 'wrong-password-1', meaning: 'authored' },
        }),
      ),
    ).toBe('wrong_password');
    const sub = await w.app.ok(w.techRev, 'results.submit', { sampleCode: s.code, signature: sign('authored') });
    expect(sub).toEqual({ submitted: 11, oos: [] });
    rs = await results(w, s.code);
    expect(rs.every((r) => r.status === 'submitted' && r.submittedBy === 'tech.rev')).toBe(true);
    const sigs = await w.app.ok(w.rev, 'results.get', { id: by(rs, 'protein').id });
    expect(sigs.signatures.map((x) => [x.meaning, x.userId, x.valid])).toEqual([['authored', 'tech.rev', true]]);
    // Over the contract directly: the author cannot review.
    const self = await w.app.call(w.techRev, 'results.review', {
      ids: [by(rs, 'protein').id],
      decision: 'approve',
      signature: sign('reviewed'),
    });
    expect(errCode(self)).toBe('self_review');
    // A reviewer returns one with a reason, approves the rest.
    expect(
      errKey(
        await w.app.call(w.rev, 'results.review', {
          ids: [by(rs, 'fat').id],
          decision: 'return',
          signature: sign('reviewed'),
        }),
      ),
    ).toBe('errors.return_reason_required');
    await w.app.ok(w.rev, 'results.review', {
      ids: [by(rs, 'fat').id],
      decision: 'return',
      reason: 'chromatogram missing: attach it',
      signature: sign('reviewed'),
    });
    const others = rs.filter((r) => r.itemCode !== 'fat').map((r) => r.id);
    await w.app.ok(w.rev, 'results.review', { ids: others, decision: 'approve', signature: sign('reviewed') });
    rs = await results(w, s.code);
    expect(by(rs, 'fat')).toMatchObject({ status: 'returned', returnReason: 'chromatogram missing: attach it' });
    expect(by(rs, 'protein')).toMatchObject({ status: 'reviewed', reviewedBy: 'rev.wang' });
    // The author attaches the file and resubmits; the reviewer approves; the sample is complete.
    const att = await w.app.ok(w.techRev, 'results.attach', {
      id: by(rs, 'fat').id,
      fileName: 'fat-chromatogram.pdf',
      mediaType: 'application/pdf',
      base64: Buffer.from('%PDF-1.4 chromatogram').toString('base64'),
    });
    expect(att.sha256).toMatch(/^[0-9a-f]{64}$/);
    await w.app.ok(w.techRev, 'results.submit', { sampleCode: s.code, signature: sign('authored') });
    await w.app.ok(w.rev, 'results.review', {
      ids: [by(rs, 'fat').id],
      decision: 'approve',
      signature: sign('reviewed'),
    });
    expect((await w.app.ok(w.qa, 'samples.get', { code: s.code })).sample.status).toBe('complete');
    const c = await w.app.ok(w.qa, 'results.completeness', { lotCode: lot });
    expect(c.complete).toBe(true);
    expect(c.groups.every((g) => g.reviewed === g.required)).toBe(true);

    // The attachment is bound by its hash: a changed file is reported.
    const got = await w.app.ok(w.qa, 'results.attachment', { attachmentId: att.id });
    expect(got.intact).toBe(true);
    writeFileSync(join(w.app.dir, 'attachments', 'results', att.sha256), 'changed');
    expect((await w.app.ok(w.qa, 'results.attachment', { attachmentId: att.id })).intact).toBe(false);
  });

  it('a change after submission needs a reason, shows both values and goes back through review', async () => {
    await approve(w, 'product', w.productId, 'SPEC-IF-1', IF1_ITEMS);
    const s = await releaseSample(w, await finishedLot(w));
    await enterAll(w, s.code);
    await w.app.ok(w.tech, 'results.submit', { sampleCode: s.code, signature: sign('authored') });
    let rs = await results(w, s.code);
    const moisture = by(rs, 'moisture');
    // Entering over a submitted result is refused: it is a correction.
    expect(errKey(await w.app.call(w.tech, 'results.enter', { id: moisture.id, replicates: ['2.6'] }))).toBe(
      'errors.result_submitted_use_correct',
    );
    expect(
      errCode(await w.app.call(w.tech, 'results.correct', { id: moisture.id, replicates: ['2.6'], reason: '' })),
    ).toBe('invalid_input');
    const fixed = await w.app.ok(w.tech, 'results.correct', {
      id: moisture.id,
      replicates: ['2.6'],
      reason: 'transcription error: the balance printout says 2.6',
    });
    // The dependent carbohydrate (and through it energy and the per-100 kJ items) is recalculated and goes back too.
    expect(fixed.changed.map((r) => r.itemCode).sort()).toEqual(
      ['carbohydrate', 'energy', 'fat', 'moisture', 'protein'].sort(),
    );
    rs = await results(w, s.code);
    expect(by(rs, 'moisture')).toMatchObject({ status: 'entered', value: '2.6', corrected: true });
    expect(by(rs, 'carbohydrate')).toMatchObject({ status: 'entered', value: '57.1' });
    const detail = await w.app.ok(w.rev, 'results.get', { id: moisture.id });
    const change = detail.history.find(
      (h) => h.reason?.startsWith('correction: transcription error') && h.changes.some((c) => c.field === 'replicates'),
    );
    expect(change?.changes.find((c) => c.field === 'replicates')).toEqual({
      field: 'replicates',
      from: '["2.5"]',
      to: '["2.6"]',
    });
    // The authored signature no longer matches the changed record: shown as invalidated.
    expect(detail.signatures.map((x) => [x.meaning, x.valid])).toEqual([['authored', false]]);
    await w.app.ok(w.tech, 'results.submit', { sampleCode: s.code, signature: sign('authored') });
    expect((await results(w, s.code)).every((r) => r.status === 'submitted')).toBe(true);
  });

  it('OOS: a failing result opens an investigation and blocks the release; assignable cause invalidates and orders a retest', async () => {
    await approve(w, 'product', w.productId, 'SPEC-IF-1', IF1_ITEMS);
    const lot = await finishedLot(w);
    const s = await releaseSample(w, lot);
    await enterAll(w, s.code, { nitrite: ['2.6'] });
    const sub = await w.app.ok(w.tech, 'results.submit', { sampleCode: s.code, signature: sign('authored') });
    expect(sub.oos).toHaveLength(1);
    const code = sub.oos[0]!;
    expect(code).toMatch(/^OOS-2026-\d{4}$/);
    const oos = await w.app.ok(w.qa, 'oos.get', { code });
    expect(oos.oos).toMatchObject({
      status: 'open',
      itemCode: 'nitrite',
      reported: '2.6',
      limitText: '≤ 2.0',
      lotCode: lot,
    });
    expect(oos.result.oosCode).toBe(code);
    // The finished lot (on hold since production) cannot be released while the OOS is open.
    const release = await w.app.call(w.qa, 'lots.decide', {
      code: lot,
      decision: 'release',
      reason: 'all tests done',
      signature: sign('released'),
    } as never);
    expect(errKey(release)).toBe('errors.lot_open_oos');
    // Nobody tests into compliance: no second nitrite test, no overwriting the failing result.
    expect(
      errKey(
        await w.app.call(w.tech, 'results.addTest', { sampleCode: s.code, itemCode: 'nitrite', reason: 'test again' }),
      ),
    ).toBe('errors.retest_needs_investigation');
    expect(
      errKey(
        await w.app.call(w.tech, 'results.correct', { id: oos.result.id, replicates: ['1.9'], reason: 'try again' }),
      ),
    ).toBe('errors.result_under_oos');
    const s2 = await w.app.ok(w.tech, 'samples.register', {
      kind: 'finished_release',
      lotCode: lot,
      samplingPoint: 'Warehouse',
      quantity: '5',
      unit: 'can',
      container: 'can',
      withRetention: false,
      receipt: { condition: 'intact' },
    });
    expect((await results(w, s2.sample.code)).map((r) => r.itemCode)).not.toContain('nitrite');
    // The conclusion needs phase I first.
    expect(
      errKey(
        await w.app.call(w.qa, 'oos.conclude', {
          code,
          outcome: 'assignable_cause',
          conclusion: 'dilution error',
          signature: sign('oos_concluded'),
        }),
      ),
    ).toBe('errors.oos_phase1_first');
    const checklist = {
      calculation: { ok: false, note: 'dilution factor 10 used instead of 5' },
      instrument: { ok: true, note: 'spectrophotometer calibrated 2026-03-01' },
      method: { ok: true, note: 'GB 5009.33 followed' },
      standards: { ok: true, note: 'nitrite standard lot 2291 in date' },
      preparation: { ok: true, note: 'weighing record checked' },
    };
    await w.app.ok(w.tech2, 'oos.phase1', {
      code,
      checklist,
      summary: 'calculation error found',
      signature: sign('authored'),
    });
    expect(
      errCode(
        await w.app.call(w.tech, 'oos.conclude', {
          code,
          outcome: 'assignable_cause',
          conclusion: 'lab error by me',
          signature: sign('oos_concluded'),
        }),
      ),
    ).toBe('forbidden');
    const done = await w.app.ok(w.qa, 'oos.conclude', {
      code,
      outcome: 'assignable_cause',
      conclusion: 'laboratory error: wrong dilution factor',
      signature: sign('oos_concluded'),
    });
    expect(done.oos.status).toBe('invalidated');
    expect(done.retest).toMatchObject({
      itemCode: 'nitrite',
      attempt: 2,
      status: 'pending',
      planReason: 'retest',
      retestOf: oos.result.id,
    });
    const original = await w.app.ok(w.qa, 'results.get', { id: oos.result.id });
    expect(original.result).toMatchObject({
      status: 'invalidated',
      reported: '2.6',
      invalidatedReason: 'laboratory error: wrong dilution factor',
    });
    expect(original.signatures.map((x) => x.meaning).sort()).toEqual(['authored', 'invalidated']);
    expect((await w.app.ok(w.qa, 'oos.get', { code })).signatures.map((x) => x.meaning).sort()).toEqual([
      'authored',
      'oos_concluded',
    ]);
    // The retest is entered, submitted and reviewed; the lot's nitrite is the retest.
    await w.app.ok(w.tech, 'results.enter', { id: done.retest!.id, replicates: ['0.9'] });
    await w.app.ok(w.tech, 'results.submit', { sampleCode: s.code, signature: sign('authored') });
    const open = (await results(w, s.code)).filter((r) => r.status === 'submitted').map((r) => r.id);
    await w.app.ok(w.rev, 'results.review', { ids: open, decision: 'approve', signature: sign('reviewed') });
    const c = await w.app.ok(w.qa, 'results.completeness', { lotCode: lot });
    expect(c.items.find((i) => i.code === 'nitrite')).toMatchObject({ state: 'reviewed', reported: '0.9' });
    expect(c.openOos).toEqual([]);
    expect(c.complete).toBe(true);
    // Testing no longer blocks the release: what remains are the other readiness lines (issue 11).
    const ready = await w.app.ok(w.qa, 'disposition.readiness', { lotCode: lot });
    expect(ready.lines.filter((l) => ['results_complete', 'within_spec'].includes(l.key)).every((l) => l.ok)).toBe(
      true,
    );
  });

  it('OOS confirmed: the lot stays blocked for release, only rejection; an accepted ingredient lot is put on hold', async () => {
    await approve(
      w,
      'material',
      w.materialId,
      'SPEC-WPC80',
      [item({ code: 'protein', basis: 'per_100g', unit: 'g/100g', limit_form: 'minimum', min: '78.0', precision: 1 })],
      'ingredient',
    );
    const ig = await w.app.ok(w.prod, 'lots.receive', {
      kind: 'ingredient',
      materialCode: 'WPC80',
      supplierCode: 'SUP-W',
      supplierLot: 'W-1',
      quantity: '1000',
      unit: 'kg',
      containers: 40,
      condition: 'intact',
      expiryDate: '2027-12-31',
    });
    await w.app.ok(w.qa, 'lots.decide', {
      code: ig.code,
      decision: 'accept',
      reason: 'CoA checked, release for use',
      signature: sign('accepted'),
    } as never);
    const s = await w.app.ok(w.tech, 'samples.register', {
      kind: 'incoming_inspection',
      lotCode: ig.code,
      samplingPoint: 'Bag 3',
      quantity: '200',
      unit: 'g',
      container: 'bag',
      receipt: { condition: 'intact' },
    });
    const [r] = await results(w, s.sample.code);
    await w.app.ok(w.tech, 'results.enter', { id: r!.id, replicates: ['76.4'] });
    const sub = await w.app.ok(w.tech, 'results.submit', { sampleCode: s.sample.code, signature: sign('authored') });
    const code = sub.oos[0]!;
    expect(
      ((await w.app.ok(w.qa, 'lots.get', { code: ig.code } as never)) as { lot: { status: string } }).lot.status,
    ).toBe('on_hold');
    expect((await w.app.ok(w.qa, 'oos.get', { code })).oos.lotHeld).toBe(true);
    const checklist = Object.fromEntries(
      ['calculation', 'instrument', 'method', 'standards', 'preparation'].map((k) => [
        k,
        { ok: true, note: 'checked, no error' },
      ]),
    ) as never;
    await w.app.ok(w.tech, 'oos.phase1', {
      code,
      checklist,
      summary: 'no laboratory error found',
      signature: sign('authored'),
    });
    const done = await w.app.ok(w.qa, 'oos.conclude', {
      code,
      outcome: 'no_assignable_cause',
      conclusion: 'confirmed: protein below specification',
      signature: sign('oos_concluded'),
    });
    expect(done).toMatchObject({ oos: { status: 'confirmed' }, retest: null });
    expect((await w.app.ok(w.qa, 'oos.list', { statuses: ['confirmed'] })).items.map((o) => o.code)).toEqual([code]);
    expect(
      errKey(
        await w.app.call(w.qa, 'lots.decide', {
          code: ig.code,
          decision: 'release_from_hold',
          reason: 'x reason',
          signature: sign('accepted'),
        } as never),
      ),
    ).toBe('errors.lot_open_oos');
    await w.app.ok(w.qa, 'lots.decide', {
      code: ig.code,
      decision: 'reject',
      reason: 'confirmed OOS protein',
      signature: sign('rejected'),
    } as never);
  });

  it('an external lab result does not count for an in-house-only item; the lot page says so', async () => {
    await approve(w, 'product', w.productId, 'SPEC-IF-1', IF1_ITEMS);
    const lot = await finishedLot(w);
    const s = await releaseSample(w, lot);
    await enterAll(w, s.code);
    const pb = by(await results(w, s.code), 'pb');
    await w.app.ok(w.tech, 'results.enter', {
      id: pb.id,
      external: { lab: 'Ningxia Food Testing Centre', reportNo: 'NX-2026-0311' },
    });
    await w.app.ok(w.tech, 'results.submit', { sampleCode: s.code, signature: sign('authored') });
    const ids = (await results(w, s.code)).map((r) => r.id);
    await w.app.ok(w.rev, 'results.review', { ids, decision: 'approve', signature: sign('reviewed') });
    const c = await w.app.ok(w.qa, 'results.completeness', { lotCode: lot });
    expect(c.externalNotCounted).toEqual(['pb']);
    expect(c.items.find((i) => i.code === 'pb')).toMatchObject({
      state: 'external_not_counted',
      externalLab: 'Ningxia Food Testing Centre',
    });
    expect(c.groups.find((g) => g.group === 'contaminants')).toMatchObject({ required: 2, reviewed: 1, missing: 1 });
    expect(c.complete).toBe(false);
  });

  it('a pasted column is saved all or nothing, naming the bad row; worklists filter by method and analyst', async () => {
    await approve(w, 'product', w.productId, 'SPEC-IF-1', IF1_ITEMS);
    const samples = [];
    for (let i = 0; i < 3; i++) samples.push(await releaseSample(w, await finishedLot(w)));
    const wl = await w.app.ok(w.tech, 'results.worklist', { methodCode: 'GB 5009.5' });
    expect(wl.results.map((r) => r.sampleCode)).toEqual(samples.map((s) => s.code));
    expect(wl.facets.methods.find((m) => m.key === 'GB 5009.5')?.count).toBe(3);
    await w.app.ok(w.tech, 'results.assign', { ids: wl.results.map((r) => r.id), assignedTo: 'tech.zhao' });
    expect((await w.app.ok(w.tech, 'results.worklist', { assignedTo: 'tech.zhao' })).total).toBe(3);
    const before = w.app.core.need().ledger.head().seq;
    const bad = await w.app.call(w.tech, 'results.enterMany', {
      entries: [
        { id: wl.results[0]!.id, replicates: ['12.0'] },
        { id: wl.results[1]!.id, unitValues: ['1'] },
      ],
    });
    expect(errKey(bad)).toBe('errors.result_needs_replicates');
    expect((bad as { error: { details: Record<string, unknown> } }).error.details['row']).toBe(2);
    expect(w.app.core.need().ledger.head().seq).toBe(before);
    const ok = await w.app.ok(w.tech, 'results.enterMany', {
      entries: wl.results.map((r, k) => ({ id: r.id, replicates: [`12.${k}`] })),
    });
    expect(ok.changed.filter((r) => r.itemCode === 'protein').map((r) => r.value)).toEqual(['12.0', '12.1', '12.2']);
    expect((await w.app.ok(w.tech, 'results.worklist', { methodCode: 'GB 5009.5', statuses: ['pending'] })).total).toBe(
      0,
    );
  });

  it('trends: reviewed values across lots with mean ± 2 s / 3 s and Westgard flags', async () => {
    await approve(
      w,
      'product',
      w.productId,
      'SPEC-IF-1',
      IF1_ITEMS.filter((i) => i.code === 'moisture'),
    );
    const values = ['2.5', '2.6', '2.4', '2.5', '2.6', '2.4', '2.5', '2.5', '2.6', '4.9'];
    for (const v of values) {
      const s = await releaseSample(w, await finishedLot(w));
      const [r] = await results(w, s.code);
      await w.app.ok(w.tech, 'results.enter', { id: r!.id, replicates: [v] });
      await w.app.ok(w.tech, 'results.submit', { sampleCode: s.code, signature: sign('authored') });
      await w.app.ok(w.rev, 'results.review', { ids: [r!.id], decision: 'approve', signature: sign('reviewed') });
      await later(w, DAY);
    }
    expect(await w.app.ok(w.qa, 'trends.items', { productCode: 'IF-1' })).toEqual([
      { code: 'moisture', nameZh: 'moisture', nameEn: 'moisture', unit: 'g/100g', count: 10 },
    ]);
    const t = await w.app.ok(w.qa, 'trends.series', { productCode: 'IF-1', itemCode: 'moisture' });
    expect(t.points.map((p) => p.reported)).toEqual(values);
    expect(t.item).toMatchObject({ max: '5.0' });
    expect(t.stats?.n).toBe(10);
    expect(t.points.at(-1)!.rules).toContain('1_2s');
  });
});
