import { fail } from '../../shared/contract/errors';
import type { WorkCalendar } from '../../shared/rules';
import type { Actor, Ledger } from '../ledger/ledger';
import { I } from './entities';
import type { IntakeQueries } from './queries';

/** The plant's working calendar (public holidays and 调休 working weekends) that working-day deadlines count on. */
export class IntakeCalendar {
  constructor(
    private readonly ledger: Ledger,
    private readonly q: IntakeQueries,
  ) {}

  calendar(): WorkCalendar {
    const rows = this.q.calendarDays();
    return {
      holidays: new Set(rows.filter((r) => r.kind === 'holiday').map((r) => r.date)),
      workdays: new Set(rows.filter((r) => r.kind === 'workday').map((r) => r.date)),
    };
  }

  calendarList(year: number) {
    return this.q.calendarYear(year).map((r) => ({ id: r.id, date: r.date, kind: r.kind, name: r.name ?? null }));
  }

  saveCalendarDay(
    actor: Actor,
    date: string,
    kind: 'holiday' | 'workday' | null,
    name: string | null,
    reason?: string,
  ): { ok: true } {
    if (Number.isNaN(Date.parse(`${date}T00:00:00Z`))) fail('invalid_input', { field: 'date' }, 'errors.date_invalid');
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (kind === 'workday' && dow !== 0 && dow !== 6)
      fail('invalid_input', { field: 'kind', date }, 'errors.workday_not_weekend');
    return this.ledger.write(actor, (w) => {
      const cur = this.q.calendarDay(date);
      if (kind === null) {
        if (cur && !cur.retired) w.retire(I.calendarDay, cur.id, reason ?? 'back to the normal week');
      } else if (cur) {
        w.update(
          I.calendarDay,
          cur.id,
          { kind, name, ...(cur.retired ? {} : {}) },
          { reason: reason ?? `${kind} ${name ?? ''}`.trim() },
        );
        if (cur.retired) fail('conflict', { date }, 'errors.record_retired');
      } else w.create(I.calendarDay, { date, kind, name });
      return { ok: true as const };
    });
  }
}
