import type { TFunction } from 'i18next';
import { ApiError } from '../core/api/client';
import { errorMessage, fieldErrors } from '../core/api/errors';

/**
 * A server refusal as messages per form field: `invalid_input` issues by path, and service
 * errors that name their `details.field` (e.g. temperature_implausible → temperature).
 * `map` renames contract fields to form fields.
 */
export function serverFieldErrors(
  t: TFunction,
  err: unknown,
  map: Record<string, string> = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fieldErrors(t, err))) out[map[k] ?? k] = v;
  if (err instanceof ApiError) {
    const field = err.error.details?.['field'];
    if (typeof field === 'string') out[map[field] ?? field] = errorMessage(t, err);
  }
  return out;
}

/** Base64 of a file's raw bytes (no data: prefix). */
export function fileToBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const s = String(r.result ?? '');
      const i = s.indexOf(',');
      resolve(i >= 0 ? s.slice(i + 1) : s);
    };
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(blob);
  });
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}
