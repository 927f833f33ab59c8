import { z } from 'zod';
import { lazySchema } from './define';
import { roles, signatureMeanings } from '../domain/roles';
import { errorCodes, type AppError } from './errors';

/** A user id: the sign-in name. Never reused, never deleted. */
export const userIdSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .min(2)
    .max(40)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'user_id_format' }),
);

/** A printed name as it appears on signatures (zh-CN names included). */
export const printedNameSchema = lazySchema(() => z.string().trim().min(1).max(80));

/** Password as typed. Policy (length, history…) is checked by the service, not the schema. */
export const passwordSchema = lazySchema(() => z.string().min(1).max(256));

export const roleSchema = lazySchema(() => z.enum(roles));
export const meaningSchema = lazySchema(() => z.enum(signatureMeanings));

/** A reason for a change or a decision (EU GMP Annex 11 §9: the reason is documented). */
export const reasonSchema = lazySchema(() => z.string().trim().min(3).max(1000));

export const isoTimeSchema = lazySchema(() => z.string());

/** A signature as shown wherever a signed record appears (21 CFR 11.50). */
export const signatureViewSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    userId: z.string(),
    printedName: z.string(),
    meaning: meaningSchema,
    signedAt: isoTimeSchema,
    timeZone: z.string(),
    comment: z.string().nullable(),
    entity: z.string(),
    entityId: z.string(),
    recordHash: z.string(),
    /** false when the signed record's content changed after signing: shown as invalidated. */
    valid: z.boolean(),
    /**
     * The personal signature (docs/ledger.md §3.2): `verified` with the signer's key on record,
     * `legacy` (made before personal keys), or `invalid`.
     */
    personal: z.enum(['verified', 'legacy', 'invalid']).optional(),
    /** SHA-256 fingerprint of the signer's personal key (null for a legacy signature). */
    keyFingerprint: z.string().nullable().optional(),
  }),
);
export type SignatureView = z.infer<typeof signatureViewSchema>;

/** What a person types in the signature dialog: every signing re-enters the password. */
export const signatureInputSchema = lazySchema(() =>
  z.object({
    password: passwordSchema,
    meaning: meaningSchema,
    comment: z.string().trim().max(1000).optional(),
  }),
);
export type SignatureInput = z.infer<typeof signatureInputSchema>;

export const emptySchema = lazySchema(() => z.object({}).strict());
export const okSchema = lazySchema(() => z.object({ ok: z.literal(true) }));

/** An error as a value on the contract (./errors, where AppError is declared without zod). */
export const appErrorSchema = lazySchema(
  () =>
    z.object({
      code: z.enum(errorCodes),
      messageKey: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }) satisfies z.ZodType<AppError>,
);
