/**
 * Issue 22 §4: a whole table of a GB pack confirmed at once against the official text, with one
 * personal signature (`values_confirmed`) whose record names the standard, edition, table and
 * number of values. Refused without a valid signature; the ledger's signed-change rule
 * (`spec.table_confirm`) refuses the record unsigned on the write path, and verification finds
 * one an insider appended without a signature.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { C } from '../../src/main/catalog/entities';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { verifyFile } from '../../src/main/ledger/verify-runner';
import { appendAsInsider } from '../fixtures/insider';
import { SKEW_MS } from '../fixtures/ledger-helpers';
import { createTestApp, USER_PASSWORD, type TestApp } from '../helpers/core';

const errOf = (r: { ok: boolean; error?: { code: string; messageKey: string } }) =>
  r.ok ? null : { code: r.error!.code, key: r.error!.messageKey };

describe('specification tables confirmed with one signature', () => {
  let app: TestApp;
  let qa: Connection;
  let tech: Connection;
  let versionId: string;

  beforeAll(async () => {
    app = await createTestApp();
    qa = await app.userWith(['qa_manager'], 'qa.chen');
    tech = await app.userWith(['technician', 'reviewer'], 'rev.li');
    const p = await app.ok(qa, 'catalog.products.save', {
      fields: {
        code: 'IF-1',
        nameZh: '婴儿配方奶粉（0-6月龄，1段）',
        nameEn: 'Infant formula stage 1',
        stage: 'infant',
        proteinBase: 'cow',
        registrationNo: null,
        shelfLifeDays: 720,
        packSizes: ['800 g'],
      },
    });
    const v = await app.ok(qa, 'specs.create', {
      subjectKind: 'product',
      subjectId: p.id,
      code: 'SPEC-IF1',
      titleZh: 'GB 10765-2021 婴儿配方食品',
      titleEn: 'GB 10765-2021 infant formula',
      from: { kind: 'pack', packId: 'gb-10765-2021-milk' },
    });
    versionId = v.id;
  });
  afterAll(() => app?.close());

  const view = () => app.ok(qa, 'specs.get', { versionId });
  const table = async (t: string) =>
    (await view()).tables.find((x) => x.standard === 'GB 10765-2021' && x.table === t)!;
  const sig = (password = USER_PASSWORD) => ({ password, meaning: 'values_confirmed' as const });

  it('imports the pack with each value’s origin, no developer note, and its tables', async () => {
    const v = await view();
    expect(v.changeNote).toBeNull();
    const protein = v.items.find((i) => i.code === 'protein')!;
    expect(protein.origin).toEqual({ standard: 'GB 10765-2021', table: '表 1', row: '蛋白质' });
    expect(protein.source).toBeNull();
    for (const i of v.items)
      expect(`${i.note ?? ''}${i.source ?? ''}${i.clause ?? ''}`).not.toMatch(/scripts\/|github|https?:|\.json/);
    expect(v.tables.map((t) => `${t.standard} ${t.table}`)).toEqual([
      'GB 10765-2021 表 1',
      'GB 10765-2021 表 2',
      'GB 10765-2021 表 3',
      'GB 10765-2021 表 4',
      'GB 29921-2021 表 1',
    ]);
    const t2 = await table('表 2');
    expect([t2.count, t2.unverified, t2.missing, t2.withoutValue, t2.lastConfirmation]).toEqual([14, 12, 2, 2, null]);
  });

  it('refuses a table with values still to enter, a stale list, a wrong meaning or password, and a technician', async () => {
    const t2 = await table('表 2');
    const input = { versionId, standard: t2.standard, table: t2.table, itemIds: t2.itemIds, signature: sig() };
    const head = app.core.need().ledger.head().seq;
    expect(errOf(await app.call(qa, 'specs.confirmTable', input))).toEqual({
      code: 'invalid_input',
      key: 'errors.spec_table_without_value',
    });
    expect(errOf(await app.call(tech, 'specs.confirmTable', input))?.code).toBe('forbidden');
    expect(app.core.need().ledger.head().seq).toBe(head);

    // The QA manager enters the two missing vitamins from the official text (the same items: the list stays valid).
    const v = await view();
    for (const code of ['pantothenic_acid', 'biotin']) {
      const i = v.items.find((x) => x.code === code)!;
      const { id, rev, position, confirmedBy, confirmedAt, ...item } = i;
      void rev;
      void position;
      void confirmedBy;
      void confirmedAt;
      await app.ok(qa, 'specs.saveItem', {
        versionId,
        itemId: id,
        item: { ...item, min: '1', max: '9' },
        reason: 'entered from the official text',
      });
    }
    const fresh = await table('表 2');
    expect(fresh.withoutValue).toBe(0);
    const head2 = app.core.need().ledger.head().seq;
    expect(errOf(await app.call(qa, 'specs.confirmTable', { ...input, itemIds: fresh.itemIds.slice(1) }))).toEqual({
      code: 'conflict',
      key: 'errors.spec_table_stale',
    });
    expect(
      errOf(
        await app.call(qa, 'specs.confirmTable', {
          ...input,
          itemIds: fresh.itemIds,
          signature: { password: USER_PASSWORD, meaning: 'approved' },
        }),
      )?.key,
    ).toBe('errors.signature_meaning_mismatch');
    expect(
      errOf(
        await app.call(qa, 'specs.confirmTable', {
          ...input,
          itemIds: fresh.itemIds,
          signature: sig('wrong-password-9'),
        }),
      )?.code,
    ).toBe('wrong_password');
    expect(app.core.need().ledger.head().seq).toBe(head2);
  });

  it('confirms the whole table with one signature that names the standard, edition, table and number of values', async () => {
    const t2 = await table('表 2');
    const before = app.core.need().ledger.head().seq;
    const v = await app.ok(qa, 'specs.confirmTable', {
      versionId,
      standard: t2.standard,
      table: t2.table,
      itemIds: t2.itemIds,
      signature: sig(),
    });
    const vitamins = v.items.filter((i) => i.origin?.table === '表 2' && i.origin.standard === 'GB 10765-2021');
    expect(vitamins).toHaveLength(14);
    expect(vitamins.every((i) => i.verification === 'confirmed' && i.confirmedBy === 'qa.chen')).toBe(true);
    const t = v.tables.find((x) => x.table === '表 2' && x.standard === 'GB 10765-2021')!;
    expect(t.confirmed).toBe(14);
    expect(t.lastConfirmation).toMatchObject({ edition: '2021', itemCount: 14, confirmedBy: 'qa.chen' });
    expect(t.lastConfirmation!.statement).toContain('GB 10765-2021 表 2 的 14 项数值');
    expect(t.lastConfirmation!.statement).toContain('14 values of GB 10765-2021 表 2 compared');

    // One signature, on the confirmation record, in the same transaction as the 14 item updates.
    const db = app.core.need().ledger.db;
    const entries = db
      .prepare('SELECT entity, action FROM audit_entry WHERE seq > ? ORDER BY seq')
      .all(before) as Array<{ entity: string; action: string }>;
    expect(entries.filter((e) => e.entity === 'spec_item')).toHaveLength(14);
    const sigs = db
      .prepare("SELECT meaning, entity, comment, user_id FROM signature WHERE entity = 'spec_table_confirmation'")
      .all();
    expect(sigs).toEqual([
      expect.objectContaining({
        meaning: 'values_confirmed',
        user_id: 'qa.chen',
        comment: expect.stringContaining('GB 10765-2021 表 2'),
      }),
    ]);
    const rec = db.prepare('SELECT standard, edition, table_no, item_count FROM spec_table_confirmation').get();
    expect(rec).toEqual({ standard: 'GB 10765', edition: '2021', table_no: '表 2', item_count: 14 });
  });

  it('a value entered in a table keeps its origin, from the drawer and from a client that does not send it', async () => {
    const t1 = await table('表 1');
    const missing = (await view()).items.find((i) => t1.itemIds.includes(i.id) && i.max === null && i.min === null)!;
    expect(missing.origin?.table).toBe('表 1');
    const { id, rev, position, confirmedBy, confirmedAt, origin, ...fields } = missing;
    void [rev, position, confirmedBy, confirmedAt];
    // Without `origin` (an older screen): the item stays where the standard puts it.
    await app.ok(qa, 'specs.saveItem', {
      versionId,
      itemId: id,
      item: { ...fields, min: '1', max: '9', precision: 1 },
      reason: 'value entered from the official text',
    });
    const after = (await view()).items.find((i) => i.id === id)!;
    expect([after.min, after.max, after.origin]).toEqual(['1', '9', origin]);
    expect((await table('表 1')).itemIds).toContain(id);
    expect((await table('表 1')).count).toBe(t1.count);
  });

  it('the ledger refuses the record unsigned (rule spec.table_confirm), and verification finds one an insider appended', async () => {
    const svc = app.core.need();
    const head = svc.ledger.head().seq;
    const fields = {
      version_id: versionId,
      standard: 'GB 10765',
      edition: '2021',
      table_no: '表 3',
      item_count: 13,
      items: '[]',
      values_hash: '0'.repeat(64),
      statement: 'unsigned',
      confirmed_by: 'qa.chen',
      confirmed_at: 1,
    };
    expect(() =>
      svc.ledger.write({ id: 'qa.chen', name: 'User qa.chen' }, (w) => void w.create(C.specTableConfirmation, fields)),
    ).toThrow(/signature_required/);
    expect(svc.ledger.head().seq).toBe(head);

    const dbId = svc.ledger.getDatabaseId()!;
    const anchor = () => app.core.anchors.read(dbId);
    expect((await verifyFile(app.core.dbFile, { skewMs: SKEW_MS, anchor: anchor() })).findings).toEqual([]);
    const [seq] = appendAsInsider(
      { file: app.core.dbFile, key: app.core.key, anchors: app.core.anchors, dbId },
      { id: 'qa.chen', name: 'User qa.chen' },
      () => [
        {
          entity: 'spec_table_confirmation',
          action: 'create',
          row: { id: 'forged-confirmation', rev: 1, retired: 0, ...fields },
        },
      ],
    );
    const found = (await verifyFile(app.core.dbFile, { skewMs: SKEW_MS, anchor: anchor() })).findings;
    expect(found.map((f) => [f.kind, f.seq, f.entity, f.id])).toEqual([
      ['signature_missing', seq, 'spec_table_confirmation', 'forged-confirmation'],
    ]);
    expect(found[0]!.detail).toMatch(/spec\.table_confirm/);
  });
});
