/**
 * The bench queue's own retries (D-108): the backoff is pure (fast-check), and the retry loop is
 * driven by a scheduler the test owns — the test fires each timer itself, nothing sleeps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QueueRetry, retryDelay, type RetryScheduler } from '../../src/main/remote/queue-retry';

/** Timers the test fires: `fire()` runs the one due next and moves the clock to it. */
function manualScheduler() {
  let now = 1_000_000;
  let id = 0;
  const timers = new Map<number, { at: number; ms: number; fn: () => void }>();
  const s: RetryScheduler & { fire(): number; pending(): number[] } = {
    now: () => now,
    set: (fn, ms) => {
      timers.set(++id, { at: now + ms, ms, fn });
      return id;
    },
    clear: (h) => void timers.delete(h as number),
    /** Fires the next timer; answers the delay it had been set with. */
    fire: () => {
      const [k, t] = [...timers.entries()].sort((a, b) => a[1].at - b[1].at)[0]!;
      timers.delete(k);
      now = t.at;
      t.fn();
      return t.ms;
    },
    pending: () => [...timers.values()].map((t) => t.ms),
  };
  return s;
}

/** Resolves once the flush has been called `n` times in all. */
function flushes(answers: number[]) {
  let calls = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const flush = (): Promise<number> => {
    const left = answers[Math.min(calls, answers.length - 1)]!;
    calls += 1;
    for (const w of waiters.splice(0))
      if (calls >= w.n) w.resolve();
      else waiters.push(w);
    return Promise.resolve(left);
  };
  const called = (n: number) =>
    calls >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }));
  return { flush, called, count: () => calls };
}

/** Lets the retry's awaited flush settle (microtasks only, no timers). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('retryDelay', () => {
  it('doubles from min to max, jittered between half and all of it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 600_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (attempt, minMs, extra, r) => {
          const maxMs = minMs + extra;
          const base = Math.min(maxMs, minMs * 2 ** attempt);
          const d = retryDelay(attempt, minMs, maxMs, r);
          expect(d).toBeGreaterThanOrEqual(Math.floor(base / 2));
          expect(d).toBeLessThanOrEqual(Math.ceil(base));
          expect(d).toBeLessThanOrEqual(maxMs);
        },
      ),
    );
    expect([0, 1, 2, 3, 10].map((a) => retryDelay(a, 1000, 8000, 1))).toEqual([1000, 2000, 4000, 8000, 8000]);
  });
});

describe('QueueRetry', () => {
  it('while frames wait it tries again by itself with a growing delay, and stops once the queue is empty', async () => {
    const s = manualScheduler();
    const f = flushes([3, 3, 2, 0]);
    const r = new QueueRetry(f.flush, { minMs: 1000, maxMs: 4000, scheduler: s, random: () => 1 });
    r.kick();
    await f.called(1);
    await settle();
    expect(s.pending()).toEqual([1000]);
    expect(r.nextAttemptAt).toBe(s.now() + 1000);
    expect(s.fire()).toBe(1000);
    await f.called(2);
    await settle();
    expect(s.pending()).toEqual([2000]);
    expect(s.fire()).toBe(2000);
    await f.called(3);
    await settle();
    expect(s.pending()).toEqual([4000]);
    expect(s.fire()).toBe(4000);
    await f.called(4);
    await settle();
    // Empty: no timer left, nothing due.
    expect(s.pending()).toEqual([]);
    expect(r.nextAttemptAt).toBeNull();
    expect(f.count()).toBe(4);
  });

  it('a kick (a capture, the server back, a sign-in) tries at once and starts the backoff again; close cancels', async () => {
    const s = manualScheduler();
    const f = flushes([1]);
    const r = new QueueRetry(f.flush, { minMs: 500, maxMs: 60_000, scheduler: s, random: () => 1 });
    r.kick();
    await f.called(1);
    await settle();
    s.fire();
    await f.called(2);
    await settle();
    expect(s.pending()).toEqual([1000]);
    r.kick();
    await f.called(3);
    await settle();
    expect(s.pending()).toEqual([500]);
    // ensure() while a retry is scheduled keeps it (no second timer, the backoff goes on).
    r.ensure();
    expect(s.pending()).toEqual([500]);
    r.close();
    expect(s.pending()).toEqual([]);
    r.kick();
    await settle();
    expect(f.count()).toBe(3);
  });

  it('a flush that throws counts as not written back: it is tried again', async () => {
    const s = manualScheduler();
    let n = 0;
    const r = new QueueRetry(
      () => {
        n += 1;
        return n === 1 ? Promise.reject(new Error('socket gone')) : Promise.resolve(0);
      },
      { minMs: 100, maxMs: 100, scheduler: s, random: () => 1 },
    );
    r.kick();
    await settle();
    expect(s.pending()).toEqual([100]);
    s.fire();
    await settle();
    expect(n).toBe(2);
    expect(s.pending()).toEqual([]);
  });
});
