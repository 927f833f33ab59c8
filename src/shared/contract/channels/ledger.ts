import { z } from 'zod';
import { channel, lazySchema } from '../define';
import { emptySchema, okSchema, reasonSchema, signatureInputSchema, signatureViewSchema } from '../common';
import { ledgerStateSchema } from './system';

export const findingKinds = [
  'entry_hash_mismatch',
  'chain_break',
  'sequence_gap',
  'checkpoint_signature_invalid',
  'checkpoint_mismatch',
  'unknown_key',
  'tail_truncated',
  'row_modified',
  'row_missing',
  'row_unrecorded',
  'clock_regression',
  'anchor_behind',
  // Issue 18 (docs/ledger.md §3, §5): personal signatures, the signed-change rule table,
  // key enrolment, paper witnesses and the append-only triggers.
  'signature_invalid',
  'signature_missing',
  'signer_not_entitled',
  'key_not_enrolled',
  'witness_mismatch',
  'triggers_missing',
  'correction_mismatch',
] as const;
export type FindingKind = (typeof findingKinds)[number];

export const findingSchema = lazySchema(() =>
  z.object({
    kind: z.enum(findingKinds),
    seq: z.number().int().nullable(),
    entity: z.string().nullable(),
    id: z.string().nullable(),
    detail: z.string(),
  }),
);
export type Finding = z.infer<typeof findingSchema>;

export const verifyReportSchema = lazySchema(() =>
  z.object({
    ok: z.boolean(),
    entries: z.number().int(),
    checkpoints: z.number().int(),
    verified_through: z.number().int(),
    elapsed_ms: z.number(),
    findings: z.array(findingSchema),
    /** Personal signatures checked (after migration 0011). */
    signatures: z.number().int().optional(),
    /** Signatures made before personal keys existed (records without a personal signature; not a finding). */
    legacy_signatures: z.number().int().optional(),
    /** Personal keys registered by `upgrade` (accounts older than migration 0011), listed for the inspector. */
    upgrade_keys: z.array(z.object({ seq: z.number().int(), user: z.string(), key: z.string() })).optional(),
  }),
);
export type VerifyReport = z.infer<typeof verifyReportSchema>;

export const auditEntryViewSchema = lazySchema(() =>
  z.object({
    seq: z.number().int(),
    at: z.string(),
    timeZone: z.string(),
    actorId: z.string(),
    actorName: z.string(),
    workstation: z.string(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string(),
    reason: z.string().nullable(),
    hash: z.string(),
  }),
);
export type AuditEntryView = z.infer<typeof auditEntryViewSchema>;

export const fieldChangeSchema = lazySchema(() =>
  z.object({ field: z.string(), before: z.unknown(), after: z.unknown() }),
);

export const auditFilterSchema = lazySchema(() =>
  z.object({
    entity: z.string().max(60).optional(),
    entityId: z.string().max(200).optional(),
    actorId: z.string().max(60).optional(),
    action: z.string().max(40).optional(),
    from: z.string().max(40).optional(),
    to: z.string().max(40).optional(),
  }),
);
export type AuditFilter = z.infer<typeof auditFilterSchema>;

/** A folder on this workstation given by its full path (an export is written inside it). */
export const exportFolderSchema = lazySchema(() => z.string().trim().min(1).max(1000));

export const exportResultSchema = lazySchema(() =>
  z.object({
    kind: z.enum(['evidence', 'audit_csv']),
    /** The evidence folder or the CSV file written. */
    path: z.string(),
    headSeq: z.number().int(),
    entries: z.number().int(),
    bytes: z.number().int(),
    /** SHA-256 of manifest.json (evidence) or of the CSV file. */
    sha256: z.string(),
    /** LotSeal's own verification of the evidence snapshot (null for a CSV). */
    verification: z.object({ ok: z.boolean(), findings: z.number().int(), kinds: z.array(z.string()) }).nullable(),
  }),
);
export type ExportResult = z.infer<typeof exportResultSchema>;

export const verificationRunSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    startedAt: z.string(),
    finishedAt: z.string(),
    verifiedThrough: z.number().int(),
    entries: z.number().int(),
    findings: z.array(findingSchema),
    reviewed: z.boolean(),
    signatures: z.array(signatureViewSchema),
  }),
);

export const ledgerChannels = {
  'ledger.status': channel({
    input: emptySchema,
    output: ledgerStateSchema,
    access: 'session',
    writes: false,
    passive: true,
  }),
  /** Starts a full verification in a worker; progress arrives as `job.progress`. */
  'ledger.verify': channel({
    input: emptySchema,
    output: lazySchema(() => z.object({ jobId: z.string() })),
    access: 'ledger.verify',
    writes: false,
  }),
  'ledger.lastRun': channel({
    input: emptySchema,
    output: lazySchema(() => verificationRunSchema.nullable()),
    access: 'ledger.read',
    writes: false,
  }),
  /** A QA manager reviews the open findings of a verification run (signature `finding_reviewed`). */
  'ledger.reviewFindings': channel({
    input: lazySchema(() =>
      z.object({ runId: z.string(), explanation: reasonSchema, signature: signatureInputSchema }),
    ),
    output: okSchema,
    access: 'ledger.reviewFinding',
    writes: true,
  }),
  'audit.query': channel({
    input: lazySchema(() =>
      z.object({ filter: auditFilterSchema, offset: z.number().int().min(0), limit: z.number().int().min(1).max(500) }),
    ),
    output: lazySchema(() => z.object({ total: z.number().int(), entries: z.array(auditEntryViewSchema) })),
    access: 'ledger.read',
    writes: false,
  }),
  'audit.entry': channel({
    input: lazySchema(() => z.object({ seq: z.number().int().min(1) })),
    output: lazySchema(() =>
      z.object({
        entry: auditEntryViewSchema,
        before: z.record(z.string(), z.unknown()).nullable(),
        after: z.record(z.string(), z.unknown()),
        changes: z.array(fieldChangeSchema),
        /** For a signature entry: its personal signature checked, the signer's key fingerprint. */
        signature: z
          .object({
            personal: z.enum(['verified', 'legacy', 'invalid']),
            keyFingerprint: z.string().nullable(),
            keyId: z.string().nullable(),
            headSeq: z.number().int().nullable(),
          })
          .optional(),
      }),
    ),
    access: 'ledger.read',
    writes: false,
  }),
  /**
   * The complete audit trail (every entry the filter selects, no cap) streamed to a CSV file
   * in `folder` (default: the data folder's exports/) by a worker; progress as `job.progress`
   * (kind export). The file carries prev, hash, content and checkpoints: checkable with
   * lotseal_verify.py --csv. Recorded in the audit trail when done.
   */
  'audit.exportCsv': channel({
    input: lazySchema(() => z.object({ filter: auditFilterSchema, folder: exportFolderSchema.optional() })),
    output: lazySchema(() => z.object({ jobId: z.string(), file: z.string() })),
    access: 'ledger.export',
    writes: false,
  }),
  /**
   * The evidence folder for an inspector (issue 18 §9): snapshot, keys, anchor, manifest,
   * README and the standalone Python verifier, written by a worker into a new folder inside
   * `folder` (default: the data folder's exports/); progress as `job.progress` (kind export).
   * The manifest's SHA-256 is recorded in the audit trail when done.
   */
  'evidence.export': channel({
    input: lazySchema(() => z.object({ folder: exportFolderSchema.optional() })),
    output: lazySchema(() => z.object({ jobId: z.string(), folder: z.string() })),
    access: 'ledger.export',
    writes: false,
  }),
  /** The outcome of an export job (null while it runs, or for an unknown job). */
  'exports.result': channel({
    input: lazySchema(() => z.object({ jobId: z.string().max(100) })),
    output: lazySchema(() => exportResultSchema.nullable()),
    access: 'ledger.export',
    writes: false,
  }),
  /** Periodic audit-trail review (EU GMP Annex 11 §9), signed `audit_reviewed`, through an entry. */
  'audit.review': channel({
    input: lazySchema(() =>
      z.object({
        throughSeq: z.number().int().min(1),
        filter: auditFilterSchema,
        comment: reasonSchema,
        signature: signatureInputSchema,
      }),
    ),
    output: okSchema,
    access: 'audit.review',
    writes: true,
  }),
  'audit.reviews': channel({
    input: emptySchema,
    output: lazySchema(() =>
      z.array(
        z.object({
          id: z.string(),
          throughSeq: z.number().int(),
          filter: z.string(),
          signatures: z.array(signatureViewSchema),
        }),
      ),
    ),
    access: 'ledger.read',
    writes: false,
  }),
  'signatures.forRecord': channel({
    input: lazySchema(() => z.object({ entity: z.string().max(60), entityId: z.string().max(200) })),
    output: lazySchema(() => z.array(signatureViewSchema)),
    access: 'ledger.read',
    writes: false,
  }),
  'backup.create': channel({
    input: lazySchema(() => z.object({ folder: z.string().max(1000).optional() })),
    output: lazySchema(() => z.object({ jobId: z.string() })),
    access: 'backup.run',
    writes: false,
  }),
  'backup.restore': channel({
    input: lazySchema(() =>
      z.object({ file: z.string().min(1).max(1000), reason: reasonSchema, password: z.string().min(1).max(256) }),
    ),
    output: lazySchema(() => z.object({ jobId: z.string() })),
    access: 'backup.restore',
    writes: true,
  }),
} as const;
