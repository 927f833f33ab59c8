import { z } from 'zod';
import { channel, event, lazySchema } from '../define';
import { appErrorSchema, emptySchema, passwordSchema, printedNameSchema, userIdSchema } from '../common';

export const ledgerStateSchema = lazySchema(() =>
  z.object({
    /** ok: verified with no open finding; findings: open findings block release; unverified: no full run yet. */
    state: z.enum(['ok', 'findings', 'unverified', 'verifying']),
    headSeq: z.number().int(),
    headHash: z.string(),
    verifiedThrough: z.number().int().nullable(),
    verifiedAt: z.string().nullable(),
    openFindings: z.number().int(),
    anchorBehind: z.boolean(),
    clockBehindLedger: z.boolean(),
    /**
     * This workstation's anchor is ahead of (or differs from) the database: nothing is written
     * until a restore or an administrator's signed acknowledgement (docs/ledger.md §4).
     */
    blocked: z
      .object({
        finding: z.enum(['anchor_behind', 'anchor_differs']),
        anchorSeq: z.number().int(),
        anchorAt: z.string(),
        dbSeq: z.number().int(),
      })
      .nullable()
      .optional(),
  }),
);
export type LedgerState = z.infer<typeof ledgerStateSchema>;

export const systemChannels = {
  /** Before sign-in: is there a database, which workstation and key is this. */
  'app.status': channel({
    input: emptySchema,
    output: lazySchema(() =>
      z.object({
        initialized: z.boolean(),
        version: z.string(),
        host: z.string(),
        keyFingerprint: z.string().nullable(),
        workstationRegistered: z.boolean(),
        databaseId: z.string().nullable(),
        ledger: ledgerStateSchema.nullable(),
        /** Why the database could not be opened (altered migration record, newer database…). */
        error: appErrorSchema.nullable(),
      }),
    ),
    access: 'public',
    writes: false,
    passive: true,
  }),
  /** The connection's language, for messages produced in main (validation errors). */
  'app.setLocale': channel({
    input: lazySchema(() => z.object({ locale: z.enum(['en', 'zh-CN']) })),
    output: lazySchema(() => z.object({ ok: z.literal(true) })),
    access: 'public',
    writes: false,
    passive: true,
  }),
  /** First run: creates the database and the first administrator; returns the one-time recovery code. */
  'app.setup': channel({
    input: lazySchema(() =>
      z.object({ userId: userIdSchema, printedName: printedNameSchema, password: passwordSchema }),
    ),
    output: lazySchema(() => z.object({ recoveryCode: z.string(), userId: z.string() })),
    access: 'public',
    writes: true,
  }),
} as const;

export const jobProgressSchema = lazySchema(() =>
  z.object({
    jobId: z.string(),
    kind: z.enum(['verify', 'backup', 'restore', 'import', 'report', 'export']),
    phase: z.string(),
    done: z.number(),
    total: z.number(),
    finished: z.boolean(),
    error: z.string().nullable(),
  }),
);
export type JobProgress = z.infer<typeof jobProgressSchema>;

export const systemEvents = {
  'job.progress': event({ payload: jobProgressSchema, access: 'session' }),
  'ledger.changed': event({ payload: ledgerStateSchema, access: 'session' }),
  /** The session changed without the renderer asking (idle lock, signed out elsewhere). */
  'session.changed': event({
    payload: lazySchema(() => z.object({ reason: z.enum(['idle_lock', 'signed_out', 'locked']) })),
    access: 'public',
  }),
} as const;
