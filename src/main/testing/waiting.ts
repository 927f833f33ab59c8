import type { MyTests, ToReview } from '../../shared/contract/channels/home';
import type { TestingContext } from './context';
import type { ResultRecord } from './queries';
import type { ResultReview } from './review';

const OPEN = ['pending', 'entered', 'returned'];
/** Enough for any lab's open work; the counts stay exact up to this many open tests per person. */
const SCAN = 5000;
const SHOWN = 6;

/**
 * What testing has waiting for one person (issue 22 §1, the home page): a technician's open
 * tests (我的待检) and a reviewer's queue without the samples they took part in (待复核).
 * Computed here, from testing's own reads, so the exclusion of one's own results is decided in
 * main (the same independence rule the review itself enforces).
 */
export class TestingWaiting {
  constructor(
    private readonly ctx: TestingContext,
    private readonly review: ResultReview,
  ) {}

  myTests(userId: string, now: number): MyTests {
    const q = this.ctx.q.results;
    const mine = q.worklist({ statuses: OPEN, assignedTo: userId, offset: 0, limit: SCAN }).rows;
    const free = q.worklist({ statuses: OPEN, assignedTo: '', offset: 0, limit: SCAN }).rows;
    const overdue = (r: ResultRecord) => r.due_at !== null && r.due_at < now;
    const bySample = new Map<
      string,
      { sampleCode: string; lotCode: string | null; tests: number; overdue: number; due: number }
    >();
    for (const r of [...mine, ...free]) {
      const s = bySample.get(r.sample_code) ?? {
        sampleCode: r.sample_code,
        lotCode: r.lot_code,
        tests: 0,
        overdue: 0,
        due: Infinity,
      };
      s.tests++;
      if (overdue(r)) s.overdue++;
      if (r.due_at !== null) s.due = Math.min(s.due, r.due_at);
      bySample.set(r.sample_code, s);
    }
    const samples = [...bySample.values()]
      .sort((a, b) => b.overdue - a.overdue || a.due - b.due || a.sampleCode.localeCompare(b.sampleCode))
      .slice(0, SHOWN)
      .map(({ sampleCode, lotCode, tests, overdue: o }) => ({ sampleCode, lotCode, tests, overdue: o }));
    return {
      assigned: mine.length,
      unassigned: free.length,
      overdue: mine.filter(overdue).length + free.filter(overdue).length,
      returned: mine.filter((r) => r.status === 'returned').length,
      samples,
    };
  }

  toReview(userId: string): ToReview {
    const queue = this.review.reviewQueue(userId, 0, SCAN).samples;
    const theirs = queue.filter((s) => !s.mine);
    return {
      samples: theirs.length,
      results: theirs.reduce((n, s) => n + s.submitted, 0),
      failed: theirs.reduce((n, s) => n + s.failed, 0),
      own: queue.length - theirs.length,
      items: theirs
        .slice(0, SHOWN)
        .map((s) => ({ sampleCode: s.sampleCode, lotCode: s.lotCode, results: s.submitted, failed: s.failed })),
    };
  }
}
