/**
 * Instruments bench (issue 10, "Bench"). Not part of `npm test`; prints one JSON object.
 *
 *  1. latency from the last byte of a frame to the stored capture and to the renderer event,
 *     on a real pseudo-terminal pair (socat) with the simulator (runSimulator, MT-SICS, 2.45 %)
 *     on the other end and the real app core (ConnectionManager + InstrumentsService behind the
 *     dispatcher, a real SQLite ledger) plus the browser harness's WebSocket server in process:
 *     - "request" (the capture button): `instruments.capture` through the dispatcher; the
 *       answering frame's `Frame.at` (performance.now() when its last byte was read from the
 *       port) to the ledger commit of the capture (`Ledger.onCommit`), and to the call's return
 *       (output parsed, what the renderer waits for before the WebSocket hop);
 *     - "print key": the simulator sends an unsolicited reading; `Frame.at` to the
 *       `instruments.reading` event leaving the dispatcher (what IPC / the WebSocket is
 *       given) and to its arrival at a WebSocket client (the harness renderer's transport),
 *       which then captures it with `readingId` as the entry grid does: `Frame.at` to commit.
 *     Target: p95 < 50 ms from the last byte to the stored capture and to the renderer event.
 *  2. parser throughput (frames/s) of each driver: `parse()` alone over pre-framed lines, and
 *     framer + parse over a byte stream cut into 4 KiB chunks, `frames` frames each; the
 *     frames are each protocol's own answers made by the simulator's model (the print-format
 *     driver with the shipped Sper 850055 pH configuration).
 *
 *   node --import tsx bench/instruments.ts [--captures 200] [--frames 1000000]
 *
 * or `npm run bench -- --only instruments`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { AppCore, type CoreLog } from '../src/main/app/core';
import type { Connection } from '../src/main/dispatcher/dispatcher';
import { startHarness } from '../src/main/harness/server';
import type { Frame } from '../src/main/instruments/connections';
import { driverFor } from '../src/main/instruments/drivers';
import { lactoscanSaConfig, sper850055Config } from '../src/main/instruments/drivers/print-format';
import { printout } from '../src/shared/domain/print-formats';
import { bytes } from '../src/main/instruments/drivers/types';
import { createInstrumentModel } from '../src/main/instruments/simulator-model';
import { runSimulator, type RunningSimulator } from '../src/main/instruments/simulator';
import { passphraseProtector } from '../src/main/ledger/keys';
import type { ChannelInput, ChannelName, ChannelOutput, Result } from '../src/shared/contract';
import { ptyPair, type PtyPair } from '../tests/helpers/pty';
import * as plant from '../tests/fixtures/plant';
import { inProcessHost } from '../tests/fixtures/plant';
import { shippedFormats } from '../src/shared/domain/print-formats';

const r2 = (x: number): number => Math.round(x * 100) / 100;
const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return {
    p50: r2(percentile(s, 50)),
    p95: r2(percentile(s, 95)),
    p99: r2(percentile(s, 99)),
    max: r2(s.at(-1) ?? 0),
    mean: r2(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)),
    n: s.length,
  };
};

const quiet: CoreLog = {
  refused: () => undefined,
  error: (i) => process.stderr.write(`bench error in ${i.channel}: ${String(i.error)}\n`),
  info: () => undefined,
};

const PASSWORD = 'bench-user-password-1';
const TARGET_P95_MS = 50;

export interface InstrumentsBenchOptions {
  captures?: number;
  frames?: number;
  onProgress?: (phase: string, done: number, total: number) => void;
}

// ---------------------------------------------------------------------------------------
// 2. Parser throughput
// ---------------------------------------------------------------------------------------

/** Each driver's own answers, as the simulator's model writes them, for 100 different weights. */
function sampleFrames(driver: 'mt-sics' | 'sbi' | 'ohaus' | 'print'): Uint8Array[] {
  const request = { 'mt-sics': 'SI\r\n', sbi: '\u001bP\r\n', ohaus: 'IP\r\n', print: '' }[driver];
  const out: Uint8Array[] = [];
  for (let k = 0; k < 100; k++) {
    const weight = `${(k * 7.31 + 0.05).toFixed(2)}`;
    const model = createInstrumentModel({
      driver,
      scenario: 'stable',
      weight,
      unit: 'g',
      printRecord: `p0${(k % 9) + 1}.${String(k).padStart(2, '0')}pH: m12.34mV:T025.0C@2026-11-22 08:00:${String(k % 60).padStart(2, '0')}`,
    });
    const actions = driver === 'print' ? model.printOnce() : model.onBytes(bytes(request));
    for (const a of actions) if ('bytes' in a) out.push(a.bytes);
  }
  return out;
}

/** Milk analyser records (the shipped Lactoscan SA template, 11 lines each) with varying values. */
function lactoscanFrames(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let k = 0; k < 100; k++)
    out.push(
      bytes(
        printout('lactoscan-sa', {
          sampleId: String(k + 1),
          values: {
            fat: `3.${String(40 + (k % 50)).padStart(2, '0')}`,
            protein: `3.${String(k % 90).padStart(2, '0')}`,
          },
        }),
      ),
    );
  return out;
}

function throughput(driver: 'mt-sics' | 'sbi' | 'ohaus' | 'print' | 'print-lactoscan', frames: number) {
  const lines = driver === 'print-lactoscan' ? lactoscanFrames() : sampleFrames(driver);
  const d =
    driver === 'print-lactoscan'
      ? driverFor('print', lactoscanSaConfig)
      : driverFor(driver, driver === 'print' ? sper850055Config : undefined);
  // Pre-framed lines for parse() alone (terminators stripped, as the framer hands them over).
  const framed = lines.flatMap((l) => d.framer().push(l));
  let readings = 0;
  const check = (kind: string) => {
    if (kind === 'reading' || kind === 'record') readings++;
  };
  // Warm-up (JIT), then timed.
  for (let i = 0; i < 20_000; i++) d.parse(framed[i % framed.length]!);
  let t0 = performance.now();
  for (let i = 0; i < frames; i++) check(d.parse(framed[i % framed.length]!).kind);
  const parseMs = performance.now() - t0;
  const parseReadings = readings;

  // One byte stream of all sample lines, fed in 4 KiB chunks as a port delivers them.
  const total = lines.reduce((n, l) => n + l.length, 0);
  const stream = new Uint8Array(total);
  let at = 0;
  for (const l of lines) {
    stream.set(l, at);
    at += l.length;
  }
  const framer = d.framer();
  const passes = Math.ceil(frames / framed.length);
  readings = 0;
  let n = 0;
  t0 = performance.now();
  for (let p = 0; p < passes; p++) {
    for (let off = 0; off < stream.length; off += 4096) {
      for (const f of framer.push(stream.subarray(off, off + 4096))) {
        check(d.parse(f).kind);
        n++;
      }
    }
  }
  const streamMs = performance.now() - t0;
  return {
    frames,
    frame_example: Buffer.from(lines[0]!).toString('latin1').replace(/\r/g, '\\r').replace(/\n/g, '\\n'),
    parse_frames_per_s: Math.round(frames / (parseMs / 1000)),
    parse_readings: parseReadings,
    stream_frames: n,
    stream_bytes: stream.length * passes,
    framer_and_parse_frames_per_s: Math.round(n / (streamMs / 1000)),
    framer_and_parse_mb_per_s: r2((stream.length * passes) / 1e6 / (streamMs / 1000)),
    stream_readings: readings,
  };
}

// ---------------------------------------------------------------------------------------
// 1. Latency on a real pty pair
// ---------------------------------------------------------------------------------------

function hasSocat(): boolean {
  return spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** A harness WebSocket client as the renderer's transport: calls, and event arrival times. */
class WsClient {
  private next = 1;
  private readonly pending = new Map<number, (r: Result<unknown>) => void>();
  readonly events: Array<{ name: string; payload: unknown; at: number }> = [];
  onEvent: ((name: string, payload: unknown, at: number) => void) | null = null;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const at = performance.now();
      const msg = JSON.parse(String(data)) as {
        t?: string;
        id?: number;
        result?: Result<unknown>;
        name?: string;
        payload?: unknown;
      };
      if (msg.t === 'event' && msg.name) this.onEvent?.(msg.name, msg.payload, at);
      if (msg.t !== 'result' || typeof msg.id !== 'number') return;
      const resolve = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      resolve?.(msg.result!);
    });
  }

  static async connect(url: string): Promise<WsClient> {
    const u = new URL(url);
    const token = /token=([^&]+)/.exec(u.hash)?.[1] ?? '';
    const ws = new WebSocket(`ws://${u.host}/ws?token=${token}`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new WsClient(ws);
  }

  async call<K extends ChannelName>(channel: K, input: ChannelInput<K>): Promise<ChannelOutput<K>> {
    const id = this.next++;
    const r = await new Promise<Result<unknown>>((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ t: 'call', id, channel, input, locale: 'en' }));
    });
    if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
    return r.data as ChannelOutput<K>;
  }

  close(): void {
    this.ws.close();
  }
}

async function latency(captures: number, progress: (phase: string, done: number, total: number) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'lotseal-instruments-bench-'));
  const core = new AppCore({
    dataDir: dir,
    hostKind: 'harness',
    protector: passphraseProtector('bench passphrase'),
    host: 'bench-host',
    log: quiet,
    timeZone: 'Asia/Shanghai',
  });
  let pty: PtyPair | null = null;
  let sim: RunningSimulator | null = null;
  let harness: Awaited<ReturnType<typeof startHarness>> | null = null;
  let ws: WsClient | null = null;
  try {
    const call = async <K extends ChannelName>(c: Connection, name: K, input: ChannelInput<K>) => {
      const r = await core.dispatcher.call(c, name, input);
      if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
      return r.data as ChannelOutput<K>;
    };
    // People from the plant fixtures (tests/fixtures/plant), through the contract.
    const host = inProcessHost(core.dispatcher);
    const adminM = await plant.firstRun(host, {
      userId: 'admin',
      printedName: 'Bench admin',
      password: 'bench-admin-password',
    });
    const admin = adminM.link.connection;
    const { qa: qaM, prod: prodM, tech: techM } = await plant.staff(host, adminM, plant.benchPeople(PASSWORD));
    const [qa, prod, tech] = [qaM.link.connection, prodM.link.connection, techM.link.connection];

    // A release sample with a moisture test (g/100 g, ≤ 5.0), as in the integration tests.
    await plant.moistureProduct(qaM, { shelfLifeDays: 720 });
    const lot = (await plant.makeLot(prodM, { itemCode: 'IF-1', line: 'L2' })).code;
    const { resultId } = await plant.moistureSampleOf(techM, lot);

    // The instrument on the app's end of a pty pair; calibrated and checked through itself.
    pty = await ptyPair(dir, 'bench');
    const ins = await call(admin, 'instruments.save', {
      fields: {
        ...plant.moistureAnalyser(pty.a),
        code: 'HB43-BENCH',
        name: 'Moisture analyser (bench)',
        location: null,
      },
    });
    const today = new Date().toISOString().slice(0, 10);
    await call(qa, 'instruments.calibration', {
      id: ins.id,
      kind: 'calibration',
      performedOn: today,
      dueOn: `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`,
    });
    await call(qa, 'instruments.checkPlan.save', {
      id: ins.id,
      points: [
        {
          standard: 'E2 100 g',
          certificateNo: 'BENCH-1',
          certificateValidUntil: null,
          nominal: '100.00',
          tolerance: '0.05',
          unit: 'g',
        },
      ],
    });
    sim = await runSimulator({ port: pty.b, driver: 'mt-sics', scenario: 'stable', weight: '100.00', unit: 'g' });
    await call(tech, 'instruments.connect', { id: ins.id });
    const read = await call(tech, 'instruments.read', { id: ins.id });
    await call(tech, 'instruments.dailyCheck', { id: ins.id, readings: [{ point: 0, captureId: read.capture!.id }] });
    await sim.close();
    sim = await runSimulator({ port: pty.b, driver: 'mt-sics', scenario: 'stable', weight: '2.45', unit: '%' });

    // Timestamps: commits (Ledger.onCommit), the frame a request was answered with, events.
    const svc = core.need();
    let committedAt = 0;
    svc.ledger.onCommit(() => {
      committedAt = performance.now();
    });
    const conns = svc.instruments.connections;
    let answered: Frame | null = null;
    const readOnce = conns.readOnce.bind(conns);
    conns.readOnce = async (id: string, timeoutMs?: number) => {
      const f = await readOnce(id, timeoutMs);
      answered = f;
      return f;
    };
    let emitted: { readingId: string; at: number } | null = null;
    core.dispatcher.onEvent((_target, name, payload) => {
      if (name === 'instruments.reading')
        emitted = { readingId: (payload as { readingId: string }).readingId, at: performance.now() };
    });
    harness = await startHarness({ core, rendererDir: dir, port: 0 });
    ws = await WsClient.connect(harness.url);
    await ws.call('auth.signIn', { userId: 'tech.bench', password: PASSWORD });

    // (a) the capture button: request, answer, store.
    const toCommit: number[] = [];
    const toReturn: number[] = [];
    const roundTrip: number[] = [];
    const warm = 10;
    for (let i = 0; i < captures + warm; i++) {
      answered = null;
      committedAt = 0;
      const t0 = performance.now();
      const out = await call(tech, 'instruments.capture', { instrumentId: ins.id, resultId, replicateIndex: 0 });
      const t1 = performance.now();
      if (!out.outcome.ok) throw new Error(`capture refused: ${out.outcome.message}`);
      const f = answered as Frame | null;
      if (!f || !committedAt) throw new Error('no frame or no commit seen');
      if (i >= warm) {
        toCommit.push(committedAt - f.at);
        toReturn.push(t1 - f.at);
        roundTrip.push(t1 - t0);
      }
      if (i % 50 === 0) progress('request captures', i, captures + warm);
    }

    // (b) the print key: unsolicited frame → event → renderer (WebSocket) → capture by readingId.
    const toEmit: number[] = [];
    const toWs: number[] = [];
    const keyToCommit: number[] = [];
    for (let i = 0; i < captures + warm; i++) {
      emitted = null;
      const arrived = new Promise<{ payload: { readingId: string }; at: number }>((resolve) => {
        ws!.onEvent = (name, payload, at) => {
          if (name === 'instruments.reading') resolve({ payload: payload as { readingId: string }, at });
        };
      });
      sim.print();
      const ev = await arrived;
      const f = conns.recentReading(ins.id, ev.payload.readingId);
      const e = emitted as { readingId: string; at: number } | null;
      if (!f || !e || e.readingId !== ev.payload.readingId) throw new Error('reading frame or event missing');
      committedAt = 0;
      const out = await ws.call('instruments.capture', {
        instrumentId: ins.id,
        resultId,
        replicateIndex: 1,
        readingId: ev.payload.readingId,
      });
      if (!out.outcome.ok || !committedAt) throw new Error(`print-key capture refused: ${out.outcome.message}`);
      if (i >= warm) {
        toEmit.push(e.at - f.at);
        toWs.push(ev.at - f.at);
        keyToCommit.push(committedAt - f.at);
      }
      if (i % 50 === 0) progress('print-key captures', i, captures + warm);
    }
    // (c) a milk analyser's record (the Lactoscan SA template, 11 lines) filling five results of
    // one sample: the record's last byte to the stored captures, and the capture call; and
    // (d) the typed-value instrument guard: results.enter naming an instrument vs not.
    await sim.close();
    sim = null;
    const pty2 = await ptyPair(dir, 'bench-ls');
    let lsSim: RunningSimulator | null = null;
    const recToCommit: number[] = [];
    const recCall: number[] = [];
    const typedWith: number[] = [];
    const typedWithout: number[] = [];
    try {
      // The milk analyser's five values (minimums) and the pH meter's reading (reported only).
      const item = (code: string, unit: string, min: string, precision: number) =>
        plant.instrumentItem({
          code,
          name_zh: code,
          name_en: code,
          unit,
          method_code: 'Q/LS-001',
          limit_form: 'minimum',
          min,
          precision,
        });
      const pmId = await plant.product(qaM, plant.PRODUCTS.pm1);
      const items = [
        item('fat', 'g/100g', '3.1', 2),
        item('protein', 'g/100g', '2.8', 2),
        item('non_fat_solids', 'g/100g', '8.1', 2),
        item('relative_density', '', '1.027', 3),
        item('lactose', 'g/100g', '4.0', 2),
        plant.instrumentItem({
          code: 'ph',
          name_zh: 'pH',
          name_en: 'pH',
          unit: 'pH',
          method_code: 'GB 5009.237',
          precision: 2,
        }),
      ];
      await plant.approveSpec(qaM, {
        subjectId: pmId,
        code: 'SPEC-PM-1',
        doc: plant.specDocument('PM-1', items, { appliesTo: 'other_dairy' }),
      });
      await call(qa, 'instruments.methods.save', {
        methodCode: 'Q/LS-001',
        instrumentKind: 'milk_analyser',
        conversions: [{ from: '°L', factor: '0.001', offset: '1' }],
      });
      await call(qa, 'instruments.methods.save', { methodCode: 'GB 5009.237', instrumentKind: 'ph_meter' });
      const ls = await call(admin, 'instruments.save', {
        fields: {
          ...plant.printingInstrument(pty2.a, shippedFormats['lactoscan-sa']),
          code: 'LS-BENCH',
          name: 'Lactoscan (bench)',
          checkIntervalHours: 0,
        },
      });
      await call(qa, 'instruments.calibration', {
        id: ls.id,
        kind: 'calibration',
        performedOn: today,
        dueOn: `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`,
      });
      lsSim = await runSimulator({ port: pty2.b, driver: 'print', scenario: 'stable', format: 'lactoscan-sa' });
      await call(tech, 'instruments.connect', { id: ls.id });
      // A pH meter in the registry, for the typed-value guard.
      const ph = await call(admin, 'instruments.save', {
        fields: {
          ...plant.printingInstrument('/dev/null-bench', shippedFormats['sper-850055']),
          code: 'PH-BENCH',
          name: 'pH meter (bench)',
          checkIntervalHours: 0,
        },
      });
      await call(qa, 'instruments.calibration', {
        id: ph.id,
        kind: 'calibration',
        performedOn: today,
        dueOn: `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`,
      });
      let recordFrame: Frame | null = null;
      const unsub = core.dispatcher.onEvent((_t, name, payload) => {
        if (name !== 'instruments.reading') return;
        const pl = payload as { id: string; readingId: string };
        if (pl.id === ls.id) recordFrame = conns.recentReading(ls.id, pl.readingId);
      });
      const records = Math.max(20, Math.round(captures / 4));
      for (let i = 0; i < records + 3; i++) {
        const lot2 = (
          await call(prod, 'batches.start', { line: 'L3', outputKind: 'finished', itemCode: 'PM-1', unit: 'kg' })
        ).output.code;
        const s2 = await plant.releaseSample(techM, lot2, {
          samplingPoint: 'filler',
          quantity: '1',
          unit: 'L',
          container: 'bottle',
        });
        const rs = await plant.resultsOf(techM, s2.code);
        recordFrame = null;
        const got = new Promise<string>((resolve) => {
          const off = core.dispatcher.onEvent((_t, name, payload) => {
            const pl = payload as { id: string; readingId: string };
            if (name === 'instruments.reading' && pl.id === ls.id) {
              off();
              resolve(pl.readingId);
            }
          });
        });
        lsSim.print();
        const readingId = await got;
        const frame = recordFrame as Frame | null;
        committedAt = 0;
        const t0 = performance.now();
        const out = await call(tech, 'instruments.capture', {
          instrumentId: ls.id,
          sampleCode: s2.code,
          replicateIndex: 0,
          readingId,
        });
        const t1 = performance.now();
        if (!out.outcome.ok || out.captures.length !== 5 || !frame || !committedAt)
          throw new Error(`record capture: ${JSON.stringify(out.outcome)}`);
        const phResult = rs.find((r) => r.itemCode === 'ph')!;
        const a = performance.now();
        await call(tech, 'results.enter', { id: phResult.id, replicates: ['6.70'], instrumentId: 'PH-BENCH' });
        const b = performance.now();
        if (i >= 3) {
          recToCommit.push(committedAt - frame.at);
          recCall.push(t1 - t0);
          typedWith.push(b - a);
        }
        if (i % 10 === 0) progress('record captures', i, records + 3);
      }
      unsub();
      // Typed entries of an item whose method names no instrument (moisture), for comparison.
      for (let i = 0; i < Math.max(20, Math.round(captures / 4)); i++) {
        const lot3 = (
          await call(prod, 'batches.start', { line: 'L4', outputKind: 'finished', itemCode: 'IF-1', unit: 'kg' })
        ).output.code;
        const { resultId: typedId } = await plant.moistureSampleOf(techM, lot3);
        const a = performance.now();
        await call(tech, 'results.enter', { id: typedId, replicates: ['2.45'] });
        typedWithout.push(performance.now() - a);
      }
    } finally {
      await lsSim?.close();
      await pty2.unplug();
    }
    const p95s = {
      record_to_stored: percentile(
        [...recToCommit].sort((a, b) => a - b),
        95,
      ),
      request_to_stored: percentile(
        [...toCommit].sort((a, b) => a - b),
        95,
      ),
      printkey_to_event: percentile(
        [...toWs].sort((a, b) => a - b),
        95,
      ),
      printkey_to_stored: percentile(
        [...keyToCommit].sort((a, b) => a - b),
        95,
      ),
    };
    return {
      setup:
        'socat pty pair, runSimulator mt-sics 9600 8N1 "S S 2.45 %", AppCore + SQLite ledger, harness WebSocket in process',
      target_p95_ms: TARGET_P95_MS,
      request: {
        last_byte_to_stored_ms: stats(toCommit),
        last_byte_to_call_returned_ms: stats(toReturn),
        request_round_trip_ms: stats(roundTrip),
      },
      print_key: {
        last_byte_to_event_emitted_ms: stats(toEmit),
        last_byte_to_renderer_event_ws_ms: stats(toWs),
        last_byte_to_stored_via_renderer_ms: stats(keyToCommit),
      },
      record: {
        setup:
          'second socat pty pair, runSimulator print --format lactoscan-sa (11-line record), capture by readingId into 5 results of a sample, one transaction',
        last_byte_to_stored_ms: stats(recToCommit),
        capture_call_ms: stats(recCall),
      },
      typed_value: {
        enter_naming_a_registered_instrument_ms: stats(typedWith),
        enter_without_instrument_rule_ms: stats(typedWithout),
      },
      meets_target: Object.values(p95s).every((x) => x < TARGET_P95_MS),
    };
  } finally {
    ws?.close();
    await harness?.close();
    await sim?.close();
    core.close();
    await pty?.unplug();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runInstrumentsBench(opts: InstrumentsBenchOptions = {}): Promise<Record<string, unknown>> {
  const captures = opts.captures ?? 200;
  const frames = opts.frames ?? 1_000_000;
  const progress = opts.onProgress ?? (() => undefined);
  const out: Record<string, unknown> = {};
  out['latency'] = hasSocat() ? await latency(captures, progress) : { skipped: 'socat is not installed' };
  const parsers: Record<string, unknown> = {};
  for (const d of ['mt-sics', 'sbi', 'ohaus', 'print', 'print-lactoscan'] as const) {
    progress(`parser ${d}`, 0, frames);
    parsers[d] = throughput(d, frames);
  }
  out['parsers'] = parsers;
  return out;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  const o: InstrumentsBenchOptions = {
    onProgress: (phase, done, total) => process.stderr.write(`instruments ${phase}: ${done}/${total}\n`),
  };
  if (arg('captures')) o.captures = Number(arg('captures'));
  if (arg('frames')) o.frames = Number(arg('frames'));
  runInstrumentsBench(o)
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    });
}
