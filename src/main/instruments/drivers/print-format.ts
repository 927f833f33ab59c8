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
import { ai3320, ai4250, lactoscanSa, sper850055, type ShippedFormatId } from '../../../shared/domain/print-formats';
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

/** What a field of a record is (D-057): a measured value, the sample's id, the measuring temperature, or a status. */
export const fieldRoles = ['value', 'sample_id', 'temperature', 'status'] as const;
export type FieldRole = (typeof fieldRoles)[number];

/** Result item codes as specifications write them. */
const itemCode = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,59}$/, { message: 'item_code_format' });

export const printFieldSchema = z
  .object({
    analyte: z.string().trim().min(1).max(40),
    pattern: pattern({ exactly: 1 }),
    unit: z.string().max(20),
    /** Default 'value' (a decimal). `sample_id` and `status` capture text. */
    role: z.enum(fieldRoles).optional(),
    /** The result item this value fills (value and temperature fields), e.g. `fat`. */
    item: itemCode.optional(),
    /** The record is complete without this field (e.g. one of two scales a cryoscope may print). */
    optional: z.boolean().optional(),
    /** status fields: a status matching this is good; any other refuses the record. */
    okPattern: pattern({}).optional(),
  })
  .superRefine((f, ctx) => {
    const role = f.role ?? 'value';
    if (f.item && (role === 'sample_id' || role === 'status'))
      ctx.addIssue({ code: 'custom', path: ['item'], message: 'only value and temperature fields fill result items' });
    if (role === 'status' && !f.okPattern)
      ctx.addIssue({
        code: 'custom',
        path: ['okPattern'],
        message: 'a status field needs the pattern of a good status',
      });
    if (role !== 'status' && f.okPattern)
      ctx.addIssue({ code: 'custom', path: ['okPattern'], message: 'only status fields have a good-status pattern' });
  });

export const printConfigSchema = z
  .object({
    /** A line matching this starts a record (regex source). */
    recordStart: pattern({}).optional(),
    /** A line matching this ends a record (regex source). */
    recordEnd: pattern({}).optional(),
    /** A line matching this is the instrument reporting an error; group 1 (optional) is its text. */
    errorPattern: pattern({ atMost: 1 }).optional(),
    fields: z
      .array(printFieldSchema)
      .min(1)
      .max(30)
      .refine((fs) => new Set(fs.map((f) => f.analyte)).size === fs.length, {
        message: 'each analyte may appear once',
      })
      .refine((fs) => fs.filter((f) => f.role === 'sample_id').length <= 1, {
        message: 'at most one sample id field',
      }),
    /** The record's sample id must be the code of the sample it is captured into. */
    checkSampleId: z.boolean().optional(),
    separator: z.literal('line').optional(),
  })
  .refine((c) => !c.checkSampleId || c.fields.some((f) => f.role === 'sample_id'), {
    message: 'checking the sample id needs a sample id field',
    path: ['checkSampleId'],
  });
export type PrintConfig = z.infer<typeof printConfigSchema>;
export type PrintField = z.infer<typeof printFieldSchema>;
export type RecordFields = Record<string, { value: string; unit: string }>;

export interface PrintParser {
  /** One line (a frame, terminators excluded; `raw`: its bytes as received). */
  push(frame: Uint8Array, raw?: Uint8Array): Parsed;
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

const TEXT_RE = /^[\x20-\x7e\xb0\xb5]{1,40}$/;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function createPrintParser(config: unknown): PrintParser {
  const cfg = validated(config);
  const start = cfg.recordStart === undefined ? null : new RegExp(cfg.recordStart);
  const end = cfg.recordEnd === undefined ? null : new RegExp(cfg.recordEnd);
  const err = cfg.errorPattern === undefined ? null : new RegExp(cfg.errorPattern);
  const fields = cfg.fields.map((f) => ({
    ...f,
    role: f.role ?? 'value',
    re: new RegExp(f.pattern),
    ok: f.okPattern === undefined ? null : new RegExp(f.okPattern),
  }));
  const required = fields.filter((f) => !f.optional);
  let open: string[] | null = null;
  let openRaw: Uint8Array[] = [];

  function complete(lines: string[], raws: Uint8Array[], lineMode: boolean): Parsed {
    const raw = raws.length ? concat(raws) : undefined;
    // A Map: analyte names are configuration ('__proto__' must stay a name).
    const out = new Map<string, { value: string; unit: string }>();
    const texts = new Map<string, string>();
    for (const line of lines) {
      for (const f of fields) {
        if (out.has(f.analyte) || texts.has(f.analyte)) continue;
        const m = f.re.exec(line);
        if (!m) continue;
        const got = (m[1] ?? '').trim();
        if (f.role === 'sample_id' || f.role === 'status') {
          // An empty sample id ("if any", AI 3320) is no sample id.
          if (got === '') continue;
          if (!TEXT_RE.test(got))
            return errorOf('garbage', `${f.analyte}: "${got.slice(0, 40)}" is not a readable text`, raw);
          texts.set(f.analyte, got);
          continue;
        }
        const value = normalizeDecimal(got);
        if (value === null)
          return errorOf('garbage', `${f.analyte}: "${got.slice(0, 40)}" is not a decimal number`, raw);
        out.set(f.analyte, { value, unit: f.unit });
      }
    }
    const found = (f: (typeof fields)[number]) => out.has(f.analyte) || texts.has(f.analyte);
    if (lineMode && !fields.some(found)) return { kind: 'ignore' };
    const missing = required.filter((f) => !found(f)).map((f) => f.analyte);
    if (missing.length > 0) return errorOf('garbage', `record incomplete: no value for ${missing.join(', ')}`, raw);
    if (!fields.some((f) => (f.role === 'value' || f.role === 'temperature') && out.has(f.analyte)))
      return errorOf('garbage', 'record incomplete: no value in it', raw);
    let status: string | undefined;
    for (const f of fields) {
      if (f.role !== 'status' || !texts.has(f.analyte)) continue;
      status = texts.get(f.analyte)!;
      if (!f.ok!.test(status))
        return errorOf('not_executable', `the instrument marked the record "${status}" (${f.analyte})`, raw);
    }
    const sid = fields.find((f) => f.role === 'sample_id' && texts.has(f.analyte));
    return {
      kind: 'record',
      fields: Object.fromEntries(out),
      sampleId: sid ? texts.get(sid.analyte) : undefined,
      status,
      raw,
    };
  }

  function flush(): Parsed {
    const lines = open;
    const raws = openRaw;
    open = null;
    openRaw = [];
    if (!lines || lines.length === 0) return { kind: 'ignore' };
    if (end && !end.test(lines[lines.length - 1]!))
      return errorOf('transmission_error', 'record incomplete: no end line', concat(raws));
    return complete(lines, raws, false);
  }

  function push(frame: Uint8Array, raw: Uint8Array = frame): Parsed {
    if (frame.length > MAX_LINE) {
      open = null;
      openRaw = [];
      return { ...garbage(frame), raw };
    }
    const line = latin1(frame);
    const e = err?.exec(line);
    if (e) {
      open = null;
      openRaw = [];
      return {
        ...errorOf('not_executable', `the instrument reported an error: "${(e[1] ?? line).slice(0, 120)}"`),
        raw,
      };
    }
    if (!start && !end) return complete([line], [raw], true);
    if (start?.test(line)) {
      const prev = open;
      const prevRaw = openRaw;
      open = [line];
      openRaw = [raw];
      if (end?.test(line)) return flush();
      if (prev && prev.length > 0) {
        return end
          ? {
              ...errorOf('transmission_error', 'record incomplete: a new record started before its end'),
              raw: concat(prevRaw),
            }
          : complete(prev, prevRaw, false);
      }
      return { kind: 'ignore' };
    }
    if (open === null) {
      if (start) return { kind: 'ignore' };
      open = [];
      openRaw = [];
    }
    open.push(line);
    openRaw.push(raw);
    if (open.length > MAX_RECORD_LINES) {
      const raws = openRaw;
      open = null;
      openRaw = [];
      return errorOf('garbage', `record longer than ${MAX_RECORD_LINES} lines`, concat(raws));
    }
    return end?.test(line) ? flush() : { kind: 'ignore' };
  }

  return {
    push,
    flush,
    reset() {
      open = null;
      openRaw = [];
    },
  };
}

/** One record the tester read: its values, and the sample id and status it carries. */
export interface TestedRecord {
  fields: RecordFields;
  sampleId: string | null;
  status: string | null;
}

/** The tester screen: what `config` reads from pasted output `text` (errors numbered by line). */
export function testCapture(config: unknown, text: string): { records: TestedRecord[]; errors: string[] } {
  const checked = printConfigSchema.safeParse(config);
  if (!checked.success)
    return { records: [], errors: checked.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`) };
  const parser = createPrintParser(checked.data);
  const records: TestedRecord[] = [];
  const errors: string[] = [];
  const take = (r: Parsed, where: string) => {
    if (r.kind === 'record') records.push({ fields: r.fields, sampleId: r.sampleId ?? null, status: r.status ?? null });
    else if (r.kind === 'error') errors.push(`${where}: ${r.detail}`);
  };
  text.split(/\r\n|\r|\n/).forEach((line, i) => {
    if (line.length > 0) take(parser.push(bytes(line)), `line ${i + 1}`);
  });
  take(parser.flush(), 'end of text');
  return { records, errors };
}

/** The shipped configurations (src/shared/domain/print-formats.ts; docs/instrument-formats.md). */
export const ai3320Config: PrintConfig = ai3320.config as PrintConfig;
export const sper850055Config: PrintConfig = sper850055.config as PrintConfig;
export const ai4250Config: PrintConfig = ai4250.config as PrintConfig;
export const lactoscanSaConfig: PrintConfig = lactoscanSa.config as PrintConfig;
export const shippedPrintConfigs: Record<ShippedFormatId, PrintConfig> = {
  'sper-850055': sper850055Config,
  'ai-3320': ai3320Config,
  'ai-4250': ai4250Config,
  'lactoscan-sa': lactoscanSaConfig,
};

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
    framer: (lineEnding) => createLineFramer(MAX_LINE, lineEnding),
    parse: (frame, raw) => parser.push(frame, raw),
    flush: () => parser.flush(),
  };
}
