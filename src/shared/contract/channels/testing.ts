import { z } from 'zod';
import { channel, lazySchema } from '../define';
import { reasonSchema, signatureInputSchema, signatureViewSchema, userIdSchema } from '../common';
import { specItemSchema } from '../../catalog/spec-schema';
import { westgardRules } from '../../rules/control-chart';
import { reportingRuleSchema } from '../../rules/reporting';

/** ../shared/guides/domain-model.md: pending → entered → submitted → reviewed | returned (→ entered); invalidated. */
export const resultStatuses = ['pending', 'entered', 'returned', 'submitted', 'reviewed', 'invalidated'] as const;
export type ResultStatus = (typeof resultStatuses)[number];
export const testVerdicts = ['pass', 'fail', 'invalid', 'none'] as const;
/** Why a test is in a sample's plan. */
export const planReasons = [
  'every_lot',
  'every_nth_lot',
  'periodic',
  'target',
  'parameter',
  'added',
  'retest',
  'panel',
] as const;
export const oosStatuses = ['open', 'phase1_done', 'invalidated', 'confirmed'] as const;
export const oosOutcomes = ['assignable_cause', 'no_assignable_cause'] as const;
/** Phase I (laboratory) checklist (FDA OOS guidance 2022 §III; issue 8 §5). */
export const oosChecks = ['calculation', 'instrument', 'method', 'standards', 'preparation'] as const;
export const itemStates = ['missing', 'pending', 'done', 'reviewed', 'failed', 'external_not_counted'] as const;

/**
 * A result value as typed or read: a decimal, 'ND' / '未检出', '<LOD', '<X', 'absent' / 阴性,
 * 'present' / 阳性, 'presumptive' / 疑似阳性, or a count in micro notation ('2.1E6',
 * '2.1×10^6', '2.1×10⁶'). The service normalises it for the item (src/shared/rules/entry.ts)
 * and refuses what the item does not take (notation on chemistry, qualitative on counts).
 */
const valueText = lazySchema(() =>
  z
    .string()
    .trim()
    .max(40)
    .regex(
      /^$|^(-?\d+(\.\d+)?|ND|nd|<LOD|[<＜]?\d+(\.\d+)?(\s*([eE][+-]?\d{1,2}|[×xX*]\s*10\s*(\^\s*[+-]?\d{1,2}|[⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,2})))?|absent|present|presumptive|阴性|阳性|未检出|检出|疑似|疑似阳性)$/,
      { message: 'result_value_format' },
    ),
);
const code = lazySchema(() => z.string().trim().min(1).max(60));
const id = lazySchema(() => z.string().min(1).max(80));
const date = lazySchema(() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date_format' }));
const instant = lazySchema(() =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, { message: 'instant_format' }),
);
const instrumentRef = lazySchema(() => z.string().trim().min(1).max(80));

/** The specification item copied into the test when it was planned (its limit applies). */
export const testItemSchema = lazySchema(() =>
  specItemSchema
    .pick({
      code: true,
      name_zh: true,
      name_en: true,
      group: true,
      method_code: true,
      unit: true,
      basis: true,
      limit_form: true,
      min: true,
      max: true,
      target: true,
      lod: true,
      n: true,
      c: true,
      m: true,
      big_m: true,
      precision: true,
      comparison: true,
      formula: true,
      required_for_release: true,
      in_house_only: true,
      reporting: true,
      loq: true,
    })
    .extend({ code: z.string(), group: z.string(), basis: z.string(), limit_form: z.string(), comparison: z.string() }),
);

export const replicateRuleSchema = lazySchema(() =>
  z.object({
    replicates: z.number().int().min(1).max(10),
    repeatability: z.enum(['none', 'absolute', 'relative']),
    limit: z
      .string()
      .regex(/^\d+(\.\d+)?$/, { message: 'decimal_string' })
      .nullable(),
  }),
);

/** A method's replicate rule as stored: the rule, its method and note, the record's id and revision. */
export const replicateRuleViewSchema = lazySchema(() =>
  replicateRuleSchema.extend({
    id: z.string(),
    rev: z.number().int(),
    methodCode: z.string(),
    note: z.string().nullable(),
  }),
);

export const verdictChangeVias = [
  'entry',
  'paste',
  'capture',
  'recalculation',
  'correction',
  'invalidation',
  'confirmation',
] as const;

export const verdictChangeViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    resultId: z.string(),
    sampleCode: z.string(),
    lotCode: z.string().nullable(),
    itemCode: z.string(),
    methodCode: z.string().nullable(),
    fromVerdict: z.string(),
    toVerdict: z.string().nullable(),
    fromReported: z.string().nullable(),
    toReported: z.string().nullable(),
    reason: z.string(),
    via: z.enum(verdictChangeVias),
    changedBy: z.string(),
    changedAt: z.string(),
  }),
);

export const microStages = ['not_started', 'incubating', 'presumptive', 'final'] as const;
export const microViewSchema = lazySchema(() =>
  z.object({
    method: z.string().nullable(),
    stage: z.enum(microStages),
    startedAt: z.string().nullable(),
    expectedFinalAt: z.string().nullable(),
    /** 1-based units recorded presumptive positive and waiting for confirmation. */
    presumptiveUnits: z.array(z.number().int()),
  }),
);

export const microHoldViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    lotCode: z.string(),
    resultId: z.string(),
    sampleCode: z.string(),
    itemCode: z.string(),
    units: z.array(z.number().int()),
    /** The system rule that raised it (`micro.presumptive_positive`): unsigned. */
    rule: z.string(),
    raisedAt: z.string(),
    lotStatusBefore: z.string(),
    status: z.enum(['open', 'reviewed']),
    outcome: z.enum(['pending', 'confirmed', 'not_confirmed']),
    reviewedBy: z.string().nullable(),
    reviewedAt: z.string().nullable(),
    reviewNote: z.string().nullable(),
  }),
);

export const microLotStatusSchema = lazySchema(() =>
  z.object({
    pending: z.array(
      z.object({
        resultId: z.string(),
        itemCode: z.string(),
        sampleCode: z.string(),
        stage: z.enum(microStages),
        expectedFinalAt: z.string().nullable(),
      }),
    ),
    presumptive: z.array(z.string()),
    openHolds: z.array(microHoldViewSchema),
    /** When every pending micro result is expected final (null while one has not started). */
    expectedFinalAt: z.string().nullable(),
  }),
);

export const resultViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    rev: z.number().int(),
    sampleId: z.string(),
    sampleCode: z.string(),
    lotCode: z.string().nullable(),
    productCode: z.string().nullable(),
    itemCode: z.string(),
    nameZh: z.string(),
    nameEn: z.string(),
    group: z.string(),
    position: z.number().int(),
    methodCode: z.string().nullable(),
    /** The specification's unit and basis, and the unit the analyst enters in ("g/100 g"). */
    unit: z.string(),
    entryUnit: z.string(),
    /** The unit with its basis as printed ("g/100 kJ", "kJ/100 mL", "CFU/g"; issue 20 §2). */
    reportUnit: z.string(),
    limitText: z.string(),
    item: testItemSchema,
    calculated: z.boolean(),
    /** A basis parameter (reconstitution), not a specification item. */
    parameter: z.boolean(),
    planReason: z.enum(planReasons),
    dueAt: z.string().nullable(),
    assignedTo: z.string().nullable(),
    instrumentId: z.string().nullable(),
    status: z.enum(resultStatuses),
    replicates: z.array(z.string()),
    unitValues: z.array(z.string()),
    /** Unrounded, in the entry basis. */
    value: z.string().nullable(),
    /** Rounded (GB/T 8170) in the specification's basis, or censored text, or the plan's summary. */
    reported: z.string().nullable(),
    verdict: z.enum(testVerdicts).nullable(),
    verdictReason: z.string().nullable(),
    verdictDetails: z.record(z.string(), z.string()),
    externalLab: z.string().nullable(),
    externalReportNo: z.string().nullable(),
    analystId: z.string().nullable(),
    enteredAt: z.string().nullable(),
    submittedBy: z.string().nullable(),
    submittedAt: z.string().nullable(),
    reviewedBy: z.string().nullable(),
    reviewedAt: z.string().nullable(),
    returnReason: z.string().nullable(),
    invalidatedReason: z.string().nullable(),
    attempt: z.number().int(),
    retestOf: z.string().nullable(),
    oosCode: z.string().nullable(),
    note: z.string().nullable(),
    attachments: z.number().int(),
    /** Changed after it was first submitted (the history shows both values). */
    corrected: z.boolean(),
    /** Readings captured from instruments into this result's replicates (issue 10). */
    captures: z.array(
      z.object({
        id: z.string(),
        replicateIndex: z.number().int(),
        instrumentCode: z.string(),
        value: z.string().nullable(),
        unit: z.string().nullable(),
        status: z.enum(['used', 'typed_over']),
        typedOverReason: z.string().nullable(),
        flagged: z.boolean(),
        flagReason: z.string().nullable(),
      }),
    ),
    /** Microbiology by a GB 4789 method: stage, incubation start, expected completion, presumptive units (issue 20 §3). */
    micro: microViewSchema.nullable(),
    /**
     * Everyone who entered, changed, captured or submitted a value of this result, any
     * revision (issue 19 §3): none of them may review or return it.
     */
    contributors: z.array(z.string()),
    /** Failing verdicts changed (with their reasons), flagged on the review screen (issue 19 §4). */
    verdictChanges: z.array(verdictChangeViewSchema),
  }),
);
export type ResultView = z.infer<typeof resultViewSchema>;

export const attachmentViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    resultId: z.string(),
    fileName: z.string(),
    mediaType: z.string(),
    bytes: z.number().int(),
    sha256: z.string(),
    addedBy: z.string(),
    addedAt: z.string(),
    note: z.string().nullable(),
  }),
);

export const checkAnswerSchema = lazySchema(() =>
  z.object({ ok: z.boolean(), note: z.string().trim().min(3).max(1000) }),
);
export const checklistSchema = lazySchema(() =>
  z.object(
    Object.fromEntries(oosChecks.map((c) => [c, checkAnswerSchema])) as Record<
      (typeof oosChecks)[number],
      typeof checkAnswerSchema
    >,
  ),
);

export const oosViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    code: z.string(),
    resultId: z.string(),
    sampleCode: z.string(),
    lotCode: z.string().nullable(),
    itemCode: z.string(),
    itemName: z.object({ zh: z.string(), en: z.string() }),
    status: z.enum(oosStatuses),
    reported: z.string().nullable(),
    limitText: z.string().nullable(),
    openedAt: z.string(),
    openedBy: z.string(),
    lotHeld: z.boolean(),
    checklist: checklistSchema.nullable(),
    phase1Summary: z.string().nullable(),
    phase1By: z.string().nullable(),
    phase1At: z.string().nullable(),
    outcome: z.enum(oosOutcomes).nullable(),
    conclusion: z.string().nullable(),
    concludedBy: z.string().nullable(),
    concludedAt: z.string().nullable(),
    retestResultId: z.string().nullable(),
    /** Days since opened (for the list). */
    ageDays: z.number().int(),
  }),
);
export type OosView = z.infer<typeof oosViewSchema>;

export const historyEntrySchema = lazySchema(() =>
  z.object({
    seq: z.number().int(),
    at: z.string(),
    by: z.string(),
    byName: z.string().nullable(),
    op: z.string(),
    reason: z.string().nullable(),
    /** Fields that changed in this entry: previous → new value (as text). */
    changes: z.array(z.object({ field: z.string(), from: z.string().nullable(), to: z.string().nullable() })),
  }),
);

const groupSchema = lazySchema(() =>
  z.object({
    group: z.string(),
    required: z.number().int(),
    done: z.number().int(),
    reviewed: z.number().int(),
    failed: z.number().int(),
    missing: z.number().int(),
  }),
);

export const completenessSchema = lazySchema(() =>
  z.object({
    lotCode: z.string(),
    lotStatus: z.string(),
    itemCode: z.string(),
    spec: z
      .object({
        versionId: z.string(),
        code: z.string(),
        version: z.number().int(),
        effectiveFrom: z.string().nullable(),
      })
      .nullable(),
    groups: z.array(groupSchema),
    items: z.array(
      z.object({
        code: z.string(),
        nameZh: z.string(),
        nameEn: z.string(),
        group: z.string(),
        required: z.boolean(),
        inHouseOnly: z.boolean(),
        state: z.enum(itemStates),
        resultId: z.string().nullable(),
        sampleCode: z.string().nullable(),
        reported: z.string().nullable(),
        unit: z.string(),
        /** The unit with its basis ("g/100 kJ"). */
        reportUnit: z.string(),
        /** How the reported value is written (colony counts as a.b × 10ⁿ). */
        reporting: reportingRuleSchema.nullable(),
        limitText: z.string(),
        verdict: z.enum(testVerdicts).nullable(),
        externalLab: z.string().nullable(),
      }),
    ),
    complete: z.boolean(),
    openOos: z.array(z.string()),
    /** Items done by an external lab that the in-house-only rule does not count. */
    externalNotCounted: z.array(z.string()),
  }),
);
export type Completeness = z.infer<typeof completenessSchema>;

const worklistFacet = lazySchema(() => z.array(z.object({ key: z.string().nullable(), count: z.number().int() })));

/** A chart: a product's item, or a QC check material on a method and instrument (issue 20 §6). */
export const chartSpecSchema = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('product'), productCode: code, itemCode: z.string().trim().min(1).max(40) }),
    z.object({
      kind: z.literal('qc'),
      materialCode: code,
      methodCode: z.string().trim().min(1).max(60),
      instrumentId: z.string().trim().min(1).max(80),
    }),
  ]),
);

export const baselineViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    chart: z.string(),
    from: z.string(),
    to: z.string(),
    n: z.number().int(),
    mean: z.string(),
    sd: z.string(),
    note: z.string().nullable(),
    status: z.enum(['active', 'superseded']),
    createdBy: z.string(),
    createdAt: z.string(),
    supersededAt: z.string().nullable(),
    points: z.array(z.object({ ref: z.string(), label: z.string(), value: z.string() })),
  }),
);

const statsSchema = lazySchema(() =>
  z
    .object({
      n: z.number().int(),
      mean: z.string(),
      sd: z.string(),
      warnLow: z.string(),
      warnHigh: z.string(),
      ctlLow: z.string(),
      ctlHigh: z.string(),
      oneLow: z.string(),
      oneHigh: z.string(),
    })
    .nullable(),
);

export const qcMaterialKinds = ['reference_material', 'spiked'] as const;
export const qcMaterialSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    rev: z.number().int(),
    code: z.string(),
    nameZh: z.string(),
    nameEn: z.string(),
    kind: z.enum(qcMaterialKinds),
    methodCode: z.string(),
    itemCode: z.string().nullable(),
    unit: z.string(),
    assignedValue: z.string(),
    uncertainty: z.string().nullable(),
    certificateNo: z.string().nullable(),
    lotNo: z.string().nullable(),
    expiresOn: z.string().nullable(),
    note: z.string().nullable(),
    active: z.boolean(),
  }),
);

export const trendPointSchema = lazySchema(() =>
  z.object({
    resultId: z.string(),
    lotCode: z.string(),
    lotDate: z.string(),
    sampleCode: z.string(),
    reported: z.string(),
    /** The unrounded value the limits and rules used (null: only the rounded value is on record). */
    value: z.string().nullable(),
    verdict: z.enum(testVerdicts).nullable(),
    z: z.string().nullable(),
    rules: z.array(z.enum(westgardRules)),
  }),
);

export const testingChannels = {
  /** A sample's tests and results, with what the entry grid needs to compute as the analyst types. */
  'results.forSample': channel({
    input: lazySchema(() => z.object({ sampleCode: code })),
    output: lazySchema(() =>
      z.object({
        sample: z.object({
          id: z.string(),
          code: z.string(),
          kind: z.string(),
          status: z.string(),
          lotCode: z.string().nullable(),
          itemCode: z.string().nullable(),
          itemName: z.object({ zh: z.string(), en: z.string() }).nullable(),
          spec: z.object({ versionId: z.string(), code: z.string(), version: z.number().int() }).nullable(),
        }),
        results: z.array(resultViewSchema),
        rules: z.record(z.string(), replicateRuleSchema),
        summary: z.object({
          total: z.number().int(),
          pending: z.number().int(),
          entered: z.number().int(),
          submitted: z.number().int(),
          reviewed: z.number().int(),
          failed: z.number().int(),
          invalidated: z.number().int(),
        }),
      }),
    ),
    access: 'results.read',
    writes: false,
  }),
  /** Pending tests (and returned ones) by method, analyst, instrument and due time. */
  'results.worklist': channel({
    input: lazySchema(() =>
      z.object({
        methodCode: z.string().trim().max(60).optional(),
        assignedTo: z.string().trim().max(40).optional(),
        /** '' = not assigned. */
        instrumentId: z.string().trim().max(80).optional(),
        itemCode: z.string().trim().max(40).optional(),
        sampleCode: code.optional(),
        statuses: z
          .array(z.enum(['pending', 'entered', 'returned']))
          .min(1)
          .default(['pending', 'entered', 'returned']),
        dueBefore: instant.optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
      }),
    ),
    output: lazySchema(() =>
      z.object({
        total: z.number().int(),
        results: z.array(resultViewSchema),
        facets: z.object({ methods: worklistFacet, analysts: worklistFacet, instruments: worklistFacet }),
      }),
    ),
    access: 'results.read',
    writes: false,
  }),
  'results.get': channel({
    input: lazySchema(() => z.object({ id })),
    output: lazySchema(() =>
      z.object({
        result: resultViewSchema,
        history: z.array(historyEntrySchema),
        signatures: z.array(signatureViewSchema),
        attachments: z.array(attachmentViewSchema),
        oos: oosViewSchema.nullable(),
        /** The invalidated result this retests, and retests of this one. */
        related: z.array(resultViewSchema),
      }),
    ),
    access: 'results.read',
    writes: false,
  }),
  /**
   * Saves raw data (replicates, or one value per sampling-plan unit) of a test not yet
   * submitted; computes value, reported value and verdict, and recomputes the calculated
   * items that depend on it. Returns every result of the sample that changed.
   */
  'results.enter': channel({
    input: lazySchema(() =>
      z.object({
        id,
        replicates: z.array(valueText).max(10).optional(),
        unitValues: z.array(valueText).max(60).optional(),
        instrumentId: instrumentRef.nullable().optional(),
        external: z
          .object({ lab: z.string().trim().min(2).max(120), reportNo: z.string().trim().min(1).max(60) })
          .nullable()
          .optional(),
        note: z.string().trim().max(1000).nullable().optional(),
        expectedRev: z.number().int().optional(),
        /** Needed when a value captured from an instrument is typed over (flagged in review). */
        typedOverReason: reasonSchema.optional(),
        /** Needed when the change turns a saved failing verdict into another one (flagged in review). */
        verdictChangeReason: reasonSchema.optional(),
      }),
    ),
    output: lazySchema(() => z.object({ changed: z.array(resultViewSchema) })),
    access: 'results.enter',
    writes: true,
  }),
  /** Several entries in one transaction (a pasted column): all saved, or none with the row named. */
  'results.enterMany': channel({
    input: lazySchema(() =>
      z.object({
        entries: z
          .array(
            z.object({
              id,
              replicates: z.array(valueText).max(10).optional(),
              unitValues: z.array(valueText).max(60).optional(),
              /** The revision of the result the person saw (errors.record_changed when it moved, D-097). */
              expectedRev: z.number().int().optional(),
            }),
          )
          .min(1)
          .max(500),
        /** Needed when the block turns a saved failing verdict into another one. */
        verdictChangeReason: reasonSchema.optional(),
      }),
    ),
    output: lazySchema(() => z.object({ changed: z.array(resultViewSchema) })),
    access: 'results.enter',
    writes: true,
  }),
  /** A change after submission (or review): needs a reason, keeps the original in the history, and goes back for submission and review. */
  'results.correct': channel({
    input: lazySchema(() =>
      z.object({
        id,
        replicates: z.array(valueText).max(10).optional(),
        unitValues: z.array(valueText).max(60).optional(),
        external: z
          .object({ lab: z.string().trim().min(2).max(120), reportNo: z.string().trim().min(1).max(60) })
          .nullable()
          .optional(),
        reason: reasonSchema,
        /** The revision of the result the person saw: a result changed since is refused (errors.record_changed, D-097). */
        expectedRev: z.number().int().optional(),
      }),
    ),
    output: lazySchema(() => z.object({ changed: z.array(resultViewSchema) })),
    access: 'results.enter',
    writes: true,
  }),
  'results.assign': channel({
    input: lazySchema(() =>
      z.object({
        ids: z.array(id).min(1).max(1000),
        assignedTo: userIdSchema.nullable().optional(),
        instrumentId: instrumentRef.nullable().optional(),
      }),
    ),
    output: lazySchema(() => z.object({ updated: z.number().int() })),
    access: 'results.enter',
    writes: true,
  }),
  /** Plans the tests of a sample that has none yet (registered before its specification was approved). */
  'results.plan': channel({
    input: lazySchema(() => z.object({ sampleCode: code })),
    output: lazySchema(() => z.object({ created: z.number().int() })),
    access: 'results.enter',
    writes: true,
  }),
  /**
   * Adds a test of a specification item to a sample (an item not due by frequency). Refused
   * for an item that already has a current result on the lot: a retest is only ordered by
   * an OOS investigation that found an assignable laboratory error.
   */
  'results.addTest': channel({
    input: lazySchema(() =>
      z.object({ sampleCode: code, itemCode: z.string().trim().min(1).max(40), reason: reasonSchema }),
    ),
    output: resultViewSchema,
    access: 'results.enter',
    writes: true,
  }),
  /** The analyst submits the sample's entered results, each signed `authored`. Failing ones open OOS investigations. */
  'results.submit': channel({
    input: lazySchema(() =>
      z.object({
        sampleCode: code,
        ids: z.array(id).min(1).max(1000).optional(),
        /** The revision of each result the analyst saw: a result changed since is refused (stale screen). */
        expectedRevs: z.record(z.string(), z.number().int()).optional(),
        signature: signatureInputSchema,
      }),
    ),
    output: lazySchema(() => z.object({ submitted: z.number().int(), oos: z.array(z.string()) })),
    access: 'results.enter',
    writes: true,
  }),
  /** Second-person review: approve (signed `reviewed`, never by the analyst) or return with a reason. */
  'results.review': channel({
    input: lazySchema(() =>
      z.object({
        ids: z.array(id).min(1).max(1000),
        decision: z.enum(['approve', 'return']),
        reason: reasonSchema.optional(),
        /** The revision of each result the reviewer saw: a result changed since is refused (stale screen). */
        expectedRevs: z.record(z.string(), z.number().int()).optional(),
        signature: signatureInputSchema,
      }),
    ),
    output: lazySchema(() => z.object({ reviewed: z.number().int(), returned: z.number().int() })),
    access: 'results.review',
    writes: true,
  }),
  'results.reviewQueue': channel({
    input: lazySchema(() =>
      z.object({
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    ),
    output: lazySchema(() =>
      z.object({
        total: z.number().int(),
        samples: z.array(
          z.object({
            sampleCode: z.string(),
            kind: z.string(),
            lotCode: z.string().nullable(),
            itemName: z.object({ zh: z.string(), en: z.string() }).nullable(),
            submitted: z.number().int(),
            failed: z.number().int(),
            analysts: z.array(z.string()),
            submittedAt: z.string(),
            /** The caller authored some of these: they cannot review them. */
            mine: z.boolean(),
          }),
        ),
      }),
    ),
    access: 'results.read',
    writes: false,
  }),
  /** A file kept with a result (chromatogram, printout), bound by its SHA-256. */
  'results.attach': channel({
    input: lazySchema(() =>
      z.object({
        id,
        fileName: z.string().trim().min(1).max(200),
        mediaType: z.string().trim().min(3).max(100),
        base64: z.string().min(1).max(28_000_000),
        note: z.string().trim().max(500).optional(),
      }),
    ),
    output: attachmentViewSchema,
    access: 'results.enter',
    writes: true,
  }),
  'results.attachment': channel({
    input: lazySchema(() => z.object({ attachmentId: id })),
    output: lazySchema(() => z.object({ attachment: attachmentViewSchema, base64: z.string(), intact: z.boolean() })),
    access: 'results.read',
    writes: false,
  }),
  /** Per item of the lot's specification: required, done, reviewed, failed, missing; per item group. */
  'results.completeness': channel({
    input: lazySchema(() => z.object({ lotCode: code })),
    output: completenessSchema,
    access: 'results.read',
    writes: false,
  }),
  'oos.list': channel({
    input: lazySchema(() =>
      z.object({
        statuses: z.array(z.enum(oosStatuses)).optional(),
        lotCode: code.optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    ),
    output: lazySchema(() => z.object({ total: z.number().int(), items: z.array(oosViewSchema) })),
    access: 'results.read',
    writes: false,
  }),
  'oos.get': channel({
    input: lazySchema(() => z.object({ code })),
    output: lazySchema(() =>
      z.object({
        oos: oosViewSchema,
        result: resultViewSchema,
        signatures: z.array(signatureViewSchema),
        lotStatus: z.string().nullable(),
      }),
    ),
    access: 'results.read',
    writes: false,
  }),
  /** Phase I (laboratory) investigation: the checklist answered and signed (`authored`). */
  'oos.phase1': channel({
    input: lazySchema(() =>
      z.object({
        code,
        checklist: checklistSchema,
        summary: z.string().trim().min(3).max(2000),
        signature: signatureInputSchema,
      }),
    ),
    output: oosViewSchema,
    access: 'oos.investigate',
    writes: true,
  }),
  /**
   * The QA manager concludes (`oos_concluded`): an assignable laboratory error invalidates
   * the result (signed `invalidated`, kept on record) and orders a retest; no assignable
   * cause confirms the OOS (the lot stays on hold for the lot decision).
   */
  'oos.conclude': channel({
    input: lazySchema(() =>
      z.object({
        code,
        outcome: z.enum(oosOutcomes),
        conclusion: z.string().trim().min(3).max(2000),
        signature: signatureInputSchema,
      }),
    ),
    output: lazySchema(() => z.object({ oos: oosViewSchema, retest: resultViewSchema.nullable() })),
    access: 'oos.conclude',
    writes: true,
  }),
  'methods.rules.list': channel({
    input: lazySchema(() => z.object({})),
    output: lazySchema(() => z.array(replicateRuleViewSchema)),
    access: 'catalog.read',
    writes: false,
  }),
  'methods.rules.save': channel({
    input: lazySchema(() =>
      replicateRuleSchema.extend({
        methodCode: z.string().trim().min(1).max(60),
        note: z.string().trim().max(500).nullable().default(null),
        reason: reasonSchema.optional(),
      }),
    ),
    output: replicateRuleViewSchema,
    access: 'catalog.manage',
    writes: true,
  }),
  /**
   * "Verdict changed before submission" (issue 19 §4): per analyst (who changed it) and method,
   * the failing verdicts changed before submission in the period, beside the results that
   * analyst saved for the method. Each change carries its reason (verdictChanges of a result).
   */
  'trends.verdictChanges': channel({
    input: lazySchema(() => z.object({ from: instant.optional(), to: instant.optional() })),
    output: lazySchema(() =>
      z.array(
        z.object({
          analyst: z.string(),
          analystName: z.string().nullable(),
          method: z.string().nullable(),
          changes: z.number().int(),
          results: z.number().int(),
          entered: z.number().int(),
        }),
      ),
    ),
    access: 'results.read',
    writes: false,
  }),
  /** Incubation of micro tests started (now, or the time given): their expected completion follows the method. */
  'results.microStart': channel({
    input: lazySchema(() => z.object({ ids: z.array(id).min(1).max(200), startedAt: instant.optional() })),
    output: lazySchema(() => z.object({ updated: z.array(resultViewSchema) })),
    access: 'results.enter',
    writes: true,
  }),
  /** The confirmation of a presumptive unit (1-based): confirmed → present, not confirmed → absent. */
  'results.microConfirm': channel({
    input: lazySchema(() =>
      z.object({
        id,
        unit: z.number().int().min(1).max(60),
        outcome: z.enum(['confirmed', 'not_confirmed']),
        /** The identification used (biochemical, API, MALDI-TOF, serology…). */
        evidence: z.string().trim().min(3).max(500),
      }),
    ),
    output: lazySchema(() => z.object({ changed: z.array(resultViewSchema) })),
    access: 'results.enter',
    writes: true,
  }),
  /** Automatic holds of presumptive positives, by lot and status. */
  'results.microHolds': channel({
    input: lazySchema(() => z.object({ lotCode: code.optional(), status: z.enum(['open', 'reviewed']).optional() })),
    output: lazySchema(() => z.array(microHoldViewSchema)),
    access: 'results.read',
    writes: false,
  }),
  /** A QA manager reviews an automatic hold (signed `reviewed`). */
  'results.microHoldReview': channel({
    input: lazySchema(() =>
      z.object({ id, note: z.string().trim().min(3).max(1000), signature: signatureInputSchema }),
    ),
    output: microHoldViewSchema,
    access: 'lots.decide',
    writes: true,
  }),
  /** A lot's micro results: pending ones with their expected completion, presumptives, open holds. */
  'results.microStatus': channel({
    input: lazySchema(() => z.object({ lotCode: code })),
    output: microLotStatusSchema,
    access: 'results.read',
    writes: false,
  }),
  /** Items of a product that have reviewed results (for the trend picker). */
  'trends.items': channel({
    input: lazySchema(() => z.object({ productCode: code })),
    output: lazySchema(() =>
      z.array(
        z.object({
          code: z.string(),
          nameZh: z.string(),
          nameEn: z.string(),
          unit: z.string(),
          count: z.number().int(),
        }),
      ),
    ),
    access: 'results.read',
    writes: false,
  }),
  /** A control chart: reported values of reviewed results across lots, limits, mean ± 2 s / ± 3 s, Westgard flags. */
  'trends.series': channel({
    input: lazySchema(() =>
      z.object({
        productCode: code,
        itemCode: z.string().trim().min(1).max(40),
        from: date.optional(),
        to: date.optional(),
        limit: z.number().int().min(2).max(20000).default(5000),
      }),
    ),
    output: lazySchema(() =>
      z.object({
        item: z
          .object({
            code: z.string(),
            nameZh: z.string(),
            nameEn: z.string(),
            unit: z.string(),
            min: z.string().nullable(),
            max: z.string().nullable(),
          })
          .nullable(),
        points: z.array(trendPointSchema),
        /** Limits: from the signed baseline when there is one, else from the plotted window. */
        stats: statsSchema,
        /** The chart's signed baseline (null: none signed; the limits drift with the window). */
        baseline: baselineViewSchema.nullable(),
        /** Points left out because they are not numbers (ND, '<0.5'). */
        censored: z.number().int(),
      }),
    ),
    access: 'results.read',
    writes: false,
  }),
  /** The baselines of a chart, newest first (the active one and those it superseded). */
  'trends.baselines': channel({
    input: lazySchema(() => z.object({ chart: chartSpecSchema })),
    output: lazySchema(() => z.array(baselineViewSchema)),
    access: 'results.read',
    writes: false,
  }),
  /**
   * A QA manager signs a chart's baseline (`approved`): the points of the period, frozen with
   * their unrounded values; it supersedes the chart's previous baseline.
   */
  'trends.baselineCreate': channel({
    input: lazySchema(() =>
      z.object({
        chart: chartSpecSchema,
        from: date,
        to: date,
        note: z.string().trim().min(3).max(1000),
        signature: signatureInputSchema,
      }),
    ),
    output: baselineViewSchema,
    access: 'specs.approve',
    writes: true,
  }),
  /** QC check materials: reference materials and spiked samples with their assigned values. */
  'qc.materials': channel({
    input: lazySchema(() => z.object({})),
    output: lazySchema(() => z.array(qcMaterialSchema)),
    access: 'results.read',
    writes: false,
  }),
  'qc.materialSave': channel({
    input: lazySchema(() =>
      z.object({
        code: z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, { message: 'qc_material_code' }),
        nameZh: z.string().trim().min(1).max(120),
        nameEn: z.string().trim().min(1).max(120),
        kind: z.enum(qcMaterialKinds),
        methodCode: z.string().trim().min(1).max(60),
        itemCode: z.string().trim().max(40).nullable(),
        unit: z.string().trim().max(40),
        assignedValue: z.string().regex(/^\d+(\.\d+)?$/, { message: 'decimal_string' }),
        uncertainty: z
          .string()
          .regex(/^\d+(\.\d+)?$/, { message: 'decimal_string' })
          .nullable(),
        certificateNo: z.string().trim().max(80).nullable(),
        lotNo: z.string().trim().max(80).nullable(),
        expiresOn: date.nullable(),
        note: z.string().trim().max(500).nullable(),
        active: z.boolean(),
        reason: reasonSchema.optional(),
      }),
    ),
    output: qcMaterialSchema,
    access: 'catalog.manage',
    writes: true,
  }),
  /** A QC check result on a method and instrument (recovery % for spiked samples). */
  'qc.record': channel({
    input: lazySchema(() =>
      z.object({
        materialCode: code,
        instrumentId: instrumentRef,
        value: z.string().regex(/^-?\d+(\.\d+)?$/, { message: 'decimal_string' }),
        runAt: instant.optional(),
        note: z.string().trim().max(500).optional(),
      }),
    ),
    output: lazySchema(() => z.object({ id: z.string(), recovery: z.string() })),
    access: 'results.enter',
    writes: true,
  }),
  /** QC charts that have results: material × method × instrument. */
  'qc.charts': channel({
    input: lazySchema(() => z.object({})),
    output: lazySchema(() =>
      z.array(
        z.object({
          materialCode: z.string(),
          methodCode: z.string(),
          instrumentId: z.string(),
          instrumentCode: z.string(),
          count: z.number().int(),
          lastAt: z.string(),
        }),
      ),
    ),
    access: 'results.read',
    writes: false,
  }),
  /** One QC chart, judged against its own signed baseline (Westgard). */
  'qc.series': channel({
    input: lazySchema(() =>
      z.object({
        materialCode: code,
        methodCode: z.string().trim().min(1).max(60),
        instrumentId: z.string().trim().min(1).max(80),
        from: date.optional(),
        to: date.optional(),
      }),
    ),
    output: lazySchema(() =>
      z.object({
        material: qcMaterialSchema,
        item: z.object({
          code: z.string(),
          nameZh: z.string(),
          nameEn: z.string(),
          unit: z.string(),
          min: z.string().nullable(),
          max: z.string().nullable(),
        }),
        points: z.array(trendPointSchema.extend({ measured: z.string(), note: z.string().nullable() })),
        stats: statsSchema,
        baseline: baselineViewSchema.nullable(),
        censored: z.number().int(),
      }),
    ),
    access: 'results.read',
    writes: false,
  }),
} as const;
