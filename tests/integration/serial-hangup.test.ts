import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionManager, type ConnectionState, type Target } from '../../src/main/instruments/connections';
import { driverFor } from '../../src/main/instruments/drivers';
import { runSimulator, type RunningSimulator } from '../../src/main/instruments/simulator';
import { tempDir } from '../helpers/core';
import { ptyPair, type PtyPair } from '../helpers/pty';

/**
 * The connection manager against a real hang-up (D-070): socat killed while both ends are
 * held, as when a USB-serial adapter is pulled with the instrument still on it. Before
 * D-070 serialport read the hung-up tty's end of file again and again and never closed the
 * port: the connection stayed 'connected' and no 'error' status ever came. Every wait here
 * is on the manager's own status and traffic events, never on a timer.
 */

interface Recorder {
  states: ConnectionState[];
  /** Resolves on the first status `state` at or after position `from` of `states`. */
  reach(state: ConnectionState, from: number): Promise<void>;
  /** Resolves on the first bytes sent to the instrument at or after this call. */
  nextTx(): Promise<void>;
}

function recorder(): { rec: Recorder; cm: ConnectionManager } {
  const states: ConnectionState[] = [];
  let wake: Array<() => void> = [];
  let txWake: Array<() => void> = [];
  const cm = new ConnectionManager({
    status: (_id, state) => {
      states.push(state);
      for (const w of wake) w();
      wake = [];
    },
    frame: () => undefined,
    traffic: (_id, dir) => {
      if (dir !== 'tx') return;
      for (const w of txWake) w();
      txWake = [];
    },
  });
  const rec: Recorder = {
    states,
    async reach(state, from) {
      while (!states.slice(from).includes(state)) await new Promise<void>((r) => wake.push(r));
    },
    nextTx: () => new Promise<void>((r) => txWake.push(r)),
  };
  return { rec, cm };
}

describe('a serial port that hangs up', () => {
  let t: ReturnType<typeof tempDir>;
  let pty: PtyPair;
  let sim: RunningSimulator | null = null;
  let cm: ConnectionManager | null = null;
  const driver = driverFor('mt-sics');
  const target = (): Target => ({
    id: 'hb43',
    portPath: pty.a,
    usbSerial: null,
    usbVendorId: null,
    usbProductId: null,
    settings: { ...driver.defaults, lineEnding: 'crlf' },
    driver,
    expectedSerial: 'B123456789',
  });
  const simulate = async () => {
    sim = await runSimulator({
      port: pty.b,
      driver: 'mt-sics',
      scenario: 'stable',
      weight: '2.45',
      unit: '%',
      serial: 'B123456789',
    });
  };

  beforeEach(async () => {
    t = tempDir();
    pty = await ptyPair(t.dir);
  });
  afterEach(async () => {
    await cm?.closeAll();
    await sim?.close();
    sim = null;
    await pty.unplug();
    t.cleanup();
  });

  it('is noticed while the instrument still holds its end, and the connection recovers on replug', async () => {
    const r = recorder();
    cm = r.cm;
    await simulate();
    await cm.connect(target());
    expect(cm.state('hb43').state).toBe('connected');
    // Pull the cable: the simulator keeps its end open (nothing else closes the app's port).
    const before = r.rec.states.length;
    await pty.unplug();
    await r.rec.reach('error', before);
    expect(cm.state('hb43').message).toMatch(/connection lost/);
    await sim!.close();
    sim = null;
    const replugged = r.rec.states.length;
    await pty.plug();
    await simulate();
    await r.rec.reach('connected', replugged);
    const f = await cm.readOnce('hb43');
    expect(f.parsed).toMatchObject({ kind: 'reading', value: '2.45', unit: '%', stable: true });
  });

  it('lost during the identity check is not reported connected: the retries go on until the instrument answers', async () => {
    const r = recorder();
    cm = r.cm;
    // Nobody on the far end: the serial-number request waits for an answer.
    const asked = r.rec.nextTx();
    const connecting = cm.connect(target()).catch((e: unknown) => e);
    await asked;
    const before = r.rec.states.length;
    await pty.unplug();
    await r.rec.reach('error', before);
    await connecting;
    const replugged = r.rec.states.length;
    await pty.plug();
    await simulate();
    // A retry opens the new port and confirms the instrument: a 'connected' after the replug.
    await r.rec.reach('connected', replugged);
    const f = await cm.readOnce('hb43');
    expect(f.parsed).toMatchObject({ kind: 'reading', value: '2.45' });
  });
});
