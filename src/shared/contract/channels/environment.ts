import { z } from 'zod';
import { channel, lazySchema } from '../define';
import { reasonSchema, signatureInputSchema } from '../common';

/**
 * Environmental monitoring (issue 9 §4, issue 19 §6): alerts raised by positive swabs, their
 * lots at risk, the signed hold and closure, and the sites × weeks heat map. The channel names
 * keep their `env.` prefix (the renderer, the role matrix and the published formats use them).
 */

const code = lazySchema(() => z.string().trim().min(1).max(60));
const date = lazySchema(() => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date_format' }));

export const envAlertStatuses = ['open', 'closed'] as const;

export const envAlertViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    code: z.string(),
    siteId: z.string(),
    siteCode: z.string(),
    siteName: z.object({ zh: z.string(), en: z.string() }),
    zone: z.number().int().nullable(),
    line: z.string().nullable(),
    room: z.string().nullable(),
    sampleCode: z.string(),
    resultId: z.string(),
    target: z.string(),
    reported: z.string().nullable(),
    raisedAt: z.string(),
    /** The last negative swab at the site before this one (null: none on record). */
    sinceNegativeAt: z.string().nullable(),
    status: z.enum(envAlertStatuses),
    affectedLots: z.number().int(),
    closedBy: z.string().nullable(),
    closedAt: z.string().nullable(),
    closeReason: z.string().nullable(),
    /** Consecutive negative follow-up swabs of the site so far (newest first), and how many closing needs (issue 19 §6). */
    negativeSwabs: z.number().int().optional(),
    swabsNeeded: z.number().int().optional(),
    /** The swabs a closure rests on (sample codes). */
    closureSwabs: z.array(z.string()).optional(),
  }),
);

export const environmentChannels = {
  'env.alerts.list': channel({
    input: lazySchema(() => z.object({ status: z.enum(envAlertStatuses).optional() })),
    output: lazySchema(() => z.array(envAlertViewSchema)),
    access: 'samples.read',
    writes: false,
  }),
  /** A positive swab: the lots made on the site's line since the last negative swab there, and the follow-up swabs. */
  'env.alerts.get': channel({
    input: lazySchema(() => z.object({ code })),
    output: lazySchema(() =>
      z.object({
        alert: envAlertViewSchema,
        lots: z.array(
          z.object({
            code: z.string(),
            itemCode: z.string(),
            itemName: z.string(),
            date: z.string(),
            status: z.string(),
            shipped: z.boolean(),
            holdable: z.boolean(),
            /** Stock left (a hold reaches lots with stock left, shipped before or not). */
            remaining: z.string().optional(),
            unit: z.string().optional(),
          }),
        ),
        followUps: z.array(
          z.object({
            scheduleId: z.string(),
            siteCode: z.string(),
            kind: z.enum(['re_swab', 'vector']),
            nextDue: z.string(),
            active: z.boolean(),
          }),
        ),
        /** Follow-up swabs of the site for the alert's target, newest first (what a closure counts). */
        swabs: z
          .array(
            z.object({ code: z.string(), takenAt: z.string(), result: z.enum(['negative', 'positive', 'pending']) }),
          )
          .optional(),
      }),
    ),
    access: 'samples.read',
    writes: false,
  }),
  /** One signed action (`held`) putting the chosen unshipped lots on hold. */
  'env.alerts.hold': channel({
    input: lazySchema(() =>
      z.object({
        code,
        lotCodes: z.array(code).min(1).max(500),
        reason: reasonSchema,
        signature: signatureInputSchema,
      }),
    ),
    output: lazySchema(() => z.object({ held: z.array(z.string()) })),
    access: 'lots.decide',
    writes: true,
  }),
  /**
   * Closes an alert with a QA manager's signature (`alert_closed`) once the configured number of
   * consecutive follow-up swabs of the site are negative; its follow-up schedules stop.
   */
  'env.alerts.close': channel({
    input: lazySchema(() => z.object({ code, reason: reasonSchema, signature: signatureInputSchema })),
    output: envAlertViewSchema,
    access: 'sites.manage',
    writes: true,
  }),
  /** Sites by zone × week: the worst swab result of the week (positive, negative, pending). */
  'env.heatmap': channel({
    input: lazySchema(() => z.object({ from: date, to: date, zone: z.number().int().min(1).max(4).optional() })),
    output: lazySchema(() =>
      z.object({
        sites: z.array(
          z.object({
            id: z.string(),
            code: z.string(),
            nameZh: z.string(),
            nameEn: z.string(),
            zone: z.number().int().nullable(),
            line: z.string().nullable(),
          }),
        ),
        weeks: z.array(z.string()),
        cells: z.array(
          z.object({
            siteId: z.string(),
            week: z.string(),
            result: z.enum(['positive', 'negative', 'pending']),
            swabs: z.number().int(),
          }),
        ),
      }),
    ),
    access: 'samples.read',
    writes: false,
  }),
} as const;
