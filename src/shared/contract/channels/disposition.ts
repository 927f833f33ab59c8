import { z } from 'zod';
import { channel, lazySchema } from '../define';
import { reasonSchema, signatureInputSchema, signatureViewSchema } from '../common';
import { exceptionKinds } from '../../rules/audit-exceptions';

/** Readiness lines (issue 11 §1), in the order the checklist shows them. */
export const readinessKeys = [
  'specification',
  'results_complete',
  'within_spec',
  'micro',
  'instruments',
  'production',
  'inputs',
  'retention',
  'environment',
  'recall',
  'signature',
  'audit_review',
  'ledger',
  'inspection',
  'intake',
  'label_values',
] as const;
export type ReadinessKey = (typeof readinessKeys)[number];
export const dispositionDecisions = ['release', 'accept', 'hold', 'reject', 'release_from_hold'] as const;

const code = lazySchema(() => z.string().trim().min(1).max(60));

export const evidenceSchema = lazySchema(() =>
  z.object({
    /** What the evidence is: a page the UI can open. */
    kind: z.enum([
      'lot',
      'sample',
      'result',
      'oos',
      'instrument',
      'capture',
      'env_alert',
      'audit',
      'verification',
      'intake',
      'spec',
      'recall',
    ]),
    ref: z.string(),
    label: z.string(),
    /** Why this piece matters for the line (e.g. "missing", "failed", "on hold"). */
    note: z.string().nullable(),
    /**
     * The label and the note as words for the reader (D-089): a catalogue key under
     * `disposition.evidenceText.*` / `disposition.notes.*` with its parameters, translated at display.
     * Parameters named `kind` (a lot's kind) and `unit` are codes the screen translates too.
     * `label` and `note` above stay for the clients that print them as they are.
     */
    labelText: z.object({ key: z.string(), params: z.record(z.string(), z.string()) }).optional(),
    noteText: z.object({ key: z.string(), params: z.record(z.string(), z.string()) }).optional(),
  }),
);

export const readinessLineSchema = lazySchema(() =>
  z.object({
    key: z.enum(readinessKeys),
    ok: z.boolean(),
    /** i18n key of the explanation (disposition.line.<key>.ok / .fail) with details. */
    details: z.record(z.string(), z.string()),
    evidence: z.array(evidenceSchema),
  }),
);

export const readinessSchema = lazySchema(() =>
  z.object({
    lotCode: z.string(),
    lotKind: z.string(),
    lotStatus: z.string(),
    itemCode: z.string(),
    itemName: z.string(),
    /** IMF finished lots (GB 10765/10766/10767): release is refused while a line fails; no override. */
    imf: z.boolean(),
    lines: z.array(readinessLineSchema),
    ready: z.boolean(),
    allowedDecisions: z.array(z.enum(dispositionDecisions)),
    /** The lot's revision when the checklist was evaluated (disposition.decide's expectedRev, D-097). */
    lotRev: z.number().int().optional(),
    /** The checklist as shown (readinessBasis): disposition.decide's expectedBasis (D-110). */
    basis: z.string().optional(),
  }),
);
export type Readiness = z.infer<typeof readinessSchema>;

export const forwardSchema = lazySchema(() =>
  z.object({
    /**
     * Forward lots (made from this one, at any depth) with stock left, shipped before or not: a
     * hold reaches them (issue 19 §2; the name is kept for the published contract).
     */
    unshipped: z.array(
      z.object({
        lot: z.string(),
        itemCode: z.string().nullable(),
        status: z.string().nullable(),
        depth: z.number().int(),
        holdable: z.boolean(),
        /** Stock left, in the lot's unit. */
        remaining: z.string().optional(),
        unit: z.string().optional(),
      }),
    ),
    /** Forward lots (and the lot itself) already shipped, with their customers: the start of a recall. */
    shipped: z.array(
      z.object({
        lot: z.string(),
        customers: z.array(
          z.object({
            code: z.string(),
            name: z.string().nullable(),
            contact: z.string().nullable(),
            phone: z.string().nullable(),
            quantity: z.string(),
            unit: z.string(),
          }),
        ),
      }),
    ),
  }),
);

/** A record named as people name it (issue 22 §5): lot, sample, item with its names; never an id. */
export const businessKeysSchema = lazySchema(() =>
  z.object({
    lot: z.string().nullable(),
    sample: z.string().nullable(),
    itemCode: z.string().nullable(),
    itemZh: z.string().nullable(),
    itemEn: z.string().nullable(),
  }),
);

/** One exception of a lot's audit trail (src/shared/rules/audit-exceptions.ts). */
export const auditExceptionSchema = lazySchema(() =>
  z.object({
    kind: z.enum(exceptionKinds),
    seq: z.number().int(),
    at: z.string(),
    actorName: z.string(),
    entity: z.string(),
    keys: businessKeysSchema,
    field: z.string().nullable(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    reason: z.string().nullable(),
    detail: z.string().nullable(),
  }),
);

/** The summary of exceptions among a lot's audit entries not yet reviewed; its hash is what a review signs. */
export const auditSummarySchema = lazySchema(() =>
  z.object({
    lotCode: z.string(),
    throughSeq: z.number().int(),
    entries: z.number().int(),
    counts: z.record(z.enum(exceptionKinds), z.number().int()),
    exceptions: z.array(auditExceptionSchema),
    hash: z.string(),
  }),
);
export type AuditSummaryView = z.infer<typeof auditSummarySchema>;

export const auditScopeEntrySchema = lazySchema(() =>
  z.object({
    seq: z.number().int(),
    at: z.string(),
    actorId: z.string(),
    actorName: z.string(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string(),
    reason: z.string().nullable(),
    /** Changed fields (previous → new), for the reviewer. */
    changes: z.array(z.object({ field: z.string(), from: z.string().nullable(), to: z.string().nullable() })),
    /** Not yet covered by a signed audit review. */
    unreviewed: z.boolean(),
    /** The record's business keys (lot, sample, item). */
    keys: businessKeysSchema,
  }),
);

const documentOut = lazySchema(() =>
  z.object({
    documentId: z.string().nullable(),
    fileName: z.string(),
    base64: z.string(),
    sha256: z.string(),
    reprint: z.boolean(),
  }),
);

/** A signer as a certificate prints them: printed name and time, never a user id or a comment. */
const coaSignerSchema = lazySchema(() => z.object({ printedName: z.string(), signedAt: z.string() }));
/** 检验 / 审核 / 批准 as the certificate just issued prints them (the screen shows the same lines). */
export const coaSignersSchema = lazySchema(() =>
  z.object({
    tested: z.array(coaSignerSchema),
    reviewed: z.array(coaSignerSchema),
    approved: z.array(coaSignerSchema),
  }),
);
export type CoaSigners = z.infer<typeof coaSignersSchema>;

export const dispositionChannels = {
  /** The release queue: finished lots awaiting a decision (ready, or blocked and why) and lots on hold. */
  'disposition.queue': channel({
    input: lazySchema(() => z.object({ limit: z.number().int().min(1).max(500).default(200) })),
    output: lazySchema(() =>
      z.object({
        lots: z.array(
          z.object({
            lotCode: z.string(),
            itemCode: z.string(),
            itemName: z.string(),
            date: z.string(),
            status: z.string(),
            ready: z.boolean(),
            failing: z.array(z.enum(readinessKeys)),
            heldFor: z.string().nullable(),
          }),
        ),
      }),
    ),
    access: 'lots.read',
    writes: false,
  }),
  'disposition.readiness': channel({
    input: lazySchema(() => z.object({ lotCode: code })),
    output: readinessSchema,
    access: 'lots.read',
    writes: false,
  }),
  /** Exactly the audit entries of the lot's records, those not yet reviewed marked. */
  'disposition.auditEntries': channel({
    input: lazySchema(() => z.object({ lotCode: code, onlyUnreviewed: z.boolean().default(false) })),
    output: lazySchema(() =>
      z.object({
        entries: z.array(auditScopeEntrySchema),
        lastReview: z
          .object({
            throughSeq: z.number().int(),
            reviewedBy: z.string(),
            reviewedAt: z.string(),
            comment: z.string(),
            /** The summary of exceptions the review attested (null: a review before migration 0018). */
            summaryHash: z.string().nullable(),
          })
          .nullable(),
        headSeq: z.number().int(),
      }),
    ),
    access: 'lots.read',
    writes: false,
  }),
  /** The QA manager's signed review (`audit_reviewed`) of the lot's audit trail up to `throughSeq`. */
  'disposition.auditReview': channel({
    input: lazySchema(() =>
      z.object({
        lotCode: code,
        throughSeq: z.number().int().min(0),
        comment: z.string().trim().min(3).max(2000),
        signature: signatureInputSchema,
        /** The hash of the summary of exceptions read (disposition.auditSummary): a changed summary is refused. */
        summaryHash: z
          .string()
          .regex(/^[0-9a-f]{64}$/)
          .optional(),
      }),
    ),
    output: lazySchema(() => z.object({ ok: z.literal(true) })),
    access: 'audit.review',
    writes: true,
  }),
  /** The summary of exceptions among the lot's audit entries not yet reviewed, read first in a review (issue 22 §5). */
  'disposition.auditSummary': channel({
    input: lazySchema(() => z.object({ lotCode: code })),
    output: auditSummarySchema,
    access: 'lots.read',
    writes: false,
  }),
  /** What a hold would reach: forward lots not shipped, and those shipped with their customers. */
  'disposition.forward': channel({
    input: lazySchema(() => z.object({ lotCode: code })),
    output: forwardSchema,
    access: 'lots.read',
    writes: false,
  }),
  /**
   * A signed decision: release (`released`, refused while a readiness line fails), accept
   * (ingredients, packaging), hold (`held`, reason; optionally every unshipped forward lot in
   * the same signed action), reject (`rejected`, reason), release from hold (with the
   * resolution; readiness again).
   */
  'disposition.decide': channel({
    input: lazySchema(() =>
      z.object({
        lotCode: code,
        decision: z.enum(dispositionDecisions),
        reason: reasonSchema,
        propagate: z.boolean().default(false),
        signature: signatureInputSchema,
        /** The lot's revision the decider saw: a lot changed since is refused (errors.record_changed, D-097). */
        expectedRev: z.number().int().optional(),
        /**
         * The checklist the decider saw (`basis` of disposition.readiness): a checklist that changed
         * since (a result corrected, an alert raised…) is refused inside the write with
         * errors.readiness_changed and the checklist as it stands (D-110).
         */
        expectedBasis: z.string().max(64).optional(),
      }),
    ),
    output: lazySchema(() =>
      z.object({
        readiness: readinessSchema,
        held: z.array(z.string()),
        forward: forwardSchema.nullable(),
        signatures: z.array(signatureViewSchema),
      }),
    ),
    access: 'lots.hold',
    writes: true,
  }),
  /** The certificate of analysis of a released finished lot (recorded; a second print is a reprint). */
  'disposition.coa': channel({
    input: lazySchema(() => z.object({ lotCode: code, locale: z.enum(['en', 'zh-CN']) })),
    output: lazySchema(() => documentOut.extend({ signers: coaSignersSchema })),
    access: 'lots.decide',
    writes: true,
  }),
  /** Everything about a lot in one PDF, for a QA review or an inspector (not recorded: it changes nothing). */
  'disposition.dossier': channel({
    input: lazySchema(() => z.object({ lotCode: code, locale: z.enum(['en', 'zh-CN']) })),
    output: documentOut,
    access: 'lots.read',
    writes: false,
  }),
} as const;
