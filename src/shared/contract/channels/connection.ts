import { z } from 'zod';
import { channel, event } from '../define';
import { emptySchema } from '../common';

/**
 * Which record this workstation works on (issue 23 §3, docs/decisions.md D-101): its own
 * database (`embedded`, the default) or a site server. On a site server the screen always
 * shows the server's name, address and certificate fingerprint, and says when the server
 * cannot be reached (what still works, what does not). Answered by the workstation itself,
 * never forwarded (src/shared/site/routing.ts).
 */
export const siteLinkStates = ['connecting', 'connected', 'unreachable', 'refused'] as const;

export const connectionViewSchema = z.discriminatedUnion('mode', [
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
  }),
]);

export type ConnectionView = z.infer<typeof connectionViewSchema>;

export const connectionChannels = {
  'connection.status': channel({
    input: emptySchema,
    output: connectionViewSchema,
    access: 'public',
    writes: false,
    passive: true,
  }),
};

export const connectionEvents = {
  /** The link to the site server changed (connected, unreachable, back) or the bench queue moved. */
  'connection.changed': event({ payload: connectionViewSchema, access: 'public' }),
};
