import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { appError, AppErrorException } from '../../shared/contract/errors';
import { normaliseFingerprint, parseSiteUrl } from '../../shared/site/protocol';
import { APP_VERSION } from '../db/store';
import type { DispatcherLog } from '../dispatcher/dispatcher';
import type { DocumentViewer } from '../documents/viewer';
import { loadOrCreateHostKey, type HostKey, type KeyProtector } from '../ledger/keys';
import type { BenchStation } from './bench-station';
import { detectClockSource, FrameQueue } from '../instruments';
import { RemoteDispatcher } from './remote-dispatcher';
import type { SiteServerConfig } from './site-link';
import { SiteLinks } from './site-links';

/** The settings file of a desktop workstation on a site server: `<data folder>/site.json`. */
export const SITE_SETTINGS_FILE = 'site.json';

const siteSettings = z.object({
  /** wss://HOST:PORT of `lotseal serve` */
  server: z.string(),
  /** The certificate fingerprint `lotseal serve` printed (64 hex digits, colons allowed). */
  fingerprint: z.string(),
});

/** A site server's address and fingerprint, checked; a typed error that says which is wrong. */
export function siteServerConfig(url: string, fingerprint: string): SiteServerConfig {
  if (!parseSiteUrl(url)) throw new AppErrorException(appError('invalid_input', { url }, 'errors.site_url'));
  const fp = normaliseFingerprint(fingerprint);
  if (!fp) throw new AppErrorException(appError('invalid_input', { value: fingerprint }, 'errors.site_fingerprint'));
  return { url, fingerprint: fp };
}

/**
 * Which record a desktop works on (D-100): `<data folder>/site.json`
 * (`{ "server": "wss://lab-server:7443", "fingerprint": "…" }`, written by IT when the
 * workstation is installed) or `LOTSEAL_SERVER` + `LOTSEAL_SERVER_FINGERPRINT`; neither means
 * the embedded database, the default. A file that is present but wrong is an error, never a
 * silent fall-back to a local database.
 */
export function readSiteSettings(dataDir: string, env: NodeJS.ProcessEnv = process.env): SiteServerConfig | null {
  const url = env['LOTSEAL_SERVER'];
  if (url) return siteServerConfig(url, env['LOTSEAL_SERVER_FINGERPRINT'] ?? '');
  const file = join(dataDir, SITE_SETTINGS_FILE);
  if (!existsSync(file)) return null;
  let parsed: z.infer<typeof siteSettings>;
  try {
    parsed = siteSettings.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    throw new AppErrorException(
      appError(
        'invalid_input',
        { file, reason: e instanceof Error ? e.message.slice(0, 200) : String(e) },
        'errors.site_settings',
      ),
    );
  }
  return siteServerConfig(parsed.server, parsed.fingerprint);
}

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
