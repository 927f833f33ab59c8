import { randomUUID } from 'node:crypto';
import { SerialPort } from 'serialport';
import { serialPort } from './serial-port';
import type { Driver, FramedLine, Framer, Parsed, SerialSettings } from './drivers/types';

/**
 * The connection manager (issue 10 §3): one owner per port, in the main process. Opens the
 * port (found by a USB-serial adapter's identity, or by path), frames the byte stream with
 * the driver, answers one request at a time, pushes status, readings and raw traffic to
 * listeners (the app turns them into contract events), and reconnects after an unplug.
 * Nothing here touches the database: captures are stored by InstrumentsService.
 */
export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'error';

export interface PortInfo {
  path: string;
  manufacturer: string | null;
  serialNumber: string | null;
  vendorId: string | null;
  productId: string | null;
}

export interface Target {
  id: string;
  portPath: string | null;
  usbSerial: string | null;
  usbVendorId: string | null;
  usbProductId: string | null;
  settings: SerialSettings;
  driver: Driver;
  /** The serial number on record: a different instrument on the port is refused. */
  expectedSerial: string | null;
}

export interface Frame {
  /** The line's content (terminators excluded): what the parser read. */
  bytes: Uint8Array;
  /**
   * The bytes exactly as received, terminators included (D-057); for a print-format record,
   * every line of the record.
   */
  raw: Uint8Array;
  parsed: Parsed;
  /** When the frame's last byte arrived (performance.now()). */
  at: number;
  /** The same moment on the workstation's clock (ms since the epoch; the manager's clock). */
  receivedAt?: number;
}

export interface ConnectionEvents {
  status(id: string, state: ConnectionState, message: string | null, port: string | null): void;
  /** A frame nobody asked for (the print key), or the answer to a request. */
  frame(id: string, frame: Frame, unsolicited: boolean, readingId: string): void;
  traffic(id: string, dir: 'rx' | 'tx', bytes: Uint8Array): void;
}

export class InstrumentError extends Error {
  constructor(
    readonly code: 'port_error' | 'timeout' | 'not_connected' | 'wrong_serial' | 'busy' | 'no_ports',
    message: string,
    readonly details: Record<string, string> = {},
  ) {
    super(message);
  }
}

const RECONNECT_MS = 2000;
/**
 * An open that has not called back by then is given up and retried (D-070): opening a tty is
 * immediate, but a stuck open must not leave the connection in 'connecting' with no retry.
 */
const OPEN_GIVE_UP_MS = 15_000;

function parityOf(p: SerialSettings['parity']): 'none' | 'odd' | 'even' {
  return p;
}

/** Lists ports; on systems where the OS cannot (no udevadm, no permission) says so instead of crashing. */
export async function listPorts(): Promise<{ ports: PortInfo[]; error: string | null }> {
  try {
    const list = await SerialPort.list();
    return {
      ports: list.map((p) => ({
        path: p.path,
        manufacturer: p.manufacturer ?? null,
        serialNumber: p.serialNumber ?? null,
        vendorId: p.vendorId ?? null,
        productId: p.productId ?? null,
      })),
      error: null,
    };
  } catch (e) {
    return { ports: [], error: e instanceof Error ? e.message : String(e) };
  }
}

interface Pending {
  /** A parser for this answer (the serial-number answer of SBI and Ohaus has its own). */
  parser?: ((frame: Uint8Array) => Parsed) | undefined;
  resolve(f: Frame): void;
  reject(e: Error): void;
  accept(p: Parsed): boolean;
  timer: NodeJS.Timeout;
}

class Connection {
  state: ConnectionState = 'disconnected';
  message: string | null = null;
  port: SerialPort | null = null;
  portPath: string | null = null;
  framer: Framer;
  pending: Pending | null = null;
  wanted = false;
  retry: NodeJS.Timeout | null = null;
  /** Recent unsolicited readings, for "the print key sent one": readingId → frame. */
  recent = new Map<string, Frame>();

  constructor(public target: Target) {
    this.framer = target.driver.framer(target.settings.lineEnding);
  }
}

export class ConnectionManager {
  private readonly conns = new Map<string, Connection>();

  constructor(
    private readonly events: ConnectionEvents,
    private readonly lister: () => Promise<{ ports: PortInfo[]; error: string | null }> = listPorts,
    /** The workstation's clock, for the time a frame arrived (a signed frame's capture time). */
    private readonly clock: () => number = Date.now,
  ) {}

  state(id: string): { state: ConnectionState; message: string | null; port: string | null } {
    const c = this.conns.get(id);
    return c
      ? { state: c.state, message: c.message, port: c.portPath }
      : { state: 'disconnected', message: null, port: null };
  }

  private setState(c: Connection, state: ConnectionState, message: string | null): void {
    c.state = state;
    c.message = message;
    this.events.status(c.target.id, state, message, c.portPath);
  }

  /** The port of a target: by USB identity (survives re-plugging into another socket), else the path. */
  async resolvePort(t: Target): Promise<string> {
    if (t.usbSerial || (t.usbVendorId && t.usbProductId)) {
      const { ports, error } = await this.lister();
      if (error && !t.portPath) throw new InstrumentError('no_ports', error);
      const norm = (v: string | null) => (v ?? '').toLowerCase().replace(/^0x/, '');
      const hit = ports.find(
        (p) =>
          (!t.usbSerial || p.serialNumber === t.usbSerial) &&
          (!t.usbVendorId || norm(p.vendorId) === norm(t.usbVendorId)) &&
          (!t.usbProductId || norm(p.productId) === norm(t.usbProductId)),
      );
      if (hit) return hit.path;
      if (!t.portPath)
        throw new InstrumentError('port_error', 'no port with this USB identity is plugged in', {
          usbSerial: t.usbSerial ?? '',
          vendorId: t.usbVendorId ?? '',
          productId: t.usbProductId ?? '',
        });
    }
    if (!t.portPath) throw new InstrumentError('port_error', 'no port configured');
    return t.portPath;
  }

  /** Opens the connection (replacing an older target definition) and checks the instrument's identity. */
  async connect(t: Target): Promise<void> {
    let c = this.conns.get(t.id);
    if (c && c.state === 'connected' && c.target.settings === t.settings) return;
    if (c) await this.close(c, false);
    c = new Connection(t);
    c.wanted = true;
    this.conns.set(t.id, c);
    await this.open(c);
  }

  private async open(c: Connection): Promise<void> {
    this.setState(c, 'connecting', null);
    let path: string;
    try {
      path = await this.resolvePort(c.target);
    } catch (e) {
      this.setState(c, 'error', (e as Error).message);
      this.scheduleRetry(c);
      throw e;
    }
    c.portPath = path;
    const s = c.target.settings;
    const port = serialPort({
      path,
      baudRate: s.baudRate,
      dataBits: s.dataBits,
      parity: parityOf(s.parity),
      stopBits: s.stopBits,
      rtscts: s.flowControl === 'rtscts',
      xon: s.flowControl === 'xonxoff',
      xoff: s.flowControl === 'xonxoff',
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const giveUp = setTimeout(() => {
        settled = true;
        reject(new InstrumentError('port_error', `the port did not open within ${OPEN_GIVE_UP_MS} ms`, { path }));
      }, OPEN_GIVE_UP_MS);
      giveUp.unref?.();
      port.open((err) => {
        clearTimeout(giveUp);
        if (settled) {
          // Opened (or failed) after it was given up: a later attempt owns the port now.
          if (!err) port.close(() => undefined);
          return;
        }
        settled = true;
        if (err) reject(new InstrumentError('port_error', err.message, { path }));
        else resolve();
      });
    }).catch((e: unknown) => {
      this.setState(c, 'error', (e as Error).message);
      this.scheduleRetry(c);
      throw e;
    });
    if (!c.wanted || this.conns.get(c.target.id) !== c) {
      // Disconnected or replaced while the port was opening.
      port.on('error', () => undefined);
      await new Promise<void>((resolve) => port.close(() => resolve()));
      throw new InstrumentError('not_connected', 'disconnected');
    }
    c.port = port;
    c.framer.reset();
    port.on('data', (chunk: Buffer) => this.onData(c, chunk));
    port.on('close', (err: Error | null) => this.onLost(c, err ? `port closed (${err.message})` : 'port closed'));
    port.on('error', (err: Error) => this.onLost(c, err.message));
    // Identity check where the protocol allows it (issue 10 §4).
    const ask = c.target.driver.requestSerial();
    if (ask && ask.length > 0 && c.target.expectedSerial) {
      try {
        const d = c.target.driver;
        const f = await this.request(
          c,
          ask,
          (p) => p.kind === 'serial' || p.kind === 'error',
          2000,
          d.parseSerial ? (fr) => d.parseSerial!(fr) : undefined,
        );
        if (f.parsed.kind === 'serial' && f.parsed.serial !== c.target.expectedSerial) {
          const got = f.parsed.serial;
          c.wanted = false;
          await this.close(c, false);
          this.setState(c, 'error', `wrong instrument: expected serial ${c.target.expectedSerial}, found ${got}`);
          throw new InstrumentError('wrong_serial', 'wrong instrument on this port', {
            expected: c.target.expectedSerial,
            got,
            port: path,
          });
        }
      } catch (e) {
        if (e instanceof InstrumentError && e.code === 'wrong_serial') throw e;
        // The port went away during the check: onLost has said so and scheduled the retry;
        // this attempt is over (claiming 'connected' here would stop the retries, D-070).
        if (c.port !== port) throw e;
        // No answer to the serial request: the instrument may not support it; say so.
        this.setState(c, 'connected', 'serial number not confirmed');
        return;
      }
    }
    this.setState(c, 'connected', null);
  }

  private onData(c: Connection, chunk: Buffer): void {
    const bytes = new Uint8Array(chunk);
    this.events.traffic(c.target.id, 'rx', bytes);
    let frames: FramedLine[];
    try {
      frames = c.framer.frames(bytes);
    } catch {
      c.framer.reset();
      return;
    }
    for (const f of frames) {
      let parsed: Parsed;
      try {
        parsed = c.pending?.parser ? c.pending.parser(f.bytes) : c.target.driver.parse(f.bytes, f.raw);
      } catch {
        parsed = { kind: 'error', error: 'garbage', detail: 'unreadable frame' };
      }
      const raw = (parsed.kind === 'record' || parsed.kind === 'error') && parsed.raw ? parsed.raw : f.raw;
      const frame: Frame = { bytes: f.bytes, raw, parsed, at: performance.now(), receivedAt: this.clock() };
      const p = c.pending;
      if (p && p.accept(parsed)) {
        c.pending = null;
        clearTimeout(p.timer);
        p.resolve(frame);
        continue;
      }
      if (parsed.kind === 'reading' || parsed.kind === 'record' || parsed.kind === 'error') {
        const readingId = randomUUID();
        c.recent.set(readingId, frame);
        if (c.recent.size > 20) c.recent.delete(c.recent.keys().next().value!);
        this.events.frame(c.target.id, frame, true, readingId);
      }
    }
  }

  private onLost(c: Connection, why: string): void {
    if (c.port) {
      c.port.removeAllListeners();
      // A late 'error' from the lost port must not be an unhandled event.
      c.port.on('error', () => undefined);
      c.port = null;
    }
    if (c.pending) {
      clearTimeout(c.pending.timer);
      c.pending.reject(new InstrumentError('port_error', why));
      c.pending = null;
    }
    if (!c.wanted) {
      this.setState(c, 'disconnected', null);
      return;
    }
    this.setState(c, 'error', `connection lost: ${why}; reconnecting`);
    this.scheduleRetry(c);
  }

  private scheduleRetry(c: Connection): void {
    if (!c.wanted || c.retry) return;
    c.retry = setTimeout(() => {
      c.retry = null;
      if (!c.wanted || c.state === 'connected' || this.conns.get(c.target.id) !== c) return;
      this.open(c).catch(() => undefined);
    }, RECONNECT_MS);
    c.retry.unref?.();
  }

  private write(c: Connection, bytes: Uint8Array): Promise<void> {
    const port = c.port;
    if (!port || (c.state !== 'connected' && c.state !== 'connecting'))
      return Promise.reject(new InstrumentError('not_connected', 'not connected'));
    this.events.traffic(c.target.id, 'tx', bytes);
    return new Promise((resolve, reject) =>
      port.write(Buffer.from(bytes), (err) =>
        err ? reject(new InstrumentError('port_error', err.message)) : resolve(),
      ),
    );
  }

  private request(
    c: Connection,
    bytes: Uint8Array,
    accept: (p: Parsed) => boolean,
    timeoutMs: number,
    parser?: (frame: Uint8Array) => Parsed,
  ): Promise<Frame> {
    if (c.pending) return Promise.reject(new InstrumentError('busy', 'a request is already waiting for an answer'));
    return new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (c.pending?.timer === timer) c.pending = null;
        c.framer.reset();
        reject(new InstrumentError('timeout', `no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      c.pending = { resolve, reject, accept, timer, parser };
      // A partial line left from before the request is not part of its answer.
      c.framer.reset();
      this.write(c, bytes).catch((e: unknown) => {
        clearTimeout(timer);
        c.pending = null;
        reject(e as Error);
      });
    });
  }

  private must(id: string): Connection {
    const c = this.conns.get(id);
    if (!c || c.state !== 'connected') throw new InstrumentError('not_connected', 'the instrument is not connected');
    return c;
  }

  /** Requests one reading; resolves with the answering frame (a reading or an error frame). */
  readOnce(id: string, timeoutMs = 5000): Promise<Frame> {
    const c = this.must(id);
    const req = c.target.driver.requestReading();
    if (req.length === 0)
      throw new InstrumentError('port_error', 'this instrument cannot be asked for a reading: press its print key');
    return this.request(c, req, (p) => p.kind === 'reading' || p.kind === 'error', timeoutMs);
  }

  /** A reading the instrument sent on its own (print key), within the last minute. */
  recentReading(id: string, readingId: string): Frame | null {
    const f = this.conns.get(id)?.recent.get(readingId);
    return f && performance.now() - f.at < 60_000 ? f : null;
  }

  async command(id: string, which: 'zero' | 'tare' | 'serial', timeoutMs = 3000): Promise<Frame> {
    const c = this.must(id);
    const d = c.target.driver;
    const bytes = which === 'zero' ? d.zero() : which === 'tare' ? d.tare() : d.requestSerial();
    if (!bytes || bytes.length === 0) throw new InstrumentError('port_error', `the protocol has no ${which} command`);
    const parser = which === 'serial' && d.parseSerial ? (fr: Uint8Array) => d.parseSerial!(fr) : undefined;
    return this.request(c, bytes, (p) => p.kind !== 'ignore', timeoutMs, parser);
  }

  /** Raw terminal: sends text with the configured line ending. */
  async send(id: string, text: string): Promise<void> {
    const c = this.must(id);
    const end = c.target.settings.lineEnding === 'crlf' ? '\r\n' : c.target.settings.lineEnding === 'cr' ? '\r' : '\n';
    // Escapes a technician can type: \e (ESC), \r, \n.
    const body = text.replace(/\\e/g, '\u001b').replace(/\\r/g, '\r').replace(/\\n/g, '\n');
    await this.write(c, new TextEncoder().encode(body + end));
  }

  async disconnect(id: string): Promise<void> {
    const c = this.conns.get(id);
    if (!c) return;
    c.wanted = false;
    await this.close(c, true);
  }

  private async close(c: Connection, announce: boolean): Promise<void> {
    if (c.retry) clearTimeout(c.retry);
    c.retry = null;
    const port = c.port;
    c.port = null;
    if (port) {
      port.removeAllListeners();
      port.on('error', () => undefined);
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    }
    if (c.pending) {
      clearTimeout(c.pending.timer);
      c.pending.reject(new InstrumentError('not_connected', 'disconnected'));
      c.pending = null;
    }
    if (announce) this.setState(c, 'disconnected', null);
  }

  async closeAll(): Promise<void> {
    for (const c of this.conns.values()) {
      c.wanted = false;
      await this.close(c, false);
    }
    this.conns.clear();
  }
}
