import type { Command } from 'commander';
import type { SerialPort } from 'serialport';
import { AppErrorException, appError } from '../../../shared/contract/errors';
import { driverFor } from '../../instruments/drivers';
import type { Parsed, SerialSettings } from '../../instruments/drivers/types';
import { runSimulator, simulatorScenarios, type SimulatorScenario } from '../../instruments/simulator';
import { Exit, type Global } from '../common';
import { shippedFormatIds, type ShippedFormatId } from '../../../shared/domain/print-formats';

type DriverId = 'mt-sics' | 'sbi' | 'ohaus' | 'print';
const DRIVERS: readonly string[] = ['mt-sics', 'sbi', 'ohaus', 'print'];

function badArg(field: string, value: string, allowed?: string): never {
  // Say which option and what it accepts (the generic invalid-input line follows).
  process.stderr.write(
    `lotseal: --${field} ${JSON.stringify(value)} is not valid${allowed ? ` (allowed: ${allowed})` : ''}\n`,
  );
  throw new AppErrorException(appError('invalid_input', { field, value, ...(allowed ? { allowed } : {}) }));
}

function settingsFrom(
  defaults: SerialSettings,
  o: { baud?: string; parity?: string; dataBits?: string; stopBits?: string },
): SerialSettings {
  const s = { ...defaults };
  if (o.baud !== undefined) {
    const b = Number(o.baud);
    if (!Number.isInteger(b) || b < 300 || b > 921600) badArg('baud', o.baud);
    s.baudRate = b;
  }
  if (o.parity !== undefined) {
    if (!['none', 'odd', 'even'].includes(o.parity)) badArg('parity', o.parity, 'none, odd, even');
    s.parity = o.parity as SerialSettings['parity'];
  }
  if (o.dataBits !== undefined) {
    if (o.dataBits !== '7' && o.dataBits !== '8') badArg('data-bits', o.dataBits, '7, 8');
    s.dataBits = Number(o.dataBits) as 7 | 8;
  }
  if (o.stopBits !== undefined) {
    if (o.stopBits !== '1' && o.stopBits !== '2') badArg('stop-bits', o.stopBits, '1, 2');
    s.stopBits = Number(o.stopBits) as 1 | 2;
  }
  return s;
}

async function openPort(path: string, s: SerialSettings): Promise<SerialPort> {
  // serialport loads when a port is opened, not at every `lotseal` start (D-116).
  const { serialPort } = await import('../../instruments/serial-port');
  return new Promise((resolve, reject) => {
    const port = serialPort({
      path,
      baudRate: s.baudRate,
      dataBits: s.dataBits,
      parity: s.parity,
      stopBits: s.stopBits,
      rtscts: s.flowControl === 'rtscts',
      autoOpen: false,
    });
    port.open((err) => (err ? reject(err) : resolve(port)));
  });
}

const MESSAGES: Record<string, string> = {
  overload: 'overload: the load is above the range',
  underload: 'underload: pan missing or load below zero',
  unstable: 'the reading is not stable',
  not_executable: 'the instrument cannot execute the command now',
  syntax_error: 'the instrument did not recognise the command',
  transmission_error: 'transmission error (parity or line length): check the serial settings',
  logical_error: 'the instrument refused the command',
  garbage: 'the answer is not a reading: check the serial settings and the driver',
  timeout: 'no answer within the timeout',
};

/**
 * `lotseal instrument read` and `lotseal simulate` (issue 10 §7; ../shared/formats/README.md).
 * `read` asks one reading of a balance, for IT staff checking a connection: exit 0 with a
 * stable reading, 1 for any refused reading (overload … timeout), 2 when the port cannot be
 * opened. `simulate` plays an instrument on a serial port (e.g. one end of a socat pty pair)
 * for tests, demos and training.
 */
export function registerInstrumentCommands(program: Command, g: () => Global): void {
  const instrument = program.command('instrument').description('benchtop instruments over serial ports');
  instrument
    .command('read')
    .description('request one reading from a balance and print it')
    .requiredOption('--port <path>', 'serial port (e.g. /dev/ttyUSB0, COM3)')
    .requiredOption('--driver <id>', 'mt-sics | sbi | ohaus')
    .option('--baud <n>', 'baud rate (default: the driver’s documented default)')
    .option('--parity <p>', 'none | odd | even')
    .option('--data-bits <n>', '7 | 8')
    .option('--stop-bits <n>', '1 | 2')
    .option('--timeout-ms <n>', 'how long to wait for the answer', '3000')
    .action(
      async (o: {
        port: string;
        driver: string;
        baud?: string;
        parity?: string;
        dataBits?: string;
        stopBits?: string;
        timeoutMs: string;
      }) => {
        if (!['mt-sics', 'sbi', 'ohaus'].includes(o.driver)) badArg('driver', o.driver, 'mt-sics, sbi, ohaus');
        const timeout = Number(o.timeoutMs);
        if (!Number.isInteger(timeout) || timeout < 10 || timeout > 120_000) badArg('timeout-ms', o.timeoutMs);
        const driver = driverFor(o.driver as DriverId);
        const settings = settingsFrom(driver.defaults, o);
        let port: SerialPort;
        try {
          port = await openPort(o.port, settings);
        } catch (e) {
          const body = { ok: false, error: 'port_error', message: (e as Error).message, raw: '' };
          if (g().json) process.stdout.write(`${JSON.stringify(body)}\n`);
          else process.stderr.write(`lotseal: cannot open ${o.port}: ${(e as Error).message}\n`);
          throw new Exit(2);
        }
        const framer = driver.framer();
        const received: Buffer[] = [];
        const answer = await new Promise<{ parsed: Parsed | null }>((resolve) => {
          const timer = setTimeout(() => resolve({ parsed: null }), timeout);
          port.on('data', (chunk: Buffer) => {
            received.push(chunk);
            for (const f of framer.push(new Uint8Array(chunk))) {
              const p = driver.parse(f);
              if (p.kind === 'reading' || p.kind === 'error') {
                clearTimeout(timer);
                resolve({ parsed: p });
                return;
              }
            }
          });
          port.write(Buffer.from(driver.requestReading()));
        });
        await new Promise<void>((resolve) => port.close(() => resolve()));
        const raw = Buffer.concat(received).toString('base64');
        const p = answer.parsed;
        let body: Record<string, unknown>;
        let code = 0;
        if (p && p.kind === 'reading' && p.stable) body = { ok: true, value: p.value, unit: p.unit, stable: true, raw };
        else {
          const error = !p
            ? received.length
              ? 'garbage'
              : 'timeout'
            : p.kind === 'reading'
              ? 'unstable'
              : p.kind === 'error'
                ? p.error
                : 'garbage';
          body = { ok: false, error, message: MESSAGES[error] ?? error, raw };
          code = 1;
        }
        if (g().json) process.stdout.write(`${JSON.stringify(body)}\n`);
        else
          process.stdout.write(
            body['ok']
              ? `${String(body['value'])} ${String(body['unit'])} (stable)\n`
              : `not read: ${String(body['message'])}\n`,
          );
        if (code) throw new Exit(code);
      },
    );

  program
    .command('simulate')
    .description('play an instrument on a serial port (for tests, demos and training)')
    .requiredOption('--port <path>', 'serial port to answer on (e.g. one end of a socat pty pair)')
    .requiredOption('--driver <id>', 'mt-sics | sbi | ohaus | print')
    .option('--scenario <name>', simulatorScenarios.join(' | '), 'stable')
    .option('--weight <decimal>', 'the reading to send', '100.00')
    .option('--unit <unit>', 'its unit', 'g')
    .option('--serial <sn>', 'the serial number to report')
    .option('--print-every-ms <n>', 'print driver: send a record every N ms')
    .option('--record <text>', 'print driver: the record text to send (\\n for new lines)')
    .option(
      '--format <id>',
      `print driver: a shipped print format to play (${shippedFormatIds.join(' | ')}); its record, and its error record in the error scenarios`,
    )
    .option(
      '--value <analyte=decimal>',
      'print driver with --format: a value of the record (repeat for several)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--sample-id <id>', 'print driver with --format: the sample id the record carries')
    .action(
      async (o: {
        port: string;
        driver: string;
        scenario: string;
        weight: string;
        unit: string;
        serial?: string;
        printEveryMs?: string;
        record?: string;
        format?: string;
        value: string[];
        sampleId?: string;
      }) => {
        if (!DRIVERS.includes(o.driver)) badArg('driver', o.driver, DRIVERS.join(', '));
        if (o.format !== undefined && !(shippedFormatIds as readonly string[]).includes(o.format))
          badArg('format', o.format, shippedFormatIds.join(', '));
        // eslint-disable-next-line no-restricted-syntax -- 'with --driver print' is English (the usage hint), not SQL
        if (o.format !== undefined && o.driver !== 'print') badArg('format', o.format, 'with --driver print');
        const values: Record<string, string> = {};
        for (const kv of o.value) {
          const m = /^([A-Za-z_][A-Za-z0-9_]{0,39})=(-?\d+(?:\.\d+)?)$/.exec(kv);
          if (!m) badArg('value', kv);
          values[m[1]!] = m[2]!;
        }
        if (!(simulatorScenarios as readonly string[]).includes(o.scenario))
          badArg('scenario', o.scenario, simulatorScenarios.join(', '));
        if (!/^-?\d+(\.\d+)?$/.test(o.weight)) badArg('weight', o.weight);
        const every = o.printEveryMs === undefined ? undefined : Number(o.printEveryMs);
        if (every !== undefined && (!Number.isInteger(every) || every < 100))
          badArg('print-every-ms', String(o.printEveryMs));
        const sim = await runSimulator({
          port: o.port,
          driver: o.driver as DriverId,
          scenario: o.scenario as SimulatorScenario,
          weight: o.weight,
          unit: o.unit,
          ...(o.serial ? { serial: o.serial } : {}),
          ...(o.record ? { printRecord: o.record.replace(/\\n/g, '\r\n') } : {}),
          ...(o.format ? { format: o.format as ShippedFormatId } : {}),
          ...(Object.keys(values).length ? { values } : {}),
          ...(o.sampleId ? { sampleId: o.sampleId } : {}),
          ...(every ? { printEveryMs: every } : {}),
        }).catch((e: unknown) => {
          process.stderr.write(`lotseal: cannot open ${o.port}: ${(e as Error).message}\n`);
          throw new Exit(2);
        });
        process.stderr.write(`lotseal: simulating ${o.driver} (${o.scenario}) on ${o.port}\n`);
        const stop = () => void sim.close();
        // SIGUSR1 is the print key of a printing instrument.
        process.on('SIGUSR1', () => sim.print());
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
        await sim.closed;
      },
    );
}
