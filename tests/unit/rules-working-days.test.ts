import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  isWorkingDay,
  workingDaysBetween,
  type WorkCalendar,
} from '../../src/shared/rules/working-days';

const none: WorkCalendar = { holidays: new Set(), workdays: new Set() };
/** 2026 National Day / Mid-Autumn: 1–8 October off; Sunday 27 Sep and Saturday 10 Oct worked (调休). */
const cn2026: WorkCalendar = {
  holidays: new Set([
    '2026-10-01',
    '2026-10-02',
    '2026-10-03',
    '2026-10-04',
    '2026-10-05',
    '2026-10-06',
    '2026-10-07',
    '2026-10-08',
  ]),
  workdays: new Set(['2026-09-27', '2026-10-10']),
};

describe('working days (第二十七条 deadlines)', () => {
  it('weekends are rest days; the event day is not counted', () => {
    expect(addWorkingDays('2026-05-15', 1, none)).toBe('2026-05-18'); // Friday → Monday
    expect(addWorkingDays('2026-05-16', 5, none)).toBe('2026-05-22'); // Saturday → next Friday
    expect(addWorkingDays('2026-05-11', 7, none)).toBe('2026-05-20');
    expect(addWorkingDays('2026-05-11', 0, none)).toBe('2026-05-11');
  });

  it('holidays are skipped and make-up Saturdays and Sundays count', () => {
    expect(isWorkingDay('2026-10-01', cn2026)).toBe(false);
    expect(isWorkingDay('2026-10-10', cn2026)).toBe(true);
    expect(isWorkingDay('2026-09-27', cn2026)).toBe(true);
    // Notified Friday 25 Sep: 27 Sep (make-up Sunday), 28, 29, 30 Sep, then 9 Oct.
    expect(addWorkingDays('2026-09-25', 5, cn2026)).toBe('2026-10-09');
    // Received 30 Sep: 9 Oct, 10 Oct (make-up Saturday), 12, 13, 14, 15, 16 Oct.
    expect(addWorkingDays('2026-09-30', 7, cn2026)).toBe('2026-10-16');
  });

  it('bad input is refused', () => {
    expect(() => addWorkingDays('2026-02-30', 1, none)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-05-11', -1, none)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-05-11', 1.5, none)).toThrow(RangeError);
  });

  const date = fc
    .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
  const calendar = fc
    .record({ holidays: fc.uniqueArray(date, { maxLength: 40 }), workdays: fc.uniqueArray(date, { maxLength: 10 }) })
    .map((c) => ({ holidays: new Set(c.holidays), workdays: new Set(c.workdays) }) as WorkCalendar);

  it('the deadline is a working day, after the start, with exactly n working days between (property)', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 1, max: 30 }), calendar, (d, n, cal) => {
        const end = addWorkingDays(d, n, cal);
        expect(end > d).toBe(true);
        expect(isWorkingDay(end, cal)).toBe(true);
        expect(workingDaysBetween(d, end, cal)).toBe(n);
      }),
    );
  });

  it('adding m then n working days equals adding m + n (property)', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 }), calendar, (d, m, n, cal) => {
        const a = addWorkingDays(addWorkingDays(d, m, cal), n, cal);
        // After m ≥ 1 the start is a working day, so the two steps agree with one.
        if (m >= 1) expect(a).toBe(addWorkingDays(d, m + n, cal));
        else expect(a).toBe(addWorkingDays(d, n, cal));
      }),
    );
  });
});
