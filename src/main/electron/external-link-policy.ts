/**
 * Which links may leave the app for the OS browser. Pure (no Electron) so it is unit tested;
 * the only caller that acts on it is openExternalLink() in external-links.ts.
 *
 * An allowlist, not a blocklist: the links the app shows are to regulators and standards
 * (GB standards on SAMR, NHC notices, 21 CFR on eCFR, EU GMP Annex 11). Anything else —
 * another host, http:, file:, smb:, a custom protocol, credentials or an explicit port in
 * the URL — is refused, because shell.openExternal hands the URL to whatever program the OS
 * associates with it.
 */
export const EXTERNAL_LINK_HOSTS: readonly string[] = [
  'www.samr.gov.cn',
  'std.samr.gov.cn',
  'openstd.samr.gov.cn',
  'www.nhc.gov.cn',
  'www.ecfr.gov',
  'health.ec.europa.eu',
];

export type ExternalLinkVerdict =
  | { readonly allowed: true; readonly url: string }
  | { readonly allowed: false; readonly reason: 'unparseable' | 'not_https' | 'credentials' | 'port' | 'host' };

export function checkExternalLink(raw: string, hosts: readonly string[] = EXTERNAL_LINK_HOSTS): ExternalLinkVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { allowed: false, reason: 'unparseable' };
  }
  if (url.protocol !== 'https:') return { allowed: false, reason: 'not_https' };
  if (url.username !== '' || url.password !== '') return { allowed: false, reason: 'credentials' };
  if (url.port !== '') return { allowed: false, reason: 'port' };
  // URL lower-cases and IDNA-encodes the host, so a look-alike spelling cannot match.
  if (!hosts.includes(url.hostname)) return { allowed: false, reason: 'host' };
  return { allowed: true, url: url.href };
}
