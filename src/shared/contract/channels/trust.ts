import { z } from 'zod';
import { channel, lazySchema } from '../define';
import { okSchema, reasonSchema, signatureInputSchema } from '../common';

/**
 * Trust (issue 18): this workstation's enrolment, the keys on record, a rollback's signed
 * acknowledgement and paper witnesses (docs/ledger.md §3–§5).
 */
export const hostKeyViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    fingerprint: z.string(),
    host: z.string(),
    hostKind: z.string(),
    validFrom: z.string(),
    validTo: z.string().nullable(),
    /** The administrator's `enrolled` signature (null: registered at database creation or before personal keys). */
    enrolledBy: z.string().nullable(),
  }),
);

export const personalKeyViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    userId: z.string(),
    fingerprint: z.string(),
    validFrom: z.string(),
    validTo: z.string().nullable(),
    /** `init`, `upgrade`, or `enrolled` (by an administrator's signature). */
    enrolment: z.enum(['init', 'upgrade', 'enrolled']),
    retiredReason: z.string().nullable(),
  }),
);

export const anchorConflictSchema = lazySchema(() =>
  z.object({
    finding: z.enum(['anchor_behind', 'anchor_differs']),
    anchorSeq: z.number().int(),
    anchorHash: z.string(),
    anchorAt: z.string(),
    dbSeq: z.number().int(),
    dbHash: z.string(),
  }),
);
export type AnchorConflictView = z.infer<typeof anchorConflictSchema>;

export const trustChannels = {
  /** This workstation: its key, whether it is enrolled, and an anchor conflict that blocks writing. */
  'host.status': channel({
    input: lazySchema(() => z.object({}).strict()),
    output: lazySchema(() =>
      z.object({
        host: z.string(),
        hostKind: z.string(),
        keyId: z.string(),
        fingerprint: z.string(),
        enrolled: z.boolean(),
        anchorConflict: anchorConflictSchema.nullable(),
      }),
    ),
    access: 'session',
    writes: false,
    passive: true,
  }),
  /** An administrator enrols this workstation's key (signature `enrolled`, password re-entered). */
  'host.enrol': channel({
    input: lazySchema(() =>
      z.object({ name: z.string().trim().min(1).max(120).optional(), signature: signatureInputSchema }),
    ),
    output: lazySchema(() => z.object({ keyId: z.string(), fingerprint: z.string(), seq: z.number().int() })),
    access: 'settings.manage',
    writes: true,
  }),
  /**
   * An administrator acknowledges that this workstation's anchor was ahead of (or differed from)
   * the database, instead of a restore: the finding is recorded, signed `acknowledged`, and
   * writing resumes on this database as it is.
   */
  'host.acknowledgeRollback': channel({
    input: lazySchema(() => z.object({ reason: reasonSchema, signature: signatureInputSchema })),
    output: okSchema,
    access: 'settings.manage',
    writes: true,
  }),
  /** Host keys and personal keys on record, with fingerprints (for inspectors and administrators). */
  'keys.list': channel({
    input: lazySchema(() => z.object({}).strict()),
    output: lazySchema(() => z.object({ hosts: z.array(hostKeyViewSchema), personal: z.array(personalKeyViewSchema) })),
    access: 'users.read',
    writes: false,
  }),
  /**
   * A paper witness (a COA's or an evidence pack's QR code: `LOTSEAL|COA|lot|seq|hash`, or a
   * bare `seq:hash`): does the chain hold exactly that head at that sequence number?
   */
  'ledger.witness': channel({
    input: lazySchema(() => z.object({ text: z.string().trim().min(3).max(400) })),
    output: lazySchema(() =>
      z.object({
        seq: z.number().int(),
        hash: z.string(),
        /** What the code names besides the head, e.g. `COA` and the lot. */
        source: z.string().nullable(),
        subject: z.string().nullable(),
        holds: z.boolean(),
        /** The hash the chain has at that sequence number (null: the chain ends before it). */
        stored: z.string().nullable(),
        headSeq: z.number().int(),
        /** The last full verification covered this sequence number. */
        verified: z.boolean(),
      }),
    ),
    access: 'ledger.read',
    writes: false,
  }),
} as const;
