import type { z } from 'zod';
import type { InstrumentView, instrumentFields, lockSchema } from '../../shared/contract/channels/instruments';
import { fail } from '../../shared/contract/errors';
import type { OverdueChecks } from '../../shared/contract/channels/home';
import type { Value } from '../ledger/entities';
import type { Actor, Ledger } from '../ledger/ledger';
import { type ConnectionManager, type Target, instrumentFailure } from './connections';
import { driverFor } from './drivers';
import { localDate } from '../lots';
import type { SerialSettings } from './drivers/types';
import { IN } from './entities';
import { asInstrument, type InstrumentQueries, type InstrumentRecord, printConfigOf } from './queries';
import type { InstrumentRules } from './rules';
import { captureView, eventView, planView, refusedView } from './views';

type Fields = z.infer<typeof instrumentFields>;
type Lock = z.infer<typeof lockSchema>;

/**
 * The instrument registry (issue 10): registering and changing instruments (a change needs a
 * reason, the code never changes), their views with connection state and lock, and
 * connecting them through the ConnectionManager with its failures as contract errors.
 */
export class InstrumentRegistry {
  constructor(
    private readonly ledger: Ledger,
    private readonly q: InstrumentQueries,
    readonly connections: ConnectionManager,
    private readonly rules: InstrumentRules,
  ) {}

  row(id: string): InstrumentRecord {
    const r = asInstrument(this.ledger.get(IN.instrument, id));
    if (!r || r.retired) fail('not_found', { entity: 'instrument', id }, 'errors.instrument_not_found');
    return r;
  }

  settingsOf(r: InstrumentRecord): SerialSettings {
    return {
      baudRate: r.baud_rate,
      dataBits: r.data_bits,
      parity: r.parity,
      stopBits: r.stop_bits,
      flowControl: r.flow_control,
      lineEnding: r.line_ending,
    };
  }

  /** Locked when the calibration is missing or overdue, or the daily check is missing, expired or failed. */
  lock(r: InstrumentRecord, now = this.ledger.now()): Lock {
    return this.rules.lock(r, now);
  }

  /**
   * Active instruments whose calibration or periodic check is overdue, failed or was never
   * done (captures are refused), and calibrations falling due within `withinDays` (the home
   * page's 逾期校准, issue 22 §1).
   */
  overdueChecks(withinDays: number, now = this.ledger.now()): OverdueChecks {
    const soon = localDate(this.ledger.timeZone, now + withinDays * 86_400_000);
    const rows = this.q.list(false).map((r) => ({ r, lock: this.lock(r, now) }));
    const overdue = rows.filter((x) => x.lock.reasons.some((y) => y.key !== 'instrumentLock.inactive'));
    const dueSoon = rows.filter(
      (x) => !x.lock.locked && x.lock.calibrationDue !== null && x.lock.calibrationDue <= soon,
    );
    return {
      overdue: overdue.length,
      dueSoon: dueSoon.length,
      withinDays,
      instruments: [...overdue, ...dueSoon].slice(0, 8).map(({ r, lock }) => ({
        id: r.id,
        code: r.code,
        name: r.name,
        reasons: lock.reasons.map((y) => y.key),
        calibrationDue: lock.calibrationDue,
      })),
    };
  }

  view(r: InstrumentRecord): InstrumentView {
    const st = this.connections.state(r.id);
    return {
      id: r.id,
      rev: r.rev,
      code: r.code,
      name: r.name,
      kind: r.kind,
      make: r.make ?? null,
      model: r.model ?? null,
      serialNo: r.serial_no ?? null,
      location: r.location ?? null,
      portPath: r.port_path ?? null,
      usbSerial: r.usb_serial ?? null,
      usbVendorId: r.usb_vendor_id ?? null,
      usbProductId: r.usb_product_id ?? null,
      baudRate: r.baud_rate,
      dataBits: r.data_bits,
      parity: r.parity,
      stopBits: r.stop_bits,
      flowControl: r.flow_control,
      lineEnding: r.line_ending,
      driver: r.driver,
      printConfig: printConfigOf(r),
      checkIntervalHours: r.check_interval_hours,
      active: r.active === 1,
      state: st.state,
      stateMessage: st.message,
      connectedPort: st.port,
      lock: this.lock(r),
    };
  }

  list(includeInactive: boolean): InstrumentView[] {
    return this.q.list(includeInactive).map((r) => this.view(r));
  }

  get(id: string) {
    const r = this.row(id);
    const plan = this.q.checkPlan(id);
    return {
      instrument: this.view(r),
      events: this.q.events(id).map((e) => eventView(e, this.q.flagCount(e.id))),
      captures: this.q.captures(id).map(captureView),
      refused: this.q.frames(id).map(refusedView),
      checkPlan: plan ? planView(plan) : null,
    };
  }

  save(actor: Actor, i: { id?: string | undefined; fields: Fields; reason?: string | undefined }): InstrumentView {
    const f = i.fields;
    if (f.driver === 'print' && !f.printConfig)
      fail('invalid_input', { field: 'printConfig' }, 'errors.print_config_required');
    if (f.printConfig) {
      try {
        driverFor('print', f.printConfig);
      } catch (e) {
        fail('invalid_input', { field: 'printConfig', reason: (e as Error).message }, 'errors.print_config_invalid');
      }
    }
    if (!f.portPath && !f.usbSerial && !(f.usbVendorId && f.usbProductId))
      fail('invalid_input', { field: 'portPath' }, 'errors.instrument_port_required');
    if (i.id && !i.reason) fail('invalid_input', { field: 'reason' }, 'errors.reason_required');
    const cols: Record<string, Value> = {
      code: f.code,
      name: f.name,
      kind: f.kind,
      make: f.make,
      model: f.model,
      serial_no: f.serialNo,
      location: f.location,
      port_path: f.portPath,
      usb_serial: f.usbSerial,
      usb_vendor_id: f.usbVendorId?.toLowerCase() ?? null,
      usb_product_id: f.usbProductId?.toLowerCase() ?? null,
      baud_rate: f.baudRate,
      data_bits: f.dataBits,
      parity: f.parity,
      stop_bits: f.stopBits,
      flow_control: f.flowControl,
      line_ending: f.lineEnding,
      driver: f.driver,
      print_config: f.printConfig ? JSON.stringify(f.printConfig) : null,
      check_interval_hours: f.checkIntervalHours,
      active: f.active ? 1 : 0,
    };
    const out = this.ledger.write(actor, (w) => {
      if (i.id) {
        const cur = asInstrument(w.get(IN.instrument, i.id));
        if (!cur) fail('not_found', { entity: 'instrument', id: i.id }, 'errors.instrument_not_found');
        if (cur.code !== f.code) fail('invalid_input', { field: 'code' }, 'errors.code_immutable');
        return w.update(IN.instrument, i.id, cols, { reason: i.reason! });
      }
      if (this.q.codeTaken(f.code)) fail('conflict', { code: f.code }, 'errors.code_taken');
      return w.create(IN.instrument, cols);
    });
    return this.view(asInstrument(out));
  }

  target(r: InstrumentRecord): Target {
    return {
      id: r.id,
      portPath: r.port_path ?? null,
      usbSerial: r.usb_serial ?? null,
      usbVendorId: r.usb_vendor_id ?? null,
      usbProductId: r.usb_product_id ?? null,
      settings: this.settingsOf(r),
      driver: driverFor(r.driver, printConfigOf(r) ?? undefined),
      expectedSerial: r.serial_no ?? null,
    };
  }

  async connect(id: string): Promise<InstrumentView> {
    const r = this.row(id);
    if (r.active !== 1) fail('conflict', { code: r.code }, 'errors.instrument_inactive');
    try {
      await this.connections.connect(this.target(r));
    } catch (e) {
      this.instrumentFailure(e, r);
    }
    return this.view(r);
  }

  async disconnect(id: string): Promise<InstrumentView> {
    const r = this.row(id);
    await this.connections.disconnect(id);
    return this.view(r);
  }

  /** Maps connection failures to contract errors with their own messages. */
  instrumentFailure(e: unknown, r: InstrumentRecord): never {
    return instrumentFailure(e, r.code);
  }
}
