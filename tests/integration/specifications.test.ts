import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SpecItem } from '../../src/shared/catalog/spec-schema';
import { C } from '../../src/main/catalog/entities';
import { createTestApp, USER_PASSWORD, type TestApp } from '../helpers/core';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import * as plant from '../fixtures/plant';

const code = (r: { ok: boolean; error?: { code: string; messageKey: string } }) => (r.ok ? null : r.error!.code);

const item = plant.rangeItem;

/** The plant's IF-1 specification document (GB 10765-2021) with these items. */
function doc(items: SpecItem[]): string {
  return JSON.stringify({
    ...plant.specDocument('IF-1', items, { standard: 'GB 10765-2021' }),
    title_zh: '婴儿配方乳粉 企业标准',
    title_en: 'Infant formula plant specification',
  });
}

describe('catalogue and specifications', () => {
  let app: TestApp;
  let qa: Connection;
  let productId: string;
  beforeEach(async () => {
    app = await createTestApp();
    qa = await app.userWith(['qa_manager'], 'qa.li');
    productId = await plant.product(app.member(qa), {
      ...plant.PRODUCTS.if1,
      registrationNo: '国食注字YP20230001',
      shelfLifeDays: 720,
      packSizes: ['800 g', '400 g'],
    });
  });
  afterEach(() => app.close());

  it('catalogue records: unique codes, updates need a reason, codes never change, search', async () => {
    expect(code(await app.call(qa, 'catalog.products.save', { fields: { code: 'IF-1', nameZh: 'x', nameEn: 'x', stage: 'infant', proteinBase: 'cow', registrationNo: null, shelfLifeDays: null, packSizes: [] } }))).toBe('conflict');
    const p = (await app.ok(qa, 'catalog.products.list', { search: 'stage 1' }))[0]!;
    expect(p).toMatchObject({ code: 'IF-1', packSizes: ['800 g', '400 g'], retired: false });
    const { id, rev, retired, ...fields } = p;
    void rev;
    void retired;
    expect(code(await app.call(qa, 'catalog.products.save', { id, fields: { ...fields, shelfLifeDays: 540 } }))).toBe('invalid_input');
    expect(code(await app.call(qa, 'catalog.products.save', { id, fields: { ...fields, code: 'IF-2' }, reason: 'rename' }))).toBe('invalid_input');
    const updated = await app.ok(qa, 'catalog.products.save', { id, fields: { ...fields, shelfLifeDays: 540 }, reason: 'shelf life study 2026' });
    expect(updated.shelfLifeDays).toBe(540);
    const m = await app.ok(qa, 'catalog.methods.save', { fields: { code: 'GB 5009.5-2016 (1)', titleZh: '食品中蛋白质的测定 第一法', titleEn: 'Protein, Kjeldahl', analyte: 'protein', unit: 'g/100 g', lod: '0.010', loq: '0.030', inHouse: true } });
    expect(m.lod).toBe('0.010');
  });

  it('a specification moves draft → approved (signed) → superseded on the next version’s effective date; approved versions never change', async () => {
    const items = [
      item({ code: 'protein' }),
      item({ code: 'fat', min: '1.05', max: '1.40' }),
      item({ code: 'carbohydrate', min: '2.2', max: '3.3', precision: 1 }),
      item({ code: 'energy', unit: 'kJ/100 g', basis: 'per_100g', limit_form: 'report_only', min: null, max: null, precision: 0, formula: '17 * protein + 37 * fat + 17 * carbohydrate' }),
      item({ code: 'lead', group: 'contaminants', unit: 'mg/kg', basis: 'per_kg', limit_form: 'maximum', min: null, max: '0.08', verification: 'unverified' }),
      item({ code: 'salmonella', group: 'microbiology', unit: 'per 25 g', basis: 'per_25g', limit_form: 'sampling_plan', min: null, max: null, n: 5, c: 0, m: '0', precision: null }),
    ];
    const v1 = await app.ok(qa, 'specs.create', { subjectKind: 'product', subjectId: productId, code: 'SPEC-IF-1', titleZh: '婴儿配方奶粉 1段 规格', titleEn: 'IF-1 specification', from: { kind: 'document', json: doc(items) } });
    expect(v1.status).toBe('draft');
    expect(v1.flagged.map((f) => f.code)).toEqual(['lead']);
    // Approval waits for the flagged value.
    const early = await app.call(qa, 'specs.approve', { versionId: v1.id, signature: { password: USER_PASSWORD, meaning: 'approved' } });
    expect(early.ok ? null : early.error.messageKey).toBe('errors.spec_flagged');
    const lead = v1.items.find((i) => i.code === 'lead')!;
    const { id: leadId, rev: _r, position: _p, confirmedBy: _cb, confirmedAt: _ca, ...leadItem } = lead;
    const confirmed = await app.ok(qa, 'specs.saveItem', { versionId: v1.id, itemId: leadId, item: { ...leadItem, verification: 'confirmed' }, reason: 'checked against GB 2762-2022 table 1' });
    expect(confirmed.items.find((i) => i.code === 'lead')).toMatchObject({ verification: 'confirmed', confirmedBy: 'qa.li' });
    await app.ok(qa, 'specs.setEffective', { versionId: v1.id, effectiveFrom: '2026-01-01' });
    // A wrong password is refused and changes nothing.
    expect(code(await app.call(qa, 'specs.approve', { versionId: v1.id, signature: { password: 'nope-nope-nope', meaning: 'approved' } }))).toBe('wrong_password');
    const approved = await app.ok(qa, 'specs.approve', { versionId: v1.id, signature: { password: USER_PASSWORD, meaning: 'approved', comment: 'released for use' } });
    expect(approved.status).toBe('approved');
    expect(approved.signatures).toMatchObject([{ meaning: 'approved', printedName: 'User qa.li', valid: true }]);
    expect(approved.contentHash).toMatch(/^[0-9a-f]{64}$/);

    // An approved version cannot be edited over the contract.
    const tryEdit = await app.call(qa, 'specs.saveItem', { versionId: v1.id, itemId: leadId, item: { ...leadItem, max: '0.5', verification: 'confirmed' }, reason: 'loosen it' });
    expect(tryEdit.ok ? null : tryEdit.error.messageKey).toBe('errors.spec_not_draft');
    expect(code(await app.call(qa, 'specs.removeItem', { versionId: v1.id, itemId: leadId, reason: 'remove it' }))).toBe('record_locked');
    expect(code(await app.call(qa, 'specs.setEffective', { versionId: v1.id, effectiveFrom: '2020-01-01' }))).toBe('record_locked');

    // Version 2: a copy with a diff against version 1.
    const v2 = await app.ok(qa, 'specs.newVersion', { specId: v1.specId, changeNote: 'tighter lead limit from customer contract' });
    expect(v2.version).toBe(2);
    expect(v2.items.map((i) => i.code)).toEqual(v1.items.map((i) => i.code));
    // Who confirmed a value against the official text travels with the copy.
    expect(v2.items.find((i) => i.code === 'lead')).toMatchObject({ verification: 'confirmed', confirmedBy: 'qa.li' });
    expect(code(await app.call(qa, 'specs.newVersion', { specId: v1.specId, changeNote: 'another draft' }))).toBe('conflict');
    const lead2 = v2.items.find((i) => i.code === 'lead')!;
    const { id: lead2Id, rev: _r2, position: _p2, confirmedBy: _cb2, confirmedAt: _ca2, ...lead2Item } = lead2;
    await app.ok(qa, 'specs.saveItem', { versionId: v2.id, itemId: lead2Id, item: { ...lead2Item, max: '0.05', verification: 'plant' }, reason: 'customer contract' });
    const diff = await app.ok(qa, 'specs.diff', { fromVersionId: v1.id, toVersionId: v2.id });
    expect(diff.changed).toEqual([
      { code: 'lead', fields: [{ field: 'max', before: '0.08', after: '0.05' }, { field: 'verification', before: 'confirmed', after: 'plant' }] },
    ]);
    // Effective tomorrow (relative to the test's clock, via a far-future date): v1 stays approved and in force today.
    await app.ok(qa, 'specs.setEffective', { versionId: v2.id, effectiveFrom: '2999-01-01' });
    await app.ok(qa, 'specs.approve', { versionId: v2.id, signature: { password: USER_PASSWORD, meaning: 'approved' } });
    const v1again = await app.ok(qa, 'specs.get', { versionId: v1.id });
    expect(v1again.status).toBe('approved');
    expect(v1again.items).toEqual(approved.items);
    expect(v1again.signatures[0]!.valid).toBe(true);
    expect((await app.ok(qa, 'specs.effective', { subjectKind: 'product', subjectId: productId, date: '2026-06-01' }))!.version).toBe(1);
    expect((await app.ok(qa, 'specs.effective', { subjectKind: 'product', subjectId: productId, date: '2999-06-01' }))!.version).toBe(2);
    // On the effective date the scheduled job supersedes version 1; its signature stays valid.
    const svc = app.core.need();
    svc.ledger.write({ id: 'system', name: 'System' }, (w) => svc.specs.supersedeDue(w, Date.parse('2999-01-02T00:00:00Z')));
    const v1final = await app.ok(qa, 'specs.get', { versionId: v1.id });
    expect(v1final.status).toBe('superseded');
    expect(v1final.signatures[0]!.valid).toBe(true);
    expect(v1final.items).toEqual(approved.items);
  });

  it('refuses another frequency than every lot for release items of an IMF finished product, unknown formula references and cycles', async () => {
    const bad = [item({ code: 'protein', frequency: 'every_nth_lot', frequency_n: 10 })];
    const r = await app.call(qa, 'specs.create', { subjectKind: 'product', subjectId: productId, code: 'S1', titleZh: '规格', titleEn: 'Spec', from: { kind: 'document', json: doc(bad) } });
    expect(r.ok ? null : r.error.details?.['problems']).toEqual([{ itemCode: 'protein', field: 'frequency', key: 'spec.imf_every_lot' }]);
    const cyc = [item({ code: 'a', formula: 'b + 1' }), item({ code: 'b', formula: 'a * 2' }), item({ code: 'c', formula: 'zinc / 2' })];
    const r2 = await app.call(qa, 'specs.create', { subjectKind: 'product', subjectId: productId, code: 'S2', titleZh: '规格', titleEn: 'Spec', from: { kind: 'document', json: doc(cyc) } });
    const keys = (r2.ok ? [] : (r2.error.details?.['problems'] as Array<{ key: string }>)).map((p) => p.key).sort();
    expect(keys).toContain('formula.set.cycle');
    expect(keys).toContain('formula.set.unknown_reference');
    // Nothing was written by either refusal.
    expect(await app.ok(qa, 'specs.list', { subjectId: productId })).toEqual([]);
  });

  it('imports and exports specification documents; a bad file gets per-field errors and changes nothing', async () => {
    const head = app.core.need().ledger.head().seq;
    const broken = JSON.parse(doc([item({ code: 'protein' })]));
    broken.items[0].min = 0.45;
    broken.items[0].group = 'vitamins-and-more';
    const r = await app.call(qa, 'specs.create', { subjectKind: 'product', subjectId: productId, code: 'S3', titleZh: '规格', titleEn: 'Spec', from: { kind: 'document', json: JSON.stringify(broken) } });
    expect(r.ok).toBe(false);
    const paths = (r.ok ? [] : (r.error.details?.['issues'] as Array<{ path: string }>)).map((i) => i.path).sort();
    expect(paths).toEqual(['items.0.group', 'items.0.min']);
    expect(code(await app.call(qa, 'specs.create', { subjectKind: 'product', subjectId: productId, code: 'S3', titleZh: '规格', titleEn: 'Spec', from: { kind: 'document', json: '{not json' } }))).toBe('invalid_input');
    expect(app.core.need().ledger.head().seq).toBe(head);
    const v = await app.ok(qa, 'specs.create', { subjectKind: 'product', subjectId: productId, code: 'S3', titleZh: '规格', titleEn: 'Spec', from: { kind: 'document', json: doc([item({ code: 'protein', min: '1.20', max: '1.80' })]) } });
    const exported = await app.ok(qa, 'specs.export', { versionId: v.id });
    expect(exported.document.items[0]).toMatchObject({ code: 'protein', min: '1.20', max: '1.80' });
    const again = await app.ok(qa, 'specs.create', { subjectKind: 'product', subjectId: productId, code: 'S4', titleZh: '规格', titleEn: 'Spec', from: { kind: 'document', json: exported.json } });
    expect(again.items.map(({ id: _i, rev: _r, position: _p, ...rest }) => rest)).toEqual(v.items.map(({ id: _i, rev: _r, position: _p, ...rest }) => rest));
  });

  it('a technician can read specifications but not change them; an item edited behind the app shows on the approved version', async () => {
    const tech = await app.userWith(['technician'], 'tech.zhao');
    const v = await app.ok(qa, 'specs.create', { subjectKind: 'product', subjectId: productId, code: 'S5', titleZh: '规格', titleEn: 'Spec', from: { kind: 'document', json: doc([item({ code: 'protein' })]) } });
    expect((await app.ok(tech, 'specs.get', { versionId: v.id })).items).toHaveLength(1);
    expect(code(await app.call(tech, 'specs.approve', { versionId: v.id, signature: { password: USER_PASSWORD, meaning: 'approved' } }))).toBe('forbidden');
    await app.ok(qa, 'specs.approve', { versionId: v.id, signature: { password: USER_PASSWORD, meaning: 'approved' } });
    const db = app.core.need().ledger.db;
    db.prepare(`UPDATE ${C.specItem.table} SET max = '9.99' WHERE version_id = ?`).run(v.id); // an attacker's edit, for the test
    const after = await app.ok(tech, 'specs.get', { versionId: v.id });
    expect(after.problems.map((p) => p.key)).toEqual(['spec.content_changed_after_approval']);
  });
});
