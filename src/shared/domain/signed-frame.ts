/**
 * A capture as a signed raw frame (issue 23 §4, D-095). The workstation at the bench signs the
 * bytes an instrument sent, exactly as received, with what it knows about them: the instrument,
 * the port, the driver, its own clock and where that clock comes from, who captured and into
 * what, and a sequence number of its own. The record re-parses the bytes with the same pure
 * driver: what is stored comes from the bytes, never from a value the workstation says it read.
 *
 * The signed bytes are the UTF-8 of the RFC 8785 (JCS) canonical JSON of the frame's body. The
 * body is flat and holds only strings, safe integers and null, so its canonical form is its keys
 * in code-unit order with values as JSON.stringify writes them (an independent verifier can
 * rebuild it with any JCS implementation). `v` separates this use of a host key from every other
 * (checkpoints, site-server authentication).
 */
export const FRAME_FORMAT = 'lotseal-frame-1' as const;

export interface FrameBody {
  v: typeof FRAME_FORMAT;
  /** The host key id (first 16 hex digits of its fingerprint) that signs. */
  key: string;
  /** The workstation, e.g. `desktop@LAB-PC-01`. */
  host: string;
  /** Per workstation key, from 1, gapless as the workstation issues them. */
  seq: number;
  instrumentId: string;
  /** The port the bytes came through (COM3, /dev/ttyUSB0), as the workstation opened it. */
  port: string | null;
  /** The driver the workstation framed and parsed with (mt-sics, sbi, ohaus, print). */
  driver: 'mt-sics' | 'sbi' | 'ohaus' | 'print';
  /** The workstation's clock when the frame's last byte arrived (ms since the epoch, UTC). */
  capturedAt: number;
  /** Where that clock comes from (e.g. `ntp-synchronized`, `unsynchronized`, `unknown`). */
  clock: string;
  /** The workstation's IANA time zone. */
  tz: string;
  /** The user signed in at the bench who asked for the capture. */
  by: string;
  /**
   * `result`: a reading into a result (or a record into a sample's results); `check`: a reading
   * for a daily check point (D-109), with no result, sample or replicate (null, null, 0).
   */
  purpose: 'result' | 'check';
  resultId: string | null;
  sampleCode: string | null;
  replicateIndex: number;
  /** base64 of the bytes exactly as received (terminators included, D-057). */
  raw: string;
}

export interface SignedFrame {
  body: FrameBody;
  /** base64 Ed25519 signature by the host key over frameMessage(body). */
  signature: string;
}

/** The canonical text a frame's signature covers (JCS of the flat body). */
export function frameMessage(body: FrameBody): string {
  const keys = Object.keys(body).sort();
  const rec = body as unknown as Record<string, string | number | null>;
  return `{${keys.map((k) => `${JSON.stringify(k)}:${rec[k] === null ? 'null' : JSON.stringify(rec[k])}`).join(',')}}`;
}

/** The record id of a frame: one per host key and sequence number (a second submission writes nothing). */
export function frameRecordId(body: Pick<FrameBody, 'key' | 'seq'>): string {
  return `frame-${body.key}-${body.seq}`;
}

/**
 * How long the record did not hear of a frame: received − captured (ms), never negative.
 * A workstation clock ahead of the record's reads as no gap (and is named by its clock source).
 */
export function frameGapMs(capturedAt: number, receivedAt: number): number {
  return Math.max(0, receivedAt - capturedAt);
}

/** A duration for an audit reason: `3 h 02 min 05 s`, `4 min 10 s`, `12 s`, `0.4 s`. */
export function formatGap(ms: number): string {
  if (ms < 1000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (h) return `${h} h ${two(m)} min ${two(sec)} s`;
  if (m) return `${m} min ${two(sec)} s`;
  return `${sec} s`;
}
