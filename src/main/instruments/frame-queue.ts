import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
  ftruncateSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { AppError } from '../../shared/contract/errors';
import { FRAME_FORMAT, type FrameBody, type SignedFrame, frameMessage } from '../../shared/domain/signed-frame';

/**
 * The workstation's store-and-forward queue of signed frames (issue 23 §4, D-096).
 *
 * A capture at the bench is signed with the workstation's host key and appended to a file in the
 * data folder (`frame-queue.jsonl`, never the main record) with an fsync per record before it is
 * sent; it leaves the queue only when the record has answered for it (stored, or refused for a
 * reason that sending again would not change). While the record is unreachable the frames stay,
 * in order, and are written back in that order when it returns, each telling the record when it
 * was queued and since when the link was down (the gap goes into the audit trail).
 *
 * The file is append-only JSON lines:
 *   {"t":"frame","queuedAt":ms,"frame":{body,signature}}   a signed frame, queued
 *   {"t":"done","seq":n,"at":ms,"status":"delivered"|"refused","error":{…}?}   answered for
 *   {"t":"down","since":ms} / {"t":"up","at":ms}             the link failed / came back
 *   {"t":"base","nextSeq":n,"linkDownSince":ms|null}         first line after a compaction
 * A last line cut short by a crash is dropped (it was never acknowledged); any other line that
 * does not read is a damaged queue and is refused, never skipped. Sequence numbers grow by one
 * per frame; a new queue file starts at the workstation's clock in ms, so a queue file that was
 * lost never reuses a number the record has seen (which it would refuse as a reused number).
 *
 * The sender is injected: embedded, the core's dispatcher (`instruments.submitFrame` on this
 * connection); on a site server, the SiteClient's call (branch clients).
 */

/** What the record answered for one frame. */
export type SendResult =
  /** Stored (or received before: a duplicate); `receipt` is the channel's output. */
  | { kind: 'delivered'; receipt: unknown }
  /** Refused for a reason sending again does not change (bad signature, result submitted…): leaves the queue. */
  | { kind: 'refused'; error: AppError }
  /** Not answered (no link, server down, session locked): stays queued, in order. */
  | { kind: 'unreachable'; why: string };

export interface ForwardInfo {
  queuedAt: number;
  linkDownSince: number | null;
}

export type FrameSender = (frame: SignedFrame, forward: ForwardInfo | undefined) => Promise<SendResult>;

/** What signs: the host key (its id, and Ed25519 over the message). */
export interface FrameSigner {
  readonly id: string;
  sign(message: Buffer): Buffer;
}

export interface QueuedFrame {
  frame: SignedFrame;
  queuedAt: number;
}

export interface FlushReport {
  delivered: Array<{ seq: number; receipt: unknown }>;
  refused: Array<{ seq: number; error: AppError }>;
  /** Still queued (the record did not answer). */
  pending: number;
  linkDownSince: number | null;
}

type Line =
  | { t: 'frame'; queuedAt: number; frame: SignedFrame }
  | { t: 'done'; seq: number; at: number; status: 'delivered' | 'refused'; error?: AppError }
  | { t: 'down'; since: number }
  | { t: 'up'; at: number }
  | { t: 'base'; nextSeq: number; linkDownSince: number | null };

/** The body a bench capture fills in; the queue adds the format, key, host and sequence number. */
export type FrameFacts = Omit<FrameBody, 'v' | 'key' | 'host' | 'seq'>;

export class FrameQueueDamaged extends Error {}

/** Compact the file when everything in it has been answered for and it has grown past this. */
const COMPACT_BYTES = 1 << 20;

export class FrameQueue {
  private fd: number;
  private size = 0;
  private nextSeq: number;
  private downSince: number | null = null;
  private readonly queued = new Map<number, QueuedFrame>();
  private readonly answered = new Map<number, SendResult>();
  private flushing: Promise<FlushReport> | null = null;

  private constructor(
    readonly file: string,
    private readonly signer: FrameSigner,
    private readonly host: string,
    private readonly clock: () => number,
  ) {
    const fresh = !existsSync(file);
    this.nextSeq = clock();
    this.fd = openSync(file, 'a+', 0o600);
    if (fresh) {
      this.append({ t: 'base', nextSeq: this.nextSeq, linkDownSince: null });
      fsyncDir(file);
    } else this.load();
  }

  /** Opens (or creates) the queue file; a damaged file throws FrameQueueDamaged. */
  static open(file: string, o: { signer: FrameSigner; host: string; clock?: () => number }): FrameQueue {
    return new FrameQueue(file, o.signer, o.host, o.clock ?? Date.now);
  }

  private load(): void {
    const text = readFileSync(this.file, 'utf8');
    const lines = text.split('\n');
    let good = 0;
    let maxSeq = 0;
    let base: number | null = null;
    for (let n = 0; n < lines.length; n++) {
      const l = lines[n]!;
      const last = n === lines.length - 1;
      if (l === '') {
        if (!last) throw new FrameQueueDamaged(`${this.file}: empty line ${n + 1}`);
        continue;
      }
      let rec: Line;
      try {
        rec = JSON.parse(l) as Line;
      } catch {
        // Only the very last line may be cut short (a crash during its write).
        if (last) break;
        throw new FrameQueueDamaged(`${this.file}: line ${n + 1} does not read`);
      }
      if (last) {
        // A complete record always ends with a newline; without one it was never fsynced whole.
        break;
      }
      good += Buffer.byteLength(l, 'utf8') + 1;
      switch (rec.t) {
        case 'base':
          base = rec.nextSeq;
          this.downSince = rec.linkDownSince;
          break;
        case 'frame':
          this.queued.set(rec.frame.body.seq, { frame: rec.frame, queuedAt: rec.queuedAt });
          maxSeq = Math.max(maxSeq, rec.frame.body.seq);
          break;
        case 'done':
          this.queued.delete(rec.seq);
          break;
        case 'down':
          this.downSince ??= rec.since;
          break;
        case 'up':
          this.downSince = null;
          break;
        default:
          throw new FrameQueueDamaged(`${this.file}: line ${n + 1} is of no known kind`);
      }
    }
    if (base === null) throw new FrameQueueDamaged(`${this.file}: no base line`);
    if (good < Buffer.byteLength(text, 'utf8')) ftruncateSync(this.fd, good);
    this.size = good;
    this.nextSeq = Math.max(base, maxSeq + 1);
  }

  private append(rec: Line): void {
    const line = `${JSON.stringify(rec)}\n`;
    const buf = Buffer.from(line, 'utf8');
    writeSync(this.fd, buf, 0, buf.length, null);
    fsyncSync(this.fd);
    this.size += buf.length;
  }

  /** Signs a capture's facts with the host key and queues it durably (fsync) before anything is sent. */
  enqueue(facts: FrameFacts): SignedFrame {
    const body: FrameBody = {
      instrumentId: facts.instrumentId,
      port: facts.port,
      driver: facts.driver,
      capturedAt: facts.capturedAt,
      clock: facts.clock,
      tz: facts.tz,
      by: facts.by,
      purpose: facts.purpose,
      resultId: facts.resultId,
      sampleCode: facts.sampleCode,
      replicateIndex: facts.replicateIndex,
      raw: facts.raw,
      v: FRAME_FORMAT,
      key: this.signer.id,
      host: this.host,
      seq: this.nextSeq,
    };
    const signature = this.signer.sign(Buffer.from(frameMessage(body), 'utf8')).toString('base64');
    const frame: SignedFrame = { body, signature };
    const queuedAt = this.clock();
    this.append({ t: 'frame', queuedAt, frame });
    this.nextSeq += 1;
    this.queued.set(body.seq, { frame, queuedAt });
    return frame;
  }

  /** The frames not yet answered for, in order. */
  pending(): QueuedFrame[] {
    return [...this.queued.values()].sort((a, b) => a.frame.body.seq - b.frame.body.seq);
  }

  /** Since when the record has not answered (the workstation's clock), or null. */
  get linkDownSince(): number | null {
    return this.downSince;
  }

  /** What the record answered for frame `seq` during this process's flushes (or undefined). */
  answerFor(seq: number): SendResult | undefined {
    return this.answered.get(seq);
  }

  /**
   * Sends every queued frame, in order, one at a time; stops at the first the record does not
   * answer (the rest wait behind it). One flush at a time: a call during a flush waits for it and
   * then flushes again.
   */
  flush(send: FrameSender): Promise<FlushReport> {
    const run = async (): Promise<FlushReport> => {
      const report: FlushReport = { delivered: [], refused: [], pending: 0, linkDownSince: null };
      for (;;) {
        const next = this.pending()[0];
        if (!next) break;
        const seq = next.frame.body.seq;
        const forward =
          this.downSince !== null ? { queuedAt: next.queuedAt, linkDownSince: this.downSince } : undefined;
        let r: SendResult;
        try {
          r = await send(next.frame, forward);
        } catch (e) {
          r = { kind: 'unreachable', why: e instanceof Error ? e.message : String(e) };
        }
        if (r.kind === 'unreachable') {
          if (this.downSince === null) {
            this.downSince = this.clock();
            this.append({ t: 'down', since: this.downSince });
          }
          break;
        }
        this.answered.set(seq, r);
        if (this.answered.size > 1000) this.answered.delete(this.answered.keys().next().value!);
        this.append(
          r.kind === 'delivered'
            ? { t: 'done', seq, at: this.clock(), status: 'delivered' }
            : { t: 'done', seq, at: this.clock(), status: 'refused', error: r.error },
        );
        this.queued.delete(seq);
        if (r.kind === 'delivered') report.delivered.push({ seq, receipt: r.receipt });
        else report.refused.push({ seq, error: r.error });
        if (this.downSince !== null && this.queued.size === 0) {
          this.downSince = null;
          this.append({ t: 'up', at: this.clock() });
        }
      }
      report.pending = this.queued.size;
      report.linkDownSince = this.downSince;
      if (this.queued.size === 0 && this.size > COMPACT_BYTES) this.compact();
      return report;
    };
    const prev = this.flushing;
    const p = (prev ? prev.then(run, run) : run()).finally(() => {
      if (this.flushing === p) this.flushing = null;
    });
    this.flushing = p;
    return p;
  }

  /** Rewrites a fully answered file as one base line (temp file, fsync, rename, fsync of the folder). */
  private compact(): void {
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    const buf = Buffer.from(`${JSON.stringify({ t: 'base', nextSeq: this.nextSeq, linkDownSince: this.downSince })}\n`);
    writeSync(fd, buf, 0, buf.length, null);
    fsyncSync(fd);
    closeSync(fd);
    closeSync(this.fd);
    renameSync(tmp, this.file);
    fsyncDir(this.file);
    this.fd = openSync(this.file, 'a+', 0o600);
    this.size = buf.length;
  }

  close(): void {
    closeSync(this.fd);
  }
}

function fsyncDir(file: string): void {
  // A new or renamed file survives a power cut only once its folder entry is on disk (not on Windows).
  if (process.platform === 'win32') return;
  const d = openSync(dirname(file), 'r');
  try {
    fsyncSync(d);
  } finally {
    closeSync(d);
  }
}

/**
 * A sender over a dispatcher-shaped call (embedded: the core's dispatcher on this workstation's
 * connection; remote: a RemoteDispatcher): `instruments.submitFrame` answered, refused, or not
 * reachable. Errors that sending again may cure (the session locked or signed out, the ledger
 * blocked, a lost connection) keep the frame queued.
 */
export function channelSender(
  call: (input: {
    frame: SignedFrame;
    forward?: ForwardInfo;
  }) => Promise<{ ok: true; data: unknown } | { ok: false; error: AppError }>,
): FrameSender {
  return async (frame, forward) => {
    const r = await call(forward ? { frame, forward } : { frame });
    if (r.ok) return { kind: 'delivered', receipt: r.data };
    if (RETRYABLE.has(r.error.code) || r.error.messageKey === 'errors.connection_lost')
      return { kind: 'unreachable', why: r.error.messageKey };
    return { kind: 'refused', error: r.error };
  };
}

const RETRYABLE = new Set<string>([
  'server_unreachable',
  'not_signed_in',
  'session_locked',
  'ledger_blocked',
  'internal',
  'must_change_password',
  'password_expired',
]);
