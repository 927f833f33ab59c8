import { generateKeyPairSync, sign as edSign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { FrameQueue, channelSender, type SendResult } from '../../src/main/instruments';
import { FRAME_FORMAT, frameMessage, type FrameBody, type SignedFrame } from '../../src/shared/domain/signed-frame';
import { createTestApp, type TestApp } from '../helpers/core';
import { calibratedMoistureAnalyser, moistureReleaseSample, verifyLedger } from '../fixtures/plant';

/**
 * Issue 23 §4: a capture at the bench is a signed raw frame. The record verifies the host key's
 * signature against the key registry, re-parses the bytes with the same pure driver, stores
 * value and bytes with the frame's record in one transaction, writes a frame sent twice once,
 * and refuses a tampered frame or an unknown key with nothing written. The bench's queue keeps
 * frames durably while the record does not answer and writes them back in order, with the gap
 * in the audit trail.
 */
const T0 = Date.parse('2026-06-01T01:00:00Z');
const READING = Buffer.from('S S      2.45 %\r\n', 'latin1');

interface World {
  app: TestApp;
  clock: { now: number };
  tech: Connection;
  qa: Connection;
  instrumentId: string;
  resultId: string;
}

async function world(): Promise<World> {
  const clock = { now: T0 };
  const app = await createTestApp({ clock: () => clock.now });
  const qa = await app.userWith(['qa_manager'], 'qa.chen');
  const tech = await app.userWith(['technician'], 'tech.li');
  const prod = await app.userWith(['production'], 'prod.wu');
  const { resultId } = await moistureReleaseSample({
    qa: app.member(qa),
    prod: app.member(prod),
    tech: app.member(tech),
  });
  const instrumentId = await calibratedMoistureAnalyser(
    { admin: app.adminMember, qa: app.member(qa) },
    join(app.dir, 'no-port'),
    '2027-05-20',
  );
  return { app, clock, tech, qa, instrumentId, resultId };
}

const head = (w: World) => w.app.core.need().ledger.head().seq;

function body(w: World, over: Partial<FrameBody> = {}): FrameBody {
  return {
    v: FRAME_FORMAT,
    key: w.app.core.key.id,
    host: w.app.core.workstation,
    seq: 1,
    instrumentId: w.instrumentId,
    port: '/dev/ttyUSB0',
    driver: 'mt-sics',
    capturedAt: w.clock.now - 60_000,
    clock: 'ntp-synchronized',
    tz: 'Asia/Shanghai',
    by: 'tech.li',
    purpose: 'result',
    resultId: w.resultId,
    sampleCode: null,
    replicateIndex: 0,
    raw: READING.toString('base64'),
    ...over,
  };
}

function signed(w: World, b: FrameBody): SignedFrame {
  return { body: b, signature: w.app.core.key.sign(Buffer.from(frameMessage(b), 'utf8')).toString('base64') };
}

const errKey = (r: { ok: boolean; error?: { messageKey: string } }) => (r.ok ? null : r.error!.messageKey);

describe('signed frames (issue 23 §4)', () => {
  let w: World;
  beforeEach(async () => {
    w = await world();
  });
  afterEach(() => w.app.close());

  it('re-parses the signed bytes and stores value, bytes and the frame with its capture and received times, once', async () => {
    const f = signed(w, body(w));
    const before = head(w);
    const r = await w.app.ok(w.tech, 'instruments.submitFrame', { frame: f });
    expect(r).toMatchObject({ duplicate: false, status: 'captured', outcome: { ok: true, value: '2.45', unit: '%' } });
    expect(r.captures[0]).toMatchObject({ value: '2.45', raw: READING.toString('base64'), rawAsReceived: true });
    expect(r.captures[0]!.at).toBe(new Date(w.clock.now - 60_000).toISOString());
    const res = (await w.app.ok(w.tech, 'results.get', { id: w.resultId })).result;
    expect(res.replicates).toEqual(['2.45']);
    // The replicate uses the capture, though it was made (bench clock) before the transaction
    // that wrote it: a new capture supersedes the others, never itself.
    const captureStatus = w.app.core
      .need()
      .ledger.db.prepare('SELECT status FROM instrument_capture WHERE id = ?')
      .get(r.captures[0]!.id) as { status: string };
    expect(captureStatus.status).toBe('used');
    const row = w.app.core.need().ledger.db.prepare('SELECT * FROM signed_frame').get() as Record<string, unknown>;
    expect(row).toMatchObject({
      id: `frame-${w.app.core.key.id}-1`,
      captured_at: w.clock.now - 60_000,
      received_at: w.clock.now,
      clock_source: 'ntp-synchronized',
      captured_by: 'tech.li',
      received_by: 'tech.li',
      outcome: 'captured',
      forwarded: 0,
      gap_ms: 60_000,
      raw: READING.toString('base64'),
      signature: f.signature,
    });
    expect(JSON.parse(row['capture_ids'] as string)).toEqual([r.captures[0]!.id]);
    const written = head(w) - before;

    // The same frame again (a retry after a lost answer): nothing written, the first result.
    w.clock.now += 1000;
    const again = await w.app.ok(w.tech, 'instruments.submitFrame', { frame: f });
    expect(again).toMatchObject({ duplicate: true, status: 'captured', frameId: r.frameId });
    expect(again.captures.map((c) => c.id)).toEqual(r.captures.map((c) => c.id));
    expect(head(w) - before).toBe(written);
    // Another frame under the same number: refused.
    const other = signed(w, body(w, { raw: Buffer.from('S S      2.46 %\r\n').toString('base64') }));
    expect(errKey(await w.app.call(w.tech, 'instruments.submitFrame', { frame: other }))).toBe(
      'errors.frame_seq_reused',
    );
    expect(head(w) - before).toBe(written);
    await verifyLedger(w.app.member(w.qa));
  });

  it('refuses a tampered byte, a changed detail, an unknown key and a clock from the future; nothing is written', async () => {
    const before = head(w);
    const good = signed(w, body(w));
    // One byte of the reading changed after signing (2.45 → 2.95).
    const bytes = Buffer.from(READING);
    bytes[10] = '9'.charCodeAt(0);
    const tampered = { ...good, body: { ...good.body, raw: bytes.toString('base64') } };
    let r = await w.app.call(w.tech, 'instruments.submitFrame', { frame: tampered });
    expect(r.ok ? null : r.error).toMatchObject({ code: 'key_error', messageKey: 'errors.frame_signature_invalid' });
    // The capture time moved (the bytes untouched).
    r = await w.app.call(w.tech, 'instruments.submitFrame', {
      frame: { ...good, body: { ...good.body, capturedAt: good.body.capturedAt + 1 } },
    });
    expect(errKey(r)).toBe('errors.frame_signature_invalid');
    // A key the registry does not hold (another machine's, never enrolled).
    const other = generateKeyPairSync('ed25519');
    const b = body(w, { key: 'aaaaaaaaaaaaaaaa' });
    const foreign = {
      body: b,
      signature: edSign(null, Buffer.from(frameMessage(b)), other.privateKey).toString('base64'),
    };
    r = await w.app.call(w.tech, 'instruments.submitFrame', { frame: foreign });
    expect(errKey(r)).toBe('errors.frame_key_unknown');
    // The workstation's clock ahead of the record's by more than the tolerance.
    r = await w.app.call(w.tech, 'instruments.submitFrame', {
      frame: signed(w, body(w, { seq: 2, capturedAt: w.clock.now + 10 * 60_000 })),
    });
    expect(errKey(r)).toBe('errors.frame_clock_ahead');
    expect(head(w)).toBe(before);
    expect((await w.app.ok(w.tech, 'results.get', { id: w.resultId })).result.replicates).toEqual([]);
  });

  it('an unstable reading is refused as evidence with its signed frame; the result is untouched', async () => {
    const unstable = Buffer.from('S D      2.45 %\r\n', 'latin1').toString('base64');
    const r = await w.app.ok(w.tech, 'instruments.submitFrame', { frame: signed(w, body(w, { raw: unstable })) });
    expect(r).toMatchObject({ status: 'refused', outcome: { ok: false, error: 'unstable' }, captures: [] });
    const row = w.app.core.need().ledger.db.prepare('SELECT outcome, error FROM signed_frame').get();
    expect(row).toEqual({ outcome: 'refused', error: 'unstable' });
    const g = await w.app.ok(w.tech, 'instruments.get', { id: w.instrumentId });
    expect(g.refused.map((x) => x.error)).toEqual(['unstable']);
    expect((await w.app.ok(w.tech, 'results.get', { id: w.resultId })).result.replicates).toEqual([]);
  });

  it('the bench queue keeps frames durably while the record does not answer and writes them back once, in order, with the gap', async () => {
    const file = join(w.app.dir, 'bench-queue.jsonl');
    const open = () =>
      FrameQueue.open(file, { signer: w.app.core.key, host: w.app.core.workstation, clock: () => w.clock.now });
    let q = open();
    const facts = (replicateIndex: number, value: string) => ({
      ...body(w),
      replicateIndex,
      capturedAt: w.clock.now,
      raw: Buffer.from(`S S      ${value} %\r\n`, 'latin1').toString('base64'),
    });
    const down = async (): Promise<SendResult> => ({ kind: 'unreachable', why: 'ECONNREFUSED' });
    // The link goes down; two captures are made and queued.
    const a = q.enqueue(facts(0, '2.45'));
    const downAt = w.clock.now;
    expect((await q.flush(down)).pending).toBe(1);
    w.clock.now += 120_000;
    const b = q.enqueue(facts(1, '2.47'));
    expect(b.body.seq).toBe(a.body.seq + 1);
    expect((await q.flush(down)).pending).toBe(2);
    const before = head(w);
    expect(before).toBeGreaterThan(0);
    // The workstation restarts (the queue file is all that is left), with a torn last line.
    q.close();
    writeFileSync(file, readFileSync(file, 'utf8') + '{"t":"frame","queu');
    q = open();
    expect(q.pending().map((x) => x.frame.body.seq)).toEqual([a.body.seq, b.body.seq]);
    expect(q.linkDownSince).toBe(downAt);
    expect(head(w)).toBe(before);

    // The record is back: written back in order, each once, with the gap in the audit trail.
    w.clock.now += 180_000;
    const send = channelSender((input) => w.app.core.dispatcher.call(w.tech, 'instruments.submitFrame', input));
    const report = await q.flush(send);
    expect(report).toMatchObject({ pending: 0, refused: [], linkDownSince: null });
    expect(report.delivered.map((d) => d.seq)).toEqual([a.body.seq, b.body.seq]);
    expect((await w.app.ok(w.tech, 'results.get', { id: w.resultId })).result.replicates).toEqual(['2.45', '2.47']);
    const db = w.app.core.need().ledger.db;
    const frames = db
      .prepare(
        'SELECT frame_seq, forwarded, link_down_since, gap_ms, captured_at, received_at FROM signed_frame ORDER BY frame_seq',
      )
      .all();
    expect(frames).toEqual([
      {
        frame_seq: a.body.seq,
        forwarded: 1,
        link_down_since: downAt,
        gap_ms: 300_000,
        captured_at: downAt,
        received_at: w.clock.now,
      },
      {
        frame_seq: b.body.seq,
        forwarded: 1,
        link_down_since: downAt,
        gap_ms: 180_000,
        captured_at: downAt + 120_000,
        received_at: w.clock.now,
      },
    ]);
    const reasons = db
      .prepare("SELECT reason FROM audit_entry WHERE entity = 'signed_frame' ORDER BY seq")
      .all()
      .map((x) => (x as { reason: string }).reason);
    expect(reasons[0]).toBe(
      `written back from the workstation's queue: captured ${new Date(downAt).toISOString()} (ntp-synchronized), ` +
        `received ${new Date(w.clock.now).toISOString()}, gap 5 min 00 s, link down since ${new Date(downAt).toISOString()} (5 min 00 s)`,
    );
    // Nothing is sent twice: the queue is empty, and a resend of the same frame writes nothing.
    const after = head(w);
    expect((await q.flush(send)).delivered).toEqual([]);
    expect((await send(a, undefined)).kind).toBe('delivered');
    expect(head(w)).toBe(after);
    q.close();
    // A fresh queue after everything was answered continues the numbers.
    q = open();
    expect(q.enqueue(facts(2, '2.50')).body.seq).toBe(b.body.seq + 1);
    q.close();
    await verifyLedger(w.app.member(w.qa));
  });
});
