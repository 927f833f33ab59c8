import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDatabase } from '../../src/main/ledger/verify';
import { createTestApp, type TestApp } from '../helpers/core';
import {
  approveSpec,
  coaItems,
  enrol,
  entriesFor,
  makeLot,
  releaseSample,
  resultsOf,
  signIn,
  specDocument,
  TEST_PEOPLE,
  type Member,
} from '../fixtures/plant';
import type { InProcessLink } from '../fixtures/plant/in-process';

/**
 * A specification item's limit of quantification on a real database (issue 22 §7, D-088):
 * stored with the item (migration 0020), exported in the specification document, refused where
 * it cannot apply, copied into the planned test, and a value below it reported "<LOQ" by the
 * entry, the review and the certificate's data, with the verdict of the rounded value. And the
 * lot's date in the plant's calendar (D-089): a licensed plant dates its lots in Beijing time
 * whatever zone the server runs in.
 */
const T0 = Date.parse('2026-12-05T20:00:00.000Z'); // 2026-12-06 04:00 in Beijing
describe('limit of quantification in the specification (D-088) and the plant-zone lot date (D-089)', () => {
  let app: TestApp;
  let qa: Member<InProcessLink>;
  let prod: Member<InProcessLink>;
  let tech: Member<InProcessLink>;
  let reviewer: Member<InProcessLink>;
  let versionId: string;
  const clock = { now: T0 };

  beforeAll(async () => {
    app = await createTestApp({ clock: () => (clock.now += 10), timeZone: 'UTC' });
    await enrol(app.adminMember, [TEST_PEOPLE.qa, TEST_PEOPLE.prod, TEST_PEOPLE.tech, TEST_PEOPLE.reviewer]);
    qa = await signIn(app.host, TEST_PEOPLE.qa);
    prod = await signIn(app.host, TEST_PEOPLE.prod);
    tech = await signIn(app.host, TEST_PEOPLE.tech);
    reviewer = await signIn(app.host, TEST_PEOPLE.reviewer);
    const product = await qa.call('catalog.products.save', {
      fields: {
        code: 'IF-L',
        nameZh: '婴儿配方乳粉',
        nameEn: 'Infant formula',
        stage: 'infant',
        proteinBase: 'cow',
        registrationNo: '国食注字YP20230099',
        shelfLifeDays: 540,
        packSizes: ['800 g'],
      },
    });
    const { items } = coaItems(14);
    const withLoq = items.map((i) => (i.code === 'melamine' ? { ...i, loq: '0.1' } : i));
    versionId = await approveSpec(qa, {
      subjectId: product.id,
      code: 'SPEC-IF-L',
      doc: specDocument('SPEC-IF-L', withLoq, { subjectKind: 'product', appliesTo: 'infant' }),
    });
  });
  afterAll(() => app.close());

  it('keeps the LOQ with the item and in the exported document; items without one have no loq key', async () => {
    const v = await qa.call('specs.get', { versionId });
    expect(v.items.find((i) => i.code === 'melamine')?.loq).toBe('0.1');
    expect(v.items.find((i) => i.code === 'protein')).not.toHaveProperty('loq');
    const out = await qa.call('specs.export', { versionId });
    expect(out.document.items.find((i) => i.code === 'melamine')?.loq).toBe('0.1');
    expect(JSON.parse(out.json).items.find((i: { code: string }) => i.code === 'protein')).not.toHaveProperty('loq');
  });

  it('refuses an LOQ above the maximum, and one on a sampling plan, naming the item and field', async () => {
    const approved = await qa.call('specs.get', { versionId });
    const draft = await qa.call('specs.newVersion', { specId: approved.specId, changeNote: 'new melamine method' });
    const melamine = draft.items.find((i) => i.code === 'melamine')!;
    const above = await app.call(qa.link.connection, 'specs.saveItem', {
      versionId: draft.id,
      itemId: melamine.id,
      item: { ...specOnly(melamine), loq: '2' } as never,
      reason: 'LOQ of the new method',
    });
    expect(above.ok).toBe(false);
    expect(JSON.stringify(above)).toContain('spec.loq_above_max');
    const salmonella = draft.items.find((i) => i.code === 'salmonella')!;
    const plan = await app.call(qa.link.connection, 'specs.saveItem', {
      versionId: draft.id,
      itemId: salmonella.id,
      item: { ...specOnly(salmonella), loq: '1' } as never,
      reason: 'LOQ on a plan',
    });
    expect(plan.ok).toBe(false);
    expect(JSON.stringify(plan)).toContain('spec.loq_form');
  });

  it('reports a value below the LOQ as "<0.1" in entry and review, judged on the rounded value', async () => {
    // The lot is made before the company exists: dated by the workstation's zone (UTC here).
    const before = await makeLot(prod, { itemCode: 'IF-L', code: 'IFL-UTC' });
    expect((await prod.call('lots.get', { code: before.code })).lot.date.slice(0, 10)).toBe('2026-12-05');
    // A licensed plant (SC number): its lots are dated in Beijing time, whatever zone the server runs in.
    await app.adminMember.call('site.company.set', {
      name: '宁夏示例乳业有限公司',
      scNumber: 'SC10664010012345',
      address: '宁夏银川',
      reason: '企业信息',
    });
    const lot = await makeLot(prod, { itemCode: 'IF-L', code: 'IFL-BJ' });
    const made = (await prod.call('lots.get', { code: lot.code })).lot;
    expect(made.date.slice(0, 10)).toBe('2026-12-06');
    // Its expiry: 540 days on in the plant's calendar.
    expect(made.expiryDate).toBe('2028-05-29');

    const sample = await releaseSample(tech, lot.code);
    const planned = await resultsOf(tech, sample.code);
    const melamine = planned.find((r) => r.itemCode === 'melamine')!;
    // The test carries the LOQ it was planned with.
    expect(melamine.item.loq).toBe('0.1');
    expect(planned.find((r) => r.itemCode === 'protein')!.item).not.toHaveProperty('loq');
    await tech.call('results.enterMany', {
      entries: entriesFor(planned, { melamine: ['0.04'], protein: ['12.0'], pb: ['0.02'] }),
    });
    const entered = await resultsOf(tech, sample.code);
    const m = entered.find((r) => r.itemCode === 'melamine')!;
    expect(m.reported).toBe('<0.1');
    expect(m.verdict).toBe('pass');
    expect(entered.find((r) => r.itemCode === 'protein')!.reported).toBe('12.0');
    // Submitted and seen by the reviewer as reported.
    await tech.call('results.submit', {
      sampleCode: sample.code,
      ids: [m.id],
      signature: tech.sign('authored'),
    });
    const seen = (await resultsOf(reviewer, sample.code)).find((r) => r.itemCode === 'melamine')!;
    expect(seen).toMatchObject({ status: 'submitted', reported: '<0.1', verdict: 'pass' });
    // The lot's completeness (what the release checklist and the certificate print) carries the same report.
    const c = await qa.call('results.completeness', { lotCode: lot.code });
    expect(c.items.find((i) => i.code === 'melamine')?.reported).toBe('<0.1');
    // Every record replays against its audit entry, the new column included.
    const v = await verifyDatabase(app.core.need().ledger.db, { skewMs: 5 * 60_000, anchor: null });
    expect(v.findings).toEqual([]);
  });
});

/** A spec item view without the view's own fields (id, confirmation), as specs.saveItem takes it. */
function specOnly<T extends Record<string, unknown>>(i: T): Record<string, unknown> {
  const { id: _id, rev: _r, position: _p, confirmedBy: _c, confirmedAt: _a, ...rest } = i as Record<string, unknown>;
  return rest;
}
