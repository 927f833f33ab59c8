import { z } from 'zod';
import { channel, event } from '../define';
import { reasonSchema } from '../common';
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
] as const;

const decimal = z
  .string()
  .trim()
  .regex(/^-?\d+(\.\d+)?$/, { message: 'decimal_string' });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date_format' });
const id = z.string().min(1).max(80);
const hex4 = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F]{4}$/, { message: 'usb_id_format' });

/** Print-format configuration (instruments that print records); validated again by the driver. */
export const printConfigInput = z.object({
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
      }),
    )
    .min(1)
    .max(30),
});

export const instrumentFields = z.object({
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
});

export const lockSchema = z.object({
  locked: z.boolean(),
  /** i18n keys with details: calibration_missing, calibration_overdue, check_missing, check_expired, check_failed, inactive. */
  reasons: z.array(z.object({ key: z.string(), details: z.record(z.string(), z.string()) })),
  calibrationDue: z.string().nullable(),
  lastCheckAt: z.string().nullable(),
  lastCheckPassed: z.boolean().nullable(),
});

export const instrumentViewSchema = instrumentFields.extend({
  id: z.string(),
  rev: z.number().int(),
  state: z.enum(connectionStates),
  stateMessage: z.string().nullable(),
  connectedPort: z.string().nullable(),
  lock: lockSchema,
});
export type InstrumentView = z.infer<typeof instrumentViewSchema>;

export const captureViewSchema = z.object({
  id: z.string(),
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
});

export const eventViewSchema = z.object({
  id: z.string(),
  kind: z.enum(instrumentEventKinds),
  performedAt: z.string(),
  dueOn: z.string().nullable(),
  certificateNo: z.string().nullable(),
  provider: z.string().nullable(),
  passed: z.boolean(),
  points: z.array(
    z.object({
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
});

/** What a reading request answered: a reading, or why not (never a value from a bad frame). */
export const readOutcomeSchema = z.object({
  ok: z.boolean(),
  value: z.string().nullable(),
  unit: z.string().nullable(),
  stable: z.boolean().nullable(),
  error: z.enum(readingErrorCodes).nullable(),
  /** Translated explanation of the refusal. */
  message: z.string().nullable(),
  /** base64 of the bytes received. */
  raw: z.string(),
});

export const instrumentsChannels = {
  'instruments.list': channel({
    input: z.object({ includeInactive: z.boolean().default(false) }),
    output: z.array(instrumentViewSchema),
    access: 'instruments.read',
    writes: false,
  }),
  'instruments.get': channel({
    input: z.object({ id }),
    output: z.object({
      instrument: instrumentViewSchema,
      events: z.array(eventViewSchema),
      captures: z.array(captureViewSchema),
    }),
    access: 'instruments.read',
    writes: false,
  }),
  'instruments.save': channel({
    input: z.object({ id: id.optional(), fields: instrumentFields, reason: reasonSchema.optional() }),
    output: instrumentViewSchema,
    access: 'instruments.manage',
    writes: true,
  }),
  /** Serial ports the OS lists (with USB identity); when it cannot list them, a clear message. */
  'instruments.ports': channel({
    input: z.object({}),
    output: z.object({
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
    access: 'instruments.read',
    writes: false,
  }),
  /** Opens the port (found by USB identity or path), checks the instrument's serial number where the protocol allows. */
  'instruments.connect': channel({
    input: z.object({ id }),
    output: instrumentViewSchema,
    access: 'instruments.use',
    writes: false,
  }),
  'instruments.disconnect': channel({
    input: z.object({ id }),
    output: instrumentViewSchema,
    access: 'instruments.use',
    writes: false,
  }),
  /** Zero, tare, or ask the serial number. */
  'instruments.command': channel({
    input: z.object({ id, command: z.enum(['zero', 'tare', 'serial']) }),
    output: z.object({ ok: z.boolean(), answer: z.string().nullable(), raw: z.string() }),
    access: 'instruments.use',
    writes: false,
  }),
  /** Raw terminal (diagnosis): sends a line; the traffic comes back as `instruments.traffic` events. */
  'instruments.terminal.send': channel({
    input: z.object({ id, text: z.string().max(200) }),
    output: z.object({ ok: z.literal(true) }),
    access: 'instruments.use',
    writes: false,
  }),
  /**
   * Requests one reading and fills replicate `replicateIndex` of a result with it (or uses the
   * reading the print key just sent: `readingId`). Only stable readings in the result's unit
   * are accepted; a refused reading is shown with its reason and stores nothing.
   */
  'instruments.capture': channel({
    input: z.object({
      instrumentId: id,
      resultId: id,
      replicateIndex: z.number().int().min(0).max(9),
      readingId: z.string().max(80).optional(),
    }),
    output: z.object({
      outcome: readOutcomeSchema,
      capture: captureViewSchema.nullable(),
      changed: z.array(resultViewSchema),
    }),
    access: 'results.enter',
    writes: true,
  }),
  /** One reading for a daily check point (stored as evidence, purpose `check`). */
  'instruments.read': channel({
    input: z.object({ id }),
    output: z.object({ outcome: readOutcomeSchema, capture: captureViewSchema.nullable() }),
    access: 'instruments.calibrate',
    writes: true,
  }),
  /** A daily check: points read through the instrument (captureId) or typed (pH buffers without a link), each within its tolerance. */
  'instruments.dailyCheck': channel({
    input: z.object({
      id,
      points: z
        .array(
          z.object({
            nominal: decimal,
            tolerance: decimal,
            unit: z.string().trim().min(1).max(20),
            captureId: z.string().max(80).optional(),
            reading: decimal.optional(),
          }),
        )
        .min(1)
        .max(12),
      note: z.string().trim().max(1000).optional(),
    }),
    output: eventViewSchema,
    access: 'instruments.calibrate',
    writes: true,
  }),
  /** A calibration certificate (with its due date) or a maintenance record. */
  'instruments.calibration': channel({
    input: z.object({
      id,
      kind: z.enum(['calibration', 'maintenance']),
      performedOn: date,
      dueOn: date.optional(),
      certificateNo: z.string().trim().max(80).optional(),
      provider: z.string().trim().max(120).optional(),
      passed: z.boolean().default(true),
      note: z.string().trim().max(1000).optional(),
    }),
    output: eventViewSchema,
    access: 'instruments.calibrate',
    writes: true,
  }),
  /** The print-format tester: what a configuration reads from pasted output. */
  'instruments.printConfig.test': channel({
    input: z.object({ config: printConfigInput, text: z.string().max(20000) }),
    output: z.object({
      records: z.array(z.record(z.string(), z.object({ value: z.string(), unit: z.string() }))),
      errors: z.array(z.string()),
    }),
    access: 'instruments.read',
    writes: false,
  }),
} as const;

export const instrumentsEvents = {
  'instruments.status': event({
    payload: z.object({
      id: z.string(),
      state: z.enum(connectionStates),
      message: z.string().nullable(),
      port: z.string().nullable(),
    }),
    access: 'instruments.read',
  }),
  /** An unsolicited reading (print key) or the answer to a request, for the focused field. */
  'instruments.reading': event({
    payload: z.object({ id: z.string(), readingId: z.string(), at: z.string(), outcome: readOutcomeSchema }),
    access: 'instruments.read',
  }),
  'instruments.traffic': event({
    payload: z.object({ id: z.string(), dir: z.enum(['rx', 'tx']), at: z.string(), text: z.string(), hex: z.string() }),
    access: 'instruments.read',
  }),
} as const;
