import { z } from 'zod';
import { channel } from '../define';
import { reasonSchema, signatureInputSchema, signatureViewSchema } from '../common';
import { testItemSchema, testVerdicts } from './testing';

/** Receipt declarations for a tanker (《宁夏回族自治区奶产业发展条例》 第二十四条). */
export const declarationKeys = ['noColostrum', 'noTreatment', 'withdrawalRespected', 'healthCertificates'] as const;
export const intakeStatuses = ['testing', 'refused', 'accepted', 'rejected'] as const;
export const samplingLevels = ['normal', 'tightened'] as const;
export const appealStatuses = ['notified', 'applied', 'retesting', 'closed', 'lapsed'] as const;
export const appealOutcomes = ['upheld', 'overturned', 'withdrawn'] as const;
export const calendarKinds = ['holiday', 'workday'] as const;

const code = z.string().trim().min(1).max(60);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date_format' });

export const declarationsSchema = z.object({
  /** No colostrum: no cow calved within the last 7 days. */
  noColostrum: z.boolean(),
  /** No cow under veterinary treatment. */
  noTreatment: z.boolean(),
  /** Every withdrawal period (休药期) respected. */
  withdrawalRespected: z.boolean(),
  /** Health (quarantine) certificates present for the herd. */
  healthCertificates: z.boolean(),
});
export type Declarations = z.infer<typeof declarationsSchema>;

/** A panel item: a test item plus the sampling level that includes it. */
export const panelItemSchema = testItemSchema.extend({
  level: z.enum(samplingLevels),
  /** A qualitative screen (β-lactam, tetracycline…): results negative (absent) / positive (present). */
  screen: z.boolean(),
});
export type PanelItem = z.infer<typeof panelItemSchema>;

export const panelViewSchema = z.object({
  id: z.string().nullable(),
  rev: z.number().int(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  supplierCode: z.string().nullable(),
  items: z.array(panelItemSchema),
  active: z.boolean(),
  /** The built-in default (GB 19301-2010 and the usual bench screens), used until the plant saves its own. */
  builtIn: z.boolean(),
});

export const intakeCheckSchema = z.object({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  unit: z.string(),
  limitText: z.string(),
  screen: z.boolean(),
  resultId: z.string().nullable(),
  status: z.string().nullable(),
  reported: z.string().nullable(),
  verdict: z.enum(testVerdicts).nullable(),
});

export const samplingStateSchema = z.object({
  supplierCode: z.string(),
  level: z.enum(samplingLevels),
  consecutivePasses: z.number().int(),
  passesRequired: z.number().int(),
  changedAt: z.string().nullable(),
  reason: z.string().nullable(),
});

export const intakeViewSchema = z.object({
  id: z.string(),
  lotCode: z.string(),
  supplierCode: z.string(),
  supplierName: z.string().nullable(),
  declarations: declarationsSchema,
  samplingLevel: z.enum(samplingLevels),
  panelCode: z.string().nullable(),
  sampleCode: z.string().nullable(),
  status: z.enum(intakeStatuses),
  rejectCauses: z.array(z.string()),
  decisionReason: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  reportDocumentId: z.string().nullable(),
  openedBy: z.string(),
  openedAt: z.string(),
});
export type IntakeView = z.infer<typeof intakeViewSchema>;

export const intakeDetailSchema = z.object({
  lot: z.object({ code: z.string(), status: z.string(), quantity: z.string(), unit: z.string(), date: z.string() }),
  receipt: z
    .object({
      vehicle: z.string().nullable(),
      farms: z.array(z.string()),
      temperature: z.string().nullable(),
      receivedAt: z.string().nullable(),
      condition: z.string().nullable(),
    })
    .nullable(),
  supplier: z.object({ code: z.string(), name: z.string() }),
  sampling: samplingStateSchema,
  intake: intakeViewSchema.nullable(),
  checks: z.array(intakeCheckSchema),
  /** What the records say: accept, reject (with the causes), or not yet decidable. */
  proposal: z.enum(['accept', 'reject', 'incomplete']),
  causes: z.array(z.string()),
  /** Panel results entered but not yet submitted (signed `authored`): the decision waits for them. */
  unsubmitted: z.array(z.string()),
  signatures: z.array(signatureViewSchema),
  appeals: z.array(z.lazy(() => appealViewSchema)),
});

export const appealViewSchema = z.object({
  id: z.string(),
  rev: z.number().int(),
  intakeId: z.string(),
  lotCode: z.string(),
  supplierCode: z.string(),
  itemCodes: z.array(z.string()),
  firstLab: z.string(),
  notifiedOn: z.string(),
  applyDeadline: z.string(),
  appliedOn: z.string().nullable(),
  retestLab: z.string().nullable(),
  sampleReceivedOn: z.string().nullable(),
  reportDeadline: z.string().nullable(),
  reportReceivedOn: z.string().nullable(),
  outcome: z.enum(appealOutcomes).nullable(),
  status: z.enum(appealStatuses),
  note: z.string().nullable(),
  /** Today is past the deadline that applies now (application, or the re-test report). */
  overdue: z.boolean(),
  /** The deadline that applies now, if any. */
  nextDeadline: z.string().nullable(),
});

export const supplierPerformanceSchema = z.object({
  supplierCode: z.string(),
  supplierName: z.string(),
  kind: z.string(),
  intakes: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  /** Accepted ÷ decided, as a decimal string with one decimal (percent), null when none decided. */
  passRate: z.string().nullable(),
  rejectsByCause: z.array(z.object({ cause: z.string(), count: z.number().int() })),
  inspections: z.number().int(),
  inspectionsFailed: z.number().int(),
  appeals: z.number().int(),
  appealsByOutcome: z.array(z.object({ outcome: z.string(), count: z.number().int() })),
  level: z.enum(samplingLevels),
  /** Per month in the period: intakes and rejects (for the chart). */
  months: z.array(z.object({ month: z.string(), intakes: z.number().int(), rejected: z.number().int() })),
});

export const intakeChannels = {
  'intake.list': channel({
    input: z.object({
      status: z.enum(intakeStatuses).optional(),
      supplierCode: code.optional(),
      from: date.optional(),
      to: date.optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    output: z.object({
      total: z.number().int(),
      items: z.array(intakeViewSchema),
      awaiting: z.array(
        z.object({ lotCode: z.string(), supplierCode: z.string().nullable(), receivedAt: z.string().nullable() }),
      ),
    }),
    access: 'lots.read',
    writes: false,
  }),
  'intake.get': channel({
    input: z.object({ lotCode: code }),
    output: intakeDetailSchema,
    access: 'lots.read',
    writes: false,
  }),
  /**
   * Starts the intake of a tanker: the receipt declarations, then (unless a declaration
   * refuses the tanker outright) the tanker sample, received at the bench, with the panel of
   * the supplier's sampling level planned as its tests.
   */
  'intake.start': channel({
    input: z.object({
      lotCode: code,
      declarations: declarationsSchema,
      samplingPoint: z.string().trim().min(1).max(120).default('Tanker outlet'),
      note: z.string().trim().max(1000).optional(),
    }),
    output: intakeDetailSchema,
    access: 'intake.record',
    writes: true,
  }),
  /** The signed decision: accept (`accepted`) when every check passes; reject (`rejected`, QA manager) with the reason. */
  'intake.decide': channel({
    input: z.object({
      lotCode: code,
      decision: z.enum(['accept', 'reject']),
      reason: reasonSchema,
      signature: signatureInputSchema,
    }),
    output: intakeDetailSchema,
    access: 'intake.accept',
    writes: true,
  }),
  /** The report to the county agriculture authority for a rejected tanker (第二十八条), recorded as a document. */
  'intake.report': channel({
    input: z.object({ lotCode: code, locale: z.enum(['en', 'zh-CN']) }),
    output: z.object({
      documentId: z.string(),
      fileName: z.string(),
      base64: z.string(),
      sha256: z.string(),
      reprint: z.boolean(),
    }),
    access: 'intake.accept',
    writes: true,
  }),
  'intake.panels.list': channel({
    input: z.object({}),
    output: z.array(panelViewSchema),
    access: 'lots.read',
    writes: false,
  }),
  'intake.panels.save': channel({
    input: z.object({
      id: z.string().min(1).max(80).optional(),
      fields: z.object({
        code: z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, { message: 'code_format' }),
        nameZh: z.string().trim().min(1).max(120),
        nameEn: z.string().trim().min(1).max(120),
        supplierCode: code.nullable(),
        items: z.array(panelItemSchema).min(1).max(60),
        active: z.boolean(),
      }),
      reason: reasonSchema.optional(),
    }),
    output: panelViewSchema,
    access: 'intake.configure',
    writes: true,
  }),
  'appeals.list': channel({
    input: z.object({
      statuses: z.array(z.enum(appealStatuses)).optional(),
      overdueOnly: z.boolean().default(false),
      lotCode: code.optional(),
    }),
    output: z.array(appealViewSchema),
    access: 'lots.read',
    writes: false,
  }),
  /** A supplier disputes a rejection's result (第二十七条): the deadline to apply is 5 working days from notification. */
  'appeals.create': channel({
    input: z.object({
      lotCode: code,
      notifiedOn: date,
      firstLab: z.string().trim().min(2).max(120),
      itemCodes: z.array(z.string().trim().min(1).max(40)).min(1).max(20),
      note: z.string().trim().max(1000).optional(),
    }),
    output: appealViewSchema,
    access: 'intake.reject',
    writes: true,
  }),
  /** Application, re-test lab (never the first lab), sample received (7 working days for the report), report, outcome. */
  'appeals.update': channel({
    input: z.object({
      id: z.string().min(1).max(80),
      appliedOn: date.nullable().optional(),
      retestLab: z.string().trim().min(2).max(120).nullable().optional(),
      sampleReceivedOn: date.nullable().optional(),
      reportReceivedOn: date.nullable().optional(),
      outcome: z.enum(appealOutcomes).nullable().optional(),
      note: z.string().trim().max(1000).nullable().optional(),
      reason: reasonSchema,
    }),
    output: appealViewSchema,
    access: 'intake.reject',
    writes: true,
  }),
  'calendar.list': channel({
    input: z.object({ year: z.number().int().min(2000).max(2100) }),
    output: z.array(
      z.object({ id: z.string(), date: z.string(), kind: z.enum(calendarKinds), name: z.string().nullable() }),
    ),
    access: 'lots.read',
    writes: false,
  }),
  /** Marks a date as a public holiday or a make-up working day; kind null returns it to the normal week. */
  'calendar.save': channel({
    input: z.object({
      date,
      kind: z.enum(calendarKinds).nullable(),
      name: z.string().trim().max(80).nullable().default(null),
      reason: reasonSchema.optional(),
    }),
    output: z.object({ ok: z.literal(true) }),
    access: 'intake.configure',
    writes: true,
  }),
  'suppliers.sampling': channel({
    input: z.object({ supplierCode: code }),
    output: samplingStateSchema.extend({
      history: z.array(
        z.object({
          at: z.string(),
          by: z.string(),
          level: z.string(),
          consecutivePasses: z.number().int(),
          reason: z.string().nullable(),
        }),
      ),
    }),
    access: 'lots.read',
    writes: false,
  }),
  'suppliers.sampling.configure': channel({
    input: z.object({ supplierCode: code, passesRequired: z.number().int().min(1).max(100), reason: reasonSchema }),
    output: samplingStateSchema,
    access: 'intake.configure',
    writes: true,
  }),
  'suppliers.performance': channel({
    input: z.object({ from: date, to: date, supplierCode: code.optional() }),
    output: z.array(supplierPerformanceSchema),
    access: 'lots.read',
    writes: false,
  }),
} as const;

export const envAlertStatuses = ['open', 'closed'] as const;

export const envAlertViewSchema = z.object({
  id: z.string(),
  code: z.string(),
  siteId: z.string(),
  siteCode: z.string(),
  siteName: z.object({ zh: z.string(), en: z.string() }),
  zone: z.number().int().nullable(),
  line: z.string().nullable(),
  room: z.string().nullable(),
  sampleCode: z.string(),
  resultId: z.string(),
  target: z.string(),
  reported: z.string().nullable(),
  raisedAt: z.string(),
  /** The last negative swab at the site before this one (null: none on record). */
  sinceNegativeAt: z.string().nullable(),
  status: z.enum(envAlertStatuses),
  affectedLots: z.number().int(),
  closedBy: z.string().nullable(),
  closedAt: z.string().nullable(),
  closeReason: z.string().nullable(),
  /** Consecutive negative follow-up swabs of the site so far (newest first), and how many closing needs (issue 19 §6). */
  negativeSwabs: z.number().int().optional(),
  swabsNeeded: z.number().int().optional(),
  /** The swabs a closure rests on (sample codes). */
  closureSwabs: z.array(z.string()).optional(),
});

export const envChannels = {
  'env.alerts.list': channel({
    input: z.object({ status: z.enum(envAlertStatuses).optional() }),
    output: z.array(envAlertViewSchema),
    access: 'samples.read',
    writes: false,
  }),
  /** A positive swab: the lots made on the site's line since the last negative swab there, and the follow-up swabs. */
  'env.alerts.get': channel({
    input: z.object({ code }),
    output: z.object({
      alert: envAlertViewSchema,
      lots: z.array(
        z.object({
          code: z.string(),
          itemCode: z.string(),
          itemName: z.string(),
          date: z.string(),
          status: z.string(),
          shipped: z.boolean(),
          holdable: z.boolean(),
          /** Stock left (a hold reaches lots with stock left, shipped before or not). */
          remaining: z.string().optional(),
          unit: z.string().optional(),
        }),
      ),
      followUps: z.array(
        z.object({
          scheduleId: z.string(),
          siteCode: z.string(),
          kind: z.enum(['re_swab', 'vector']),
          nextDue: z.string(),
          active: z.boolean(),
        }),
      ),
      /** Follow-up swabs of the site for the alert's target, newest first (what a closure counts). */
      swabs: z
        .array(z.object({ code: z.string(), takenAt: z.string(), result: z.enum(['negative', 'positive', 'pending']) }))
        .optional(),
    }),
    access: 'samples.read',
    writes: false,
  }),
  /** One signed action (`held`) putting the chosen unshipped lots on hold. */
  'env.alerts.hold': channel({
    input: z.object({
      code,
      lotCodes: z.array(code).min(1).max(500),
      reason: reasonSchema,
      signature: signatureInputSchema,
    }),
    output: z.object({ held: z.array(z.string()) }),
    access: 'lots.decide',
    writes: true,
  }),
  /**
   * Closes an alert with a QA manager's signature (`alert_closed`) once the configured number of
   * consecutive follow-up swabs of the site are negative; its follow-up schedules stop.
   */
  'env.alerts.close': channel({
    input: z.object({ code, reason: reasonSchema, signature: signatureInputSchema }),
    output: envAlertViewSchema,
    access: 'sites.manage',
    writes: true,
  }),
  /** Sites by zone × week: the worst swab result of the week (positive, negative, pending). */
  'env.heatmap': channel({
    input: z.object({ from: date, to: date, zone: z.number().int().min(1).max(4).optional() }),
    output: z.object({
      sites: z.array(
        z.object({
          id: z.string(),
          code: z.string(),
          nameZh: z.string(),
          nameEn: z.string(),
          zone: z.number().int().nullable(),
          line: z.string().nullable(),
        }),
      ),
      weeks: z.array(z.string()),
      cells: z.array(
        z.object({
          siteId: z.string(),
          week: z.string(),
          result: z.enum(['positive', 'negative', 'pending']),
          swabs: z.number().int(),
        }),
      ),
    }),
    access: 'samples.read',
    writes: false,
  }),
} as const;
