import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import type { ChannelName } from '../../src/shared/contract';
import { createTestApp, USER_PASSWORD, type TestApp } from '../helpers/core';
import * as plant from '../fixtures/plant';
import { PRODUCTS, serialInstrument, specItem, TEST_PEOPLE, type Person } from '../fixtures/plant';

/**
 * What waits for each role (contract/channels/home.ts, issue 22 §1): each read is refused to
 * the roles whose work it is not (the dispatcher decides, not the screen), the counts follow
 * the records, and a reviewer is never counted the results they took part in.
 */
const SIGN = (meaning: string) => ({ password: USER_PASSWORD, meaning }) as never;

describe('home: what is waiting, per role', () => {
  let app: TestApp;
  const who: Record<string, Connection> = {};
  let lot = '';
  let sample = '';

  beforeAll(async () => {
    app = await createTestApp();
    const mk = (p: Person) => app.userWith([...p.roles], p.userId);
    who['qa'] = await mk(TEST_PEOPLE.qa);
    who['tech'] = await mk(TEST_PEOPLE.tech);
    who['reviewer'] = await mk(TEST_PEOPLE.reviewer);
    who['techRev'] = await mk(TEST_PEOPLE.techReviewer);
    who['prod'] = await mk(TEST_PEOPLE.prod);
    who['inspector'] = await app.userWith(['inspector'], 'insp.he');
    who['admin'] = app.admin;
    const QA = app.member(who['qa']!);
    const productId = await plant.product(QA, { ...PRODUCTS.if1 });
    await plant.approveSpec(QA, {
      subjectId: productId,
      code: 'SPEC-IF1',
      doc: plant.specDocument(
        'SPEC-IF1',
        [
          specItem({ code: 'protein', unit: 'g/100g', basis: 'per_100g', min: '10.0', max: '14.0' }),
          specItem({ code: 'fat', unit: 'g/100g', basis: 'per_100g', min: '24.0', max: '28.0' }),
        ],
        { subjectKind: 'product', appliesTo: 'infant' },
      ),
    });
    lot = (await plant.makeLot(app.member(who['prod']!), { itemCode: 'IF-1' })).code;
    sample = (await plant.releaseSample(app.member(who['techRev']!), lot)).code;
  });
  afterAll(() => app.close());

  const refused = async (role: string, name: ChannelName) => {
    const r = await app.call(who[role]!, name, {} as never);
    expect(r.ok, `${name} as ${role}`).toBe(false);
    if (!r.ok) expect(r.error.code, `${name} as ${role}`).toBe('forbidden');
  };

  it('refuses each read to the roles whose work it is not', async () => {
    for (const role of ['reviewer', 'prod', 'qa', 'inspector', 'admin']) await refused(role, 'home.myTests');
    for (const role of ['tech', 'prod', 'inspector', 'admin']) await refused(role, 'home.toReview');
    for (const role of ['tech', 'reviewer', 'prod', 'inspector', 'admin']) await refused(role, 'home.toRelease');
    for (const role of ['reviewer', 'prod', 'inspector', 'admin']) await refused(role, 'home.overdueChecks');
    for (const role of ['tech', 'reviewer', 'prod', 'admin']) await refused(role, 'home.inspector');
    // Lines are plant set-up: the administrator's, not the catalogue's keepers'.
    const line = { fields: { code: 'L9', nameZh: '九号线', nameEn: 'Line 9', site: null, active: true } };
    for (const role of ['qa', 'prod', 'tech']) {
      const r = await app.call(who[role]!, 'catalog.lines.save', line);
      expect(r.ok ? null : r.error.code).toBe('forbidden');
    }
    // Everyone signed in sees the setup guide's progress; nobody before sign-in.
    for (const c of Object.values(who)) expect((await app.call(c, 'setup.progress', {})).ok).toBe(true);
    const anonymous = await app.call(app.conn(), 'setup.progress', {});
    expect(anonymous.ok ? null : anonymous.error.code).toBe('not_signed_in');
  });

  it("counts a technician's open tests, and none for a reviewer's own results", async () => {
    const planned = (await app.ok(who['tech']!, 'results.forSample', { sampleCode: sample })).results.filter(
      (r) => !r.calculated,
    );
    const open = await app.ok(who['tech']!, 'home.myTests', {});
    expect(open).toMatchObject({ assigned: 0, unassigned: planned.length, overdue: 0, returned: 0 });
    expect(open.samples).toEqual([{ sampleCode: sample, lotCode: lot, tests: planned.length, overdue: 0 }]);

    // Assigned to one technician: theirs; the other no longer sees them as free.
    await app.ok(who['tech']!, 'results.assign', {
      ids: planned.map((r) => r.id),
      assignedTo: TEST_PEOPLE.techReviewer.userId,
    });
    expect(await app.ok(who['techRev']!, 'home.myTests', {})).toMatchObject({
      assigned: planned.length,
      unassigned: 0,
    });
    expect(await app.ok(who['tech']!, 'home.myTests', {})).toMatchObject({ assigned: 0, unassigned: 0, samples: [] });

    // The technician-reviewer enters and submits (authored): nothing left to test.
    for (const r of planned)
      await app.ok(who['techRev']!, 'results.enter', {
        id: r.id,
        replicates: [r.itemCode === 'protein' ? '12.0' : '26.0'],
      });
    await app.ok(who['techRev']!, 'results.submit', { sampleCode: sample, signature: SIGN('authored') });
    expect(await app.ok(who['techRev']!, 'home.myTests', {})).toMatchObject({ assigned: 0, unassigned: 0 });

    // The reviewer has the sample to review; the author, though a reviewer too, does not.
    const theirs = await app.ok(who['reviewer']!, 'home.toReview', {});
    expect(theirs).toMatchObject({ samples: 1, results: planned.length, failed: 0, own: 0 });
    expect(theirs.items.map((x) => x.sampleCode)).toEqual([sample]);
    expect(await app.ok(who['techRev']!, 'home.toReview', {})).toMatchObject({
      samples: 0,
      results: 0,
      own: 1,
      items: [],
    });
    expect((await app.ok(who['qa']!, 'home.toReview', {})).samples).toBe(1);

    // Reviewed: the queue is empty for everyone.
    await app.ok(who['reviewer']!, 'results.review', {
      ids: planned.map((r) => r.id),
      decision: 'approve',
      signature: SIGN('reviewed'),
    });
    expect((await app.ok(who['qa']!, 'home.toReview', {})).samples).toBe(0);
  });

  it("counts the QA manager's lots to release and the instruments overdue for calibration", async () => {
    const release = await app.ok(who['qa']!, 'home.toRelease', {});
    expect(release.ready + release.blocked).toBe(1);
    expect(release.lots.map((l) => l.lotCode)).toEqual([lot]);

    expect(await app.ok(who['qa']!, 'home.overdueChecks', {})).toMatchObject({ overdue: 0, dueSoon: 0 });
    const saved = await app.ok(who['admin']!, 'instruments.save', {
      fields: { ...serialInstrument('/dev/null-home'), code: 'BAL-1' },
    });
    // Never calibrated, never checked: captures are refused, so it is overdue for both who may calibrate.
    for (const role of ['qa', 'tech']) {
      const o = await app.ok(who[role]!, 'home.overdueChecks', {});
      expect(o.overdue).toBe(1);
      expect(o.instruments).toEqual([
        expect.objectContaining({
          id: saved.id,
          code: 'BAL-1',
          reasons: ['instrumentLock.calibration_missing', 'instrumentLock.check_missing'],
        }),
      ]);
    }
  });

  it('gives the inspector the totals of what there is to read', async () => {
    const o = await app.ok(who['inspector']!, 'home.inspector', {});
    expect(o).toMatchObject({ lots: 1, finishedLots: 1, decidedLots: 0, samples: 1, drills: 0, openFindings: 0 });
    expect(o.auditEntries).toBeGreaterThan(20);
  });

  it('derives the setup progress from the records (lines, products, specifications, roles, lots)', async () => {
    const before = await app.ok(who['admin']!, 'setup.progress', {});
    expect(before).toMatchObject({
      lines: { active: 0 },
      // IF-1 is infant formula without its 产品配方注册号.
      products: { total: 1, withoutRegistration: 1 },
      specification: { approved: 1, drafts: 0, productsWithout: 0 },
      users: { missingRoles: [] },
      firstLot: { lots: 1 },
    });
    expect(before.users.byRole).toMatchObject({
      administrator: 1,
      qa_manager: 1,
      technician: 2,
      reviewer: 2,
      production: 1,
      inspector: 1,
    });

    const line = await app.ok(who['admin']!, 'catalog.lines.save', {
      fields: { code: 'L1', nameZh: '一号线', nameEn: 'Line 1', site: '一厂区 干法车间', active: true },
    });
    const products = await app.ok(who['qa']!, 'catalog.products.list', {});
    await app.ok(who['qa']!, 'catalog.products.save', {
      id: products[0]!.id,
      fields: { ...PRODUCTS.if1, registrationNo: '国食注字YP20180001' },
      reason: 'formula registration number from the SAMR certificate',
    });
    const after = await app.ok(who['inspector']!, 'setup.progress', {});
    expect(after.lines.active).toBe(1);
    expect(after.products.withoutRegistration).toBe(0);

    // A line taken out of use no longer counts; the change is kept with its reason.
    await app.ok(who['admin']!, 'catalog.lines.save', {
      id: line.id,
      fields: { code: 'L1', nameZh: '一号线', nameEn: 'Line 1', site: '一厂区 干法车间', active: false },
      reason: 'line dismantled',
    });
    expect((await app.ok(who['admin']!, 'setup.progress', {})).lines.active).toBe(0);
    const trail = await app.ok(who['inspector']!, 'audit.query', {
      filter: { entity: 'production_line' },
      offset: 0,
      limit: 10,
    });
    expect(trail.entries.map((e) => e.reason)).toContain('line dismantled');
  });
});
