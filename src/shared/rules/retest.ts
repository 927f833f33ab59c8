import { addWorkingDays, isValidDate, type WorkCalendar } from './working-days';

/**
 * Re-test (复检) deadlines of a government spot check (监督抽查), counted in working days on the
 * plant's calendar (weekends, public holidays, make-up working days 调休; the day of the event
 * is not counted, working-days.ts).
 *
 * - `ningxia_27`: 《宁夏回族自治区奶产业发展条例》(2024) 第二十七条, for spot checks of raw milk
 *   by the agriculture authority: apply within 5 working days of receiving the result, to the
 *   authority that ran the spot check or the one above it; the re-test lab reports within 7
 *   working days of receiving the re-test sample and is not the first lab. The text is in the
 *   project's reference set (policy/003): verified.
 * - `food_safety_law_88`: spot checks of the plant's products by market regulation under
 *   《中华人民共和国食品安全法》第八十八条 (7 working days to apply, a different lab). That text
 *   is NOT in the reference set: the rule is tagged unverified and sets no report deadline
 *   (the plant records the date the re-test lab gives). Check it against the official text.
 */
export const retestRuleIds = ['ningxia_27', 'food_safety_law_88'] as const;
export type RetestRuleId = (typeof retestRuleIds)[number];

export interface RetestRule {
  readonly id: RetestRuleId;
  /** Working days from receiving the result to apply for the re-test. */
  readonly applyDays: number;
  /** Working days from the re-test lab receiving the sample to its report; null: none set by the rule. */
  readonly reportDays: number | null;
  /** The re-test lab must not be the first lab. */
  readonly differentLab: boolean;
  /** Checked against the regulation's text in the reference set. */
  readonly verified: boolean;
  readonly sourceZh: string;
  readonly sourceEn: string;
}

export const retestRules: Readonly<Record<RetestRuleId, RetestRule>> = {
  ningxia_27: {
    id: 'ningxia_27',
    applyDays: 5,
    reportDays: 7,
    differentLab: true,
    verified: true,
    sourceZh: '《宁夏回族自治区奶产业发展条例》（2024年修订）第二十七条',
    sourceEn: 'Ningxia Dairy Industry Development Regulations (2024), Article 27',
  },
  food_safety_law_88: {
    id: 'food_safety_law_88',
    applyDays: 7,
    reportDays: null,
    differentLab: true,
    verified: false,
    sourceZh: '《中华人民共和国食品安全法》第八十八条（未核对原文）',
    sourceEn: 'PRC Food Safety Law, Article 88 (not checked against the official text)',
  },
};

/** Raw milk spot checks follow 第二十七条; product spot checks the Food Safety Law rule. */
export function retestRuleFor(subject: 'raw_milk' | 'product'): RetestRule {
  return retestRules[subject === 'raw_milk' ? 'ningxia_27' : 'food_safety_law_88'];
}

/** The last day to apply for a re-test: `applyDays` working days after the result was received. */
export function applyDeadline(rule: RetestRule, receivedOn: string, cal: WorkCalendar): string {
  return addWorkingDays(receivedOn, rule.applyDays, cal);
}

/** The re-test report's deadline, or null when the rule sets none. */
export function reportDeadline(rule: RetestRule, sampleReceivedOn: string, cal: WorkCalendar): string | null {
  return rule.reportDays === null ? null : addWorkingDays(sampleReceivedOn, rule.reportDays, cal);
}

export type SpotCheckStage = 'conforming' | 'open' | 'applied' | 'retesting' | 'closed';

export interface SpotCheckDates {
  readonly result: 'conforming' | 'nonconforming';
  readonly receivedOn: string;
  readonly appliedOn: string | null;
  readonly sampleReceivedOn: string | null;
  readonly reportReceivedOn: string | null;
  readonly closure: string | null;
}

/** Where a spot check stands, from its dates (never stored alone: recomputed on every change). */
export function spotCheckStage(d: SpotCheckDates): SpotCheckStage {
  if (d.closure) return 'closed';
  if (d.result === 'conforming') return 'conforming';
  if (d.sampleReceivedOn) return 'retesting';
  if (d.appliedOn) return 'applied';
  return 'open';
}

/**
 * The deadline that applies now and whether today is past it: the application deadline while
 * a nonconforming result is undisputed and unanswered, the report deadline while the re-test
 * lab has the sample and no report has come.
 */
export function nextDeadline(
  stage: SpotCheckStage,
  deadlines: { apply: string | null; report: string | null },
  reportReceivedOn: string | null,
  today: string,
): { deadline: string | null; kind: 'apply' | 'report' | null; overdue: boolean } {
  let deadline: string | null = null;
  let kind: 'apply' | 'report' | null = null;
  if (stage === 'open') {
    deadline = deadlines.apply;
    kind = 'apply';
  } else if (stage === 'retesting' && !reportReceivedOn) {
    deadline = deadlines.report;
    kind = deadline ? 'report' : null;
  }
  return { deadline, kind: deadline ? kind : null, overdue: deadline !== null && today > deadline };
}

/** Why a set of re-test dates is not possible, as a message key, or null. */
export function retestDateProblem(
  d: SpotCheckDates & { applyDeadline: string | null; today: string },
): { field: string; key: string } | null {
  const dates: Array<[string, string | null]> = [
    ['receivedOn', d.receivedOn],
    ['appliedOn', d.appliedOn],
    ['sampleReceivedOn', d.sampleReceivedOn],
    ['reportReceivedOn', d.reportReceivedOn],
  ];
  for (const [field, v] of dates) {
    if (v === null) continue;
    if (!isValidDate(v)) return { field, key: 'errors.date_invalid' };
    if (v > d.today) return { field, key: 'errors.date_in_future' };
  }
  // Each step follows the one before it.
  let prev = d.receivedOn;
  for (const [field, v] of dates.slice(1)) {
    if (v === null) continue;
    if (v < prev) return { field, key: 'errors.spot_check_date_order' };
    prev = v;
  }
  if (d.appliedOn && d.result === 'conforming') return { field: 'appliedOn', key: 'errors.spot_check_not_disputable' };
  if (d.appliedOn && d.applyDeadline && d.appliedOn > d.applyDeadline)
    return { field: 'appliedOn', key: 'errors.spot_check_applied_late' };
  if (d.sampleReceivedOn && !d.appliedOn) return { field: 'sampleReceivedOn', key: 'errors.spot_check_not_applied' };
  if (d.reportReceivedOn && !d.sampleReceivedOn)
    return { field: 'reportReceivedOn', key: 'errors.spot_check_no_retest_sample' };
  return null;
}

/** 复检机构与初检机构不得为同一机构: labs compared ignoring case, spaces and full-width forms. */
export function sameLab(a: string | null | undefined, b: string | null | undefined): boolean {
  const norm = (s: string | null | undefined) =>
    (s ?? '')
      .normalize('NFKC')
      .replace(/[\s\u3000·.,，。()（）]+/g, '')
      .toLowerCase();
  const x = norm(a);
  return x !== '' && x === norm(b);
}
