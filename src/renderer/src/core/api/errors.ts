import type { TFunction } from 'i18next';
import i18n from '../i18n';
import { ApiError } from './client';

/** The sentence a person sees for any failure: the server's messageKey with its details. */
export function errorMessage(t: TFunction, err: unknown): string {
  if (err instanceof ApiError) {
    const { code, messageKey, details } = err.error;
    const key = i18n.exists(messageKey) ? messageKey : `errors.${code}`;
    return t(key, { ...(details ?? {}) } as Record<string, unknown>) as string;
  }
  return t('errors.unknown', { message: err instanceof Error ? err.message : String(err) }) as string;
}

/** A zod issue's message (a `zod.*` key such as quantity_format, or a message key) in the user's language. */
export function issueMessage(t: TFunction, message: string): string {
  if (i18n.exists(`zod.${message}`)) return t(`zod.${message}`) as string;
  if (i18n.exists(`schema.${message}`)) return t(`schema.${message}`) as string;
  if (i18n.exists(message)) return t(message) as string;
  return message;
}

/**
 * Per-field messages from an `invalid_input` error: the dispatcher returns
 * `details.issues = [{ path, message }]`, usually already localized. The key is the dotted
 * path (`settings.idleTimeoutMinutes`) and, for convenience, its last segment.
 */
export function fieldErrors(t: TFunction, err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(err instanceof ApiError)) return out;
  const issues = err.error.details?.issues;
  if (!Array.isArray(issues)) return out;
  for (const issue of issues as Array<{ path?: unknown; message?: unknown }>) {
    const path = Array.isArray(issue.path)
      ? issue.path.map(String)
      : typeof issue.path === 'string'
        ? issue.path.split('.')
        : [];
    if (path.length === 0 || typeof issue.message !== 'string') continue;
    const text = issueMessage(t, issue.message);
    out[path.join('.')] ??= text;
    out[path[path.length - 1] as string] ??= text;
  }
  return out;
}
