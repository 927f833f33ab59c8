import { z } from 'zod';
import { channel, lazySchema } from '../define';
import { reasonSchema, signatureInputSchema, signatureViewSchema } from '../common';
import { quantityUnits } from '../../domain/units';

export const drillModes = ['drill', 'recall'] as const;
export const drillDirections = ['backward', 'forward', 'both'] as const;
export const drillSteps = ['affected_lots', 'stock', 'customers', 'mass_balance', 'documents'] as const;
export const drillStatuses = ['open', 'completed'] as const;
export const contactChannels = ['phone', 'email', 'message', 'visit'] as const;
export const contactOutcomes = [
  'reached',
  'no_answer',
  'left_message',
  'stock_quarantined',
  'stock_returned',
  'refused',
] as const;
/** Product groups of the programme: product stages of finished lots, or lot kinds. */
export const productGroups = [
  'infant',
  'older_infant',
  'young_children',
  'other_dairy',
  'raw_milk',
  'ingredient',
  'packaging',
  'intermediate',
] as const;

const code = lazySchema(() => z.string().trim().min(1).max(60));
const date = lazySchema(() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date_format' }));

export const drillFindingSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    rev: z.number().int(),
    kind: z.string(),
    ref: z.string(),
    detail: z.string(),
    explanation: z.string().nullable(),
  }),
);

export const drillLotSchema = lazySchema(() =>
  z.object({
    lot: z.string(),
    direction: z.enum(['root', 'backward', 'forward']),
    depth: z.number().int(),
    kind: z.string().nullable(),
    itemCode: z.string().nullable(),
    status: z.string().nullable(),
    remaining: z.string().nullable(),
    unit: z.string().nullable(),
    location: z.string().nullable(),
    shipped: z.boolean(),
    /** Under a hold (nothing of it may be shipped or used). */
    held: z.boolean().optional(),
    /** A recall's hold reaches it: root or forward, stock left (shipped before or not), not rejected or held already. */
    holdable: z.boolean().optional(),
  }),
);

export const drillViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    code: z.string(),
    mode: z.enum(drillModes),
    rootLot: z.string(),
    direction: z.enum(drillDirections),
    selection: z.enum(['typed', 'scanned', 'random']),
    selectionCriteria: z.record(z.string(), z.string()).nullable(),
    reason: z.string().nullable(),
    startedAt: z.string(),
    startedBy: z.string(),
    targetMinutes: z.number().int(),
    toleranceMin: z.string(),
    toleranceMax: z.string(),
    status: z.enum(drillStatuses),
    completedAt: z.string().nullable(),
    completedBy: z.string().nullable(),
    /** Elapsed so far (open) or at completion, in ms. */
    elapsedMs: z.number().int(),
    withinTarget: z.boolean(),
    accountedPct: z.string().nullable(),
    withinTolerance: z.boolean().nullable(),
    findings: z.number().int(),
  }),
);
export type DrillView = z.infer<typeof drillViewSchema>;

export const drillDetailSchema = lazySchema(() =>
  z.object({
    drill: drillViewSchema,
    steps: z.array(
      z.object({
        step: z.enum(drillSteps),
        doneAt: z.string(),
        doneBy: z.string(),
        summary: z.record(z.string(), z.unknown()),
      }),
    ),
    lots: z.array(drillLotSchema),
    customers: z.array(
      z.object({
        code: z.string(),
        name: z.string().nullable(),
        contact: z.string().nullable(),
        phone: z.string().nullable(),
        shipments: z.array(
          z.object({ shipment: z.string(), lot: z.string(), quantity: z.string(), unit: z.string(), date: z.string() }),
        ),
        contacts: z.array(
          z.object({
            at: z.string(),
            by: z.string(),
            channel: z.enum(contactChannels),
            outcome: z.enum(contactOutcomes),
            note: z.string().nullable(),
          }),
        ),
        returned: z.array(
          z.object({
            lot: z.string(),
            quantity: z.string(),
            unit: z.string(),
            date: z.string(),
            /** The shipment the return came back against (issue 19 §2). */
            shipment: z.string().optional(),
          }),
        ),
        /** At least one contact with the customer was logged in this recall. */
        contacted: z.boolean().optional(),
        /** Per shipment line: shipped, returned (against it, any recall) and still at the customer, in the shipment's unit. */
        lines: z
          .array(
            z.object({
              shipment: z.string(),
              lot: z.string(),
              unit: z.string(),
              shipped: z.string(),
              returned: z.string(),
              outstanding: z.string(),
            }),
          )
          .optional(),
      }),
    ),
    massBalance: z.record(z.string(), z.string().nullable()).nullable(),
    /** Records behind the trace; `label` is language-neutral, a decision names its signature meaning. */
    documents: z.array(
      z.object({ kind: z.string(), ref: z.string(), label: z.string(), meaning: z.string().optional() }),
    ),
    findings: z.array(drillFindingSchema),
    signatures: z.array(signatureViewSchema),
  }),
);

export const recallChannels = {
  /**
   * Starts a drill (or a real recall) from a lot — typed, scanned, or picked at random among
   * lots of a product group and period (unannounced drills). The clock starts now.
   */
  'drills.start': channel({
    input: lazySchema(() =>
      z.object({
        mode: z.enum(drillModes).default('drill'),
        lotCode: code.optional(),
        scanned: z.boolean().default(false),
        random: z.object({ productGroup: z.enum(productGroups), from: date, to: date }).optional(),
        direction: z.enum(drillDirections).default('both'),
        targetMinutes: z
          .number()
          .int()
          .min(5)
          .max(24 * 60)
          .default(240),
        toleranceMin: z
          .string()
          .regex(/^\d+(\.\d+)?$/, { message: 'decimal_string' })
          .default('95'),
        toleranceMax: z
          .string()
          .regex(/^\d+(\.\d+)?$/, { message: 'decimal_string' })
          .default('100'),
        reason: reasonSchema.optional(),
        planId: z.string().max(80).optional(),
      }),
    ),
    output: drillDetailSchema,
    access: 'lots.decide',
    writes: true,
  }),
  'drills.list': channel({
    input: lazySchema(() =>
      z.object({
        mode: z.enum(drillModes).optional(),
        status: z.enum(drillStatuses).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    ),
    output: lazySchema(() => z.object({ total: z.number().int(), drills: z.array(drillViewSchema) })),
    access: 'lots.read',
    writes: false,
  }),
  'drills.get': channel({
    input: lazySchema(() => z.object({ code })),
    output: drillDetailSchema,
    access: 'lots.read',
    writes: false,
  }),
  /** Runs one step from the records and records it with who and when; findings are listed as they appear. */
  'drills.step': channel({
    input: lazySchema(() => z.object({ code, step: z.enum(drillSteps) })),
    output: drillDetailSchema,
    access: 'lots.decide',
    writes: true,
  }),
  /** A finding's explanation (or a finding a person adds). */
  'drills.finding': channel({
    input: lazySchema(() =>
      z.object({
        code,
        findingId: z.string().max(80).optional(),
        /** Apply the explanation to every unexplained finding of the same kind. */
        sameKind: z.boolean().default(false),
        kind: z.string().trim().min(1).max(40).default('manual'),
        ref: z.string().trim().max(80).default(''),
        detail: z.string().trim().max(1000).default(''),
        explanation: z.string().trim().min(3).max(2000),
      }),
    ),
    output: drillDetailSchema,
    access: 'lots.decide',
    writes: true,
  }),
  /** The QA manager completes the drill with a signature (`drill_completed`); it never changes again. */
  'drills.complete': channel({
    input: lazySchema(() => z.object({ code, signature: signatureInputSchema })),
    output: drillDetailSchema,
    access: 'lots.decide',
    writes: true,
  }),
  /** The evidence pack: PDF (recorded) and the same data as CSV (one row per affected lot and shipment). */
  'drills.evidence': channel({
    input: lazySchema(() => z.object({ code, locale: z.enum(['en', 'zh-CN']) })),
    output: lazySchema(() =>
      z.object({
        documentId: z.string(),
        fileName: z.string(),
        base64: z.string(),
        sha256: z.string(),
        csv: z.string(),
        csvFileName: z.string(),
      }),
    ),
    access: 'lots.decide',
    writes: true,
  }),
  /**
   * The evidence files of `lotseal drill` (JSON, CSV and the HTML pack in zh-CN, stamped with the
   * ledger's head): read only, nothing recorded. The command writes them where it runs, also
   * through a site server.
   */
  'drills.evidenceFiles': channel({
    input: lazySchema(() => z.object({ code })),
    output: lazySchema(() => z.object({ code: z.string(), json: z.string(), csv: z.string(), html: z.string() })),
    access: 'lots.decide',
    writes: false,
  }),
  'drills.plan': channel({
    input: lazySchema(() => z.object({ year: z.number().int().min(2000).max(2100) })),
    output: lazySchema(() =>
      z.object({
        entries: z.array(
          z.object({
            id: z.string(),
            productGroup: z.enum(productGroups),
            direction: z.enum(drillDirections),
            dueOn: z.string(),
            drillCode: z.string().nullable(),
            overdue: z.boolean(),
          }),
        ),
        /** Product groups × directions with no drill planned or done this year. */
        uncovered: z.array(
          z.object({ productGroup: z.enum(productGroups), direction: z.enum(['backward', 'forward']) }),
        ),
      }),
    ),
    access: 'lots.read',
    writes: false,
  }),
  'drills.plan.save': channel({
    input: lazySchema(() =>
      z.object({
        year: z.number().int().min(2000).max(2100),
        productGroup: z.enum(productGroups),
        direction: z.enum(drillDirections),
        dueOn: date,
        reason: reasonSchema.optional(),
      }),
    ),
    output: lazySchema(() => z.object({ ok: z.literal(true) })),
    access: 'lots.decide',
    writes: true,
  }),
  /** KPIs of completed drills: time to complete, accounted %, findings; per year. */
  'drills.kpis': channel({
    input: lazySchema(() => z.object({ mode: z.enum(drillModes).default('drill') })),
    output: lazySchema(() =>
      z.object({
        drills: z.array(
          z.object({
            code: z.string(),
            completedAt: z.string(),
            minutes: z.number(),
            accountedPct: z.string().nullable(),
            findings: z.number().int(),
            withinTarget: z.boolean(),
          }),
        ),
        years: z.array(
          z.object({
            year: z.number().int(),
            drills: z.number().int(),
            medianMinutes: z.number().nullable(),
            withinTarget: z.number().int(),
            findings: z.number().int(),
          }),
        ),
      }),
    ),
    access: 'lots.read',
    writes: false,
  }),
  /** Real recall: one signed action (`held`) holding the root and every forward lot with stock left, shipped before or not. */
  'recalls.hold': channel({
    input: lazySchema(() => z.object({ code, reason: reasonSchema, signature: signatureInputSchema })),
    output: lazySchema(() => z.object({ held: z.array(z.string()), detail: drillDetailSchema })),
    access: 'lots.decide',
    writes: true,
  }),
  'recalls.contact': channel({
    input: lazySchema(() =>
      z.object({
        code,
        customerCode: code,
        channel: z.enum(contactChannels),
        outcome: z.enum(contactOutcomes),
        note: z.string().trim().max(1000).optional(),
      }),
    ),
    output: drillDetailSchema,
    access: 'lots.decide',
    writes: true,
  }),
  /**
   * Quantities recovered from a customer: a return (stock movement) of the lot tied to the
   * shipment, the customer and the recall, at most what that shipment delivered less what came
   * back already. `shipmentCode` names the shipment when the customer had several of the lot.
   */
  'recalls.return': channel({
    input: lazySchema(() =>
      z.object({
        code,
        customerCode: code,
        lotCode: code,
        shipmentCode: code.optional(),
        quantity: z
          .string()
          .trim()
          .regex(/^\d+(\.\d+)?$/, { message: 'quantity_format' }),
        unit: z.enum(quantityUnits),
        date,
        note: z.string().trim().max(1000).optional(),
      }),
    ),
    output: drillDetailSchema,
    access: 'lots.decide',
    writes: true,
  }),
  /** The trace of a lot as GS1 EPCIS 2.0 JSON-LD (receiving and shipping ObjectEvents, batching TransformationEvents). */
  'trace.epcis': channel({
    input: lazySchema(() => z.object({ lotCode: code })),
    output: lazySchema(() => z.object({ fileName: z.string(), json: z.string(), events: z.number().int() })),
    access: 'lots.read',
    writes: false,
  }),
} as const;
