import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppErrorException, appError, type AppError } from '../../shared/contract/errors';
import type { EnrolledFrame } from '../../shared/site/protocol';
import { APP_VERSION } from '../db/store';
import type { HandlersOf } from '../dispatcher/handler-kit';
import type { HostKey } from '../ledger/keys';
import { SiteClient, SiteError } from './site-client';
import type { SiteServerConfig } from './site-link';
import { readSiteSettings, SITE_SETTINGS_FILE, siteServerConfig } from './site-settings';

/** An administrator authenticating an enrolment at the server (the password is not kept). */
export interface EnrolAdmin {
  user: string;
  password: string;
  /** The name recorded for this host (default: the machine name). */
  name?: string | undefined;
}

function asAppError(e: unknown): AppError {
  if (e instanceof SiteError) return e.error;
  if (e instanceof AppErrorException) return e.error;
  return appError('internal', { reason: e instanceof Error ? e.message : String(e) });
}

/**
 * Registers this host's PUBLIC key with a site server, an administrator authenticating
 * (docs/site-server.md §2, "Enrolment"): the one enrolment path of every host — `lotseal host
 * enrol --server`, the harness's `--enrol-user`, and the desktop's Administration → Site server
 * (joinSite below). Throws the server's typed error (AppErrorException) when it refuses, the
 * certificate differs or the server cannot be reached; nothing is written then.
 */
export async function enrolHostKey(server: SiteServerConfig, key: HostKey, admin: EnrolAdmin): Promise<EnrolledFrame> {
  const client = new SiteClient({
    url: server.url,
    fingerprint: server.fingerprint,
    key,
    reconnect: false,
    version: APP_VERSION,
  });
  try {
    return await client.enrol({
      user: admin.user.trim().toLowerCase(),
      password: admin.password,
      ...(admin.name ? { name: admin.name } : {}),
    });
  } catch (e) {
    throw new AppErrorException(asAppError(e));
  } finally {
    await client.close();
  }
}

/** Refusals a join screen words more precisely than the generic `errors.site_refused`. */
const JOIN_REFUSALS = new Set(['unknown_host', 'key_retired', 'not_ready', 'version']);

/** Connects once with the host key and says goodbye: proves the server accepts this host now. */
async function proveAccepted(server: SiteServerConfig, key: HostKey): Promise<string> {
  const client = new SiteClient({
    url: server.url,
    fingerprint: server.fingerprint,
    key,
    reconnect: false,
    version: APP_VERSION,
  });
  try {
    const w = await client.connect();
    return w.server.name;
  } catch (e) {
    if (e instanceof SiteError && JOIN_REFUSALS.has(e.reason))
      throw new AppErrorException(appError('forbidden', { url: server.url }, `errors.site_join_${e.reason}`));
    throw new AppErrorException(asAppError(e));
  } finally {
    await client.close();
  }
}

/** What the join screen says afterwards. */
export interface JoinOutcome {
  server: SiteServerConfig & { name: string };
  /** The enrolment the server recorded; null when this host's key was enrolled there already. */
  enrolled: { keyId: string; fingerprint: string; host: string; seq: number } | null;
  /** The file written. */
  file: string;
  /** `restart`: the host works on the server from its next start (every host today). */
  next: 'restart';
}

/**
 * A workstation joins a site server (issue 23; D-107): checks the address and fingerprint,
 * enrols this host's key with the server (the administrator's credentials are checked there;
 * a key the server knows already is simply accepted), proves that the server now accepts the
 * host, and only then writes `<data>/site.json` (temp file, fsync, rename). Any refusal —
 * wrong fingerprint, no answer, bad credentials, a host the server refuses — throws its typed
 * error and writes nothing.
 */
export async function joinSite(o: {
  queued: number;
  dataDir: string;
  key: HostKey;
  url: string;
  fingerprint: string;
  admin: EnrolAdmin;
  env?: NodeJS.ProcessEnv;
}): Promise<JoinOutcome> {
  const server = siteServerConfig(o.url.trim(), o.fingerprint);
  const current = readSiteSettings(o.dataDir, o.env ?? process.env);
  if (current) throw new AppErrorException(appError('conflict', { url: current.url }, 'errors.site_already_joined'));
  // Signed readings still waiting for this workstation's own database would be sent to the server.
  if (o.queued > 0)
    throw new AppErrorException(appError('conflict', { count: o.queued }, 'errors.site_join_queue_waiting'));
  let enrolled: JoinOutcome['enrolled'] = null;
  try {
    const r = await enrolHostKey(server, o.key, o.admin);
    enrolled = { keyId: r.keyId, fingerprint: r.fingerprint, host: r.host, seq: r.seq };
  } catch (e) {
    // Enrolled there before (a second try after a restart was not made): accepted if it connects.
    if (!(e instanceof AppErrorException && e.error.messageKey === 'errors.host_already_enrolled')) throw e;
  }
  const name = await proveAccepted(server, o.key);
  const file = join(o.dataDir, SITE_SETTINGS_FILE);
  writeAtomically(file, `${JSON.stringify({ server: server.url, fingerprint: server.fingerprint }, null, 2)}\n`);
  return { server: { ...server, name }, enrolled, file, next: 'restart' };
}

/**
 * Leaves the site server (D-107): removes `<data>/site.json`, so the next start works on this
 * workstation's own database again. Refused while signed bench readings still wait for the
 * server (they would never be written back) and when the server comes from the environment.
 */
export function leaveSite(o: { dataDir: string; queued: number; env?: NodeJS.ProcessEnv }): {
  file: string;
  next: 'restart';
} {
  const env = o.env ?? process.env;
  if (env['LOTSEAL_SERVER'])
    throw new AppErrorException(appError('conflict', { variable: 'LOTSEAL_SERVER' }, 'errors.site_from_environment'));
  const file = join(o.dataDir, SITE_SETTINGS_FILE);
  if (!existsSync(file)) throw new AppErrorException(appError('conflict', {}, 'errors.site_not_joined'));
  if (o.queued > 0)
    throw new AppErrorException(appError('conflict', { count: o.queued }, 'errors.site_leave_queue_waiting'));
  rmSync(file);
  return { file, next: 'restart' };
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    const b = Buffer.from(text, 'utf8');
    writeSync(fd, b, 0, b.length, 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** What the join and leave channels need of a host: its data folder, its open host key, its bench queue. */
export interface SiteJoinHandlerDeps {
  dataDir: string;
  key: HostKey;
  /** Signed bench frames waiting in this workstation's queue. */
  queued(): number;
}

/** `connection.join` / `connection.leave`, the same at an embedded workstation and a site workstation. */
export function siteJoinHandlers(
  use: () => SiteJoinHandlerDeps,
): Pick<HandlersOf<'connection'>, 'connection.join' | 'connection.leave'> {
  return {
    'connection.join': ({ url, fingerprint, user, password, name }) => {
      const d = use();
      return joinSite({
        dataDir: d.dataDir,
        key: d.key,
        queued: d.queued(),
        url,
        fingerprint,
        admin: { user, password, ...(name ? { name } : {}) },
      });
    },
    'connection.leave': () => {
      const d = use();
      return leaveSite({ dataDir: d.dataDir, queued: d.queued() });
    },
  };
}
