import type { z } from 'zod';
import type {
  InstrumentView,
  captureViewSchema,
  checkPlanViewSchema,
  checkPointSchema,
  eventViewSchema,
  impactViewSchema,
  instrumentFields,
  lockSchema,
  printConfigInput,
  readOutcomeSchema,
  refusedFrameViewSchema,
} from '../../shared/contract/channels/instruments';
import { fail } from '../../shared/contract/errors';
import type { SignatureMeaning } from '../../shared/domain/roles';
import type { Locale } from '../../shared/i18n';
import { translate } from '../../shared/i18n';
import { entryUnit, isPlanItem, parseDecimal, type TestItem } from '../../shared/rules';
import { actorOf, type IdentityService } from '../identity';
import type { Row, Value } from '../ledger/entities';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { L } from '../lots';
import { localDate } from '../lots';
import { T } from '../testing';
import type { TestingService as ResultsService } from '../testing';
import { type ConnectionManager, InstrumentError, type Frame, type Target } from './connections';
import { driverFor } from './drivers';
import type { PrintConfig } from './drivers/print-format';
import type { Parsed, SerialSettings } from './drivers/types';
import { IN } from './entities';
import { type Converted, dec, type InstrumentRules, unitsCompatible } from './rules';

export { unitsCompatible } from './rules';

type Fields = z.infer<typeof instrumentFields>;
type Lock = z.infer<typeof lockSchema>;
type CaptureView = z.infer<typeof captureViewSchema>;
type EventView = z.infer<typeof eventViewSchema>;
type ReadOutcome = z.infer<typeof readOutcomeSchema>;
type PrintConfigIn = z.infer<typeof printConfigInput>;
type RefusedView = z.infer<typeof refusedFrameViewSchema>;
type CheckPlanView = z.infer<typeof checkPlanViewSchema>;
type CheckPoint = z.infer<typeof checkPointSchema>;
type ImpactView = z.infer<typeof impactViewSchema>;
type ResultRowView = ReturnType<ResultsService['view']>;

const EDITABLE = new Set(['pending', 'entered', 'returned']);
/** Lot statuses a hold changes (the others are already blocked or final). */
const HOLDABLE = new Set(['released', 'accepted']);

function iso(ms: Value | undefined): string | null {
  return typeof ms === 'number' ? new Date(ms).toISOString() : null;
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/** One result a reading or a record fills. */
interface Fill {
  result: Row;
  field: string | null;
  read: { value: string; unit: string };
  converted: Converted;
}

/**
 * Test seams for the check-then-act races of issue 19 §7: awaited between the frame's arrival
 * and the write, so a test can commit the change that must stop the write at exactly that
 * point (no sleeps). Never set outside tests.
 */
export interface InstrumentsTestHooks {
  afterFrame?: (instrumentId: string) => Promise<void>;
}

/**
 * Benchtop instruments (issues 10, 19 §5, 20 §1): the registry, calibration and daily checks
 * with the lock they imply, captures of readings and print-format records into results with
 * the raw bytes as the original record, refused frames kept as evidence, check plans fixed by
 * a QA manager, and the impact of a failed check with its signed hold. Connections live in
 * the ConnectionManager (main process); this service decides what a reading may become.
 */
export class InstrumentsService {
  hooks: InstrumentsTestHooks = {};

  constructor(
    private readonly ledger: Ledger,
    private readonly results: ResultsService,
    readonly connections: ConnectionManager,
    readonly rules: InstrumentRules,
    private readonly identity: IdentityService,
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
    return this.rules.lock(r, now);
  }

  private printConfigOf(r: Row): PrintConfig | null {
    return r['print_config'] ? (JSON.parse(r['print_config'] as string) as PrintConfig) : null;
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
      printConfig: this.printConfigOf(r) as PrintConfigIn | null,
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
    const conv = c['conversion'] ? (JSON.parse(c['conversion'] as string) as Converted['conversion']) : null;
    const record = c['record'] ? (JSON.parse(c['record'] as string) as { sampleId?: string | null }) : null;
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
      field: (c['field'] as string | null) ?? null,
      readValue: (c['read_value'] as string | null) ?? null,
      readUnit: (c['read_unit'] as string | null) ?? null,
      conversion: conv
        ? `${conv.from} × ${conv.factor}${conv.offset && conv.offset !== '0' ? ` + ${conv.offset}` : ''} → ${conv.to ?? ''}${conv.method ? ` (${conv.method})` : ''}`
        : null,
      recordSampleId: record?.sampleId ?? null,
      rawAsReceived: c['raw_format'] === 'as_received',
    };
  }

  eventView(e: Row): EventView {
    const flagged = (
      this.db.prepare('SELECT count(*) AS n FROM instrument_flag WHERE event_id = ?').get(e.id) as { n: number }
    ).n;
    const points = e['points']
      ? (JSON.parse(e['points'] as string) as Array<Partial<EventView['points'][number]>>)
      : [];
    return {
      id: e.id,
      kind: e['kind'] as EventView['kind'],
      flagged,
      performedAt: iso(e['performed_at'])!,
      dueOn: (e['due_on'] as string | null) ?? null,
      certificateNo: (e['certificate_no'] as string | null) ?? null,
      provider: (e['provider'] as string | null) ?? null,
      passed: e['passed'] === 1,
      points: points.map((p) => ({
        standard: p.standard ?? null,
        certificateNo: p.certificateNo ?? null,
        typed: p.typed ?? (p.captureId ? false : true),
        nominal: p.nominal ?? '',
        tolerance: p.tolerance ?? '',
        unit: p.unit ?? '',
        reading: p.reading ?? '',
        captureId: p.captureId ?? null,
        passed: p.passed ?? false,
      })),
      by: e['by_user'] as string,
      note: (e['note'] as string | null) ?? null,
    };
  }

  refusedView(f: Row): RefusedView {
    return {
      id: f.id,
      purpose: f['purpose'] as RefusedView['purpose'],
      resultId: (f['result_id'] as string | null) ?? null,
      sampleCode: (f['sample_code'] as string | null) ?? null,
      raw: f['raw'] as string,
      error: f['error'] as string,
      detail: (f['detail'] as string | null) ?? null,
      at: iso(f['at'])!,
      by: f['by_user'] as string,
    };
  }

  private planRow(instrumentId: string): Row | undefined {
    return this.db
      .prepare('SELECT * FROM instrument_check_plan WHERE instrument_id = ? AND retired = 0')
      .get(instrumentId) as Row | undefined;
  }

  planView(p: Row): CheckPlanView {
    return {
      id: p.id,
      rev: p.rev,
      instrumentId: p['instrument_id'] as string,
      points: JSON.parse(p['points'] as string) as CheckPoint[],
      note: (p['note'] as string | null) ?? null,
    };
  }

  get(id: string) {
    const r = this.row(id);
    const events = this.db
      .prepare(
        'SELECT * FROM instrument_event WHERE instrument_id = ? AND retired = 0 ORDER BY performed_at DESC, rowid DESC LIMIT 200',
      )
      .all(id) as Row[];
    const captures = this.db
      .prepare('SELECT * FROM instrument_capture WHERE instrument_id = ? AND retired = 0 ORDER BY at DESC LIMIT 200')
      .all(id) as Row[];
    const refused = this.db
      .prepare('SELECT * FROM instrument_frame WHERE instrument_id = ? AND retired = 0 ORDER BY at DESC LIMIT 200')
      .all(id) as Row[];
    const plan = this.planRow(id);
    return {
      instrument: this.view(r),
      events: events.map((e) => this.eventView(e)),
      captures: captures.map((c) => this.captureView(c)),
      refused: refused.map((f) => this.refusedView(f)),
      checkPlan: plan ? this.planView(plan) : null,
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
      driver: driverFor(r['driver'] as Fields['driver'], this.printConfigOf(r) ?? undefined),
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

  /** What a frame says, for the user: a reading or a record, or why it is refused (translated). */
  outcome(frame: Frame | null, locale: Locale, error?: 'timeout' | 'port_error'): ReadOutcome {
    const raw = frame ? b64(frame.raw) : '';
    const refuse = (code: ReadOutcome['error'] & string, details: Record<string, string> = {}): ReadOutcome => ({
      ok: false,
      value: null,
      unit: null,
      stable: null,
      error: code,
      message: translate(locale, `instrumentReading.${code}`, details),
      raw,
      record: null,
    });
    if (!frame) return refuse(error ?? 'timeout');
    const p: Parsed = frame.parsed;
    if (p.kind === 'reading') {
      if (!p.stable) return { ...refuse('unstable'), value: p.value, unit: p.unit, stable: false };
      return { ok: true, value: p.value, unit: p.unit, stable: true, error: null, message: null, raw, record: null };
    }
    if (p.kind === 'record') {
      const first = Object.values(p.fields)[0];
      return {
        ok: true,
        value: first?.value ?? null,
        unit: first?.unit ?? null,
        stable: true,
        error: null,
        message: null,
        raw,
        record: { fields: p.fields, sampleId: p.sampleId ?? null, status: p.status ?? null },
      };
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

  private settingsJson(r: Row): string {
    return JSON.stringify({ port: this.connections.state(r.id).port, driver: r['driver'], ...this.settingsOf(r) });
  }

  private captureRow(
    w: LedgerWriter,
    r: Row,
    frame: Frame,
    purpose: 'result' | 'check' | 'read',
    resultId: string | null,
    replicateIndex: number | null,
    fill?: Fill,
  ): Row {
    const p = frame.parsed;
    const read =
      fill?.read ??
      (p.kind === 'reading'
        ? { value: p.value, unit: p.unit }
        : p.kind === 'record'
          ? (Object.values(p.fields)[0] ?? { value: '', unit: '' })
          : { value: '', unit: '' });
    const value = fill?.converted.value ?? read.value;
    const unit = fill ? entryUnit(this.results.item(fill.result)) : read.unit;
    return w.create(IN.capture, {
      instrument_id: r.id,
      result_id: resultId,
      replicate_index: replicateIndex,
      purpose,
      raw: b64(frame.raw),
      value,
      unit,
      stable: p.kind === 'reading' ? (p.stable ? 1 : 0) : 1,
      settings: this.settingsJson(r),
      at: w.at,
      by_user: w.actor.id,
      status: 'used',
      typed_over_reason: null,
      flagged: 0,
      flag_reason: null,
      field: fill?.field ?? null,
      read_value: read.value,
      read_unit: read.unit,
      conversion: fill?.converted.conversion ? JSON.stringify(fill.converted.conversion) : null,
      record:
        p.kind === 'record'
          ? JSON.stringify({ fields: p.fields, sampleId: p.sampleId ?? null, status: p.status ?? null })
          : null,
      raw_format: 'as_received',
    });
  }

  /** A refused frame kept as evidence (D-057): the bytes as received and why. */
  private refusedRow(
    w: LedgerWriter,
    r: Row,
    frame: Frame,
    purpose: 'result' | 'check',
    outcome: ReadOutcome,
    target: { resultId: string | null; sampleCode: string | null },
  ): Row {
    const detail =
      frame.parsed.kind === 'error'
        ? frame.parsed.detail
        : outcome.message && outcome.error !== 'unstable'
          ? translate('en', `instrumentReading.${outcome.error}`, {
              detail: '',
              unit: outcome.unit ?? '',
              expected: '',
            })
          : null;
    return w.create(IN.frame, {
      instrument_id: r.id,
      purpose,
      result_id: target.resultId,
      sample_code: target.sampleCode,
      raw: b64(frame.raw),
      error: outcome.error ?? 'garbage',
      detail: detail ? detail.slice(0, 500) : null,
      settings: this.settingsJson(r),
      at: w.at,
      by_user: w.actor.id,
    });
  }

  private refuseWithEvidence(
    actor: Actor,
    r: Row,
    frame: Frame | null,
    purpose: 'result' | 'check',
    outcome: ReadOutcome,
    target: { resultId: string | null; sampleCode: string | null },
  ): void {
    // A timeout brought no bytes: nothing to keep.
    if (!frame || frame.raw.length === 0) return;
    this.ledger.write(actor, (w) => {
      // The instrument may have been retired meanwhile; evidence is kept all the same.
      this.refusedRow(w, r, frame, purpose, outcome, target);
    });
  }

  private refusal(
    locale: Locale,
    outcome: ReadOutcome,
    code: ReadOutcome['error'] & string,
    details: Record<string, string>,
  ) {
    return {
      ...outcome,
      ok: false,
      error: code,
      message: translate(locale, `instrumentReading.${code}`, details),
    };
  }

  private sampleResults(sampleCode: string): Row[] {
    return this.db
      .prepare(
        "SELECT * FROM test_result WHERE sample_code = ? AND retired = 0 AND status <> 'invalidated' ORDER BY position, attempt",
      )
      .all(sampleCode) as Row[];
  }

  /** The results a record fills: each mapped field whose item is planned on the sample. */
  private recordFills(
    r: Row,
    record: Extract<Parsed, { kind: 'record' }>,
    sampleCode: string,
  ): { fills: Fill[]; unused: string[]; badUnit: Array<{ item: string; unit: string; expected: string }> } {
    const cfg = this.printConfigOf(r);
    const rows = this.sampleResults(sampleCode);
    const byItem = new Map(rows.map((x) => [x['item_code'] as string, x]));
    const fills: Fill[] = [];
    const unused: string[] = [];
    const badUnit: Array<{ item: string; unit: string; expected: string }> = [];
    const taken = new Set<string>();
    for (const f of cfg?.fields ?? []) {
      const got = record.fields[f.analyte];
      if (!got) continue;
      const res = f.item ? byItem.get(f.item) : undefined;
      if (!res || taken.has(res.id)) {
        unused.push(f.analyte);
        continue;
      }
      const item = this.results.item(res);
      const expected = entryUnit(item);
      const converted = this.rules.convert(got.value, got.unit, expected, item.method_code);
      if (!converted) {
        badUnit.push({ item: res['item_code'] as string, unit: got.unit, expected });
        continue;
      }
      taken.add(res.id);
      fills.push({ result: res, field: f.analyte, read: got, converted });
    }
    for (const k of Object.keys(record.fields)) if (!cfg?.fields.some((f) => f.analyte === k)) unused.push(k);
    return { fills, unused, badUnit };
  }

  /**
   * A reading into a result, or a print-format record into the results of a sample (issue 10
   * §5, issue 20 §1): the instrument must be unlocked, the reading stable, in the result's
   * unit or one the method converts; a record fills every result its mapped fields name, all
   * or nothing, each with its capture (raw bytes and all) in one transaction. A refused frame
   * is kept as evidence; nothing else is written. The lock is evaluated again inside the
   * write transaction, after the frame arrived (issue 19 §7).
   */
  async capture(
    actor: Actor,
    locale: Locale,
    i: {
      instrumentId: string;
      resultId?: string | undefined;
      sampleCode?: string | undefined;
      replicateIndex: number;
      readingId?: string | undefined;
    },
  ) {
    const r = this.row(i.instrumentId);
    this.rules.mustBeUnlocked(r);
    const focus = i.resultId ? this.results.row(i.resultId) : null;
    const sampleCode = focus ? (focus['sample_code'] as string) : i.sampleCode!;
    if (!focus && this.sampleResults(sampleCode).length === 0)
      fail('not_found', { entity: 'sample', id: sampleCode }, 'errors.sample_not_found');
    const { frame, error } = await this.frameFor(r, i.readingId);
    await this.hooks.afterFrame?.(r.id);
    const none = {
      capture: null,
      captures: [] as CaptureView[],
      unused: [] as string[],
      changed: [] as ResultRowView[],
    };
    let outcome = this.outcome(frame, locale, error);
    const target = { resultId: focus?.id ?? null, sampleCode };
    if (!outcome.ok) {
      this.refuseWithEvidence(actor, r, frame, 'result', outcome, target);
      return { outcome, ...none };
    }
    const p = frame!.parsed;
    let fills: Fill[] = [];
    let unused: string[] = [];
    if (p.kind === 'record') {
      const cfg = this.printConfigOf(r);
      if (cfg?.checkSampleId && p.sampleId && p.sampleId.toUpperCase() !== sampleCode.toUpperCase()) {
        outcome = this.refusal(locale, outcome, 'sample_mismatch', { got: p.sampleId, expected: sampleCode });
        this.refuseWithEvidence(actor, r, frame, 'result', outcome, target);
        return { outcome, ...none };
      }
      const planned = this.recordFills(r, p, sampleCode);
      if (planned.badUnit.length) {
        const b = planned.badUnit[0]!;
        outcome = this.refusal(locale, outcome, 'wrong_unit', { unit: `${b.unit} (${b.item})`, expected: b.expected });
        this.refuseWithEvidence(actor, r, frame, 'result', outcome, target);
        return { outcome, ...none };
      }
      if (planned.fills.length === 0) {
        outcome = this.refusal(locale, outcome, 'no_items', { sample: sampleCode });
        this.refuseWithEvidence(actor, r, frame, 'result', outcome, target);
        return { outcome, ...none };
      }
      fills = planned.fills;
      unused = planned.unused;
    } else {
      if (!focus) {
        outcome = this.refusal(locale, outcome, 'no_items', { sample: sampleCode });
        return { outcome, ...none };
      }
      const item = this.results.item(focus);
      const expected = entryUnit(item);
      const converted = this.rules.convert(outcome.value!, outcome.unit!, expected, item.method_code);
      if (!converted) {
        outcome = this.refusal(locale, outcome, 'wrong_unit', { unit: outcome.unit!, expected });
        this.refuseWithEvidence(actor, r, frame, 'result', outcome, target);
        return { outcome, ...none };
      }
      fills = [{ result: focus, field: null, read: { value: outcome.value!, unit: outcome.unit! }, converted }];
    }
    return this.ledger.write(actor, (w) => {
      // Guards again, inside the transaction that acts on them (issue 19 §7): the instrument
      // may have been locked (a failed check) since the frame was asked for.
      const cur = w.get(IN.instrument, r.id);
      if (!cur || cur.retired) fail('not_found', { entity: 'instrument', id: r.id }, 'errors.instrument_not_found');
      this.rules.mustBeUnlocked(cur, w.at);
      const captures: CaptureView[] = [];
      const changed = new Map<string, ResultRowView>();
      for (const [n, f] of fills.entries()) {
        const res = w.get(T.result, f.result.id)!;
        const item = this.results.item(res);
        if (res.retired || res['status'] === 'invalidated')
          fail('not_found', { entity: 'test_result', id: res.id }, 'errors.result_not_found');
        if (!EDITABLE.has(res['status'] as string))
          fail('conflict', { item: res['item_code'], status: res['status'] }, 'errors.result_submitted_use_correct');
        if (res['calculated'] === 1 || isPlanItem(item as TestItem))
          fail('conflict', { item: res['item_code'] }, 'errors.capture_item_not_measured');
        const c = this.captureRow(w, cur, frame!, 'result', res.id, i.replicateIndex, f);
        captures.push(this.captureView(c));
        // One recomputation of the sample, after the record's last result.
        const last = n === fills.length - 1;
        for (const v of this.results.applyCapture(
          w,
          res.id,
          i.replicateIndex,
          f.converted.value,
          cur['code'] as string,
          { recompute: last, edited: new Set(fills.map((x) => x.result.id)) },
        ))
          changed.set(v.id, v);
      }
      const rest = fills.filter((f) => !changed.has(f.result.id)).map((f) => w.get(T.result, f.result.id)!);
      for (const v of this.results.views(rest)) changed.set(v.id, v);
      return { outcome, capture: captures[0] ?? null, captures, unused, changed: [...changed.values()] };
    });
  }

  /** A reading as evidence for a daily check point (a reading the instrument printed: `readingId`). */
  async read(actor: Actor, locale: Locale, id: string, readingId?: string) {
    const r = this.row(id);
    const { frame, error } = await this.frameFor(r, readingId);
    await this.hooks.afterFrame?.(r.id);
    const outcome = this.outcome(frame, locale, error);
    if (!outcome.ok) {
      this.refuseWithEvidence(actor, r, frame, 'check', outcome, { resultId: null, sampleCode: null });
      return { outcome, capture: null };
    }
    return this.ledger.write(actor, (w) => {
      const cur = w.get(IN.instrument, r.id);
      if (!cur || cur.retired || cur['active'] !== 1)
        fail('conflict', { code: r['code'] }, 'errors.instrument_inactive');
      return { outcome, capture: this.captureView(this.captureRow(w, cur, frame!, 'check', null, null)) };
    });
  }

  /** The daily-check standards of an instrument, fixed by a QA manager (D-059). */
  saveCheckPlan(actor: Actor, id: string, points: CheckPoint[], note: string | null, reason?: string): CheckPlanView {
    this.row(id);
    for (const p of points) {
      if (dec(p.tolerance).isNegative())
        fail('invalid_input', { field: 'tolerance', value: p.tolerance }, 'errors.check_tolerance_negative');
    }
    const existing = this.planRow(id);
    if (existing && !reason) fail('invalid_input', { field: 'reason' }, 'errors.reason_required');
    return this.ledger.write(actor, (w) => {
      const fields = { instrument_id: id, points: JSON.stringify(points), note };
      const p = existing
        ? w.update(IN.checkPlan, existing.id, fields, { reason: reason! })
        : w.create(IN.checkPlan, fields);
      return this.planView(p);
    });
  }

  /**
   * A daily check against the instrument's plan: one reading per standard, read through the
   * instrument (a `check` capture taken since the last check), or typed for an instrument
   * that only prints. A failed check locks the instrument and flags every result measured on
   * it since the last good check, captured or typed (D-059).
   */
  dailyCheck(
    actor: Actor,
    id: string,
    readings: Array<{ point: number; captureId?: string | undefined; reading?: string | undefined }>,
    note?: string,
  ): EventView {
    const r = this.row(id);
    const planRow = this.planRow(id);
    if (!planRow) fail('conflict', { instrument: r['code'] }, 'errors.check_plan_missing');
    const plan = this.planView(planRow);
    const today = localDate(this.ledger.timeZone, this.ledger.now());
    const seen = new Set<number>();
    const usedCaptures = new Set<string>();
    const lastCheck = this.db
      .prepare(
        "SELECT max(performed_at) AS at FROM instrument_event WHERE instrument_id = ? AND kind = 'daily_check' AND retired = 0",
      )
      .get(id) as { at: number | null };
    const evaluated = readings.map((x) => {
      const p = plan.points[x.point];
      if (!p) fail('invalid_input', { field: 'point', point: x.point }, 'errors.check_point_unknown');
      if (seen.has(x.point)) fail('invalid_input', { field: 'point', point: x.point + 1 }, 'errors.check_point_twice');
      seen.add(x.point);
      if (p.certificateValidUntil && p.certificateValidUntil < today)
        fail(
          'conflict',
          { standard: p.standard, certificate: p.certificateNo, until: p.certificateValidUntil },
          'errors.check_standard_expired',
        );
      let reading: string;
      if (x.captureId) {
        const c = this.ledger.get(IN.capture, x.captureId);
        if (!c || c['instrument_id'] !== id || c['purpose'] !== 'check' || usedCaptures.has(c.id))
          fail('invalid_input', { field: 'captureId' }, 'errors.check_capture_invalid');
        // Each check reading serves one check, taken since the last one (LIKE on the JSON text:
        // capture ids are UUIDs, so one cannot be a part of another).
        const reused = this.db
          .prepare(
            "SELECT 1 FROM instrument_event WHERE instrument_id = ? AND kind = 'daily_check' AND points LIKE ? LIMIT 1",
          )
          .get(id, `%"captureId":"${c.id}"%`);
        if (reused || (lastCheck.at !== null && (c['at'] as number) < lastCheck.at))
          fail('invalid_input', { field: 'captureId' }, 'errors.check_capture_stale');
        if (!unitsCompatible(c['unit'] as string, p.unit))
          fail('invalid_input', { field: 'unit', unit: c['unit'], expected: p.unit }, 'errors.check_unit_mismatch');
        usedCaptures.add(c.id);
        reading = c['value'] as string;
      } else {
        if (r['driver'] !== 'print')
          fail('invalid_input', { field: 'reading', instrument: r['code'] }, 'errors.check_reading_must_be_read');
        if (x.reading === undefined || !parseDecimal(x.reading).ok)
          fail('invalid_input', { field: 'reading' }, 'errors.check_reading_required');
        reading = x.reading;
      }
      const diff = dec(reading).minus(dec(p.nominal)).abs();
      return {
        index: x.point,
        standard: p.standard,
        certificateNo: p.certificateNo,
        typed: !x.captureId,
        nominal: p.nominal,
        tolerance: p.tolerance,
        unit: p.unit,
        reading,
        captureId: x.captureId ?? null,
        passed: !diff.greaterThan(dec(p.tolerance)),
      };
    });
    const missing = plan.points.map((p, k) => (seen.has(k) ? null : p.standard)).filter((x) => x !== null);
    if (missing.length)
      fail('invalid_input', { field: 'readings', missing: missing.join(', ') }, 'errors.check_points_missing');
    const points = evaluated.sort((a, b) => a.index - b.index).map(({ index: _i, ...p }) => p);
    const passed = points.every((p) => p.passed);
    return this.ledger.write(actor, (w) => {
      const cur = w.get(IN.checkPlan, planRow.id)!;
      if (cur.rev !== planRow.rev) fail('conflict', { instrument: r['code'] }, 'errors.stale_record');
      const e = w.create(IN.event, {
        instrument_id: id,
        kind: 'daily_check',
        performed_at: w.at,
        due_on: null,
        certificate_no: null,
        provider: null,
        passed: passed ? 1 : 0,
        points: JSON.stringify(points),
        by_user: actor.id,
        note: note ?? null,
      });
      if (!passed) this.flagSince(w, r, e.id, this.lastGood(r.id, 'daily_check', e.id), 'daily check failed');
      return this.eventView(w.get(IN.event, e.id)!);
    });
  }

  /** When the last passing event of a kind before `exceptId` was performed (0: none). */
  private lastGood(instrumentId: string, kind: 'daily_check' | 'calibration', exceptId: string): number {
    const good = this.db
      .prepare(
        'SELECT max(performed_at) AS at FROM instrument_event WHERE instrument_id = ? AND kind = ? AND passed = 1 AND retired = 0 AND id <> ?',
      )
      .get(instrumentId, kind, exceptId) as { at: number | null };
    return good.at ?? 0;
  }

  /**
   * Flags every result measured on the instrument since `since` (D-059): each capture still
   * standing, and each result whose typed value names the instrument, entered since then.
   * One `instrument_flag` per result, with the values it had, so the flag stands until the
   * result is measured again or invalidated.
   */
  private flagSince(w: LedgerWriter, r: Row, eventId: string, since: number, why: string): void {
    const label = `${why} ${new Date(w.at).toISOString()}`;
    const captures = this.db
      .prepare(
        "SELECT c.*, t.sample_code AS t_sample, t.lot_code AS t_lot, t.item_code AS t_item, t.replicates AS t_reps FROM instrument_capture c JOIN test_result t ON t.id = c.result_id WHERE c.instrument_id = ? AND c.purpose = 'result' AND c.status = 'used' AND c.retired = 0 AND c.at >= ? AND t.retired = 0 AND t.status <> 'invalidated'",
      )
      .all(r.id, since) as Array<
      Row & { t_sample: string; t_lot: string | null; t_item: string; t_reps: string | null }
    >;
    const done = new Set<string>();
    for (const c of captures) {
      if (c['flagged'] !== 1)
        w.update(
          IN.capture,
          c.id,
          { flagged: 1, flag_reason: label },
          { reason: `${why}: captures since the last passing check need review` },
        );
      if (done.has(c['result_id'] as string)) continue;
      done.add(c['result_id'] as string);
      w.create(IN.flag, {
        instrument_id: r.id,
        event_id: eventId,
        result_id: c['result_id'] as string,
        capture_id: c.id,
        sample_code: c.t_sample,
        lot_code: c.t_lot,
        item_code: c.t_item,
        how: 'captured',
        replicates: c.t_reps,
        at: w.at,
      });
    }
    const typed = this.db
      .prepare(
        "SELECT * FROM test_result WHERE instrument_id = ? COLLATE NOCASE AND retired = 0 AND status <> 'invalidated' AND entered_at >= ?",
      )
      .all(r['code'], since) as Row[];
    for (const t of typed) {
      if (done.has(t.id)) continue;
      done.add(t.id);
      w.create(IN.flag, {
        instrument_id: r.id,
        event_id: eventId,
        result_id: t.id,
        capture_id: null,
        sample_code: t['sample_code'] as string,
        lot_code: (t['lot_code'] as string | null) ?? null,
        item_code: t['item_code'] as string,
        how: 'typed',
        replicates: (t['replicates'] as string | null) ?? null,
        at: w.at,
      });
    }
  }

  /**
   * A calibration certificate or maintenance record. A failed calibration (found out of
   * tolerance) locks the instrument and flags every result measured on it since the last
   * passing calibration (D-059).
   */
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
    const r = this.row(id);
    if (i.kind === 'calibration' && !i.dueOn)
      fail('invalid_input', { field: 'dueOn' }, 'errors.calibration_due_required');
    if (i.dueOn && i.dueOn <= i.performedOn) fail('invalid_input', { field: 'dueOn' }, 'errors.calibration_due_order');
    const today = localDate(this.ledger.timeZone, this.ledger.now());
    if (i.performedOn > today) fail('invalid_input', { field: 'performedOn' }, 'errors.date_in_future');
    return this.ledger.write(actor, (w) => {
      const e = w.create(IN.event, {
        instrument_id: id,
        kind: i.kind,
        performed_at: Date.parse(`${i.performedOn}T12:00:00Z`) > w.at ? w.at : Date.parse(`${i.performedOn}T12:00:00Z`),
        due_on: i.dueOn ?? null,
        certificate_no: i.certificateNo ?? null,
        provider: i.provider ?? null,
        passed: i.passed ? 1 : 0,
        points: null,
        by_user: actor.id,
        note: i.note ?? null,
      });
      if (i.kind === 'calibration' && !i.passed)
        this.flagSince(w, r, e.id, this.lastGood(r.id, 'calibration', e.id), 'calibration failed');
      return this.eventView(w.get(IN.event, e.id)!);
    });
  }

  /** Results a failed check or calibration flagged, whether each still stands, and their lots. */
  impact(eventId: string): ImpactView {
    const e = this.ledger.get(IN.event, eventId);
    if (!e || e.retired)
      fail('not_found', { entity: 'instrument_event', id: eventId }, 'errors.instrument_event_not_found');
    const r = this.row(e['instrument_id'] as string);
    const kind = e['kind'] as 'daily_check' | 'calibration' | 'maintenance';
    const since = kind === 'maintenance' || e['passed'] === 1 ? 0 : this.lastGood(r.id, kind, e.id);
    const flags = this.db
      .prepare(
        `SELECT f.*, t.status AS t_status, t.reported AS t_reported, t.replicates AS t_reps, t.retired AS t_retired,
                c.status AS c_status
         FROM instrument_flag f JOIN test_result t ON t.id = f.result_id LEFT JOIN instrument_capture c ON c.id = f.capture_id
         WHERE f.event_id = ? ORDER BY f.lot_code, f.sample_code, f.item_code`,
      )
      .all(eventId) as Array<
      Row & {
        t_status: string;
        t_reported: string | null;
        t_reps: string | null;
        t_retired: number;
        c_status: string | null;
      }
    >;
    const results = flags.map((f) => ({
      resultId: f['result_id'] as string,
      sampleCode: f['sample_code'] as string,
      lotCode: (f['lot_code'] as string | null) ?? null,
      itemCode: f['item_code'] as string,
      how: f['how'] as 'captured' | 'typed',
      reported: f.t_reported,
      status: f.t_status,
      standing:
        f.t_retired === 0 &&
        f.t_status !== 'invalidated' &&
        (f.t_reps ?? null) === ((f['replicates'] as string | null) ?? null) &&
        (f['how'] !== 'captured' || f.c_status === 'used'),
    }));
    const lots = new Map<string, number>();
    for (const x of results) if (x.lotCode) lots.set(x.lotCode, (lots.get(x.lotCode) ?? 0) + 1);
    return {
      eventId: e.id,
      instrumentId: r.id,
      instrumentCode: r['code'] as string,
      kind,
      performedAt: iso(e['performed_at'])!,
      since: since > 0 ? iso(since) : null,
      results,
      lots: [...lots].map(([code, n]) => {
        const lot = this.db.prepare('SELECT status FROM lot WHERE code = ?').get(code) as
          | { status: string }
          | undefined;
        const status = lot?.status ?? 'unknown';
        return { code, status, results: n, holdable: HOLDABLE.has(status) };
      }),
    };
  }

  /**
   * One signed hold (`held`) of the lots a failed check or calibration casts doubt on (D-059):
   * each chosen lot must be among the impact's lots and still released or accepted inside the
   * write transaction. Signed per lot with the signer's personal signature.
   */
  async holdImpact(
    signerId: string,
    eventId: string,
    lotCodes: string[],
    reason: string,
    password: string,
    meaning: SignatureMeaning,
    comment?: string,
  ): Promise<{ held: string[] }> {
    if (meaning !== 'held')
      fail('invalid_input', { field: 'signature.meaning', expected: 'held' }, 'errors.signature_meaning_mismatch');
    const impact = this.impact(eventId);
    for (const c of lotCodes) {
      const l = impact.lots.find((x) => x.code === c);
      if (!l) fail('invalid_input', { lot: c, instrument: impact.instrumentCode }, 'errors.impact_lot_not_affected');
      if (!l.holdable) fail('conflict', { lot: c, status: l.status }, 'errors.impact_lot_not_holdable');
    }
    const signer = await this.identity.authenticateSigner(signerId, password);
    const why = `${impact.instrumentCode} ${impact.kind === 'calibration' ? 'calibration' : 'daily check'} failed ${impact.performedAt.slice(0, 10)}: ${reason}`;
    return this.ledger.write(actorOf(signer), (w) => {
      for (const c of lotCodes) {
        const lot = this.db.prepare('SELECT id FROM lot WHERE code = ?').get(c) as { id: string };
        const cur = w.get(L.lot, lot.id)!;
        if (!HOLDABLE.has(cur['status'] as string)) fail('conflict', { lot: c }, 'errors.stale_record');
        w.update(L.lot, lot.id, { status: 'on_hold' }, { reason: why });
        this.identity.sign(w, signer, { def: L.lot, id: lot.id }, { meaning: 'held', comment: comment ?? why });
      }
      return { held: lotCodes };
    });
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
