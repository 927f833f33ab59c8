import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FrameQueue, FrameQueueDamaged, type FrameFacts } from '../../src/main/instruments/frame-queue';
import { FRAME_FORMAT, formatGap, frameMessage, type FrameBody } from '../../src/shared/domain/signed-frame';

const body = (over: Partial<FrameBody> = {}): FrameBody => ({
  v: FRAME_FORMAT,
  key: '0123456789abcdef',
  host: 'desktop@LAB-PC-01',
  seq: 1,
  instrumentId: 'i1',
  port: 'COM3',
  driver: 'mt-sics',
  capturedAt: 1767225600000,
  clock: 'ntp-synchronized',
  tz: 'Asia/Shanghai',
  by: 'tech.li',
  purpose: 'result',
  resultId: 'r1',
  sampleCode: null,
  replicateIndex: 0,
  raw: Buffer.from('S S      2.45 g\r\n').toString('base64'),
  ...over,
});

describe('the signed bytes of a frame', () => {
  it('are the RFC 8785 canonical JSON of the body, for any text and numbers', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.nat(),
        fc.option(fc.string(), { nil: null }),
        (host, by, seq, sample) => {
          const b = body({ host, by, seq, sampleCode: sample });
          expect(frameMessage(b)).toBe(canonicalize(b));
        },
      ),
    );
  });
  it('formats a gap for the audit trail', () => {
    expect(formatGap(400)).toBe('0.4 s');
    expect(formatGap(12_000)).toBe('12 s');
    expect(formatGap(250_000)).toBe('4 min 10 s');
    expect(formatGap(3 * 3600_000 + 125_000)).toBe('3 h 02 min 05 s');
  });
});

describe('the bench queue file', () => {
  let dir: string;
  const keys = generateKeyPairSync('ed25519');
  const signer = { id: '0123456789abcdef', sign: (m: Buffer) => sign(null, m, keys.privateKey) };
  const facts = (): FrameFacts => {
    const { v: _v, key: _k, host: _h, seq: _s, ...f } = body();
    return f;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lotseal-queue-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('signs what it queues, numbers frames from the clock of a new file, and survives a reopen', () => {
    const file = join(dir, 'q.jsonl');
    let q = FrameQueue.open(file, { signer, host: 'desktop@LAB-PC-01', clock: () => 5000 });
    const a = q.enqueue(facts());
    const b = q.enqueue(facts());
    expect([a.body.seq, b.body.seq]).toEqual([5000, 5001]);
    expect(verify(null, Buffer.from(frameMessage(a.body)), keys.publicKey, Buffer.from(a.signature, 'base64'))).toBe(
      true,
    );
    q.close();
    q = FrameQueue.open(file, { signer, host: 'desktop@LAB-PC-01', clock: () => 1 });
    expect(q.pending().map((x) => x.frame)).toEqual([a, b]);
    expect(q.enqueue(facts()).body.seq).toBe(5002);
    q.close();
  });

  it('drops a last line cut short by a crash, and refuses a damaged line before it', () => {
    const file = join(dir, 'q.jsonl');
    const q = FrameQueue.open(file, { signer, host: 'h', clock: () => 10 });
    q.enqueue(facts());
    q.close();
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good + '{"t":"done","se');
    const r = FrameQueue.open(file, { signer, host: 'h', clock: () => 10 });
    expect(r.pending()).toHaveLength(1);
    r.close();
    expect(readFileSync(file, 'utf8')).toBe(good);
    const lines = good.split('\n');
    writeFileSync(file, [lines[0], 'garbage', ...lines.slice(1)].join('\n'));
    expect(() => FrameQueue.open(file, { signer, host: 'h', clock: () => 10 })).toThrow(FrameQueueDamaged);
  });

  it('sends in order, stops at the first frame the record does not answer, and keeps the rest', async () => {
    const q = FrameQueue.open(join(dir, 'q.jsonl'), { signer, host: 'h', clock: () => 100 });
    const seqs = [q.enqueue(facts()), q.enqueue(facts()), q.enqueue(facts())].map((f) => f.body.seq);
    const sent: number[] = [];
    const r = await q.flush(async (f) => {
      sent.push(f.body.seq);
      return f.body.seq === seqs[1] ? { kind: 'unreachable', why: 'down' } : { kind: 'delivered', receipt: null };
    });
    expect(sent).toEqual([seqs[0], seqs[1]]);
    expect(r).toMatchObject({ pending: 2, linkDownSince: 100 });
    const forwards: unknown[] = [];
    const r2 = await q.flush(async (_f, fwd) => {
      forwards.push(fwd);
      return { kind: 'refused', error: { code: 'conflict', messageKey: 'errors.result_submitted_use_correct' } };
    });
    expect(r2.refused.map((x) => x.seq)).toEqual([seqs[1], seqs[2]]);
    expect(forwards[0]).toEqual({ queuedAt: 100, linkDownSince: 100 });
    expect(r2).toMatchObject({ pending: 0, linkDownSince: null });
    q.close();
  });
});
