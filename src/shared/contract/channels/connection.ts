import { z } from 'zod';
import { channel, event, lazySchema } from '../define';
import { emptySchema } from '../common';

/**
 * Which record this workstation works on (issue 23 §3, docs/decisions.md D-101): its own
 * database (`embedded`, the default) or a site server. On a site server the screen always
 * shows the server's name, address and certificate fingerprint, and says when the server
 * cannot be reached (what still works, what does not). Answered by the workstation itself,
 * never forwarded (src/shared/site/routing.ts).
 */
export const siteLinkStates = ['connecting', 'connected', 'unreachable', 'refused'] as const;

export const connectionViewSchema = lazySchema(() =>
  z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('embedded') }),
    z.object({
      mode: z.literal('site'),
      server: z.object({
        /** The address the workstation was set to (wss://host:port). */
        url: z.string(),
        host: z.string(),
        /** The server's own name, once it has said it (the welcome frame). */
        name: z.string().nullable(),
        /** SHA-256 of the server's certificate, as pinned (lower-case hex). */
        fingerprint: z.string(),
      }),
      state: z.enum(siteLinkStates),
      /** When the state last changed (ISO). */
      since: z.string(),
      /** Why the last attempt failed (a message key), when unreachable. */
      reason: z.string().nullable(),
      /** Signed bench frames waiting at this workstation for the server. */
      queued: z.number().int().nonnegative(),
      /** When the bench queue tries to write back again by itself (ISO), while frames wait (D-108). */
      retryAt: z.string().nullable().optional(),
    }),
  ]),
);

export type ConnectionView = z.infer<typeof connectionViewSchema>;

/** What the join and leave channels answer: the file written or removed and what happens next (D-107). */
export const siteJoinOutcome = lazySchema(() =>
  z.object({
    server: z.object({ url: z.string(), fingerprint: z.string(), name: z.string() }),
    /** The enrolment the server recorded (null: this workstation's key was enrolled there already). */
    enrolled: z
      .object({ keyId: z.string(), fingerprint: z.string(), host: z.string(), seq: z.number().int() })
      .nullable(),
    file: z.string(),
    /** Every host works on the server from its next start. */
    next: z.literal('restart'),
  }),
);

export const connectionChannels = {
  'connection.status': channel({
    input: emptySchema,
    output: connectionViewSchema,
    access: 'public',
    writes: false,
    passive: true,
  }),
  /**
   * An administrator joins this workstation to a site server (issue 23, D-107): the address,
   * the certificate fingerprint as IT gave it, and the administrator's own account on the
   * server (checked there). This host's key is enrolled with the server, then `<data>/site.json`
   * is written; nothing is written when anything is refused. Runs at the workstation.
   */
  'connection.join': channel({
    input: lazySchema(() =>
      z.object({
        url: z.string().trim().min(1).max(300),
        fingerprint: z.string().trim().min(1).max(200),
        user: z.string().trim().min(1).max(100),
        password: z.string().min(1).max(1024),
        /** The name the server records for this workstation (default: the machine name). */
        name: z.string().trim().min(1).max(100).optional(),
      }),
    ),
    output: siteJoinOutcome,
    access: 'settings.manage',
    writes: false,
  }),
  /** Back to this workstation's own database from its next start (removes `<data>/site.json`). */
  'connection.leave': channel({
    input: lazySchema(() => z.object({ confirm: z.literal(true) })),
    output: lazySchema(() => z.object({ file: z.string(), next: z.literal('restart') })),
    access: 'settings.manage',
    writes: false,
  }),
};

export const connectionEvents = {
  /** The link to the site server changed (connected, unreachable, back) or the bench queue moved. */
  'connection.changed': event({ payload: connectionViewSchema, access: 'public' }),
};
