import { hostname } from 'node:os';
import { join } from 'node:path';
import { APP_VERSION } from '../db/store';
import type { DispatcherLog } from '../dispatcher/dispatcher';
import type { DocumentViewer } from '../documents/viewer';
import { loadOrCreateHostKey, type HostKey, type KeyProtector } from '../ledger/keys';
import type { BenchStation } from './bench-station';
import { detectClockSource, FrameQueue } from '../instruments';
import { RemoteDispatcher, type RemoteDispatcherOptions } from './remote-dispatcher';
import type { SiteServerConfig } from './site-link';
import { SiteLinks } from './site-links';

export { readSiteSettings, SITE_SETTINGS_FILE, siteServerConfig } from './site-settings';

export interface SiteWorkstationOptions {
  dataDir: string;
  hostKind: 'desktop' | 'harness';
  protector: KeyProtector;
  server: SiteServerConfig;
  log: DispatcherLog & { info(msg: string, data?: unknown): void };
  viewer?: DocumentViewer | null;
  host?: string;
  timeZone?: string;
  clock?: () => number;
  bench?: BenchStation;
  /** The bench queue's own retries (D-108); tests pass their scheduler. */
  retry?: RemoteDispatcherOptions['retry'];
}

/**
 * A workstation whose record is on a site server (issue 23 §3): this machine's host key (it
 * authenticates the workstation; its private half never leaves), one SiteClient carrying every
 * renderer connection as a session, and the RemoteDispatcher the host transport serves.
 * No database is opened here.
 */
export class SiteWorkstation {
  readonly key: HostKey;
  readonly links: SiteLinks;
  readonly dispatcher: RemoteDispatcher;
  readonly log: SiteWorkstationOptions['log'];
  readonly frames: FrameQueue;
  private clockSource = 'unknown';

  constructor(o: SiteWorkstationOptions) {
    const clock = o.clock ?? Date.now;
    this.log = o.log;
    this.key = loadOrCreateHostKey(o.dataDir, o.hostKind, o.host ?? hostname(), o.protector, clock());
    this.links = new SiteLinks(
      {
        url: o.server.url,
        fingerprint: o.server.fingerprint,
        key: this.key,
        version: APP_VERSION,
        timeZone: o.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC',
      },
      clock,
      (m) => o.log.info(m),
    );
    // The bench's signed frames wait here, beside the key, never in a record (D-096).
    this.frames = FrameQueue.open(join(o.dataDir, 'frame-queue.jsonl'), {
      signer: this.key,
      host: `${this.key.hostKind}@${this.key.host}`,
      clock,
    });
    detectClockSource()
      .then((c) => (this.clockSource = c))
      .catch(() => undefined);
    const timeZone = o.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
    this.dispatcher = new RemoteDispatcher({
      server: o.server,
      openLink: this.links.open,
      workstation: { dataDir: o.dataDir, hostKind: o.hostKind, fingerprint: this.key.fingerprint },
      log: o.log,
      viewer: o.viewer ?? null,
      frames: { queue: this.frames, clockSource: () => this.clockSource, timeZone },
      clock,
      ...(o.bench ? { bench: o.bench } : {}),
      ...(o.retry ? { retry: o.retry } : {}),
    });
  }

  /** For the harness: a socket closed. */
  connectionClosed(connectionId: string): void {
    this.dispatcher.end(connectionId);
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
    await this.links.close();
    this.frames.close();
  }
}
