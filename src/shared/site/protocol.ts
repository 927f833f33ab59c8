import { z } from 'zod';

/**
 * The site server's wire protocol (issue 23, docs/site-server.md, D-090): JSON text frames over
 * a TLS WebSocket whose certificate the client pins by its SHA-256 fingerprint.
 *
 * Handshake (before anything else):
 *   client → { t: 'hello', v, host, kind, publicKey, fingerprint, tz, version }
 *   server → { t: 'challenge', nonce }
 *   client → { t: 'auth', signature }            Ed25519 over authMessage(nonce, server fp, key id)
 *            or { t: 'enrol', signature, user, password, name? }   (an unenrolled host, once)
 *   server → { t: 'welcome', server: { name, fingerprint, keyId }, host: { keyId, workstation } }
 *            or { t: 'enrolled', keyId, fingerprint, seq } then closes 1000
 *            or closes with a code of `closeCodes` and its reason key as the close reason.
 * Then, any number of times, in any order:
 *   client → { t: 'call', id, channel, input, locale?, session?, requestId? }
 *   server → { t: 'result', id, result }          result: the contract's Result (ok/data or ok:false/error)
 *   server → { t: 'event', name, payload, session }
 * `session` names one of the client's sessions on this socket (a harness serves several
 * browser tabs through one socket): each has its own sign-in; default 'main'.
 * Every call to a channel that writes (`writes: true` in the contract) carries `requestId`, a
 * UUID the client makes once per intended write and sends again, unchanged, when it retries
 * after a lost reply. The server runs a request id at most once: it records the id in the
 * write's own transaction and answers a retry with the first reply (or, when the server died
 * between the commit and keeping the reply, with the typed error `already_applied`).
 *
 * Pure: no Node, no DOM (src/shared). The Node client is src/main/remote/site-client.ts; the
 * server is src/main/server/site-server.ts.
 */

export const PROTOCOL_VERSION = 1;

/** The WebSocket path of the site server. */
export const SITE_PATH = '/site';

/** Host kinds that may connect to a site server (a server never connects to another). */
export const clientKinds = ['desktop', 'cli', 'harness'] as const;
export type ClientKind = (typeof clientKinds)[number];

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const b64 = z
  .string()
  .regex(/^[A-Za-z0-9+/]+=*$/)
  .max(200);
const sessionName = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/);
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);

export const helloFrame = z.object({
  t: z.literal('hello'),
  /** Protocol version the client speaks. */
  v: z.number().int(),
  /** The host's name as its key records it (e.g. LAB-PC-01). */
  host: z.string().min(1).max(120),
  kind: z.enum(clientKinds),
  /** Raw 32-byte Ed25519 public key of the host key, base64. */
  publicKey: b64,
  /** SHA-256 of the raw public key, hex (the host key's fingerprint). */
  fingerprint: hex64,
  /** The workstation's IANA time zone: recorded in every audit entry of its calls. */
  tz: z.string().min(1).max(64),
  /** The client's app version (shown in the server's log). */
  version: z.string().max(40),
});
export type HelloFrame = z.infer<typeof helloFrame>;

export const challengeFrame = z.object({ t: z.literal('challenge'), nonce: hex64 });
export type ChallengeFrame = z.infer<typeof challengeFrame>;

export const authFrame = z.object({ t: z.literal('auth'), signature: b64 });
export type AuthFrame = z.infer<typeof authFrame>;

/**
 * An unenrolled host registers its public key, an administrator authenticating (their password
 * re-entered: the enrolment is their signed act, meaning `enrolled`). The signature proves the
 * host holds the private key of the public key it names.
 */
export const enrolFrame = z.object({
  t: z.literal('enrol'),
  signature: b64,
  user: z.string().min(1).max(40),
  password: z.string().min(1).max(200),
  name: z.string().trim().min(1).max(120).optional(),
});
export type EnrolFrame = z.infer<typeof enrolFrame>;

export const welcomeFrame = z.object({
  t: z.literal('welcome'),
  v: z.number().int(),
  server: z.object({ name: z.string(), fingerprint: hex64, keyId: z.string().nullable(), version: z.string() }),
  /** How the server knows this host: its key id and the workstation name its audit entries carry. */
  host: z.object({ keyId: z.string(), workstation: z.string(), tz: z.string() }),
});
export type WelcomeFrame = z.infer<typeof welcomeFrame>;

export const enrolledFrame = z.object({
  t: z.literal('enrolled'),
  keyId: z.string(),
  fingerprint: hex64,
  host: z.string(),
  seq: z.number().int(),
});
export type EnrolledFrame = z.infer<typeof enrolledFrame>;

export const callFrame = z.object({
  t: z.literal('call'),
  /** The client's number for this call on this socket: the result names it. */
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  channel: z.string().min(1).max(120),
  input: z.unknown(),
  locale: z.enum(['en', 'zh-CN']).optional(),
  session: sessionName.optional(),
  /** Required on channels that write; the same id on a retry of the same write. */
  requestId: uuid.optional(),
});
export type CallFrame = z.infer<typeof callFrame>;

const errorShape = z.object({
  code: z.string(),
  messageKey: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const resultFrame = z.object({
  t: z.literal('result'),
  id: z.number().int(),
  result: z.union([
    z.object({ ok: z.literal(true), data: z.unknown() }),
    z.object({ ok: z.literal(false), error: errorShape }),
  ]),
  /** The result is the one kept from an earlier run of the same request id. */
  replayed: z.boolean().optional(),
});
export type ResultFrame = z.infer<typeof resultFrame>;

export const eventFrame = z.object({
  t: z.literal('event'),
  name: z.string(),
  payload: z.unknown(),
  session: sessionName,
});
export type EventFrame = z.infer<typeof eventFrame>;

/** A frame the server could not accept (not JSON, unknown `t`, a call without an id): nothing ran. */
export const errorFrame = z.object({ t: z.literal('error'), id: z.number().int().nullable(), error: errorShape });
export type ErrorFrame = z.infer<typeof errorFrame>;

export const clientFrame = z.discriminatedUnion('t', [helloFrame, authFrame, enrolFrame, callFrame]);
export type ClientFrame = z.infer<typeof clientFrame>;
export const serverFrame = z.discriminatedUnion('t', [
  challengeFrame,
  welcomeFrame,
  enrolledFrame,
  resultFrame,
  eventFrame,
  errorFrame,
]);
export type ServerFrame = z.infer<typeof serverFrame>;

/**
 * WebSocket close codes of the site server (4000–4999 are the application's) with the reason
 * key sent as the close reason; the client shows `site.close.<key>` from the catalogues.
 * `retry`: whether reconnecting can help without a person acting.
 */
export const closeCodes = {
  normal: { code: 1000, retry: false },
  server_stopping: { code: 1001, retry: true },
  protocol: { code: 4000, retry: false },
  unknown_host: { code: 4001, retry: false },
  key_retired: { code: 4002, retry: false },
  bad_signature: { code: 4003, retry: false },
  version: { code: 4004, retry: false },
  enrol_refused: { code: 4005, retry: false },
  handshake_timeout: { code: 4006, retry: true },
  not_ready: { code: 4007, retry: true },
} as const;
export type CloseReason = keyof typeof closeCodes;

export function closeReasonOf(code: number, reason: string): CloseReason | null {
  if (reason in closeCodes && closeCodes[reason as CloseReason].code === code) return reason as CloseReason;
  for (const [k, v] of Object.entries(closeCodes)) if (v.code === code) return k as CloseReason;
  return null;
}

/** The error of a retried write whose first run committed but whose reply was not kept (a crash in between). */
export const ALREADY_APPLIED = 'already_applied';

/**
 * The bytes a host signs to authenticate (domain-separated, so a signature made for anything
 * else — a checkpoint, a raw frame — can never pass as one): the nonce of this connection, the
 * certificate the client saw (a relay with another certificate cannot reuse it) and the key.
 */
export function authMessage(p: {
  nonce: string;
  serverFingerprint: string;
  keyId: string;
  purpose: 'auth' | 'enrol';
}): string {
  return `LotSeal site ${p.purpose} v${PROTOCOL_VERSION}\nnonce=${p.nonce}\nserver=${p.serverFingerprint}\nhost=${p.keyId}\n`;
}

/** A certificate fingerprint as typed by a person (colons, spaces, upper case) in the wire's form: 64 lower-case hex digits. */
export function normaliseFingerprint(s: string): string | null {
  const h = s.replace(/[\s:]/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(h) ? h : null;
}

/** A `wss://host:port` URL, checked; null when it is not one. */
export function parseSiteUrl(s: string): { host: string; port: number; url: string } | null {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return null;
  }
  if (u.protocol !== 'wss:' || !u.hostname || u.username || u.password) return null;
  const port = u.port ? Number(u.port) : 443;
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port, url: `wss://${u.host}` };
}

export function parseFrameText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Exactly once has a window (D-106): the server keeps a request id in `request_log` for
 * REQUEST_RETENTION_MS after its first run and prunes older ones (at start and every hour). A
 * client re-sends a call whose reply was lost only while it is younger than CLIENT_RETRY_MS,
 * far inside the retention, so no retry can reach a server that has forgotten its id (a server
 * clock that jumps ahead by up to six days still keeps it).
 */
export const REQUEST_RETENTION_MS = 7 * 24 * 3_600_000;
export const CLIENT_RETRY_MS = 24 * 3_600_000;

/**
 * Downloads from the site server (D-103): the server offers a file or a folder it made (a
 * verified backup copy, an evidence folder, an audit-trail CSV) as a transfer: the list of its
 * files with their size and SHA-256, computed on the server when the job finished. The client
 * reads each file in chunks of at most TRANSFER_CHUNK_MAX bytes (`transfer.read`: base64 and
 * the chunk's own SHA-256), writes them under a temporary name, checks every chunk's hash and
 * every file's size and hash against the offer, and only then gives the result its final name.
 * The channels go through the dispatcher like every call (session, permission); a transfer
 * belongs to the user whose job made it and is read again only by them, while they still hold
 * the permission that made it.
 */
export const TRANSFER_CHUNK_MAX = 4 * 1024 * 1024;
export const TRANSFER_CHUNK_DEFAULT = 1024 * 1024;

/** A file's path inside a transfer: relative, '/'-separated, no '.' or '..' segment, no drive or root. */
export function isSafeTransferPath(p: string): boolean {
  if (!p || p.length > 400 || p.includes('\\') || p.includes('\0') || p.startsWith('/')) return false;
  if (/^[A-Za-z]:/.test(p)) return false;
  return p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}
