import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyDeadline,
  nextDeadline,
  reportDeadline,
  retestDateProblem,
  retestRuleFor,
  retestRules,
  sameLab,
  spotCheckStage,
} from '../../src/shared/rules/retest';
import { isWorkingDay, workingDaysBetween, type WorkCalendar } from '../../src/shared/rules/working-days';

/** 2026 Labour Day as the State Council set it: 1–5 May off; Sunday 26 April and Saturday 9 May worked (调休). */
const labour2026: WorkCalendar = {
  holidays: new Set(['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05']),
  workdays: new Set(['2026-04-26', '2026-05-09']),
};
const rawMilk = retestRuleFor('raw_milk');

describe('re-test deadlines of a spot check (第二十七条)', () => {
  it('raw milk: 5 working days to apply, 7 for the report, a different lab; the text is in the reference set', () => {
    expect(rawMilk).toMatchObject({ applyDays: 5, reportDays: 7, differentLab: true, verified: true });
    expect(rawMilk.sourceZh).toContain('第二十七条');
  });

  it('products: the Food Safety Law rule is tagged unverified and sets no report deadline', () => {
    const p = retestRuleFor('product');
    expect(p.verified).toBe(false);
    expect(p.reportDays).toBeNull();
    expect(reportDeadline(p, '2026-05-11', labour2026)).toBeNull();
  });

  it('over Labour Day: received Wednesday 29 April → apply by the make-up Saturday 9 May', () => {
    // 29 Apr + 5 working days: 30 Apr, 6, 7, 8 May and the make-up Saturday 9 May.
    expect(applyDeadline(rawMilk, '2026-04-29', labour2026)).toBe('2026-05-09');
    // Received on the make-up Sunday 26 April: 27, 28, 29, 30 Apr, 6 May.
    expect(applyDeadline(rawMilk, '2026-04-26', labour2026)).toBe('2026-05-06');
    // Re-test sample received Friday 8 May: 9 (Sat, worked), 11, 12, 13, 14, 15, 18 May.
    expect(reportDeadline(rawMilk, '2026-05-08', labour2026)).toBe('2026-05-18');
  });

  it('stage and the deadline that applies now', () => {
    const base = {
      result: 'nonconforming' as const,
      receivedOn: '2026-04-29',
      appliedOn: null,
      sampleReceivedOn: null,
      reportReceivedOn: null,
      closure: null,
    };
    expect(spotCheckStage(base)).toBe('open');
    expect(spotCheckStage({ ...base, result: 'conforming' })).toBe('conforming');
    expect(spotCheckStage({ ...base, appliedOn: '2026-04-30' })).toBe('applied');
    expect(spotCheckStage({ ...base, appliedOn: '2026-04-30', sampleReceivedOn: '2026-05-06' })).toBe('retesting');
    expect(spotCheckStage({ ...base, closure: 'accepted' })).toBe('closed');
    expect(nextDeadline('open', { apply: '2026-05-09', report: null }, null, '2026-05-09')).toEqual({
      deadline: '2026-05-09',
      kind: 'apply',
      overdue: false,
    });
    expect(nextDeadline('open', { apply: '2026-05-09', report: null }, null, '2026-05-10').overdue).toBe(true);
    expect(nextDeadline('applied', { apply: '2026-05-09', report: null }, null, '2026-06-01')).toEqual({
      deadline: null,
      kind: null,
      overdue: false,
    });
    expect(nextDeadline('retesting', { apply: '2026-05-09', report: '2026-05-18' }, null, '2026-05-19')).toEqual({
      deadline: '2026-05-18',
      kind: 'report',
      overdue: true,
    });
    expect(
      nextDeadline('retesting', { apply: '2026-05-09', report: '2026-05-18' }, '2026-05-15', '2026-05-19').overdue,
    ).toBe(false);
  });

  it('date problems: order, future, late application, conforming results are not disputed', () => {
    const d = {
      result: 'nonconforming' as const,
      receivedOn: '2026-04-29',
      appliedOn: null,
      sampleReceivedOn: null,
      reportReceivedOn: null,
      closure: null,
      applyDeadline: '2026-05-09',
      today: '2026-05-20',
    };
    expect(retestDateProblem(d)).toBeNull();
    expect(retestDateProblem({ ...d, appliedOn: '2026-05-11' })?.key).toBe('errors.spot_check_applied_late');
    expect(retestDateProblem({ ...d, appliedOn: '2026-04-28' })?.key).toBe('errors.spot_check_date_order');
    expect(retestDateProblem({ ...d, appliedOn: '2026-05-21' })?.key).toBe('errors.date_in_future');
    expect(retestDateProblem({ ...d, sampleReceivedOn: '2026-05-06' })?.key).toBe('errors.spot_check_not_applied');
    expect(retestDateProblem({ ...d, appliedOn: '2026-05-06', reportReceivedOn: '2026-05-12' })?.key).toBe(
      'errors.spot_check_no_retest_sample',
    );
    expect(retestDateProblem({ ...d, result: 'conforming', appliedOn: '2026-05-06' })?.key).toBe(
      'errors.spot_check_not_disputable',
    );
    expect(retestDateProblem({ ...d, appliedOn: '2026-02-30' })?.key).toBe('errors.date_invalid');
  });

  it('the same lab is recognised through spaces, case and full-width forms', () => {
    expect(sameLab('宁夏 食品检测研究院', '宁夏食品检测研究院')).toBe(true);
    expect(sameLab('ＮＸ Lab', 'nx lab')).toBe(true);
    expect(sameLab('宁夏食品检测研究院', '银川市农产品质量检测中心')).toBe(false);
    expect(sameLab('', '')).toBe(false);
  });

  const date = fc
    .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
  const calendar = fc
    .record({ holidays: fc.uniqueArray(date, { maxLength: 40 }), workdays: fc.uniqueArray(date, { maxLength: 10 }) })
    .map((c) => ({ holidays: new Set(c.holidays), workdays: new Set(c.workdays) }) as WorkCalendar);

  it('every deadline is a working day exactly the rule’s number of working days after the event (property)', () => {
    fc.assert(
      fc.property(
        date,
        date,
        calendar,
        fc.constantFrom(...Object.values(retestRules)),
        (received, sample, cal, rule) => {
          const a = applyDeadline(rule, received, cal);
          expect(isWorkingDay(a, cal)).toBe(true);
          expect(workingDaysBetween(received, a, cal)).toBe(rule.applyDays);
          const r = reportDeadline(rule, sample, cal);
          if (rule.reportDays === null) expect(r).toBeNull();
          else {
            expect(isWorkingDay(r!, cal)).toBe(true);
            expect(workingDaysBetween(sample, r!, cal)).toBe(rule.reportDays);
          }
        },
      ),
    );
  });

  it('an application on or before the deadline is accepted, one day later refused (property)', () => {
    fc.assert(
      fc.property(date, calendar, (received, cal) => {
        const deadline = applyDeadline(rawMilk, received, cal);
        const base = {
          result: 'nonconforming' as const,
          receivedOn: received,
          sampleReceivedOn: null,
          reportReceivedOn: null,
          closure: null,
          applyDeadline: deadline,
          today: '2099-12-31',
        };
        expect(retestDateProblem({ ...base, appliedOn: deadline })).toBeNull();
        const next = new Date(Date.parse(`${deadline}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
        expect(retestDateProblem({ ...base, appliedOn: next })?.key).toBe('errors.spot_check_applied_late');
      }),
    );
  });
});
