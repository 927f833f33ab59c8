/**
 * Working days on a plant calendar (issue 9 §2; 《宁夏回族自治区奶产业发展条例》 第二十七条:
 * 5 working days to apply for a re-test, 7 working days for its report). Saturdays and
 * Sundays are rest days, public holidays are rest days, and make-up working days (调休,
 * a Saturday or Sunday worked in exchange for a holiday bridge) are working days. The
 * calendar is data: the plant enters each year's State Council holiday notice.
 *
 * Counting follows the usual reading of "within N working days from the day of receipt":
 * the day of the event itself is not counted; the deadline is the Nth working day after it.
 */
export interface WorkCalendar {
  /** Dates (YYYY-MM-DD) that are public holidays (rest days even on a weekday). */
  readonly holidays: ReadonlySet<string>;
  /** Dates that are make-up working days (working even on a weekend). */
  readonly workdays: ReadonlySet<string>;
}

const DAY = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function toMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

function toDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isValidDate(date: string): boolean {
  if (!DATE.test(date)) return false;
  const ms = toMs(date);
  return !Number.isNaN(ms) && toDate(ms) === date;
}

export function isWorkingDay(date: string, cal: WorkCalendar): boolean {
  if (cal.workdays.has(date)) return true;
  if (cal.holidays.has(date)) return false;
  const dow = new Date(toMs(date)).getUTCDay();
  return dow !== 0 && dow !== 6;
}

/** The Nth working day after `date` (n ≥ 1), or `date` itself for n = 0. */
export function addWorkingDays(date: string, n: number, cal: WorkCalendar): string {
  if (!isValidDate(date)) throw new RangeError(`not a date: ${date}`);
  if (!Number.isInteger(n) || n < 0 || n > 3660) throw new RangeError(`bad working day count: ${n}`);
  let ms = toMs(date);
  let left = n;
  // A calendar can never hold more than a few hundred rest days in a row; bound the walk.
  for (let guard = 0; left > 0 && guard < 40_000; guard++) {
    ms += DAY;
    if (isWorkingDay(toDate(ms), cal)) left--;
  }
  return toDate(ms);
}

/** Working days strictly after `from` up to and including `to` (0 when to ≤ from). */
export function workingDaysBetween(from: string, to: string, cal: WorkCalendar): number {
  if (!isValidDate(from) || !isValidDate(to)) throw new RangeError('not a date');
  let count = 0;
  for (let ms = toMs(from) + DAY; ms <= toMs(to); ms += DAY) if (isWorkingDay(toDate(ms), cal)) count++;
  return count;
}
