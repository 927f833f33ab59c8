import { z } from 'zod';
import { channel, lazySchema } from '../define';
import { reasonSchema, signatureInputSchema, signatureViewSchema } from '../common';
import { quantityUnits } from '../../domain/units';

/** Sample kinds (issue 7 §1). Each kind decides what a sample must name: a lot of a fitting kind, or a site. */
export const sampleKinds = [
  'raw_milk_tanker',
  'incoming_inspection',
  'in_process',
  'finished_release',
  'environmental_swab',
  'water',
  'retention',
] as const;
export type SampleKind = (typeof sampleKinds)[number];

/** ../shared/guides/domain-model.md: registered → received → in_testing → complete | cancelled (with reason). */
export const sampleStatuses = ['registered', 'received', 'in_testing', 'complete', 'cancelled'] as const;
export type SampleStatus = (typeof sampleStatuses)[number];

export const sampleConditions = ['intact', 'damaged', 'leaking', 'temperature_out_of_range', 'insufficient'] as const;
export const siteKinds = ['environment', 'water'] as const;
export const sampleEvents = [
  'registered',
  'received',
  'moved',
  'label_printed',
  'label_reprinted',
  'testing_started',
  'completed',
  'cancelled',
  'disposed',
] as const;
/** What a user may do with a sample now (the server still checks). */
export const sampleActions = ['receive', 'move', 'cancel', 'dispose'] as const;

const quantity = lazySchema(() =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, { message: 'quantity_format' }),
);
const unit = lazySchema(() => z.enum(quantityUnits));
const date = lazySchema(() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date_format' }));
/** An instant as ISO 8601 with a time zone or Z (e.g. 2026-03-05T08:30:00+08:00). */
const instant = lazySchema(() =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, { message: 'instant_format' }),
);
/** Temperature in °C as a decimal string; plausibility is checked by the service. */
const temperature = lazySchema(() =>
  z
    .string()
    .trim()
    .regex(/^-?\d{1,3}(\.\d{1,2})?$/, { message: 'temperature_format' }),
);
const code = lazySchema(() => z.string().trim().min(1).max(60));
const location = lazySchema(() => z.string().trim().min(1).max(60));
/** A microbiological target of a swab or water sample (cronobacter, salmonella, enterobacteriaceae…). */
const target = lazySchema(() =>
  z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, { message: 'target_format' }),
);
const siteCode = lazySchema(() =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, { message: 'code_format' }),
);

export const sampleViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    /** The record's revision: what a change names as the state it saw (D-097). */
    rev: z.number().int(),
    code: z.string(),
    kind: z.enum(sampleKinds),
    status: z.enum(sampleStatuses),
    lotCode: z.string().nullable(),
    siteId: z.string().nullable(),
    siteCode: z.string().nullable(),
    samplingPoint: z.string(),
    targets: z.array(z.string()),
    takenBy: z.string(),
    takenAt: z.string(),
    receivedBy: z.string().nullable(),
    receivedAt: z.string().nullable(),
    condition: z.enum(sampleConditions).nullable(),
    temperature: z.string().nullable(),
    quantity: z.string(),
    unit: z.string(),
    container: z.string(),
    storageLocation: z.string().nullable(),
    specVersionId: z.string().nullable(),
    parentCode: z.string().nullable(),
    unitNo: z.number().int().nullable(),
    /** Number of sampling-plan units registered under this sample. */
    units: z.number().int(),
    keepUntil: z.string().nullable(),
    disposedAt: z.string().nullable(),
    cancelReason: z.string().nullable(),
    note: z.string().nullable(),
  }),
);
export type SampleView = z.infer<typeof sampleViewSchema>;

export const sampleEventViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    event: z.enum(sampleEvents),
    at: z.string(),
    by: z.string(),
    location: z.string().nullable(),
    detail: z.string().nullable(),
  }),
);
export type SampleEventView = z.infer<typeof sampleEventViewSchema>;

export const scheduleViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    siteId: z.string(),
    frequencyDays: z.number().int(),
    nextDue: z.string(),
    targets: z.array(z.string()),
    active: z.boolean(),
  }),
);

export const siteFields = lazySchema(() =>
  z.object({
    code: siteCode,
    nameZh: z.string().trim().min(1).max(120),
    nameEn: z.string().trim().min(1).max(120),
    kind: z.enum(siteKinds),
    /** Hygiene zone: 1 product contact … 4 outside the processing area. Environmental sites only. */
    zone: z.number().int().min(1).max(4).nullable(),
    line: z.string().trim().max(40).nullable(),
    room: z.string().trim().max(60).nullable(),
    active: z.boolean(),
  }),
);

export const siteViewSchema = lazySchema(() =>
  siteFields.extend({
    id: z.string(),
    rev: z.number().int(),
    schedules: z.array(scheduleViewSchema),
  }),
);
export type SiteView = z.infer<typeof siteViewSchema>;

export const sampleDetailSchema = lazySchema(() =>
  z.object({
    sample: sampleViewSchema,
    /** Sampling-plan units (children) of this sample, unit 1..n. */
    units: z.array(sampleViewSchema),
    parent: sampleViewSchema.nullable(),
    events: z.array(sampleEventViewSchema),
    signatures: z.array(signatureViewSchema),
    lot: z
      .object({
        code: z.string(),
        kind: z.string(),
        itemCode: z.string(),
        itemName: z.string(),
        status: z.string(),
        expiryDate: z.string().nullable(),
      })
      .nullable(),
    site: siteViewSchema.nullable(),
    allowedActions: z.array(z.enum(sampleActions)),
  }),
);

const retentionInput = lazySchema(() =>
  z.object({
    quantity,
    unit,
    container: z.string().trim().min(1).max(60),
    storageLocation: location.optional(),
    keepUntil: date.optional(),
  }),
);

const receiptInput = lazySchema(() =>
  z.object({
    condition: z.enum(sampleConditions),
    temperature: temperature.optional(),
    receivedAt: instant.optional(),
    storageLocation: location.optional(),
  }),
);

const listInput = lazySchema(() =>
  z.object({
    kind: z.enum(sampleKinds).optional(),
    status: z.enum(sampleStatuses).optional(),
    lotCode: code.optional(),
    siteCode: code.optional(),
    /** Taken on or after / on or before (workstation-local dates). */
    from: date.optional(),
    to: date.optional(),
    search: z.string().trim().max(100).optional(),
    /** Sampling-plan units are listed under their sample unless asked for. */
    includeUnits: z.boolean().default(false),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(100),
  }),
);

export const dueSwabSchema = lazySchema(() =>
  z.object({
    scheduleId: z.string(),
    siteId: z.string(),
    siteCode: z.string(),
    nameZh: z.string(),
    nameEn: z.string(),
    kind: z.enum(siteKinds),
    zone: z.number().int().nullable(),
    line: z.string().nullable(),
    room: z.string().nullable(),
    targets: z.array(z.string()),
    frequencyDays: z.number().int(),
    nextDue: z.string(),
    /** Days past due on the asked date (0 = due today). */
    overdueDays: z.number().int(),
  }),
);

export const missingRetentionSchema = lazySchema(() =>
  z.object({
    code: z.string(),
    itemCode: z.string(),
    itemName: z.string(),
    date: z.string(),
    status: z.string(),
    expiryDate: z.string().nullable(),
  }),
);

export const samplesChannels = {
  'samples.list': channel({
    input: listInput,
    output: lazySchema(() => z.object({ total: z.number().int(), samples: z.array(sampleViewSchema) })),
    access: 'samples.read',
    writes: false,
  }),
  'samples.get': channel({
    input: lazySchema(() => z.object({ code })),
    output: sampleDetailSchema,
    access: 'samples.read',
    writes: false,
  }),
  /**
   * Registers a sample (and its sampling-plan units; for a finished-lot release sample also
   * the lot's retention sample unless it has one or `withRetention` is false). With
   * `receipt` the sample is received at the desk in the same step.
   */
  'samples.register': channel({
    input: lazySchema(() =>
      z.object({
        kind: z.enum(sampleKinds),
        lotCode: code.optional(),
        siteCode: code.optional(),
        samplingPoint: z.string().trim().min(1).max(120),
        targets: z.array(target).max(20).optional(),
        takenAt: instant.optional(),
        takenBy: z.string().trim().min(1).max(80).optional(),
        quantity,
        unit,
        container: z.string().trim().min(1).max(60),
        storageLocation: location.optional(),
        note: z.string().trim().max(1000).optional(),
        /** Retention samples: overrides lot expiry + margin. */
        keepUntil: date.optional(),
        receipt: receiptInput.optional(),
        withRetention: z.boolean().default(true),
        retention: retentionInput.optional(),
      }),
    ),
    output: lazySchema(() =>
      z.object({ sample: sampleViewSchema, units: z.array(sampleViewSchema), retention: sampleViewSchema.nullable() }),
    ),
    access: 'samples.register',
    writes: true,
  }),
  /** Reception: received by/at, condition and temperature on receipt, where it is stored. */
  'samples.receive': channel({
    input: lazySchema(() => receiptInput.extend({ code })),
    output: sampleViewSchema,
    access: 'samples.register',
    writes: true,
  }),
  /** A custody move to another storage location. */
  'samples.move': channel({
    input: lazySchema(() =>
      z.object({
        code,
        storageLocation: location,
        reason: reasonSchema.optional(),
        expectedRev: z.number().int().optional(),
      }),
    ),
    output: sampleViewSchema,
    access: 'samples.register',
    writes: true,
  }),
  'samples.cancel': channel({
    input: lazySchema(() => z.object({ code, reason: reasonSchema, expectedRev: z.number().int().optional() })),
    output: sampleViewSchema,
    access: 'samples.register',
    writes: true,
  }),
  /** Retention samples whose keep-until date falls within N days (or has passed), not yet disposed. */
  'samples.retention.list': channel({
    input: lazySchema(() =>
      z.object({
        withinDays: z.number().int().min(0).max(3660).default(30),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    ),
    output: lazySchema(() => z.object({ total: z.number().int(), samples: z.array(sampleViewSchema) })),
    access: 'samples.read',
    writes: false,
  }),
  /** Disposal of a retention sample, signed `disposed` by a QA manager (password re-entered). */
  'samples.retention.dispose': channel({
    input: lazySchema(() => z.object({ code, reason: reasonSchema, signature: signatureInputSchema })),
    output: sampleViewSchema,
    access: 'samples.dispose',
    writes: true,
  }),
  /** Finished lots without a retention sample (flagged on the lot's page); one lot with `lotCode`. */
  'samples.retention.missing': channel({
    input: lazySchema(() =>
      z.object({
        lotCode: code.optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    ),
    output: lazySchema(() => z.object({ total: z.number().int(), lots: z.array(missingRetentionSchema) })),
    access: 'samples.read',
    writes: false,
  }),
  'sites.list': channel({
    input: lazySchema(() =>
      z.object({
        kind: z.enum(siteKinds).optional(),
        includeInactive: z.boolean().default(false),
        search: z.string().trim().max(100).optional(),
      }),
    ),
    output: lazySchema(() => z.array(siteViewSchema)),
    access: 'samples.read',
    writes: false,
  }),
  /** Create (no id) or update (with a reason). Codes never change; a site is deactivated, never deleted. */
  'sites.save': channel({
    input: lazySchema(() =>
      z.object({ id: z.string().min(1).max(80).optional(), fields: siteFields, reason: reasonSchema.optional() }),
    ),
    output: siteViewSchema,
    access: 'sites.manage',
    writes: true,
  }),
  'sites.schedule.save': channel({
    input: lazySchema(() =>
      z.object({
        id: z.string().min(1).max(80).optional(),
        siteId: z.string().min(1).max(80),
        frequencyDays: z.number().int().min(1).max(366),
        nextDue: date,
        targets: z.array(target).min(1).max(20),
        active: z.boolean().default(true),
        reason: reasonSchema.optional(),
      }),
    ),
    output: siteViewSchema,
    access: 'sites.manage',
    writes: true,
  }),
  /** Swabs and water samples due on a date (default today): active schedules of active sites with next_due ≤ date. */
  'sites.due': channel({
    input: lazySchema(() => z.object({ date: date.optional() })),
    output: lazySchema(() => z.array(dueSwabSchema)),
    access: 'samples.read',
    writes: false,
  }),
  /** The barcode scanner: what does this code open? Samples first, then lots. */
  /**
   * Prints the sample's label to PDF (Code 128 + DataMatrix, lot, kind, date, product name)
   * and records it: the document with its SHA-256, and a custody event (printed or reprinted).
   */
  'samples.printLabel': channel({
    input: lazySchema(() =>
      z.object({ code, size: z.enum(['50x30', '60x40', '100x50']), locale: z.enum(['en', 'zh-CN']) }),
    ),
    output: lazySchema(() =>
      z.object({
        documentId: z.string(),
        fileName: z.string(),
        base64: z.string(),
        sha256: z.string(),
        reprint: z.boolean(),
      }),
    ),
    access: 'samples.register',
    writes: true,
  }),
  'scan.lookup': channel({
    input: lazySchema(() => z.object({ code: z.string().trim().min(1).max(80) })),
    output: lazySchema(() => z.object({ type: z.enum(['sample', 'lot']), code: z.string() })),
    access: 'samples.read',
    writes: false,
  }),
} as const;
