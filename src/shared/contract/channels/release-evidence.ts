import { z } from 'zod';
import { channel, lazySchema } from '../define';
import { reasonSchema } from '../common';
import { bases, decimalString } from '../../catalog/spec-schema';
import { quantityUnits } from '../../domain/units';

/**
 * Release evidence a QA manager asks for (issue 20 §5): a product's declared label values
 * (标示值) with the rule the plant applies, the comparison of a lot's results with the GB
 * limits and the label values, and retention samples with quantity, storage conditions,
 * withdrawals and scheduled retention observations (留样观察).
 */
export const labelRuleVerifications = ['unverified', 'confirmed'] as const;
export const withdrawalPurposes = ['spot_check_retest', 'complaint', 'investigation', 'observation', 'other'] as const;
export const observationOutcomes = ['normal', 'abnormal'] as const;
/** How a label value could be compared with a result. */
export const labelComparabilities = ['ok', 'no_result', 'not_reviewed', 'censored', 'basis_differs'] as const;

const code = lazySchema(() => z.string().trim().min(1).max(60));
const date = lazySchema(() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date_format' }));
const pct = lazySchema(() => decimalString.nullable());
const quantity = lazySchema(() =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, { message: 'quantity_format' }),
);

export const labelValueViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    rev: z.number().int(),
    productCode: z.string(),
    itemCode: z.string(),
    /** The specification item's names when the product's specification has this item. */
    nameZh: z.string().nullable(),
    nameEn: z.string().nullable(),
    declared: z.string(),
    unit: z.string(),
    basis: z.string(),
    minPct: z.string().nullable(),
    maxPct: z.string().nullable(),
    ruleSource: z.string(),
    /** `unverified` until a QA manager has checked the rule against the standard's text. */
    ruleVerification: z.enum(labelRuleVerifications),
    confirmedBy: z.string().nullable(),
    confirmedAt: z.string().nullable(),
    confirmReference: z.string().nullable(),
    note: z.string().nullable(),
  }),
);
export type LabelValueView = z.infer<typeof labelValueViewSchema>;

const sideMarginSchema = lazySchema(() =>
  z.object({
    side: z.enum(['min', 'max']),
    bound: z.string(),
    margin: z.string(),
    marginPct: z.string().nullable(),
    ok: z.boolean(),
  }),
);

export const labelComparisonRowSchema = lazySchema(() =>
  z.object({
    itemCode: z.string(),
    nameZh: z.string(),
    nameEn: z.string(),
    resultId: z.string().nullable(),
    resultStatus: z.string().nullable(),
    /** The reported result (specification basis), as on the certificate. */
    reported: z.string().nullable(),
    unit: z.string(),
    basis: z.string(),
    gb: z
      .object({
        limitText: z.string(),
        verdict: z.string().nullable(),
        margins: z.array(sideMarginSchema),
        nearest: sideMarginSchema.nullable(),
      })
      .nullable(),
    label: z
      .object({
        labelValueId: z.string(),
        declared: z.string(),
        unit: z.string(),
        basis: z.string(),
        minPct: z.string().nullable(),
        maxPct: z.string().nullable(),
        /** The value compared (the reported result, or the entry-basis value when the label is per 100 g). */
        compared: z.string().nullable(),
        margins: z.array(sideMarginSchema),
        nearest: sideMarginSchema.nullable(),
        comparable: z.enum(labelComparabilities),
        ok: z.boolean(),
        ruleVerification: z.enum(labelRuleVerifications),
        ruleSource: z.string(),
      })
      .nullable(),
  }),
);

export const labelComparisonSchema = lazySchema(() =>
  z.object({
    lotCode: z.string(),
    productCode: z.string(),
    rows: z.array(labelComparisonRowSchema),
    summary: z.object({
      declared: z.number().int(),
      /** Declared items whose result is outside the label rule. */
      outside: z.number().int(),
      /** Declared items with no reviewed result to compare. */
      notCompared: z.number().int(),
      /** Declared items whose rule is not yet confirmed against the standard's text. */
      unverified: z.number().int(),
    }),
  }),
);
export type LabelComparison = z.infer<typeof labelComparisonSchema>;

export const retentionProfileSchema = lazySchema(() =>
  z.object({
    productCode: z.string(),
    /** The quantity a retention sample must hold: enough for the re-tests the plan requires. */
    requiredQuantity: z.string(),
    unit: z.string(),
    /** How the quantity was arrived at (e.g. "two full re-tests of the release panel"). */
    basisNote: z.string(),
    storageConditions: z.string(),
    /** Observation days after the production date (e.g. 90, 180, 360, shelf-life end). */
    observationDays: z.array(z.number().int()),
  }),
);

export const retentionWithdrawalViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    quantity: z.string(),
    unit: z.string(),
    purpose: z.enum(withdrawalPurposes),
    reason: z.string(),
    spotCheckCode: z.string().nullable(),
    withdrawnBy: z.string(),
    withdrawnAt: z.string(),
  }),
);

export const retentionObservationViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    dueOn: z.string(),
    observedOn: z.string(),
    outcome: z.enum(observationOutcomes),
    findings: z.string(),
    storageObserved: z.string().nullable(),
    observedBy: z.string(),
    observedAt: z.string(),
  }),
);

export const retentionDetailSchema = lazySchema(() =>
  z.object({
    sample: z.object({
      code: z.string(),
      lotCode: z.string(),
      productCode: z.string().nullable(),
      lotDate: z.string().nullable(),
      quantity: z.string(),
      unit: z.string(),
      storageLocation: z.string().nullable(),
      keepUntil: z.string().nullable(),
      status: z.string(),
      disposedAt: z.string().nullable(),
    }),
    profile: retentionProfileSchema.nullable(),
    withdrawn: z.string(),
    remaining: z.string(),
    /** Remaining ≥ the profile's required quantity (null when no profile sets one). */
    sufficient: z.boolean().nullable(),
    withdrawals: z.array(retentionWithdrawalViewSchema),
    observations: z.array(retentionObservationViewSchema),
    /** The profile's observations for this sample: due date and, once made, the observation. */
    schedule: z.array(
      z.object({
        dueOn: z.string(),
        observationId: z.string().nullable(),
        outcome: z.enum(observationOutcomes).nullable(),
        overdue: z.boolean(),
      }),
    ),
  }),
);

export const releaseEvidenceChannels = {
  'labels.list': channel({
    input: lazySchema(() => z.object({ productCode: code })),
    output: lazySchema(() =>
      z.object({
        product: z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string(), stage: z.string() }),
        items: z.array(labelValueViewSchema),
        /** Items of the product's specification in force (to pick from), with their unit and basis. */
        specItems: z.array(
          z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string(), unit: z.string(), basis: z.string() }),
        ),
      }),
    ),
    access: 'catalog.read',
    writes: false,
  }),
  /** Records a declared value and its rule; a change of the rule puts it back to unverified. */
  'labels.save': channel({
    input: lazySchema(() =>
      z.object({
        id: z.string().min(1).max(80).optional(),
        productCode: code,
        itemCode: z
          .string()
          .trim()
          .regex(/^[a-z][a-z0-9_]{0,39}$/, { message: 'item_code' }),
        declared: decimalString,
        unit: z.string().trim().max(40),
        basis: z.enum(bases),
        minPct: pct,
        maxPct: pct,
        ruleSource: z.string().trim().min(2).max(400),
        note: z.string().trim().max(1000).nullable().default(null),
        reason: reasonSchema.optional(),
      }),
    ),
    output: labelValueViewSchema,
    access: 'catalog.manage',
    writes: true,
  }),
  'labels.retire': channel({
    input: lazySchema(() => z.object({ id: z.string().min(1).max(80), reason: reasonSchema })),
    output: lazySchema(() => z.object({ ok: z.literal(true) })),
    access: 'catalog.manage',
    writes: true,
  }),
  /** A QA manager confirms a rule against the standard's text, naming the clause checked. */
  'labels.confirmRule': channel({
    input: lazySchema(() => z.object({ id: z.string().min(1).max(80), reference: z.string().trim().min(5).max(400) })),
    output: labelValueViewSchema,
    access: 'specs.approve',
    writes: true,
  }),
  /** A lot's results against the GB limits and the label values, with the margin to each. */
  'labels.compare': channel({
    input: lazySchema(() => z.object({ lotCode: code })),
    output: labelComparisonSchema,
    access: 'lots.read',
    writes: false,
  }),
  'retention.profile.get': channel({
    input: lazySchema(() => z.object({ productCode: code })),
    output: lazySchema(() => retentionProfileSchema.nullable()),
    access: 'samples.read',
    writes: false,
  }),
  'retention.profile.save': channel({
    input: lazySchema(() =>
      z.object({
        productCode: code,
        requiredQuantity: quantity,
        unit: z.enum(quantityUnits),
        basisNote: z.string().trim().min(2).max(400),
        storageConditions: z.string().trim().min(2).max(400),
        observationDays: z.array(z.number().int().min(0).max(3660)).max(24),
        reason: reasonSchema.optional(),
      }),
    ),
    output: retentionProfileSchema,
    access: 'catalog.manage',
    writes: true,
  }),
  'retention.detail': channel({
    input: lazySchema(() => z.object({ code })),
    output: retentionDetailSchema,
    access: 'samples.read',
    writes: false,
  }),
  /** Takes quantity out of a retention sample (never more than remains), with the purpose and reason. */
  'retention.withdraw': channel({
    input: lazySchema(() =>
      z.object({
        code,
        quantity,
        unit: z.enum(quantityUnits),
        purpose: z.enum(withdrawalPurposes),
        reason: reasonSchema,
      }),
    ),
    output: retentionDetailSchema,
    access: 'samples.register',
    writes: true,
  }),
  /** Records a scheduled retention observation (留样观察). */
  'retention.observe': channel({
    input: lazySchema(() =>
      z.object({
        code,
        dueOn: date,
        observedOn: date,
        outcome: z.enum(observationOutcomes),
        findings: z.string().trim().min(2).max(1000),
        storageObserved: z.string().trim().max(200).nullable().default(null),
      }),
    ),
    output: retentionDetailSchema,
    access: 'samples.register',
    writes: true,
  }),
  /** Observations due within the next days (or overdue), across kept retention samples. */
  'retention.observations.due': channel({
    input: lazySchema(() => z.object({ withinDays: z.number().int().min(0).max(366).default(14) })),
    output: lazySchema(() =>
      z.array(
        z.object({
          sampleCode: z.string(),
          lotCode: z.string(),
          productCode: z.string().nullable(),
          dueOn: z.string(),
          overdue: z.boolean(),
          storageLocation: z.string().nullable(),
        }),
      ),
    ),
    access: 'samples.read',
    writes: false,
  }),
} as const;
