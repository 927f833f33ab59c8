import type { CSSProperties } from 'react';
import { currentLocale } from '../core/i18n';
import { signatureTime as signatureTimeIn } from '../../../shared/domain/zoned-time';

/** A signature's time in the zone it recorded, in the reader's language (北京时间 in Chinese). */
export function signatureTime(s: { signedAt: string; timeZone: string }): string {
  return signatureTimeIn(s, currentLocale());
}

/**
 * The plant's zone (issue 22, D-113): times and calendar days on screen are the plant's, as its
 * records and documents are (Beijing time for a licensed plant, D-089), not the workstation's.
 * Set from the session (`plantTimeZone`); the workstation's until a session says otherwise.
 */
let plantZone: string | null = null;

export function setPlantZone(zone: string | null | undefined): void {
  if (zone === plantZone || (zone ?? null) === plantZone) return;
  try {
    if (zone) new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    plantZone = zone ?? null;
  } catch {
    plantZone = null;
  }
}

/** The zone times are shown in, shown next to every time (21 CFR 11.10(e): time-stamped). */
export function localTimeZone(): string {
  return plantZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The parts (year … second) of an instant in the plant's zone. */
export function plantParts(
  d: Date = new Date(),
): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  return partsIn(d, plantZone ?? undefined) as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string>;
}

/** The calendar day of an instant in the plant's zone, YYYY-MM-DD. */
export function plantDate(d: Date | string | number = new Date()): string {
  const p = plantParts(d instanceof Date ? d : new Date(d));
  return `${p.year}-${p.month}-${p.day}`;
}

/** The plant's offset from UTC at an instant, in minutes (east positive). */
export function plantOffsetMinutes(at: Date = new Date()): number {
  const p = plantParts(at);
  const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second);
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** A wall-clock time in the plant ("2026-11-22T08:30", a datetime-local value) → the instant, ISO. */
export function plantLocalToInstant(v: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v);
  if (!m) return undefined;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  // The offset at that wall time (twice: correct across a change of offset).
  let at = wall - plantOffsetMinutes(new Date(wall)) * 60_000;
  at = wall - plantOffsetMinutes(new Date(at)) * 60_000;
  return new Date(at).toISOString();
}

/** An instant as a datetime-local value in the plant's zone ("2026-11-22T08:30"). */
export function plantLocalInput(d: Date = new Date()): string {
  const p = plantParts(d);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/**
 * One formatter per zone ('' = the workstation's zone, as it was when first asked): making an
 * Intl.DateTimeFormat costs far more than using one, and lists, badges and the shell format
 * times on every render (a profile of the language sweep had this at ~1 % of the renderer).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The parts of an instant in a time zone (the workstation's when none is given). */
function partsIn(d: Date, timeZone?: string): Record<string, string> {
  let f = formatters.get(timeZone ?? '');
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      ...(timeZone ? { timeZone } : {}),
    });
    formatters.set(timeZone ?? '', f);
  }
  return Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]));
}

/**
 * Local date and time, to the second, ISO-ordered in every language ("2026-12-05 20:03:44"):
 * never the US month/day order, which a Chinese lab (and an inspector abroad) misreads.
 */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = partsIn(d, plantZone ?? undefined);
  return `${p['year']}-${p['month']}-${p['day']} ${p['hour']}:${p['minute']}:${p['second']}`;
}

/** A time in a given IANA zone, e.g. where an audit entry was recorded. */
export function formatTimeIn(iso: string, timeZone: string): string {
  try {
    const p = partsIn(new Date(iso), timeZone);
    return `${p['year']}-${p['month']}-${p['day']} ${p['hour']}:${p['minute']}:${p['second']}`;
  } catch {
    return formatTime(iso);
  }
}

/**
 * The workstation's zone as people read it beside a time: 北京时间 (UTC+08:00) in Chinese on a
 * workstation in China, otherwise the offset (UTC+08:00, UTC−05:00).
 */
export function zoneLabel(at: Date = new Date()): string {
  const minutes = plantOffsetMinutes(at);
  const sign = minutes >= 0 ? '+' : '−';
  const abs = Math.abs(minutes);
  const offset = `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  const china = ['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Harbin', 'PRC'].includes(localTimeZone());
  return currentLocale() === 'zh-CN' && china ? `北京时间 ${offset}` : offset;
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A record's internal id as a list shows it: a UUID cut to its first 8 hex digits with a
 * leading # (the full id stays in the detail and the tooltip); a business key (a lot code, a
 * setting's name) as it is.
 */
export function shortId(id: string): string {
  return UUID.test(id) ? `#${id.slice(0, 8)}` : id;
}
