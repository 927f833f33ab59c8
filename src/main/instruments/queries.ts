import type { Statement } from 'better-sqlite3';
import type { z } from 'zod';
import type {
  captureViewSchema,
  checkPointSchema,
  conversionSchema,
  eventViewSchema,
  instrumentFields,
  methodInstrumentViewSchema,
  refusedFrameViewSchema,
} from '../../shared/contract/channels/instruments';
import type { Db } from '../db/database';
import type { Row } from '../ledger/entities';
import type { PrintConfig } from './drivers/print-format';

/**
 * Every SQL statement of the instruments capability (issue 21): the registry (`instrument`),
 * captures (`instrument_capture`), refused frames (`instrument_frame`), calibrations and
 * daily checks (`instrument_event`), check plans, flags and method rules. Rows are typed
 * here, at the edge, and their JSON columns parsed here: services read `r.code`, never
 * `r['code'] as string`. A record is also a ledger row (`w.get(IN.instrument, id)`): the
 * `as…` functions type such a row by its table's schema.
 * Results and lots are the testing and lots capabilities' own: read through their front doors.
 */

type Fields = z.infer<typeof instrumentFields>;
type CaptureView = z.infer<typeof captureViewSchema>;
type EventView = z.infer<typeof eventViewSchema>;
type RefusedView = z.infer<typeof refusedFrameViewSchema>;
export type CheckPoint = z.infer<typeof checkPointSchema>;
export type Conversion = z.infer<typeof conversionSchema>;
type MethodInstrumentView = z.infer<typeof methodInstrumentViewSchema>;

/** A registered instrument (migration 0008). `print_config` is JSON text: `printConfigOf`. */
export type InstrumentRecord = Row & {
  code: string;
  name: string;
  kind: Fields['kind'];
  make: string | null;
  model: string | null;
  serial_no: string | null;
  location: string | null;
  port_path: string | null;
  usb_serial: string | null;
  usb_vendor_id: string | null;
  usb_product_id: string | null;
  baud_rate: number;
  data_bits: Fields['dataBits'];
  parity: Fields['parity'];
  stop_bits: Fields['stopBits'];
  flow_control: Fields['flowControl'];
  line_ending: Fields['lineEnding'];
  driver: Fields['driver'];
  print_config: string | null;
  check_interval_hours: number;
  active: number;
};

/** A capture (migrations 0008, 0013: the 0013 columns are NULL on older captures). */
export type CaptureRecord = Row & {
  instrument_id: string;
  result_id: string | null;
  replicate_index: number | null;
  purpose: CaptureView['purpose'];
  raw: string;
  value: string | null;
  unit: string | null;
  stable: number;
  settings: string;
  at: number;
  by_user: string;
  status: CaptureView['status'];
  typed_over_reason: string | null;
  flagged: number;
  flag_reason: string | null;
  field: string | null;
  read_value: string | null;
  read_unit: string | null;
  /** JSON: the conversion applied (`conversionOf`). */
  conversion: string | null;
  /** JSON: the print-format record (`recordOf`). */
  record: string | null;
  raw_format: string | null;
};

/** A calibration, daily check or maintenance (append only). `points` is JSON: `eventPointsOf`. */
export type EventRecord = Row & {
  instrument_id: string;
  kind: EventView['kind'];
  performed_at: number;
  due_on: string | null;
  certificate_no: string | null;
  provider: string | null;
  passed: number;
  points: string | null;
  by_user: string;
  note: string | null;
};

/** A refused frame kept as evidence (D-057). */
export type FrameRecord = Row & {
  instrument_id: string;
  purpose: RefusedView['purpose'];
  result_id: string | null;
  sample_code: string | null;
  raw: string;
  error: string;
  detail: string | null;
  settings: string;
  at: number;
  by_user: string;
};

/** The daily-check standards of an instrument (D-059). `points` is JSON: `planPointsOf`. */
export type CheckPlanRecord = Row & { instrument_id: string; points: string; note: string | null };

/** What a test method names about instruments (D-058). `conversions` is JSON: `conversionsOf`. */
export type MethodInstrumentRecord = Row & {
  method_code: string;
  instrument_kind: MethodInstrumentView['instrumentKind'];
  conversions: string;
  note: string | null;
};

/** A flag of a failed check or calibration with the standing of its capture. */
export type FlagRecord = Row & {
  instrument_id: string;
  event_id: string;
  result_id: string;
  capture_id: string | null;
  sample_code: string;
  lot_code: string | null;
  item_code: string;
  how: 'captured' | 'typed';
  /** JSON text as written: compared, never parsed. */
  replicates: string | null;
  at: number;
  /** The flagged capture's status now (null: typed, or the capture is gone). */
  c_status: string | null;
};

/** A conversion as recorded on a capture (the method's, or an SI prefix). */
export type CaptureConversion = Conversion & { method: string | null };

// ------------------------------------------------------------------ ledger rows typed

export function asInstrument(r: Row): InstrumentRecord;
export function asInstrument(r: Row | undefined): InstrumentRecord | undefined;
export function asInstrument(r: Row | undefined): InstrumentRecord | undefined {
  return r as InstrumentRecord | undefined;
}
export function asCapture(r: Row): CaptureRecord;
export function asCapture(r: Row | undefined): CaptureRecord | undefined;
export function asCapture(r: Row | undefined): CaptureRecord | undefined {
  return r as CaptureRecord | undefined;
}
export function asEvent(r: Row): EventRecord;
export function asEvent(r: Row | undefined): EventRecord | undefined;
export function asEvent(r: Row | undefined): EventRecord | undefined {
  return r as EventRecord | undefined;
}
export function asFrame(r: Row): FrameRecord {
  return r as FrameRecord;
}
export function asCheckPlan(r: Row): CheckPlanRecord {
  return r as CheckPlanRecord;
}
export function asMethodInstrument(r: Row): MethodInstrumentRecord {
  return r as MethodInstrumentRecord;
}

// ------------------------------------------------------------------ JSON columns parsed

export function printConfigOf(r: InstrumentRecord): PrintConfig | null {
  return r.print_config ? (JSON.parse(r.print_config) as PrintConfig) : null;
}
export function conversionOf(c: CaptureRecord): CaptureConversion | null {
  return c.conversion ? (JSON.parse(c.conversion) as CaptureConversion) : null;
}
export function recordOf(c: CaptureRecord): { sampleId?: string | null } | null {
  return c.record ? (JSON.parse(c.record) as { sampleId?: string | null }) : null;
}
/** A daily check's points as written (older events may lack some fields). */
export function eventPointsOf(e: EventRecord): Array<Partial<EventView['points'][number]>> {
  return e.points ? (JSON.parse(e.points) as Array<Partial<EventView['points'][number]>>) : [];
}
export function planPointsOf(p: CheckPlanRecord): CheckPoint[] {
  return JSON.parse(p.points) as CheckPoint[];
}
export function conversionsOf(m: MethodInstrumentRecord): Conversion[] {
  return JSON.parse(m.conversions) as Conversion[];
}

// ------------------------------------------------------------------ statements

function lazy<P extends unknown[], R>(db: Db, sql: string): () => Statement<P, R> {
  let s: Statement<P, R> | undefined;
  return () => (s ??= db.prepare<P, R>(sql));
}

export function instrumentQueries(db: Db) {
  const all = lazy<[], InstrumentRecord>(db, 'SELECT * FROM instrument WHERE retired = 0 ORDER BY code');
  const active = lazy<[], InstrumentRecord>(
    db,
    'SELECT * FROM instrument WHERE retired = 0 AND active = 1 ORDER BY code',
  );
  const byId = lazy<[string], InstrumentRecord>(db, 'SELECT * FROM instrument WHERE id = ? AND retired = 0');
  const byCode = lazy<[string], InstrumentRecord>(
    db,
    'SELECT * FROM instrument WHERE code = ? COLLATE NOCASE AND retired = 0',
  );
  const codeTaken = lazy<[string], { one: number }>(db, 'SELECT 1 AS one FROM instrument WHERE code = ?');

  const latestEvent = lazy<[string, string], EventRecord>(
    db,
    'SELECT * FROM instrument_event WHERE instrument_id = ? AND kind = ? AND retired = 0 ORDER BY performed_at DESC, rowid DESC LIMIT 1',
  );
  const events = lazy<[string], EventRecord>(
    db,
    'SELECT * FROM instrument_event WHERE instrument_id = ? AND retired = 0 ORDER BY performed_at DESC, rowid DESC LIMIT 200',
  );
  const lastCheckAt = lazy<[string], { at: number | null }>(
    db,
    "SELECT max(performed_at) AS at FROM instrument_event WHERE instrument_id = ? AND kind = 'daily_check' AND retired = 0",
  );
  const lastGood = lazy<[string, string, string], { at: number | null }>(
    db,
    'SELECT max(performed_at) AS at FROM instrument_event WHERE instrument_id = ? AND kind = ? AND passed = 1 AND retired = 0 AND id <> ?',
  );
  // LIKE on the JSON text: capture ids are UUIDs, so one cannot be a part of another.
  const checkUsing = lazy<[string, string], { one: number }>(
    db,
    "SELECT 1 AS one FROM instrument_event WHERE instrument_id = ? AND kind = 'daily_check' AND points LIKE ? LIMIT 1",
  );

  const captures = lazy<[string], CaptureRecord>(
    db,
    'SELECT * FROM instrument_capture WHERE instrument_id = ? AND retired = 0 ORDER BY at DESC LIMIT 200',
  );
  const usedSince = lazy<[string, number], CaptureRecord>(
    db,
    "SELECT * FROM instrument_capture WHERE instrument_id = ? AND purpose = 'result' AND status = 'used' AND retired = 0 AND at >= ?",
  );
  const frames = lazy<[string], FrameRecord>(
    db,
    'SELECT * FROM instrument_frame WHERE instrument_id = ? AND retired = 0 ORDER BY at DESC LIMIT 200',
  );
  // A frame this workstation numbered earlier, on this instrument, taken after `capturedAt` (D-122).
  const laterFrame = lazy<[string, number, string, number], { frame_seq: number; captured_at: number }>(
    db,
    `SELECT frame_seq, captured_at FROM signed_frame
      WHERE instrument_id = ? AND captured_at > ? AND host_key_id = ? AND frame_seq < ? AND retired = 0
      ORDER BY captured_at DESC LIMIT 1`,
  );
  const plan = lazy<[string], CheckPlanRecord>(
    db,
    'SELECT * FROM instrument_check_plan WHERE instrument_id = ? AND retired = 0',
  );
  const flagCount = lazy<[string], { n: number }>(db, 'SELECT count(*) AS n FROM instrument_flag WHERE event_id = ?');
  const flags = lazy<[string], FlagRecord>(
    db,
    `SELECT f.*, c.status AS c_status
     FROM instrument_flag f LEFT JOIN instrument_capture c ON c.id = f.capture_id
     WHERE f.event_id = ? ORDER BY f.lot_code, f.sample_code, f.item_code`,
  );

  const methodRule = lazy<[string], MethodInstrumentRecord>(
    db,
    'SELECT * FROM method_instrument WHERE method_code = ? AND retired = 0',
  );
  const methodRuleAny = lazy<[string], MethodInstrumentRecord>(
    db,
    'SELECT * FROM method_instrument WHERE method_code = ?',
  );
  const methodRules = lazy<[], MethodInstrumentRecord>(
    db,
    'SELECT * FROM method_instrument WHERE retired = 0 ORDER BY method_code',
  );

  return {
    // registry
    list: (includeInactive: boolean): InstrumentRecord[] => (includeInactive ? all() : active()).all(),
    byId: (id: string): InstrumentRecord | undefined => byId().get(id),
    byCode: (code: string): InstrumentRecord | undefined => byCode().get(code),
    /** Whether a code was ever registered (retired or not). */
    codeTaken: (code: string): boolean => !!codeTaken().get(code),
    // calibrations and checks
    latestEvent: (instrumentId: string, kind: 'calibration' | 'daily_check'): EventRecord | undefined =>
      latestEvent().get(instrumentId, kind),
    events: (instrumentId: string): EventRecord[] => events().all(instrumentId),
    lastCheckAt: (instrumentId: string): number | null => lastCheckAt().get(instrumentId)?.at ?? null,
    /** When the last passing event of a kind other than `exceptId` was performed (0: none). */
    lastGood: (instrumentId: string, kind: 'daily_check' | 'calibration', exceptId: string): number =>
      lastGood().get(instrumentId, kind, exceptId)?.at ?? 0,
    /** Whether a daily check already used a capture. */
    checkUsing: (instrumentId: string, captureId: string): boolean =>
      !!checkUsing().get(instrumentId, `%"captureId":"${captureId}"%`),
    checkPlan: (instrumentId: string): CheckPlanRecord | undefined => plan().get(instrumentId),
    flagCount: (eventId: string): number => flagCount().get(eventId)?.n ?? 0,
    flags: (eventId: string): FlagRecord[] => flags().all(eventId),
    // captures and refused frames
    captures: (instrumentId: string): CaptureRecord[] => captures().all(instrumentId),
    /** Captures into results still standing, taken since `since`. */
    usedSince: (instrumentId: string, since: number): CaptureRecord[] => usedSince().all(instrumentId, since),
    frames: (instrumentId: string): FrameRecord[] => frames().all(instrumentId),
    /** A signed frame of host key `key` numbered before `seq` on this instrument and taken after `after`, if any. */
    earlierFrameTakenAfter: (instrumentId: string, after: number, key: string, seq: number) =>
      laterFrame().get(instrumentId, after, key, seq),
    // method rules
    methodRule: (methodCode: string): MethodInstrumentRecord | undefined => methodRule().get(methodCode),
    /** A method's rule, retired or not (one per method code). */
    methodRuleAny: (methodCode: string): MethodInstrumentRecord | undefined => methodRuleAny().get(methodCode),
    methodRules: (): MethodInstrumentRecord[] => methodRules().all(),
  };
}
export type InstrumentQueries = ReturnType<typeof instrumentQueries>;

// ------------------------------------------------------------------ what instruments offer the others

/** A capture into a result with its instrument's code (testing's result views). */
export interface ResultCaptureRow {
  id: string;
  result_id: string;
  replicate_index: number;
  value: string | null;
  unit: string | null;
  status: 'used' | 'typed_over';
  typed_over_reason: string | null;
  flagged: number;
  flag_reason: string | null;
  instrument_code: string;
}

/** A flagged capture a lot's standing result uses (readiness). */
export interface FlaggedCaptureRow {
  id: string;
  flag_reason: string | null;
  instrument: string;
  item_code: string;
}

/** A flag on a typed value a lot's standing result still holds (readiness). */
export interface FlaggedTypedRow {
  id: string;
  instrument: string;
  item_code: string;
}

function chunked<T>(ids: readonly string[], size: number, run: (chunk: string[], ph: string) => T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += size) {
    const chunk = ids.slice(i, i + size);
    out.push(...run(chunk, chunk.map(() => '?').join(',')));
  }
  return out;
}

/**
 * The reads instruments offers other capabilities (issue 21: "no capability reads another's
 * tables; it asks the owner"). Built once by the composition root (src/main/app/compose.ts)
 * and passed to the capabilities that ask (testing, disposition), as a constructor dependency.
 *
 * The per-lot reads span `test_result` (testing's table) in one statement each: a capture's
 * result is its subject, and the questions ("the flagged captures a lot's standing results
 * use", "the instruments a lot's results were measured on") are about captures; asking
 * testing for the lot's results and instruments per result would turn one statement into
 * one per result, or join in code and lose the statements' row order (the COA's instrument
 * table is printed in it).
 */
export function instrumentReads(db: Db) {
  const instrument = lazy<[string, string], { id: string; code: string }>(
    db,
    'SELECT id, code FROM instrument WHERE (id = ? OR code = ?) AND retired = 0',
  );
  const usedCaptures = lazy<[string], { id: string; replicate_index: number; value: string | null }>(
    db,
    "SELECT id, replicate_index, value FROM instrument_capture WHERE result_id = ? AND status = 'used' AND retired = 0",
  );
  const earlierCaptures = lazy<[string, number, string], { id: string }>(
    db,
    "SELECT id FROM instrument_capture WHERE result_id = ? AND replicate_index = ? AND status = 'used' AND retired = 0 AND id <> ?",
  );
  // ---- per lot (the lot's results read in the same statement: see above)
  const flaggedCaptures = lazy<[string], FlaggedCaptureRow>(
    db,
    `SELECT c.id, c.flag_reason, i.code AS instrument, r.item_code FROM instrument_capture c JOIN test_result r ON r.id = c.result_id JOIN instrument i ON i.id = c.instrument_id
     WHERE r.lot_code = ? AND r.retired = 0 AND r.status <> 'invalidated' AND c.status = 'used' AND c.flagged = 1`,
  );
  const flaggedTyped = lazy<[string], FlaggedTypedRow>(
    db,
    `SELECT f.id, i.code AS instrument, f.item_code FROM instrument_flag f JOIN test_result r ON r.id = f.result_id JOIN instrument i ON i.id = f.instrument_id
     WHERE f.lot_code = ? AND f.how = 'typed' AND r.retired = 0 AND r.status <> 'invalidated' AND r.replicates IS f.replicates`,
  );
  const instrumentsUsed = lazy<[string], { id: string; code: string }>(
    db,
    `SELECT DISTINCT i.id, i.code FROM instrument_capture c JOIN test_result r ON r.id = c.result_id JOIN instrument i ON i.id = c.instrument_id
     WHERE r.lot_code = ? AND r.retired = 0 AND r.status <> 'invalidated' AND c.status = 'used'`,
  );
  const dossierInstruments = lazy<[string], { code: string; name: string | null; serial_no: string | null }>(
    db,
    'SELECT DISTINCT i.code, i.name, i.serial_no FROM instrument_capture c JOIN instrument i ON i.id = c.instrument_id JOIN test_result r ON r.id = c.result_id WHERE r.lot_code = ?',
  );
  const instrumentUses = lazy<[string, string], { id: string; first: number; last: number }>(
    db,
    `SELECT instrument_id AS id, min(at) AS first, max(at) AS last FROM (
       SELECT c.instrument_id, c.at FROM instrument_capture c JOIN test_result r ON r.id = c.result_id WHERE r.lot_code = ?
       UNION ALL SELECT r.instrument_id, r.entered_at FROM test_result r WHERE r.lot_code = ? AND r.instrument_id IS NOT NULL AND r.entered_at IS NOT NULL
     ) GROUP BY instrument_id`,
  );
  const eventsAround = lazy<[string, number, number, number, number], { id: string }>(
    db,
    `SELECT e.id FROM instrument_event e WHERE e.instrument_id = ? AND e.retired = 0
       AND e.performed_at >= coalesce((SELECT max(x.performed_at) FROM instrument_event x WHERE x.instrument_id = e.instrument_id AND x.kind = e.kind AND x.performed_at <= ?), ?)
       AND e.performed_at <= coalesce((SELECT min(x.performed_at) FROM instrument_event x WHERE x.instrument_id = e.instrument_id AND x.kind = e.kind AND x.performed_at >= ?), ?)`,
  );
  const scope = (
    [
      ['instrument_capture', 'SELECT c.id FROM instrument_capture c JOIN test_result r ON r.id = c.result_id WHERE r.lot_code = ?'],
      ['instrument_flag', 'SELECT id FROM instrument_flag WHERE lot_code = ?'],
    ] as const
  ).map(([entity, sql]) => ({ entity, stmt: lazy<[string], { id: string }>(db, sql) }));
  return {
    /** An instrument in service by id or code. */
    instrument: (ref: string): { id: string; code: string } | undefined => instrument().get(ref, ref),
    /** The codes of instruments by id, retired or not (ids not found are absent). */
    codesOf: (ids: readonly string[]): Map<string, string> =>
      new Map(
        chunked([...new Set(ids)], 500, (chunk, ph) =>
          db.prepare<unknown[], { id: string; code: string }>(`SELECT id, code FROM instrument WHERE id IN (${ph})`).all(...chunk),
        ).map((r) => [r.id, r.code]),
      ),
    // ---- captures into results
    /** Who captured into these results (every capture, used or typed over). */
    capturers: (resultIds: readonly string[]) =>
      chunked(resultIds, 400, (chunk, ph) =>
        db
          .prepare<
            unknown[],
            { result_id: string; by_user: string }
          >(`SELECT result_id, by_user FROM instrument_capture WHERE result_id IN (${ph})`)
          .all(...chunk),
      ),
    /** The captures into these results (not retired), oldest first per chunk, with their instrument's code. */
    resultCaptures: (resultIds: readonly string[]): ResultCaptureRow[] =>
      chunked(resultIds, 500, (chunk, ph) =>
        db
          .prepare<unknown[], ResultCaptureRow>(
            `SELECT c.*, ins.code AS instrument_code FROM instrument_capture c JOIN instrument ins ON ins.id = c.instrument_id
             WHERE c.result_id IN (${ph}) AND c.retired = 0 ORDER BY c.at`,
          )
          .all(...chunk),
      ),
    /** The captures a result's replicates now use. */
    usedCaptures: (resultId: string) => usedCaptures().all(resultId),
    /**
     * The other captures a replicate still uses, superseded by the capture `current` applied now.
     * By id, not by time: a signed frame's capture carries the bench's clock, earlier than the
     * transaction that writes it (D-095), so a time bound would supersede the new capture itself.
     */
    earlierCaptures: (resultId: string, replicate: number, current: string): string[] =>
      earlierCaptures()
        .all(resultId, replicate, current)
        .map((c) => c.id),
    // ---- per lot (one statement each)
    /** Flagged captures the lot's standing results use. */
    flaggedCapturesOfLot: (lotCode: string): FlaggedCaptureRow[] => flaggedCaptures().all(lotCode),
    /** Flags on typed values the lot's standing results still hold. */
    flaggedTypedOfLot: (lotCode: string): FlaggedTypedRow[] => flaggedTyped().all(lotCode),
    /** The instruments whose captures the lot's standing results use. */
    instrumentsUsedByLot: (lotCode: string) => instrumentsUsed().all(lotCode),
    /** The instruments captured into any result of the lot (the dossier's table). */
    dossierInstruments: (lotCode: string) => dossierInstruments().all(lotCode),
    /** Each instrument a lot's results used (captured or named), with the first and last time. */
    instrumentUsesOfLot: (lotCode: string) => instrumentUses().all(lotCode, lotCode),
    /** An instrument's calibrations and checks from the last of each kind before `first` to the first after `last`. */
    eventsAround: (instrumentId: string, first: number, last: number): string[] =>
      eventsAround()
        .all(instrumentId, first, first, last, last)
        .map((r) => r.id),
    /** Instruments' records behind a lot's results (captures, flags), by entity. */
    recordsOfLot: (lotCode: string): Array<{ entity: string; ids: string[] }> =>
      scope.map(({ entity, stmt }) => ({
        entity,
        ids: stmt()
          .all(lotCode)
          .map((r) => r.id),
      })),
  };
}
export type InstrumentReads = ReturnType<typeof instrumentReads>;
