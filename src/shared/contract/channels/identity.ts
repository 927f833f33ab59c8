import { z } from 'zod';
import { channel, lazySchema } from '../define';
import {
  emptySchema,
  okSchema,
  passwordSchema,
  printedNameSchema,
  reasonSchema,
  roleSchema,
  signatureInputSchema,
  userIdSchema,
} from '../common';
import { sampleKinds } from './samples';

export const sessionViewSchema = lazySchema(() =>
  z.object({
    userId: z.string(),
    printedName: z.string(),
    roles: z.array(roleSchema),
    permissions: z.array(z.string()),
    locked: z.boolean(),
    mustChangePassword: z.boolean(),
    passwordExpiresAt: z.string().nullable(),
    idleTimeoutMs: z.number().int(),
    readOnly: z.boolean(),
    signedInAt: z.string(),
    /** The fingerprint of the user's personal signing key (null: none yet, before the first password change). */
    keyFingerprint: z.string().nullable().optional(),
    /** The plant's time zone (D-113): times and calendar days on screen are the plant's, as its records are. */
    plantTimeZone: z.string().optional(),
    /** Warnings shown at sign-in (e.g. the clock is behind the ledger, failed attempts since last sign-in). */
    warnings: z.array(z.object({ key: z.string(), details: z.record(z.string(), z.unknown()).optional() })),
  }),
);
export type SessionView = z.infer<typeof sessionViewSchema>;

export const userStatusSchema = lazySchema(() => z.enum(['active', 'locked', 'deactivated']));

export const userViewSchema = lazySchema(() =>
  z.object({
    userId: z.string(),
    printedName: z.string(),
    roles: z.array(roleSchema),
    status: userStatusSchema,
    mustChangePassword: z.boolean(),
    passwordChangedAt: z.string().nullable(),
    failedAttempts: z.number().int(),
    lastSignInAt: z.string().nullable(),
    createdAt: z.string(),
    /** The fingerprint of the user's personal signing key in force (null: none yet). */
    keyFingerprint: z.string().nullable().optional(),
  }),
);
export type UserView = z.infer<typeof userViewSchema>;

const rolesInput = lazySchema(() => z.array(roleSchema).min(1).max(6));

export const identityChannels = {
  'auth.session': channel({
    input: emptySchema,
    output: lazySchema(() => sessionViewSchema.nullable()),
    access: 'public',
    writes: false,
    passive: true,
  }),
  'auth.signIn': channel({
    input: lazySchema(() => z.object({ userId: z.string().trim().min(1).max(40), password: passwordSchema })),
    output: sessionViewSchema,
    access: 'public',
    writes: false,
  }),
  'auth.signOut': channel({ input: emptySchema, output: okSchema, access: 'session', writes: false }),
  'auth.lock': channel({ input: emptySchema, output: okSchema, access: 'session', writes: false }),
  /** Resume a locked session: the same user's password. Switching user is sign-out + sign-in. */
  'auth.unlock': channel({
    input: lazySchema(() => z.object({ password: passwordSchema })),
    output: sessionViewSchema,
    access: 'public',
    writes: false,
  }),
  'auth.changePassword': channel({
    input: lazySchema(() => z.object({ currentPassword: passwordSchema, newPassword: passwordSchema })),
    output: sessionViewSchema,
    access: 'session',
    writes: false,
  }),
  /**
   * The last administrator locked out: unlocked with the one-time recovery code made by `init`
   * (`lotseal user unlock --target ID --recovery-code-file FILE --server …`). No session: the
   * code is the authentication; a wrong one counts toward the recovery throttle, as on a file.
   * The answer carries the NEW one-time code, so the site server never keeps it for a retry
   * (D-105): a retry after a lost reply answers `already_applied`.
   */
  'auth.recover': channel({
    input: lazySchema(() =>
      z.object({ userId: z.string().trim().min(1).max(40), recoveryCode: z.string().trim().min(4).max(200) }),
    ),
    output: lazySchema(() => z.object({ userId: z.string(), status: z.string(), newRecoveryCode: z.string() })),
    access: 'public',
    writes: true,
  }),

  'users.list': channel({
    input: emptySchema,
    output: lazySchema(() => z.array(userViewSchema)),
    access: 'users.read',
    writes: false,
  }),
  /**
   * Every account's printed name (deactivated ones too: they stay on records), so that screens
   * name people as they sign, never by their user id (issue 22). The names are on every
   * signature anyone signed in may read; nothing else of the account is shown.
   */
  'users.names': channel({
    input: emptySchema,
    output: lazySchema(() => z.array(z.object({ userId: z.string(), printedName: z.string() }))),
    access: 'session',
    writes: false,
  }),
  /** Creating an account is the administrator's signed identity verification (`enrolled`, 11.100(b)). */
  'users.create': channel({
    input: lazySchema(() =>
      z.object({
        userId: userIdSchema,
        printedName: printedNameSchema,
        roles: rolesInput,
        password: passwordSchema,
        signature: signatureInputSchema,
      }),
    ),
    output: userViewSchema,
    access: 'users.manage',
    writes: true,
  }),
  /** A change of roles or printed name is signed `enrolled` by the administrator. */
  'users.update': channel({
    input: lazySchema(() =>
      z.object({
        userId: userIdSchema,
        printedName: printedNameSchema,
        roles: rolesInput,
        reason: reasonSchema,
        signature: signatureInputSchema,
      }),
    ),
    output: userViewSchema,
    access: 'users.manage',
    writes: true,
  }),
  'users.deactivate': channel({
    input: lazySchema(() => z.object({ userId: userIdSchema, reason: reasonSchema })),
    output: userViewSchema,
    access: 'users.manage',
    writes: true,
  }),
  'users.unlock': channel({
    input: lazySchema(() => z.object({ userId: userIdSchema, reason: reasonSchema })),
    output: userViewSchema,
    access: 'users.manage',
    writes: true,
  }),
  /** Signed `enrolled`; the user's personal key is retired and a new one made at the next own password. */
  'users.resetPassword': channel({
    input: lazySchema(() =>
      z.object({
        userId: userIdSchema,
        newPassword: passwordSchema,
        reason: reasonSchema,
        signature: signatureInputSchema,
      }),
    ),
    output: userViewSchema,
    access: 'users.manage',
    writes: true,
  }),
} as const;

export const settingsSchema = lazySchema(() =>
  z.object({
    idleTimeoutMinutes: z.number().int().min(1).max(240),
    passwordExpiryDays: z.number().int().min(0).max(3650),
    clockSkewMinutes: z.number().int().min(0).max(1440),
    verifyEveryHours: z.number().int().min(1).max(168),
    backupFolder: z.string().max(1000).nullable(),
    backupEveryHours: z.number().int().min(1).max(168),
    /** The plant's name as printed on certificates of analysis and reports. */
    plantName: z.string().trim().max(120).optional(),
    /** Reviewers may put lots on hold (signed `held`), besides QA managers (issue 11 §2). */
    reviewersMayHold: z.boolean().optional(),
    /**
     * Lot code patterns per kind (optional; defaults RM-/IG-/PK-/IM-/FG-{yyyyMMdd}-{seq}).
     * Tokens: {yyyyMMdd} {yyyy} {MM} {dd} and {seq} (a daily counter, required).
     */
    lotCodePatterns: z
      .partialRecord(
        z.enum(['raw_milk', 'ingredient', 'packaging', 'intermediate', 'finished']),
        z
          .string()
          .trim()
          .max(60)
          .regex(/^[A-Za-z0-9._/{}-]+$/, { message: 'lot_code_pattern' })
          .refine((p) => p.includes('{seq}'), { message: 'lot_code_pattern' }),
      )
      .optional(),
    /**
     * Sample code patterns per kind (optional; defaults in src/main/samples/samples-service.ts:
     * S{yyMMdd}-{seq4}, retention R…, swabs ES…, water W…). Tokens: {yyyyMMdd} {yyMMdd} {yyyy}
     * {yy} {MM} {dd} and {seq} or {seqN} (a daily counter of N digits, required).
     */
    sampleCodePatterns: z
      .partialRecord(
        z.enum(sampleKinds),
        z
          .string()
          .trim()
          .max(40)
          .regex(/^[A-Za-z0-9._{}-]+$/, { message: 'sample_code_pattern' })
          .refine((p) => /\{seq[1-9]?\}/.test(p), { message: 'sample_code_pattern' }),
      )
      .optional(),
    /**
     * Go-live date (YYYY-MM-DD, local): lots dated before it are history and may carry the ERP's
     * status; from it on LotSeal decides (issue 19 §1). Null or absent: the database's creation
     * date. Only an administrator changes it (settings.manage), every change recorded; a later
     * date is refused once lots are dated on or after the current one.
     */
    goLiveDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date_format' })
      .nullable()
      .optional(),
    /** Consecutive negative follow-up swabs that closing an environmental alert needs (default 3; issue 19 §6). */
    envAlertNegativeSwabs: z.number().int().min(1).max(10).optional(),
  }),
);
export type Settings = z.infer<typeof settingsSchema>;

/**
 * Settings that change what a release requires or who may decide it (D-112): the go-live date
 * (from when LotSeal decides every lot), whether reviewers may hold lots, and the negative
 * follow-up swabs that close an environmental alert (an open alert blocks a release). A change
 * of any of them carries the administrator's personal signature (`approved`).
 */
export const signedSettings = ['goLiveDate', 'reviewersMayHold', 'envAlertNegativeSwabs'] as const;
export type SignedSetting = (typeof signedSettings)[number];

/** The signed settings a change touches (absent and null count as the same: the default). */
export function signedSettingChanges(before: Settings, after: Settings): SignedSetting[] {
  return signedSettings.filter((k) => (before[k] ?? null) !== (after[k] ?? null));
}

export const settingsChannels = {
  'settings.get': channel({ input: emptySchema, output: settingsSchema, access: 'session', writes: false }),
  'settings.update': channel({
    /** `signature` (meaning `approved`): needed when a signed setting changes (D-112). */
    input: lazySchema(() =>
      z.object({ settings: settingsSchema, reason: reasonSchema, signature: signatureInputSchema.optional() }),
    ),
    output: settingsSchema,
    access: 'settings.manage',
    writes: true,
  }),
} as const;

export { emptySchema };
