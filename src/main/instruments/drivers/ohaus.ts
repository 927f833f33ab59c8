/**
 * Ohaus driver: ../shared/reference/reference-data.md §4.3.
 *
 * [S] commands are ASCII ended by CR or CRLF: IP immediate print, PSN serial number, Z zero,
 * T tare; an unrecognised command is answered 'ES'; output ends in CRLF.
 * [S] Navigator output `s dddddddd uuuuu ? A C Tare`: sign ('-' or blank), 8 characters of
 * digits with the decimal point, 5-char unit, '?' if unstable, check-weigh flag A/O/U, C centre
 * of zero, gross/net/tare indicator ('B/G', 'Net', 'Tare' on the cited Navigator manual page).
 * [S] simple format `*****192.21_g` (stable), `*******0.01_g_?` (unstable); the cited RS232
 * manual page notes that '*' and '_' stand for spaces. Both the spaces and the literal
 * characters are accepted here: every '*' and '_' is read as a space. Interval lines end in a time (`…_g_?_00:00:15`), and an
 * accumulation total (`…_g_TOTAL`) is not a reading: ignored, as is a 'Tare' printout.
 * [U] the answer to PSN (default: one line of 4–24 letters/digits): `serialPattern`.
 * [U] how an Ohaus balance reports overload/underload over RS-232 is not documented: no such
 * answer is recognised (a request then ends in 'timeout'). [U] 9600 8N1 defaults (2400–9600
 * depending on the model).
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
  type Driver,
  type Parsed,
} from './types';

export interface OhausOptions {
  /** Regex source with one capture group: the serial number in the answer to PSN. */
  serialPattern?: string;
}

const MAX_OHAUS = 48;
const READING_RE = /^(-)? *(\d+(?:\.\d+)?) +([A-Za-z%µ/]{1,5})((?: +\S+)*)$/;
const FLAG_RE = /^(\?|[AOUC]|B\/G|Net|NET|\d{2}:\d{2}:\d{2})$/;
const NOT_A_READING = ['Tare', 'TARE', 'TOTAL'];
const DEFAULT_SERIAL = /^\s*([A-Za-z0-9]{4,24})\s*$/;

export function parseOhaus(frame: Uint8Array): Parsed {
  if (frame.length > MAX_LINE) return garbage(frame);
  const text = latin1(frame);
  if (!isPrintable(text)) return garbage(frame, 'non-printable bytes in the answer');
  if (text.trim() === 'ES') return errorOf('syntax_error', 'the balance did not recognise the command (ES)');
  const t = text.replace(/[*_]/g, ' ').trim();
  if (t.length > MAX_OHAUS) return garbage(frame, `longer than ${MAX_OHAUS} characters`);
  const m = READING_RE.exec(t);
  if (!m) return garbage(frame);
  const flags = m[4]!.trim() === '' ? [] : m[4]!.trim().split(/ +/);
  if (flags.some((f) => NOT_A_READING.includes(f))) return { kind: 'ignore' };
  if (!flags.every((f) => FLAG_RE.test(f))) return garbage(frame, 'unknown flag in the answer');
  if (flags.filter((f) => f === '?').length > 1) return garbage(frame);
  const value = normalizeDecimal((m[1] ?? '') + m[2]!);
  if (value === null) return garbage(frame);
  return { kind: 'reading', value, unit: m[3]!, stable: !flags.includes('?') };
}

/** Reads the answer to PSN (call it only right after requestSerial()): 'serial', or what parseOhaus says. */
export function parseSerial(frame: Uint8Array, serialPattern: RegExp = DEFAULT_SERIAL): Parsed {
  if (frame.length <= MAX_LINE) {
    const text = latin1(frame);
    const serial = isPrintable(text) ? serialPattern.exec(text)?.[1]?.trim() : undefined;
    if (serial) return { kind: 'serial', serial };
  }
  return parseOhaus(frame);
}

export function createOhausDriver(options: OhausOptions = {}): Driver {
  const serialRe = options.serialPattern === undefined ? DEFAULT_SERIAL : new RegExp(options.serialPattern);
  return {
    id: 'ohaus',
    defaults: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none', lineEnding: 'crlf' },
    requestReading: () => bytes('IP\r\n'),
    requestSerial: () => bytes('PSN\r\n'),
    zero: () => bytes('Z\r\n'),
    tare: () => bytes('T\r\n'),
    framer: (lineEnding) => createLineFramer(MAX_LINE, lineEnding),
    parse: parseOhaus,
    parseSerial: (frame) => parseSerial(frame, serialRe),
  };
}

export const ohausDriver = createOhausDriver();
