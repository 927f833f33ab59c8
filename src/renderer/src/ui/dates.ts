import type { TFunction } from 'i18next';
import { plantDate } from './format';

/** Today in the plant's calendar (its zone, D-113) as YYYY-MM-DD. */
export function todayIso(): string {
  return plantDate();
}

export function addDaysIso(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** "3 h 20 min" / "2 d 4 h" from an instant to now. */
export function elapsedSince(t: TFunction, iso: string | null | undefined): string {
  if (!iso) return '—';
  const ms = Date.now() - new Date(iso).getTime();
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const min = Math.floor(ms / 60_000);
  if (min < 60) return t('intake.elapsed.minutes', { m: min });
  const h = Math.floor(min / 60);
  if (h < 48) return t('intake.elapsed.hours', { h, m: min % 60 });
  return t('intake.elapsed.days', { d: Math.floor(h / 24), h: h % 24 });
}
