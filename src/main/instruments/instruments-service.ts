import type { z } from 'zod';
import type {
  InstrumentView,
  captureViewSchema,
  eventViewSchema,
  instrumentFields,
  lockSchema,
  printConfigInput,
  readOutcomeSchema,
} from '../../shared/contract/channels/instruments';
import { fail } from '../../shared/contract/errors';
import type { Locale } from '../../shared/i18n';
import { translate } from '../../shared/i18n';
import { parseDecimal, toLabDecimal } from '../../shared/rules';
import type { Row, Value } from '../ledger/entities';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { localDate } from '../lots/codes';
import type { ResultsService } from '../results/results-service';
import { type ConnectionManager, InstrumentError, type Frame, type Target } from './connections';
import { driverFor } from './drivers';
import type { Parsed, SerialSettings } from './drivers/types';
import { IN } from './entities';

type Fields = z.infer<typeof instrumentFields>;
type Lock = z.infer<typeof lockSchema>;
type CaptureView = z.infer<typeof captureViewSchema>;
type EventView = z.infer<typeof eventViewSchema>;
type ReadOutcome = z.infer<typeof readOutcomeSchema>;
type PrintConfig = z.infer<typeof printConfigInput>;

const HOUR = 3_600_000;

function iso(ms: Value | undefined): string | null {
  return typeof ms === 'number' ? new Date(ms).toISOString() : null;
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/** Units that mean the same for capture: '%' from a moisture analyser is g/100 g. */
export function unitsCompatible(reading: string, expected: string): boolean {
  const norm = (u: string) => u.toLowerCase().replace(/\s+/g, '');
  const a = norm(reading);
  const b = norm(expected);
  if (a === b) return true;
  const massFraction = new Set(['%', 'g/100g', '%mc', '%w/w']);
  return massFraction.has(a) && massFraction.has(b);
}

/**
 * Benchtop instruments (issue 10): the registry, calibration and daily checks with the lock
 * they imply, and captures of readings into results with the raw bytes as the original
 * record. Connections live in the ConnectionManager (main process); this service decides
 * what a reading may become.
 */
export class InstrumentsService {
  constructor(
    private readonly ledger: Ledger,
    private readonly results: ResultsService,
    readonly connections: ConnectionManager,
  ) {}

  private get db() {
    return this.ledger.db;
  }

  row(id: string): Row {
    const r = this.ledger.get(IN.instrument, id);
    if (!r || r.retired) fail('not_found', { entity: 'instrument', id }, 'errors.instrument_not_found');
    return r;
  }

  settingsOf(r: Row): SerialSettings {
    return {
      baudRate: r['baud_rate'] as number,
      dataBits: r['data_bits'] as 7 | 8,
      parity: r['parity'] as SerialSettings['parity'],
      stopBits: r['stop_bits'] as 1 | 2,
      flowControl: r['flow_control'] as SerialSettings['flowControl'],
      lineEnding: r['line_ending'] as SerialSettings['lineEnding'],
    };
  }

  /** Locked when the calibration is missing or overdue, or the daily check is missing, expired or failed. */
  lock(r: Row, now = this.ledger.now()): Lock {
    const reasons: Lock['reasons'] = [];
    const today = localDate(this.ledger.timeZone, now);
    const cal = this.db
      .prepare(
        "SELECT * FROM instrument_event WHERE instrument_id = ? AND kind = 'calibration' AND retired = 0 ORDER BY performed_at DESC LIMIT 1",
      )
      .get(r.id) as Row | undefined;
    const calibrationDue = (cal?.['due_on'] as string | null | undefined) ?? null;
    if (r['active'] !== 1) reasons.push({ key: 'instrumentLock.inactive', details: {} });
    if (!cal) reasons.push({ key: 'instrumentLock.calibration_missing', details: {} });
    else if (cal['passed'] !== 1)
      reasons.push({
        key: 'instrumentLock.calibration_failed',
        details: { on: iso(cal['performed_at'])!.slice(0, 10) },
      });
    else if (calibrationDue && calibrationDue < today)
      reasons.push({ key: 'instrumentLock.calibration_overdue', details: { due: calibrationDue } });
    const check = this.db
      .prepare(
        "SELECT * FROM instrument_event WHERE instrument_id = ? AND kind = 'daily_check' AND retired = 0 ORDER BY performed_at DESC LIMIT 1",
      )
      .get(r.id) as Row | undefined;
    const interval = r['check_interval_hours'] as number;
    if (interval > 0) {
      if (!check) reasons.push({ key: 'instrumentLock.check_missing', details: {} });
      else if (check['passed'] !== 1)
        reasons.push({ key: 'instrumentLock.check_failed', details: { at: iso(check['performed_at'])! } });
      else if ((check['performed_at'] as number) + interval * HOUR < now)
        reasons.push({
          key: 'instrumentLock.check_expired',
          details: { at: iso(check['performed_at'])!, hours: String(interval) },
        });
    }
    return {
      locked: reasons.length > 0,
      reasons,
      calibrationDue,
      lastCheckAt: iso(check?.['performed_at']),
      lastCheckPassed: check ? check['passed'] === 1 : null,
    };
  }

  view(r: Row): InstrumentView {
    const st = this.connections.state(r.id);
    return {
      id: r.id,
      rev: r.rev,
      code: r['code'] as string,
      name: r['name'] as string,
      kind: r['kind'] as Fields['kind'],
      make: (r['make'] as string | null) ?? null,
      model: (r['model'] as string | null) ?? null,
      serialNo: (r['serial_no'] as string | null) ?? null,
      location: (r['location'] as string | null) ?? null,
      portPath: (r['port_path'] as string | null) ?? null,
      usbSerial: (r['usb_serial'] as string | null) ?? null,
      usbVendorId: (r['usb_vendor_id'] as string | null) ?? null,
      usbProductId: (r['usb_product_id'] as string | null) ?? null,
      baudRate: r['baud_rate'] as number,
      dataBits: r['data_bits'] as 7 | 8,
      parity: r['parity'] as Fields['parity'],
      stopBits: r['stop_bits'] as 1 | 2,
      flowControl: r['flow_control'] as Fields['flowControl'],
      lineEnding: r['line_ending'] as Fields['lineEnding'],
      driver: r['driver'] as Fields['driver'],
      printConfig: r['print_config'] ? (JSON.parse(r['print_config'] as string) as PrintConfig) : null,
      checkIntervalHours: r['check_interval_hours'] as number,
      active: r['active'] === 1,
      state: st.state,
      stateMessage: st.message,
      connectedPort: st.port,
      lock: this.lock(r),
    };
  }

  list(includeInactive: boolean): InstrumentView[] {
    const rows = this.db
      .prepare(`SELECT * FROM instrument WHERE retired = 0 ${includeInactive ? '' : 'AND active = 1'} ORDER BY code`)
      .all() as Row[];
    return rows.map((r) => this.view(r));
  }

  captureView(c: Row): CaptureView {
    return {
      id: c.id,
      instrumentId: c['instrument_id'] as string,
      resultId: (c['result_id'] as string | null) ?? null,
      replicateIndex: (c['replicate_index'] as number | null) ?? null,
      purpose: c['purpose'] as CaptureView['purpose'],
      raw: c['raw'] as string,
      value: (c['value'] as string | null) ?? null,
      unit: (c['unit'] as string | null) ?? null,
      stable: c['stable'] === 1,
      at: iso(c['at'])!,
      by: c['by_user'] as string,
      status: c['status'] as CaptureView['status'],
      typedOverReason: (c['typed_over_reason'] as string | null) ?? null,
      flagged: c['flagged'] === 1,
      flagReason: (c['flag_reason'] as string | null) ?? null,
    };
  }

  eventView(e: Row): EventView {
    return {
      id: e.id,
      kind: e['kind'] as EventView['kind'],
      performedAt: iso(e['performed_at'])!,
      dueOn: (e['due_on'] as string | null) ?? null,
      certificateNo: (e['certificate_no'] as string | null) ?? null,
      provider: (e['provider'] as string | null) ?? null,
      passed: e['passed'] === 1,
      points: e['points'] ? (JSON.parse(e['points'] as string) as EventView['points']) : [],
      by: e['by_user'] as string,
      note: (e['note'] as string | null) ?? null,
    };
  }

  get(id: string) {
    const r = this.row(id);
    const events = this.db
      .prepare(
        'SELECT * FROM instrument_event WHERE instrument_id = ? AND retired = 0 ORDER BY performed_at DESC LIMIT 200',
      )
      .all(id) as Row[];
    const captures = this.db
      .prepare('SELECT * FROM instrument_capture WHERE instrument_id = ? AND retired = 0 ORDER BY at DESC LIMIT 200')
      .all(id) as Row[];
    return {
      instrument: this.view(r),
      events: events.map((e) => this.eventView(e)),
      captures: captures.map((c) => this.captureView(c)),
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
        const cur = w.get(IN.instrument, i.id);
        if (!cur) fail('not_found', { entity: 'instrument', id: i.id }, 'errors.instrument_not_found');
        if (cur['code'] !== f.code) fail('invalid_input', { field: 'code' }, 'errors.code_immutable');
        return w.update(IN.instrument, i.id, cols, { reason: i.reason! });
      }
      if (this.db.prepare('SELECT 1 FROM instrument WHERE code = ?').get(f.code))
        fail('conflict', { code: f.code }, 'errors.code_taken');
      return w.create(IN.instrument, cols);
    });
    return this.view(out);
  }

  target(r: Row): Target {
    return {
      id: r.id,
      portPath: (r['port_path'] as string | null) ?? null,
      usbSerial: (r['usb_serial'] as string | null) ?? null,
      usbVendorId: (r['usb_vendor_id'] as string | null) ?? null,
      usbProductId: (r['usb_product_id'] as string | null) ?? null,
      settings: this.settingsOf(r),
      driver: driverFor(
        r['driver'] as Fields['driver'],
        r['print_config'] ? JSON.parse(r['print_config'] as string) : undefined,
      ),
      expectedSerial: (r['serial_no'] as string | null) ?? null,
    };
  }

  async connect(id: string): Promise<InstrumentView> {
    const r = this.row(id);
    if (r['active'] !== 1) fail('conflict', { code: r['code'] }, 'errors.instrument_inactive');
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
  instrumentFailure(e: unknown, r: Row): never {
    if (e instanceof InstrumentError) {
      const details = { instrument: r['code'] as string, ...e.details, reason: e.message };
      switch (e.code) {
        case 'wrong_serial':
          fail('conflict', details, 'errors.instrument_wrong_serial');
          break;
        case 'not_connected':
          fail('conflict', details, 'errors.instrument_not_connected');
          break;
        case 'busy':
          fail('conflict', details, 'errors.instrument_busy');
          break;
        case 'no_ports':
          fail('conflict', details, 'errors.instrument_ports_unavailable');
          break;
        default:
          fail('conflict', details, 'errors.instrument_port_error');
      }
    }
    throw e;
  }

  /** What a frame says, for the user: a reading, or why it is refused (translated). */
  outcome(frame: Frame | null, locale: Locale, error?: 'timeout' | 'port_error'): ReadOutcome {
    const raw = frame ? b64(frame.bytes) : '';
    const refuse = (code: ReadOutcome['error'] & string, details: Record<string, string> = {}): ReadOutcome => ({
      ok: false,
      value: null,
      unit: null,
      stable: null,
      error: code,
      message: translate(locale, `instrumentReading.${code}`, details),
      raw,
    });
    if (!frame) return refuse(error ?? 'timeout');
    const p: Parsed = frame.parsed;
    if (p.kind === 'reading') {
      if (!p.stable) return { ...refuse('unstable'), value: p.value, unit: p.unit, stable: false };
      return { ok: true, value: p.value, unit: p.unit, stable: true, error: null, message: null, raw };
    }
    if (p.kind === 'error') return refuse(p.error, { detail: p.detail });
    return refuse('garbage');
  }

  private async frameFor(
    r: Row,
    readingId: string | undefined,
  ): Promise<{ frame: Frame | null; error?: 'timeout' | 'port_error' }> {
    if (readingId) {
      const f = this.connections.recentReading(r.id, readingId);
      if (!f) fail('conflict', { instrument: r['code'] }, 'errors.instrument_reading_gone');
      return { frame: f };
    }
    try {
      return { frame: await this.connections.readOnce(r.id) };
    } catch (e) {
      if (e instanceof InstrumentError && e.code === 'timeout') return { frame: null, error: 'timeout' };
      this.instrumentFailure(e, r);
    }
  }

  private captureRow(
    w: LedgerWriter,
    r: Row,
    frame: Frame,
    purpose: 'result' | 'check' | 'read',
    resultId: string | null,
    replicateIndex: number | null,
  ): Row {
    const p = frame.parsed as Extract<Parsed, { kind: 'reading' }>;
    return w.create(IN.capture, {
      instrument_id: r.id,
      result_id: resultId,
      replicate_index: replicateIndex,
      purpose,
      raw: b64(frame.bytes),
      value: p.value,
      unit: p.unit,
      stable: p.stable ? 1 : 0,
      settings: JSON.stringify({ port: this.connections.state(r.id).port, driver: r['driver'], ...this.settingsOf(r) }),
      at: w.at,
      by_user: w.actor.id,
      status: 'used',
      typed_over_reason: null,
      flagged: 0,
      flag_reason: null,
    });
  }

  /**
   * A reading into a result (issue 10 §5): the instrument must be unlocked; the reading stable
   * and in the result's unit; then the capture (raw bytes and all) and the result's replicate
   * are written in one transaction. A refused reading stores nothing.
   */
  async capture(
    actor: Actor,
    locale: Locale,
    i: { instrumentId: string; resultId: string; replicateIndex: number; readingId?: string | undefined },
  ) {
    const r = this.row(i.instrumentId);
    const lock = this.lock(r);
    if (lock.locked)
      fail(
        'conflict',
        { instrument: r['code'], reasons: lock.reasons.map((x) => translate(locale, x.key, x.details)).join('; ') },
        'errors.instrument_locked',
      );
    const result = this.results.row(i.resultId);
    const expected = this.results.view(result).entryUnit;
    const { frame, error } = await this.frameFor(r, i.readingId);
    const outcome = this.outcome(frame, locale, error);
    if (!outcome.ok) return { outcome, capture: null, changed: [] };
    if (!unitsCompatible(outcome.unit!, expected)) {
      return {
        outcome: {
          ...outcome,
          ok: false,
          error: 'wrong_unit' as const,
          message: translate(locale, 'instrumentReading.wrong_unit', { unit: outcome.unit!, expected }),
        },
        capture: null,
        changed: [],
      };
    }
    return this.ledger.write(actor, (w) => {
      const c = this.captureRow(w, r, frame!, 'result', result.id, i.replicateIndex);
      const changed = this.results.applyCapture(w, result.id, i.replicateIndex, outcome.value!, r['code'] as string);
      return { outcome, capture: this.captureView(c), changed };
    });
  }

  /** A reading as evidence for a daily check point. */
  async read(actor: Actor, locale: Locale, id: string) {
    const r = this.row(id);
    const { frame, error } = await this.frameFor(r, undefined);
    const outcome = this.outcome(frame, locale, error);
    if (!outcome.ok) return { outcome, capture: null };
    return this.ledger.write(actor, (w) => ({
      outcome,
      capture: this.captureView(this.captureRow(w, r, frame!, 'check', null, null)),
    }));
  }

  dailyCheck(
    actor: Actor,
    id: string,
    points: Array<{
      nominal: string;
      tolerance: string;
      unit: string;
      captureId?: string | undefined;
      reading?: string | undefined;
    }>,
    note?: string,
  ): EventView {
    const r = this.row(id);
    const evaluated = points.map((p) => {
      let reading = p.reading ?? null;
      if (p.captureId) {
        const c = this.ledger.get(IN.capture, p.captureId);
        if (!c || c['instrument_id'] !== id || c['purpose'] !== 'check')
          fail('invalid_input', { field: 'captureId' }, 'errors.check_capture_invalid');
        if (!unitsCompatible(c['unit'] as string, p.unit))
          fail('invalid_input', { field: 'unit', unit: c['unit'], expected: p.unit }, 'errors.check_unit_mismatch');
        reading = c['value'] as string;
      }
      if (reading === null) fail('invalid_input', { field: 'reading' }, 'errors.check_reading_required');
      const rd = parseDecimal(reading);
      const nom = parseDecimal(p.nominal);
      const tol = parseDecimal(p.tolerance);
      if (!rd.ok || !nom.ok || !tol.ok) fail('invalid_input', { field: 'points' }, 'errors.check_reading_required');
      const diff = toLabDecimal(rd.value).minus(toLabDecimal(nom.value)).abs();
      const passed = !diff.greaterThan(toLabDecimal(tol.value));
      return {
        nominal: p.nominal,
        tolerance: p.tolerance,
        unit: p.unit,
        reading,
        captureId: p.captureId ?? null,
        passed,
      };
    });
    const passed = evaluated.every((p) => p.passed);
    return this.ledger.write(actor, (w) => {
      const e = w.create(IN.event, {
        instrument_id: id,
        kind: 'daily_check',
        performed_at: w.at,
        due_on: null,
        certificate_no: null,
        provider: null,
        passed: passed ? 1 : 0,
        points: JSON.stringify(evaluated),
        by_user: actor.id,
        note: note ?? null,
      });
      // A failed check casts doubt on every capture since the last good check (issue 10 §6).
      if (!passed) this.flagSinceLastGoodCheck(w, r, e.id);
      return this.eventView(e);
    });
  }

  private flagSinceLastGoodCheck(w: LedgerWriter, r: Row, failedEventId: string): void {
    const good = this.db
      .prepare(
        "SELECT max(performed_at) AS at FROM instrument_event WHERE instrument_id = ? AND kind = 'daily_check' AND passed = 1 AND retired = 0 AND id <> ?",
      )
      .get(r.id, failedEventId) as { at: number | null };
    const since = good.at ?? 0;
    const rows = this.db
      .prepare(
        "SELECT id FROM instrument_capture WHERE instrument_id = ? AND purpose = 'result' AND flagged = 0 AND at >= ?",
      )
      .all(r.id, since) as Array<{ id: string }>;
    for (const c of rows) {
      w.update(
        IN.capture,
        c.id,
        { flagged: 1, flag_reason: `daily check failed ${new Date(w.at).toISOString()}` },
        { reason: 'daily check failed: captures since the last passing check need review' },
      );
    }
  }

  calibration(
    actor: Actor,
    id: string,
    i: {
      kind: 'calibration' | 'maintenance';
      performedOn: string;
      dueOn?: string | undefined;
      certificateNo?: string | undefined;
      provider?: string | undefined;
      passed: boolean;
      note?: string | undefined;
    },
  ): EventView {
    this.row(id);
    if (i.kind === 'calibration' && !i.dueOn)
      fail('invalid_input', { field: 'dueOn' }, 'errors.calibration_due_required');
    if (i.dueOn && i.dueOn <= i.performedOn) fail('invalid_input', { field: 'dueOn' }, 'errors.calibration_due_order');
    const today = localDate(this.ledger.timeZone, this.ledger.now());
    if (i.performedOn > today) fail('invalid_input', { field: 'performedOn' }, 'errors.date_in_future');
    return this.ledger.write(actor, (w) =>
      this.eventView(
        w.create(IN.event, {
          instrument_id: id,
          kind: i.kind,
          performed_at:
            Date.parse(`${i.performedOn}T12:00:00Z`) > w.at ? w.at : Date.parse(`${i.performedOn}T12:00:00Z`),
          due_on: i.dueOn ?? null,
          certificate_no: i.certificateNo ?? null,
          provider: i.provider ?? null,
          passed: i.passed ? 1 : 0,
          points: null,
          by_user: actor.id,
          note: i.note ?? null,
        }),
      ),
    );
  }

  /** The capture behind a replicate, if any (for "typed over a captured value"). */
  captureFor(resultId: string, replicateIndex: number): Row | undefined {
    return this.db
      .prepare(
        "SELECT * FROM instrument_capture WHERE result_id = ? AND replicate_index = ? AND status = 'used' AND retired = 0 ORDER BY at DESC LIMIT 1",
      )
      .get(resultId, replicateIndex) as Row | undefined;
  }
}
