import { z } from 'zod';
import { channel, lazySchema } from '../define';
import { reasonSchema, signatureInputSchema, signatureViewSchema } from '../common';
import { quantityUnits } from '../../domain/units';

export const lotKinds = ['raw_milk', 'ingredient', 'packaging', 'intermediate', 'finished'] as const;
export const lotStatuses = ['quarantine', 'accepted', 'on_hold', 'released', 'rejected'] as const;
export const receivedKinds = ['raw_milk', 'ingredient', 'packaging'] as const;
export const stockMovements = ['on_hand', 'sample', 'waste', 'return', 'adjustment'] as const;
export const lotDecisions = ['accept', 'release', 'hold', 'reject', 'release_from_hold'] as const;

const quantity = lazySchema(() =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, { message: 'quantity_format' }),
);
const signedQuantity = lazySchema(() =>
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, { message: 'quantity_format' }),
);
const unit = lazySchema(() => z.enum(quantityUnits));
const date = lazySchema(() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date_format' }));
/** An optional manual lot code (supplier lots); otherwise the plant's pattern generates one. */
const lotCode = lazySchema(() =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,59}$/, { message: 'lot_code_format' }),
);
/** Temperature in °C as a decimal string; plausibility is checked by the service. */
const temperature = lazySchema(() =>
  z
    .string()
    .trim()
    .regex(/^-?\d{1,3}(\.\d{1,2})?$/, { message: 'temperature_format' }),
);

export const lotViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    /** The record's revision: what a decision names as the state it saw (D-097). */
    rev: z.number().int(),
    code: z.string(),
    kind: z.enum(lotKinds),
    itemCode: z.string(),
    itemName: z.string(),
    quantity: z.string(),
    unit: z.string(),
    date: z.string(),
    supplierCode: z.string().nullable(),
    supplierLot: z.string().nullable(),
    expiryDate: z.string().nullable(),
    location: z.string().nullable(),
    status: z.enum(lotStatuses),
    origin: z.string(),
    /** Quantity not yet consumed, shipped or otherwise accounted, in the lot's unit. */
    remaining: z.string(),
    /**
     * What stands behind the status (issue 19 §9): `signed` (a valid signed decision), `history`
     * (dated before the go-live date, the ERP's status), `unsigned` (a positive status without a
     * signed decision on a live lot), `broken` (the latest decision's signature no longer matches
     * the lot), `pending` (awaiting a decision, or on hold / rejected).
     */
    decision: z
      .object({
        standing: z.enum(['signed', 'history', 'unsigned', 'broken', 'pending']),
        meaning: z.string().nullable(),
        signedBy: z.string().nullable(),
        signedAt: z.string().nullable(),
      })
      .optional(),
    /** Under a hold: nothing of it may be shipped or consumed until it is released from hold. */
    held: z.boolean().optional(),
    /** Open recalls that cover the lot (its root or a lot made from it). */
    recalls: z.array(z.string()).optional(),
  }),
);
export type LotView = z.infer<typeof lotViewSchema>;

export const movementViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    type: z.enum(['consumed_into', 'made_from', 'shipment', 'on_hand', 'sample', 'waste', 'return', 'adjustment']),
    otherLot: z.string().nullable(),
    customer: z.string().nullable(),
    reference: z.string().nullable(),
    quantity: z.string(),
    unit: z.string(),
    date: z.string(),
    reason: z.string().nullable(),
  }),
);

export const lotDetailSchema = lazySchema(() =>
  z.object({
    lot: lotViewSchema,
    receipt: z.record(z.string(), z.unknown()).nullable(),
    batch: z.object({ id: z.string(), code: z.string(), line: z.string(), status: z.string() }).nullable(),
    movements: z.array(movementViewSchema),
    signatures: z.array(signatureViewSchema),
    /** Decisions this user may take now (the server still checks). */
    allowedDecisions: z.array(z.enum(lotDecisions)),
  }),
);

export const batchViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    code: z.string(),
    line: z.string(),
    status: z.enum(['open', 'closed']),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    output: lotViewSchema,
    inputs: z.array(
      z.object({
        consumptionId: z.string(),
        lot: z.string(),
        kind: z.string(),
        itemCode: z.string(),
        quantity: z.string(),
        unit: z.string(),
        overridden: z.boolean(),
      }),
    ),
  }),
);
export type BatchView = z.infer<typeof batchViewSchema>;

/** A QA manager's signed exception, given at the terminal where the action is recorded. */
export const overrideSchema = lazySchema(() =>
  z.object({
    signerId: z.string().trim().min(1).max(40),
    reason: reasonSchema,
    signature: signatureInputSchema,
  }),
);

const listInput = lazySchema(() =>
  z.object({
    kind: z.enum(lotKinds).optional(),
    status: z.enum(lotStatuses).optional(),
    search: z.string().trim().max(100).optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(100),
  }),
);

export const lotsChannels = {
  'lots.list': channel({
    input: listInput,
    output: lazySchema(() => z.object({ total: z.number().int(), lots: z.array(lotViewSchema) })),
    access: 'lots.read',
    writes: false,
  }),
  'lots.get': channel({
    input: lazySchema(() => z.object({ code: z.string().min(1).max(60) })),
    output: lotDetailSchema,
    access: 'lots.read',
    writes: false,
  }),
  /** An ingredient or packaging delivery: the lot starts in quarantine. */
  'lots.receive': channel({
    input: lazySchema(() =>
      z.object({
        kind: z.enum(['ingredient', 'packaging']),
        materialCode: z.string().min(1).max(60),
        supplierCode: z.string().min(1).max(60),
        supplierLot: z.string().trim().min(1).max(60),
        lotCode: lotCode.optional(),
        quantity,
        unit,
        containers: z.number().int().min(1).max(100000),
        condition: z.enum(['intact', 'damaged', 'wet', 'contaminated']),
        temperature: temperature.optional(),
        expiryDate: date.optional(),
        location: z.string().trim().max(60).optional(),
        note: z.string().trim().max(1000).optional(),
        coa: z.object({ fileName: z.string().min(1).max(200), base64: z.string().min(1).max(14_000_000) }).optional(),
      }),
    ),
    output: lotViewSchema,
    access: 'lots.record',
    writes: true,
  }),
  /** A raw milk tanker: compartments and seals, temperature at receipt; the lot starts in quarantine. */
  'lots.receiveTanker': channel({
    input: lazySchema(() =>
      z.object({
        supplierCode: z.string().min(1).max(60),
        farms: z.array(z.string().trim().min(1).max(80)).min(1).max(50),
        vehicle: z.string().trim().min(1).max(30),
        compartments: z
          .array(
            z.object({
              no: z.number().int().min(1).max(20),
              seal: z.string().trim().min(1).max(40),
              sealIntact: z.boolean(),
            }),
          )
          .min(1)
          .max(20),
        lotCode: lotCode.optional(),
        quantity,
        unit: z.enum(['kg', 'L', 't']),
        temperature,
        receivedAt: z.string().max(40).optional(),
        note: z.string().trim().max(1000).optional(),
      }),
    ),
    output: lotViewSchema,
    access: 'lots.record',
    writes: true,
  }),
  /** A QA manager's status decision, signed (accepted, released, held, rejected). */
  'lots.decide': channel({
    input: lazySchema(() =>
      z.object({
        code: z.string().min(1).max(60),
        decision: z.enum(lotDecisions),
        reason: reasonSchema,
        signature: signatureInputSchema,
        /** The lot's revision the decider saw: a lot changed since is refused (errors.record_changed, D-097). */
        expectedRev: z.number().int().optional(),
      }),
    ),
    output: lotViewSchema,
    access: 'lots.decide',
    writes: true,
  }),
  'batches.list': channel({
    input: lazySchema(() => z.object({ status: z.enum(['open', 'closed']).optional() })),
    output: lazySchema(() => z.array(batchViewSchema)),
    access: 'lots.read',
    writes: false,
  }),
  /** Starts a production batch (投料) on a line and names the lot it will produce. */
  'batches.start': channel({
    input: lazySchema(() =>
      z.object({
        line: z.string().trim().min(1).max(40),
        outputKind: z.enum(['intermediate', 'finished']),
        itemCode: z.string().min(1).max(60),
        outputLotCode: lotCode.optional(),
        unit,
        expiryDate: date.optional(),
        note: z.string().trim().max(1000).optional(),
      }),
    ),
    output: batchViewSchema,
    access: 'lots.record',
    writes: true,
  }),
  /** Records a lot consumed by an open batch (scan or pick). */
  'batches.consume': channel({
    input: lazySchema(() =>
      z.object({
        batchId: z.string().min(1).max(80),
        inputLot: z.string().min(1).max(60),
        quantity,
        unit,
        override: overrideSchema.optional(),
      }),
    ),
    output: batchViewSchema,
    access: 'lots.record',
    writes: true,
  }),
  /** Ends the batch with the quantity produced; the output lot waits on hold for release. */
  'batches.finish': channel({
    input: lazySchema(() =>
      z.object({ batchId: z.string().min(1).max(80), quantity, location: z.string().trim().max(60).optional() }),
    ),
    output: batchViewSchema,
    access: 'lots.record',
    writes: true,
  }),
  'shipments.create': channel({
    input: lazySchema(() =>
      z.object({
        shipmentCode: z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,59}$/),
        customerCode: z.string().min(1).max(60),
        date,
        lines: z
          .array(z.object({ lotCode: z.string().min(1).max(60), quantity, unit }))
          .min(1)
          .max(200),
        override: overrideSchema.optional(),
      }),
    ),
    output: lazySchema(() => z.object({ shipmentCode: z.string(), lines: z.number().int() })),
    access: 'lots.record',
    writes: true,
  }),
  /** Stock counts, samples taken, waste, customer returns, adjustments (signed, with a reason). */
  'stock.record': channel({
    input: lazySchema(() =>
      z.object({
        lotCode: z.string().min(1).max(60),
        movement: z.enum(stockMovements),
        quantity: signedQuantity,
        unit,
        date,
        location: z.string().trim().max(60).optional(),
        reason: reasonSchema.optional(),
      }),
    ),
    output: lotViewSchema,
    access: 'lots.record',
    writes: true,
  }),
} as const;
