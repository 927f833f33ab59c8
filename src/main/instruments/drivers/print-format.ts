/**
 * Configurable print-format driver for instruments that print records instead of answering
 * commands (pH meters, Lactoscan milk analysers, Advanced Instruments cryoscopes):
 * ../shared/reference/reference-data.md §4.4–4.6. Their frame formats are mostly [U] there, so
 * each site configures record start/end and one regex per field from a real capture, checked
 * with testCapture() (the tester screen). Only the two formats the reference documents ship.
 *
 * Safety: patterns must compile, field patterns must have exactly one capture group (the
 * decimal value), and a quantified group may not contain a quantifier or alternation
 * ((a+)+, (a|a)*: exponential backtracking). Patterns only ever run on one line, and lines are
 * capped at 256 bytes and records at 64 lines, which bounds what remains (polynomial cases
 * such as many overlapping `.*` are slow but finite on 256 bytes).
 */
import { z } from 'zod';
import {
  bytes,
  createLineFramer,
  errorOf,
  garbage,
  latin1,
  MAX_LINE,
  normalizeDecimal,
  type Driver,
  type Parsed,
} from './types';

export const MAX_RECORD_LINES = 64;

/** True when a quantified group contains a quantifier or an alternation. */
function nestedQuantifier(src: string): boolean {
  const stack: boolean[] = [];
  let closedRisky = false;
  let afterGroup = false;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      i++;
      afterGroup = false;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') stack.push(false);
    else if (c === ')') {
      closedRisky = stack.pop() ?? false;
      if (closedRisky && stack.length > 0) stack[stack.length - 1] = true;
      afterGroup = true;
      continue;
    } else if (c === '*' || c === '+' || c === '{' || c === '|') {
      if (c !== '|' && afterGroup && closedRisky) return true;
      if (stack.length > 0) stack[stack.length - 1] = true;
    }
    afterGroup = false;
  }
  return false;
}

/** Why a pattern is refused, or null. `groups`: exactly this many capture groups, or at most. */
export function patternProblem(src: string, groups: { exactly?: number; atMost?: number }): string | null {
  let re: RegExp;
  try {
    re = new RegExp(src);
  } catch (e) {
    return `pattern does not compile: ${(e as Error).message}`;
  }
  const n = new RegExp(`${re.source}|`).exec('')!.length - 1;
  if (groups.exactly !== undefined && n !== groups.exactly)
    return `pattern must have exactly ${groups.exactly} capture group (it has ${n})`;
  if (groups.atMost !== undefined && n > groups.atMost)
    return `pattern may have at most ${groups.atMost} capture group (it has ${n})`;
  if (nestedQuantifier(src))
    return 'pattern repeats a group that itself repeats or alternates (catastrophic backtracking risk)';
  return null;
}

const pattern = (groups: { exactly?: number; atMost?: number }) =>
  z
    .string()
    .min(1)
    .max(200)
    .superRefine((s, ctx) => {
      const problem = patternProblem(s, groups);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

export const printConfigSchema = z.object({
  /** A line matching this starts a record (regex source). */
  recordStart: pattern({}).optional(),
  /** A line matching this ends a record (regex source). */
  recordEnd: pattern({}).optional(),
  /** A line matching this is the instrument reporting an error; group 1 (optional) is its text. */
  errorPattern: pattern({ atMost: 1 }).optional(),
  fields: z
    .array(
      z.object({
        analyte: z.string().trim().min(1).max(40),
        pattern: pattern({ exactly: 1 }),
        unit: z.string().max(20),
      }),
    )
    .min(1)
    .max(30)
    .refine((fs) => new Set(fs.map((f) => f.analyte)).size === fs.length, { message: 'each analyte may appear once' }),
  separator: z.literal('line').optional(),
});
export type PrintConfig = z.infer<typeof printConfigSchema>;
export type RecordFields = Record<string, { value: string; unit: string }>;

export interface PrintParser {
  /** One line (a frame, terminators excluded). */
  push(frame: Uint8Array): Parsed;
  /** Ends the open record (end of capture or idle line): needed when only recordStart is set. */
  flush(): Parsed;
  reset(): void;
}

function validated(config: unknown): PrintConfig {
  const r = printConfigSchema.safeParse(config);
  if (r.success) return r.data;
  throw new Error(
    `invalid print-format configuration: ${r.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ')}`,
  );
}

export function createPrintParser(config: unknown): PrintParser {
  const cfg = validated(config);
  const start = cfg.recordStart === undefined ? null : new RegExp(cfg.recordStart);
  const end = cfg.recordEnd === undefined ? null : new RegExp(cfg.recordEnd);
  const err = cfg.errorPattern === undefined ? null : new RegExp(cfg.errorPattern);
  const fields = cfg.fields.map((f) => ({ ...f, re: new RegExp(f.pattern) }));
  let open: string[] | null = null;

  function complete(lines: string[], lineMode: boolean): Parsed {
    // A Map: analyte names are configuration ('__proto__' must stay a name).
    const out = new Map<string, { value: string; unit: string }>();
    for (const line of lines) {
      for (const f of fields) {
        if (out.has(f.analyte)) continue;
        const m = f.re.exec(line);
        if (!m) continue;
        const value = normalizeDecimal((m[1] ?? '').trim());
        if (value === null)
          return errorOf('garbage', `${f.analyte}: "${(m[1] ?? '').slice(0, 40)}" is not a decimal number`);
        out.set(f.analyte, { value, unit: f.unit });
      }
    }
    const missing = fields.filter((f) => !out.has(f.analyte)).map((f) => f.analyte);
    if (lineMode && missing.length === fields.length) return { kind: 'ignore' };
    if (missing.length > 0) return errorOf('garbage', `record incomplete: no value for ${missing.join(', ')}`);
    return { kind: 'record', fields: Object.fromEntries(out) };
  }

  function flush(): Parsed {
    const lines = open;
    open = null;
    if (!lines || lines.length === 0) return { kind: 'ignore' };
    if (end && !end.test(lines[lines.length - 1]!))
      return errorOf('transmission_error', 'record incomplete: no end line');
    return complete(lines, false);
  }

  function push(frame: Uint8Array): Parsed {
    if (frame.length > MAX_LINE) {
      open = null;
      return garbage(frame);
    }
    const line = latin1(frame);
    const e = err?.exec(line);
    if (e) {
      open = null;
      return errorOf('not_executable', `the instrument reported an error: "${(e[1] ?? line).slice(0, 120)}"`);
    }
    if (!start && !end) return complete([line], true);
    if (start?.test(line)) {
      const prev = open;
      open = [line];
      if (end?.test(line)) return flush();
      if (prev && prev.length > 0) {
        return end
          ? errorOf('transmission_error', 'record incomplete: a new record started before its end')
          : complete(prev, false);
      }
      return { kind: 'ignore' };
    }
    if (open === null) {
      if (start) return { kind: 'ignore' };
      open = [];
    }
    open.push(line);
    if (open.length > MAX_RECORD_LINES) {
      open = null;
      return errorOf('garbage', `record longer than ${MAX_RECORD_LINES} lines`);
    }
    return end?.test(line) ? flush() : { kind: 'ignore' };
  }

  return {
    push,
    flush,
    reset() {
      open = null;
    },
  };
}

/** The tester screen: what `config` reads from pasted output `text` (errors numbered by line). */
export function testCapture(config: unknown, text: string): { records: RecordFields[]; errors: string[] } {
  const checked = printConfigSchema.safeParse(config);
  if (!checked.success)
    return { records: [], errors: checked.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`) };
  const parser = createPrintParser(checked.data);
  const records: RecordFields[] = [];
  const errors: string[] = [];
  const take = (r: Parsed, where: string) => {
    if (r.kind === 'record') records.push(r.fields);
    else if (r.kind === 'error') errors.push(`${where}: ${r.detail}`);
  };
  text.split(/\r\n|\r|\n/).forEach((line, i) => {
    if (line.length > 0) take(parser.push(bytes(line)), `line ${i + 1}`);
  });
  take(parser.flush(), 'end of text');
  return { records, errors };
}

/**
 * Advanced Instruments 3320 (§4.6, [S]): pipe-delimited records `C|yyyymmdd|hhmmss|…` and
 * error records `E|date|time|company|model|serial|sampleID|code|text`, each ending in CR LF.
 * [U] where the freezing point sits: the reference's example C record
 * (`C|20120510|112632|Advanced Instruments 3320|03090845A|…`) does not line up with the E
 * template's company|model|serial, so no field past the time can be placed with confidence.
 * Shipped: the record's date and time (to recognise a result line in the tester), and E records
 * as instrument errors. Add the freezing point on site from a captured record.
 */
export const ai3320Config: PrintConfig = {
  errorPattern: '^E\\|(.*)$',
  fields: [
    { analyte: 'record_date', pattern: '^C\\|(\\d{8})\\|\\d{6}\\|', unit: 'yyyymmdd' },
    { analyte: 'record_time', pattern: '^C\\|\\d{8}\\|(\\d{6})\\|', unit: 'hhmmss' },
  ],
};

const sper = (ph: string, t: string) =>
  `^p${ph}pH: ?m[-+]?\\d{1,4}\\.\\d{1,3}mV: ?T${t}C@\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}`;
const PH = '\\d{1,2}\\.\\d{1,3}';
const TEMP = '\\d{1,3}\\.\\d{1,2}';

/**
 * Generic Sper 850055 pH meter (§4.4, [S]): 9600 8N1, one line per second,
 * `pxx.xxpH: mxx.xxmV:Txxx.xC@yyyy-mm-dd hh:mm:ss LRC CRLF`. Each field pattern matches the
 * whole documented line shape, so a damaged line yields nothing. [U] 'p', 'm' and 'T' are
 * read as field labels (matching pH, mV and temperature), not as signs; because 'm' could be a
 * minus sign, the mV value is not shipped as a field (its sign is unverified). pH and
 * temperature carry no sign, as documented. [U] the digit counts are widened (pH 1–2.1–3,
 * mV signed 1–4 digits, temperature 1–3.1–2); the LRC is not checked (its algorithm is not
 * given).
 */
export const sper850055Config: PrintConfig = {
  fields: [
    { analyte: 'pH', pattern: sper(`(${PH})`, TEMP), unit: 'pH' },
    { analyte: 'temperature', pattern: sper(PH, `(${TEMP})`), unit: '°C' },
  ],
};

export const shippedPrintConfigs = { ai3320: ai3320Config, sper850055: sper850055Config } as const;

/**
 * A print-format Driver. parse() is stateful (records span lines): use one driver per
 * connection. Print-only instruments cannot be asked: requestReading() is an empty byte
 * array (nothing to send; a reading comes when the instrument prints), and there are no
 * serial, zero or tare commands. Without a configuration (`undefined`: only its defaults are
 * wanted, e.g. by the simulator) every line is 'ignore'; an invalid configuration throws.
 */
export function createPrintDriver(config?: unknown): Driver & { flush(): Parsed } {
  const ignore: Parsed = { kind: 'ignore' };
  const parser: Pick<PrintParser, 'push' | 'flush'> =
    config === undefined ? { push: () => ignore, flush: () => ignore } : createPrintParser(config);
  return {
    id: 'print',
    defaults: { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none', lineEnding: 'crlf' },
    requestReading: () => new Uint8Array(0),
    requestSerial: () => null,
    zero: () => null,
    tare: () => null,
    framer: () => createLineFramer(),
    parse: (frame) => parser.push(frame),
    flush: () => parser.flush(),
  };
}
