import { addWorkingDays, workingDaysBetween, type WorkCalendar } from '../../../../shared/rules';
import { useCall } from '../../core/api/hooks';

/**
 * The plant's working-day calendar (holidays, make-up working days 调休) for the years
 * around today, for previews of the 第二十七条 deadlines. The server computes the deadlines
 * it records; these previews use the same rule (src/shared/rules/working-days.ts).
 */
export function useWorkCalendar(year = new Date().getFullYear()): WorkCalendar | null {
  const prev = useCall('calendar.list', { year: year - 1 }, { staleTime: 60_000 });
  const cur = useCall('calendar.list', { year }, { staleTime: 60_000 });
  const next = useCall('calendar.list', { year: year + 1 }, { staleTime: 60_000 });
  if (!prev.data || !cur.data || !next.data) return null;
  const days = [...prev.data, ...cur.data, ...next.data];
  return {
    holidays: new Set(days.filter((d) => d.kind === 'holiday').map((d) => d.date)),
    workdays: new Set(days.filter((d) => d.kind === 'workday').map((d) => d.date)),
  };
}

export function previewDeadline(
  cal: WorkCalendar | null,
  from: string | null | undefined,
  days: number,
): string | null {
  if (!cal || !from || !/^\d{4}-\d{2}-\d{2}$/.test(from)) return null;
  try {
    return addWorkingDays(from, days, cal);
  } catch {
    return null;
  }
}

/** Working days from today to the deadline (negative when past, as calendar days past). */
export function workingDaysLeft(cal: WorkCalendar | null, today: string, deadline: string): number | null {
  if (!cal) return null;
  try {
    if (deadline >= today) return workingDaysBetween(today, deadline, cal);
    return -workingDaysBetween(deadline, today, cal);
  } catch {
    return null;
  }
}
