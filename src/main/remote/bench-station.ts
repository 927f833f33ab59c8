import { translate } from '../../shared/i18n';
import { fail } from '../../shared/contract/errors';
import type { InstrumentView } from '../../shared/contract/channels/instruments';
import type { EventName, EventPayload } from '../../shared/contract';
import { commandAnswer, ConnectionManager, readOutcome } from '../instruments';
import {
  InstrumentError,
  instrumentFailure,
  listPorts,
  type Frame,
  type PortInfo,
  type Target,
} from '../instruments/connections';
import { driverFor } from '../instruments/drivers';

/** How the bench's serial connections reach the renderers (instruments.status / reading / traffic). */
export type BenchEmit = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/**
 * The bench half of a site workstation (issue 23 §3, D-099): the serial connections of the
 * instruments on this bench. The instrument register lives on the server (its definition,
 * its calibration and checks, its lock); the bench opens the port the registered definition
 * names and owns it, one owner per port, exactly as the embedded core does. Status, readings
 * and raw traffic become the same contract events, raised here instead of by a core.
 */
export class BenchStation {
  readonly connections: ConnectionManager;
  /** The definitions (from the server) of the instruments this bench has connected. */
  private readonly views = new Map<string, InstrumentView>();

  constructor(emit: BenchEmit, lister: () => Promise<{ ports: PortInfo[]; error: string | null }> = listPorts) {
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const text = (b: Uint8Array) =>
      Array.from(b, (c) =>
        c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `<${c.toString(16).padStart(2, '0')}>`,
      ).join('');
    this.connections = new ConnectionManager(
      {
        status: (id, state, message, port) => emit('instruments.status', { id, state, message, port }),
        frame: (id, frame, _unsolicited, readingId) =>
          emit('instruments.reading', {
            id,
            readingId,
            at: new Date().toISOString(),
            outcome: readOutcome(frame, 'en'),
          }),
        traffic: (id, dir, bytes) =>
          emit('instruments.traffic', { id, dir, at: new Date().toISOString(), text: text(bytes), hex: hex(bytes) }),
      },
      lister,
    );
  }

  async ports(locale: 'en' | 'zh-CN') {
    const r = await listPorts();
    return {
      ports: r.ports,
      error: r.error ? translate(locale, 'errors.instrument_ports_unavailable', { reason: r.error }) : null,
    };
  }

  /** The registered definition (from the server) as a port to open. */
  target(v: InstrumentView): Target {
    return {
      id: v.id,
      portPath: v.portPath,
      usbSerial: v.usbSerial,
      usbVendorId: v.usbVendorId,
      usbProductId: v.usbProductId,
      settings: {
        baudRate: v.baudRate,
        dataBits: v.dataBits,
        parity: v.parity,
        stopBits: v.stopBits,
        flowControl: v.flowControl,
        lineEnding: v.lineEnding,
      },
      driver: driverFor(v.driver, v.printConfig ?? undefined),
      expectedSerial: v.serialNo,
    };
  }

  /** The server's view of an instrument with this bench's connection state (the server has no ports). */
  overlay(v: InstrumentView): InstrumentView {
    const st = this.connections.state(v.id);
    return { ...v, state: st.state, stateMessage: st.message, connectedPort: st.port };
  }

  async connect(v: InstrumentView): Promise<InstrumentView> {
    if (!v.active) fail('conflict', { code: v.code }, 'errors.instrument_inactive');
    this.views.set(v.id, v);
    try {
      await this.connections.connect(this.target(v));
    } catch (e) {
      instrumentFailure(e, v.code);
    }
    return this.overlay(v);
  }

  async disconnect(id: string): Promise<void> {
    await this.connections.disconnect(id);
  }

  async command(id: string, command: 'zero' | 'tare' | 'serial') {
    try {
      const f = await this.connections.command(id, command);
      return commandAnswer(f);
    } catch (e) {
      return instrumentFailure(e, this.views.get(id)?.code ?? id);
    }
  }

  async send(id: string, text: string): Promise<{ ok: true }> {
    try {
      await this.connections.send(id, text);
    } catch (e) {
      instrumentFailure(e, this.views.get(id)?.code ?? id);
    }
    return { ok: true as const };
  }

  /** The definition this bench connected with (a capture needs no server to know its instrument). */
  connected(id: string): InstrumentView | null {
    return this.views.get(id) ?? null;
  }

  /**
   * The frame half of a capture (D-099): the reading the instrument printed (`readingId`) or a
   * reading asked for now; a timeout is an outcome (nothing to sign), a port failure an error.
   */
  async frameFor(id: string, readingId?: string): Promise<{ frame: Frame | null; error?: 'timeout' }> {
    const code = this.views.get(id)?.code ?? id;
    if (readingId) {
      const f = this.connections.recentReading(id, readingId);
      if (!f) fail('conflict', { instrument: code }, 'errors.instrument_reading_gone');
      return { frame: f };
    }
    try {
      return { frame: await this.connections.readOnce(id) };
    } catch (e) {
      if (e instanceof InstrumentError && e.code === 'timeout') return { frame: null, error: 'timeout' };
      return instrumentFailure(e, code);
    }
  }

  close(): Promise<void> {
    return this.connections.closeAll();
  }
}
