import { shell } from 'electron';
import log from 'electron-log/main';
import { checkExternalLink } from './external-link-policy';

/**
 * The ONE place the app opens a URL in the OS browser (lint forbids `openExternal`
 * anywhere else: Beekeeper Studio's rule, style guide §8). Returns whether the link was
 * opened; a refusal is logged with the reason.
 */
export async function openExternalLink(url: string): Promise<boolean> {
  const verdict = checkExternalLink(url);
  if (!verdict.allowed) {
    log.warn(`external link refused (${verdict.reason}): ${url.slice(0, 200)}`);
    return false;
  }
  try {
    await shell.openExternal(verdict.url, { activate: true });
    return true;
  } catch (error) {
    log.error('external link could not be opened', error);
    return false;
  }
}
