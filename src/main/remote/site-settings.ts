import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { appError, AppErrorException } from '../../shared/contract/errors';
import { normaliseFingerprint, parseSiteUrl } from '../../shared/site/protocol';
import type { SiteServerConfig } from './site-link';

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
