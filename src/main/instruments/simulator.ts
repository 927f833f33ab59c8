import { driverFor } from './drivers';
import { shippedFormats, type ShippedFormatId } from '../../shared/domain/print-formats';
import { createInstrumentModel } from './simulator-model';

export const simulatorScenarios = [
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
export type SimulatorScenario = (typeof simulatorScenarios)[number];

export interface SimulatorOptions {
  port: string;
  driver: 'mt-sics' | 'sbi' | 'ohaus' | 'print';
  scenario: SimulatorScenario;
  weight?: string;
  unit?: string;
  serial?: string;
  printRecord?: string;
  /** print driver: a shipped format to play (its record, and its error record in the error scenarios). */
  format?: ShippedFormatId;
  values?: Record<string, string>;
  sampleId?: string;
  /** print driver: send the record every N ms. */
  printEveryMs?: number;
}

export interface RunningSimulator {
  /** Sends the print record now (print driver), as if the print key were pressed. */
  print(): void;
  close(): Promise<void>;
  /** Resolves when the port closes (the 'disconnect' scenario closes it itself). */
  closed: Promise<void>;
}

/**
 * Plays an instrument on a real serial port (one end of a socat pty pair in tests): the
 * pure model (simulator-model.ts) decides what to answer, this module does the I/O. Used by
 * `lotseal simulate` and by the integration tests.
 */
export async function runSimulator(o: SimulatorOptions): Promise<RunningSimulator> {
  const driver = driverFor(o.driver);
  const s = o.format ? { ...driver.defaults, ...shippedFormats[o.format].settings } : driver.defaults;
  // serialport loads when a simulator runs, not with every module that names the scenarios (D-116).
  const { serialPort } = await import('./serial-port');
  const port = serialPort({
    path: o.port,
    baudRate: s.baudRate,
    dataBits: s.dataBits,
    parity: s.parity,
    stopBits: s.stopBits,
    autoOpen: false,
  });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  const model = createInstrumentModel({
    driver: o.driver,
    scenario: o.scenario,
    ...(o.weight ? { weight: o.weight } : {}),
    ...(o.unit ? { unit: o.unit } : {}),
    ...(o.serial ? { serial: o.serial } : {}),
    ...(o.printRecord ? { printRecord: o.printRecord } : {}),
    ...(o.format ? { format: o.format } : {}),
    ...(o.values ? { values: o.values } : {}),
    ...(o.sampleId ? { sampleId: o.sampleId } : {}),
  });
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;
  const closed = new Promise<void>((resolve) => port.on('close', () => resolve()));
  const close = async (): Promise<void> => {
    if (closing) return closed;
    closing = true;
    for (const t of timers) clearTimeout(t);
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    return closed;
  };
  const play = (actions: ReturnType<typeof model.onBytes>): void => {
    for (const a of actions) {
      if ('disconnect' in a) {
        const t = setTimeout(() => void close(), 30);
        timers.add(t);
        return;
      }
      const t = setTimeout(() => {
        timers.delete(t);
        if (port.isOpen) port.write(Buffer.from(a.bytes));
      }, a.delayMs);
      timers.add(t);
    }
  };
  port.on('data', (chunk: Buffer) => play(model.onBytes(new Uint8Array(chunk))));
  port.on('error', () => undefined);
  const printOnce = (): void => {
    const m = model as unknown as { printOnce?: () => ReturnType<typeof model.onBytes> };
    if (m.printOnce) play(m.printOnce());
  };
  if (o.printEveryMs) {
    const iv = setInterval(printOnce, o.printEveryMs);
    timers.add(iv as unknown as NodeJS.Timeout);
  }
  return { print: printOnce, close, closed };
}
