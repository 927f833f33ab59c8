/**
 * Instrument protocol types and the byte helpers every driver shares (issue 10 §2; protocol
 * facts from ../shared/reference/reference-data.md §4). Pure TypeScript: no Node built-ins,
 * no serialport; bytes in (Uint8Array), values out as decimal strings, never JS numbers.
 * Error codes are those of ../shared/formats/README.md ("lotseal instrument read").
 */
export const readingErrors = [
  'overload',
  'underload',
  'unstable',
  'not_executable',
  'syntax_error',
  'transmission_error',
  'logical_error',
  'garbage',
  'timeout',
] as const;
export type ReadingError = (typeof readingErrors)[number];

export interface SerialSettings {
  baudRate: number;
  dataBits: 7 | 8;
  parity: 'none' | 'odd' | 'even';
  stopBits: 1 | 2;
  flowControl: 'none' | 'rtscts' | 'xonxoff';
  lineEnding: 'crlf' | 'cr' | 'lf';
}

export type Parsed =
  /** value: decimal string as sent, sign kept ('+' dropped), space/zero padding removed. */
  | { kind: 'reading'; value: string; unit: string; stable: boolean }
  /** detail: human-readable English of what the instrument said. */
  | { kind: 'error'; error: ReadingError; detail: string; raw?: Uint8Array | undefined }
  | { kind: 'serial'; serial: string }
  /** command: the command ID the instrument acknowledged ('Z', 'ZI', 'T', 'TI', 'TA', 'TAC'). */
  | { kind: 'ack'; command: string }
  /**
   * Print-format records: analyte → value (decimal string) and unit; the sample id and status
   * the record carries; `raw`: every line of the record as received (D-057).
   */
  | {
      kind: 'record';
      fields: Record<string, { value: string; unit: string }>;
      sampleId?: string | undefined;
      status?: string | undefined;
      raw?: Uint8Array | undefined;
    }
  | { kind: 'ignore' };

/** One framed line: its content (terminators excluded, what parsers read) and its bytes exactly as received. */
export interface FramedLine {
  bytes: Uint8Array;
  /**
   * Every byte received since the previous line ended, up to and including this line's
   * terminator: the concatenation of successive `raw` is the byte stream as received
   * (stray CR/LF between lines included), except the tail of an overlong line, which is
   * discarded (its `raw` is then its first MAX_LINE + 1 bytes).
   */
  raw: Uint8Array;
}

export interface Framer {
  /** Content of each completed line (terminators excluded). */
  push(chunk: Uint8Array): Uint8Array[];
  /** The same lines with their raw bytes (terminators included). */
  frames(chunk: Uint8Array): FramedLine[];
  /** bytes held */
  pending(): number;
  reset(): void;
}

export type DriverId = 'mt-sics' | 'sbi' | 'ohaus' | 'print';

export interface Driver {
  readonly id: DriverId;
  readonly defaults: SerialSettings;
  /** Bytes that request one reading now (immediate; stability is judged from the answer). */
  requestReading(): Uint8Array;
  requestSerial(): Uint8Array | null;
  zero(): Uint8Array | null;
  tare(): Uint8Array | null;
  /** A line framer; `lineEnding` is the instrument's configured one (CR LF: a CR waits for its LF). */
  framer(lineEnding?: SerialSettings['lineEnding']): Framer;
  /**
   * `raw`: the frame's bytes as received. A parser that assembles records over several lines
   * returns the record's raw bytes (all its lines, terminators included) with the record.
   */
  parse(frame: Uint8Array, raw?: Uint8Array): Parsed;
  /**
   * Parses the answer to requestSerial() where the serial-number answer cannot be told from
   * other lines without knowing it was asked for (SBI, Ohaus): 'serial', or what parse() says.
   * Absent when parse() already recognises serial answers (MT-SICS).
   */
  parseSerial?(frame: Uint8Array): Parsed;
}

/** Longest line a framer holds; a longer one is emitted once as an overlong frame. */
export const MAX_LINE = 256;

const CR = 0x0d;
const LF = 0x0a;

/**
 * Line framer: CR, LF and CRLF all terminate a line (a CRLF pair yields one line because the
 * empty line between CR and LF is dropped, so the content does not depend on where chunks
 * split). Content excludes terminators; `raw` keeps them (D-057): with `lineEnding` 'crlf' a
 * CR ends its line only with the byte after it (the LF is part of that line's raw), otherwise
 * a CR ends the line at once and a following LF starts the next line's raw. A line reaching
 * MAX_LINE + 1 bytes without a terminator is emitted once (length MAX_LINE + 1, which parsers
 * reject as garbage) and the rest of that line is discarded up to its terminator: memory
 * stays bounded by fixed buffers.
 */
export function createLineFramer(maxLine = MAX_LINE, lineEnding?: SerialSettings['lineEnding']): Framer {
  const buf = new Uint8Array(maxLine + 1);
  let len = 0;
  // Raw bytes of the line being received: stray terminators before it, its content, its terminator.
  const rawCap = 2 * maxLine;
  const rawBuf = new Uint8Array(rawCap + 1);
  let rawLen = 0;
  let discarding = false;
  /** A CR ended a line (crlf mode): emitted with the next byte, the LF included when it is one. */
  let heldCr = false;
  const addRaw = (b: number) => {
    if (rawLen < rawCap) rawBuf[rawLen++] = b;
  };
  const emit = (out: FramedLine[]) => {
    out.push({ bytes: buf.slice(0, len), raw: rawBuf.slice(0, rawLen) });
    len = 0;
    rawLen = 0;
  };
  const frames = (chunk: Uint8Array): FramedLine[] => {
    const out: FramedLine[] = [];
    for (const b of chunk) {
      if (heldCr) {
        heldCr = false;
        if (b === LF) {
          addRaw(b);
          emit(out);
          continue;
        }
        emit(out);
      }
      if (b === CR || b === LF) {
        discarding = false;
        addRaw(b);
        if (len === 0) continue;
        if (b === CR && lineEnding === 'crlf') heldCr = true;
        else emit(out);
        continue;
      }
      if (discarding) continue;
      buf[len++] = b;
      addRaw(b);
      if (len > maxLine) {
        out.push({ bytes: buf.slice(0, len), raw: buf.slice(0, len) });
        len = 0;
        rawLen = 0;
        discarding = true;
      }
    }
    return out;
  };
  return {
    frames,
    push: (chunk) => frames(chunk).map((f) => f.bytes),
    pending: () => (heldCr ? 0 : len),
    reset() {
      len = 0;
      rawLen = 0;
      heldCr = false;
      discarding = false;
    },
  };
}

/** ASCII/Latin-1 text to bytes (code points above 0xFF become '?'). */
export function bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = c > 0xff ? 0x3f : c;
  }
  return out;
}

/** Bytes to text, one character per byte (Latin-1: 0xB5 is 'µ'); never throws. */
export function latin1(frame: Uint8Array): string {
  let s = '';
  for (const b of frame) s += String.fromCharCode(b);
  return s;
}

/** Printable ASCII plus 'µ' (0xB5) and '°' (0xB0): the character set of balance answers. */
export function isPrintable(text: string): boolean {
  return /^[\x20-\x7e\xb0\xb5]*$/.test(text);
}

/**
 * A decimal as sent, normalised: '+' dropped, leading zeros of the integer part dropped (one
 * kept), fraction kept as sent (its trailing zeros are significant). null if not a decimal.
 */
export function normalizeDecimal(raw: string): string | null {
  const m = /^([-+]?)(\d+)(\.\d+)?$/.exec(raw);
  if (!m) return null;
  const int = m[2]!.replace(/^0+(?=\d)/, '');
  return (m[1] === '-' ? '-' : '') + int + (m[3] ?? '');
}

/** Units a balance may print: letters, %, µ, / (e.g. g, kg, mg, %, ct, ozt, /lb). */
export const UNIT_RE = /^[A-Za-z%µ/]+$/;

/** rec[key] for own keys only ('constructor', '__proto__' in a frame must not reach the prototype). */
export function own<T>(rec: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(rec, key) ? rec[key] : undefined;
}

export type ErrorParsed = Extract<Parsed, { kind: 'error' }>;

export function errorOf(error: ReadingError, detail: string, raw?: Uint8Array): ErrorParsed {
  return raw === undefined ? { kind: 'error', error, detail } : { kind: 'error', error, detail, raw };
}

/** A frame shown safely inside a message: control and high bytes escaped, at most 80 chars. */
export function showFrame(frame: Uint8Array): string {
  const s = latin1(frame.subarray(0, 80)).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return frame.length > 80 ? `${s}…` : s;
}

export function garbage(frame: Uint8Array, why = 'unrecognised answer'): ErrorParsed {
  if (frame.length > MAX_LINE) return errorOf('garbage', `line longer than ${MAX_LINE} bytes without a line ending`);
  return errorOf('garbage', `${why}: "${showFrame(frame)}"`);
}
