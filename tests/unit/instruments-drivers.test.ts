/**
 * Instrument drivers against the frames documented in ../shared/reference/reference-data.md §4
 * (issue 10 "Tests": parser unit tests from the documented frames), and the line framer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { driverFor, drivers } from '../../src/main/instruments/drivers';
import { parseMtSics } from '../../src/main/instruments/drivers/mt-sics';
import { parseOhaus, parseSerial as ohausSerial } from '../../src/main/instruments/drivers/ohaus';
import {
  ai3320Config,
  createPrintDriver,
  createPrintParser,
  lactoscanSaConfig,
  printConfigSchema,
  shippedPrintConfigs,
  sper850055Config,
  testCapture,
} from '../../src/main/instruments/drivers/print-format';
import { errorPrintout, printout, shippedFormatIds, shippedFormats } from '../../src/shared/domain/print-formats';
import { parseSbi, parseSerial as sbiSerial } from '../../src/main/instruments/drivers/sbi';
import { bytes, createLineFramer, latin1, MAX_LINE, normalizeDecimal } from '../../src/main/instruments/drivers/types';

const b = bytes;
const text = (frames: Uint8Array[]) => frames.map(latin1);

describe('MT-SICS (§4.1)', () => {
  it('sends SI, I4, Z, T with CR LF', () => {
    const d = drivers['mt-sics'];
    expect(latin1(d.requestReading())).toBe('SI\r\n');
    expect(latin1(d.requestSerial()!)).toBe('I4\r\n');
    expect(latin1(d.zero()!)).toBe('Z\r\n');
    expect(latin1(d.tare()!)).toBe('T\r\n');
    expect(d.defaults).toEqual({
      baudRate: 9600,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      flowControl: 'none',
      lineEnding: 'crlf',
    });
  });

  it.each([
    ['S S     100.00 g', { kind: 'reading', value: '100.00', unit: 'g', stable: true }],
    ['S D     100.02 g', { kind: 'reading', value: '100.02', unit: 'g', stable: false }],
    ['S S      12.34 %', { kind: 'reading', value: '12.34', unit: '%', stable: true }], // HB43-S
    ['S S      -0.25 g', { kind: 'reading', value: '-0.25', unit: 'g', stable: true }],
    ['S S      +1.50 mg', { kind: 'reading', value: '1.50', unit: 'mg', stable: true }],
    ['I4 A "0123456789"', { kind: 'serial', serial: '0123456789' }],
    ['Z A', { kind: 'ack', command: 'Z' }],
    ['T S   100.00 g', { kind: 'ack', command: 'T' }],
    ['TA A   0.00 g', { kind: 'ack', command: 'TA' }],
  ])('%j', (frame, parsed) => {
    expect(parseMtSics(b(frame))).toEqual(parsed);
  });

  it.each([
    ['S I', 'not_executable'],
    ['S +', 'overload'],
    ['S -', 'underload'],
    ['S L', 'logical_error'],
    ['EL', 'logical_error'],
    ['ES', 'syntax_error'],
    ['ET', 'transmission_error'],
    ['Z I', 'not_executable'],
    ['I4 I', 'not_executable'],
  ])('error %j → %s', (frame, error) => {
    const p = parseMtSics(b(frame));
    expect(p).toMatchObject({ kind: 'error', error });
    expect(p.kind === 'error' && p.detail.length > 10).toBe(true);
  });

  it.each([
    'S S 100.00',
    'S S 1,5 g',
    'S S .5 g',
    'S X 100.00 g',
    'S S 100.00 g extra',
    'I4 A 0123',
    'S S 100.00 g1',
    'constructor',
    'Z constructor',
    'hello',
  ])('garbage %j', (frame) => {
    expect(parseMtSics(b(frame))).toMatchObject({ kind: 'error', error: 'garbage' });
  });
});

describe('Sartorius SBI (§4.2)', () => {
  it('sends ESC P, ESC x2_, ESC V, ESC T with CR LF', () => {
    const d = drivers.sbi;
    expect([...d.requestReading()]).toEqual([0x1b, 0x50, 0x0d, 0x0a]);
    expect(latin1(d.requestSerial()!)).toBe('\x1bx2_\r\n');
    expect(latin1(d.zero()!)).toBe('\x1bV\r\n');
    expect(latin1(d.tare()!)).toBe('\x1bT\r\n');
  });

  it.each([
    ['N     +    3.4253 g  ', { kind: 'reading', value: '3.4253', unit: 'g', stable: true }], // the reference's example
    ['N     +    3.4253     ', { kind: 'reading', value: '3.4253', unit: '', stable: false }], // no unit = unstable
    ['G     -   12.50 kg', { kind: 'reading', value: '-12.50', unit: 'kg', stable: true }],
    ['+  100.00 g  ', { kind: 'reading', value: '100.00', unit: 'g', stable: true }], // 16-char format
    ['-   0.003 mg ', { kind: 'reading', value: '-0.003', unit: 'mg', stable: true }],
    ['   100.02    ', { kind: 'reading', value: '100.02', unit: '', stable: false }],
    ['T     +    1.0000 g  ', { kind: 'ignore' }], // a tare value is not a weighed amount
  ])('%j', (frame, parsed) => {
    expect(parseSbi(b(frame))).toEqual(parsed);
  });

  it.each([
    ['High', 'overload'],
    ['    H   ', 'overload'],
    ['Low', 'underload'],
    ['  L', 'underload'],
    ['Err 123', 'logical_error'],
    ['Stat     ERR 012', 'logical_error'],
    ['--', 'not_executable'],
    ['Cal', 'not_executable'],
  ])('message %j → %s', (frame, error) => {
    expect(parseSbi(b(frame))).toMatchObject({ kind: 'error', error });
  });

  it('puts the error number in the detail', () => {
    expect(parseSbi(b('Stat     ERR 012'))).toMatchObject({ detail: expect.stringContaining('012') });
  });

  it('reads the serial answer only through parseSerial [U shape]', () => {
    expect(sbiSerial(b('0032104567'))).toEqual({ kind: 'serial', serial: '0032104567' });
    expect(drivers.sbi.parseSerial!(b('  B123456789  '))).toEqual({ kind: 'serial', serial: 'B123456789' });
    expect(parseSbi(b('0032104567')).kind).toBe('error');
    expect(sbiSerial(b('12345')).kind).toBe('error');
    expect(sbiSerial(b('Low'))).toMatchObject({ kind: 'error', error: 'underload' });
  });

  it('refuses lines longer than 22 characters', () => {
    expect(parseSbi(b('N     +    3.4253 g    x'))).toMatchObject({ error: 'garbage' });
  });
});

describe('Ohaus (§4.3)', () => {
  it('sends IP, PSN, Z, T', () => {
    const d = drivers.ohaus;
    expect([d.requestReading(), d.requestSerial()!, d.zero()!, d.tare()!].map(latin1)).toEqual([
      'IP\r\n',
      'PSN\r\n',
      'Z\r\n',
      'T\r\n',
    ]);
  });

  it.each([
    ['*****192.21_g', { kind: 'reading', value: '192.21', unit: 'g', stable: true }], // literal '*' and '_'
    ['*******0.01_g_?', { kind: 'reading', value: '0.01', unit: 'g', stable: false }],
    ['     192.21 g', { kind: 'reading', value: '192.21', unit: 'g', stable: true }], // '*' and '_' as spaces
    ['       0.01 g ?', { kind: 'reading', value: '0.01', unit: 'g', stable: false }],
    ['*****176.30_g_?_00:00:15', { kind: 'reading', value: '176.30', unit: 'g', stable: false }],
    ['-   12.345 g     ?  A C Net', { kind: 'reading', value: '-12.345', unit: 'g', stable: false }], // Navigator
    ['    100.00 kg      C B/G', { kind: 'reading', value: '100.00', unit: 'kg', stable: true }],
    ['*****207.80_g_TOTAL', { kind: 'ignore' }],
    ['     50.00 g       Tare', { kind: 'ignore' }],
  ])('%j', (frame, parsed) => {
    expect(parseOhaus(b(frame))).toEqual(parsed);
  });

  it('ES is a syntax error; other text is garbage', () => {
    expect(parseOhaus(b('ES'))).toMatchObject({ kind: 'error', error: 'syntax_error' });
    for (const f of ['192.21', '192.21 g ? ?', '192.21 g X', 'g 192.21', '+192.21 g']) {
      expect(parseOhaus(b(f))).toMatchObject({ kind: 'error', error: 'garbage' });
    }
  });

  it('reads the PSN answer through parseSerial [U shape]', () => {
    expect(ohausSerial(b('B123456789'))).toEqual({ kind: 'serial', serial: 'B123456789' });
    expect(ohausSerial(b('ES'))).toMatchObject({ kind: 'error', error: 'syntax_error' });
  });
});

describe('print formats (§4.4–4.6; docs/instrument-formats.md)', () => {
  const sper = 'p07.01pH: m12.34mV:T025.0C@ 2024-05-01 10:00:00\x5a';

  it('Sper 850055 [S]: on-line and memory lines → pH (item ph) and temperature; error lines; a damaged line → nothing', () => {
    const d = createPrintDriver(sper850055Config);
    expect(d.requestReading()).toHaveLength(0);
    expect([d.requestSerial(), d.zero(), d.tare()]).toEqual([null, null, null]);
    expect(d.parse(b(sper))).toMatchObject({
      kind: 'record',
      fields: { pH: { value: '7.01', unit: 'pH' }, temperature: { value: '25.0', unit: '°C' } },
    });
    // The memory-transmit shape (no mV, a record number), in °F.
    expect(d.parse(b('P06.86pH: T077.0F#12@2024-05-01 10:00:00'))).toMatchObject({
      kind: 'record',
      fields: { pH: { value: '6.86', unit: 'pH' }, temperature_f: { value: '77.0', unit: '°F' } },
    });
    expect(d.parse(b('E01Nul: E01Nul: E01Nul @ 2024-05-01 10:00:00'))).toMatchObject({
      kind: 'error',
      error: 'not_executable',
      detail: expect.stringContaining('E01Nul'),
    });
    expect(d.parse(b('p07.01pH: m12.34mV:T025.0C@2024-05-01'))).toEqual({ kind: 'ignore' });
    expect(d.parse(b('p07.0xpH: m12.34mV:T025.0C@2024-05-01 10:00:00'))).toEqual({ kind: 'ignore' });
    // The record keeps the bytes as received.
    const raw = b(`${sper}\r\n`);
    const r = d.parse(b(sper), raw);
    expect(r.kind === 'record' && r.raw).toEqual(raw);
  });

  it('AI 3320 [S]: R record → osmolality and sample id; S/C records are no result; E record → instrument error', () => {
    const p = createPrintParser(ai3320Config);
    expect(
      p.push(b('R|20120510|112632|Advanced Instruments Inc.|3320|03090845A|0123456789ABCDEFGHIJ|2000|mOsm/kg')),
    ).toMatchObject({
      kind: 'record',
      fields: { osmolality: { value: '2000', unit: 'mOsm/kg' } },
      sampleId: '0123456789ABCDEFGHIJ',
    });
    expect(p.push(b('R|20120510|112632|Advanced Instruments Inc.|3320|03090845A||290|mOsm/kg'))).toMatchObject({
      kind: 'record',
      fields: { osmolality: { value: '290', unit: 'mOsm/kg' } },
      sampleId: undefined,
    });
    expect(p.push(b('C|20120510|112632|Advanced Instruments 3320|03090845A|20060510|80000|1|1|1'))).toEqual({
      kind: 'ignore',
    });
    expect(p.push(b('S|20120510|112632|Advanced Instruments Inc.|3320|03090845A|3.0|0|2364|1|6|5|1'))).toEqual({
      kind: 'ignore',
    });
    expect(
      p.push(b('E|20120510|112632|Advanced Instruments |3320|03090845A|0123456789ABCDEFGHIJ|1000|Sample Pre Freeze')),
    ).toMatchObject({ kind: 'error', error: 'not_executable', detail: expect.stringContaining('Sample Pre Freeze') });
  });

  it('every shipped format reads back the printout its simulator writes, with the items it names', () => {
    for (const id of shippedFormatIds) {
      const f = createLineFramer(MAX_LINE, 'crlf');
      const d = driverFor('print', shippedPrintConfigs[id]);
      const text = printout(id, {
        sampleId: 'S260601-0001',
        values: id === 'ai-4250' ? { freezing_point_mh: '-540' } : {},
      });
      const lines = f.frames(b(text));
      const parsed = lines.map((l) => d.parse(l.bytes, l.raw)).filter((x) => x.kind !== 'ignore');
      expect(parsed, id).toHaveLength(1);
      const rec = parsed[0]!;
      expect(rec.kind, id).toBe('record');
      if (rec.kind !== 'record') continue;
      // The raw bytes of the record are the printout exactly as written, terminators included.
      expect(latin1(rec.raw!), id).toBe(text);
      for (const field of shippedPrintConfigs[id].fields.filter((x) => x.item && rec.fields[x.analyte]))
        expect(rec.fields[field.analyte]!.value, `${id} ${field.analyte}`).toMatch(/^-?\d+(\.\d+)?$/);
      const e = errorPrintout(id);
      const errs = f
        .frames(b(e))
        .map((l) => d.parse(l.bytes, l.raw))
        .filter((x) => x.kind === 'error');
      expect(errs.length, `${id} error printout`).toBeGreaterThan(0);
      expect(shippedFormats[id].verification === 'sourced' || /not confirmed/i.test(shippedFormats[id].source)).toBe(
        true,
      );
    }
    const lacto = createPrintParser(lactoscanSaConfig);
    const got = testCapture(lactoscanSaConfig, printout('lactoscan-sa', { sampleId: '12' }));
    expect(got.errors).toEqual([]);
    expect(got.records[0]).toMatchObject({
      sampleId: '0012',
      fields: { fat: { value: '3.62', unit: '%' }, density: { value: '29.30', unit: '°L' } },
    });
    void lacto;
  });

  it('field roles: sample id and status are text; a bad status refuses the record; optional fields; items', () => {
    const cfg = {
      recordStart: '^BEGIN',
      recordEnd: '^END',
      fields: [
        { analyte: 'id', pattern: '^ID: (\\S+)', unit: '', role: 'sample_id' as const },
        { analyte: 'st', pattern: '^STATUS: (\\w+)', unit: '', role: 'status' as const, okPattern: '^OK$' },
        { analyte: 'fp', pattern: '^FP: (\\S+)', unit: 'm°C', item: 'freezing_point' },
        { analyte: 'temp', pattern: '^T: (\\S+)', unit: '°C', role: 'temperature' as const, optional: true },
      ],
    };
    const t = testCapture(
      cfg,
      'BEGIN\nID: S-1\nSTATUS: OK\nFP: -521\nEND\nBEGIN\nID: S-2\nSTATUS: UNSTABLE\nFP: -519\nEND',
    );
    expect(t.records).toEqual([{ fields: { fp: { value: '-521', unit: 'm°C' } }, sampleId: 'S-1', status: 'OK' }]);
    expect(t.errors).toEqual(['line 10: the instrument marked the record "UNSTABLE" (st)']);
    const bad = (over: object) =>
      printConfigSchema.safeParse({ fields: [{ analyte: 'a', pattern: '(1)', unit: '', ...over }] }).success;
    expect(bad({ role: 'status' })).toBe(false);
    expect(bad({ role: 'sample_id', item: 'fat' })).toBe(false);
    expect(bad({ okPattern: '^OK$' })).toBe(false);
    expect(bad({ item: 'Fat Content' })).toBe(false);
    expect(bad({ item: 'fat' })).toBe(true);
    expect(
      printConfigSchema.safeParse({ checkSampleId: true, fields: [{ analyte: 'a', pattern: '(1)', unit: '' }] })
        .success,
    ).toBe(false);
  });

  const lacto = {
    recordStart: '^=+ RESULT',
    recordEnd: '^=+$',
    fields: [
      { analyte: 'fat', pattern: '^Fat\\s*:\\s*(\\S+)', unit: '%' },
      { analyte: 'snf', pattern: '^SNF\\s*:\\s*(\\S+)', unit: '%' },
    ],
  };

  it('records between start and end; incomplete, overlong and non-decimal records are errors', () => {
    const t = testCapture(
      lacto,
      '== RESULT\nFat: 3.52\nSNF : 8.61\n====\nnoise\n== RESULT\nFat: 3.5\n====\n== RESULT\nFat: 3,5\nSNF: 8.6\n==',
    );
    expect(t.records).toEqual([
      {
        fields: { fat: { value: '3.52', unit: '%' }, snf: { value: '8.61', unit: '%' } },
        sampleId: null,
        status: null,
      },
    ]);
    expect(t.errors).toEqual([
      'line 8: record incomplete: no value for snf',
      'line 12: fat: "3,5" is not a decimal number',
    ]);
    expect(testCapture(lacto, '== RESULT\nFat: 1\n== RESULT\nFat: 1\nSNF: 2\n==').errors).toEqual([
      'line 3: record incomplete: a new record started before its end',
    ]);
    const long = testCapture(lacto, `== RESULT\n${'x\n'.repeat(70)}Fat: 1\nSNF: 2\n==`);
    expect(long.records).toEqual([]);
    expect(long.errors[0]).toMatch(/longer than 64 lines/);
    expect(testCapture(lacto, '== RESULT\nFat: 1').errors).toEqual(['end of text: record incomplete: no end line']);
  });

  it('analyte names are plain names, even __proto__', () => {
    const p = createPrintParser({ fields: [{ analyte: '__proto__', pattern: '^v=(\\d+)', unit: 'u' }] });
    const r = p.push(b('v=1'));
    expect(r.kind === 'record' && Object.keys(r.fields)).toEqual(['__proto__']);
  });

  it('with only recordStart, a record ends at the next start or at flush', () => {
    const p = createPrintParser({ recordStart: '^#', fields: [{ analyte: 'x', pattern: '^x=(\\d+)', unit: 'u' }] });
    expect(p.push(b('#1'))).toEqual({ kind: 'ignore' });
    expect(p.push(b('x=5'))).toEqual({ kind: 'ignore' });
    expect(p.push(b('#2'))).toMatchObject({
      kind: 'record',
      fields: { x: { value: '5', unit: 'u' } },
      raw: b('#1x=5'),
    });
    expect(p.push(b('x=6'))).toEqual({ kind: 'ignore' });
    expect(p.flush()).toMatchObject({ kind: 'record', fields: { x: { value: '6', unit: 'u' } } });
  });

  it('validates configurations: compiling, exactly one capture group, no nested quantifiers', () => {
    const ok = (pattern: string) =>
      printConfigSchema.safeParse({ fields: [{ analyte: 'a', pattern, unit: '' }] }).success;
    expect(ok('^pH (\\d+\\.\\d+)')).toBe(true);
    expect(ok('(?<v>\\d+)(?:\\.\\d+)?')).toBe(true);
    expect(ok('(\\d+')).toBe(false);
    expect(ok('\\d+')).toBe(false);
    expect(ok('(\\d+)(\\d+)')).toBe(false);
    expect(ok('((a+)+)')).toBe(false);
    expect(ok('(x)(?:a|aa)*')).toBe(false);
    expect(ok('(x)(?:\\d{2}:)+')).toBe(false);
    expect(
      printConfigSchema.safeParse({ recordStart: '(', fields: [{ analyte: 'a', pattern: '(1)', unit: '' }] }).success,
    ).toBe(false);
    expect(
      testCapture(
        {
          fields: [
            { analyte: 'a', pattern: '(1)', unit: '' },
            { analyte: 'a', pattern: '(2)', unit: '' },
          ],
        },
        '',
      ).errors,
    ).toEqual(['fields: each analyte may appear once']);
  });
});

describe('shared helpers', () => {
  it('normalises decimals as sent: sign kept, + and padding dropped, fraction kept', () => {
    expect(['100.00', '+1.50', '-0.25', '0100.0', '-007', '0.000', '1.', '.5', '1e3'].map(normalizeDecimal)).toEqual([
      '100.00',
      '1.50',
      '-0.25',
      '100.0',
      '-7',
      '0.000',
      null,
      null,
      null,
    ]);
  });

  it('driverFor: registry drivers, and print needs a valid configuration', () => {
    expect(driverFor('mt-sics')).toBe(drivers['mt-sics']);
    expect(() => driverFor('print', { fields: [] })).toThrow(/invalid print-format configuration/);
    expect(driverFor('print').parse(b('anything'))).toEqual({ kind: 'ignore' });
  });
});

describe('line framer', () => {
  it('splits on CR LF, lone CR and lone LF, dropping empty lines and terminators', () => {
    const f = createLineFramer();
    expect(text(f.push(b('S S 1 g\r\nS D 2 g\rES\n\r\n\nZ A')))).toEqual(['S S 1 g', 'S D 2 g', 'ES']);
    expect(f.pending()).toBe(3);
    expect(text(f.push(b('\r')))).toEqual(['Z A']);
    expect(text(f.push(b('\n')))).toEqual([]);
    f.push(b('half'));
    f.reset();
    expect(f.pending()).toBe(0);
  });

  it('yields the same frames however the stream is split into chunks', () => {
    const line = fc.stringMatching(/^[ -~]{0,40}$/);
    const ending = fc.constantFrom('\r\n', '\r', '\n', '\r\n\r\n');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(line, ending), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (lines, cuts) => {
          const stream = b(lines.map(([l, e]) => l + e).join(''));
          const whole = text(createLineFramer().push(stream));
          expect(whole).toEqual(lines.map(([l]) => l).filter((l) => l.length > 0));
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((x, y) => x - y);
          const f = createLineFramer();
          const got: string[] = [];
          let at = 0;
          for (const p of [...points, stream.length]) {
            got.push(...text(f.push(stream.subarray(at, p))));
            at = p;
          }
          expect(got).toEqual(whole);
          expect(f.pending()).toBe(0);
        },
      ),
    );
  });

  it('emits an overlong line once, keeps memory bounded, and recovers at the next line ending', () => {
    const f = createLineFramer();
    const out: Uint8Array[] = [];
    for (let i = 0; i < 10_000; i++) {
      out.push(...f.push(b('x'.repeat(100))));
      expect(f.pending()).toBeLessThanOrEqual(MAX_LINE);
    }
    expect(out).toHaveLength(1);
    expect(out[0]!.length).toBe(MAX_LINE + 1);
    for (const d of Object.values(drivers)) expect(d.parse(out[0]!)).toMatchObject({ kind: 'error', error: 'garbage' });
    expect(text(f.push(b('tail\r\nS S 1.0 g\r\n')))).toEqual(['S S 1.0 g']);
  });

  it('keeps every byte as received: the concatenated raw of the lines is the stream, terminators included', () => {
    const line = fc.stringMatching(/^[ -~]{0,40}$/);
    const ending = fc.constantFrom('\r\n', '\r', '\n', '\r\n\r\n');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(line, ending), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.constantFrom<'crlf' | 'cr' | 'lf' | undefined>('crlf', 'cr', 'lf', undefined),
        (lines, cuts, le) => {
          // A final LF: a CR-LF instrument's last CR waits for the byte after it.
          const stream = b(`${lines.map(([l, e]) => l + e).join('')}\n`);
          const f = createLineFramer(MAX_LINE, le);
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((x, y) => x - y);
          const got: Array<{ bytes: Uint8Array; raw: Uint8Array }> = [];
          let at = 0;
          for (const p of [...points, stream.length]) {
            got.push(...f.frames(stream.subarray(at, p)));
            at = p;
          }
          expect(got.map((g) => latin1(g.bytes))).toEqual(lines.map(([l]) => l).filter((l) => l.length > 0));
          // Everything up to the last line's terminator is in some line's raw, in order.
          const joined = got.map((g) => latin1(g.raw)).join('');
          expect(latin1(stream).startsWith(joined)).toBe(true);
          for (const g of got) expect(latin1(g.raw).replace(/[\r\n]/g, '')).toBe(latin1(g.bytes));
        },
      ),
    );
  });

  it('CR LF instruments: the LF stays with its line even when it arrives in the next chunk', () => {
    const f = createLineFramer(MAX_LINE, 'crlf');
    expect(f.frames(b('S S 1 g\r'))).toEqual([]);
    const [one] = f.frames(b('\nS S 2 g\r\n'));
    expect(latin1(one!.raw)).toBe('S S 1 g\r\n');
    const g = createLineFramer();
    expect(g.frames(b('A\r')).map((x) => latin1(x.raw))).toEqual(['A\r']);
    expect(g.frames(b('\nB\r\n')).map((x) => latin1(x.raw))).toEqual(['\nB\r']);
  });

  it('a line of exactly 256 bytes is a normal frame', () => {
    const f = createLineFramer();
    expect(f.push(b(`${'y'.repeat(MAX_LINE)}\n`))[0]!.length).toBe(MAX_LINE);
  });
});
