import type { z } from 'zod';
import type { instrumentsChannels } from '../../shared/contract/channels/instruments';
import { AppErrorException } from '../../shared/contract/errors';
import type { Locale } from '../../shared/i18n';
import type { Actor } from '../ledger/ledger';
import type { InstrumentCapture, InstrumentsTestHooks } from './capture';
import type { FrameQueue, FrameSender } from './frame-queue';
import type { InstrumentRegistry } from './registry';
import { b64 } from './views';

type CaptureOut = z.infer<(typeof instrumentsChannels)['instruments.capture']['output']>;
type SubmitOut = z.infer<(typeof instrumentsChannels)['instruments.submitFrame']['output']>;

/** The workstation's half of a signed capture: its queue, how it sends, its clock's source and zone. */
export interface BenchLink {
  queue: FrameQueue;
  send: FrameSender;
  clockSource(): string;
  timeZone: string;
  /** The workstation's clock (ms since the epoch). */
  now(): number;
}

/**
 * A capture at the bench as a signed raw frame (issue 23 §4, D-095–D-096): the frame is read
 * from the port as before, signed with the host key and queued durably, then sent to the record
 * (`instruments.submitFrame`), which re-parses the bytes and stores value and bytes. If the
 * record does not answer, the capture stays queued (`queued` in the answer) and is written back
 * in order when it returns; a refusal is the record's typed error, as for a capture made there.
 */
export async function captureAtBench(
  parts: { captures: InstrumentCapture; registry: InstrumentRegistry; hooks: () => InstrumentsTestHooks },
  link: BenchLink,
  actor: Actor,
  locale: Locale,
  i: {
    instrumentId: string;
    resultId?: string | undefined;
    sampleCode?: string | undefined;
    replicateIndex: number;
    readingId?: string | undefined;
  },
): Promise<CaptureOut> {
  const r = parts.registry.row(i.instrumentId);
  // The early, clear refusal before the port is asked (the record decides again on the frame).
  const { focus, sampleCode } = parts.captures.target(r, i);
  const { frame, error } = await parts.captures.frameFor(r, i.readingId);
  await parts.hooks().afterFrame?.(r.id);
  const none = { capture: null, captures: [], unused: [], changed: [] };
  if (!frame) return { outcome: parts.captures.outcome(null, locale, error), ...none };
  const signed = link.queue.enqueue({
    instrumentId: r.id,
    port: parts.registry.connections.state(r.id).port,
    driver: r.driver,
    // When the frame's last byte arrived, on the workstation's clock.
    capturedAt: frame.receivedAt ?? link.now(),
    clock: link.clockSource(),
    tz: link.timeZone,
    by: actor.id,
    purpose: 'result',
    resultId: focus?.id ?? null,
    sampleCode: focus ? null : sampleCode,
    replicateIndex: i.replicateIndex,
    raw: b64(frame.raw),
  });
  await link.queue.flush(link.send);
  const seq = signed.body.seq;
  const answer = link.queue.answerFor(seq);
  if (!answer) {
    // Not answered: kept at the bench, signed, and written back when the record returns.
    return {
      outcome: parts.captures.outcome(frame, locale),
      ...none,
      queued: { seq, since: new Date(link.queue.linkDownSince ?? link.now()).toISOString() },
    };
  }
  if (answer.kind === 'refused') throw new AppErrorException(answer.error);
  if (answer.kind === 'unreachable') throw new Error('unreachable answers are never recorded');
  const got = answer.receipt as SubmitOut;
  return {
    outcome: got.outcome,
    capture: got.captures[0] ?? null,
    captures: got.captures,
    unused: got.unused,
    changed: got.changed,
  };
}
