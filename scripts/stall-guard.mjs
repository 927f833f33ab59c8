/**
 * The stall guard of `npm test` (docs/decisions.md D-126): ends a vitest worker process that has
 * stopped, and says what its threads were waiting on.
 *
 * Every test and hook has a cap that ends a hang (HANG_CAP_MS, 15 minutes, D-083), but that cap
 * is a timer inside the worker: a worker whose main thread is blocked in native code (a
 * deadlock in a thread join, a lock, a synchronous wait) never runs it, and vitest waits for
 * that worker for ever — one such run of the integration step sat for 13 minutes with no CPU
 * used until it was ended by hand, its main thread in `futex_do_wait` (2026-12-06). Held
 * output (scripts/test-all.mjs) would have shown nothing until CI's own limit.
 *
 * A worker is stalled when its main thread has not run at all for STALL_CAP_MS. That is not a speed
 * measure: a worker that waits, however slow the machine, still runs its own timers, and the
 * longest a healthy worker can wait without running any is its test's hang cap, after which
 * the cap's timer runs. So a worker whose main thread ran nothing for longer than the cap is stopped,
 * not slow. The guard then records each thread's name and kernel wait channel and, where gdb
 * is installed, a native backtrace of every thread, and ends the worker with SIGKILL; vitest
 * reports the files it was running as failed ("worker exited unexpectedly"), and the step fails
 * with the guard's report.
 *
 * Linux only (it reads /proc); elsewhere it watches nothing.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** The tests' hang cap (tests/helpers/hang-cap.ts); tests/unit/stall-guard.test.ts keeps them equal. */
export const HANG_CAP_MS = 15 * 60_000;
/** A main thread that ran nothing for this long, one minute past the hang cap, is stopped. */
export const STALL_CAP_MS = HANG_CAP_MS + 60_000;
/** How often the guard reads /proc: a few file reads per worker, every half minute. */
export const STALL_POLL_MS = 30_000;

/** A vitest worker process: `node …/vitest/dist/workers/forks.js` (the pool the integration tests use). */
export const isVitestWorker = (cmdline) => /vitest[\\/]dist[\\/]workers[\\/]forks\.js/.test(cmdline);

/**
 * The rule, pure: given what was known (pid → run time and when it last moved) and a new
 * reading (pid → run time) at `now`, the new knowledge and the pids that have not moved for
 * `capMs`. A pid not in the reading is gone and forgotten; a new pid starts its clock now.
 *
 * @param {Map<number, { ran: number; movedAt: number }>} known
 * @param {Map<number, number>} reading
 * @param {number} now
 * @param {number} capMs
 * @returns {{ known: Map<number, { ran: number; movedAt: number }>; stalled: number[] }}
 */
export function nextStallState(known, reading, now, capMs) {
  const next = new Map();
  const stalled = [];
  for (const [pid, ran] of reading) {
    const before = known.get(pid);
    const entry = before && before.ran === ran ? before : { ran, movedAt: now };
    next.set(pid, entry);
    if (now - entry.movedAt >= capMs) stalled.push(pid);
  }
  return { known: next, stalled };
}

/**
 * How long the main thread of `pid` (the one that runs the worker's JavaScript and its timers)
 * has run, in nanoseconds, from the scheduler's own account (/proc/<pid>/schedstat, exact even
 * for wake-ups shorter than a clock tick); in clock ticks of the whole process where that file
 * is missing; null when the process is gone.
 */
export function runTime(pid) {
  try {
    const ns = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
    if (Number.isFinite(ns)) return ns;
  } catch {
    // no schedstat (kernel without scheduler statistics), or gone: try stat
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

/** Every live process below `root`, with its command line. */
export function descendants(root) {
  const parent = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const below = [];
  for (const pid of parent.keys()) {
    for (let p = parent.get(pid), hops = 0; p && p > 1 && hops < 64; p = parent.get(p), hops++) {
      if (p === root) {
        let cmdline = '';
        try {
          cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
        } catch {
          // gone meanwhile
        }
        below.push({ pid, cmdline });
        break;
      }
    }
  }
  return below;
}

/** Each thread of `pid`: its id, name and kernel wait channel (what it is blocked in). */
export function threadStates(pid) {
  const read = (file) => {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      return '?';
    }
  };
  let tids = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tids.map((tid) => ({
    tid: Number(tid),
    name: read(`/proc/${pid}/task/${tid}/comm`),
    wchan: read(`/proc/${pid}/task/${tid}/wchan`) || '-',
  }));
}

/** A native backtrace of every thread of `pid` by gdb, or null when gdb is not installed or fails. */
export function nativeStacks(pid) {
  const r = spawnSync('gdb', ['-p', String(pid), '-batch', '-ex', 'thread apply all bt'], {
    encoding: 'utf8',
    timeout: 120_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.error || r.status !== 0 || !r.stdout) return null;
  return r.stdout
    .split('\n')
    .filter((l) => !/^\[New LWP|^\[Thread debugging|^Using host libthread_db/.test(l))
    .join('\n');
}

/**
 * What the guard says of a stalled worker, for the step's output.
 * @param {{ pid: number; cmdline: string; stoppedMs: number; threads: { tid: number; name: string; wchan: string }[]; stacks: string | null }} s
 */
export function describeStall(s) {
  const minutes = Math.round(s.stoppedMs / 60_000);
  const lines = [
    `stall guard: vitest worker ${s.pid} ran nothing on its main thread for ${minutes} minutes (longer than any test's hang cap): it is stopped, not slow. Ended with SIGKILL.`,
    `  command: ${s.cmdline}`,
    `  threads (id, name, kernel wait channel):`,
    ...s.threads.map((t) => `    ${t.tid} ${t.name} ${t.wchan}`),
  ];
  if (s.stacks) lines.push('  native backtraces (gdb):', ...s.stacks.split('\n').map((l) => `    ${l}`));
  else lines.push('  (no native backtraces: gdb is not installed or could not attach)');
  return lines.join('\n');
}

/**
 * Watches the processes below `root` that `isWorker` accepts, every `pollMs`; a worker whose
 * main thread has not run for `capMs` is described (threads, and gdb's backtraces unless
 * `stacks` is false) to `onStall`, then killed. Returns a function that stops the watch.
 *
 * @param {number} root
 * @param {{ capMs?: number; pollMs?: number; isWorker?: (cmdline: string) => boolean; stacks?: boolean; onStall: (report: string) => void }} options
 */
export function watchForStalls(root, options) {
  const { capMs = STALL_CAP_MS, pollMs = STALL_POLL_MS, isWorker = isVitestWorker, stacks = true, onStall } = options;
  if (process.platform !== 'linux') return () => {};
  let known = new Map();
  const commands = new Map();
  const tick = () => {
    const reading = new Map();
    for (const { pid, cmdline } of descendants(root)) {
      if (!isWorker(cmdline)) continue;
      const ran = runTime(pid);
      if (ran === null) continue;
      reading.set(pid, ran);
      commands.set(pid, cmdline);
    }
    const now = Date.now();
    const next = nextStallState(known, reading, now, capMs);
    known = next.known;
    for (const pid of next.stalled) {
      const stoppedMs = now - (known.get(pid)?.movedAt ?? now);
      const report = describeStall({
        pid,
        cmdline: commands.get(pid) ?? '',
        stoppedMs,
        threads: threadStates(pid),
        stacks: stacks ? nativeStacks(pid) : null,
      });
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      known.delete(pid);
      onStall(report);
    }
  };
  const timer = setInterval(tick, pollMs);
  timer.unref();
  return () => clearInterval(timer);
}
