import { z } from 'zod';
import { channel, lazySchema } from '../define';
import { emptySchema } from '../common';

/**
 * The trace of one lot as the UI receives it: the same content as `lotseal trace --json`
 * (../shared/formats/README.md), with quantities as exact decimal strings, plus the
 * consumption edges so the screen can draw the tree and the graph.
 */
const q = lazySchema(() => z.string());

/** The mass-balance lines in the order every screen and document shows them (accounted last). */
export const massBalanceRows = [
  'received_or_produced',
  'consumed',
  'shipped',
  'on_hand',
  'sampled',
  'wasted',
  'returned',
  'adjusted',
  'accounted',
] as const;

export const traceViewSchema = lazySchema(() =>
  z.object({
    root: z.object({ lot: z.string(), kind: z.string(), item_code: z.string(), quantity: q, unit: z.string() }),
    backward: z.array(z.object({ lot: z.string(), kind: z.string(), item_code: z.string(), depth: z.number().int() })),
    forward: z.array(z.object({ lot: z.string(), kind: z.string(), item_code: z.string(), depth: z.number().int() })),
    shipments: z.array(
      z.object({
        shipment: z.string(),
        lot: z.string(),
        customer: z.string(),
        quantity: q,
        unit: z.string(),
        date: z.string(),
      }),
    ),
    customers: z.array(
      z.object({
        customer: z.string(),
        name: z.string().nullable(),
        contact: z.string().nullable(),
        phone: z.string().nullable(),
      }),
    ),
    mass_balance: z.object({
      unit: z.string(),
      received_or_produced: q,
      consumed: q,
      shipped: q,
      on_hand: q,
      sampled: q,
      wasted: q,
      returned: q,
      adjusted: q,
      accounted: q,
      accounted_pct: q,
    }),
    edges: z.array(z.object({ from: z.string(), to: z.string(), quantity: q, unit: z.string() })),
    statuses: z.record(z.string(), z.string()),
    elapsed_ms: z.number(),
  }),
);
export type TraceView = z.infer<typeof traceViewSchema>;

export const importFileKinds = ['suppliers', 'customers', 'lots', 'consumption', 'shipments', 'stock'] as const;

export const importReportSchema = lazySchema(() =>
  z.object({
    ok: z.boolean(),
    dryRun: z.boolean(),
    inserted: z.record(z.string(), z.number().int()),
    unchanged: z.record(z.string(), z.number().int()),
    corrected: z.record(z.string(), z.number().int()).optional(),
    errors: z.array(
      z.object({
        file: z.string(),
        row: z.number().int(),
        column: z.string(),
        message: z.string(),
        code: z.string().optional(),
        /** The values of the message, so the screen can say it in the user's language by `code`. */
        details: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
      }),
    ),
  }),
);
export type ImportReportView = z.infer<typeof importReportSchema>;

export const traceChannels = {
  'trace.run': channel({
    input: lazySchema(() => z.object({ code: z.string().trim().min(1).max(60) })),
    output: traceViewSchema,
    access: 'lots.read',
    writes: false,
  }),
  /**
   * ERP import, step 1: upload the CSV files in chunks (base64 of the raw bytes, so the
   * UTF-8 check sees exactly what the ERP wrote). A new upload starts without uploadId.
   */
  'import.upload': channel({
    input: lazySchema(() =>
      z.object({
        uploadId: z.string().max(80).optional(),
        file: z.enum(importFileKinds),
        fileName: z.string().min(1).max(200),
        chunkBase64: z.string().max(8_000_000),
        final: z.boolean(),
      }),
    ),
    output: lazySchema(() => z.object({ uploadId: z.string(), bytes: z.number().int() })),
    access: 'erp.import',
    writes: false,
  }),
  /** Step 2: validate (dryRun: the preview of what would be added, with every error) or import. */
  'import.start': channel({
    input: lazySchema(() =>
      z.object({
        uploadId: z.string().min(1).max(80),
        dryRun: z.boolean(),
        correctionReason: z.string().trim().min(3).max(1000).optional(),
      }),
    ),
    output: lazySchema(() => z.object({ jobId: z.string() })),
    access: 'erp.import',
    writes: true,
  }),
  'import.result': channel({
    input: lazySchema(() => z.object({ jobId: z.string().min(1).max(80) })),
    output: lazySchema(() =>
      z.object({ done: z.boolean(), report: importReportSchema.nullable(), error: z.string().nullable() }),
    ),
    access: 'erp.import',
    writes: false,
  }),
  /**
   * Whether an import holds the write lock now (every screen shows it; other writers wait), and
   * the go-live date from which LotSeal decides (issue 19 §1; the import screen states it).
   */
  'import.status': channel({
    input: emptySchema,
    output: lazySchema(() => z.object({ running: z.boolean(), goLiveDate: z.string().optional() })),
    access: 'session',
    writes: false,
    passive: true,
  }),
} as const;
