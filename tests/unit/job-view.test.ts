import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../src/shared/contract';
import { nextJobView, type JobView } from '../../src/renderer/src/core/job-view';

const IDLE: JobView = { jobId: null, progress: null };

function ev(jobId: string, at: 'start' | 'half' | 'done'): JobProgress {
  return {
    jobId,
    kind: 'verify',
    phase: at === 'done' ? 'done' : at === 'start' ? 'start' : 'entries',
    done: at === 'start' ? 0 : at === 'half' ? 5 : 1,
    total: at === 'half' ? 10 : 1,
    finished: at === 'done',
    error: null,
  };
}

function feed(view: JobView, events: JobProgress[], follow: boolean): JobView {
  return events.reduce((v, p) => nextJobView(v, p, follow), view);
}

describe('the job a screen shows (useJob)', () => {
  it('shows the progress of the job it started, to its end', () => {
    const mine = { jobId: 'j1', progress: null };
    expect(feed(mine, [ev('j1', 'start'), ev('j1', 'half')], false)).toEqual({
      jobId: 'j1',
      progress: ev('j1', 'half'),
    });
    expect(feed(mine, [ev('j1', 'start'), ev('j1', 'done')], true).progress?.finished).toBe(true);
  });

  it('without follow, a job it did not start changes nothing', () => {
    expect(feed(IDLE, [ev('sched', 'start'), ev('sched', 'half')], false)).toBe(IDLE);
  });

  it('with follow, a verification started elsewhere is shown from its next event, and its end too', () => {
    const v = feed(IDLE, [ev('sched', 'half')], true);
    expect(v).toEqual({ jobId: 'sched', progress: ev('sched', 'half') });
    expect(nextJobView(v, ev('sched', 'done'), true)).toEqual({ jobId: 'sched', progress: ev('sched', 'done') });
  });

  it('with follow, the next job is shown once the one shown has finished, never while it runs', () => {
    const running = feed(IDLE, [ev('a', 'start')], true);
    expect(nextJobView(running, ev('b', 'start'), true)).toBe(running);
    const finished = nextJobView(running, ev('a', 'done'), true);
    expect(nextJobView(finished, ev('b', 'start'), true)).toEqual({ jobId: 'b', progress: ev('b', 'start') });
  });

  it('with follow, a job that has already ended is not taken up (nothing runs)', () => {
    expect(nextJobView(IDLE, ev('old', 'done'), true)).toBe(IDLE);
  });

  it('whatever the events, the progress shown is of the job shown, and without follow the job never changes', () => {
    const ids = fc.constantFrom('a', 'b', 'c');
    const event = fc.tuple(ids, fc.constantFrom('start', 'half', 'done') as fc.Arbitrary<'start' | 'half' | 'done'>);
    fc.assert(
      fc.property(
        fc.option(ids, { nil: null }),
        fc.array(event, { maxLength: 20 }),
        fc.boolean(),
        (start, evs, follow) => {
          let v: JobView = { jobId: start, progress: null };
          for (const [id, at] of evs) {
            v = nextJobView(v, ev(id, at), follow);
            if (v.progress !== null) expect(v.progress.jobId).toBe(v.jobId);
            if (!follow) expect(v.jobId).toBe(start);
          }
        },
      ),
    );
  });
});
