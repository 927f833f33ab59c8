/**
 * fast-check fuzzing of every instrument parser (issue 10 "Tests"): random bytes never throw,
 * and mutated valid frames never yield a value from an invalid frame. Each driver has a
 * reference validity predicate written from ../shared/reference/reference-data.md §4, apart
 * from the parser: parse(frame).kind === 'reading' ⇒ valid(frame).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMtSics } from '../../src/main/instruments/drivers/mt-sics';
import { parseOhaus, parseSerial as ohausSerial } from '../../src/main/instruments/drivers/ohaus';
import {
  ai3320Config,
  ai4250Config,
  createPrintParser,
  sper850055Config,
} from '../../src/main/instruments/drivers/print-format';
import { parseSbi, parseSerial as sbiSerial } from '../../src/main/instruments/drivers/sbi';
import { bytes, createLineFramer, latin1, readingErrors, type Parsed } from '../../src/main/instruments/drivers/types';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const SENT_DECIMAL = /^[-+]?\d+(\.\d+)?$/;
const printable = (s: string) => [...s].every((c) => (c >= ' ' && c <= '~') || c === 'µ');
const tokens = (s: string) => s.trim().split(/ +/);

// ---- reference validity predicates, from the spec --------------------------------------

/** §4.1: `S S|D value unit`, split on spaces. */
function mtReading(s: string): boolean {
  const t = tokens(s);
  return (
    printable(s) &&
    t.length === 4 &&
    t[0] === 'S' &&
    ['S', 'D'].includes(t[1]!) &&
    SENT_DECIMAL.test(t[2]!) &&
    /^[A-Za-z%µ/]+$/.test(t[3]!)
  );
}
function mtAck(s: string): boolean {
  const t = tokens(s);
  return printable(s) && ['Z', 'ZI', 'T', 'TI', 'TA', 'TAC'].includes(t[0]!) && ['A', 'S', 'D'].includes(t[1]!);
}

/** §4.2: [6-char ID N/G] + sign + spaces + value [+ space + unit ≤ 3], ≤ 22 visible characters. */
function sbiReading(s: string): boolean {
  const v = s.replace(/ +$/, '');
  if (!printable(v) || v.length > 22) return false;
  const block = (x: string) => {
    if (x.length === 0 || !'+- '.includes(x[0]!)) return false;
    const t = x.slice(1).trim().split(/ +/);
    return t.length <= 2 && SENT_DECIMAL.test(t[0]!) && (t.length === 1 || /^[A-Za-z%µ/]{1,3}$/.test(t[1]!));
  };
  const id = v.slice(0, 6).trim();
  return block(v) || (/^[A-Za-z]/.test(v) && ['N', 'G'].includes(id) && block(v.slice(6)));
}

/** §4.3: ['-'] digits unit [flags]; '*' and '_' stand for spaces. */
function ohausReading(s: string): boolean {
  if (!printable(s)) return false;
  const t = tokens(s.replace(/[*_]/g, ' ').trim().replace(/^- */, '-'));
  const flags = t.slice(2);
  return (
    t.length >= 2 &&
    /^-?\d+(\.\d+)?$/.test(t[0]!) &&
    /^[A-Za-z%µ/]{1,5}$/.test(t[1]!) &&
    flags.every((f) => ['?', 'A', 'O', 'U', 'C', 'B/G', 'Net', 'NET'].includes(f) || /^\d\d:\d\d:\d\d$/.test(f)) &&
    flags.filter((f) => f === '?').length <= 1
  );
}

/** §4.4 and §4.6: the documented line shapes. */
const sperLine = (s: string) =>
  /^[pP]\d{1,2}\.\d{1,3}pH: ?(?:m[-+]?\d{1,4}\.\d{1,3}mV: ?)?T\d{1,3}\.\d{1,2}[CF] ?(?:#\d{1,4} ?)?@ ?\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.test(
    s,
  );
const aiLine = (s: string) =>
  /^R\|\d{8}\|\d{6}\|(?:[^|]{0,60}\|){3}[^|]{0,40}\|-?\d{1,6}(?:\.\d{1,3})?\|mOsm\/kg/.test(s);
const cryoLine = (s: string) => /^Sample +[A-Za-z0-9-]{1,30} +-?\d{1,4}(?:\.\d{1,3})? ?m°[CH]/.test(s);

// ---- valid frames and their mutations ---------------------------------------------------

const digits = fc.stringMatching(/^\d{1,5}$/);
const decimal = fc
  .tuple(fc.constantFrom('', '-', '+'), digits, fc.option(digits, { nil: undefined }))
  .map(([s, i, f]) => `${s}${i}${f ? `.${f}` : ''}`);
const unit = fc.constantFrom('g', 'kg', 'mg', '%', 'ct', 'µg');

const mtFrame = fc
  .tuple(fc.constantFrom('S', 'D'), decimal, unit, fc.nat(6))
  .map(([st, v, u, pad]) => `S ${st} ${' '.repeat(pad)}${v} ${u}`);
const sbiFrame = fc
  .tuple(
    fc.constantFrom('N     ', 'G     ', ''),
    fc.constantFrom('+', '-', ' '),
    fc.stringMatching(/^\d{1,4}$/),
    fc.stringMatching(/^\d{1,3}$/),
    fc.constantFrom('g  ', 'kg ', 'mg ', '   '),
  )
  .map(([id, s, i, f, u]) => `${id}${s} ${`${i}.${f}`.padStart(8)} ${u}`);
const ohausFrame = fc
  .tuple(
    fc.boolean(),
    digits,
    digits,
    fc.constantFrom('g', 'kg', 'ct'),
    fc.constantFrom('', ' ?', ' ?  A C Net', '   B/G'),
    fc.boolean(),
  )
  .map(([neg, i, f, u, flags, stars]) => {
    const line = `${neg ? '-' : ' '} ${`${i}.${f}`.padStart(8)} ${u.padEnd(5)}${flags}`;
    return stars ? line.replace(/ /g, (_, at: number) => (at < 2 ? '*' : '_')) : line;
  });
const sperFrame = fc
  .tuple(digits, digits, digits)
  .map(
    ([a, b, c]) =>
      `p${a.slice(0, 2)}.${b.slice(0, 2).padEnd(2, '0')}pH: m${c.slice(0, 3)}.12mV:T025.${a[0]}C@2024-05-01 10:00:00 ?`,
  );
const aiFrame = fc
  .tuple(fc.stringMatching(/^\d{8}$/), fc.stringMatching(/^\d{6}$/), fc.stringMatching(/^[A-Z0-9]{0,20}$/), digits)
  .map(([d, t, id, v]) => `R|${d}|${t}|Advanced Instruments Inc.|3320|03090845A|${id}|${v}|mOsm/kg`);
const cryoFrame = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/), digits, fc.constantFrom('m°C', 'm°H'))
  .map(([id, v, u]) => `Sample ${id}  -${v.slice(0, 3)} ${u}`);

const interesting = fc.oneof(
  fc.integer({ min: 0, max: 255 }),
  fc.constantFrom(...[...'0123456789.-+ ?*_|"SDgN:'].map((c) => c.charCodeAt(0))),
);
type Mutation = { op: 'flip' | 'insert' | 'delete'; at: number; byte: number };
const mutations = fc.array(
  fc.record({ op: fc.constantFrom('flip', 'insert', 'delete'), at: fc.nat(), byte: interesting }),
  { minLength: 1, maxLength: 3 },
);

function mutate(s: string, ms: Mutation[]): Uint8Array {
  const a = [...bytes(s)];
  for (const m of ms) {
    const at = a.length === 0 ? 0 : m.at % (a.length + (m.op === 'insert' ? 1 : 0));
    if (m.op === 'flip' && a.length > 0) a[at] = m.byte;
    else if (m.op === 'insert') a.splice(at, 0, m.byte);
    else if (a.length > 0) a.splice(at, 1);
  }
  return Uint8Array.from(a);
}

/** Invariants of any Parsed, whatever the input. */
function wellFormed(p: Parsed): void {
  if (p.kind === 'reading') {
    expect(p.value).toMatch(DECIMAL);
    expect(typeof p.stable).toBe('boolean');
  } else if (p.kind === 'error') {
    expect(readingErrors).toContain(p.error);
    expect(p.detail.length).toBeGreaterThan(0);
  } else if (p.kind === 'record') {
    for (const f of Object.values(p.fields)) expect(f.value).toMatch(DECIMAL);
  } else if (p.kind === 'serial') {
    expect(p.serial.length).toBeGreaterThan(0);
  }
}

interface Case {
  name: string;
  parse: (f: Uint8Array) => Parsed;
  frames: fc.Arbitrary<string>;
  /** parse(frame) may yield `kind` only when this holds of the frame's text. */
  valid: Partial<Record<Parsed['kind'], (s: string) => boolean>>;
}

const sper = () => createPrintParser(sper850055Config);
const ai = () => createPrintParser(ai3320Config);
const cryo = () => createPrintParser(ai4250Config);
const cases: Case[] = [
  {
    name: 'mt-sics',
    parse: parseMtSics,
    frames: mtFrame,
    valid: { reading: mtReading, ack: mtAck, serial: (s) => /^\s*I4 +A +"[^"]+"\s*$/.test(s) },
  },
  {
    name: 'sbi',
    parse: parseSbi,
    frames: sbiFrame,
    valid: { reading: sbiReading, ignore: (s) => /^[A-Za-z]/.test(s) },
  },
  {
    name: 'sbi serial',
    parse: (f) => sbiSerial(f),
    frames: fc.stringMatching(/^[A-Z0-9]{6,16}$/),
    valid: {
      reading: sbiReading,
      ignore: (s) => /^[A-Za-z]/.test(s),
      serial: (s) => /^\s*[A-Za-z0-9]{6,16}\s*$/.test(s),
    },
  },
  {
    name: 'ohaus',
    parse: parseOhaus,
    frames: ohausFrame,
    valid: { reading: ohausReading, ignore: (s) => /Tare|TARE|TOTAL/.test(s) },
  },
  {
    name: 'ohaus serial',
    parse: (f) => ohausSerial(f),
    frames: fc.stringMatching(/^[A-Z0-9]{4,24}$/),
    valid: { reading: ohausReading, serial: (s) => /^\s*[A-Za-z0-9]{4,24}\s*$/.test(s) },
  },
  {
    name: 'print sper850055',
    parse: (f) => sper().push(f),
    frames: sperFrame,
    valid: { record: sperLine, ignore: () => true },
  },
  { name: 'print ai3320', parse: (f) => ai().push(f), frames: aiFrame, valid: { record: aiLine, ignore: () => true } },
  {
    name: 'print ai4250 (template)',
    parse: (f) => cryo().push(f),
    frames: cryoFrame,
    valid: { record: cryoLine, ignore: () => true },
  },
];

describe.each(cases)('$name parser', ({ parse, frames, valid }) => {
  const check = (frame: Uint8Array) => {
    const p = parse(frame);
    wellFormed(p);
    if (p.kind !== 'error') {
      const ok = valid[p.kind];
      // Asserted where the predicate refuses: the same failures, with the frame in the message,
      // without building that message for each of the ~8,000 frames that pass.
      if (!ok?.(latin1(frame))) {
        expect(ok, `${p.kind} from ${JSON.stringify(latin1(frame))}`).toBeDefined();
        expect(ok!(latin1(frame)), `${p.kind} from an invalid frame ${JSON.stringify(latin1(frame))}`).toBe(true);
      }
    }
    return p;
  };

  it('parses its valid frames to a value', () => {
    fc.assert(
      fc.property(frames, (s) => {
        expect(['reading', 'record', 'serial', 'ignore']).toContain(check(bytes(s)).kind);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on random bytes, and never reads a value from them unless the frame is valid', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (raw) => {
        check(raw);
      }),
      { numRuns: 500 },
    );
  });

  it('mutated valid frames: a well-formed value from a valid frame, or error/ignore', () => {
    fc.assert(
      fc.property(frames, mutations, (s, ms) => {
        check(mutate(s, ms));
      }),
      { numRuns: 1000 },
    );
  });

  it('random byte streams through the framer never throw', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 400 }), { maxLength: 5 }), (chunks) => {
        const f = createLineFramer();
        for (const c of chunks) for (const frame of f.push(c)) check(frame);
      }),
      { numRuns: 200 },
    );
  });
});
