import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { ADMIN_PASSWORD, createTestApp, USER_PASSWORD, type TestApp } from '../helpers/core';
import * as plant from '../fixtures/plant';

/** A fixed start time for the sample tests; the clock is moved by the tests. */
const T0 = Date.parse('2026-03-05T04:00:00Z');
const DAY = 86_400_000;

const err = (r: { ok: boolean; error?: { code: string; messageKey: string } }) => (r.ok ? null : r.error!.messageKey);
const codeOf = (r: { ok: boolean; error?: { code: string; messageKey: string } }) => (r.ok ? null : r.error!.code);

interface SampleWorld {
  app: TestApp;
  clock: { now: number };
  qa: Connection;
  tech: Connection;
  prod: Connection;
  /** An open finished lot of IF-1 (expiry = start + 720 days). */
  fg: string;
  /** An ingredient lot (quarantine) and a raw milk tanker lot. */
  ig: string;
  rm: string;
  productId: string;
}

/** A plant with a product, a raw material, suppliers and lots of each kind, at T0. */
async function sampleWorld(): Promise<SampleWorld> {
  const clock = { now: T0 };
  const app = await createTestApp({ clock: () => clock.now });
  const qa = await app.userWith(['qa_manager'], 'qa.chen');
  const tech = await app.userWith(['technician'], 'tech.li');
  const prod = await app.userWith(['production'], 'prod.wu');
  const qaM = app.member(qa);
  const prodM = app.member(prod);
  const productId = await plant.product(qaM, { ...plant.PRODUCTS.if1, shelfLifeDays: 720 });
  await plant.material(qaM, plant.MATERIALS.wpc80);
  await plant.material(qaM, plant.MATERIALS.rawMilk);
  await plant.supplier(qaM, plant.SUPPLIERS.whey);
  await plant.supplier(qaM, plant.SUPPLIERS.farm);
  const ig = await plant.receive(prodM, { supplierLot: 'W-1', containers: 40, expiryDate: '2027-12-31' });
  const rm = await plant.receiveTanker(prodM);
  const fg = (await plant.makeLot(prodM, { itemCode: 'IF-1', line: 'Line 2' })).code;
  return { app, clock, qa, tech, prod, fg, ig, rm, productId };
}

/** An approved specification for IF-1 with two microbiological sampling plans (n = 5 and n = 3). */
async function approvedSpecWithPlans(w: SampleWorld): Promise<string> {
  const items = [
    plant.rangeItem({ code: 'protein' }),
    plant.specItem({ code: 'salmonella', group: 'microbiology', unit: 'per 25 g', basis: 'per_25g', limit_form: 'sampling_plan', n: 5, c: 0, m: '0', precision: null }),
    plant.specItem({ code: 'cronobacter', group: 'microbiology', unit: 'per 100 g', basis: 'per_100g_sample', limit_form: 'sampling_plan', n: 3, c: 0, m: '0', precision: null }),
  ];
  return plant.approveSpec(w.app.member(w.qa), {
    subjectId: w.productId,
    code: 'SPEC-IF-1',
    titleZh: '婴儿配方奶粉 1段 规格',
    titleEn: 'IF-1 specification',
    doc: { ...plant.specDocument('IF-1', items, { standard: 'GB 10765-2021' }), title_zh: '婴儿配方奶粉 企业标准', title_en: 'IF-1 plant specification' },
  });
}

const releaseSample = (lotCode: string, over: Record<string, unknown> = {}) =>
  ({ kind: 'finished_release', lotCode, samplingPoint: 'Line 2 filler', quantity: '5', unit: 'can', container: '800 g can', ...over }) as never;

/** Moves the clock on; the idle rule locked every session meanwhile, so each one unlocks. */
async function later(w: SampleWorld, ms: number): Promise<void> {
  w.clock.now += ms;
  for (const c of [w.tech, w.qa, w.prod]) await w.app.ok(c, 'auth.unlock', { password: USER_PASSWORD });
  await w.app.ok(w.app.admin, 'auth.unlock', { password: ADMIN_PASSWORD });
}

const head = (w: SampleWorld) => w.app.core.need().ledger.head().seq;
const today = (w: SampleWorld) => w.app.core.need().samples.localDate(w.clock.now);
const yyMMdd = (w: SampleWorld) => today(w).slice(2).replace(/-/g, '');

describe('samples: registration, ids, sampling-plan units, custody and states', () => {
  let w: SampleWorld;
  beforeEach(async () => {
    w = await sampleWorld();
  });
  afterEach(() => w.app.close());

  it('ids follow the pattern per kind with a daily counter; the pattern is a validated setting', async () => {
    const { app, tech } = w;
    const a = await app.ok(tech, 'samples.register', releaseSample(w.fg, { withRetention: false }));
    const b = await app.ok(tech, 'samples.register', { kind: 'incoming_inspection', lotCode: w.ig, samplingPoint: 'Bag 3 of 40', quantity: '200', unit: 'g', container: 'sterile bag' });
    expect(a.sample.code).toBe(`S${yyMMdd(w)}-0001`);
    expect(b.sample.code).toBe(`S${yyMMdd(w)}-0002`);
    const r = await app.ok(tech, 'samples.register', { kind: 'retention', lotCode: w.fg, samplingPoint: 'Line 2 filler', quantity: '6', unit: 'can', container: '800 g can' });
    expect(r.sample.code).toBe(`R${yyMMdd(w)}-0001`);
    // The next day the counter starts again.
    await later(w, DAY);
    const c = await app.ok(tech, 'samples.register', { kind: 'in_process', lotCode: w.fg, samplingPoint: 'Dryer outlet', quantity: '100', unit: 'g', container: 'sterile bag' });
    expect(c.sample.code).toBe(`S${yyMMdd(w)}-0001`);
    // An administrator sets the plant's own pattern; one without a counter is refused.
    const base = await app.ok(app.admin, 'settings.get', {});
    expect(codeOf(await app.call(app.admin, 'settings.update', { settings: { ...base, sampleCodePatterns: { in_process: 'IP-{yyyyMMdd}' } }, reason: 'plant sample id rules' }))).toBe('invalid_input');
    await app.ok(app.admin, 'settings.update', { settings: { ...base, sampleCodePatterns: { in_process: 'IP-{yyyyMMdd}-{seq3}' } }, reason: 'plant sample id rules' });
    const d = await app.ok(tech, 'samples.register', { kind: 'in_process', lotCode: w.fg, samplingPoint: 'Dryer outlet', quantity: '100', unit: 'g', container: 'sterile bag' });
    expect(d.sample.code).toBe(`IP-${today(w).replace(/-/g, '')}-001`);
  });

  it('50 parallel registrations through the dispatcher get 50 different, consecutive ids', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        w.app.call(w.tech, 'samples.register', { kind: 'incoming_inspection', lotCode: w.ig, samplingPoint: `Bag ${i + 1}`, quantity: '100', unit: 'g', container: 'sterile bag' }),
      ),
    );
    const codes = results.map((r) => (r.ok ? r.data.sample.code : `error ${JSON.stringify(r.error)}`));
    expect(new Set(codes).size).toBe(50);
    expect([...codes].sort()).toEqual(Array.from({ length: 50 }, (_, i) => `S${yyMMdd(w)}-${String(i + 1).padStart(4, '0')}`));
    expect((await w.app.ok(w.qa, 'samples.list', { lotCode: w.ig })).total).toBe(50);
  });

  it('kind rules and bad values are refused with a clear message and nothing is written', async () => {
    const { app, tech, qa } = w;
    const site = await app.ok(qa, 'sites.save', { fields: { code: 'W-01', nameZh: '纯水点 1', nameEn: 'Purified water tap 1', kind: 'water', zone: null, line: null, room: 'Water room', active: true } });
    await app.ok(qa, 'sites.save', { fields: { code: 'Z1-OLD', nameZh: '旧灌装机', nameEn: 'Old filler', kind: 'environment', zone: 1, line: 'L1', room: 'Filling', active: false } });
    expect(site.code).toBe('W-01');
    const before = head(w);
    const reg = (i: Record<string, unknown>) => app.call(tech, 'samples.register', { samplingPoint: 'p', quantity: '1', unit: 'can', container: 'can', ...i } as never);
    const future = new Date(w.clock.now + 3_600_000).toISOString();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ kind: 'finished_release' }, 'errors.sample_lot_required'],
      [{ kind: 'finished_release', lotCode: 'FG-NOPE' }, 'errors.lot_not_found'],
      [{ kind: 'finished_release', lotCode: w.ig }, 'errors.sample_lot_wrong_kind'],
      [{ kind: 'raw_milk_tanker', lotCode: w.ig }, 'errors.sample_lot_wrong_kind'],
      [{ kind: 'incoming_inspection', lotCode: w.rm }, 'errors.sample_lot_wrong_kind'],
      [{ kind: 'incoming_inspection', lotCode: w.ig, siteCode: 'W-01' }, 'errors.sample_site_not_allowed'],
      [{ kind: 'environmental_swab', lotCode: w.fg }, 'errors.sample_lot_not_allowed'],
      [{ kind: 'environmental_swab' }, 'errors.sample_site_required'],
      [{ kind: 'environmental_swab', siteCode: 'W-01' }, 'errors.sample_site_wrong_kind'],
      [{ kind: 'environmental_swab', siteCode: 'Z1-OLD' }, 'errors.site_inactive'],
      [{ kind: 'water', siteCode: 'NOWHERE' }, 'errors.site_not_found'],
      [{ kind: 'incoming_inspection', lotCode: w.ig, takenAt: future }, 'errors.date_in_future'],
      [{ kind: 'incoming_inspection', lotCode: w.ig, takenAt: '2026-02-01T08:00:00+08:00' }, 'errors.sample_before_lot'],
      [{ kind: 'incoming_inspection', lotCode: w.ig, receipt: { condition: 'intact', temperature: '95' } }, 'errors.temperature_implausible'],
      [{ kind: 'incoming_inspection', lotCode: w.ig, receipt: { condition: 'intact', temperature: '-273' } }, 'errors.temperature_implausible'],
      [{ kind: 'incoming_inspection', lotCode: w.ig, quantity: '0' }, 'errors.quantity_positive'],
      [{ kind: 'incoming_inspection', lotCode: w.ig, keepUntil: '2030-01-01' }, 'errors.keep_until_retention_only'],
      [{ kind: 'finished_release', lotCode: w.fg, retention: { quantity: '6', unit: 'can', container: 'can', keepUntil: '2026-06-01' } }, 'errors.keep_until_before_expiry'],
    ];
    for (const [input, key] of cases) expect(err(await reg(input)), JSON.stringify(input)).toBe(key);
    // Format errors come from the contract, with their own message.
    const bad = await reg({ kind: 'incoming_inspection', lotCode: w.ig, takenAt: '05/03/2026 08:00' });
    expect(bad.ok ? null : bad.error.details?.['issues']).toMatchObject([{ path: 'takenAt', message: expect.stringContaining('time zone') }]);
    expect(codeOf(await reg({ kind: 'incoming_inspection', lotCode: w.ig, receipt: { condition: 'intact', temperature: 'warm' } }))).toBe('invalid_input');
    expect(head(w)).toBe(before);
    expect((await app.ok(qa, 'samples.list', { includeUnits: true })).total).toBe(0);
  });

  it('a release sample gets the n units of the spec’s microbiological sampling plans and the lot’s retention sample', async () => {
    const versionId = await approvedSpecWithPlans(w);
    const { app, tech, qa } = w;
    const r = await app.ok(tech, 'samples.register', releaseSample(w.fg, { quantity: '5', receipt: { condition: 'intact', temperature: '22.5', storageLocation: 'Lab shelf A' }, retention: { quantity: '6', unit: 'can', container: '800 g can', storageLocation: 'Retention room R1' } }));
    expect(r.sample).toMatchObject({ kind: 'finished_release', status: 'received', specVersionId: versionId, units: 5, lotCode: w.fg, storageLocation: 'Lab shelf A', temperature: '22.5', condition: 'intact', receivedBy: 'tech.li' });
    // n = the largest n of the micro items (salmonella 5, cronobacter 3).
    expect(r.units.map((u) => [u.code, u.unitNo, u.quantity, u.status, u.parentCode])).toEqual(
      [1, 2, 3, 4, 5].map((k) => [`${r.sample.code}-0${k}`, k, '1', 'received', r.sample.code]),
    );
    expect(r.retention).toMatchObject({ kind: 'retention', quantity: '6', storageLocation: 'Retention room R1', status: 'received', units: 0 });
    expect(r.retention!.code).toMatch(/^R\d{6}-0001$/);
    // Units are listed under their sample unless asked for; each opens on its own.
    expect((await app.ok(qa, 'samples.list', { lotCode: w.fg })).samples.map((s) => s.kind).sort()).toEqual(['finished_release', 'retention']);
    expect((await app.ok(qa, 'samples.list', { lotCode: w.fg, includeUnits: true })).total).toBe(7);
    const unit3 = await app.ok(qa, 'samples.get', { code: `${r.sample.code}-03` });
    expect(unit3.parent?.code).toBe(r.sample.code);
    const detail = await app.ok(qa, 'samples.get', { code: r.sample.code });
    expect(detail.units).toHaveLength(5);
    expect(detail.lot).toMatchObject({ code: w.fg, kind: 'finished', itemCode: 'IF-1' });
    expect(detail.events.map((e) => e.event)).toEqual(['registered', 'received']);
    // A second release sample of the same lot does not create a second retention sample.
    const again = await app.ok(tech, 'samples.register', releaseSample(w.fg));
    expect(again.retention).toBeNull();
    // Without an applicable spec (ingredient), no units and no spec version.
    const ig = await app.ok(tech, 'samples.register', { kind: 'incoming_inspection', lotCode: w.ig, samplingPoint: 'Bag 1', quantity: '200', unit: 'g', container: 'sterile bag' });
    expect(ig).toMatchObject({ units: [], retention: null, sample: { specVersionId: null, units: 0 } });
    // The tanker sample belongs to the tanker's receipt (raw milk lot).
    const rm = await app.ok(tech, 'samples.register', { kind: 'raw_milk_tanker', lotCode: w.rm, samplingPoint: 'Compartment 1 outlet', quantity: '500', unit: 'mL', container: 'sterile bottle', receipt: { condition: 'intact', temperature: '4.1' } });
    expect(rm.sample).toMatchObject({ kind: 'raw_milk_tanker', status: 'received', temperature: '4.1' });
  });

  it('states: registered → received → in_testing → complete; cancel with a reason; every step is a custody event', async () => {
    await approvedSpecWithPlans(w);
    const { app, tech, qa } = w;
    const svc = app.core.need().samples;
    const ledger = app.core.need().ledger;
    const { sample } = await app.ok(tech, 'samples.register', releaseSample(w.fg, { withRetention: false }));
    expect(sample.status).toBe('registered');
    expect((await app.ok(tech, 'samples.get', { code: sample.code })).allowedActions).toEqual(['receive', 'move', 'cancel']);
    expect(() => ledger.write({ id: 'tech.li', name: 'x' }, (wr) => svc.startTesting(wr, sample.code))).toThrow(/sample_transition_not_allowed/);
    expect(err(await app.call(tech, 'samples.receive', { code: sample.code, condition: 'intact', receivedAt: new Date(w.clock.now - 3_600_000).toISOString() }))).toBe('errors.received_before_taken');
    w.clock.now += 600_000;
    const rec = await app.ok(tech, 'samples.receive', { code: sample.code, condition: 'intact', temperature: '21', storageLocation: 'Micro fridge 2' });
    expect(rec).toMatchObject({ status: 'received', storageLocation: 'Micro fridge 2', receivedBy: 'tech.li' });
    expect((await app.ok(qa, 'samples.get', { code: sample.code })).units.every((u) => u.status === 'received' && u.storageLocation === 'Micro fridge 2')).toBe(true);
    expect(err(await app.call(tech, 'samples.receive', { code: sample.code, condition: 'intact' }))).toBe('errors.sample_transition_not_allowed');
    const moved = await app.ok(tech, 'samples.move', { code: sample.code, storageLocation: 'Micro fridge 3', reason: 'fridge 2 defrosting' });
    expect(moved.storageLocation).toBe('Micro fridge 3');
    ledger.write({ id: 'tech.li', name: 'User tech.li' }, (wr) => svc.startTesting(wr, sample.code));
    ledger.write({ id: 'rev.zhao', name: 'User rev.zhao' }, (wr) => svc.complete(wr, sample.code));
    const done = await app.ok(qa, 'samples.get', { code: sample.code });
    expect(done.sample.status).toBe('complete');
    expect(done.events.map((e) => [e.event, e.by, e.location])).toEqual([
      ['registered', 'tech.li', null],
      ['received', 'tech.li', 'Micro fridge 2'],
      ['moved', 'tech.li', 'Micro fridge 3'],
      ['testing_started', 'tech.li', null],
      ['completed', 'rev.zhao', null],
    ]);
    expect(err(await app.call(tech, 'samples.cancel', { code: sample.code, reason: 'too late' }))).toBe('errors.sample_transition_not_allowed');

    // Cancel: with a reason, units follow, nothing more happens to it.
    const other = await app.ok(tech, 'samples.register', releaseSample(w.fg));
    expect(codeOf(await app.call(tech, 'samples.cancel', { code: other.sample.code, reason: '' }))).toBe('invalid_input');
    const c = await app.ok(tech, 'samples.cancel', { code: other.sample.code, reason: 'label smudged, sample retaken' });
    expect(c).toMatchObject({ status: 'cancelled', cancelReason: 'label smudged, sample retaken' });
    expect((await app.ok(qa, 'samples.get', { code: other.sample.code })).units.every((u) => u.status === 'cancelled')).toBe(true);
    expect(err(await app.call(tech, 'samples.move', { code: other.sample.code, storageLocation: 'Bin' }))).toBe('errors.sample_transition_not_allowed');
    expect(err(await app.call(tech, 'samples.receive', { code: other.sample.code, condition: 'intact' }))).toBe('errors.sample_transition_not_allowed');
    expect((await app.ok(qa, 'samples.list', { status: 'cancelled' })).samples.map((s) => s.code)).toEqual([other.sample.code]);
    // The audit trail reason of the cancellation is the user's reason.
    const entries = (await app.ok(qa, 'audit.query', { filter: { entity: 'sample', entityId: c.id }, offset: 0, limit: 10 })).entries;
    expect(entries.some((e) => e.reason === 'label smudged, sample retaken')).toBe(true);
  });

  it('the scanner opens samples and lots by code', async () => {
    const { app, tech } = w;
    const { sample } = await app.ok(tech, 'samples.register', releaseSample(w.fg, { withRetention: false }));
    expect(await app.ok(tech, 'scan.lookup', { code: sample.code })).toEqual({ type: 'sample', code: sample.code });
    expect(await app.ok(tech, 'scan.lookup', { code: ` ${w.fg}\r\n` })).toEqual({ type: 'lot', code: w.fg });
    expect(await app.ok(tech, 'scan.lookup', { code: sample.code.toLowerCase() })).toEqual({ type: 'sample', code: sample.code });
    expect(err(await app.call(tech, 'scan.lookup', { code: 'NOT-A-CODE' }))).toBe('errors.scan_unknown');
    expect(err(await app.call(tech, 'samples.get', { code: 'NOT-A-CODE' }))).toBe('errors.sample_not_found');
  });

  it('an inspector reads samples and sites but cannot change anything', async () => {
    const { app, tech, qa } = w;
    const insp = await app.userWith(['inspector'], 'insp.he');
    const { sample } = await app.ok(tech, 'samples.register', releaseSample(w.fg, { receipt: { condition: 'intact' } }));
    const site = await app.ok(qa, 'sites.save', { fields: { code: 'Z1-F1', nameZh: '灌装机', nameEn: 'Filler', kind: 'environment', zone: 1, line: 'L2', room: 'Filling', active: true } });
    const before = head(w);
    const tries = [
      app.call(insp, 'samples.register', releaseSample(w.fg)),
      app.call(insp, 'samples.receive', { code: sample.code, condition: 'intact' }),
      app.call(insp, 'samples.move', { code: sample.code, storageLocation: 'X' }),
      app.call(insp, 'samples.cancel', { code: sample.code, reason: 'not allowed' }),
      app.call(insp, 'samples.retention.dispose', { code: sample.code, reason: 'not allowed', signature: { password: USER_PASSWORD, meaning: 'disposed' } }),
      app.call(insp, 'sites.save', { id: site.id, fields: { ...site, active: false }, reason: 'not allowed' } as never),
      app.call(insp, 'sites.schedule.save', { siteId: site.id, frequencyDays: 1, nextDue: '2026-03-05', targets: ['salmonella'] }),
    ];
    for (const r of await Promise.all(tries)) expect(codeOf(r)).toBe('forbidden');
    expect(head(w)).toBe(before);
    expect((await app.ok(insp, 'samples.get', { code: sample.code })).allowedActions).toEqual([]);
    expect((await app.ok(insp, 'samples.list', {})).total).toBe(2);
    expect(await app.ok(insp, 'sites.list', {})).toHaveLength(1);
  });
});

describe('retention samples (留样): keep-until, expiring soon, signed disposal, missing ones flagged', () => {
  let w: SampleWorld;
  beforeEach(async () => {
    w = await sampleWorld();
  });
  afterEach(() => w.app.close());

  const expiryOf = async (code: string) => (await w.app.ok(w.qa, 'lots.get', { code })).lot.expiryDate!;

  it('keep-until is the lot’s expiry plus 365 days, or the given date; never before the expiry', async () => {
    const { app, tech } = w;
    const expiry = await expiryOf(w.fg);
    const r = await app.ok(tech, 'samples.register', releaseSample(w.fg));
    const plus365 = new Date(Date.parse(`${expiry}T00:00:00Z`) + 365 * DAY).toISOString().slice(0, 10);
    expect(r.retention!.keepUntil).toBe(plus365);
    // A separate retention sample with an explicit keep-until (per-call override).
    const extra = await app.ok(tech, 'samples.register', { kind: 'retention', lotCode: w.fg, samplingPoint: 'Warehouse', quantity: '2', unit: 'can', container: '800 g can', keepUntil: '2030-12-31' });
    expect(extra.sample.keepUntil).toBe('2030-12-31');
    expect(err(await app.call(tech, 'samples.register', { kind: 'retention', lotCode: w.fg, samplingPoint: 'Warehouse', quantity: '2', unit: 'can', container: 'can', keepUntil: '2020-01-01' }))).toBe('errors.keep_until_past');
    // A lot without an expiry date needs the keep-until date given.
    await app.ok(w.qa, 'catalog.products.save', { fields: { code: 'IF-2', nameZh: '较大婴儿配方奶粉 2段', nameEn: 'Follow-on formula stage 2', stage: 'older_infant', proteinBase: 'cow', registrationNo: null, shelfLifeDays: null, packSizes: ['800 g'] } });
    const b = await app.ok(w.prod, 'batches.start', { line: 'Line 1', outputKind: 'finished', itemCode: 'IF-2', unit: 'kg' });
    expect(err(await app.call(tech, 'samples.register', releaseSample(b.output.code)))).toBe('errors.keep_until_required');
    const ok = await app.ok(tech, 'samples.register', releaseSample(b.output.code, { retention: { quantity: '6', unit: 'can', container: 'can', keepUntil: '2029-06-30' } }));
    expect(ok.retention!.keepUntil).toBe('2029-06-30');
  });

  it('a finished lot without a retention sample is flagged until one is registered; a cancelled one does not count', async () => {
    const { app, tech, qa } = w;
    const missing = async (lotCode?: string) => (await app.ok(qa, 'samples.retention.missing', lotCode ? { lotCode } : {})).lots.map((l) => l.code);
    expect(await missing()).toEqual([w.fg]);
    expect(await missing(w.fg)).toEqual([w.fg]);
    expect(app.core.need().samples.retentionMissing(w.fg)).toBe(true);
    const { sample } = await app.ok(tech, 'samples.register', releaseSample(w.fg, { withRetention: false }));
    expect(sample.kind).toBe('finished_release');
    expect(await missing(w.fg)).toEqual([w.fg]);
    const r = await app.ok(tech, 'samples.register', { kind: 'retention', lotCode: w.fg, samplingPoint: 'Line 2 filler', quantity: '6', unit: 'can', container: '800 g can' });
    expect(await missing()).toEqual([]);
    expect(app.core.need().samples.retentionMissing(w.fg)).toBe(false);
    await app.ok(tech, 'samples.cancel', { code: r.sample.code, reason: 'wrong lot label, re-registered' });
    expect(await missing()).toEqual([w.fg]);
    // A rejected lot is never sold: no retention sample is required.
    await app.ok(qa, 'lots.decide', { code: w.fg, decision: 'reject', reason: 'line contamination', signature: { password: USER_PASSWORD, meaning: 'rejected' } });
    expect(await missing()).toEqual([]);
    // Ingredient and raw milk lots are not finished lots.
    expect(app.core.need().samples.retentionMissing(w.ig)).toBe(false);
  });

  it('expiring soon, then disposal signed `disposed` by a QA manager (password re-entered, reason)', async () => {
    const { app, tech, qa } = w;
    // A lot that expires in 20 days, its retention sample kept until its expiry (the override).
    const b = await app.ok(w.prod, 'batches.start', { line: 'Line 1', outputKind: 'finished', itemCode: 'IF-1', unit: 'kg', expiryDate: new Date(w.clock.now + 20 * DAY).toISOString().slice(0, 10) });
    const keepUntil = b.output.expiryDate!;
    const { retention } = await app.ok(tech, 'samples.register', releaseSample(b.output.code, { retention: { quantity: '6', unit: 'can', container: '800 g can', keepUntil } }));
    const code = retention!.code;
    expect(retention!.keepUntil).toBe(keepUntil);
    expect((await app.ok(qa, 'samples.retention.list', { withinDays: 5 })).total).toBe(0);
    // Ten days before keep-until.
    await later(w, 10 * DAY);
    expect((await app.ok(qa, 'samples.retention.list', { withinDays: 30 })).samples.map((s) => s.code)).toEqual([code]);
    expect((await app.ok(qa, 'samples.retention.list', { withinDays: 5 })).total).toBe(0);
    const sig = (password = USER_PASSWORD, meaning: 'disposed' | 'approved' = 'disposed') => ({ password, meaning });
    expect(codeOf(await app.call(tech, 'samples.retention.dispose', { code, reason: 'retention period over', signature: sig() }))).toBe('forbidden');
    // Never received into the retention store: nothing to dispose of yet.
    expect(err(await app.call(qa, 'samples.retention.dispose', { code, reason: 'retention period over', signature: sig() }))).toBe('errors.sample_transition_not_allowed');
    await app.ok(tech, 'samples.receive', { code, condition: 'intact', storageLocation: 'Retention room R1' });
    expect(err(await app.call(qa, 'samples.retention.dispose', { code, reason: 'retention period over', signature: sig() }))).toBe('errors.retention_not_due');
    await later(w, 11 * DAY);
    const before = w.app.core.need().ledger.head().seq;
    expect(codeOf(await app.call(qa, 'samples.retention.dispose', { code, reason: 'retention period over', signature: sig('wrong-password-1') }))).toBe('wrong_password');
    expect(err(await app.call(qa, 'samples.retention.dispose', { code, reason: 'retention period over', signature: sig(USER_PASSWORD, 'approved') }))).toBe('errors.signature_meaning_mismatch');
    // A wrong password writes only its sign-in failure (auth_event), never the disposal.
    expect((await app.ok(qa, 'samples.get', { code })).sample.disposedAt).toBeNull();
    expect(w.app.core.need().ledger.db.prepare("SELECT count(*) AS n FROM audit_entry WHERE seq > ? AND entity <> 'auth_event' AND entity <> 'user'").get(before)).toEqual({ n: 0 });
    expect((await app.ok(qa, 'samples.get', { code })).allowedActions).toContain('dispose');
    const disposed = await app.ok(qa, 'samples.retention.dispose', { code, reason: 'retention period over, destroyed by autoclave', signature: sig() });
    expect(disposed.disposedAt).toBe(new Date(w.clock.now).toISOString());
    const detail = await app.ok(qa, 'samples.get', { code });
    expect(detail.signatures.map((s) => [s.meaning, s.printedName, s.comment, s.valid])).toEqual([['disposed', 'User qa.chen', 'retention period over, destroyed by autoclave', true]]);
    expect(detail.events.at(-1)).toMatchObject({ event: 'disposed', by: 'qa.chen' });
    expect(detail.allowedActions).toEqual([]);
    expect(err(await app.call(qa, 'samples.retention.dispose', { code, reason: 'again', signature: sig() }))).toBe('errors.sample_transition_not_allowed');
    expect(err(await app.call(tech, 'samples.move', { code, storageLocation: 'Bin' }))).toBe('errors.sample_transition_not_allowed');
    expect((await app.ok(qa, 'samples.retention.list', { withinDays: 30 })).samples.map((s) => s.code)).not.toContain(code);
    // A release sample is not a retention sample.
    const rel = (await app.ok(qa, 'samples.list', { kind: 'finished_release' })).samples[0]!.code;
    expect(err(await app.call(qa, 'samples.retention.dispose', { code: rel, reason: 'not retention', signature: sig() }))).toBe('errors.sample_not_retention');
  });
});

describe('sampling sites, schedules and swabs due', () => {
  let w: SampleWorld;
  beforeEach(async () => {
    w = await sampleWorld();
  });
  afterEach(() => w.app.close());

  const filler = { code: 'Z1-F2', nameZh: '2号线灌装机内壁', nameEn: 'Line 2 filler, inside wall', kind: 'environment' as const, zone: 1, line: 'L2', room: 'Filling hall', active: true };

  it('sites: unique codes, zones for environmental sites only, updates need a reason, deactivated not deleted', async () => {
    const { app, qa } = w;
    const s = await app.ok(qa, 'sites.save', { fields: filler });
    expect(s).toMatchObject({ code: 'Z1-F2', zone: 1, active: true, schedules: [] });
    expect(err(await app.call(qa, 'sites.save', { fields: filler }))).toBe('errors.code_taken');
    expect(err(await app.call(qa, 'sites.save', { fields: { ...filler, code: 'Z-X', zone: null } }))).toBe('errors.site_zone_required');
    expect(err(await app.call(qa, 'sites.save', { fields: { ...filler, code: 'W-X', kind: 'water', zone: 2 } }))).toBe('errors.site_zone_not_allowed');
    expect(err(await app.call(qa, 'sites.save', { id: s.id, fields: { ...filler, room: 'Hall B' } }))).toBe('errors.reason_required');
    expect(err(await app.call(qa, 'sites.save', { id: s.id, fields: { ...filler, code: 'Z1-F3' }, reason: 'rename' }))).toBe('errors.code_immutable');
    expect(err(await app.call(qa, 'sites.save', { id: s.id, fields: { ...filler, kind: 'water', zone: null }, reason: 'convert' }))).toBe('errors.site_kind_immutable');
    const off = await app.ok(qa, 'sites.save', { id: s.id, fields: { ...filler, active: false }, reason: 'filler replaced' });
    expect(off.active).toBe(false);
    expect(await app.ok(qa, 'sites.list', {})).toEqual([]);
    expect((await app.ok(qa, 'sites.list', { includeInactive: true })).map((x) => x.code)).toEqual(['Z1-F2']);
  });

  it('schedules list the swabs due; a swab at a zone 1 site takes the due targets and moves the schedule on', async () => {
    const { app, qa, tech } = w;
    const site = await app.ok(qa, 'sites.save', { fields: filler });
    const floor = await app.ok(qa, 'sites.save', { fields: { code: 'Z3-D1', nameZh: '包装间地漏', nameEn: 'Packing room drain', kind: 'environment', zone: 3, line: null, room: 'Packing', active: true } });
    const water = await app.ok(qa, 'sites.save', { fields: { code: 'W-01', nameZh: '纯水点 1', nameEn: 'Purified water tap 1', kind: 'water', zone: null, line: null, room: 'Water room', active: true } });
    const d = today(w);
    const plus = (n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
    await app.ok(qa, 'sites.schedule.save', { siteId: site.id, frequencyDays: 7, nextDue: d, targets: ['cronobacter', 'salmonella', 'enterobacteriaceae'] });
    await app.ok(qa, 'sites.schedule.save', { siteId: floor.id, frequencyDays: 1, nextDue: plus(-2), targets: ['enterobacteriaceae'] });
    const withSched = await app.ok(qa, 'sites.schedule.save', { siteId: water.id, frequencyDays: 30, nextDue: plus(5), targets: ['coliforms'] });
    expect(withSched.schedules).toMatchObject([{ frequencyDays: 30, nextDue: plus(5), targets: ['coliforms'], active: true }]);
    expect(err(await app.call(qa, 'sites.schedule.save', { id: withSched.schedules[0]!.id, siteId: water.id, frequencyDays: 14, nextDue: plus(5), targets: ['coliforms'] }))).toBe('errors.reason_required');
    expect(err(await app.call(qa, 'sites.schedule.save', { siteId: 'nowhere', frequencyDays: 1, nextDue: d, targets: ['salmonella'] }))).toBe('errors.site_not_found');

    const due = await app.ok(tech, 'sites.due', {});
    expect(due.map((x) => [x.siteCode, x.zone, x.nextDue, x.overdueDays])).toEqual([
      ['Z1-F2', 1, d, 0],
      ['Z3-D1', 3, plus(-2), 2],
    ]);
    expect(due[0]!.targets).toEqual(['cronobacter', 'salmonella', 'enterobacteriaceae']);
    expect((await app.ok(tech, 'sites.due', { date: plus(-3) })).length).toBe(0);
    expect((await app.ok(tech, 'sites.due', { date: plus(5) })).map((x) => x.siteCode)).toEqual(['Z1-F2', 'Z3-D1', 'W-01']);

    // The swab at the zone 1 site: its targets come from the schedule, which moves on.
    const swab = await app.ok(tech, 'samples.register', { kind: 'environmental_swab', siteCode: 'Z1-F2', samplingPoint: 'Filler nozzle ring, 10 × 10 cm', quantity: '1', unit: 'pcs', container: 'sponge swab bag', receipt: { condition: 'intact', temperature: '6' } });
    expect(swab.sample).toMatchObject({ kind: 'environmental_swab', siteCode: 'Z1-F2', lotCode: null, targets: ['cronobacter', 'salmonella', 'enterobacteriaceae'], units: 0, specVersionId: null });
    expect(swab.sample.code).toMatch(/^ES\d{6}-0001$/);
    expect((await app.ok(tech, 'sites.due', {})).map((x) => x.siteCode)).toEqual(['Z3-D1']);
    expect((await app.ok(qa, 'sites.list', {})).find((x) => x.code === 'Z1-F2')!.schedules[0]!.nextDue).toBe(plus(7));
    const detail = await app.ok(qa, 'samples.get', { code: swab.sample.code });
    expect(detail.site).toMatchObject({ code: 'Z1-F2', zone: 1 });
    expect((await app.ok(qa, 'samples.list', { siteCode: 'Z1-F2' })).total).toBe(1);
    // A water sample at the water point (not yet due: the schedule stays).
    const ws = await app.ok(tech, 'samples.register', { kind: 'water', siteCode: 'W-01', samplingPoint: 'Tap 1 after flushing 1 min', targets: ['coliforms', 'pseudomonas'], quantity: '500', unit: 'mL', container: 'sterile bottle' });
    expect(ws.sample).toMatchObject({ kind: 'water', targets: ['coliforms', 'pseudomonas'] });
    expect(ws.sample.code).toMatch(/^W\d{6}-0001$/);
    expect((await app.ok(qa, 'sites.list', { kind: 'water' }))[0]!.schedules[0]!.nextDue).toBe(plus(5));
    // Filters: kind, site, date range, search.
    expect((await app.ok(qa, 'samples.list', { kind: 'water' })).samples.map((s) => s.code)).toEqual([ws.sample.code]);
    expect((await app.ok(qa, 'samples.list', { from: d, to: d })).total).toBe(2);
    expect((await app.ok(qa, 'samples.list', { from: plus(1) })).total).toBe(0);
    expect((await app.ok(qa, 'samples.list', { search: 'nozzle' })).samples.map((s) => s.code)).toEqual([swab.sample.code]);
  });
});
