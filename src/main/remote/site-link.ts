import type { Result } from '../../shared/contract';
import type { Locale } from '../dispatcher/dispatcher';

/** Where a workstation's record is: the site server's address and its pinned certificate fingerprint. */
export interface SiteServerConfig {
  /** wss://host:port */
  readonly url: string;
  /** SHA-256 of the server's certificate (hex; colons and case are ignored). */
  readonly fingerprint: string;
}

export type SiteLinkStateName = 'connecting' | 'connected' | 'unreachable' | 'refused';

export interface SiteLinkState {
  readonly state: SiteLinkStateName;
  /** When the state last changed (epoch ms). */
  readonly since: number;
  /** Why the last attempt failed (a message key under `site.reason.*`), when unreachable. */
  readonly reason: string | null;
  /** The server's own name once it has welcomed this workstation. */
  readonly serverName: string | null;
}

/**
 * One authenticated connection to the site server, as the RemoteDispatcher uses it: the
 * server keeps one session per connection, so every renderer connection of a workstation
 * (a desktop window, a harness tab) has its own link. Implemented over the `SiteClient`
 * (src/main/remote/site-client.ts) by `siteClientLink`.
 */
export interface SiteLink {
  state(): SiteLinkState;
  onState(listener: (s: SiteLinkState) => void): () => void;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
  /** A call; a write carries a request id (the server answers a retry with the first result). */
  call(channel: string, input: unknown, o: { locale: Locale; requestId?: string }): Promise<Result<unknown>>;
  /** A new session name from now on; the old session is signed out at the server as soon as it answers. */
  rotate(): void;
  close(): void;
}

export type SiteLinkFactory = (connectionId: string) => SiteLink;

/** The host part of a wss:// address (for messages); the address itself when it cannot be parsed. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
