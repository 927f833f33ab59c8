import { randomUUID } from 'node:crypto';
import type { EnrolledFrame } from '../../shared/site/protocol';
import { SiteClient, type SiteClientOptions, type SiteError, type SiteState } from './site-client';
import { enrolHostKey } from './site-join';
import type { SiteLink, SiteLinkFactory, SiteLinkState } from './site-link';

/** Why the client is not online, as a message key the renderer can say (site.close.* or siteLink.reason.*). */
function reasonKey(state: SiteState, why: SiteError | null): string | null {
  if (state === 'online' || state === 'connecting') return null;
  if (!why) return state === 'closed' ? 'site.close.normal' : 'siteLink.reason.network';
  if (why.reason === 'fingerprint') return 'siteLink.reason.fingerprint';
  if (why.reason === 'unreachable' || why.reason === 'closed') return 'siteLink.reason.network';
  return `site.close.${why.reason}`;
}

function linkStateOf(s: SiteState): SiteLinkState['state'] {
  switch (s) {
    case 'online':
      return 'connected';
    case 'connecting':
      return 'connecting';
    case 'refused':
      return 'refused';
    default:
      return 'unreachable';
  }
}

/**
 * One SiteClient (one TLS WebSocket, this workstation's key) carrying every renderer
 * connection of the workstation as its own session on the server (docs/site-server.md §3:
 * `session` names one sign-in on the socket; a reconnection after a network drop finds the
 * sessions again). Each renderer connection gets a `SiteLink` that calls in its session and
 * receives the events tagged with it. A refused client (not enrolled yet, a retired key) is
 * replaced by a new one after an enrolment or when asked to retry.
 */
export class SiteLinks {
  private client!: SiteClient;
  private offs: Array<() => void> = [];
  private current: SiteLinkState;
  private readonly stateListeners = new Set<(s: SiteLinkState) => void>();
  private readonly eventListeners = new Map<string, (name: string, payload: unknown) => void>();

  constructor(
    private readonly options: SiteClientOptions,
    private readonly clock: () => number = Date.now,
    private readonly log: (msg: string) => void = () => undefined,
  ) {
    this.current = { state: 'connecting', since: clock(), reason: null, serverName: null };
    this.attach(new SiteClient(options));
  }

  get siteClient(): SiteClient {
    return this.client;
  }

  private attach(c: SiteClient): void {
    for (const off of this.offs) off();
    this.client = c;
    this.offs = [
      c.onState((s, why) => this.update(s, why)),
      c.onEvent((name, payload, session) => this.eventListeners.get(session)?.(name, payload)),
    ];
    this.update(c.state, null);
    // The first attempt's outcome arrives as a state; a refusal or an unreachable server is
    // shown, never thrown (the client keeps trying in the background unless refused).
    c.connect().catch((e: unknown) => this.log(`site server: ${e instanceof Error ? e.message : String(e)}`));
  }

  private update(s: SiteState, why: SiteError | null): void {
    const next: SiteLinkState = {
      state: linkStateOf(s),
      since: this.clock(),
      reason: reasonKey(s, why),
      serverName: this.client.welcome?.server.name ?? this.current.serverName,
    };
    const same =
      next.state === this.current.state &&
      next.reason === this.current.reason &&
      next.serverName === this.current.serverName;
    if (same) return;
    this.current = next;
    for (const l of this.stateListeners) l(next);
  }

  state(): SiteLinkState {
    return this.current;
  }

  /** A new client (after an enrolment, or a person asking to try a refused server again). */
  retry(): void {
    // An attempt still under way may have started before the key was enrolled (and be refused
    // a moment later): only an online client is kept; the old one's late answer is not listened to.
    if (this.client.state === 'online') return;
    const old = this.client;
    this.attach(new SiteClient(this.options));
    void old.close();
  }

  /**
   * Enrols this workstation's key with the server, an administrator authenticating (the
   * password goes to the server for this one check and is not kept); then connects again.
   */
  async enrol(admin: { user: string; password: string; name?: string }): Promise<EnrolledFrame> {
    const r = await enrolHostKey(this.options, this.options.key, admin);
    this.retry();
    return r;
  }

  readonly open: SiteLinkFactory = (connectionId: string): SiteLink => {
    // An unguessable session name per renderer connection: a restarted harness never finds
    // the session of another process's tab with the same connection id.
    let session = `${connectionId}.${randomUUID()}`;
    let listener: ((name: string, payload: unknown) => void) | null = null;
    const stale: string[] = [];
    const signOutStale = (): void => {
      if (this.client.state !== 'online') return;
      for (const old of stale.splice(0)) void this.client.call('auth.signOut', {}, { session: old });
    };
    this.stateListeners.add(signOutStale);
    return {
      state: () => this.current,
      onState: (l) => {
        this.stateListeners.add(l);
        return () => this.stateListeners.delete(l);
      },
      onEvent: (l) => {
        listener = l;
        this.eventListeners.set(session, l);
        return () => {
          listener = null;
          this.eventListeners.delete(session);
        };
      },
      call: (channel, input, o) =>
        this.client.call(channel, input, {
          session,
          locale: o.locale,
          ...(o.requestId ? { requestId: o.requestId } : {}),
        }),
      rotate: () => {
        this.eventListeners.delete(session);
        stale.push(session);
        session = `${connectionId}.${randomUUID()}`;
        if (listener) this.eventListeners.set(session, listener);
        signOutStale();
      },
      close: () => {
        this.stateListeners.delete(signOutStale);
        // The tab or window is gone: its sign-in on the server ends with it (as the harness
        // ends a local session when its socket closes).
        if (this.client.state === 'online') void this.client.call('auth.signOut', {}, { session });
      },
    };
  };

  close(): Promise<void> {
    for (const off of this.offs) off();
    return this.client.close();
  }
}
