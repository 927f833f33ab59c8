import { AppErrorException, appError, type Result } from '../../shared/contract/errors';
import { parseSiteUrl, normaliseFingerprint } from '../../shared/site/protocol';
import { APP_VERSION } from '../db/store';
import { loadHostKey, passphraseProtector, type HostKey } from '../ledger/keys';
import type * as SiteClientModule from '../remote/site-client';
import type { SiteClient } from '../remote/site-client';
import { dataDir, passphrase, readFirstLine, type Global } from './common';

/**
 * `--server URL --server-fingerprint HEX` (../shared/formats/README.md §3): a command acting
 * through a site server instead of on a database file. This machine's CLI key authenticates
 * the host (it must be enrolled: `lotseal host enrol --server …`); the person signs in with
 * `--user/--password-file`, exactly as on a local database. An unknown host, a retired key or a
 * wrong fingerprint: exit 2 (could not run), nothing written.
 */
export interface RemoteGlobal extends Global {
  server?: string;
  serverFingerprint?: string;
}

export function isRemote(g: RemoteGlobal): boolean {
  return g.server !== undefined;
}

export function siteTarget(g: RemoteGlobal): { url: string; fingerprint: string } {
  const url = g.server ?? '';
  if (!parseSiteUrl(url)) throw new AppErrorException(appError('invalid_input', { url }, 'errors.site_url'));
  const fp = normaliseFingerprint(g.serverFingerprint ?? '');
  if (!fp)
    throw new AppErrorException(
      appError(
        'invalid_input',
        { value: g.serverFingerprint ?? '(missing --server-fingerprint)' },
        'errors.site_fingerprint',
      ),
    );
  return { url, fingerprint: fp };
}

/** This machine's CLI key, which must exist (it is made by `host enrol`). */
export function remoteKey(g: RemoteGlobal): HostKey {
  return loadHostKey(dataDir(g), 'cli', passphraseProtector(passphrase(g)));
}

/**
 * The site client, loaded when a command goes through a server: it checks each call against the
 * contract, whose schemas a local command never needs at start (D-116).
 */
export function loadSiteClient(): Promise<typeof SiteClientModule> {
  return import('../remote/site-client');
}

/** A connected client of the site server (host authenticated), or exit 2. */
export async function siteClient(
  g: RemoteGlobal,
  key: HostKey,
  onReconnect?: (c: SiteClient) => Promise<void>,
): Promise<SiteClient> {
  const t = siteTarget(g);
  const { SiteClient, SiteError } = await loadSiteClient();
  const client = new SiteClient({
    url: t.url,
    fingerprint: t.fingerprint,
    key,
    version: APP_VERSION,
    ...(onReconnect ? { onReconnect } : {}),
  });
  try {
    await client.connect();
  } catch (e) {
    await client.close();
    if (e instanceof SiteError) throw new AppErrorException(e.error);
    throw e;
  }
  return client;
}

/** The data of a call, or its typed error thrown (exit 2 unless the caller catches it). */
export function need<T>(r: Result<unknown>): T {
  if (!r.ok) throw new AppErrorException(r.error);
  return r.data as T;
}

/**
 * Runs `fn` with a client signed in as `user` (the password from the file's first line). A
 * reconnection (the server restarted) signs in again before the waiting calls are sent again,
 * with their request ids: a retried write never runs twice. Signs out and says goodbye at the end.
 */
export async function withRemoteUser<T>(
  g: RemoteGlobal,
  user: string,
  passwordFile: string,
  fn: (client: SiteClient) => Promise<T>,
): Promise<T> {
  const password = readFirstLine(passwordFile, 'password');
  const key = remoteKey(g);
  const signIn = async (c: SiteClient): Promise<void> => {
    const s = await c.call('auth.session', {});
    if (s.ok && s.data) return;
    need(await c.call('auth.signIn', { userId: user.trim().toLowerCase(), password }));
  };
  const client = await siteClient(g, key, signIn);
  try {
    await signIn(client);
    return await fn(client);
  } finally {
    if (client.state === 'online') await client.call('auth.signOut', {});
    await client.close();
  }
}
