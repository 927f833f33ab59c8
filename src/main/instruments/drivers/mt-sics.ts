/**
 * Mettler-Toledo MT-SICS driver (balances and the HB43-S moisture analyser, which speaks
 * MT-SICS levels 0–3 and may answer in '%'): ../shared/reference/reference-data.md §4.1.
 *
 * [S] 9600 8N1, no handshake, CRLF; commands SI (immediate weight), I4 (serial number), Z, T;
 * answers split on spaces: ID, status (S stable, D dynamic, I, L, +, -, A), value, unit;
 * 'S I' not executable, 'S +' overload, 'S -' underload, 'S L' / 'EL' logical error, 'ES'
 * syntax error, 'ET' transmission error; I4 answers `I4 A "0123456789"` (quotes stripped).
 * [U] the exact texts of the zero/tare answers ('Z A', 'T S   100.00 g', 'TA A …', 'TAC A')
 * and the I / + / - / L statuses on Z and T, which are read by analogy with 'S'.
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
  UNIT_RE,
  type Driver,
  type Parsed,
  type ReadingError,
} from './types';

const statusErrors: Record<string, [ReadingError, string]> = {
  I: ['not_executable', 'command not executable now (busy, e.g. taring, or stability not reached in time)'],
  '+': ['overload', 'overload: the load is above the weighing range'],
  '-': ['underload', 'underload: the load is below the weighing range (e.g. pan missing)'],
  L: ['logical_error', 'logical error (e.g. parameter not allowed)'],
};

const lineErrors: Record<string, [ReadingError, string]> = {
  ES: ['syntax_error', 'syntax error: the instrument did not recognise the command (ES)'],
  ET: ['transmission_error', 'transmission error: parity error or line too long (ET)'],
  EL: ['logical_error', 'logical error: parameter not allowed (EL)'],
};

/** What each acknowledgeable command answers when done: its status letters and whether a weight follows. */
const acks: Record<string, { ok: string[]; weight: boolean; what: string }> = {
  Z: { ok: ['A'], weight: false, what: 'zero' },
  ZI: { ok: ['A', 'D'], weight: false, what: 'zero' },
  T: { ok: ['S'], weight: true, what: 'tare' },
  TI: { ok: ['S', 'D'], weight: true, what: 'tare' },
  TA: { ok: ['A'], weight: true, what: 'tare value' },
  TAC: { ok: ['A'], weight: false, what: 'clear tare' },
};

function weight(tokens: string[]): { value: string; unit: string } | null {
  if (tokens.length !== 2) return null;
  const value = normalizeDecimal(tokens[0]!);
  const unit = tokens[1]!;
  return value !== null && UNIT_RE.test(unit) ? { value, unit } : null;
}

export function parseMtSics(frame: Uint8Array): Parsed {
  if (frame.length > MAX_LINE) return garbage(frame);
  const text = latin1(frame);
  if (!isPrintable(text)) return garbage(frame, 'non-printable bytes in the answer');
  const t = text.trim();
  const tokens = t.split(/ +/);
  const [id = '', status = '', ...rest] = tokens;
  if (tokens.length === 1) {
    const e = own(lineErrors, id);
    return e ? errorOf(e[0], e[1]) : garbage(frame);
  }
  if (id === 'I4') {
    const m = /^I4 +A +"([^"]{1,40})"$/.exec(t);
    const serial = m?.[1]!.trim();
    if (serial) return { kind: 'serial', serial };
    if (status === 'I' && rest.length === 0) return errorOf('not_executable', 'serial number not available now (I4 I)');
    return garbage(frame);
  }
  const err = own(statusErrors, status);
  const ack = own(acks, id);
  if (err && rest.length === 0 && (id === 'S' || ack)) {
    const what = ack ? `${ack.what}: ` : '';
    return errorOf(err[0], `${what}${err[1]} (${id} ${status})`);
  }
  if (id === 'S' && (status === 'S' || status === 'D')) {
    const w = weight(rest);
    return w ? { kind: 'reading', value: w.value, unit: w.unit, stable: status === 'S' } : garbage(frame);
  }
  if (ack && ack.ok.includes(status) && (ack.weight ? weight(rest) !== null : rest.length === 0)) {
    return { kind: 'ack', command: id };
  }
  return garbage(frame);
}

export const mtSicsDriver: Driver = {
  id: 'mt-sics',
  defaults: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none', lineEnding: 'crlf' },
  requestReading: () => bytes('SI\r\n'),
  requestSerial: () => bytes('I4\r\n'),
  zero: () => bytes('Z\r\n'),
  tare: () => bytes('T\r\n'),
  framer: (lineEnding) => createLineFramer(MAX_LINE, lineEnding),
  parse: parseMtSics,
};
