import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  AppErrorException,
  appError,
  channelNames,
  contract,
  events,
  isChannelName,
  type ChannelName,
  type ChannelOutput,
  type ConnectionView,
  type EventName,
  type EventPayload,
  type Result,
  type SessionView,
} from '../../shared/contract';
import { fail } from '../../shared/contract/errors';
import type { InstrumentView } from '../../shared/contract/channels/instruments';
import type { Permission } from '../../shared/domain/roles';
import { normalFingerprint } from '../../shared/site/fingerprint';
import { alsoLocal, localEvents, routeOf } from '../../shared/site/routing';
import {
  Dispatcher,
  type Connection,
  type DispatcherLog,
  type EventSink,
  type Handler,
  type HandlerTable,
  type Locale,
  type SessionInfo,
} from '../dispatcher/dispatcher';
import type { DocumentViewer } from '../documents/viewer';
import type { HostKind } from '../ledger/keys';
import { workstationHandlers } from '../workstation/handlers';
import { leaveSite } from './site-join';
import { QueueRetry, type RetryOptions } from './queue-retry';
import { BenchStation } from './bench-station';
import { destinationFree, downloadTransfer } from './download';
import { channelSender, readOutcome, type FrameQueue } from '../instruments';
import { b64 } from '../instruments/views';
import { hostOf, type SiteLink, type SiteLinkFactory, type SiteLinkState, type SiteServerConfig } from './site-link';

export interface RemoteDispatcherOptions {
  server: SiteServerConfig;
  /** Opens this workstation's authenticated link for one renderer connection. */
  openLink: SiteLinkFactory;
  /** This workstation: its data folder (keys, bench queue, documents it opened), kind and key. */
  workstation: { dataDir: string; hostKind: HostKind; fingerprint: string };
  log: DispatcherLog & { info(msg: string, data?: unknown): void };
  /** The desktop's system PDF viewer (none in the harness: its PDFs open in a browser tab). */
  viewer?: DocumentViewer | null;
  /** Serial ports for the bench (tests pass pseudo-terminals' lister). */
  bench?: BenchStation;
  /**
   * The bench's store-and-forward queue of signed frames (branch bench, D-096): captures are
   * signed with the host key and queued here before anything is sent; they are written back
   * in order through this link when the server answers again.
   */
  frames: { queue: FrameQueue; clockSource(): string; timeZone: string };
  clock?: () => number;
  /** How the queue retries by itself (D-108): tests pass their own scheduler; defaults 2 s doubling to 60 s. */
  retry?: Partial<Pick<RetryOptions, 'minMs' | 'maxMs' | 'scheduler' | 'random'>>;
}

interface Entry {
  readonly conn: Connection;
  readonly link: SiteLink;
  /** The person signed in on this connection, as the server last said (never a password). */
  session: SessionInfo | null;
  /** The session as the server last described it (what auth.session answers while the server is away). */
  view: SessionView | null;
  /** Locked here while the server was away: the server is told as soon as it is back. */
  lockPending: boolean;
  last: SiteLinkState;
  readonly offs: Array<() => void>;
}

function sessionInfo(v: SessionView | null): SessionInfo | null {
  if (!v) return null;
  return {
    userId: v.userId,
    printedName: v.printedName,
    permissions: new Set(v.permissions as Permission[]),
    locked: v.locked,
    mustChangePassword: v.mustChangePassword,
  };
}

function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}

/**
 * The Dispatcher's shape for a workstation that is a client of a site server (issue 23 §3,
 * docs/decisions.md D-099/D-100). Every channel the routing table (src/shared/site/routing.ts)
 * sends to the server goes there over this connection's authenticated link, a write with a
 * fresh request id; the bench's serial channels, the workstation's own key, its viewer and
 * its link status run here, through a local Dispatcher (zod input, session, permission,
 * typed output) whose session is the one the server confirmed for this connection. The
 * person signs in at the server: no password or password hash is kept at the workstation.
 *
 * Events pushed by the server (ledger.changed, job.progress, session.changed…) are re-emitted
 * to the renderer connection whose link received them, after the event's access rule is
 * checked against that connection's session; the bench's own events (instruments.*) go to
 * every connection whose session may receive them.
 */
export class RemoteDispatcher {
  readonly server: SiteServerConfig;
  readonly bench: BenchStation;
  private readonly entries = new Map<string, Entry>();
  private readonly sinks = new Set<EventSink>();
  private readonly local: Dispatcher;
  private readonly locales = new Map<string, Locale>();
  private readonly clock: () => number;
  /** The bench queue's own retries while frames wait (D-108). */
  private readonly retry: QueueRetry;

  constructor(private readonly opts: RemoteDispatcherOptions) {
    this.server = { url: opts.server.url, fingerprint: normalFingerprint(opts.server.fingerprint) };
    this.clock = opts.clock ?? Date.now;
    this.bench = opts.bench ?? new BenchStation((name, payload) => this.emitLocal(name, payload));
    const gate = {
      current: (id: string) => this.entries.get(id)?.session ?? null,
      // The server keeps the idle clock of the session; bench calls do not reset it.
      touch: () => undefined,
    };
    this.local = new Dispatcher(this.localHandlers(), gate, opts.log, this.clock);
    this.retry = new QueueRetry(() => this.writeBack(), {
      minMs: 2_000,
      maxMs: 60_000,
      ...opts.retry,
      onChange: () => this.announce(),
    });
    // Frames left from an earlier run try by themselves, not only when something happens.
    if (this.queued() > 0) this.retry.kick();
  }

  onEvent(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  setLocale(connectionId: string, locale: Locale): void {
    this.locales.set(connectionId, locale);
  }

  localeOf(connectionId: string, fallback: Locale = 'en'): Locale {
    return this.locales.get(connectionId) ?? fallback;
  }

  async call(conn: Connection, channel: unknown, input: unknown): Promise<Result<unknown>> {
    if (!isChannelName(channel)) return this.local.call(conn, channel, input);
    const route = routeOf(channel);
    if (route === 'server') {
      if (alsoLocal.has(channel)) {
        const l = (input as { locale?: unknown } | null)?.locale;
        if (l === 'en' || l === 'zh-CN') this.setLocale(conn.id, l);
      }
      return this.forward(conn, channel, input);
    }
    if (route === null) return this.local.call(conn, '(unclassified)', input);
    // A bench or workstation channel: the session the server confirmed, fresh when it can be asked.
    const e = this.entry(conn);
    if (contract[channel].access !== 'public' && e.link.state().state === 'connected') await this.refreshSession(e);
    return this.local.call(conn, channel, input);
  }

  /** A renderer connection closed: its link closes, and with it the server's session. */
  end(connectionId: string): void {
    const e = this.entries.get(connectionId);
    if (!e) return;
    this.entries.delete(connectionId);
    for (const off of e.offs) off();
    e.link.close();
  }

  close(): Promise<void> {
    this.retry.close();
    for (const id of [...this.entries.keys()]) this.end(id);
    return this.bench.close();
  }

  /** Signed bench frames waiting for the server. */
  queued(): number {
    return this.opts.frames.queue.pending().length;
  }

  /** What connection.status answers for a connection (and connection.changed carries). */
  view(connectionId: string): ConnectionView {
    const s = this.entries.get(connectionId)?.link.state() ?? {
      state: 'connecting',
      since: this.clock(),
      reason: null,
      serverName: null,
    };
    return {
      mode: 'site',
      server: {
        url: this.server.url,
        host: hostOf(this.server.url),
        name: s.serverName,
        fingerprint: this.server.fingerprint,
      },
      state: s.state,
      since: new Date(s.since).toISOString(),
      reason: s.reason,
      queued: this.queued(),
      retryAt: this.retry?.nextAttemptAt ? new Date(this.retry.nextAttemptAt).toISOString() : null,
    };
  }

  /** Tell every connection that the link or the bench queue changed. */
  announce(): void {
    for (const id of this.entries.keys()) this.emitTo(id, 'connection.changed', this.view(id));
  }

  // --- forwarding ------------------------------------------------------------------------

  private entry(conn: Connection): Entry {
    const had = this.entries.get(conn.id);
    if (had) return had;
    const link = this.opts.openLink(conn.id);
    const e: Entry = { conn, link, session: null, view: null, lockPending: false, last: link.state(), offs: [] };
    this.entries.set(conn.id, e);
    e.offs.push(
      link.onEvent((name, payload) => this.fromServer(e, name, payload)),
      link.onState((s) => this.linkChanged(e, s)),
    );
    return e;
  }

  /** Resolves once the link is not in the middle of an attempt (connected or known unreachable). */
  private settled(e: Entry): Promise<void> {
    if (e.link.state().state !== 'connecting') return Promise.resolve();
    return new Promise((resolve) => {
      const off = e.link.onState((s) => {
        if (s.state === 'connecting') return;
        off();
        resolve();
      });
    });
  }

  private async forward(conn: Connection, channel: ChannelName, input: unknown): Promise<Result<unknown>> {
    const e = this.entry(conn);
    await this.settled(e);
    const def = contract[channel];
    const host = hostOf(this.server.url);
    if (e.link.state().state !== 'connected') {
      const away = this.whileAway(e, channel);
      if (away) return away;
      // Nothing is sent, nothing is queued: a write made while the record cannot be reached
      // is refused with a clear message (the bench's signed frames are the one exception).
      return {
        ok: false,
        error: appError('internal', { host }, def.writes ? 'errors.site_unreachable' : 'errors.site_unreachable_read'),
      };
    }
    const locale = conn.locale;
    const r = await e.link.call(channel, input, def.writes ? { locale, requestId: randomUUID() } : { locale });
    if (channel === 'auth.session') {
      if (r.ok) this.remember(e, r.data as SessionView | null);
    } else if (channel.startsWith('auth.')) {
      await this.refreshSession(e);
      // Someone who may enter results signed in: frames waiting here can go now.
      if (this.queued() > 0) this.retry.kick();
    }
    if (r.ok && channel === 'instruments.list') {
      return { ok: true, data: (r.data as InstrumentView[]).map((v) => this.bench.overlay(v)) };
    }
    if (r.ok && channel === 'instruments.get') {
      const d = r.data as ChannelOutput<'instruments.get'>;
      return { ok: true, data: { ...d, instrument: this.bench.overlay(d.instrument) } };
    }
    return r;
  }

  /** A server channel called from a local handler, on behalf of the same connection. */
  private async ask<K extends ChannelName>(conn: Connection, channel: K, input: unknown): Promise<ChannelOutput<K>> {
    const r = await this.forward(conn, channel, input);
    if (!r.ok) throw new AppErrorException(r.error);
    return r.data as ChannelOutput<K>;
  }

  private async refreshSession(e: Entry): Promise<void> {
    const r = await e.link.call('auth.session', {}, { locale: e.conn.locale });
    if (r.ok) this.remember(e, r.data as SessionView | null);
  }

  private remember(e: Entry, v: SessionView | null): void {
    e.view = v;
    e.session = sessionInfo(v);
    if (e.session && e.lockPending) e.session.locked = true;
  }

  /**
   * What the session channels do while the server is away, so that a workstation left alone
   * still locks (11.300(d)) and a person can still sign out: the screen locks here and the
   * server is told when it is back; signing out starts a new session name for this window
   * (the old one is signed out at the server when it answers), so the next person never finds
   * the previous one's session. Unlocking and signing in need the server (the password is
   * checked there, never here).
   */
  private whileAway(e: Entry, channel: ChannelName): Result<unknown> | null {
    if (channel === 'auth.session') {
      return { ok: true, data: e.view ? { ...e.view, locked: e.view.locked || e.lockPending } : null };
    }
    if (channel === 'auth.lock' && e.view) {
      e.lockPending = true;
      if (e.session) e.session.locked = true;
      return { ok: true, data: { ok: true } };
    }
    if (channel === 'auth.signOut') {
      e.link.rotate();
      e.view = null;
      e.session = null;
      e.lockPending = false;
      return { ok: true, data: { ok: true } };
    }
    return null;
  }

  // --- events ----------------------------------------------------------------------------

  private may(e: Entry | undefined, name: EventName): boolean {
    const access = events[name].access;
    if (access === 'public') return true;
    const s = e?.session;
    if (!s) return false;
    return access === 'session' || s.permissions.has(access);
  }

  private emitTo<E extends EventName>(connectionId: string, name: E, payload: EventPayload<E>): void {
    const e = this.entries.get(connectionId);
    const allowed = this.may(e, name);
    for (const sink of this.sinks) sink({ connectionId }, name, payload, (id) => id === connectionId && allowed);
  }

  /** The bench's events (its serial connections) to every connection whose session may receive them. */
  private emitLocal<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const sink of this.sinks) sink('all', name, payload, (id) => this.may(this.entries.get(id), name));
  }

  private fromServer(e: Entry, name: string, payload: unknown): void {
    if (!isEventName(name) || localEvents.has(name)) return;
    if (name === 'session.changed') {
      // Locked or signed out at the server (idle lock): the mirror follows before anything else is allowed.
      e.session = null;
      void this.refreshSession(e).catch(() => undefined);
    }
    this.emitTo(e.conn.id, name, payload as EventPayload<typeof name>);
  }

  private linkChanged(e: Entry, s: SiteLinkState): void {
    const before = e.last;
    e.last = s;
    if (before.state === s.state && before.reason === s.reason && before.serverName === s.serverName) return;
    this.opts.log.info(`site server ${this.server.url}: ${s.state}${s.reason ? ` (${s.reason})` : ''}`);
    this.emitTo(e.conn.id, 'connection.changed', this.view(e.conn.id));
    if (s.state === 'connected' && before.state !== 'connecting' && before.state !== 'connected') {
      // Back after an outage: a lock made meanwhile reaches the server first; the server may
      // also have forgotten the session (a restart): the window is told and asks again.
      const had = e.session;
      void (async () => {
        if (e.lockPending) {
          await e.link.call('auth.lock', {}, { locale: e.conn.locale });
          e.lockPending = false;
        }
        await this.refreshSession(e);
        if (had && !e.session) this.emitTo(e.conn.id, 'session.changed', { reason: 'signed_out' });
        if (this.queued() > 0) this.retry.kick();
      })().catch(() => undefined);
    }
  }

  // --- the bench's signed frames ----------------------------------------------------------

  /**
   * The sender of queued frames in the session of one connection: a capture's frame to
   * `instruments.submitFrame`, a daily-check reading's to `instruments.submitCheckFrame` (D-109).
   */
  private senderFor(conn: Connection) {
    return channelSender(
      (input) =>
        this.forward(
          conn,
          input.frame.body.purpose === 'check' ? 'instruments.submitCheckFrame' : 'instruments.submitFrame',
          input,
        ) as never,
    );
  }

  /**
   * Writes the queued frames back, in order, through a connection whose person may enter
   * results (the record keeps who captured and who delivered). Nobody signed in: they wait.
   */
  async writeBack(): Promise<number> {
    const f = this.opts.frames;
    const pending = f.queue.pending();
    if (pending.length === 0) return 0;
    // Someone who may send every kind of frame waiting: results need results.enter, check readings instruments.calibrate.
    const needs = new Set<Permission>(
      pending.map((q) => (q.frame.body.purpose === 'check' ? 'instruments.calibrate' : 'results.enter')),
    );
    const e = [...this.entries.values()].find(
      (x) => x.session && !x.session.locked && [...needs].every((p) => x.session!.permissions.has(p)),
    );
    if (!e || e.link.state().state !== 'connected') return f.queue.pending().length;
    const report = await f.queue.flush(this.senderFor(e.conn));
    if (report.delivered.length || report.refused.length) this.announce();
    return report.pending;
  }

  /**
   * A capture at this bench (D-099, D-096): the reading comes from this bench's port, is signed
   * with the host key and queued durably, then sent to the server, which re-parses the bytes
   * and stores value and bytes. While the server cannot be reached the signed frame waits
   * here (the answer says so) and is written back in order when it returns.
   */
  private async capture(
    conn: Connection,
    userId: string,
    i: {
      instrumentId: string;
      resultId?: string | undefined;
      sampleCode?: string | undefined;
      replicateIndex: number;
      readingId?: string | undefined;
    },
  ): Promise<ChannelOutput<'instruments.capture'>> {
    const sent = await this.signAndSend(conn, userId, i.instrumentId, i.readingId, {
      purpose: 'result',
      resultId: i.resultId ?? null,
      sampleCode: i.resultId ? null : (i.sampleCode ?? null),
      replicateIndex: i.replicateIndex,
    });
    const none = { capture: null, captures: [], unused: [], changed: [] };
    if (sent.kind !== 'receipt')
      return { outcome: sent.outcome, ...none, ...(sent.queued ? { queued: sent.queued } : {}) };
    const got = sent.receipt as ChannelOutput<'instruments.submitFrame'>;
    return {
      outcome: got.outcome,
      capture: got.captures[0] ?? null,
      captures: got.captures,
      unused: got.unused,
      changed: got.changed,
    };
  }

  /**
   * A daily-check reading at this bench (D-109): as a capture, the frame is read from this
   * bench's port, signed (purpose `check`) and queued, then sent to the server, which
   * re-parses it and stores the check capture; while the server does not answer it waits here.
   */
  private async checkRead(
    conn: Connection,
    userId: string,
    i: { id: string; readingId?: string | undefined },
  ): Promise<ChannelOutput<'instruments.read'>> {
    const sent = await this.signAndSend(conn, userId, i.id, i.readingId, {
      purpose: 'check',
      resultId: null,
      sampleCode: null,
      replicateIndex: 0,
    });
    if (sent.kind !== 'receipt')
      return { outcome: sent.outcome, capture: null, ...(sent.queued ? { queued: sent.queued } : {}) };
    const got = sent.receipt as ChannelOutput<'instruments.submitCheckFrame'>;
    return { outcome: got.outcome, capture: got.captures[0] ?? null };
  }

  /**
   * The bench's half of a signed reading, a capture's or a daily check's (D-095, D-109): the
   * frame read from this bench's port, signed with its purpose and target and queued, then sent
   * at once. While the server is away the link refuses at once, the queue notes since when it
   * has not answered (the gap the write-back records) and tries again by itself (D-108).
   * Returns what the caller answers from: no frame (the reading failed), still queued, or the
   * server's receipt; a refusal is thrown.
   */
  private async signAndSend(
    conn: Connection,
    userId: string,
    instrumentId: string,
    readingId: string | undefined,
    target: { purpose: 'result' | 'check'; resultId: string | null; sampleCode: string | null; replicateIndex: number },
  ): Promise<
    | { kind: 'not_sent'; outcome: ReturnType<typeof readOutcome>; queued?: { seq: number; since: string } }
    | { kind: 'receipt'; receipt: unknown }
  > {
    const f = this.opts.frames;
    const v = this.bench.connected(instrumentId);
    if (!v) fail('conflict', { instrument: instrumentId }, 'errors.instrument_not_connected');
    const { frame, error } = await this.bench.frameFor(v.id, readingId);
    if (!frame) return { kind: 'not_sent', outcome: readOutcome(null, conn.locale, error) };
    const signed = f.queue.enqueue({
      instrumentId: v.id,
      port: this.bench.connections.state(v.id).port,
      driver: v.driver,
      capturedAt: frame.receivedAt ?? this.clock(),
      clock: f.clockSource(),
      tz: f.timeZone,
      by: userId,
      ...target,
      raw: b64(frame.raw),
    });
    const seq = signed.body.seq;
    await f.queue.flush(this.senderFor(conn));
    const answer = f.queue.answerFor(seq);
    if (f.queue.pending().length > 0) this.retry.ensure();
    this.announce();
    if (!answer)
      return {
        kind: 'not_sent',
        outcome: readOutcome(frame, conn.locale),
        queued: { seq, since: new Date(f.queue.linkDownSince ?? this.clock()).toISOString() },
      };
    if (answer.kind === 'refused') throw new AppErrorException(answer.error);
    if (answer.kind === 'unreachable') throw new Error('unreachable answers are never recorded');
    return { kind: 'receipt', receipt: answer.receipt };
  }

  // --- the workstation's own channels ------------------------------------------------------

  private localHandlers(): HandlerTable {
    const bench = this.bench;
    const ws = workstationHandlers(() => this.opts.workstation);
    const notHere = (): never => fail('internal', {}, 'errors.internal');
    const table: Record<string, Handler<ChannelName>> = Object.fromEntries(channelNames.map((n) => [n, notHere]));
    const local: Partial<{ [K in ChannelName]: Handler<K> }> = {
      ...ws,
      'connection.status': (_i, ctx) => this.view(ctx.connection.id),
      // On a server already: leave it first (D-107).
      'connection.join': () => fail('conflict', { url: this.server.url }, 'errors.site_already_joined'),
      'connection.leave': () => leaveSite({ dataDir: this.opts.workstation.dataDir, queued: this.queued() }),
      'instruments.ports': (_i, ctx) => bench.ports(ctx.connection.locale),
      'instruments.connect': async ({ id }, ctx) =>
        bench.connect((await this.ask(ctx.connection, 'instruments.get', { id })).instrument),
      'instruments.disconnect': async ({ id }, ctx) => {
        await bench.disconnect(id);
        return bench.overlay((await this.ask(ctx.connection, 'instruments.get', { id })).instrument);
      },
      'instruments.command': ({ id, command }) => bench.command(id, command),
      'instruments.terminal.send': ({ id, text }) => bench.send(id, text),
      'instruments.capture': (i, ctx) => {
        if (!ctx.session) fail('not_signed_in');
        return this.capture(ctx.connection, ctx.session.userId, i);
      },
      // A daily-check reading is a signed frame too (D-109): read here, signed, queued, stored by the server.
      'instruments.read': (i, ctx) => {
        if (!ctx.session) fail('not_signed_in');
        return this.checkRead(ctx.connection, ctx.session.userId, i);
      },
      // The inspector's evidence folder (or an audit-trail CSV) made on the server, downloaded
      // into this workstation's exports folder, every chunk and file hash-checked (D-103, D-104).
      'exports.download': async ({ jobId }, ctx) => {
        const view = await this.ask(ctx.connection, 'transfer.open', { jobId });
        if (!view) fail('not_found', { entity: 'export', id: jobId }, 'errors.transfer_not_found');
        const dir = join(this.opts.workstation.dataDir, 'exports');
        let dest = join(dir, view.name);
        for (let n = 2; !destinationFree(dest, view.shape); n++) dest = join(dir, `${view.name}-${n}`);
        try {
          return await downloadTransfer((ch, i) => this.forward(ctx.connection, ch as ChannelName, i), view, dest);
        } finally {
          await this.forward(ctx.connection, 'transfer.close', { transferId: view.transferId });
        }
      },
      'documents.open': async ({ ref, action }, ctx) => {
        const viewer = this.opts.viewer ?? null;
        if (!viewer || ref.kind !== 'document') fail('conflict', { action }, 'errors.viewer_unavailable');
        const d = await this.ask(ctx.connection, 'documents.get', { id: ref.id });
        const bytes = Buffer.from(d.base64, 'base64');
        const sha = createHash('sha256').update(bytes).digest('hex');
        if (sha !== d.sha256) fail('conflict', { id: ref.id }, 'errors.document_altered');
        const dir = join(this.opts.workstation.dataDir, 'documents');
        mkdirSync(dir, { recursive: true });
        const file = join(dir, `${sha}.pdf`);
        if (!existsSync(file)) writeFileSync(file, bytes);
        try {
          await (action === 'print' ? viewer.print(file) : viewer.open(file));
        } catch (e) {
          fail('conflict', { action, reason: e instanceof Error ? e.message : String(e) }, 'errors.viewer_failed');
        }
        return { ok: true as const, action };
      },
    };
    return { ...table, ...local } as HandlerTable;
  }
}
