import type { CSSProperties } from 'react';
import { currentLocale } from '../core/i18n';

/** The workstation's time zone, shown next to every time (21 CFR 11.10(e): time-stamped). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Local date and time, to the second, in the user's language. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(currentLocale(), {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(d);
}

/** A time in a given IANA zone, e.g. where an audit entry was recorded. */
export function formatTimeIn(iso: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(currentLocale(), {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
      timeZone,
    }).format(new Date(iso));
  } catch {
    return formatTime(iso);
  }
}

/** A field value from a before/after record, readable (objects as JSON). */
export function formatValue(v: unknown): string {
  if (v === undefined) return '—';
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** Short, human-comparable form of a key fingerprint: 4-digit groups of its first 16 hex digits. */
export function shortFingerprint(fp: string): string {
  return (fp.slice(0, 16).match(/.{4}/g) ?? []).join(' ');
}

/** Numbers in lists line up: right-aligned, tabular figures. */
export const num: CSSProperties = { fontVariantNumeric: 'tabular-nums', textAlign: 'right', whiteSpace: 'nowrap' };
