/**
 * The simulator's pure instrument model (issue 10 §7) against the drivers that read it: each
 * scenario answers in the driver's own format (../shared/reference/reference-data.md §4).
 */
import { describe, expect, it } from 'vitest';
import { driverFor } from '../../src/main/instruments/drivers';
import { lactoscanSaConfig, sper850055Config } from '../../src/main/instruments/drivers/print-format';
import { bytes, latin1, type Driver, type Parsed } from '../../src/main/instruments/drivers/types';
import {
  addLastDigit,
  createInstrumentModel,
  SLOW_MS,
  type ModelAction,
  type ModelOptions,
} from '../../src/main/instruments/simulator-model';

type Balance = 'mt-sics' | 'sbi' | 'ohaus';
const balances: Balance[] = ['mt-sics', 'sbi', 'ohaus'];

/** Sends `request` to the model and parses what comes back with the driver. */
function exchange(o: ModelOptions, d: Driver, requests: Uint8Array[], parse = (f: Uint8Array) => d.parse(f)) {
  const model = createInstrumentModel(o);
  const framer = d.framer();
  const parsed: Parsed[] = [];
  const actions: ModelAction[] = [];
  for (const r of requests) {
    for (const a of model.onBytes(r)) {
      actions.push(a);
      if ('bytes' in a) for (const f of framer.push(a.bytes)) parsed.push(parse(f));
    }
  }
  return { parsed, actions, model };
}

const read = (driver: Balance, scenario: ModelOptions['scenario'], n = 1, extra: Partial<ModelOptions> = {}) => {
  const d = driverFor(driver);
  return exchange(
    { driver, scenario, ...extra },
    d,
    Array.from({ length: n }, () => d.requestReading()),
  );
};

describe.each(balances)('%s model', (driver) => {
  const d = driverFor(driver);

  it('stable: one stable 100.00 g reading', () => {
    expect(read(driver, 'stable').parsed).toEqual([{ kind: 'reading', value: '100.00', unit: 'g', stable: true }]);
  });

  it('keeps the weight as a decimal string (sign and trailing zeros)', () => {
    expect(read(driver, 'stable', 1, { weight: '-0.250', unit: 'kg' }).parsed).toEqual([
      { kind: 'reading', value: '-0.250', unit: 'kg', stable: true },
    ]);
  });

  it('unstable: stable false', () => {
    expect(read(driver, 'unstable').parsed).toMatchObject([{ kind: 'reading', value: '100.00', stable: false }]);
  });

  it('drift: unstable readings moving towards the weight, then stable', () => {
    const p = read(driver, 'drift', 5).parsed;
    expect(p.map((r) => (r.kind === 'reading' ? [r.value, r.stable] : r.kind))).toEqual([
      ['100.03', false],
      ['100.02', false],
      ['100.01', false],
      ['100.00', true],
      ['100.00', true],
    ]);
  });

  it('overload / underload: an error, never a reading', () => {
    for (const scenario of ['overload', 'underload'] as const) {
      const p = read(driver, scenario).parsed;
      expect(p.every((r) => r.kind !== 'reading')).toBe(true);
      // Ohaus documents no overload answer [U]: its model stays silent (the host times out).
      if (driver === 'ohaus') expect(p).toEqual([]);
      else expect(p).toMatchObject([{ kind: 'error', error: scenario }]);
    }
  });

  it('garbage: noise and an unterminated line, never a reading', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const { parsed, actions } = read(driver, 'garbage', 3, { seed });
      expect(parsed.length).toBeGreaterThan(0);
      expect(parsed.every((r) => r.kind === 'error' && r.error === 'garbage')).toBe(true);
      const last = actions[actions.length - 1]!;
      expect('bytes' in last && ![0x0d, 0x0a].includes(last.bytes[last.bytes.length - 1]!)).toBe(true);
    }
  });

  it('slow: the same reading after 1500 ms', () => {
    const { actions, parsed } = read(driver, 'slow');
    expect(actions).toMatchObject([{ delayMs: SLOW_MS }]);
    expect(parsed).toMatchObject([{ kind: 'reading', stable: true }]);
  });

  it('disconnect: the first answer, then disconnect, then silence', () => {
    const { actions, model } = read(driver, 'disconnect');
    expect(actions).toHaveLength(2);
    expect(actions[1]).toEqual({ disconnect: true });
    expect(model.onBytes(d.requestReading())).toEqual([]);
  });

  it('serial: the configured serial, or another one in wrong-serial', () => {
    const parse = (f: Uint8Array) => (d.parseSerial ?? d.parse)(f);
    const ok = exchange({ driver, scenario: 'stable', serial: 'B123456789' }, d, [d.requestSerial()!], parse).parsed;
    expect(ok).toEqual([{ kind: 'serial', serial: 'B123456789' }]);
    const wrong = exchange(
      { driver, scenario: 'wrong-serial', serial: 'B123456789' },
      d,
      [d.requestSerial()!],
      parse,
    ).parsed;
    expect(wrong).toHaveLength(1);
    expect(wrong[0]!.kind).toBe('serial');
    expect(wrong[0]).not.toEqual(ok[0]);
  });

  it('zero and tare are accepted (MT-SICS acknowledges them)', () => {
    const { parsed } = exchange({ driver, scenario: 'stable' }, d, [d.zero()!, d.tare()!]);
    if (driver === 'mt-sics')
      expect(parsed).toEqual([
        { kind: 'ack', command: 'Z' },
        { kind: 'ack', command: 'T' },
      ]);
    else expect(parsed).toEqual([]);
  });

  it('the print key sends an unsolicited reading', () => {
    const m = createInstrumentModel({ driver, scenario: 'stable' });
    const f = d.framer();
    const frames = m.printOnce().flatMap((a) => ('bytes' in a ? f.push(a.bytes) : []));
    expect(frames.map((x) => d.parse(x))).toEqual([{ kind: 'reading', value: '100.00', unit: 'g', stable: true }]);
  });
});

describe('protocol details', () => {
  it('unknown commands: ES from MT-SICS and Ohaus, silence from SBI', () => {
    const ask = (driver: Balance, cmd: string) =>
      createInstrumentModel({ driver, scenario: 'stable' })
        .onBytes(bytes(cmd))
        .map((a) => ('bytes' in a ? latin1(a.bytes) : a));
    expect(ask('mt-sics', 'XYZ\r\n')).toEqual(['ES\r\n']);
    expect(ask('ohaus', 'XYZ\r\n')).toEqual(['ES\r\n']);
    expect(ask('sbi', '\x1bQ\r\n')).toEqual([]);
  });

  it('answers commands split across chunks, and several in one chunk', () => {
    const m = createInstrumentModel({ driver: 'mt-sics', scenario: 'stable' });
    expect(m.onBytes(bytes('S'))).toEqual([]);
    const out = m.onBytes(bytes('I\r\nI4\r\n')).map((a) => ('bytes' in a ? latin1(a.bytes) : a));
    expect(out).toEqual(['S S     100.00 g\r\n', 'I4 A "B123456789"\r\n']);
  });

  it('stable-only requests: MT-SICS S says S I when unstable, settles in drift', () => {
    const m = (scenario: ModelOptions['scenario']) =>
      createInstrumentModel({ driver: 'mt-sics', scenario }).onBytes(bytes('S\r\n'));
    expect(m('unstable').map((a) => ('bytes' in a ? latin1(a.bytes) : a))).toEqual(['S I\r\n']);
    expect(m('drift').map((a) => ('bytes' in a ? latin1(a.bytes) : a))).toEqual(['S S     100.00 g\r\n']);
  });

  it('SBI output is the 22-character format with CR LF', () => {
    const [a] = createInstrumentModel({ driver: 'sbi', scenario: 'stable' }).onBytes(driverFor('sbi').requestReading());
    expect(a && 'bytes' in a ? latin1(a.bytes) : null).toBe('N     +   100.00 g  \r\n');
  });

  it('print-only: ignores input, prints its record (a Sper 850055 line by default)', () => {
    const d = driverFor('print', sper850055Config);
    const m = createInstrumentModel({ driver: 'print', scenario: 'stable' });
    expect(m.onBytes(bytes('P\r\n'))).toEqual([]);
    const f = d.framer();
    const parsed = m
      .printOnce()
      .flatMap((a) => ('bytes' in a ? f.push(a.bytes) : []))
      .map((x) => d.parse(x));
    expect(parsed).toMatchObject([
      { kind: 'record', fields: { pH: { value: '7.00', unit: 'pH' }, temperature: { value: '25.0', unit: '°C' } } },
    ]);
    // A shipped format: its record, and its error record in the error scenarios.
    const ls = createInstrumentModel({
      driver: 'print',
      scenario: 'stable',
      format: 'lactoscan-sa',
      values: { fat: '4.01' },
    });
    const lsDriver = driverFor('print', lactoscanSaConfig);
    const lsFramer = lsDriver.framer('crlf');
    const records = ls
      .printOnce()
      .flatMap((a) => ('bytes' in a ? lsFramer.frames(a.bytes) : []))
      .map((x) => lsDriver.parse(x.bytes, x.raw))
      .filter((p) => p.kind === 'record');
    expect(records).toMatchObject([{ fields: { fat: { value: '4.01', unit: '%' }, snf: { value: '8.71' } } }]);
    const err = createInstrumentModel({ driver: 'print', scenario: 'error', format: 'sper-850055' }).printOnce();
    expect(err.map((a) => ('bytes' in a ? latin1(a.bytes) : a))[0]).toMatch(/^E01Nul/);
    const g = createInstrumentModel({ driver: 'print', scenario: 'garbage' }).printOnce();
    expect(
      g
        .flatMap((a) => ('bytes' in a ? f.push(a.bytes) : []))
        .map((x) => d.parse(x))
        .some((p) => p.kind === 'record'),
    ).toBe(false);
    const custom = createInstrumentModel({
      driver: 'print',
      scenario: 'disconnect',
      printRecord: 'A\r\nB',
    }).printOnce();
    expect(custom.map((a) => ('bytes' in a ? latin1(a.bytes) : a))).toEqual(['A\r\nB\r\n', { disconnect: true }]);
  });

  it('decimal arithmetic on strings', () => {
    expect(['100.00', '0.01', '-0.01', '9.99', '0'].map((v) => addLastDigit(v, 1))).toEqual([
      '100.01',
      '0.02',
      '0.00',
      '10.00',
      '1',
    ]);
    expect(addLastDigit('0.00', -3)).toBe('-0.03');
    expect(() => createInstrumentModel({ driver: 'sbi', scenario: 'stable', weight: '1e3' })).toThrow();
  });
});
