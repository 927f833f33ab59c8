import { z } from 'zod';
import { channel, lazySchema } from '../define';
import { emptySchema } from '../common';

/**
 * "What is waiting for me" (issue 22 §1): one read per role's work, each behind the
 * permission of that work, so a person is only ever told about what is theirs (the dispatcher
 * refuses the others). The home page shows the reads its session may make; the counts are
 * computed in main, by the capabilities that own the records (D-075).
 */

const count = lazySchema(() => z.number().int().min(0));

export const myTestsSchema = lazySchema(() =>
  z.object({
    /** Open tests (pending, entered, returned) assigned to the caller. */
    assigned: count,
    /** Open tests nobody is assigned to (any technician may take them). */
    unassigned: count,
    /** Of those two, the ones past their due time. */
    overdue: count,
    /** Returned to the caller by a reviewer (to correct). */
    returned: count,
    /** The samples holding them, most urgent first (at most 6). */
    samples: z.array(
      z.object({ sampleCode: z.string(), lotCode: z.string().nullable(), tests: count, overdue: count }),
    ),
  }),
);
export type MyTests = z.infer<typeof myTestsSchema>;

export const toReviewSchema = lazySchema(() =>
  z.object({
    /** Samples with submitted results the caller may review (never those they took part in). */
    samples: count,
    results: count,
    failed: count,
    /** Samples waiting for someone else's review because the caller took part in them. */
    own: count,
    items: z.array(z.object({ sampleCode: z.string(), lotCode: z.string().nullable(), results: count, failed: count })),
  }),
);
export type ToReview = z.infer<typeof toReviewSchema>;

export const toReleaseSchema = lazySchema(() =>
  z.object({
    /** Finished lots whose checklist is complete: a decision can be signed now. */
    ready: count,
    /** Finished lots on hold still missing something. */
    blocked: count,
    lots: z.array(z.object({ lotCode: z.string(), itemCode: z.string(), ready: z.boolean() })),
  }),
);
export type ToRelease = z.infer<typeof toReleaseSchema>;

export const overdueChecksSchema = lazySchema(() =>
  z.object({
    /** Active instruments whose calibration or periodic check is overdue or was never done (captures are refused). */
    overdue: count,
    /** Calibrations falling due within `withinDays`. */
    dueSoon: count,
    withinDays: count,
    instruments: z.array(
      z.object({
        id: z.string(),
        code: z.string(),
        name: z.string(),
        reasons: z.array(z.string()),
        calibrationDue: z.string().nullable(),
      }),
    ),
  }),
);
export type OverdueChecks = z.infer<typeof overdueChecksSchema>;

export const inspectorOverviewSchema = lazySchema(() =>
  z.object({
    lots: count,
    finishedLots: count,
    decidedLots: count,
    samples: count,
    drills: count,
    auditEntries: count,
    openFindings: count,
    verifiedAt: z.string().nullable(),
  }),
);
export type InspectorOverview = z.infer<typeof inspectorOverviewSchema>;

/** The setup guide's steps, in order; each is derived from the records, never from a flag. */
export const setupStepKeys = ['company', 'lines', 'products', 'specification', 'users', 'firstLot'] as const;
export type SetupStepKey = (typeof setupStepKeys)[number];

export const setupProgressSchema = lazySchema(() =>
  z.object({
    lines: z.object({ active: count }),
    products: z.object({ total: count, withoutRegistration: count }),
    specification: z.object({ drafts: count, approved: count, productsWithout: count }),
    /** Active accounts per role (the administrator counts too). */
    users: z.object({ byRole: z.record(z.string(), count), missingRoles: z.array(z.string()) }),
    firstLot: z.object({ lots: count }),
  }),
);
export type SetupProgress = z.infer<typeof setupProgressSchema>;

export const homeChannels = {
  /** Technician: 我的待检. */
  'home.myTests': channel({ input: emptySchema, output: myTestsSchema, access: 'results.enter', writes: false }),
  /** Reviewer, QA manager: 待复核 (not their own). */
  'home.toReview': channel({ input: emptySchema, output: toReviewSchema, access: 'results.review', writes: false }),
  /** QA manager: 待放行. */
  'home.toRelease': channel({ input: emptySchema, output: toReleaseSchema, access: 'lots.decide', writes: false }),
  /** Technician, QA manager: 逾期校准 / 期间核查. */
  'home.overdueChecks': channel({
    input: emptySchema,
    output: overdueChecksSchema,
    access: 'instruments.calibrate',
    writes: false,
  }),
  /** Inspector (and QA): what there is to look at. */
  'home.inspector': channel({
    input: emptySchema,
    output: inspectorOverviewSchema,
    access: 'ledger.export',
    writes: false,
  }),
  /**
   * The setup guide's progress, derived from the records (the company step reads
   * `site.company.get`). Every signed-in role may see it: each step says who does it.
   */
  'setup.progress': channel({ input: emptySchema, output: setupProgressSchema, access: 'session', writes: false }),
} as const;
