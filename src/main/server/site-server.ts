import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { appError, contract, isChannelName, type AppError, type Result } from '../../shared/contract';
import {
  ALREADY_APPLIED,
  PROTOCOL_VERSION,
  SITE_PATH,
  authMessage,
  callFrame,
  closeCodes,
  enrolFrame,
  helloFrame,
  authFrame,
  type CallFrame,
  type CloseReason,
  type HelloFrame,
  type ServerFrame,
} from '../../shared/site/protocol';
import { benchLocalChannels } from '../../shared/site/bench-local';
import type { AppCore } from '../app/core';
import type { Connection } from '../dispatcher/dispatcher';
import { enrolHost, identityQueriesOf, userRoles } from '../identity';
import { registeredHostKey } from '../ledger/host-keys';
import { verifySignature } from '../ledger/keys';
import { withOrigin, type RequestMark } from '../ledger/origin';
import { requestLog } from '../ledger/requests';

/**
 * The site server (issue 23 §1–2, docs/site-server.md): the same AppCore and dispatcher as
 * every host, carried over a TLS WebSocket to the enrolled workstations of a site. What this
 * file adds to the harness's transport:
 * - host authentication: a workstation proves it holds an enrolled, unretired host key by
 *   signing a domain-separated challenge that names this server's certificate (D-090); an
 *   unknown host, a retired key or a bad signature is closed with a reason key, and nothing is
 *   written (the check only reads the key registry);
 * - enrolment of a new workstation's PUBLIC key, an administrator authenticating;
 * - per-call origin: every ledger write of a call records that workstation and its zone (D-091);
 * - exactly once: a write carries a request id recorded in its own transaction; a retry gets
 *   the first reply, or `already_applied` (D-092). A reply is sent only after the commit
 *   (better-sqlite3 commits synchronously, synchronous=FULL, WAL).
 */
export interface SiteServerOptions {
  core: AppCore;
  listen: { host: string; port: number };
  tls: { cert: string; key: string; fingerprint: string };
  /** The name the server gives itself in `welcome` (default: the core's workstation). */
  name?: string;
  /** How long a socket may take to authenticate before it is closed (default 30 s). */
  handshakeMs?: number;
}

export interface SiteServer {
  readonly url: string;
  readonly port: number;
  readonly fingerprint: string;
  /** Authenticated sockets now open. */
  connections(): number;
  /** Stops accepting, closes every socket (1001 server_stopping) and the listener. */
  close(): Promise<void>;
}

/**
 * Inputs that name a place on the disk of the machine that runs the core. From a workstation
 * they would name the server's disk: an inspector could have the server write evidence folders
 * into any folder its account may write, a backup of the whole database could be put where
 * others on the server read it. Over the server these go where the server keeps them (exports/,
 * the settings' backup folder), and a workstation names no folder (review, D-120).
 */
const serverPathFields: Readonly<Record<string, string>> = {
  'audit.exportCsv': 'folder',
  'evidence.export': 'folder',
  'backup.create': 'folder',
};

/** The largest frame a call needs: a 20 MB attachment as base64 plus JSON (as the harness). */
const MAX_FRAME_BYTES = 32 * 1024 * 1024;

interface Peer {
  readonly socketId: string;
  readonly ws: WebSocket;
  phase: 'hello' | 'challenged' | 'ready' | 'closing';
  hello: HelloFrame | null;
  nonce: string;
  keyId: string;
  workstation: string;
  /** The connections (one per named session) of this socket. */
  sessions: Map<string, Connection>;
  timer: NodeJS.Timeout | null;
}

function text(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** A zone the workstation says it is in, if this runtime knows it; else null (refused). */
function knownZone(tz: string): string | null {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export function startSiteServer(opts: SiteServerOptions): Promise<SiteServer> {
  const { core } = opts;
  const fingerprint = opts.tls.fingerprint;
  const handshakeMs = opts.handshakeMs ?? 30_000;
  const https: Server = createServer({ cert: opts.tls.cert, key: opts.tls.key, minVersion: 'TLSv1.2' }, (_req, res) => {
    res
      .writeHead(426, { 'content-type': 'text/plain; charset=utf-8', upgrade: 'websocket' })
      .end('LotSeal site server: WebSocket only\n');
  });
  // A TLS handshake that fails (a client refusing our certificate, a port scanner) must not end the process.
  https.on('tlsClientError', () => undefined);
  const wss = new WebSocketServer({ server: https, path: SITE_PATH, maxPayload: MAX_FRAME_BYTES });
  const peers = new Map<string, Peer>();
  /** Request ids being run now (per host key): a retry that arrives meanwhile waits for the same reply. */
  const inFlight = new Map<string, Promise<Result<unknown>>>();
  let next = 0;
  let closing = false;

  const send = (p: Peer, frame: ServerFrame): void => {
    if (p.ws.readyState === p.ws.OPEN) p.ws.send(JSON.stringify(frame));
  };
  const refuse = (p: Peer, reason: CloseReason, detail?: string): void => {
    core.log.refused({
      connectionId: p.socketId,
      channel: 'site.connect',
      code: reason,
      userId: null,
      ...(detail ? { detail } : {}),
    });
    p.phase = 'closing';
    if (p.timer) clearTimeout(p.timer);
    p.ws.close(closeCodes[reason].code, reason);
  };
  const frameError = (p: Peer, id: number | null, error: AppError): void => send(p, { t: 'error', id, error });

  /**
   * The socket's host key is still in force (D-120): an administrator may retire a workstation's
   * key while it is connected (a stolen laptop); from then on nothing it sends runs, and it hears
   * nothing. Checked at every call and event, and again inside every write's transaction
   * (Ledger.write, through the call's origin).
   */
  const hostInForce = (p: Peer): boolean => {
    const s = core.maybe();
    if (!s) return true;
    const k = registeredHostKey(s.ledger.db, p.keyId);
    return !!k && !k.retired && (k.validTo === null || k.validTo > core.clock());
  };
  const retiredError = (p: Peer): AppError =>
    appError('key_error', { key: p.keyId, host: p.workstation }, 'errors.site_key_retired');

  const connectionOf = (p: Peer, session: string): Connection => {
    let c = p.sessions.get(session);
    if (!c) {
      // Stable per host key and session name: a workstation that reconnects after a network
      // drop finds its signed-in sessions again (it proved the same key).
      c = { id: `site:${p.keyId}:${session}`, locale: 'en' };
      p.sessions.set(session, c);
    }
    return c;
  };

  const onHello = (p: Peer, msg: unknown): void => {
    const h = helloFrame.safeParse(msg);
    if (!h.success) return refuse(p, 'protocol', 'hello');
    if (h.data.v !== PROTOCOL_VERSION) return refuse(p, 'version', String(h.data.v));
    const raw = Buffer.from(h.data.publicKey, 'base64');
    if (raw.length !== 32 || createHash('sha256').update(raw).digest('hex') !== h.data.fingerprint)
      return refuse(p, 'protocol', 'public key and fingerprint differ');
    const zone = knownZone(h.data.tz);
    if (!zone) return refuse(p, 'protocol', `unknown time zone ${h.data.tz}`);
    // Spelled as the zone database spells it (`asia/shanghai` → `Asia/Shanghai`; an alias such
    // as Asia/Kolkata kept as sent): every entry records it, and a verifier elsewhere (Python's
    // zoneinfo is case-sensitive) must find the zone this server computed local dates in (D-120).
    const tz = zone !== h.data.tz && zone.toLowerCase() === h.data.tz.toLowerCase() ? zone : h.data.tz;
    p.hello = { ...h.data, tz };
    p.keyId = h.data.fingerprint.slice(0, 16);
    p.nonce = randomBytes(32).toString('hex');
    p.phase = 'challenged';
    send(p, { t: 'challenge', nonce: p.nonce });
  };

  const signed = (p: Peer, signature: string, purpose: 'auth' | 'enrol'): boolean =>
    verifySignature(
      p.hello!.publicKey,
      Buffer.from(authMessage({ nonce: p.nonce, serverFingerprint: fingerprint, keyId: p.keyId, purpose }), 'utf8'),
      Buffer.from(signature, 'base64'),
    );

  const onAuth = (p: Peer, msg: unknown): void => {
    const a = authFrame.safeParse(msg);
    if (!a.success) return refuse(p, 'protocol', 'auth');
    if (!signed(p, a.data.signature, 'auth')) return refuse(p, 'bad_signature');
    const s = core.maybe();
    if (!s) return refuse(p, 'not_ready');
    // Only reads the registry: a refused host writes nothing.
    const k = identityQueriesOf(s.ledger.db).signingKey(p.keyId);
    if (!k || k.public_key !== p.hello!.publicKey || k.host_kind === 'server')
      return refuse(p, 'unknown_host', p.keyId);
    if (k.retired || (k.valid_to !== null && k.valid_to <= core.clock())) return refuse(p, 'key_retired', p.keyId);
    p.workstation = `${k.host_kind}@${k.host}`;
    p.phase = 'ready';
    if (p.timer) clearTimeout(p.timer);
    core.log.info('site: workstation connected', { workstation: p.workstation, key: p.keyId, tz: p.hello!.tz });
    send(p, {
      t: 'welcome',
      v: PROTOCOL_VERSION,
      server: { name: opts.name ?? core.workstation, fingerprint, keyId: core.key.id, version: core.version },
      host: { keyId: p.keyId, workstation: p.workstation, tz: p.hello!.tz },
    });
  };

  const onEnrol = async (p: Peer, msg: unknown): Promise<void> => {
    const e = enrolFrame.safeParse(msg);
    if (!e.success) return refuse(p, 'protocol', 'enrol');
    if (!signed(p, e.data.signature, 'enrol')) return refuse(p, 'bad_signature');
    const s = core.maybe();
    if (!s) return refuse(p, 'not_ready');
    p.phase = 'closing';
    if (p.timer) clearTimeout(p.timer);
    const h = p.hello!;
    const host = e.data.name ?? h.host;
    const userId = e.data.user.trim().toLowerCase();
    // A machine that is not enrolled yet reaches this with nothing but the port: it must not be
    // able to count wrong passwords against a person who could not enrol it anyway (locking the
    // QA manager out from the network). Only an active administrator's password is tried (D-120).
    // A key already on record (in force or retired) is never enrolled again: refused before any
    // password is tried, so the refusal writes nothing (not even the administrator's sign-in).
    if (identityQueriesOf(s.ledger.db).signingKey(p.keyId)) {
      frameError(p, null, appError('conflict', { fingerprint: h.fingerprint }, 'errors.host_already_enrolled'));
      return refuse(p, 'enrol_refused', 'conflict');
    }
    const candidate = s.identity.getUser(userId);
    if (!candidate || !userRoles(candidate).includes('administrator')) {
      frameError(p, null, appError('forbidden', { permission: 'settings.manage' }, 'errors.enrol_needs_admin'));
      return refuse(p, 'enrol_refused', 'forbidden');
    }
    try {
      // The administrator sits at the enrolling workstation: its entries record that workstation.
      const r = await withOrigin({ workstation: `${h.kind}@${host}`, timeZone: h.tz }, async () => {
        const signer = await s.identity.authenticateCommand(userId, e.data.password, {
          sign: true,
          check: (u) => {
            if (!userRoles(u).includes('administrator')) throw new Error('not an administrator');
          },
        });
        return enrolHost(
          s.ledger,
          s.identity,
          signer,
          { id: p.keyId, publicKey: h.publicKey, fingerprint: h.fingerprint, host, hostKind: h.kind },
          { name: host, thisHost: false },
        );
      });
      core.log.info('site: workstation enrolled', { host, kind: h.kind, key: p.keyId });
      send(p, { t: 'enrolled', keyId: r.keyId, fingerprint: r.fingerprint, host: `${h.kind}@${host}`, seq: r.seq });
      p.ws.close(closeCodes.normal.code, 'normal');
    } catch (err) {
      const error =
        err && typeof err === 'object' && 'error' in err
          ? (err as { error: AppError }).error
          : appError('forbidden', { permission: 'settings.manage' }, 'errors.enrol_needs_admin');
      frameError(p, null, error);
      refuse(p, 'enrol_refused', error.code);
    }
  };

  /** Runs one call: exactly once for writes, with the workstation as the origin of its entries. */
  const runCall = async (p: Peer, f: CallFrame): Promise<{ result: Result<unknown>; replayed: boolean }> => {
    const conn = connectionOf(p, f.session ?? 'main');
    if (f.locale) conn.locale = f.locale;
    const origin = { workstation: p.workstation, timeZone: p.hello!.tz, hostKeyId: p.keyId };
    if (isChannelName(f.channel) && benchLocalChannels.has(f.channel))
      return {
        result: { ok: false, error: appError('forbidden', { channel: f.channel }, 'errors.bench_local_channel') },
        replayed: false,
      };
    const pathField = serverPathFields[f.channel];
    if (
      pathField &&
      f.input &&
      typeof f.input === 'object' &&
      (f.input as Record<string, unknown>)[pathField] !== undefined
    )
      return {
        result: {
          ok: false,
          error: appError('invalid_input', { channel: f.channel, field: pathField }, 'errors.site_server_path'),
        },
        replayed: false,
      };
    const writes = isChannelName(f.channel) && contract[f.channel].writes;
    if (!writes || !f.requestId) {
      if (writes)
        return {
          result: { ok: false, error: appError('invalid_input', { field: 'requestId' }, 'errors.request_id_required') },
          replayed: false,
        };
      return {
        result: await withOrigin(origin, () => core.dispatcher.call(conn, f.channel, f.input)),
        replayed: false,
      };
    }
    const requestId = f.requestId.toLowerCase();
    // A request id answers only the person who sent it (D-121): another session's user on the
    // same workstation neither reads the first reply nor has a write of their own suppressed.
    const userId = core.maybe()?.sessions.current(conn.id, core.clock())?.userId ?? null;
    const flight = `${p.keyId}:${userId ?? ''}:${requestId}`;
    const running = inFlight.get(flight);
    if (running) return { result: await running, replayed: true };
    const s = core.maybe();
    const log = s ? requestLog(s.ledger.db) : null;
    const seen = log?.get(requestId);
    if (seen) {
      if (seen.host_key !== p.keyId || seen.channel !== f.channel || seen.user_id !== userId)
        return {
          result: { ok: false, error: appError('conflict', { requestId }, 'errors.request_id_reused') },
          replayed: true,
        };
      if (seen.reply !== null) return { result: JSON.parse(seen.reply) as Result<unknown>, replayed: true };
      return {
        result: {
          ok: false,
          error: appError(ALREADY_APPLIED, { requestId, seq: seen.last_seq }, 'errors.already_applied'),
        },
        replayed: true,
      };
    }
    const mark: RequestMark = { id: requestId, hostKeyId: p.keyId, channel: f.channel, userId, recordedSeq: null };
    const run = withOrigin({ ...origin, request: mark }, () => core.dispatcher.call(conn, f.channel, f.input)).then(
      (result) => {
        // The reply is kept for a call that committed (its id is in the log), and for one that
        // succeeded by starting a job that commits elsewhere (an import in a worker thread).
        try {
          const open = core.maybe();
          if (open && mark.recordedSeq !== null) requestLog(open.ledger.db).keepReply(requestId, result);
          else if (open && result.ok)
            requestLog(open.ledger.db).keepStarted(mark, core.clock(), open.ledger.head().seq, result);
        } catch (e) {
          core.log.error({ channel: 'site.keepReply', error: e });
        }
        return result;
      },
    );
    inFlight.set(flight, run);
    try {
      return { result: await run, replayed: false };
    } finally {
      inFlight.delete(flight);
    }
  };

  const onCall = (p: Peer, msg: unknown): void => {
    const c = callFrame.safeParse(msg);
    if (!c.success) {
      const id =
        msg && typeof msg === 'object' && typeof (msg as { id?: unknown }).id === 'number'
          ? (msg as { id: number }).id
          : null;
      frameError(p, id, appError('invalid_input', { reason: 'call frame' }, 'errors.bad_frame'));
      return;
    }
    const f = c.data;
    if (!hostInForce(p)) {
      send(p, { t: 'result', id: f.id, result: { ok: false, error: retiredError(p) } });
      return refuse(p, 'key_retired', p.keyId);
    }
    runCall(p, f)
      .then(({ result, replayed }) => send(p, { t: 'result', id: f.id, result, ...(replayed ? { replayed } : {}) }))
      .catch((e: unknown) => {
        core.log.error({ channel: 'site.call', error: e });
        send(p, { t: 'result', id: f.id, result: { ok: false, error: appError('internal', { channel: f.channel }) } });
      });
  };

  wss.on('connection', (ws) => {
    const p: Peer = {
      socketId: `site-${++next}`,
      ws,
      phase: 'hello',
      hello: null,
      nonce: '',
      keyId: '',
      workstation: '',
      sessions: new Map(),
      timer: null,
    };
    if (closing) {
      ws.close(closeCodes.server_stopping.code, 'server_stopping');
      return;
    }
    peers.set(p.socketId, p);
    p.timer = setTimeout(() => {
      if (p.phase !== 'ready') refuse(p, 'handshake_timeout');
    }, handshakeMs);
    p.timer.unref();
    // A reset socket or an oversized frame must not become an uncaught error.
    ws.on('error', (e) =>
      core.log.refused({
        connectionId: p.socketId,
        channel: 'site.frame',
        code: 'invalid_input',
        userId: null,
        detail: e.message,
      }),
    );
    ws.on('message', (data) => {
      let msg: unknown;
      try {
        msg = JSON.parse(text(data));
      } catch {
        msg = undefined;
      }
      try {
        if (p.phase === 'hello') onHello(p, msg);
        else if (p.phase === 'challenged') {
          const t = msg && typeof msg === 'object' ? (msg as { t?: unknown }).t : undefined;
          if (t === 'enrol') void onEnrol(p, msg);
          else onAuth(p, msg);
        } else if (p.phase === 'ready') onCall(p, msg);
      } catch (e) {
        core.log.error({ channel: 'site.message', error: e });
        refuse(p, 'protocol');
      }
    });
    ws.on('close', (code) => {
      peers.delete(p.socketId);
      if (p.timer) clearTimeout(p.timer);
      // A workstation that says goodbye (1000) ends its sessions; after a network drop they
      // stay, for the same host key to find again when it reconnects.
      if (code === closeCodes.normal.code) for (const c of p.sessions.values()) core.maybe()?.sessions.end(c.id);
    });
  });

  const unsubscribe = core.dispatcher.onEvent((target, name, payload, mayReceive) => {
    for (const p of peers.values()) {
      if (p.phase !== 'ready') continue;
      if (!hostInForce(p)) {
        refuse(p, 'key_retired', p.keyId);
        continue;
      }
      for (const [session, c] of p.sessions) {
        if (target !== 'all' && target.connectionId !== c.id) continue;
        if (mayReceive(c.id)) send(p, { t: 'event', name, payload, session });
      }
    }
  });

  return new Promise((resolve, reject) => {
    https.once('error', reject);
    https.listen(opts.listen.port, opts.listen.host, () => {
      https.off('error', reject);
      const port = (https.address() as AddressInfo).port;
      const host = opts.listen.host.includes(':') ? `[${opts.listen.host}]` : opts.listen.host;
      resolve({
        url: `wss://${host}:${port}`,
        port,
        fingerprint,
        connections: () => [...peers.values()].filter((p) => p.phase === 'ready').length,
        close: () =>
          new Promise<void>((done) => {
            closing = true;
            unsubscribe();
            for (const p of peers.values()) {
              if (p.timer) clearTimeout(p.timer);
              p.ws.close(closeCodes.server_stopping.code, 'server_stopping');
            }
            wss.close(() => {
              for (const p of peers.values()) p.ws.terminate();
              https.close(() => done());
              https.closeAllConnections();
            });
          }),
      });
    });
  });
}
