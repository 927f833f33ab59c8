import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelInput } from '../../src/shared/contract';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { runSimulator, type RunningSimulator, type SimulatorScenario } from '../../src/main/instruments/simulator';
import { createTestApp, type TestApp } from '../helpers/core';
import { ptyPair, type PtyPair } from '../helpers/pty';
import { approveSpec, MOISTURE, moistureAnalyser, product, PRODUCTS, specDocument } from '../fixtures/plant';

const T0 = Date.parse('2026-06-01T01:00:00Z');
const errKey = (r: { ok: boolean; error?: { messageKey: string } }) => (r.ok ? null : r.error!.messageKey);

interface World {
  app: TestApp;
  clock: { now: number };
  admin: Connection;
  qa: Connection;
  tech: Connection;
  pty: PtyPair;
  sim: RunningSimulator | null;
  instrumentId: string;
  /** The moisture result of a received release sample. */
  resultId: string;
}

type Fields = ChannelInput<'instruments.save'>['fields'];

/**
 * Resolves when the instrument's connection is in `state`: checked now and again on each of
 * its `instruments.status` events (every change of state sends one), never on a timer.
 */
async function untilState(w: World, state: string): Promise<void> {
  let wake = (): void => undefined;
  const off = w.app.member(w.tech).link.onEvent('instruments.status', (p) => {
    if (p.id === w.instrumentId) wake();
  });
  try {
    for (;;) {
      const changed = new Promise<void>((r) => (wake = r));
      const g = await w.app.ok(w.tech, 'instruments.get', { id: w.instrumentId });
      if (g.instrument.state === state) return;
      await changed;
    }
  } finally {
    off();
  }
}

async function world(serialNo: string | null = 'B123456789'): Promise<World> {
  const clock = { now: T0 };
  const app = await createTestApp({ clock: () => clock.now });
  const qa = await app.userWith(['qa_manager'], 'qa.chen');
  const tech = await app.userWith(['technician'], 'tech.li');
  const prod = await app.userWith(['production'], 'prod.wu');
  const pty = await ptyPair(app.dir);
  const qaM = app.member(qa);
  const productId = await product(qaM, PRODUCTS.if1);
  await approveSpec(qaM, { subjectId: productId, code: 'SPEC-IF-1', doc: specDocument('IF-1', [MOISTURE]) });
  const lot = (
    await app.ok(prod, 'batches.start', { line: 'Line 2', outputKind: 'finished', itemCode: 'IF-1', unit: 'kg' })
  ).output.code;
  const s = await app.ok(tech, 'samples.register', {
    kind: 'finished_release',
    lotCode: lot,
    samplingPoint: 'filler',
    quantity: '5',
    unit: 'can',
    container: 'can',
    withRetention: false,
    receipt: { condition: 'intact' },
  });
  const [r] = (await app.ok(tech, 'results.forSample', { sampleCode: s.sample.code })).results;
  const fields: Fields = { ...moistureAnalyser(pty.a), serialNo };
  const ins = await app.ok(app.admin, 'instruments.save', { fields });
  return { app, clock, admin: app.admin, qa, tech, pty, sim: null, instrumentId: ins.id, resultId: r!.id };
}

async function simulate(
  w: World,
  scenario: SimulatorScenario,
  over: { weight?: string; unit?: string; serial?: string } = {},
): Promise<void> {
  await w.sim?.close();
  w.sim = await runSimulator({
    port: w.pty.b,
    driver: 'mt-sics',
    scenario,
    weight: over.weight ?? '2.45',
    unit: over.unit ?? '%',
    serial: over.serial ?? 'B123456789',
  });
}

/** Calibration on record, the check plan (a QA manager's), and a passing daily check read through the instrument itself. */
async function qualify(w: World, weight = '100.00'): Promise<{ passed: boolean }> {
  await w.app.ok(w.qa, 'instruments.calibration', {
    id: w.instrumentId,
    kind: 'calibration',
    performedOn: '2026-05-20',
    dueOn: '2027-05-20',
    certificateNo: 'CAL-2026-118',
    provider: '宁夏计量院',
  });
  const g = await w.app.ok(w.tech, 'instruments.get', { id: w.instrumentId });
  if (!g.checkPlan)
    await w.app.ok(w.qa, 'instruments.checkPlan.save', {
      id: w.instrumentId,
      points: [
        {
          standard: 'E2 check weight 100 g',
          certificateNo: 'NXJL-2026-0412',
          certificateValidUntil: '2027-04-30',
          nominal: '100.00',
          tolerance: '0.05',
          unit: 'g',
        },
      ],
    });
  await simulate(w, 'stable', { weight, unit: 'g' });
  await w.app.ok(w.tech, 'instruments.connect', { id: w.instrumentId });
  const read = await w.app.ok(w.tech, 'instruments.read', { id: w.instrumentId });
  expect(read.outcome).toMatchObject({ ok: true, value: weight, unit: 'g' });
  const check = await w.app.ok(w.tech, 'instruments.dailyCheck', {
    id: w.instrumentId,
    readings: [{ point: 0, captureId: read.capture!.id }],
  });
  expect(check.points[0]).toMatchObject({
    standard: 'E2 check weight 100 g',
    certificateNo: 'NXJL-2026-0412',
    typed: false,
  });
  return { passed: check.passed };
}

const capture = (w: World, replicateIndex = 0) =>
  w.app.call(w.tech, 'instruments.capture', { instrumentId: w.instrumentId, resultId: w.resultId, replicateIndex });

describe('instruments over real pseudo-terminals', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(async () => {
    await w.sim?.close();
    await w.pty.unplug();
    w.app.close();
  });

  it('a stable reading is captured end to end into a result, with its raw bytes', async () => {
    await qualify(w);
    await simulate(w, 'stable');
    const r = await capture(w);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.data.outcome).toMatchObject({ ok: true, value: '2.45', unit: '%', stable: true });
    // The bytes exactly as received, CR LF included (D-057).
    expect(Buffer.from(r.data.capture!.raw, 'base64').toString('latin1')).toMatch(/^S S +2\.45 %\r\n$/);
    expect(r.data.capture).toMatchObject({ rawAsReceived: true, readValue: '2.45', readUnit: '%', conversion: null });
    const moisture = r.data.changed.find((x) => x.id === w.resultId)!;
    expect(moisture).toMatchObject({
      replicates: ['2.45'],
      reported: '2.4', // GB/T 8170: 2.45 → 2.4
      verdict: 'pass',
      instrumentId: 'HB43-01',
      status: 'entered',
    });
    expect(moisture.captures).toMatchObject([
      { instrumentCode: 'HB43-01', value: '2.45', status: 'used', flagged: false },
    ]);
    // Typing over the captured value needs a reason, and review sees it.
    expect(errKey(await w.app.call(w.tech, 'results.enter', { id: w.resultId, replicates: ['2.40'] }))).toBe(
      'errors.capture_typed_over_reason',
    );
    const typed = await w.app.ok(w.tech, 'results.enter', {
      id: w.resultId,
      replicates: ['2.40'],
      typedOverReason: 'analyser printout shows 2.40',
    });
    expect(typed.changed[0]!.captures[0]).toMatchObject({
      status: 'typed_over',
      typedOverReason: 'analyser printout shows 2.40',
    });
  });

  it('unstable and overload readings are refused: no capture, the result untouched, the frame kept as evidence', async () => {
    await qualify(w);
    for (const [scenario, error, text] of [
      ['unstable', 'unstable', /^S D +2\.45 %\r\n$/],
      ['overload', 'overload', /^S \+\r\n$/],
      ['underload', 'underload', /^S -\r\n$/],
    ] as const) {
      await simulate(w, scenario);
      const r = await capture(w);
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      expect(r.data.outcome).toMatchObject({ ok: false, error });
      expect(r.data.capture).toBeNull();
      const g = await w.app.ok(w.tech, 'instruments.get', { id: w.instrumentId });
      expect(g.captures.filter((c) => c.purpose === 'result')).toHaveLength(0);
      // The refused frame, exactly as received (terminator included), with its reason.
      expect(g.refused[0]).toMatchObject({ purpose: 'result', error, resultId: w.resultId });
      expect(Buffer.from(g.refused[0]!.raw, 'base64').toString('latin1')).toMatch(text);
    }
    const res = (await w.app.ok(w.tech, 'results.get', { id: w.resultId })).result;
    expect(res).toMatchObject({ status: 'pending', replicates: [] });
    // A reading in the wrong unit (a balance in g into a g/100 g result) is refused too.
    await simulate(w, 'stable', { weight: '3.1415', unit: 'g' });
    const r = await capture(w);
    expect(r.ok && r.data.outcome.error).toBe('wrong_unit');
  });

  it('garbage, partial frames and a line that never ends do not crash; only the refused frame is kept', async () => {
    await qualify(w);
    await simulate(w, 'garbage');
    const r = await capture(w);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.data.outcome.ok).toBe(false);
    expect(['garbage', 'timeout', 'syntax_error', 'transmission_error']).toContain(r.data.outcome.error);
    const g = await w.app.ok(w.tech, 'instruments.get', { id: w.instrumentId });
    expect(g.captures.filter((c) => c.purpose === 'result')).toHaveLength(0);
    if (r.data.outcome.error !== 'timeout') expect(g.refused[0]!.error).toBe(r.data.outcome.error);
    // The connection still works afterwards.
    await simulate(w, 'stable');
    const ok = await capture(w);
    expect(ok.ok && ok.data.outcome.ok).toBe(true);
  });

  it('unplugging and replugging recovers the connection', async () => {
    await qualify(w);
    await w.sim!.close();
    w.sim = null;
    await w.pty.unplug();
    // The kernel's hang-up may reach serialport late on a loaded machine: wait for the
    // connection's status event, not for a timer.
    await untilState(w, 'error');
    await w.pty.plug();
    await simulate(w, 'stable');
    await untilState(w, 'connected');
    const r = await capture(w);
    expect(r.ok && r.data.outcome.ok).toBe(true);
  });

  it('a different instrument on the port is refused, naming both serial numbers', async () => {
    await simulate(w, 'wrong-serial');
    const r = await w.app.call(w.tech, 'instruments.connect', { id: w.instrumentId });
    expect(errKey(r)).toBe('errors.instrument_wrong_serial');
    const details = (r as { error: { details: Record<string, string> } }).error.details;
    expect(details['expected']).toBe('B123456789');
    expect(details['got']).not.toBe('B123456789');
  });

  it('a locked instrument refuses capture; a failed daily check flags the captures since the last good one', async () => {
    await simulate(w, 'stable');
    await w.app.ok(w.tech, 'instruments.connect', { id: w.instrumentId });
    // No calibration on record.
    expect(errKey(await capture(w))).toBe('errors.instrument_locked');
    await w.sim!.close();
    await qualify(w);
    await simulate(w, 'stable');
    const ok = await capture(w);
    expect(ok.ok && ok.data.outcome.ok).toBe(true);
    // The next check fails (the balance reads 100.09 g on the 100 g standard): the capture
    // above is flagged and the instrument locks. A balance's check is read, never typed.
    expect(
      errKey(
        await w.app.call(w.tech, 'instruments.dailyCheck', {
          id: w.instrumentId,
          readings: [{ point: 0, reading: '100.00' }],
        }),
      ),
    ).toBe('errors.check_reading_must_be_read');
    expect((await qualify(w, '100.09')).passed).toBe(false);
    const g = await w.app.ok(w.tech, 'instruments.get', { id: w.instrumentId });
    expect(g.instrument.lock).toMatchObject({ locked: true, lastCheckPassed: false });
    expect(g.captures.filter((c) => c.purpose === 'result').every((c) => c.flagged)).toBe(true);
    const res = (await w.app.ok(w.tech, 'results.get', { id: w.resultId })).result;
    expect(res.captures[0]).toMatchObject({ flagged: true });
    expect(errKey(await capture(w))).toBe('errors.instrument_locked');
    // An overdue calibration locks it as well.
    const svc = w.app.core.need().instruments;
    const lock = svc.lock(svc.row(w.instrumentId), Date.parse('2027-06-01T01:00:00Z'));
    expect(lock.reasons.map((x) => x.key)).toContain('instrumentLock.calibration_overdue');
  });

  it('instrument read over the CLI: a stable reading and an overload (exit 1)', async () => {
    const { lotsealAsync: lotseal } = await import('../helpers/cli');
    await simulate(w, 'stable', { weight: '100.00', unit: 'g' });
    const ok = await lotseal(['instrument', 'read', '--port', w.pty.a, '--driver', 'mt-sics', '--json'], {
      dataDir: w.app.dir,
    });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, value: '100.00', unit: 'g', stable: true });
    expect(Buffer.from(JSON.parse(ok.stdout).raw, 'base64').toString('latin1')).toContain('100.00 g');
    await simulate(w, 'overload');
    const over = await lotseal(['instrument', 'read', '--port', w.pty.a, '--driver', 'mt-sics', '--json'], {
      dataDir: w.app.dir,
    });
    expect(over.code).toBe(1);
    expect(JSON.parse(over.stdout)).toMatchObject({ ok: false, error: 'overload' });
    const none = await lotseal(
      ['instrument', 'read', '--port', `${w.app.dir}/no-such-port`, '--driver', 'mt-sics', '--json'],
      { dataDir: w.app.dir },
    );
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stdout)).toMatchObject({ ok: false, error: 'port_error' });
  });
});
