/**
 * Sartorius SBI driver: ../shared/reference/reference-data.md §4.2 (xBPI not covered).
 *
 * [S] commands are ESC + command + CR LF: P print/send value, x2_ serial number, V zero only,
 * T tare/zero (what the balance's own key does; U would be tare only).
 * [S] output is a 16-char block (sign '+'/'-'/space, value right-aligned with spaces, space,
 * unit of up to 3 characters; NO unit = unstable) or 22 chars: a 6-char ID code ('N     ',
 * 'G     ', 'T     ', 'Stat  ') then the block. Messages: High/H overload, Low/L underload,
 * Cal, 'Err ###' ('Stat     ERR ###') and '--' (no value).
 * [U] exact widths: Sartorius manual pages outside the reference count CR LF in the "16 or 22
 * characters" (14/20 visible), while the reference's example `N     +    3.4253 g  ` has 21
 * visible: the parser accepts any padding up to 22 visible characters. [U] which ID codes are a weight to capture
 * (default N and G, plus no ID; 'T' is a tare value, ignored): `readingIds`. [U] the serial
 * answer's shape (default: one line of 6–16 letters/digits): `serialPattern`. [U] 'C' alone
 * for calibration, and any other 'Stat' line read as "not executable". [U] 9600 7O1 defaults.
 */
import {
  bytes,
  createLineFramer,
  errorOf,
  garbage,
  isPrintable,
  latin1,
  MAX_LINE,
  normalizeDecimal,
  own,
  type Driver,
  type Parsed,
  type ReadingError,
} from './types';

export interface SbiOptions {
  /** ID codes (trimmed) whose value is a weight; '' is the 16-char format without ID. */
  readingIds?: readonly string[];
  /** Regex source with one capture group: the serial number in the answer to ESC x2_. */
  serialPattern?: string;
}

const ESC = '\x1b';
const ID = '(?:([A-Za-z][A-Za-z0-9. ]{5}))?';
const READING_RE = new RegExp(`^${ID}([+\\- ]) *(\\d+(?:\\.\\d+)?)(?: +([A-Za-z%µ/]{1,3}))? *$`);
const MESSAGE_RE = new RegExp(`^${ID} *[+-]? *(High|H|Low|L|Cal|C|--) *$`);
const ERR_RE = new RegExp(`^${ID} *(?:Err|ERR) *(\\d{1,4}) *$`);
const MAX_SBI = 22;

const messages: Record<string, [ReadingError, string]> = {
  High: ['overload', 'overload: the load is above the weighing range (High)'],
  H: ['overload', 'overload: the load is above the weighing range (H)'],
  Low: ['underload', 'underload: the load is below the weighing range (Low)'],
  L: ['underload', 'underload: the load is below the weighing range (L)'],
  Cal: ['not_executable', 'calibration/adjustment in progress (Cal)'],
  C: ['not_executable', 'calibration/adjustment in progress (C)'],
  '--': ['not_executable', 'no value available (--)'],
};

export function parseSbi(frame: Uint8Array, readingIds: readonly string[] = ['', 'N', 'G']): Parsed {
  if (frame.length > MAX_LINE) return garbage(frame);
  const text = latin1(frame);
  if (!isPrintable(text)) return garbage(frame, 'non-printable bytes in the answer');
  const t = text.trimEnd();
  if (t.length > MAX_SBI) return garbage(frame, `longer than ${MAX_SBI} characters`);
  if (t.trim() === '') return errorOf('not_executable', 'blank answer: the balance shows no value');
  const r = READING_RE.exec(t);
  if (r) {
    if (!readingIds.includes((r[1] ?? '').trim())) return { kind: 'ignore' };
    const value = normalizeDecimal((r[2] === '-' ? '-' : '') + r[3]!);
    if (value === null) return garbage(frame);
    return { kind: 'reading', value, unit: r[4] ?? '', stable: r[4] !== undefined };
  }
  const msg = MESSAGE_RE.exec(t);
  const known = msg ? own(messages, msg[2]!) : undefined;
  if (known) return errorOf(known[0], known[1]);
  const err = ERR_RE.exec(t);
  if (err) return errorOf('logical_error', `balance error ${err[2]} (see the balance manual's error list)`);
  if (t.startsWith('Stat')) return errorOf('not_executable', `balance status: "${t.slice(6).trim()}"`);
  return garbage(frame);
}

const DEFAULT_SERIAL = /^\s*([A-Za-z0-9]{6,16})\s*$/;

/** Reads the answer to ESC x2_ (call it only right after requestSerial()): 'serial', or what parseSbi says. */
export function parseSerial(frame: Uint8Array, serialPattern: RegExp = DEFAULT_SERIAL): Parsed {
  if (frame.length <= MAX_LINE) {
    const text = latin1(frame);
    const serial = isPrintable(text) ? serialPattern.exec(text)?.[1]?.trim() : undefined;
    if (serial) return { kind: 'serial', serial };
  }
  return parseSbi(frame);
}

export function createSbiDriver(options: SbiOptions = {}): Driver {
  const ids = options.readingIds ?? ['', 'N', 'G'];
  const serialRe = options.serialPattern === undefined ? DEFAULT_SERIAL : new RegExp(options.serialPattern);
  return {
    id: 'sbi',
    defaults: { baudRate: 9600, dataBits: 7, parity: 'odd', stopBits: 1, flowControl: 'none', lineEnding: 'crlf' },
    requestReading: () => bytes(`${ESC}P\r\n`),
    requestSerial: () => bytes(`${ESC}x2_\r\n`),
    zero: () => bytes(`${ESC}V\r\n`),
    tare: () => bytes(`${ESC}T\r\n`),
    framer: (lineEnding) => createLineFramer(MAX_LINE, lineEnding),
    parse: (frame) => parseSbi(frame, ids),
    parseSerial: (frame) => parseSerial(frame, serialRe),
  };
}

export const sbiDriver = createSbiDriver();
