import { z } from 'zod';
import { channel, lazySchema } from '../define';
import { reasonSchema, signatureInputSchema, signatureViewSchema } from '../common';
import { testItemSchema, testVerdicts } from './testing';
import { quantityUnits } from '../../domain/units';

/** Receipt declarations for a tanker (《宁夏回族自治区奶产业发展条例》 第二十四条). */
export const declarationKeys = ['noColostrum', 'noTreatment', 'withdrawalRespected', 'healthCertificates'] as const;
export const intakeStatuses = ['testing', 'refused', 'accepted', 'rejected'] as const;
export const samplingLevels = ['normal', 'tightened'] as const;
export const appealStatuses = ['notified', 'applied', 'retesting', 'closed', 'lapsed'] as const;
export const appealOutcomes = ['upheld', 'overturned', 'withdrawn'] as const;
export const calendarKinds = ['holiday', 'workday'] as const;
/** When a panel item is judged: `gating` decides the tanker; `retrospective` is recorded after it (plate count, somatic cells, AFM1 sent out). */
export const itemTimings = ['gating', 'retrospective'] as const;
/** What a panel item is judged against: `national` (GB 19301, a residue or contaminant limit) or `plant` (the plant's own rule). */
export const itemRuleBases = ['national', 'plant'] as const;
/** Why a tanker was rejected: only `national` calls for the 第二十八条 report. */
export const rejectBases = ['national', 'plant', 'declaration'] as const;
/**
 * The documents a tanker carries: 生鲜乳准运证明 (transport permit of the vehicle), 生鲜乳交接单
 * (handover slip), the buying station's 生鲜乳收购许可证 (purchase licence), and the record of
 * the tanker's cleaning and disinfection (第二十五条).
 */
export const tankerDocumentKinds = [
  'transport_permit',
  'handover_slip',
  'purchase_licence',
  'cleaning_record',
] as const;
export const documentProblems = ['missing', 'incomplete', 'expired', 'after_receipt'] as const;
export const spotCheckSubjects = ['raw_milk', 'product'] as const;
export const spotCheckResults = ['conforming', 'nonconforming'] as const;
export const spotCheckStages = ['conforming', 'open', 'applied', 'retesting', 'closed'] as const;
/** accepted: the plant accepts the result; upheld / overturned: the re-test's outcome; lapsed: no application in time; withdrawn: application withdrawn. */
export const spotCheckClosures = ['accepted', 'upheld', 'overturned', 'lapsed', 'withdrawn'] as const;
export const lateFailureStatuses = ['open', 'held'] as const;

const code = lazySchema(() => z.string().trim().min(1).max(60));
const date = lazySchema(() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date_format' }));

export const declarationsSchema = lazySchema(() =>
  z.object({
    /** No colostrum: no cow calved within the last 7 days. */
    noColostrum: z.boolean(),
    /** No cow under veterinary treatment. */
    noTreatment: z.boolean(),
    /** Every withdrawal period (休药期) respected. */
    withdrawalRespected: z.boolean(),
    /** Health (quarantine) certificates present for the herd. */
    healthCertificates: z.boolean(),
  }),
);
export type Declarations = z.infer<typeof declarationsSchema>;

/** A panel item: a test item plus the sampling level that includes it. */
export const panelItemSchema = lazySchema(() =>
  testItemSchema.extend({
    level: z.enum(samplingLevels),
    /** A qualitative screen (β-lactam, tetracycline…): results negative (absent) / positive (present). */
    screen: z.boolean(),
    /** Gating (decides the tanker) or retrospective (recorded after the decision). */
    timing: z.enum(itemTimings).default('gating'),
    /** National standard (GB 19301, residues, contaminants) or a plant rule (temperature…). */
    rule: z.enum(itemRuleBases).default('national'),
  }),
);
export type PanelItem = z.infer<typeof panelItemSchema>;

export const panelViewSchema = lazySchema(() =>
  z.object({
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
  }),
);

export const intakeCheckSchema = lazySchema(() =>
  z.object({
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
    timing: z.enum(itemTimings),
    rule: z.enum(itemRuleBases),
    submittedAt: z.string().nullable(),
  }),
);

export const samplingStateSchema = lazySchema(() =>
  z.object({
    supplierCode: z.string(),
    level: z.enum(samplingLevels),
    consecutivePasses: z.number().int(),
    passesRequired: z.number().int(),
    changedAt: z.string().nullable(),
    reason: z.string().nullable(),
  }),
);

export const intakeViewSchema = lazySchema(() =>
  z.object({
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
    /** Why it was rejected (null until rejected): only `national` calls for the 第二十八条 report. */
    rejectBasis: z.enum(rejectBases).nullable(),
  }),
);
export type IntakeView = z.infer<typeof intakeViewSchema>;

export const tankerDocumentInputSchema = lazySchema(() =>
  z.object({
    kind: z.enum(tankerDocumentKinds),
    present: z.boolean(),
    /** Certificate or slip number. */
    number: z.string().trim().max(80).nullable().default(null),
    /** Who issued it (the county bureau for a permit or licence; the station for a slip). */
    issuer: z.string().trim().max(120).nullable().default(null),
    /** Last day of validity (permit, licence). */
    validUntil: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date_format' })
      .nullable()
      .default(null),
    /** The day the document speaks of (cleaning and disinfection, the slip's date). */
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date_format' })
      .nullable()
      .default(null),
    note: z.string().trim().max(500).nullable().default(null),
  }),
);
export type TankerDocumentInput = z.infer<typeof tankerDocumentInputSchema>;

export const tankerDocumentsViewSchema = lazySchema(() =>
  z.object({
    items: z.array(tankerDocumentInputSchema.extend({ problem: z.enum(documentProblems).nullable() })),
    /** Kinds with a problem: acceptance is blocked until they are put right or overridden. */
    deficient: z.array(z.enum(tankerDocumentKinds)),
    recordedBy: z.string().nullable(),
    recordedAt: z.string().nullable(),
    override: z
      .object({ by: z.string(), printedName: z.string().nullable(), at: z.string(), reason: z.string() })
      .nullable(),
    /** Deficient and not overridden: the tanker cannot be accepted. */
    blocking: z.boolean(),
  }),
);

export const lateFailureSummarySchema = lazySchema(() =>
  z.object({
    lotCode: z.string(),
    supplierCode: z.string(),
    items: z.array(z.string()),
    basis: z.enum(itemRuleBases),
    status: z.enum(lateFailureStatuses),
    /** When the first failing result was submitted. */
    detectedAt: z.string(),
    heldAt: z.string().nullable(),
  }),
);

export const intakeDetailSchema = lazySchema(() =>
  z.object({
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
    /** Appeals recorded before issue 20 against the plant's own rejection (read-only, to be carried forward or retired). */
    appeals: z.array(z.lazy(() => appealViewSchema)),
    /** Government spot checks naming this tanker. */
    spotChecks: z.array(z.lazy(() => spotCheckViewSchema)),
    documents: tankerDocumentsViewSchema,
    /** Retrospective results still to come (the tanker may be accepted without them). */
    pendingRetrospective: z.array(z.string()),
    /** The 第二十八条 report applies: the milk failed the national standard (at the decision or later). */
    reportRequired: z.boolean(),
    lateFailures: z.array(lateFailureSummarySchema),
  }),
);

export const appealViewSchema = lazySchema(() =>
  z.object({
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
  }),
);

export const retestRuleViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    applyDays: z.number().int(),
    reportDays: z.number().int().nullable(),
    differentLab: z.boolean(),
    /** Checked against the regulation's text; an unverified rule is shown as such. */
    verified: z.boolean(),
    sourceZh: z.string(),
    sourceEn: z.string(),
  }),
);

export const spotCheckItemSchema = lazySchema(() =>
  z.object({
    name: z.string().trim().min(1).max(120),
    result: z.string().trim().min(1).max(80),
    requirement: z.string().trim().max(120).nullable().default(null),
    conforming: z.boolean(),
  }),
);

export const spotCheckViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    rev: z.number().int(),
    code: z.string(),
    subject: z.enum(spotCheckSubjects),
    lotCode: z.string().nullable(),
    supplierCode: z.string().nullable(),
    sampleDesc: z.string(),
    authority: z.string(),
    firstLab: z.string(),
    sampledOn: z.string(),
    reportNo: z.string().nullable(),
    receivedOn: z.string(),
    items: z.array(spotCheckItemSchema),
    result: z.enum(spotCheckResults),
    rule: retestRuleViewSchema,
    applyDeadline: z.string().nullable(),
    disputed: z.boolean(),
    appliedOn: z.string().nullable(),
    appliedTo: z.string().nullable(),
    retestLab: z.string().nullable(),
    retestSampleReceivedOn: z.string().nullable(),
    reportDeadline: z.string().nullable(),
    reportReceivedOn: z.string().nullable(),
    /** The retention sample quantity withdrawn for the re-test. */
    retention: z
      .object({
        withdrawalId: z.string(),
        sampleCode: z.string(),
        quantity: z.string(),
        unit: z.string(),
        at: z.string(),
      })
      .nullable(),
    closure: z.enum(spotCheckClosures).nullable(),
    stage: z.enum(spotCheckStages),
    nextDeadline: z.string().nullable(),
    nextDeadlineKind: z.enum(['apply', 'report']).nullable(),
    overdue: z.boolean(),
    legacyAppealId: z.string().nullable(),
    note: z.string().nullable(),
  }),
);
export type SpotCheckView = z.infer<typeof spotCheckViewSchema>;

export const lateFailureDetailSchema = lazySchema(() =>
  z.object({
    lotCode: z.string(),
    supplierCode: z.string(),
    supplierName: z.string().nullable(),
    acceptedAt: z.string().nullable(),
    lotStatus: z.string(),
    results: z.array(
      z.object({
        resultId: z.string(),
        itemCode: z.string(),
        nameZh: z.string(),
        nameEn: z.string(),
        reported: z.string().nullable(),
        unit: z.string(),
        limitText: z.string(),
        rule: z.enum(itemRuleBases),
        submittedAt: z.string().nullable(),
        held: z.boolean(),
      }),
    ),
    basis: z.enum(itemRuleBases),
    status: z.enum(lateFailureStatuses),
    /** Everything made from the tanker (trace engine): silos and other intermediates, batches, finished lots. */
    affected: z.array(
      z.object({
        lot: z.string(),
        kind: z.string().nullable(),
        itemCode: z.string().nullable(),
        itemName: z.string().nullable(),
        status: z.string().nullable(),
        depth: z.number().int(),
        batchCode: z.string().nullable(),
        line: z.string().nullable(),
        shipped: z.boolean(),
        holdable: z.boolean(),
      }),
    ),
    shipments: z.array(
      z.object({
        lot: z.string(),
        customer: z.string(),
        customerName: z.string().nullable(),
        quantity: z.string(),
        unit: z.string(),
        date: z.string(),
      }),
    ),
    depthLimitReached: z.boolean(),
    holds: z.array(
      z.object({
        id: z.string(),
        heldLots: z.array(z.string()),
        items: z.array(z.string()),
        reason: z.string(),
        heldBy: z.string(),
        heldAt: z.string(),
        signatures: z.array(signatureViewSchema),
      }),
    ),
    reportRequired: z.boolean(),
    reportDocumentId: z.string().nullable(),
  }),
);

export const supplierPerformanceSchema = lazySchema(() =>
  z.object({
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
    /** Appeals recorded before issue 20 (legacy, read-only). */
    appeals: z.number().int(),
    appealsByOutcome: z.array(z.object({ outcome: z.string(), count: z.number().int() })),
    /** Government spot checks of this supplier's raw milk, and how many were nonconforming. */
    spotChecks: z.number().int(),
    spotChecksNonconforming: z.number().int(),
    level: z.enum(samplingLevels),
    /** Per month in the period: intakes and rejects (for the chart). */
    months: z.array(z.object({ month: z.string(), intakes: z.number().int(), rejected: z.number().int() })),
  }),
);

export const intakeChannels = {
  'intake.list': channel({
    input: lazySchema(() =>
      z.object({
        status: z.enum(intakeStatuses).optional(),
        supplierCode: code.optional(),
        from: date.optional(),
        to: date.optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    ),
    output: lazySchema(() =>
      z.object({
        total: z.number().int(),
        items: z.array(intakeViewSchema),
        awaiting: z.array(
          z.object({ lotCode: z.string(), supplierCode: z.string().nullable(), receivedAt: z.string().nullable() }),
        ),
      }),
    ),
    access: 'lots.read',
    writes: false,
  }),
  'intake.get': channel({
    input: lazySchema(() => z.object({ lotCode: code })),
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
    input: lazySchema(() =>
      z.object({
        lotCode: code,
        declarations: declarationsSchema,
        samplingPoint: z.string().trim().min(1).max(120).default('Tanker outlet'),
        note: z.string().trim().max(1000).optional(),
        /** The tanker's documents as seen at receipt; a kind left out is recorded as missing. */
        documents: z.array(tankerDocumentInputSchema).max(tankerDocumentKinds.length).default([]),
      }),
    ),
    output: intakeDetailSchema,
    access: 'intake.record',
    writes: true,
  }),
  /** Records the tanker's documents again (a slip brought later, a number corrected), with the reason. */
  'intake.documents.save': channel({
    input: lazySchema(() =>
      z.object({
        lotCode: code,
        documents: z.array(tankerDocumentInputSchema).max(tankerDocumentKinds.length),
        reason: reasonSchema,
      }),
    ),
    output: intakeDetailSchema,
    access: 'intake.record',
    writes: true,
  }),
  /**
   * A QA manager's signed exception (`override`) for missing or invalid documents, given at
   * the terminal where the intake is recorded: it covers the deficiencies on record now.
   */
  'intake.documents.override': channel({
    input: lazySchema(() =>
      z.object({
        lotCode: code,
        signerId: z.string().trim().min(1).max(40),
        reason: reasonSchema,
        signature: signatureInputSchema,
      }),
    ),
    output: intakeDetailSchema,
    access: 'intake.accept',
    writes: true,
  }),
  /** Tankers whose retrospective results failed after acceptance, open (not yet held) first. */
  'intake.lateFailures.list': channel({
    input: lazySchema(() => z.object({ status: z.enum(lateFailureStatuses).optional() })),
    output: lazySchema(() => z.array(lateFailureSummarySchema)),
    access: 'lots.read',
    writes: false,
  }),
  /** A late failure: the failing results and everything made from the tanker (silos, batches, lots, shipments). */
  'intake.lateFailures.get': channel({
    input: lazySchema(() => z.object({ lotCode: code })),
    output: lateFailureDetailSchema,
    access: 'lots.read',
    writes: false,
  }),
  /** One signed hold (`held`) of the tanker and the chosen lots made from it, recorded with the late failure. */
  'intake.lateFailures.hold': channel({
    input: lazySchema(() =>
      z.object({
        lotCode: code,
        lotCodes: z.array(code).max(500),
        reason: reasonSchema,
        signature: signatureInputSchema,
      }),
    ),
    output: lateFailureDetailSchema,
    access: 'lots.decide',
    writes: true,
  }),
  /** The signed decision: accept (`accepted`) when every check passes; reject (`rejected`, QA manager) with the reason. */
  'intake.decide': channel({
    input: lazySchema(() =>
      z.object({
        lotCode: code,
        decision: z.enum(['accept', 'reject']),
        reason: reasonSchema,
        signature: signatureInputSchema,
      }),
    ),
    output: intakeDetailSchema,
    access: 'intake.accept',
    writes: true,
  }),
  /**
   * The report to the county agriculture authority (第二十八条), recorded as a document: only
   * for milk that failed the national standard (a rejection on a national item, or a late
   * failure of one); plant-rule rejections have no such report.
   */
  'intake.report': channel({
    input: lazySchema(() => z.object({ lotCode: code, locale: z.enum(['en', 'zh-CN']) })),
    output: lazySchema(() =>
      z.object({
        documentId: z.string(),
        fileName: z.string(),
        base64: z.string(),
        sha256: z.string(),
        reprint: z.boolean(),
      }),
    ),
    access: 'intake.accept',
    writes: true,
  }),
  'intake.panels.list': channel({
    input: lazySchema(() => z.object({})),
    output: lazySchema(() => z.array(panelViewSchema)),
    access: 'lots.read',
    writes: false,
  }),
  'intake.panels.save': channel({
    input: lazySchema(() =>
      z.object({
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
    ),
    output: panelViewSchema,
    access: 'intake.configure',
    writes: true,
  }),
  /** Appeals recorded before issue 20 against the plant's own rejections: read-only, to be carried forward or retired. */
  'appeals.list': channel({
    input: lazySchema(() =>
      z.object({
        statuses: z.array(z.enum(appealStatuses)).optional(),
        overdueOnly: z.boolean().default(false),
        lotCode: code.optional(),
      }),
    ),
    output: lazySchema(() => z.array(appealViewSchema)),
    access: 'lots.read',
    writes: false,
  }),
  /** Carries a legacy appeal forward into the spot-check register (a new record naming it); the appeal is retired with the reason. */
  'appeals.carryForward': channel({
    input: lazySchema(() =>
      z.object({
        id: z.string().min(1).max(80),
        authority: z.string().trim().min(2).max(120),
        sampledOn: date,
        reportNo: z.string().trim().max(80).nullable().default(null),
        sampleDesc: z.string().trim().min(1).max(200),
        items: z.array(spotCheckItemSchema).min(1).max(40),
        reason: reasonSchema,
      }),
    ),
    output: spotCheckViewSchema,
    access: 'intake.reject',
    writes: true,
  }),
  /** Retires a legacy appeal that was no spot-check dispute (e.g. a supplier contesting the plant's own rejection), with the reason. */
  'appeals.retire': channel({
    input: lazySchema(() => z.object({ id: z.string().min(1).max(80), reason: reasonSchema })),
    output: lazySchema(() => z.object({ ok: z.literal(true) })),
    access: 'intake.reject',
    writes: true,
  }),
  'spotChecks.list': channel({
    input: lazySchema(() =>
      z.object({
        subject: z.enum(spotCheckSubjects).optional(),
        stages: z.array(z.enum(spotCheckStages)).optional(),
        overdueOnly: z.boolean().default(false),
        lotCode: code.optional(),
        supplierCode: code.optional(),
      }),
    ),
    output: lazySchema(() => z.array(spotCheckViewSchema)),
    access: 'lots.read',
    writes: false,
  }),
  'spotChecks.get': channel({
    input: lazySchema(() => z.object({ code })),
    output: spotCheckViewSchema,
    access: 'lots.read',
    writes: false,
  }),
  /** Records a government spot check's result as received; a nonconforming one gets its re-test application deadline. */
  'spotChecks.create': channel({
    input: lazySchema(() =>
      z.object({
        subject: z.enum(spotCheckSubjects),
        lotCode: code.nullable().default(null),
        supplierCode: code.nullable().default(null),
        sampleDesc: z.string().trim().min(1).max(200),
        authority: z.string().trim().min(2).max(120),
        firstLab: z.string().trim().min(2).max(120),
        sampledOn: date,
        reportNo: z.string().trim().max(80).nullable().default(null),
        receivedOn: date,
        items: z.array(spotCheckItemSchema).min(1).max(40),
        note: z.string().trim().max(1000).nullable().default(null),
      }),
    ),
    output: spotCheckViewSchema,
    access: 'intake.reject',
    writes: true,
  }),
  /**
   * The dispute and re-test: application (by the deadline), the authority applied to, the
   * re-test lab (never the first), the re-test sample received (starts the report deadline),
   * the report, the closure. Every change carries its reason.
   */
  'spotChecks.update': channel({
    input: lazySchema(() =>
      z.object({
        code,
        disputed: z.boolean().optional(),
        appliedOn: date.nullable().optional(),
        appliedTo: z.string().trim().min(2).max(120).nullable().optional(),
        retestLab: z.string().trim().min(2).max(120).nullable().optional(),
        retestSampleReceivedOn: date.nullable().optional(),
        reportReceivedOn: date.nullable().optional(),
        closure: z.enum(spotCheckClosures).nullable().optional(),
        note: z.string().trim().max(1000).nullable().optional(),
        reason: reasonSchema,
      }),
    ),
    output: spotCheckViewSchema,
    access: 'intake.reject',
    writes: true,
  }),
  /** Withdraws quantity from the lot's retention sample for the re-test (a retention withdrawal naming the spot check). */
  'spotChecks.retestSample': channel({
    input: lazySchema(() =>
      z.object({
        code,
        retentionCode: code,
        quantity: z
          .string()
          .trim()
          .regex(/^\d+(\.\d+)?$/, { message: 'quantity_format' }),
        unit: z.enum(quantityUnits),
        reason: reasonSchema,
      }),
    ),
    output: spotCheckViewSchema,
    access: 'intake.reject',
    writes: true,
  }),
  'calendar.list': channel({
    input: lazySchema(() => z.object({ year: z.number().int().min(2000).max(2100) })),
    output: lazySchema(() =>
      z.array(z.object({ id: z.string(), date: z.string(), kind: z.enum(calendarKinds), name: z.string().nullable() })),
    ),
    access: 'lots.read',
    writes: false,
  }),
  /** Marks a date as a public holiday or a make-up working day; kind null returns it to the normal week. */
  'calendar.save': channel({
    input: lazySchema(() =>
      z.object({
        date,
        kind: z.enum(calendarKinds).nullable(),
        name: z.string().trim().max(80).nullable().default(null),
        reason: reasonSchema.optional(),
      }),
    ),
    output: lazySchema(() => z.object({ ok: z.literal(true) })),
    access: 'intake.configure',
    writes: true,
  }),
  'suppliers.sampling': channel({
    input: lazySchema(() => z.object({ supplierCode: code })),
    output: lazySchema(() =>
      samplingStateSchema.extend({
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
    ),
    access: 'lots.read',
    writes: false,
  }),
  'suppliers.sampling.configure': channel({
    input: lazySchema(() =>
      z.object({ supplierCode: code, passesRequired: z.number().int().min(1).max(100), reason: reasonSchema }),
    ),
    output: samplingStateSchema,
    access: 'intake.configure',
    writes: true,
  }),
  'suppliers.performance': channel({
    input: lazySchema(() => z.object({ from: date, to: date, supplierCode: code.optional() })),
    output: lazySchema(() => z.array(supplierPerformanceSchema)),
    access: 'lots.read',
    writes: false,
  }),
} as const;
