import { z } from 'zod';
import { channel, lazySchema } from '../define';
import { emptySchema } from '../common';

/**
 * This workstation's signing key as the desktop shows it before anyone signs in (issue 24
 * §5, docs/decisions.md D-042). When the key cannot be opened, the desktop starts in a
 * recovery mode that serves only these channels (plus app.status / app.setLocale): enter the
 * passphrase of a passphrase-sealed key, or replace the key with a new one that an
 * administrator then registers. A running core answers status, and refuses the other two.
 * None of them changes a record.
 */
export const keySeals = ['os', 'passphrase', 'none', 'damaged'] as const;
export const keyProblemReasons = [
  'os_unavailable',
  'os_decrypt_failed',
  'passphrase_required',
  'no_protection',
  'damaged',
] as const;

const passphrase = lazySchema(() => z.string().min(1).max(1024));

export const workstationChannels = {
  'hostKey.status': channel({
    input: emptySchema,
    output: lazySchema(() =>
      z.object({
        /** open: the core runs with the key; locked: the desktop waits for a recovery. */
        state: z.enum(['open', 'locked']),
        seal: z.enum(keySeals),
        reason: z.enum(keyProblemReasons).nullable(),
        /** What the OS or the key file said (for the details and the log). */
        detail: z.string().nullable(),
        fingerprint: z.string().nullable(),
        /** Can the OS seal a new key in this session (DPAPI, a Linux keyring)? */
        osProtection: z.boolean(),
        minPassphrase: z.number().int(),
        dataDir: z.string(),
        logFile: z.string().nullable(),
      }),
    ),
    access: 'public',
    writes: false,
    passive: true,
  }),
  /** Opens a passphrase-sealed key; the desktop then starts normally. */
  'hostKey.unlock': channel({
    input: lazySchema(() => z.object({ passphrase })),
    output: lazySchema(() => z.object({ ok: z.literal(true), fingerprint: z.string() })),
    access: 'public',
    writes: false,
  }),
  /**
   * A new key for this workstation, sealed by the OS or with a passphrase (≥ 12 characters).
   * The unopened key file is kept beside it. The workstation writes nothing until an
   * administrator registers the new key.
   */
  'hostKey.replace': channel({
    input: lazySchema(() =>
      z.object({
        protection: z.enum(['os', 'passphrase']),
        passphrase: passphrase.optional(),
        /** The person confirmed that this workstation will need an administrator. */
        confirm: z.literal(true),
      }),
    ),
    output: lazySchema(() => z.object({ ok: z.literal(true), fingerprint: z.string(), keptAs: z.string().nullable() })),
    access: 'public',
    writes: false,
  }),
} as const;
