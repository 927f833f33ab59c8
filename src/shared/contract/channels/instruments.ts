import { z } from 'zod';
import { channel, event, lazySchema } from '../define';
import { reasonSchema, signatureInputSchema } from '../common';
import { resultViewSchema } from './testing';

export const instrumentKinds = [
  'balance',
  'moisture_analyser',
  'ph_meter',
  'milk_analyser',
  'cryoscope',
  'titrator',
  'other',
] as const;
export const driverIds = ['mt-sics', 'sbi', 'ohaus', 'print'] as const;
export const connectionStates = ['disconnected', 'connecting', 'connected', 'error'] as const;
export const instrumentEventKinds = ['calibration', 'daily_check', 'maintenance'] as const;
/** Errors of a reading, as in ../shared/formats/README.md (lotseal instrument read). */
export const readingErrorCodes = [
  'overload',
  'underload',
  'unstable',
  'not_executable',
  'syntax_error',
  'transmission_error',
  'logical_error',
  'garbage',
  'timeout',
  'wrong_unit',
  'port_error',
  /** A record whose sample id is not the sample it is captured into. */
  'sample_mismatch',
  /** A record (or reading) that fills no test of the sample. */
  'no_items',
] as const;

const decimal = lazySchema(() =>
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, { message: 'decimal_string' }),
);
const date = lazySchema(() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date_format' }));
const id = lazySchema(() => z.string().min(1).max(80));
const hex4 = lazySchema(() =>
  z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{4}$/, { message: 'usb_id_format' }),
);

/** Print-format configuration (instruments that print records); validated again by the driver. */
export const printFieldRoles = ['value', 'sample_id', 'temperature', 'status'] as const;
export const printConfigInput = lazySchema(() =>
  z.object({
    recordStart: z.string().max(200).optional(),
    recordEnd: z.string().max(200).optional(),
    /** Lines that are the instrument's error records (e.g. the AI 3320's `E|…`). */
    errorPattern: z.string().max(200).optional(),
    fields: z
      .array(
        z.object({
          analyte: z.string().trim().min(1).max(40),
          pattern: z.string().min(1).max(200),
          unit: z.string().max(20),
          /** value (default), sample_id, temperature or status (D-057). */
          role: z.enum(printFieldRoles).optional(),
          /** The result item code this value fills (e.g. `fat`). */
          item: z.string().trim().max(60).optional(),
          optional: z.boolean().optional(),
          /** status fields: the pattern of a good status. */
          okPattern: z.string().max(200).optional(),
        }),
      )
      .min(1)
      .max(30),
    /** The record's sample id must be the code of the sample it is captured into. */
    checkSampleId: z.boolean().optional(),
  }),
);

export const instrumentFields = lazySchema(() =>
  z.object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, { message: 'code_format' }),
    name: z.string().trim().min(1).max(120),
    kind: z.enum(instrumentKinds),
    make: z.string().trim().max(80).nullable(),
    model: z.string().trim().max(80).nullable(),
    serialNo: z.string().trim().max(60).nullable(),
    location: z.string().trim().max(80).nullable(),
    /** A fixed port path (COM3, /dev/ttyUSB0), or better a USB-serial adapter's identity. */
    portPath: z.string().trim().max(200).nullable(),
    usbSerial: z.string().trim().max(80).nullable(),
    usbVendorId: hex4.nullable(),
    usbProductId: hex4.nullable(),
    baudRate: z
      .number()
      .int()
      .refine((b) => [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200].includes(b), { message: 'baud_rate' }),
    dataBits: z.union([z.literal(7), z.literal(8)]),
    parity: z.enum(['none', 'odd', 'even']),
    stopBits: z.union([z.literal(1), z.literal(2)]),
    flowControl: z.enum(['none', 'rtscts', 'xonxoff']),
    lineEnding: z.enum(['crlf', 'cr', 'lf']),
    driver: z.enum(driverIds),
    printConfig: printConfigInput.nullable(),
    /** Hours a daily check stays valid (0 = no daily check required). */
    checkIntervalHours: z
      .number()
      .int()
      .min(0)
      .max(24 * 31),
    active: z.boolean(),
  }),
);

export const lockSchema = lazySchema(() =>
  z.object({
    locked: z.boolean(),
    /** i18n keys with details: calibration_missing, calibration_overdue, check_missing, check_expired, check_failed, inactive. */
    reasons: z.array(z.object({ key: z.string(), details: z.record(z.string(), z.string()) })),
    calibrationDue: z.string().nullable(),
    lastCheckAt: z.string().nullable(),
    lastCheckPassed: z.boolean().nullable(),
  }),
);

export const instrumentViewSchema = lazySchema(() =>
  instrumentFields.extend({
    id: z.string(),
    rev: z.number().int(),
    state: z.enum(connectionStates),
    stateMessage: z.string().nullable(),
    connectedPort: z.string().nullable(),
    lock: lockSchema,
  }),
);
export type InstrumentView = z.infer<typeof instrumentViewSchema>;

export const captureViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    /** The record's field that filled the result (print-format instruments), else null. */
    field: z.string().nullable(),
    /** As read, before the method's conversion (null for captures before migration 0013). */
    readValue: z.string().nullable(),
    readUnit: z.string().nullable(),
    /** The conversion applied, e.g. "m°H × 0.0009656 (GB 5413.38)". */
    conversion: z.string().nullable(),
    /** The record's sample id, as printed. */
    recordSampleId: z.string().nullable(),
    /** `raw` holds the bytes exactly as received, terminators included (D-057). */
    rawAsReceived: z.boolean(),
    instrumentId: z.string(),
    resultId: z.string().nullable(),
    replicateIndex: z.number().int().nullable(),
    purpose: z.enum(['result', 'check', 'read']),
    raw: z.string(),
    value: z.string().nullable(),
    unit: z.string().nullable(),
    stable: z.boolean(),
    at: z.string(),
    by: z.string(),
    status: z.enum(['used', 'typed_over']),
    typedOverReason: z.string().nullable(),
    flagged: z.boolean(),
    flagReason: z.string().nullable(),
  }),
);

export const eventViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    kind: z.enum(instrumentEventKinds),
    /** Results measured on the instrument since its last good check that this failed event flagged. */
    flagged: z.number().int(),
    performedAt: z.string(),
    dueOn: z.string().nullable(),
    certificateNo: z.string().nullable(),
    provider: z.string().nullable(),
    passed: z.boolean(),
    points: z.array(
      z.object({
        /** The standard of the check plan (reference weight, buffer…) and its certificate. */
        standard: z.string().nullable(),
        certificateNo: z.string().nullable(),
        /** Typed at the check rather than read through the instrument. */
        typed: z.boolean(),
        nominal: z.string(),
        tolerance: z.string(),
        unit: z.string(),
        reading: z.string(),
        captureId: z.string().nullable(),
        passed: z.boolean(),
      }),
    ),
    by: z.string(),
    note: z.string().nullable(),
  }),
);

/** What a reading request answered: a reading, or why not (never a value from a bad frame). */
export const readOutcomeSchema = lazySchema(() =>
  z.object({
    ok: z.boolean(),
    value: z.string().nullable(),
    unit: z.string().nullable(),
    stable: z.boolean().nullable(),
    error: z.enum(readingErrorCodes).nullable(),
    /** Translated explanation of the refusal. */
    message: z.string().nullable(),
    /** base64 of the bytes received, exactly as received (terminators included). */
    raw: z.string(),
    /** A print-format record: every field read, its sample id, temperature and status. */
    record: z
      .object({
        fields: z.record(z.string(), z.object({ value: z.string(), unit: z.string() })),
        sampleId: z.string().nullable(),
        status: z.string().nullable(),
      })
      .nullable(),
  }),
);

/** A frame refused when a capture or a check reading was asked for, kept as evidence (D-057). */
export const refusedFrameViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    purpose: z.enum(['result', 'check']),
    resultId: z.string().nullable(),
    sampleCode: z.string().nullable(),
    raw: z.string(),
    error: z.string(),
    detail: z.string().nullable(),
    at: z.string(),
    by: z.string(),
  }),
);

/** A daily-check standard fixed on the instrument by a QA manager (D-059). */
export const checkPointSchema = lazySchema(() =>
  z.object({
    standard: z.string().trim().min(1).max(120),
    certificateNo: z.string().trim().min(1).max(80),
    /** The certificate's expiry: a check with an expired standard is refused. */
    certificateValidUntil: date.nullable(),
    nominal: decimal,
    tolerance: decimal,
    unit: z.string().trim().min(1).max(20),
  }),
);

export const checkPlanViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    rev: z.number().int(),
    instrumentId: z.string(),
    points: z.array(checkPointSchema),
    note: z.string().nullable(),
  }),
);

/** A method's instrument rule (D-058): conversions of readings into the item's entry unit. */
export const conversionSchema = lazySchema(() =>
  z.object({
    /** The unit as read (m°H, °L…). */
    from: z.string().trim().min(1).max(20),
    /** The entry unit it converts to (default: the item's). */
    to: z.string().trim().max(20).nullable().optional(),
    /** value × factor + offset, exact decimals. */
    factor: decimal,
    offset: decimal.optional(),
    /** Where the conversion comes from (manual, standard). */
    note: z.string().trim().max(300).nullable().optional(),
  }),
);

export const methodInstrumentViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    rev: z.number().int(),
    methodCode: z.string(),
    instrumentKind: z.enum(instrumentKinds),
    conversions: z.array(conversionSchema),
    note: z.string().nullable(),
  }),
);

/** What a failed daily check or calibration casts doubt on: results since the last good check, and their lots. */
export const impactViewSchema = lazySchema(() =>
  z.object({
    eventId: z.string(),
    instrumentId: z.string(),
    instrumentCode: z.string(),
    kind: z.enum(instrumentEventKinds),
    performedAt: z.string(),
    /** The last good check (or calibration) before the failure; null: none on record. */
    since: z.string().nullable(),
    results: z.array(
      z.object({
        resultId: z.string(),
        sampleCode: z.string(),
        lotCode: z.string().nullable(),
        itemCode: z.string(),
        how: z.enum(['captured', 'typed']),
        reported: z.string().nullable(),
        status: z.string(),
        /** Still as flagged (not re-measured, not invalidated). */
        standing: z.boolean(),
      }),
    ),
    lots: z.array(
      z.object({
        code: z.string(),
        status: z.string(),
        results: z.number().int(),
        /** Released or accepted: the signed hold puts it on hold. */
        holdable: z.boolean(),
      }),
    ),
  }),
);

/** A capture made at the bench as a signed raw frame (issue 23 §4, D-095; src/shared/domain/signed-frame.ts). */
export const frameBodySchema = lazySchema(() =>
  z
    .object({
      v: z.literal('lotseal-frame-1'),
      key: z.string().regex(/^[0-9a-f]{16}$/),
      host: z.string().min(1).max(200),
      seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
      instrumentId: id,
      port: z.string().max(200).nullable(),
      driver: z.enum(driverIds),
      capturedAt: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      clock: z.string().min(1).max(80),
      tz: z.string().min(1).max(64),
      by: z.string().min(1).max(40),
      purpose: z.enum(['result', 'check']),
      resultId: id.nullable(),
      sampleCode: z.string().trim().min(1).max(80).nullable(),
      replicateIndex: z.number().int().min(0).max(9),
      /** base64 of the bytes as received; at most 64 KiB of bytes. */
      raw: z
        .string()
        .max(90_000)
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: 'base64' }),
    })
    .strict()
    // A result frame names its result or its sample; a check reading names neither (D-109).
    .refine((b) => (b.purpose === 'check' ? !b.resultId && !b.sampleCode : !!b.resultId !== !!b.sampleCode), {
      message: 'result_or_sample',
      path: ['resultId'],
    }),
);
export const signedFrameSchema = lazySchema(() =>
  z
    .object({
      body: frameBodySchema,
      signature: z
        .string()
        .max(200)
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: 'base64' }),
    })
    .strict(),
);

/**
 * A signed frame sent to the record (instruments.submitFrame and .submitCheckFrame, D-095,
 * D-109): `forward` when it is written back from the workstation's queue.
 */
const submitFrameInput = lazySchema(() =>
  z.object({
    frame: signedFrameSchema,
    forward: z
      .object({
        queuedAt: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
        linkDownSince: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable(),
      })
      .optional(),
  }),
);
const submitFrameOutput = lazySchema(() =>
  z.object({
    frameId: z.string(),
    duplicate: z.boolean(),
    status: z.enum(['captured', 'refused']),
    outcome: readOutcomeSchema,
    captures: z.array(captureViewSchema),
    unused: z.array(z.string()),
    changed: z.array(resultViewSchema),
  }),
);

export const instrumentsChannels = {
  'instruments.list': channel({
    input: lazySchema(() => z.object({ includeInactive: z.boolean().default(false) })),
    output: lazySchema(() => z.array(instrumentViewSchema)),
    access: 'instruments.read',
    writes: false,
  }),
  'instruments.get': channel({
    input: lazySchema(() => z.object({ id })),
    output: lazySchema(() =>
      z.object({
        instrument: instrumentViewSchema,
        events: z.array(eventViewSchema),
        captures: z.array(captureViewSchema),
        /** Frames refused when a capture or check reading was asked for (evidence). */
        refused: z.array(refusedFrameViewSchema),
        checkPlan: checkPlanViewSchema.nullable(),
      }),
    ),
    access: 'instruments.read',
    writes: false,
  }),
  'instruments.save': channel({
    input: lazySchema(() => z.object({ id: id.optional(), fields: instrumentFields, reason: reasonSchema.optional() })),
    output: instrumentViewSchema,
    access: 'instruments.manage',
    writes: true,
  }),
  /** Serial ports the OS lists (with USB identity); when it cannot list them, a clear message. */
  'instruments.ports': channel({
    input: lazySchema(() => z.object({})),
    output: lazySchema(() =>
      z.object({
        ports: z.array(
          z.object({
            path: z.string(),
            manufacturer: z.string().nullable(),
            serialNumber: z.string().nullable(),
            vendorId: z.string().nullable(),
            productId: z.string().nullable(),
          }),
        ),
        error: z.string().nullable(),
      }),
    ),
    access: 'instruments.read',
    writes: false,
  }),
  /** Opens the port (found by USB identity or path), checks the instrument's serial number where the protocol allows. */
  'instruments.connect': channel({
    input: lazySchema(() => z.object({ id })),
    output: instrumentViewSchema,
    access: 'instruments.use',
    writes: false,
  }),
  'instruments.disconnect': channel({
    input: lazySchema(() => z.object({ id })),
    output: instrumentViewSchema,
    access: 'instruments.use',
    writes: false,
  }),
  /** Zero, tare, or ask the serial number. */
  'instruments.command': channel({
    input: lazySchema(() => z.object({ id, command: z.enum(['zero', 'tare', 'serial']) })),
    output: lazySchema(() => z.object({ ok: z.boolean(), answer: z.string().nullable(), raw: z.string() })),
    access: 'instruments.use',
    writes: false,
  }),
  /** Raw terminal (diagnosis): sends a line; the traffic comes back as `instruments.traffic` events. */
  'instruments.terminal.send': channel({
    input: lazySchema(() => z.object({ id, text: z.string().max(200) })),
    output: lazySchema(() => z.object({ ok: z.literal(true) })),
    access: 'instruments.use',
    writes: false,
  }),
  /**
   * Requests one reading and fills replicate `replicateIndex` of a result with it (or uses the
   * reading the print key just sent: `readingId`). Only stable readings in the result's unit
   * are accepted; a refused reading is shown with its reason and stores nothing.
   */
  'instruments.capture': channel({
    input: lazySchema(() =>
      z
        .object({
          instrumentId: id,
          /** The result (a balance reading), or any result of the sample a record is for. */
          resultId: id.optional(),
          /** The sample a record fills (print-format instruments), instead of `resultId`. */
          sampleCode: z.string().trim().min(1).max(80).optional(),
          replicateIndex: z.number().int().min(0).max(9),
          readingId: z.string().max(80).optional(),
        })
        .refine((i) => !!i.resultId !== !!i.sampleCode, { message: 'result_or_sample', path: ['resultId'] }),
    ),
    output: lazySchema(() =>
      z.object({
        outcome: readOutcomeSchema,
        /** The first capture stored (null: refused). */
        capture: captureViewSchema.nullable(),
        /** Every capture stored: one per result item a record filled. */
        captures: z.array(captureViewSchema),
        /** Fields of the record that fill no result of this sample (not mapped, or the item is not planned). */
        unused: z.array(z.string()),
        changed: z.array(resultViewSchema),
        /**
         * The record did not answer: the signed frame waits in the bench's queue (its sequence
         * number, and since when the record has been unreachable) and is written back when it returns.
         */
        queued: z.object({ seq: z.number().int(), since: z.string() }).optional(),
      }),
    ),
    access: 'results.enter',
    writes: true,
  }),
  /**
   * The record's half of a capture made at the bench (issue 23 §4, D-095–D-096): a frame signed
   * by an enrolled workstation's host key, re-parsed by the record's driver and captured by the
   * same rules as `instruments.capture`; value and bytes stored with the frame's capture time and
   * the time received. A bad signature or an unknown or retired key is refused and nothing is
   * written; the same frame (host key + seq) sent again writes nothing and returns the first
   * result (`duplicate`). `forward`: the frame is written back from the workstation's queue.
   */
  'instruments.submitFrame': channel({
    input: submitFrameInput,
    output: submitFrameOutput,
    access: 'results.enter',
    writes: true,
  }),
  /** One reading for a daily check point (stored as evidence, purpose `check`); `readingId`: one the instrument printed. */
  'instruments.read': channel({
    input: lazySchema(() => z.object({ id, readingId: z.string().max(80).optional() })),
    output: lazySchema(() =>
      z.object({
        outcome: readOutcomeSchema,
        capture: captureViewSchema.nullable(),
        /** At a site workstation whose server does not answer: the signed reading waits in the bench's queue (D-109). */
        queued: z.object({ seq: z.number().int(), since: z.string() }).optional(),
      }),
    ),
    access: 'instruments.calibrate',
    writes: true,
  }),
  /**
   * The record's half of a daily-check reading taken at a site workstation (D-109): the bench
   * signed the bytes (purpose `check`); the record verifies and re-parses them as for
   * instruments.submitFrame and stores the check capture with the frame. Checks need
   * `instruments.calibrate`, as instruments.read does.
   */
  'instruments.submitCheckFrame': channel({
    input: submitFrameInput,
    output: submitFrameOutput,
    access: 'instruments.calibrate',
    writes: true,
  }),
  /**
   * A daily check against the instrument's check plan (D-059): one reading per standard of the
   * plan, read through the instrument (captureId) or, for instruments that only print, typed.
   * Nominal values and tolerances come from the plan, never from the call.
   */
  'instruments.dailyCheck': channel({
    input: lazySchema(() =>
      z.object({
        id,
        readings: z
          .array(
            z.object({
              point: z.number().int().min(0).max(11),
              captureId: z.string().max(80).optional(),
              reading: decimal.optional(),
            }),
          )
          .min(1)
          .max(12),
        note: z.string().trim().max(1000).optional(),
      }),
    ),
    output: eventViewSchema,
    access: 'instruments.calibrate',
    writes: true,
  }),
  /** The check plan of an instrument: its standards, certificates, nominal values and tolerances (QA manager). */
  'instruments.checkPlan.save': channel({
    input: lazySchema(() =>
      z.object({
        id,
        points: z.array(checkPointSchema).min(1).max(12),
        note: z.string().trim().max(1000).nullable().default(null),
        reason: reasonSchema.optional(),
      }),
    ),
    output: checkPlanViewSchema,
    access: 'instruments.qualify',
    writes: true,
  }),
  /** Results since the last good check that a failed check or calibration flagged, with their lots. */
  'instruments.impact': channel({
    input: lazySchema(() => z.object({ eventId: id })),
    output: impactViewSchema,
    access: 'instruments.read',
    writes: false,
  }),
  /** One signed action (`held`) putting the affected released or accepted lots on hold. */
  'instruments.impact.hold': channel({
    input: lazySchema(() =>
      z.object({
        eventId: id,
        lotCodes: z.array(z.string().trim().min(1).max(80)).min(1).max(500),
        reason: reasonSchema,
        signature: signatureInputSchema,
      }),
    ),
    output: lazySchema(() => z.object({ held: z.array(z.string()) })),
    access: 'lots.decide',
    writes: true,
  }),
  /** What test methods name about instruments: the kind their values are measured on, and reading conversions. */
  'instruments.methods.list': channel({
    input: lazySchema(() => z.object({})),
    output: lazySchema(() => z.array(methodInstrumentViewSchema)),
    access: 'results.read',
    writes: false,
  }),
  'instruments.methods.save': channel({
    input: lazySchema(() =>
      z.object({
        methodCode: z.string().trim().min(1).max(60),
        instrumentKind: z.enum(instrumentKinds),
        conversions: z.array(conversionSchema).max(10).default([]),
        note: z.string().trim().max(500).nullable().default(null),
        reason: reasonSchema.optional(),
      }),
    ),
    output: methodInstrumentViewSchema,
    access: 'catalog.manage',
    writes: true,
  }),
  /** A calibration certificate (with its due date) or a maintenance record. */
  'instruments.calibration': channel({
    input: lazySchema(() =>
      z.object({
        id,
        kind: z.enum(['calibration', 'maintenance']),
        performedOn: date,
        dueOn: date.optional(),
        certificateNo: z.string().trim().max(80).optional(),
        provider: z.string().trim().max(120).optional(),
        passed: z.boolean().default(true),
        note: z.string().trim().max(1000).optional(),
      }),
    ),
    output: eventViewSchema,
    access: 'instruments.calibrate',
    writes: true,
  }),
  /** The print-format tester: what a configuration reads from pasted output. */
  'instruments.printConfig.test': channel({
    input: lazySchema(() => z.object({ config: printConfigInput, text: z.string().max(20000) })),
    output: lazySchema(() =>
      z.object({
        records: z.array(
          z.object({
            fields: z.record(z.string(), z.object({ value: z.string(), unit: z.string() })),
            sampleId: z.string().nullable(),
            status: z.string().nullable(),
          }),
        ),
        errors: z.array(z.string()),
      }),
    ),
    access: 'instruments.read',
    writes: false,
  }),
} as const;

export const instrumentsEvents = {
  'instruments.status': event({
    payload: lazySchema(() =>
      z.object({
        id: z.string(),
        state: z.enum(connectionStates),
        message: z.string().nullable(),
        port: z.string().nullable(),
      }),
    ),
    access: 'instruments.read',
  }),
  /** An unsolicited reading (print key) or the answer to a request, for the focused field. */
  'instruments.reading': event({
    payload: lazySchema(() =>
      z.object({ id: z.string(), readingId: z.string(), at: z.string(), outcome: readOutcomeSchema }),
    ),
    access: 'instruments.read',
  }),
  'instruments.traffic': event({
    payload: lazySchema(() =>
      z.object({ id: z.string(), dir: z.enum(['rx', 'tx']), at: z.string(), text: z.string(), hex: z.string() }),
    ),
    access: 'instruments.read',
  }),
} as const;
