/**
 * Issue 20 §1 and issue 19 §5/§7 over real pseudo-terminals (socat), each printing
 * instrument played by its simulator (the shipped formats of src/shared/domain/print-formats.ts)
 * on the other end, through the contract:
 * - a pH meter (Sper 850055), a cryoscope (AI 4250 template, m°H / m°C with the method's
 *   conversion) and a milk analyser (Lactoscan SA template) fill results, several items of a
 *   sample from one record; the raw bytes are kept exactly as received; refused frames are
 *   kept as evidence with their reason;
 * - every bypass of instrument control (a typed value without its instrument, of the wrong
 *   kind, on a locked instrument; a capture racing a failed check) is refused with a clear
 *   message and nothing is written;
 * - check plans fixed by a QA manager; a failed check or calibration flags captured and typed
 *   results since the last good one, lists their lots and holds them with one signature.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelInput, ChannelOutput } from '../../src/shared/contract';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { runSimulator, type RunningSimulator } from '../../src/main/instruments/simulator';
import { shippedFormats, type ShippedFormatId } from '../../src/shared/domain/print-formats';
import { createTestApp, USER_PASSWORD, type TestApp } from '../helpers/core';
import { ptyPair, type PtyPair } from '../helpers/pty';
import * as plant from '../fixtures/plant';

const T0 = Date.parse('2026-06-01T01:00:00Z');
const sign = (meaning: string) => ({ password: USER_PASSWORD, meaning }) as never;
type Res = { ok: boolean; error?: { messageKey: string; details?: Record<string, unknown> } };
const errKey = (r: Res) => (r.ok ? null : r.error!.messageKey);
type Outcome = ChannelOutput<'instruments.capture'>['outcome'];

interface Bench {
  code: string;
  format: ShippedFormatId;
  kind: 'ph_meter' | 'cryoscope' | 'milk_analyser';
  pty: PtyPair;
  id: string;
  sim: RunningSimulator | null;
}

interface World {
  app: TestApp;
  clock: { now: number };
  qa: Connection;
  tech: Connection;
  prod: Connection;
  benches: Record<'ph' | 'cryo' | 'milk', Bench>;
  lots: number;
}

const tick = (w: World, ms = 60_000) => {
  w.clock.now += ms;
};

async function world(): Promise<World> {
  const clock = { now: T0 };
  const app = await createTestApp({ clock: () => clock.now });
  const qa = await app.userWith(['qa_manager'], 'qa.chen');
  const tech = await app.userWith(['technician'], 'tech.li');
  const prod = await app.userWith(['production'], 'prod.wu');
  const qaM = app.member(qa);
  const productId = await plant.product(qaM, plant.PRODUCTS.pm1);
  await plant.approveSpec(qaM, {
    subjectId: productId,
    code: 'SPEC-PM-1',
    doc: plant.specDocument('PM-1', plant.PM1_ITEMS, { appliesTo: 'other_dairy' }),
  });
  // What the methods name: the instrument kind and the conversions of their readings.
  await app.ok(qa, 'instruments.methods.save', {
    methodCode: 'GB 5413.38',
    instrumentKind: 'cryoscope',
    conversions: [
      {
        from: 'm°H',
        factor: '0.0009656',
        note: 'Advanced Instruments 4250 user guide p. 41: multiply Hortvet-scaled data by 0.9656',
      },
    ],
  });
  await app.ok(qa, 'instruments.methods.save', {
    methodCode: 'Q/LS-001',
    instrumentKind: 'milk_analyser',
    conversions: [{ from: '°L', factor: '0.001', offset: '1', note: 'plant method: relative density = 1 + °L / 1000' }],
  });
  await app.ok(qa, 'instruments.methods.save', { methodCode: 'GB 5009.237', instrumentKind: 'ph_meter' });
  const benches = {} as World['benches'];
  for (const [key, code, format, kind] of [
    ['ph', 'PH-01', 'sper-850055', 'ph_meter'],
    ['cryo', 'CRYO-01', 'ai-4250', 'cryoscope'],
    ['milk', 'LS-01', 'lactoscan-sa', 'milk_analyser'],
  ] as const) {
    const pty = await ptyPair(app.dir, key);
    const f = shippedFormats[format];
    const config =
      format === 'ai-4250'
        ? { ...f.config, checkSampleId: true }
        : (f.config as ChannelInput<'instruments.save'>['fields']['printConfig']);
    const ins = await app.ok(app.admin, 'instruments.save', {
      fields: {
        code,
        name: `${f.make} ${f.model}`,
        kind,
        make: f.make,
        model: f.model,
        serialNo: null,
        location: 'Milk lab',
        portPath: pty.a,
        usbSerial: null,
        usbVendorId: null,
        usbProductId: null,
        ...f.settings,
        flowControl: 'none',
        lineEnding: 'crlf',
        driver: 'print',
        printConfig: config as ChannelInput<'instruments.save'>['fields']['printConfig'],
        checkIntervalHours: 24,
        active: true,
      },
    });
    benches[key] = { code, format, kind, pty, id: ins.id, sim: null };
  }
  return { app, clock, qa, tech, prod, benches, lots: 0 };
}

async function play(
  w: World,
  b: Bench,
  o: { scenario?: 'stable' | 'error' | 'garbage'; values?: Record<string, string>; sampleId?: string } = {},
): Promise<void> {
  await b.sim?.close();
  b.sim = await runSimulator({
    port: b.pty.b,
    driver: 'print',
    scenario: o.scenario ?? 'stable',
    format: b.format,
    ...(o.values ? { values: o.values } : {}),
    ...(o.sampleId ? { sampleId: o.sampleId } : {}),
  });
}

/** Presses the instrument's print key and waits for what the app read from the port (no sleeps). */
async function printed(w: World, b: Bench): Promise<{ readingId: string; outcome: Outcome }> {
  const got = new Promise<{ readingId: string; outcome: Outcome }>((resolve) => {
    const off = w.app.core.dispatcher.onEvent((_t, name, payload) => {
      const p = payload as { id: string; readingId: string; outcome: Outcome };
      if (name === 'instruments.reading' && p.id === b.id) {
        off();
        resolve({ readingId: p.readingId, outcome: p.outcome });
      }
    });
  });
  b.sim!.print();
  return got;
}

/** Calibrated, with a one-standard check plan (a QA manager's) and a passing check typed from the printout. */
async function qualify(w: World, b: Bench, nominal: string, unit: string): Promise<void> {
  await w.app.ok(w.qa, 'instruments.calibration', {
    id: b.id,
    kind: 'calibration',
    performedOn: '2026-05-20',
    dueOn: '2027-05-20',
    certificateNo: `CAL-${b.code}`,
    provider: '宁夏计量测试院',
  });
  await w.app.ok(w.qa, 'instruments.checkPlan.save', {
    id: b.id,
    points: [
      {
        standard: `${b.code} check standard`,
        certificateNo: `STD-${b.code}`,
        certificateValidUntil: '2027-01-31',
        nominal,
        tolerance: '0.02',
        unit,
      },
    ],
  });
  await w.app.ok(w.tech, 'instruments.connect', { id: b.id });
  const c = await w.app.ok(w.tech, 'instruments.dailyCheck', { id: b.id, readings: [{ point: 0, reading: nominal }] });
  expect(c).toMatchObject({ passed: true, points: [{ typed: true, certificateNo: `STD-${b.code}` }] });
}

/**
 * An ingredient received and accepted (QA's signed acceptance), as the input a batch records:
 * a lot is released only from a completed batch with its inputs (issue 19 §4).
 */
async function ingredient(w: World): Promise<string> {
  const qaM = w.app.member(w.qa);
  await plant.supplier(qaM, { ...plant.plainSupplier('SUP-C', 'ingredient'), name: '配料公司' });
  await plant.material(qaM, plant.MATERIALS.cream);
  return plant.acceptedIngredient(
    w.app.member(w.prod),
    qaM,
    { materialCode: 'CREAM', supplierCode: 'SUP-C', supplierLot: 'C-1', quantity: '20000', containers: 1 },
    'accepted',
  );
}

/**
 * A lot of PM-1 and its received release sample: code and results by item. With `input`, the
 * batch consumes it and is completed (100 kg), so the lot can be released.
 */
async function sample(w: World, input?: string): Promise<{ code: string; lot: string; r: Record<string, string> }> {
  const batch = await w.app.ok(w.prod, 'batches.start', {
    line: 'Line 3',
    outputKind: 'finished',
    itemCode: 'PM-1',
    outputLotCode: `PM1-2606-${String(++w.lots).padStart(3, '0')}`,
    unit: 'kg',
  });
  if (input) {
    await w.app.ok(w.prod, 'batches.consume', { batchId: batch.id, inputLot: input, quantity: '100', unit: 'kg' });
    await w.app.ok(w.prod, 'batches.finish', { batchId: batch.id, quantity: '100' });
  }
  const lot = batch.output.code;
  const s = await w.app.ok(w.tech, 'samples.register', {
    kind: 'finished_release',
    lotCode: lot,
    samplingPoint: 'filler',
    quantity: '1',
    unit: 'L',
    container: 'bottle',
    withRetention: false,
    receipt: { condition: 'intact' },
  });
  const rs = (await w.app.ok(w.tech, 'results.forSample', { sampleCode: s.sample.code })).results;
  return { code: s.sample.code, lot, r: Object.fromEntries(rs.map((x) => [x.itemCode, x.id])) };
}

const results = async (w: World, code: string) =>
  Object.fromEntries(
    (await w.app.ok(w.tech, 'results.forSample', { sampleCode: code })).results.map((x) => [x.itemCode, x]),
  );
const rows = (w: World, table: string) =>
  (w.app.core.need().ledger.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const head = (w: World) => w.app.core.need().ledger.head().seq;
const latin1 = (b64: string) => Buffer.from(b64, 'base64').toString('latin1');

let w: World;
beforeAll(async () => {
  w = await world();
  await play(w, w.benches.ph);
  await play(w, w.benches.cryo);
  await play(w, w.benches.milk);
  await qualify(w, w.benches.ph, '6.86', 'pH');
  await qualify(w, w.benches.cryo, '-0.408', '°C');
  await qualify(w, w.benches.milk, '3.50', '%');
});
afterAll(async () => {
  for (const b of Object.values(w.benches)) {
    await b.sim?.close();
    await b.pty.unplug();
  }
  w.app.close();
});
afterEach(() => {
  w.app.core.need().instruments.hooks = {};
});

describe('printing instruments fill results (issue 20 §1)', () => {
  it('pH meter: the printed line fills the pH item with its bytes as received; an error line is refused and kept', async () => {
    const s = await sample(w);
    await play(w, w.benches.ph, { values: { pH: '6.72', temperature: '25.0' } });
    const { readingId, outcome } = await printed(w, w.benches.ph);
    expect(outcome).toMatchObject({ ok: true, record: { fields: { pH: { value: '6.72', unit: 'pH' } } } });
    const r = await w.app.ok(w.tech, 'instruments.capture', {
      instrumentId: w.benches.ph.id,
      resultId: s.r['ph']!,
      replicateIndex: 0,
      readingId,
    });
    expect(r.captures).toHaveLength(1);
    expect(r.captures[0]).toMatchObject({ field: 'pH', value: '6.72', unit: 'pH', rawAsReceived: true });
    // Exactly the line the meter sent, CR LF included (the 'Z' stands for its LRC byte).
    expect(latin1(r.captures[0]!.raw)).toBe('p06.72pH: m12.34mV:T025.0C@ 2026-06-01 09:30:00Z\r\n');
    expect(r.unused).toEqual(['temperature']);
    const ph = (await results(w, s.code))['ph']!;
    expect(ph).toMatchObject({ replicates: ['6.72'], reported: '6.72', verdict: 'pass', instrumentId: 'PH-01' });

    // The meter's own error line: refused, the line kept as evidence with its reason.
    await play(w, w.benches.ph, { scenario: 'error' });
    const bad = await printed(w, w.benches.ph);
    expect(bad.outcome).toMatchObject({ ok: false, error: 'not_executable' });
    const before = rows(w, 'instrument_capture');
    const refused = await w.app.ok(w.tech, 'instruments.capture', {
      instrumentId: w.benches.ph.id,
      resultId: s.r['ph']!,
      replicateIndex: 1,
      readingId: bad.readingId,
    });
    expect(refused.outcome.ok).toBe(false);
    expect(rows(w, 'instrument_capture')).toBe(before);
    const g = await w.app.ok(w.tech, 'instruments.get', { id: w.benches.ph.id });
    expect(g.refused[0]).toMatchObject({ error: 'not_executable', sampleCode: s.code, resultId: s.r['ph'] });
    expect(latin1(g.refused[0]!.raw)).toBe('E01Nul: E01Nul: E01Nul @ 2026-06-01 09:30:00Z\r\n');
    expect(g.refused[0]!.detail).toContain('E01Nul');
  });

  it('cryoscope: m°H converted as the method names it, m°C by its prefix; a record for another sample is refused', async () => {
    const s = await sample(w);
    await play(w, w.benches.cryo, { values: { freezing_point_mh: '-540' }, sampleId: s.code });
    const h = await printed(w, w.benches.cryo);
    const r = await w.app.ok(w.tech, 'instruments.capture', {
      instrumentId: w.benches.cryo.id,
      sampleCode: s.code,
      replicateIndex: 0,
      readingId: h.readingId,
    });
    expect(r.captures[0]).toMatchObject({
      field: 'freezing_point_mh',
      readValue: '-540',
      readUnit: 'm°H',
      value: '-0.521424',
      unit: '°C',
      conversion: 'm°H × 0.0009656 → °C (GB 5413.38)',
      recordSampleId: s.code,
    });
    expect((await results(w, s.code))['freezing_point']).toMatchObject({ reported: '-0.521', verdict: 'pass' });

    const s2 = await sample(w);
    await play(w, w.benches.cryo, { values: { freezing_point_mc: '-497' }, sampleId: s2.code });
    const c = await printed(w, w.benches.cryo);
    const r2 = await w.app.ok(w.tech, 'instruments.capture', {
      instrumentId: w.benches.cryo.id,
      sampleCode: s2.code,
      replicateIndex: 0,
      readingId: c.readingId,
    });
    expect(r2.captures[0]).toMatchObject({ value: '-0.497', conversion: 'm°C × 0.001 → °C' });
    expect((await results(w, s2.code))['freezing_point']).toMatchObject({ verdict: 'fail' });

    // The cryoscope read sample s2's tube but the technician captures into s: refused, kept as evidence.
    await play(w, w.benches.cryo, { values: { freezing_point_mc: '-520' }, sampleId: s2.code });
    const wrong = await printed(w, w.benches.cryo);
    const before = head(w);
    const x = await w.app.ok(w.tech, 'instruments.capture', {
      instrumentId: w.benches.cryo.id,
      sampleCode: s.code,
      replicateIndex: 1,
      readingId: wrong.readingId,
    });
    expect(x.outcome).toMatchObject({ ok: false, error: 'sample_mismatch' });
    expect(x.outcome.message).toContain(s2.code);
    // The evidence and the signed frame's record (issue 23 §4: a capture is a signed frame), nothing else.
    expect(head(w)).toBe(before + 2);
    expect((await results(w, s.code))['freezing_point']!.replicates).toEqual(['-0.521424']);
  });

  it('milk analyser: one record fills five items of a sample at once, all or nothing', async () => {
    const s = await sample(w);
    await play(w, w.benches.milk, {
      values: { fat: '3.62', snf: '8.71', density: '29.30', protein: '3.18', lactose: '4.79', added_water: '0.00' },
    });
    const rec = await printed(w, w.benches.milk);
    expect(Object.keys(rec.outcome.record!.fields)).toEqual(
      expect.arrayContaining(['fat', 'snf', 'density', 'protein', 'lactose', 'added_water', 'temperature']),
    );
    const r = await w.app.ok(w.tech, 'instruments.capture', {
      instrumentId: w.benches.milk.id,
      sampleCode: s.code,
      replicateIndex: 0,
      readingId: rec.readingId,
    });
    expect(r.captures.map((c) => [c.field, c.value])).toEqual([
      ['fat', '3.62'],
      ['snf', '8.71'],
      ['density', '1.0293'],
      ['protein', '3.18'],
      ['lactose', '4.79'],
    ]);
    // Every capture keeps the whole record, exactly as printed (eleven lines, CR LF each).
    const raw = latin1(r.captures[0]!.raw);
    expect(raw.split('\r\n')).toHaveLength(12);
    expect(raw.startsWith('LACTOSCAN SA')).toBe(true);
    expect(new Set(r.captures.map((c) => c.raw)).size).toBe(1);
    expect(r.unused).toEqual(expect.arrayContaining(['added_water', 'temperature', 'freezing_point', 'salts']));
    const after = await results(w, s.code);
    expect(after['fat']).toMatchObject({ reported: '3.62', instrumentId: 'LS-01', status: 'entered' });
    expect(after['relative_density']).toMatchObject({ reported: '1.029', verdict: 'pass' });
    expect(after['non_fat_solids']!.captures[0]).toMatchObject({ instrumentCode: 'LS-01', value: '8.71' });

    // All or nothing: with the fat result submitted, the next record changes none of the five.
    await w.app.ok(w.tech, 'results.submit', { sampleCode: s.code, ids: [s.r['fat']!], signature: sign('authored') });
    await play(w, w.benches.milk, { values: { fat: '3.70', protein: '3.20' } });
    const again = await printed(w, w.benches.milk);
    const before = head(w);
    const refused = await w.app.call(w.tech, 'instruments.capture', {
      instrumentId: w.benches.milk.id,
      sampleCode: s.code,
      replicateIndex: 1,
      readingId: again.readingId,
    });
    expect(errKey(refused)).toBe('errors.result_submitted_use_correct');
    expect(head(w)).toBe(before);
    expect((await results(w, s.code))['protein']!.replicates).toEqual(['3.18']);
  });
});

describe('instrument control for every value (issue 19 §5, §7)', () => {
  it('a typed value without its instrument, of the wrong kind, or on a locked instrument is refused; nothing written', async () => {
    const s = await sample(w);
    const before = head(w);
    const enter = (instrumentId?: string | null) =>
      w.app.call(w.tech, 'results.enter', {
        id: s.r['freezing_point']!,
        replicates: ['-0.521'],
        ...(instrumentId !== undefined ? { instrumentId } : {}),
      });
    const none = await enter();
    expect(errKey(none)).toBe('errors.instrument_required_for_method');
    expect((none as Res).error!.details).toMatchObject({
      method: 'GB 5413.38',
      kind_zh: '冰点仪',
      kind_en: 'Cryoscope',
    });
    expect(errKey(await enter(null))).toBe('errors.instrument_required_for_method');
    expect(errKey(await enter('CRYO-99'))).toBe('errors.instrument_not_registered');
    expect(errKey(await enter('LS-01'))).toBe('errors.instrument_wrong_kind');
    // The paste path and the milk analyser method: the same rule.
    expect(
      errKey(
        await w.app.call(w.tech, 'results.enterMany', {
          entries: [
            { id: s.r['ph']!, replicates: ['6.70'] },
            { id: s.r['fat']!, replicates: ['3.6'] },
          ],
        }),
      ),
    ).toBe('errors.instrument_required_for_method');
    expect(head(w)).toBe(before);
    // With its cryoscope named, accepted (the registry code is stored, whatever the case typed).
    const ok = await w.app.ok(w.tech, 'results.enter', {
      id: s.r['freezing_point']!,
      replicates: ['-0.521'],
      instrumentId: 'cryo-01',
    });
    expect(ok.changed.find((x) => x.id === s.r['freezing_point'])).toMatchObject({ instrumentId: 'CRYO-01' });

    // The cryoscope's check fails: typing (and correcting) values measured on it is refused.
    tick(w);
    const failed = await w.app.ok(w.tech, 'instruments.dailyCheck', {
      id: w.benches.cryo.id,
      readings: [{ point: 0, reading: '-0.452' }],
    });
    expect(failed.passed).toBe(false);
    const locked = head(w);
    const t = await w.app.call(w.tech, 'results.enter', { id: s.r['freezing_point']!, replicates: ['-0.530'] });
    expect(errKey(t)).toBe('errors.instrument_locked');
    expect(String((t as Res).error!.details!['reasons_zh'])).toContain('日常核查');
    await w.app.ok(w.tech, 'results.submit', {
      sampleCode: s.code,
      ids: [s.r['freezing_point']!],
      signature: sign('authored'),
    });
    const afterSubmit = head(w);
    expect(
      errKey(
        await w.app.call(w.tech, 'results.correct', {
          id: s.r['freezing_point']!,
          replicates: ['-0.525'],
          reason: 'transcription error on the bench sheet',
        }),
      ),
    ).toBe('errors.instrument_locked');
    expect(head(w)).toBe(afterSubmit);
    expect(afterSubmit).toBeGreaterThan(locked);
    // Qualified again for the next tests.
    tick(w);
    await w.app.ok(w.tech, 'instruments.dailyCheck', {
      id: w.benches.cryo.id,
      readings: [{ point: 0, reading: '-0.408' }],
    });
  });

  it('a capture racing a failed check that commits between the frame and the write is refused; nothing written', async () => {
    const s = await sample(w);
    await play(w, w.benches.ph, { values: { pH: '6.70' } });
    const { readingId } = await printed(w, w.benches.ph);
    let seqAfterCheck = 0;
    // The barrier: the frame has arrived and the capture passed its first lock check; the
    // check fails on another session before the capture writes.
    w.app.core.need().instruments.hooks.afterFrame = async () => {
      tick(w);
      const c = await w.app.ok(w.qa, 'instruments.dailyCheck', {
        id: w.benches.ph.id,
        readings: [{ point: 0, reading: '6.95' }],
      });
      expect(c.passed).toBe(false);
      seqAfterCheck = head(w);
    };
    const r = await w.app.call(w.tech, 'instruments.capture', {
      instrumentId: w.benches.ph.id,
      resultId: s.r['ph']!,
      replicateIndex: 0,
      readingId,
    });
    expect(errKey(r)).toBe('errors.instrument_locked');
    expect(seqAfterCheck).toBeGreaterThan(0);
    expect(head(w)).toBe(seqAfterCheck);
    expect((await results(w, s.code))['ph']).toMatchObject({ replicates: [], status: 'pending' });
    w.app.core.need().instruments.hooks = {};
    tick(w);
    await w.app.ok(w.tech, 'instruments.dailyCheck', {
      id: w.benches.ph.id,
      readings: [{ point: 0, reading: '6.86' }],
    });
  });

  it('a failed daily check flags captured and typed results since the last good check, lists their lots, one signed hold', async () => {
    // Before the good check: a typed value (not flagged later).
    const early = await sample(w);
    await w.app.ok(w.tech, 'results.enter', { id: early.r['ph']!, replicates: ['6.66'], instrumentId: 'PH-01' });
    tick(w);
    await w.app.ok(w.tech, 'instruments.dailyCheck', {
      id: w.benches.ph.id,
      readings: [{ point: 0, reading: '6.86' }],
    });
    tick(w);
    // After it: a capture into lot A, a typed value into lot B.
    const a = await sample(w, await ingredient(w));
    const b = await sample(w);
    await play(w, w.benches.ph, { values: { pH: '6.71' } });
    const { readingId } = await printed(w, w.benches.ph);
    await w.app.ok(w.tech, 'instruments.capture', {
      instrumentId: w.benches.ph.id,
      resultId: a.r['ph']!,
      replicateIndex: 0,
      readingId,
    });
    await w.app.ok(w.tech, 'results.enter', { id: b.r['ph']!, replicates: ['6.69'], instrumentId: 'PH-01' });
    // Lot A is released meanwhile.
    await w.app.ok(w.qa, 'lots.decide', {
      code: a.lot,
      decision: 'release',
      reason: 'released for the test',
      signature: sign('released'),
    });
    tick(w);
    const failed = await w.app.ok(w.tech, 'instruments.dailyCheck', {
      id: w.benches.ph.id,
      readings: [{ point: 0, reading: '7.02' }],
    });
    expect(failed).toMatchObject({ passed: false, flagged: 2 });
    const impact = await w.app.ok(w.qa, 'instruments.impact', { eventId: failed.id });
    expect(impact.results.map((x) => [x.lotCode, x.how, x.standing])).toEqual([
      [a.lot, 'captured', true],
      [b.lot, 'typed', true],
    ]);
    expect(impact.lots).toEqual([
      { code: a.lot, status: 'released', results: 1, holdable: true },
      { code: b.lot, status: 'on_hold', results: 1, holdable: false },
    ]);
    expect(impact.results.some((x) => x.lotCode === early.lot)).toBe(false);
    // Readiness sees the typed value too.
    const ready = await w.app.ok(w.qa, 'disposition.readiness', { lotCode: b.lot });
    expect(ready.lines.find((l) => l.key === 'instruments')).toMatchObject({ ok: false });
    // The hold: a lot not in the impact, or not holdable, is refused; the signature is the QA manager's.
    expect(
      errKey(
        await w.app.call(w.qa, 'instruments.impact.hold', {
          eventId: failed.id,
          lotCodes: [b.lot],
          reason: 'pH meter failed its daily check',
          signature: sign('held'),
        }),
      ),
    ).toBe('errors.impact_lot_not_holdable');
    expect(
      errKey(
        await w.app.call(w.qa, 'instruments.impact.hold', {
          eventId: failed.id,
          lotCodes: [early.lot],
          reason: 'pH meter failed its daily check',
          signature: sign('held'),
        }),
      ),
    ).toBe('errors.impact_lot_not_affected');
    const held = await w.app.ok(w.qa, 'instruments.impact.hold', {
      eventId: failed.id,
      lotCodes: [a.lot],
      reason: 'pH meter failed its daily check',
      signature: sign('held'),
    });
    expect(held.held).toEqual([a.lot]);
    const lot = await w.app.ok(w.qa, 'lots.get', { code: a.lot });
    expect(lot.lot.status).toBe('on_hold');
    // Measured again after a good check, the typed value no longer stands.
    tick(w);
    await w.app.ok(w.tech, 'instruments.dailyCheck', {
      id: w.benches.ph.id,
      readings: [{ point: 0, reading: '6.86' }],
    });
    await w.app.ok(w.tech, 'results.enter', { id: b.r['ph']!, replicates: ['6.70'] });
    const later = await w.app.ok(w.qa, 'instruments.impact', { eventId: failed.id });
    expect(later.results.find((x) => x.lotCode === b.lot)!.standing).toBe(false);
  });

  it('a failed external calibration flags every result since the last passing calibration', async () => {
    const s = await sample(w);
    await w.app.ok(w.tech, 'results.enter', {
      id: s.r['freezing_point']!,
      replicates: ['-0.515'],
      instrumentId: 'CRYO-01',
    });
    tick(w);
    const cal = await w.app.ok(w.qa, 'instruments.calibration', {
      id: w.benches.cryo.id,
      kind: 'calibration',
      performedOn: '2026-06-01',
      dueOn: '2027-06-01',
      certificateNo: 'CAL-CRYO-02',
      provider: '宁夏计量测试院',
      passed: false,
      note: 'as found: +6 m°C on the -408 standard',
    });
    const impact = await w.app.ok(w.qa, 'instruments.impact', { eventId: cal.id });
    expect(impact.since).toBe('2026-05-20T12:00:00.000Z');
    // Every freezing point measured on it since 20 May, this one and those of the tests above.
    expect(impact.results.filter((x) => x.itemCode === 'freezing_point').length).toBeGreaterThanOrEqual(3);
    expect(impact.results.map((x) => x.sampleCode)).toContain(s.code);
    const g = await w.app.ok(w.tech, 'instruments.get', { id: w.benches.cryo.id });
    expect(g.instrument.lock.reasons.map((x) => x.key)).toContain('instrumentLock.calibration_failed');
  });

  it('check plans are fixed by a QA manager and used by the check: missing points, expired standards, stale readings', async () => {
    const b = w.benches.milk;
    expect(
      errKey(
        await w.app.call(w.tech, 'instruments.checkPlan.save', {
          id: b.id,
          points: [
            {
              standard: 'x',
              certificateNo: 'y',
              certificateValidUntil: null,
              nominal: '1',
              tolerance: '0.1',
              unit: '%',
            },
          ],
        }),
      ),
    ).toBe('errors.forbidden');
    // A change of the plan needs a reason.
    const points = [
      {
        standard: 'Milk reference sample A',
        certificateNo: 'RM-2026-A',
        certificateValidUntil: '2026-12-31',
        nominal: '3.50',
        tolerance: '0.05',
        unit: '%',
      },
      {
        standard: 'Milk reference sample B (expired)',
        certificateNo: 'RM-2025-B',
        certificateValidUntil: '2026-05-31',
        nominal: '4.20',
        tolerance: '0.05',
        unit: '%',
      },
    ];
    expect(errKey(await w.app.call(w.qa, 'instruments.checkPlan.save', { id: b.id, points }))).toBe(
      'errors.reason_required',
    );
    await w.app.ok(w.qa, 'instruments.checkPlan.save', { id: b.id, points, reason: 'second reference sample added' });
    const before = head(w);
    expect(
      errKey(
        await w.app.call(w.tech, 'instruments.dailyCheck', { id: b.id, readings: [{ point: 0, reading: '3.51' }] }),
      ),
    ).toBe('errors.check_points_missing');
    expect(
      errKey(
        await w.app.call(w.tech, 'instruments.dailyCheck', {
          id: b.id,
          readings: [
            { point: 0, reading: '3.51' },
            { point: 1, reading: '4.20' },
          ],
        }),
      ),
    ).toBe('errors.check_standard_expired');
    expect(
      errKey(await w.app.call(w.tech, 'instruments.dailyCheck', { id: b.id, readings: [{ point: 5, reading: '1' }] })),
    ).toBe('errors.check_point_unknown');
    expect(head(w)).toBe(before);
    // A reading the analyser printed for the check, used once.
    await w.app.ok(w.qa, 'instruments.checkPlan.save', {
      id: b.id,
      points: [points[0]!],
      reason: 'sample B withdrawn',
    });
    await play(w, b, { values: { fat: '3.52' } });
    const p = await printed(w, b);
    const read = await w.app.ok(w.tech, 'instruments.read', { id: b.id, readingId: p.readingId });
    const c = await w.app.ok(w.tech, 'instruments.dailyCheck', {
      id: b.id,
      readings: [{ point: 0, captureId: read.capture!.id }],
    });
    expect(c).toMatchObject({
      passed: true,
      points: [{ reading: '3.52', typed: false, standard: 'Milk reference sample A' }],
    });
    tick(w);
    expect(
      errKey(
        await w.app.call(w.tech, 'instruments.dailyCheck', {
          id: b.id,
          readings: [{ point: 0, captureId: read.capture!.id }],
        }),
      ),
    ).toBe('errors.check_capture_stale');
  });
});

describe('lotseal simulate plays the shipped formats', () => {
  it('prints the model’s record on a serial port, exactly as documented; an unknown format is refused', async () => {
    const { spawn } = await import('node:child_process');
    const { join } = await import('node:path');
    const { SerialPort } = await import('serialport');
    const { printout } = await import('../../src/shared/domain/print-formats');
    const { lotsealAsync } = await import('../helpers/cli');
    const pty = await ptyPair(w.app.dir, 'cli-sim');
    const bin = join(__dirname, '..', '..', 'bin', 'lotseal.cjs');
    const child = spawn(
      process.execPath,
      [
        bin,
        'simulate',
        '--port',
        pty.b,
        '--driver',
        'print',
        '--format',
        'ai-4250',
        '--value',
        'freezing_point_mh=-538',
        '--sample-id',
        'S-9',
        '--print-every-ms',
        '200',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LOTSEAL_DATA_DIR: w.app.dir } },
    );
    const port = new SerialPort({ path: pty.a, baudRate: 9600, autoOpen: false });
    try {
      await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
      const expected = printout('ai-4250', { values: { freezing_point_mh: '-538' }, sampleId: 'S-9' });
      let got = '';
      await new Promise<void>((resolve) => {
        port.on('data', (d: Buffer) => {
          got += d.toString('latin1');
          if (got.includes(expected)) resolve();
        });
      });
      expect(expected).toBe('Sample S-9  -538 m\u00b0H\r\n');
    } finally {
      await new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await pty.unplug();
    }
    const bad = await lotsealAsync(['simulate', '--port', pty.b, '--driver', 'print', '--format', 'foss-ft1'], {
      dataDir: w.app.dir,
    });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr + bad.stdout).toContain('sper-850055');
  });
});
