import { createHash, randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { WebSocket, type RawData } from 'ws';
import { appError, contract, isChannelName, type AppError, type Result } from '../../shared/contract';
import {
  CLIENT_RETRY_MS,
  PROTOCOL_VERSION,
  SITE_PATH,
  authMessage,
  closeCodes,
  closeReasonOf,
  normaliseFingerprint,
  parseSiteUrl,
  serverFrame,
  type CloseReason,
  type EnrolledFrame,
  type ServerFrame,
  type WelcomeFrame,
} from '../../shared/site/protocol';
import type { HostKey } from '../ledger/keys';

/**
 * The Node client of a site server (issue 23, docs/site-server.md): hosts (the CLI, the
 * harness, the desktop's main process) use it; capabilities never do.
 *
 * - Pins the server certificate by its SHA-256 fingerprint: the TLS connection is made first
 *   and its certificate compared before a single byte of HTTP or WebSocket is sent; a different
 *   certificate is refused (state `refused`, error `site_fingerprint_mismatch`) and nothing is sent.
 * - Authenticates with this host's key (Ed25519 over `authMessage`: nonce, certificate, key id).
 * - `call(channel, input, { requestId })`: a write gets a fresh UUID request id unless one is
 *   given; a call whose reply was lost (the socket dropped) is sent again, with the SAME id,
 *   once the client is back online, so the server runs it at most once.
 * - Reconnects with exponential backoff after a drop; `state`: connecting → online →
 *   (drop) connecting / unreachable → online …; `refused` (the server closed with a reason that
 *   retrying cannot fix, or the certificate differs) and `closed` (close() was called) are final.
 */
export type SiteState = 'connecting' | 'online' | 'unreachable' | 'refused' | 'closed';

export interface SiteClientOptions {
  /** wss://HOST:PORT */
  url: string;
  /** The server certificate's SHA-256 fingerprint, hex (colons and case ignored). */
  fingerprint: string;
  /** This host's key (HostKind desktop, cli or harness). */
  key: HostKey;
  /** This workstation's IANA time zone (recorded in the audit entries of its calls). */
  timeZone?: string;
  /** App version sent in hello. */
  version?: string;
  /** Reconnect after a drop (default true). */
  reconnect?: boolean;
  /** Backoff between attempts: starts at `minMs`, doubles up to `maxMs` (defaults 200 ms, 10 s). */
  backoff?: { minMs: number; maxMs: number };
  /** The session name of calls that do not name one (default: a random name per client). */
  session?: string;
  /**
   * Called after every reconnection, before waiting calls are sent again (e.g. sign in again
   * when the server restarted and forgot the session). Calls made inside go out at once.
   */
  onReconnect?: (client: SiteClient) => Promise<void>;
}

export interface CallOptions {
  /** The write's request id: made fresh when absent; pass the same one to retry the same write yourself. */
  requestId?: string;
  /** Which of this client's sessions (sign-ins) the call belongs to. */
  session?: string;
  locale?: 'en' | 'zh-CN';
}

/** Why the client cannot go on: a refusal by the server, a certificate that differs, or an unreachable server. */
export class SiteError extends Error {
  constructor(
    readonly error: AppError,
    readonly reason: CloseReason | 'fingerprint' | 'unreachable' | 'closed',
  ) {
    super(`${error.code}: ${error.messageKey}${error.details ? ' ' + JSON.stringify(error.details) : ''}`);
    this.name = 'SiteError';
  }
}

interface Pending {
  id: number;
  channel: string;
  input: unknown;
  opts: CallOptions & { requestId?: string };
  resolve: (r: Result<unknown>) => void;
  /** Sent on the current socket (cleared when the socket drops). */
  sent: boolean;
  /** When the call was made (a write is re-sent only within CLIENT_RETRY_MS, D-106). */
  at: number;
}

type Phase =
  | { kind: 'auth' }
  | {
      kind: 'enrol';
      user: string;
      password: string;
      name?: string | undefined;
      done: (r: EnrolledFrame) => void;
      fail: (e: SiteError) => void;
    };

/** SHA-256 of the peer certificate's DER, hex. */
function peerFingerprint(s: TLSSocket): string | null {
  const c = s.getPeerCertificate();
  return c && c.raw ? createHash('sha256').update(c.raw).digest('hex') : null;
}

export class SiteClient {
  private readonly target: { host: string; port: number; url: string };
  private readonly pinned: string;
  private readonly tz: string;
  private readonly defaultSession: string;
  private _state: SiteState = 'connecting';
  private ws: WebSocket | null = null;
  private nextId = 0;
  private pending = new Map<number, Pending>();
  private stateListeners = new Set<(s: SiteState, why: SiteError | null) => void>();
  private eventListeners = new Set<(name: string, payload: unknown, session: string) => void>();
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private lastError: SiteError | null = null;
  private _welcome: WelcomeFrame | null = null;

  constructor(private readonly opts: SiteClientOptions) {
    const t = parseSiteUrl(opts.url);
    if (!t) throw new SiteError(appError('invalid_input', { url: opts.url }, 'errors.site_url'), 'protocol');
    const fp = normaliseFingerprint(opts.fingerprint);
    if (!fp)
      throw new SiteError(
        appError('invalid_input', { value: opts.fingerprint }, 'errors.site_fingerprint'),
        'protocol',
      );
    this.target = t;
    this.pinned = fp;
    this.tz = opts.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
    this.defaultSession = opts.session ?? randomUUID();
  }

  get state(): SiteState {
    return this._state;
  }

  /** The server's welcome of the current (or last) connection. */
  get welcome(): WelcomeFrame | null {
    return this._welcome;
  }

  /** Why the client is refused or unreachable now (null when online). */
  get error(): SiteError | null {
    return this.lastError;
  }

  get url(): string {
    return this.target.url;
  }

  get session(): string {
    return this.defaultSession;
  }

  onState(fn: (s: SiteState, why: SiteError | null) => void): () => void {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  }

  onEvent(fn: (name: string, payload: unknown, session: string) => void): () => void {
    this.eventListeners.add(fn);
    return () => this.eventListeners.delete(fn);
  }

  private setState(s: SiteState, why: SiteError | null = null): void {
    this.lastError = why;
    if (s === this._state && s !== 'unreachable') return;
    this._state = s;
    for (const l of this.stateListeners) l(s, why);
  }

  /**
   * Connects and authenticates. Resolves with the server's welcome once online; rejects with a
   * SiteError when refused (unknown host, retired key, another certificate) or, on the first
   * attempt, unreachable. With `reconnect`, a later drop is healed in the background.
   */
  connect(): Promise<WelcomeFrame> {
    return new Promise((resolve, reject) => {
      const off = this.onState((s, why) => {
        if (s === 'online') {
          off();
          resolve(this._welcome!);
        } else if (s === 'refused' || s === 'closed' || (s === 'unreachable' && this.attempt <= 1)) {
          off();
          reject(why ?? new SiteError(appError('server_unreachable', { url: this.target.url }), 'unreachable'));
        }
      });
      this.open({ kind: 'auth' });
    });
  }

  /**
   * Enrols this host with the server (`lotseal host enrol --server`): its public key is
   * registered, the administrator authenticating. Resolves with what the server recorded; the
   * client is `closed` afterwards (connect() again to work).
   */
  enrol(admin: { user: string; password: string; name?: string }): Promise<EnrolledFrame> {
    return new Promise((resolve, reject) => {
      this.open({
        kind: 'enrol',
        user: admin.user,
        password: admin.password,
        name: admin.name,
        done: (r) => {
          this.setState('closed');
          resolve(r);
        },
        fail: reject,
      });
    });
  }

  /**
   * Calls a channel on the server. Resolves with the contract's Result (never rejects). A write
   * without `requestId` gets a fresh one; when the reply is lost the call is sent again with the
   * same id after reconnecting. While the server is unreachable or the client refused, a new
   * call answers `server_unreachable` at once (nothing sent).
   */
  call(channel: string, input: unknown, opts: CallOptions = {}): Promise<Result<unknown>> {
    if (this._state === 'refused' || this._state === 'closed' || this._state === 'unreachable')
      return Promise.resolve({ ok: false, error: this.unreachableError() });
    const writes = isChannelName(channel) && contract[channel].writes;
    const requestId = opts.requestId ?? (writes ? randomUUID() : undefined);
    return new Promise((resolve) => {
      const p: Pending = {
        id: ++this.nextId,
        channel,
        input,
        opts: { ...opts, ...(requestId ? { requestId } : {}) },
        resolve,
        sent: false,
        at: Date.now(),
      };
      this.pending.set(p.id, p);
      if (this._state === 'online') this.sendCall(p);
    });
  }

  /** Ends the connection (sessions on the server end with it); waiting calls answer `server_unreachable`. */
  close(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const ws = this.ws;
    this.ws = null;
    this.setState('closed');
    this.failPending();
    if (!ws || ws.readyState === ws.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      ws.once('close', () => resolve());
      ws.close(closeCodes.normal.code, 'normal');
    });
  }

  private unreachableError(): AppError {
    return this.lastError?.error ?? appError('server_unreachable', { url: this.target.url });
  }

  private failPending(): void {
    const e = this.unreachableError();
    for (const p of this.pending.values()) p.resolve({ ok: false, error: e });
    this.pending.clear();
  }

  private sendCall(p: Pending): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== ws.OPEN) return;
    p.sent = true;
    ws.send(
      JSON.stringify({
        t: 'call',
        id: p.id,
        channel: p.channel,
        input: p.input,
        session: p.opts.session ?? this.defaultSession,
        ...(p.opts.locale ? { locale: p.opts.locale } : {}),
        ...(p.opts.requestId ? { requestId: p.opts.requestId } : {}),
      }),
    );
  }

  private scheduleReconnect(): void {
    if (this.opts.reconnect === false || this._state === 'refused' || this._state === 'closed') {
      if (this._state !== 'refused' && this._state !== 'closed') this.setState('unreachable', this.lastError);
      this.failPending();
      return;
    }
    const { minMs, maxMs } = this.opts.backoff ?? { minMs: 200, maxMs: 10_000 };
    const base = Math.min(maxMs, minMs * 2 ** Math.min(this.attempt, 16));
    const delay = base / 2 + Math.random() * (base / 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open({ kind: 'auth' });
    }, delay);
    this.retryTimer.unref?.();
  }

  /** One connection attempt: TLS, pin, then WebSocket, hello, challenge, auth or enrol. */
  private open(phase: Phase): void {
    this.attempt += 1;
    if (this._state !== 'unreachable') this.setState('connecting');
    const { host, port } = this.target;
    let settled = false;
    const unreachable = (why: string): void => {
      if (settled) return;
      settled = true;
      this.ws = null;
      for (const p of this.pending.values()) p.sent = false;
      const e = new SiteError(appError('server_unreachable', { url: this.target.url, reason: why }), 'unreachable');
      if (phase.kind === 'enrol') {
        this.setState('unreachable', e);
        phase.fail(e);
        return;
      }
      this.setState('unreachable', e);
      this.scheduleReconnect();
    };
    const refused = (e: SiteError): void => {
      if (settled) return;
      settled = true;
      this.ws = null;
      this.setState('refused', e);
      this.failPending();
      if (phase.kind === 'enrol') phase.fail(e);
    };

    const socket = tlsConnect({
      host,
      port,
      ...(isIP(host) ? {} : { servername: host }),
      // The certificate is checked by its pinned fingerprint below, not by a CA.
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    });
    socket.once('error', (e) => unreachable(e.message));
    socket.once('secureConnect', () => {
      const actual = peerFingerprint(socket);
      if (actual !== this.pinned) {
        socket.destroy();
        refused(
          new SiteError(
            appError(
              'key_error',
              { url: this.target.url, expected: this.pinned, actual: actual ?? 'none' },
              'errors.site_fingerprint_mismatch',
            ),
            'fingerprint',
          ),
        );
        return;
      }
      const ws = new WebSocket(`wss://${host.includes(':') ? `[${host}]` : host}:${port}${SITE_PATH}`, {
        createConnection: () => socket,
        maxPayload: 64 * 1024 * 1024,
        perMessageDeflate: false,
      });
      this.ws = ws;
      ws.on('error', (e) => unreachable(e.message));
      ws.on('open', () => {
        const k = this.opts.key;
        ws.send(
          JSON.stringify({
            t: 'hello',
            v: PROTOCOL_VERSION,
            host: k.host,
            kind: k.hostKind,
            publicKey: k.publicKey,
            fingerprint: k.fingerprint,
            tz: this.tz,
            version: this.opts.version ?? '0',
          }),
        );
      });
      ws.on('message', (data: RawData) => {
        let frame: ServerFrame;
        try {
          const parsed = serverFrame.safeParse(
            JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : String(data)),
          );
          if (!parsed.success) return;
          frame = parsed.data;
        } catch {
          return;
        }
        this.onFrame(ws, frame, phase, refused);
      });
      ws.on('close', (code, reasonBuf) => {
        if (this.ws === ws) this.ws = null;
        if (settled) return;
        if (this._state === 'closed') return;
        const reason = closeReasonOf(code, reasonBuf.toString('utf8'));
        if (reason && reason !== 'normal' && !closeCodes[reason].retry) {
          refused(
            new SiteError(appError('forbidden', { reason, url: this.target.url }, 'errors.site_refused'), reason),
          );
          return;
        }
        unreachable(reason ?? `closed ${code}`);
      });
    });
  }

  private onFrame(ws: WebSocket, f: ServerFrame, phase: Phase, refused: (e: SiteError) => void): void {
    const k = this.opts.key;
    const fp = this.pinned;
    switch (f.t) {
      case 'challenge': {
        const purpose = phase.kind === 'enrol' ? 'enrol' : 'auth';
        const signature = k
          .sign(Buffer.from(authMessage({ nonce: f.nonce, serverFingerprint: fp, keyId: k.id, purpose }), 'utf8'))
          .toString('base64');
        if (phase.kind === 'enrol')
          ws.send(
            JSON.stringify({
              t: 'enrol',
              signature,
              user: phase.user,
              password: phase.password,
              ...(phase.name ? { name: phase.name } : {}),
            }),
          );
        else ws.send(JSON.stringify({ t: 'auth', signature }));
        return;
      }
      case 'welcome': {
        this._welcome = f;
        this.attempt = 0;
        void this.online(ws);
        return;
      }
      case 'enrolled': {
        if (phase.kind === 'enrol') phase.done(f);
        return;
      }
      case 'error': {
        if (f.id === null && phase.kind === 'enrol') {
          refused(new SiteError(f.error as AppError, 'enrol_refused'));
          return;
        }
        if (f.id !== null) this.settle(f.id, { ok: false, error: f.error as AppError });
        return;
      }
      case 'result':
        this.settle(f.id, f.result as Result<unknown>);
        return;
      case 'event':
        for (const l of this.eventListeners) l(f.name, f.payload, f.session);
        return;
    }
  }

  private settle(id: number, result: Result<unknown>): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.resolve(result);
  }

  /** Back online: the reconnect hook first, then every call still waiting for its reply, same ids. */
  private async online(ws: WebSocket): Promise<void> {
    const waiting = [...this.pending.values()];
    if (this.opts.onReconnect && this.nextReconnectIsResume) {
      // Calls the hook makes go out at once (the state is online for them only).
      this._state = 'online';
      try {
        await this.opts.onReconnect(this);
      } catch {
        // The hook's own calls answered; the waiting calls go out anyway and get their answers.
      }
      // The socket dropped while the hook ran: the next connection starts again.
      if (this.ws !== ws || ws.readyState !== ws.OPEN) return;
      this._state = 'connecting';
    }
    this.nextReconnectIsResume = true;
    this.setState('online');
    const now = Date.now();
    for (const p of waiting) {
      if (!this.pending.has(p.id)) continue;
      // The server keeps a request id for REQUEST_RETENTION_MS; a write older than the client's
      // far shorter retry window is not sent again (it could be run twice): its caller is told.
      if (p.opts.requestId && now - p.at > CLIENT_RETRY_MS) {
        this.settle(p.id, {
          ok: false,
          error: appError('server_unreachable', { requestId: p.opts.requestId }, 'errors.request_expired'),
        });
        continue;
      }
      this.sendCall(p);
    }
  }

  private nextReconnectIsResume = false;
}
