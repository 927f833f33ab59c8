import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpecItem } from '../../src/shared/catalog/spec-schema';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { GB13432_SOURCE_ZH } from '../../src/shared/rules/label-values';
import { ADMIN_PASSWORD, createTestApp, USER_PASSWORD, type TestApp } from '../helpers/core';
import { approveSpec, product, PRODUCTS, specDocument, specItem } from '../fixtures/plant';

/*
 * Issue 20 §5 on a real SQLite file: a product's declared label values (标示值) with the rule
 * the plant applies (GB 13432's 80 %, tagged unverified until confirmed), the readiness line
 * and the margins to the GB limits and the label values; retention samples with the quantity
 * the re-tests need, withdrawals and scheduled retention observations (留样观察).
 */

const T0 = Date.parse('2026-07-01T01:00:00Z');
const DAY = 86_400_000;
const sign = (meaning: string) => ({ password: USER_PASSWORD, meaning }) as never;
const errKey = (r: { ok: boolean; error?: { messageKey: string } }) => (r.ok ? null : r.error!.messageKey);

/** The plant's items of this product: per 100 g, one decimal. */
const item = (over: Partial<SpecItem> & { code: string }): SpecItem =>
  specItem({ basis: 'per_100g', precision: 1, source: 'plant', ...over });

describe('release evidence: label values and retention samples', () => {
  let app: TestApp;
  const clock = { now: T0 };
  let qa: Connection;
  let tech: Connection;
  let rev: Connection;
  let prod: Connection;
  let lot: string;
  let retention: string;

  const line = async (key: string) =>
    (await app.ok(qa, 'disposition.readiness', { lotCode: lot })).lines.find((l) => l.key === key)!;

  beforeAll(async () => {
    app = await createTestApp({ clock: () => clock.now });
    qa = await app.userWith(['qa_manager'], 'qa.chen');
    tech = await app.userWith(['technician'], 'tech.li');
    rev = await app.userWith(['reviewer'], 'rev.wang');
    prod = await app.userWith(['production'], 'prod.wu');
    const productId = await product(app.member(qa), PRODUCTS.yc3);
    const items = [
      item({ code: 'protein', name_zh: '蛋白质', name_en: 'Protein', min: '10.0', max: '20.0' }),
      item({
        code: 'vitamin_c',
        name_zh: '维生素C',
        name_en: 'Vitamin C',
        group: 'vitamins',
        unit: 'mg',
        limit_form: 'minimum',
        min: '40',
        precision: 0,
      }),
    ];
    await approveSpec(app.member(qa), {
      subjectId: productId,
      code: 'SPEC-YC-3',
      titleZh: 'YC-3 企业标准',
      titleEn: 'YC-3 specification',
      doc: specDocument('YC-3', items, { appliesTo: 'young_children', standard: 'GB 10767-2021' }),
    });
    const b = await app.ok(prod, 'batches.start', {
      line: 'Line 2',
      outputKind: 'finished',
      itemCode: 'YC-3',
      unit: 'kg',
    });
    lot = b.output.code;
    const s = await app.ok(tech, 'samples.register', {
      kind: 'finished_release',
      lotCode: lot,
      samplingPoint: 'filler',
      quantity: '6',
      unit: 'can',
      container: '800 g can',
      receipt: { condition: 'intact' },
      retention: { quantity: '1600', unit: 'g', container: '800 g can ×2', storageLocation: '留样室 R1' },
    });
    retention = s.retention!.code;
    const rs = (await app.ok(tech, 'results.forSample', { sampleCode: s.sample.code })).results;
    await app.ok(tech, 'results.enterMany', {
      entries: [
        { id: rs.find((r) => r.itemCode === 'protein')!.id, replicates: ['11.5'] },
        { id: rs.find((r) => r.itemCode === 'vitamin_c')!.id, replicates: ['45'] },
      ],
    });
    await app.ok(tech, 'results.submit', { sampleCode: s.sample.code, signature: sign('authored') });
    await app.ok(rev, 'results.review', { ids: rs.map((r) => r.id), decision: 'approve', signature: sign('reviewed') });
  });
  afterAll(() => app.close());

  it('no label values recorded: the line says so and does not block', async () => {
    expect(await line('label_values')).toMatchObject({ ok: true, details: { declared: '0' } });
  });

  it('declared values by the GB 13432 rule (unverified): margins to the GB limits and to the label, the line fails on vitamin C', async () => {
    const save = (itemCode: string, declared: string, unit: string) =>
      app.ok(qa, 'labels.save', {
        productCode: 'YC-3',
        itemCode,
        declared,
        unit,
        basis: 'per_100g',
        minPct: '80',
        maxPct: null,
        ruleSource: GB13432_SOURCE_ZH,
      });
    const protein = await save('protein', '12.0', 'g');
    expect(protein).toMatchObject({ ruleVerification: 'unverified', nameZh: '蛋白质' });
    await save('vitamin_c', '60', 'mg');
    await save('dha', '80', 'mg');
    expect(
      errKey(
        await app.call(qa, 'labels.save', {
          productCode: 'YC-3',
          itemCode: 'protein',
          declared: '13',
          unit: 'g',
          basis: 'per_100g',
          minPct: '80',
          maxPct: null,
          ruleSource: 'x rule',
        }),
      ),
    ).toBe('errors.label_item_exists');
    expect(
      errKey(
        await app.call(qa, 'labels.save', {
          productCode: 'YC-3',
          itemCode: 'zinc',
          declared: '4',
          unit: 'mg',
          basis: 'per_100g',
          minPct: '120',
          maxPct: '80',
          ruleSource: 'plant rule',
        }),
      ),
    ).toBe('errors.label_rule_order');
    // A technician may not change label values.
    expect(
      (
        await app.call(tech, 'labels.save', {
          productCode: 'YC-3',
          itemCode: 'zinc',
          declared: '4',
          unit: 'mg',
          basis: 'per_100g',
          minPct: '80',
          maxPct: null,
          ruleSource: 'plant rule',
        })
      ).ok,
    ).toBe(false);

    const c = await app.ok(qa, 'labels.compare', { lotCode: lot });
    const row = (code: string) => c.rows.find((r) => r.itemCode === code)!;
    // Protein 11.5: GB 10.0–20.0 → 1.5 (15.0 %) above the minimum, 8.5 below the maximum; label 12.0 × 80 % = 9.6 → 1.9.
    expect(row('protein').gb).toMatchObject({
      limitText: '10.0–20.0',
      margins: [
        { side: 'min', bound: '10.0', margin: '1.5', marginPct: '15.0', ok: true },
        { side: 'max', bound: '20.0', margin: '8.5', marginPct: '42.5', ok: true },
      ],
      nearest: { side: 'min' },
    });
    expect(row('protein').label).toMatchObject({
      compared: '11.5',
      comparable: 'ok',
      ok: true,
      margins: [{ side: 'min', bound: '9.6', margin: '1.9', marginPct: '19.8', ok: true }],
      ruleVerification: 'unverified',
    });
    // Vitamin C 45: within GB (≥ 40) but below 80 % of the declared 60 (48); −3 ÷ 48 = −6.25 % → −6.2 (half-even).
    expect(row('vitamin_c').gb!.margins[0]).toMatchObject({ bound: '40', margin: '5', ok: true });
    expect(row('vitamin_c').label).toMatchObject({
      ok: false,
      margins: [{ bound: '48', margin: '-3', marginPct: '-6.2' }],
    });
    // DHA declared, not tested on this lot.
    expect(row('dha')).toMatchObject({ resultId: null, label: { comparable: 'no_result', ok: false } });
    expect(c.summary).toEqual({ declared: 3, outside: 1, notCompared: 1, unverified: 3 });

    const l = await line('label_values');
    expect(l).toMatchObject({ ok: false, details: { declared: '3', outside: '1', notCompared: '1', unverified: '3' } });
    expect(l.evidence.map((e) => [e.kind, e.label, e.note])).toEqual([
      ['result', 'vitamin_c 45', '< 48'],
      ['lot', 'dha', 'no_result'],
    ]);
    // IMF release is refused while the line fails (the release guard reads the same readiness).
    const r = await app.ok(qa, 'disposition.readiness', { lotCode: lot });
    expect(r.imf).toBe(true);
    expect(r.lines.filter((x) => !x.ok).map((x) => x.key)).toContain('label_values');
  });

  it('confirming a rule against the standard names the clause; changing the rule puts it back to unverified', async () => {
    const { items } = await app.ok(qa, 'labels.list', { productCode: 'YC-3' });
    const p = items.find((i) => i.itemCode === 'protein')!;
    expect((await app.call(tech, 'labels.confirmRule', { id: p.id, reference: 'GB 13432-2013 4.4.2' })).ok).toBe(false);
    const c = await app.ok(qa, 'labels.confirmRule', { id: p.id, reference: 'GB 13432-2013 条款已与标准文本核对' });
    expect(c).toMatchObject({ ruleVerification: 'confirmed', confirmedBy: 'qa.chen' });
    expect((await app.ok(qa, 'labels.compare', { lotCode: lot })).summary.unverified).toBe(2);
    const changed = await app.ok(qa, 'labels.save', {
      id: p.id,
      productCode: 'YC-3',
      itemCode: 'protein',
      declared: '12.0',
      unit: 'g',
      basis: 'per_100g',
      minPct: '90',
      maxPct: null,
      ruleSource: '本厂内控：不低于标示值 90%',
      reason: '内控规则收紧',
    });
    expect(changed).toMatchObject({ ruleVerification: 'unverified', confirmedBy: null });
    // Retire the undeclared DHA and the vitamin C value checked again: the line still shows vitamin C.
    const dha = items.find((i) => i.itemCode === 'dha')!;
    await app.ok(qa, 'labels.retire', { id: dha.id, reason: '标签不标示DHA' });
    expect((await app.ok(qa, 'labels.compare', { lotCode: lot })).summary).toMatchObject({
      declared: 2,
      notCompared: 0,
    });
  });

  it('retention: the quantity the re-tests need, withdrawals never beyond what remains, scheduled observations', async () => {
    // No profile: the line only asks for a retention sample.
    expect(await line('retention')).toMatchObject({ ok: true, details: { required: '' } });
    await app.ok(qa, 'retention.profile.save', {
      productCode: 'YC-3',
      requiredQuantity: '1.2',
      unit: 'kg',
      basisNote: '复检所需：全项检验一次用量约 600 g，留足两次',
      storageConditions: '常温（≤25 ℃）、干燥、避光，留样室 R1',
      observationDays: [180, 90, 360],
    });
    expect(await line('retention')).toMatchObject({ ok: true, details: { required: '1200 g', remaining: '1600 g' } });
    expect(
      errKey(
        await app.call(tech, 'retention.withdraw', {
          code: retention,
          quantity: '2',
          unit: 'kg',
          purpose: 'complaint',
          reason: '消费者投诉调查',
        }),
      ),
    ).toBe('errors.retention_overdrawn');
    expect(
      errKey(
        await app.call(tech, 'retention.withdraw', {
          code: retention,
          quantity: '1',
          unit: 'can',
          purpose: 'complaint',
          reason: '消费者投诉调查',
        }),
      ),
    ).toBe('errors.retention_unit_mismatch');
    const d = await app.ok(tech, 'retention.withdraw', {
      code: retention,
      quantity: '800',
      unit: 'g',
      purpose: 'complaint',
      reason: '消费者投诉（结块）调查取一罐',
    });
    expect(d).toMatchObject({ withdrawn: '800', remaining: '800', sufficient: false });
    expect(d.withdrawals.map((x) => [x.purpose, x.withdrawnBy])).toEqual([['complaint', 'tech.li']]);
    const l = await line('retention');
    expect(l).toMatchObject({ ok: false, details: { short: retention } });

    // Observations at 90, 180 and 360 days after the production date (1 July 2026).
    expect(d.schedule.map((s) => s.dueOn)).toEqual(['2026-09-29', '2026-12-28', '2027-06-26']);
    clock.now += 95 * DAY;
    await app.ok(tech, 'auth.unlock', { password: USER_PASSWORD });
    await app.ok(qa, 'auth.unlock', { password: USER_PASSWORD });
    await app.ok(app.admin, 'auth.unlock', { password: ADMIN_PASSWORD });
    expect(
      (await app.ok(tech, 'retention.observations.due', { withinDays: 0 })).map((x) => [
        x.sampleCode,
        x.dueOn,
        x.overdue,
      ]),
    ).toEqual([[retention, '2026-09-29', true]]);
    expect(
      errKey(
        await app.call(tech, 'retention.observe', {
          code: retention,
          dueOn: '2026-10-01',
          observedOn: '2026-10-04',
          outcome: 'normal',
          findings: '外观正常',
        }),
      ),
    ).toBe('errors.retention_observation_not_scheduled');
    const o = await app.ok(tech, 'retention.observe', {
      code: retention,
      dueOn: '2026-09-29',
      observedOn: '2026-10-04',
      outcome: 'normal',
      findings: '罐体完好，无胀罐、无锈蚀；开罐后粉体色泽、气味正常，无结块',
      storageObserved: '22 ℃，RH 45%',
    });
    expect(o.schedule[0]).toMatchObject({ dueOn: '2026-09-29', outcome: 'normal', overdue: false });
    expect(
      errKey(
        await app.call(tech, 'retention.observe', {
          code: retention,
          dueOn: '2026-09-29',
          observedOn: '2026-10-04',
          outcome: 'normal',
          findings: '重复',
        }),
      ),
    ).toBe('errors.retention_observation_done');
    expect(await app.ok(tech, 'retention.observations.due', { withinDays: 0 })).toEqual([]);
  });
});
