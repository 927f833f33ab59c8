import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HANG_CAP_MS } from '../helpers/hang-cap';
import {
  HANG_CAP_MS as GUARD_HANG_CAP_MS,
  LOCK_WAIT_CAP_MS,
  STALL_CAP_MS,
  briefStall,
  describeStall,
  framesByThread,
  isLockWait,
  isVitestWorker,
  nextStallState,
  shortName,
} from '../../scripts/stall-guard.mjs';
import { countFiles, filesToRunAgain, mergeRunAgain, type VitestFile } from '../../scripts/vitest-step.mjs';

/**
 * The stall guard's rules (scripts/stall-guard.mjs, D-126, D-127): a vitest worker whose main
 * thread has not run for longer than any test's hang cap is stopped, not slow; one that has not
 * run for three minutes while in a lock wait is deadlocked. The guard ends it on a real process
 * in tests/integration/stall-guard.test.ts, where npm test's step also runs its files again.
 */
type Known = Map<number, { ran: number; movedAt: number }>;

/** Feeds readings one after another (each `every` ms apart) and returns what was stalled when. */
function feed(
  readings: Map<number, number>[],
  every: number,
  capMs: number,
  lockWait: (pid: number, i: number) => boolean = () => false,
  lockCapMs = capMs,
): { at: number; pids: number[]; reasons: string[] }[] {
  let known: Known = new Map();
  const out: { at: number; pids: number[]; reasons: string[] }[] = [];
  readings.forEach((reading, i) => {
    const full = new Map([...reading].map(([pid, ran]) => [pid, { ran, lockWait: lockWait(pid, i) }]));
    const r = nextStallState(known, full, i * every, { capMs, lockCapMs });
    known = r.known;
    if (r.stalled.length)
      out.push({ at: i * every, pids: r.stalled.map((s) => s.pid), reasons: r.stalled.map((s) => s.reason) });
  });
  return out;
}
const at = (stalls: { at: number; pids: number[] }[]) => stalls.map(({ at: t, pids }) => ({ at: t, pids }));

describe('stall guard: the rule', () => {
  it('waits longer than any test may wait: past the hang cap, which it shares with the tests', () => {
    expect(GUARD_HANG_CAP_MS).toBe(HANG_CAP_MS);
    expect(STALL_CAP_MS).toBeGreaterThan(HANG_CAP_MS);
    // The lock-wait rule is shorter: a healthy main thread never sits minutes on a lock.
    expect(LOCK_WAIT_CAP_MS).toBeLessThan(STALL_CAP_MS);
    expect(LOCK_WAIT_CAP_MS).toBeGreaterThanOrEqual(2 * 60_000);
  });

  it('a worker whose run time moves at every reading is never stalled, however long it runs', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1_000 }), { minLength: 1, maxLength: 200 }), (steps) => {
        let t = 0;
        const readings = steps.map((s) => new Map([[7, (t += s)]]));
        // …even when every reading finds it in a lock wait: it ran in between.
        expect(feed(readings, 60_000, 120_000, () => true, 60_000)).toEqual([]);
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
          expect(at(stalls)[0]).toEqual({ at: (moving + capSteps) * every, pids: [9] });
          expect(stalls[0]!.reasons).toEqual(['idle']);
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
      at(
        feed(
          readings.map((r) => new Map(r)),
          1,
          3,
        ),
      ),
    ).toEqual([
      { at: 5, pids: [2] },
      { at: 6, pids: [2] },
      { at: 7, pids: [1, 2] },
    ]);
  });

  it('a worker standing still in a lock wait is stopped at the lock cap; standing still elsewhere, only at the long cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 10 }),
        fc.boolean(),
        (moving, lockSteps, extra, inLock) => {
          const every = 10;
          const lockCapMs = lockSteps * every;
          const capMs = (lockSteps + extra) * every;
          const readings = Array.from(
            { length: moving + lockSteps + extra + 2 },
            (_, i) => new Map([[5, Math.min(i, moving)]]),
          );
          const stalls = feed(readings, every, capMs, () => inLock, lockCapMs);
          const from = moving + (inLock ? lockSteps : lockSteps + extra);
          expect(stalls[0]).toEqual({ at: from * every, pids: [5], reasons: [inLock ? 'lock' : 'idle'] });
        },
      ),
    );
  });

  it('a lock wait seen only at the last reading counts from when the run time last moved (it cannot have changed its wait without running)', () => {
    // Still from reading 0; in a lock wait only from reading 3 on (the wait channel read was "?" before).
    const readings = Array.from({ length: 6 }, () => new Map([[3, 100]]));
    expect(feed(readings, 1, 100, (_pid, i) => i >= 3, 2)[0]).toEqual({ at: 3, pids: [3], reasons: ['lock'] });
  });

  it('knows a lock wait by its kernel wait channel', () => {
    expect(isLockWait('futex_do_wait')).toBe(true);
    expect(isLockWait('futex_wait_queue')).toBe(true);
    expect(isLockWait('futex_wait_queue_me')).toBe(true);
    expect(isLockWait('do_epoll_wait')).toBe(false);
    expect(isLockWait('ep_poll')).toBe(false);
    expect(isLockWait('pipe_write')).toBe(false);
    expect(isLockWait('0')).toBe(false);
    expect(isLockWait('?')).toBe(false);
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
      reason: 'idle',
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

  it('says a lock wait is a deadlock, with the wait channel of the main thread', () => {
    const text = describeStall({
      pid: 7,
      cmdline: 'node …/vitest/dist/workers/forks.js',
      stoppedMs: 3 * 60_000,
      reason: 'lock',
      threads: [{ tid: 7, name: 'node', wchan: 'futex_do_wait' }],
      stacks: null,
    });
    expect(text).toContain(
      'ran nothing on its main thread for 3 minutes, in a lock wait (futex_do_wait) the whole time',
    );
    expect(text).toContain('deadlocked, not slow');
  });
});

/** A piece of gdb's `thread apply all bt` as it reads for a Node process (shortened). */
const GDB = `[Thread debugging using libthread_db enabled]
Thread 3 (Thread 0x7f5e113176c0 (LWP 102) "node"):
#0  __futex_abstimed_wait_common64 (private=0, cancel=true, abstime=0x0, op=393, expected=0, futex_word=0x2809eb30) at ./nptl/futex-internal.c:57
#1  0x00007f5e123a65d8 in __pthread_cond_wait_common (abstime=0x0, clockid=0, mutex=0x2809eae0, cond=0x2809eb08) at ./nptl/pthread_cond_wait.c:503
#2  0x00000000018bb4a9 in uv_cond_wait (cond=<optimized out>, mutex=<optimized out>) at ../deps/uv/src/unix/thread.c:793
#3  0x0000000000d32c5b in node::(anonymous namespace)::PlatformWorkerThread(void*) ()
#4  0x00007f5e123a71f5 in start_thread (arg=<optimized out>) at ./nptl/pthread_create.c:442

Thread 2 (Thread 0x7f5e11b186c0 (LWP 101) "node"):
#0  __futex_abstimed_wait_common64 (private=0, cancel=true, abstime=0x0, op=393, expected=0, futex_word=0x2809eb30) at ./nptl/futex-internal.c:57
#1  0x00000000018bb4a9 in uv_cond_wait (cond=<optimized out>, mutex=<optimized out>) at ../deps/uv/src/unix/thread.c:793
#2  0x0000000000d32c5b in node::(anonymous namespace)::PlatformWorkerThread(void*) ()

Thread 1 (Thread 0x7f5e1231cc80 (LWP 100) "node"):
#0  __futex_abstimed_wait_common64 (private=0, cancel=true, abstime=0x0, op=393, expected=0, futex_word=0x2809eb30) at ./nptl/futex-internal.c:57
#1  0x00000000018bb4a9 in uv_cond_wait (cond=<optimized out>, mutex=<optimized out>) at ../deps/uv/src/unix/thread.c:793
#2  0x0000000000d3a1b2 in node::TaskQueue<v8::Task>::BlockingDrain() ()
#3  0x0000000000d3a3c4 in node::NodePlatform::DrainTasks(v8::Isolate*) ()
#4  0x0000000000b4c2f1 in node::SpinEventLoopInternal(node::Environment*) ()
#5  0x0000000000c2e0aa in v8::internal::Object v8::internal::FutexEmulation::WaitSync<int>(v8::internal::Isolate*, unsigned long) [clone .isra.0] ()
#6  0x0000000000c2e0bb in ?? ()
`;

describe('stall guard: what it says', () => {
  it("reads gdb's backtraces thread by thread, names shortened", () => {
    const frames = framesByThread(GDB);
    expect([...frames.keys()]).toEqual([102, 101, 100]);
    expect(frames.get(100)).toEqual([
      '__futex_abstimed_wait_common64',
      'uv_cond_wait',
      'node::TaskQueue::BlockingDrain',
      'node::NodePlatform::DrainTasks',
      'node::SpinEventLoopInternal',
      'v8::internal::FutexEmulation::WaitSync',
      '??',
    ]);
  });

  it('reads thread headers with or without libthread_db', () => {
    const plain = `Thread 2 (LWP 101 "node"):\n#0  0x00000000018bb4a9 in uv_cond_wait ()\n#1  0x0000000000d32c5b in node::Foo::bar() ()\n`;
    expect([...framesByThread(plain)]).toEqual([[101, ['uv_cond_wait', 'node::Foo::bar']]]);
  });

  it('shortens C++ names to the qualified function, whatever its parameters and templates', () => {
    expect(shortName('node::(anonymous namespace)::PlatformWorkerThread(void*)')).toBe(
      'node::{anon}::PlatformWorkerThread',
    );
    expect(shortName('std::vector<std::pair<int, int> > node::Foo<Bar<int> >::baz(std::function<void ()>)')).toBe(
      'node::Foo::baz',
    );
    expect(shortName('uv_run')).toBe('uv_run');
    fc.assert(
      fc.property(fc.string(), (name) => {
        // Never throws, never empty, never a space inside.
        const n = shortName(name);
        expect(n.length).toBeGreaterThan(0);
        expect(n).not.toMatch(/\s/);
      }),
    );
  });

  it("briefs a stall in a few lines: the main thread's own frames, the others grouped", () => {
    const lines = briefStall({
      pid: 100,
      stoppedMs: 3 * 60_000,
      reason: 'lock',
      threads: [
        { tid: 100, name: 'node', wchan: 'futex_do_wait' },
        { tid: 101, name: 'node', wchan: 'futex_do_wait' },
        { tid: 102, name: 'node', wchan: 'futex_do_wait' },
      ],
      stacks: GDB,
    });
    expect(lines).toEqual([
      'worker 100: main thread ran nothing for 3 minutes, waiting in futex_do_wait',
      '  main thread: node::TaskQueue::BlockingDrain < node::NodePlatform::DrainTasks < node::SpinEventLoopInternal < v8::internal::FutexEmulation::WaitSync',
      '  other threads: 2× node in futex_do_wait at node::{anon}::PlatformWorkerThread',
    ]);
    expect(briefStall({ pid: 100, stoppedMs: 90_000, reason: 'lock', threads: [], stacks: null })).toEqual([
      'worker 100: main thread ran nothing for 90 s, waiting in ?',
      '  main thread: no backtrace (gdb not installed or could not attach)',
    ]);
  });
});

describe('npm test after a stop: what runs again and how it counts', () => {
  const root = '/r';
  const file = (name: string, ...statuses: string[]): VitestFile => ({
    name: `${root}/${name}`,
    status: statuses.includes('failed') ? 'failed' : 'passed',
    assertionResults: statuses.map((status, i) => ({
      status,
      fullName: `${name} ${i}`,
      failureMessages: ['boom\nmore'],
    })),
  });

  it('runs again only what the first run did not finish: files with a test never reached, and named files it has no report of', () => {
    const files = [
      file('tests/a.test.ts', 'passed', 'pending', 'pending'),
      file('tests/b.test.ts', 'passed'),
      file('tests/c.test.ts', 'passed', 'failed'),
      file('tests/d.test.ts', 'skipped', 'todo'),
    ];
    // b ran to its end in a healthy worker while a stopped: named by the reporter, not run again.
    expect(filesToRunAgain(['tests/a.test.ts', 'tests/b.test.ts'], files, root)).toEqual(['tests/a.test.ts']);
    // Skipped and todo tests are not unfinished; a named file with no report at all is.
    expect(filesToRunAgain(['tests/x.test.ts'], files, root)).toEqual(['tests/a.test.ts', 'tests/x.test.ts']);
    expect(filesToRunAgain([], [file('tests/b.test.ts', 'passed')], root)).toEqual([]);
  });

  it('a test that failed in the first run stays failed, whatever the second run says of it', () => {
    const first = file('tests/a.test.ts', 'failed', 'pending');
    const second = file('tests/a.test.ts', 'passed', 'passed');
    const merged = mergeRunAgain(first, second);
    expect(merged.assertionResults?.map((t) => t.status)).toEqual(['failed', 'passed']);
    expect(countFiles([merged], root, 'integration')).toMatchObject({ passed: 1, failed: 1, pending: 0 });
    // Nothing failed first: the second run's results as they are.
    const clean = file('tests/b.test.ts', 'passed', 'pending');
    expect(mergeRunAgain(clean, file('tests/b.test.ts', 'passed', 'passed'))).toEqual(
      file('tests/b.test.ts', 'passed', 'passed'),
    );
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('passed', 'failed', 'pending', 'skipped'), { minLength: 1, maxLength: 8 }),
        fc.array(fc.constantFrom('passed', 'failed', 'skipped'), { minLength: 1, maxLength: 8 }),
        (a, b) => {
          const m = countFiles([mergeRunAgain(file('t.ts', ...a), file('t.ts', ...b))], root, 's');
          const failedFirst = a.filter((x) => x === 'failed').length;
          const failedSecond = b.filter((x, i) => x === 'failed' && a[i] !== 'failed').length;
          // Every first failure counted once, every new failure of the second run too.
          expect(m.failed).toBe(failedFirst + failedSecond);
        },
      ),
    );
  });

  it('counts each test by its status; a file that failed without a failed test is one failure', () => {
    const broken: VitestFile = {
      name: `${root}/tests/e.test.ts`,
      status: 'failed',
      message: 'SyntaxError: x',
      assertionResults: [],
    };
    const c = countFiles(
      [file('tests/a.test.ts', 'passed', 'pending'), file('tests/c.test.ts', 'passed', 'failed'), broken],
      root,
      'integration',
    );
    expect({ passed: c.passed, failed: c.failed, skipped: c.skipped, pending: c.pending }).toEqual({
      passed: 2,
      failed: 2,
      skipped: 0,
      pending: 1,
    });
    expect(c.failures).toEqual([
      'integration: tests/c.test.ts > tests/c.test.ts 1: boom',
      'integration: tests/e.test.ts: SyntaxError: x',
    ]);
  });
});
