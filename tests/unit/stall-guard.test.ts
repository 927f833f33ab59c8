import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HANG_CAP_MS } from '../helpers/hang-cap';
import {
  HANG_CAP_MS as GUARD_HANG_CAP_MS,
  STALL_CAP_MS,
  describeStall,
  isVitestWorker,
  nextStallState,
} from '../../scripts/stall-guard.mjs';

/**
 * The stall guard's rule (scripts/stall-guard.mjs, D-126): a vitest worker whose main thread has
 * not run for longer than any test's hang cap is stopped, not slow. The guard ends it on a real
 * process in tests/integration/stall-guard.test.ts.
 */
type Known = Map<number, { ran: number; movedAt: number }>;

/** Feeds readings one after another (each `every` ms apart) and returns what was stalled when. */
function feed(readings: Map<number, number>[], every: number, capMs: number): { at: number; pids: number[] }[] {
  let known: Known = new Map();
  const out: { at: number; pids: number[] }[] = [];
  readings.forEach((reading, i) => {
    const r = nextStallState(known, reading, i * every, capMs);
    known = r.known;
    if (r.stalled.length) out.push({ at: i * every, pids: r.stalled });
  });
  return out;
}

describe('stall guard: the rule', () => {
  it('waits longer than any test may wait: past the hang cap, which it shares with the tests', () => {
    expect(GUARD_HANG_CAP_MS).toBe(HANG_CAP_MS);
    expect(STALL_CAP_MS).toBeGreaterThan(HANG_CAP_MS);
  });

  it('a worker whose run time moves at every reading is never stalled, however long it runs', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1_000 }), { minLength: 1, maxLength: 200 }), (steps) => {
        let t = 0;
        const readings = steps.map((s) => new Map([[7, (t += s)]]));
        expect(feed(readings, 60_000, 120_000)).toEqual([]);
      }),
    );
  });

  it('a worker whose run time stands still is stalled exactly from the reading at which the cap has passed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 10 }),
        (moving, capSteps, every) => {
          const capMs = capSteps * every;
          // `moving` readings with new run times, then it stands still for the rest.
          const readings = Array.from({ length: moving + capSteps + 3 }, (_, i) => new Map([[9, Math.min(i, moving)]]));
          const stalls = feed(readings, every, capMs);
          // Run time last moved at reading `moving` (time moving × every): stalled from cap later on.
          expect(stalls[0]).toEqual({ at: (moving + capSteps) * every, pids: [9] });
          expect(stalls.every((s) => s.at >= (moving + capSteps) * every)).toBe(true);
        },
      ),
    );
  });

  it('each worker has its own clock; a worker that is gone is forgotten, and a new one starts afresh', () => {
    // Worker 1 stands still, leaves before the cap (reading 3), and its pid comes back as a new
    // process (reading 4); worker 2 moves until reading 2 and then stands still.
    const readings: [number, number][][] = [
      [
        [1, 5],
        [2, 5],
      ],
      [
        [1, 5],
        [2, 6],
      ],
      [
        [1, 5],
        [2, 7],
      ],
      [[2, 7]],
      [
        [1, 5],
        [2, 7],
      ],
      [
        [1, 5],
        [2, 7],
      ],
      [
        [1, 5],
        [2, 7],
      ],
      [
        [1, 5],
        [2, 7],
      ],
    ];
    expect(
      feed(
        readings.map((r) => new Map(r)),
        1,
        3,
      ),
    ).toEqual([
      { at: 5, pids: [2] },
      { at: 6, pids: [2] },
      { at: 7, pids: [1, 2] },
    ]);
  });

  it('knows a vitest worker by its entry, on POSIX and Windows paths', () => {
    expect(isVitestWorker('/usr/bin/node --conditions node /r/node_modules/vitest/dist/workers/forks.js')).toBe(true);
    expect(isVitestWorker('C:\\node.exe C:\\r\\node_modules\\vitest\\dist\\workers\\forks.js')).toBe(true);
    expect(isVitestWorker('/usr/bin/node /r/node_modules/vitest/vitest.mjs run')).toBe(false);
    expect(isVitestWorker('/usr/bin/node bin/lotseal.cjs verify')).toBe(false);
  });

  it('says what it did and what the threads were waiting on', () => {
    const text = describeStall({
      pid: 4242,
      cmdline: 'node …/vitest/dist/workers/forks.js',
      stoppedMs: 16 * 60_000,
      threads: [
        { tid: 4242, name: 'node', wchan: 'futex_do_wait' },
        { tid: 4243, name: 'V8Worker', wchan: 'do_epoll_wait' },
      ],
      stacks: null,
    });
    expect(text).toContain('vitest worker 4242');
    expect(text).toContain('16 minutes');
    expect(text).toContain('SIGKILL');
    expect(text).toContain('4242 node futex_do_wait');
    expect(text).toContain('gdb is not installed');
  });
});
