/**
 * The instrument a simulator plays (issue 10 §7), as a pure model: bytes from the host in,
 * timed answers out, in each driver's own output format (../shared/reference/reference-data.md
 * §4.1–4.4). simulator.ts does the serial-port I/O. Weights stay decimal strings throughout.
 *
 * Commands understood: MT-SICS SI, S, I4, @, Z, ZI, T, TI, TAC (anything else 'ES'); SBI
 * ESC P, ESC x2_, ESC T/U/V (no answer to tare/zero or to unknown commands: SBI documents no
 * error answer); Ohaus IP, P, SP, PSN, Z, T (Z/T answer nothing [U]; anything else 'ES').
 * A print-only instrument ignores what it receives and prints on printOnce().
 *
 * Scenarios: stable; drift (the first `driftSteps` readings are unstable and move towards the
 * weight, then stable; a stable-only request waits and sends the settled weight); unstable
 * (always unstable; MT-SICS 'S' answers 'S I', Ohaus SP never answers); overload / underload
 * (MT 'S +' / 'S -', SBI 'High' / 'Low'; Ohaus documents none [U], so it stays silent and the
 * host times out); garbage (a line of noise bytes, then noise without a line ending); slow
 * (answers after 1500 ms); disconnect (the first answer, then disconnect); wrong-serial (the
 * serial-number answer names another instrument); error (a printing instrument's error record).
 * Print-only instruments play a shipped format (`format`): its record, or in the error,
 * overload, underload and unstable scenarios its error record (D-060).
 */
import { errorPrintout, printout, type ShippedFormatId } from '../../shared/domain/print-formats';
import { bytes, createLineFramer, latin1 } from './drivers/types';

export const modelScenarios = [
  'stable',
  'drift',
  'overload',
  'underload',
  'garbage',
  'slow',
  'disconnect',
  'wrong-serial',
  'unstable',
  'error',
] as const;
export type ModelScenario = (typeof modelScenarios)[number];
export type ModelAction = { delayMs: number; bytes: Uint8Array } | { disconnect: true };

export interface ModelOptions {
  driver: 'mt-sics' | 'sbi' | 'ohaus' | 'print';
  scenario: ModelScenario;
  /** Decimal string, default '100.00'. */
  weight?: string;
  unit?: string;
  serial?: string;
  /** What a print-only instrument prints (lines separated by CR LF). Default: a Sper 850055 line. */
  printRecord?: string;
  /**
   * A shipped print format (src/shared/domain/print-formats.ts): the instrument prints that
   * model's record (its documented shape, or LotSeal's template for unverified ones) with
   * `values` and `sampleId`, and its error record in the error scenarios.
   */
  format?: ShippedFormatId;
  values?: Record<string, string>;
  sampleId?: string;
  /** Seed of the noise of the 'garbage' scenario (deterministic). */
  seed?: number;
  driftSteps?: number;
}

export interface InstrumentModel {
  onBytes(chunk: Uint8Array): ModelAction[];
  /** The print key (balances: an unsolicited reading) or a print-only instrument's record. */
  printOnce(): ModelAction[];
}

export const SLOW_MS = 1500;
const SETTLE_MS = 1000;
export const defaultPrintRecord = 'p07.00pH: m12.34mV:T025.0C@2024-01-01 12:00:00';

/** v plus k units of its last decimal place, exactly (BigInt). */
export function addLastDigit(v: string, k: number): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(v);
  if (!m) throw new Error(`not a decimal: ${v}`);
  const frac = m[3] ?? '';
  let n = BigInt(`${m[1]}${m[2]}${frac}`) + BigInt(k);
  const neg = n < 0n;
  if (neg) n = -n;
  const s = n.toString().padStart(frac.length + 1, '0');
  const int = s.slice(0, s.length - frac.length);
  return `${neg ? '-' : ''}${int}${frac ? `.${s.slice(s.length - frac.length)}` : ''}`;
}

/** Another serial of the same shape: first character replaced. */
export function otherSerial(serial: string): string {
  return (serial.startsWith('Z') ? 'Y' : 'Z') + serial.slice(1);
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One answer line in each protocol's format. */
const formats = {
  'mt-sics': (v: string, unit: string, stable: boolean) => `S ${stable ? 'S' : 'D'} ${v.padStart(10)} ${unit}`,
  // 22 characters with CR LF: 6-char ID, sign, space, 8-char value, space, 3-char unit (blank = unstable).
  sbi: (v: string, unit: string, stable: boolean) =>
    `N     ${v.startsWith('-') ? '-' : '+'} ${v.replace(/^-/, '').padStart(8)} ${stable ? unit.padEnd(3) : '   '}`,
  // Navigator: sign, space, 8-char value, space, 5-char unit, space, '?' when unstable.
  ohaus: (v: string, unit: string, stable: boolean) =>
    `${v.startsWith('-') ? '-' : ' '} ${v.replace(/^-/, '').padStart(8)} ${unit.padEnd(5)} ${stable ? ' ' : '?'}`,
};

export function createInstrumentModel(o: ModelOptions): InstrumentModel {
  const weight = o.weight ?? '100.00';
  if (!/^-?\d+(\.\d+)?$/.test(weight)) throw new Error(`weight must be a decimal string: ${weight}`);
  const unit = o.unit ?? 'g';
  const serial = o.serial ?? 'B123456789';
  const steps = o.driftSteps ?? 3;
  const random = rng(o.seed ?? 1);
  const framer = createLineFramer();
  let drift = 0;
  let dead = false;

  const say = (text: string, delayMs = 0): ModelAction[] => [{ delayMs, bytes: bytes(`${text}\r\n`) }];
  const noise = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) {
      // High bytes (never a valid answer character) and a few control bytes, never CR or LF.
      const b = random() < 0.8 ? 0x80 + Math.floor(random() * 0x80) : 1 + Math.floor(random() * 8);
      s += String.fromCharCode(b === 0xb5 || b === 0xb0 ? 0xff : b);
    }
    return s;
  };
  const garbage = (): ModelAction[] => [
    { delayMs: 0, bytes: bytes(`${noise(24)}\r\n`) },
    { delayMs: 0, bytes: bytes(noise(40)) },
  ];

  function line(v: string, stable: boolean, delayMs = 0): ModelAction[] {
    if (o.driver === 'print') return [];
    return say(formats[o.driver](v, unit, stable), delayMs);
  }

  function reading(stableOnly: boolean): ModelAction[] {
    switch (o.scenario) {
      case 'overload':
      case 'underload': {
        const over = o.scenario === 'overload';
        if (o.driver === 'mt-sics') return say(over ? 'S +' : 'S -');
        if (o.driver === 'sbi') return say(`      ${over ? '    High' : '     Low'}`);
        return [];
      }
      case 'garbage':
        return garbage();
      case 'error':
        return o.driver === 'mt-sics' ? say('EL') : o.driver === 'ohaus' ? say('ES') : [];
      case 'unstable':
        if (!stableOnly) return line(weight, false);
        return o.driver === 'mt-sics' ? say('S I', SETTLE_MS) : [];
      case 'drift': {
        if (stableOnly) return line(weight, true, SETTLE_MS);
        const left = steps - drift++;
        return left > 0 ? line(addLastDigit(weight, left), false) : line(weight, true);
      }
      case 'slow':
        return line(weight, true, SLOW_MS);
      default:
        return line(weight, true);
    }
  }

  function serialAnswer(): ModelAction[] {
    const sn = o.scenario === 'wrong-serial' ? otherSerial(serial) : serial;
    return say(o.driver === 'mt-sics' ? `I4 A "${sn}"` : sn);
  }

  function answer(cmd: string): ModelAction[] {
    if (o.driver === 'mt-sics') {
      if (cmd === 'SI') return reading(false);
      if (cmd === 'S') return reading(true);
      if (cmd === 'I4' || cmd === '@') return serialAnswer();
      if (cmd === 'Z' || cmd === 'ZI' || cmd === 'TAC') return say(`${cmd} A`);
      if (cmd === 'T' || cmd === 'TI') return say(`${cmd} S ${weight.padStart(10)} ${unit}`);
      return say('ES');
    }
    if (o.driver === 'sbi') {
      if (cmd === 'P') return reading(false);
      if (cmd === 'x2_') return serialAnswer();
      return [];
    }
    if (o.driver === 'ohaus') {
      if (cmd === 'IP' || cmd === 'P') return reading(false);
      if (cmd === 'SP') return reading(true);
      if (cmd === 'PSN') return serialAnswer();
      if (cmd === 'Z' || cmd === 'T') return [];
      return say('ES');
    }
    return [];
  }

  /** Ends the conversation after the first answer in the 'disconnect' scenario. */
  function deliver(actions: ModelAction[]): ModelAction[] {
    if (o.scenario !== 'disconnect' || actions.length === 0) return actions;
    dead = true;
    return [...actions, { disconnect: true }];
  }

  return {
    onBytes(chunk) {
      if (dead) return [];
      const out: ModelAction[] = [];
      for (const frame of framer.push(chunk)) {
        const cmd = latin1(frame[0] === 0x1b ? frame.subarray(1) : frame).trim();
        const a = deliver(answer(cmd));
        out.push(...a);
        if (dead) break;
      }
      return out;
    },
    printOnce() {
      if (dead) return [];
      if (o.driver !== 'print') return deliver(reading(false));
      if (o.scenario === 'garbage') return garbage();
      if (o.format && ['error', 'overload', 'underload', 'unstable'].includes(o.scenario))
        return deliver([{ delayMs: 0, bytes: bytes(errorPrintout(o.format)) }]);
      const record =
        o.printRecord ??
        (o.format
          ? printout(o.format, {
              ...(o.values ? { values: o.values } : {}),
              ...(o.sampleId ? { sampleId: o.sampleId } : {}),
            })
          : defaultPrintRecord);
      const text = /[\r\n]$/.test(record) ? record : `${record}\r\n`;
      return deliver([{ delayMs: o.scenario === 'slow' ? SLOW_MS : 0, bytes: bytes(text) }]);
    },
  };
}
