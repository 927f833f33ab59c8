import type { z } from 'zod';
import type { readOutcomeSchema } from '../../shared/contract/channels/instruments';
import { fail } from '../../shared/contract/errors';
import {
  type FrameBody,
  type SignedFrame,
  formatGap,
  frameGapMs,
  frameMessage,
  frameRecordId,
} from '../../shared/domain/signed-frame';
import type { Locale } from '../../shared/i18n';
import { hostSignatureProblem } from '../ledger/host-keys';
import { currentOrigin } from '../ledger/origin';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import type { InstrumentCapture } from './capture';
import type { TestingService } from '../testing';
import type { Frame } from './connections';
import { driverFor } from './drivers';
import type { Parsed } from './drivers/types';
import { IN } from './entities';
import { asCapture, printConfigOf, type InstrumentQueries, type InstrumentRecord } from './queries';
import type { InstrumentRegistry } from './registry';
import { type CaptureView, captureView } from './views';

type ReadOutcome = z.infer<typeof readOutcomeSchema>;

/** A workstation clock this far ahead of the record's is refused (the frame cannot be from the future). */
export const FRAME_CLOCK_AHEAD_MS = 5 * 60_000;

/** What the workstation's queue adds when it writes a frame back after the link was down (not signed: the queue's own facts). */
export interface ForwardInfo {
  /** When the frame entered the workstation's queue (its clock). */
  queuedAt: number;
  /** Since when the workstation could not reach the record (its clock); null if it never failed. */
  linkDownSince: number | null;
}

/** What a signed frame became. */
export interface FrameReceipt {
  frameId: string;
  /** The same frame (host key + seq) was received before: nothing written, its first result returned. */
  duplicate: boolean;
  /** `captured`: stored into results; `refused`: kept as evidence with why. */
  status: 'captured' | 'refused';
  outcome: ReadOutcome;
  captures: CaptureView[];
  changed: ReturnType<TestingService['view']>[];
  unused: string[];
}

type FrameRow = {
  id: string;
  signature: string;
  outcome: string;
  error: string | null;
  capture_ids: string;
  raw: string;
};

/**
 * Re-parses the bytes of a signed frame with the record's driver (issue 23 §4): frames them as
 * the connection manager does and parses every line; the frame must say exactly one thing (a
 * reading, a record or an instrument's error). What the workstation read is never trusted.
 */
export function reparse(r: InstrumentRecord, raw: Uint8Array): Frame {
  const driver = driverFor(r.driver, printConfigOf(r) ?? undefined);
  const framer = driver.framer(r.line_ending);
  const said: Array<{ parsed: Parsed; bytes: Uint8Array; raw: Uint8Array }> = [];
  for (const f of framer.frames(raw)) {
    let parsed: Parsed;
    try {
      parsed = driver.parse(f.bytes, f.raw);
    } catch {
      parsed = { kind: 'error', error: 'garbage', detail: 'unreadable frame' };
    }
    if (parsed.kind === 'reading' || parsed.kind === 'record' || parsed.kind === 'error')
      said.push({ parsed, bytes: f.bytes, raw: f.raw });
  }
  const only = said.length === 1 ? said[0]! : null;
  const parsed: Parsed = only
    ? only.parsed
    : {
        kind: 'error',
        error: 'garbage',
        detail: said.length ? `${said.length} frames in one signed frame` : 'no complete frame in the signed bytes',
      };
  return { bytes: only?.bytes ?? raw, raw, parsed, at: 0 };
}

/**
 * The record's half of a capture made at the bench (issue 23 §4, D-095–D-096): a signed frame is
 * accepted only with a valid signature of an enrolled host key in force (else refused, nothing
 * written), re-parsed by the record's driver and captured by the same rules as a capture made
 * here, with the frame's own record (body, signature, capture and received times, the gap of a
 * write-back) in the same transaction. The same frame received twice is written once.
 */
export class FrameReceiver {
  constructor(
    private readonly ledger: Ledger,
    private readonly registry: InstrumentRegistry,
    private readonly captures: InstrumentCapture,
    private readonly q: InstrumentQueries,
  ) {}

  private verify(frame: SignedFrame, at: number): void {
    const b = frame.body;
    // Over a site server: the frame comes from the workstation whose key signed it (a frame is
    // written back by its own bench, never relayed by another, D-098).
    const via = currentOrigin()?.hostKeyId;
    if (via !== undefined && via !== b.key)
      fail('key_error', { key: b.key, host: b.host, via }, 'errors.frame_other_workstation');
    const problem = hostSignatureProblem(
      this.ledger.db,
      b.key,
      Buffer.from(frameMessage(b), 'utf8'),
      frame.signature,
      at,
    );
    if (problem)
      fail('key_error', { key: b.key, seq: b.seq, host: b.host, reason: problem }, `errors.frame_${problem}`);
    if (b.capturedAt > at + FRAME_CLOCK_AHEAD_MS)
      fail(
        'invalid_input',
        { field: 'capturedAt', capturedAt: new Date(b.capturedAt).toISOString(), clock: b.clock },
        'errors.frame_clock_ahead',
      );
  }

  private earlier(frame: SignedFrame, locale: Locale): FrameReceipt | null {
    const id = frameRecordId(frame.body);
    const row = this.ledger.get(IN.signedFrame, id) as unknown as FrameRow | undefined;
    if (!row) return null;
    // The same host key and sequence number with other bytes: a second frame under a used number.
    if (row.signature !== frame.signature) fail('conflict', { id, seq: frame.body.seq }, 'errors.frame_seq_reused');
    const r = this.registry.row(frame.body.instrumentId);
    const outcome = this.captures.outcome(reparse(r, Buffer.from(row.raw, 'base64')), locale);
    const ids = JSON.parse(row.capture_ids) as string[];
    const captures = ids.map((c) => captureView(asCapture(this.ledger.get(IN.capture, c)!)));
    return {
      frameId: id,
      duplicate: true,
      status: row.outcome === 'captured' ? 'captured' : 'refused',
      outcome: row.outcome === 'captured' ? outcome : { ...outcome, ok: false },
      captures,
      changed: [],
      unused: [],
    };
  }

  /**
   * The bench's clock cannot run backwards (D-122): a frame taken before a frame the same
   * workstation numbered earlier on the same instrument is refused (the capture time is the
   * bench's word; the record holds it to the bench's own order). The lock is judged at the
   * capture time and again at receipt (the value's instrument guard), so a clock set back opens
   * no locked instrument; a capture time far from the receipt is named in the audit trail
   * (recordFrame), whether or not the frame came from the queue.
   */
  private clockOrder(frame: SignedFrame): void {
    const b = frame.body;
    const iso = (ms: number) => new Date(ms).toISOString();
    const later = this.q.earlierFrameTakenAfter(b.instrumentId, b.capturedAt + FRAME_CLOCK_AHEAD_MS, b.key, b.seq);
    if (later)
      fail(
        'invalid_input',
        {
          field: 'capturedAt',
          capturedAt: iso(b.capturedAt),
          earlierSeq: later.frame_seq,
          earlierAt: iso(later.captured_at),
        },
        'errors.frame_clock_backwards',
      );
  }

  submit(actor: Actor, locale: Locale, frame: SignedFrame, forward?: ForwardInfo): FrameReceipt {
    const b = frame.body;
    this.verify(frame, this.ledger.now());
    const first = this.earlier(frame, locale);
    if (first) return first;
    this.clockOrder(frame);
    const r = this.registry.row(b.instrumentId);
    if (b.driver !== r.driver)
      fail('conflict', { instrument: r.code, driver: b.driver, expected: r.driver }, 'errors.frame_driver_changed');
    const parsed = reparse(r, Buffer.from(b.raw, 'base64'));
    const id = frameRecordId(b);
    const seal = {
      capturedAt: b.capturedAt,
      port: b.port,
      record: (w: LedgerWriter, outcome: ReadOutcome, captureIds: string[]) => {
        // Again inside the transaction that writes (Trust II): the key may have been retired
        // meanwhile, and a concurrent submission of the same frame may have committed.
        this.verify(frame, w.at);
        if (w.get(IN.signedFrame, id)) fail('conflict', { id }, 'errors.frame_seq_reused');
        this.clockOrder(frame);
        this.recordFrame(w, frame, outcome, captureIds, forward);
      },
    };
    const out = this.captures.captureFrame(
      actor,
      locale,
      r,
      { resultId: b.resultId, sampleCode: b.sampleCode, replicateIndex: b.replicateIndex },
      parsed,
      seal,
    );
    return {
      frameId: id,
      duplicate: false,
      status: out.captures.length ? 'captured' : 'refused',
      outcome: out.outcome,
      captures: out.captures,
      changed: out.changed,
      unused: out.unused,
    };
  }

  private recordFrame(
    w: LedgerWriter,
    frame: SignedFrame,
    outcome: ReadOutcome,
    captureIds: string[],
    forward: ForwardInfo | undefined,
  ): void {
    const b: FrameBody = frame.body;
    const gap = frameGapMs(b.capturedAt, w.at);
    const when = (ms: number) => new Date(ms).toISOString();
    // A write-back names its gap in the audit trail (issue 23 §4): captured, received, how long the link was down.
    const reason = forward
      ? `written back from the workstation's queue: captured ${when(b.capturedAt)} (${b.clock}), received ${when(w.at)}, ` +
        `gap ${formatGap(gap)}` +
        (forward.linkDownSince !== null
          ? `, link down since ${when(forward.linkDownSince)} (${formatGap(frameGapMs(forward.linkDownSince, w.at))})`
          : '')
      : gap > FRAME_CLOCK_AHEAD_MS
        ? // Sent at once, yet taken long before (a bench clock behind, or set back): on record too (D-122).
          `sent at once, not from the workstation's queue: captured ${when(b.capturedAt)} (${b.clock}), ` +
          `received ${when(w.at)}, gap ${formatGap(gap)}`
        : undefined;
    w.create(
      IN.signedFrame,
      {
        host_key_id: b.key,
        host: b.host,
        frame_seq: b.seq,
        instrument_id: b.instrumentId,
        port: b.port,
        driver: b.driver,
        raw: b.raw,
        captured_at: b.capturedAt,
        clock_source: b.clock,
        tz: b.tz,
        captured_by: b.by,
        purpose: b.purpose,
        result_id: b.resultId,
        sample_code: b.sampleCode,
        replicate_index: b.replicateIndex,
        signature: frame.signature,
        received_at: w.at,
        received_by: w.actor.id,
        outcome: captureIds.length ? 'captured' : 'refused',
        error: captureIds.length ? null : (outcome.error ?? 'garbage'),
        capture_ids: JSON.stringify(captureIds),
        forwarded: forward ? 1 : 0,
        queued_at: forward?.queuedAt ?? null,
        link_down_since: forward?.linkDownSince ?? null,
        gap_ms: gap,
      },
      { id: frameRecordId(b), ...(reason ? { reason } : {}) },
    );
  }
}
