/**
 * The stall guard of `npm test` (docs/decisions.md D-126, D-127): ends a vitest worker process
 * that has stopped, and says what its threads were waiting on.
 *
 * Every test and hook has a cap that ends a hang (HANG_CAP_MS, 15 minutes, D-083), but that cap
 * is a timer inside the worker: a worker whose main thread is blocked in native code (a
 * deadlock in a thread join, a lock, a synchronous wait) never runs it, and vitest waits for
 * that worker for ever — one such run of the integration step sat for 13 minutes with no CPU
 * used until it was ended by hand, its main thread in `futex_do_wait` (2026-12-06); CI met the
 * same stop that evening in tests/integration/identity.test.ts. Held output
 * (scripts/test-all.mjs) would have shown nothing until CI's own limit.
 *
 * Two rules, both about a main thread that has not run at all (its run time, from the
 * scheduler's own account, has not moved), never about speed:
 *
 * - It ran nothing for LOCK_WAIT_CAP_MS (3 minutes) and sits in a lock wait (a futex) the whole
 *   time. A healthy Node main thread waits for work in its event loop (epoll), and takes a lock
 *   only for moments; one that sat minutes on a lock without running once is in a deadlock,
 *   however loaded the machine is (a thread that waits for the CPU is runnable, not in a futex).
 * - It ran nothing at all for STALL_CAP_MS (16 minutes), whatever it waits in: a waiting
 *   worker, however slow the machine, still runs its own timers, and the longest a healthy
 *   worker can wait without running any is its test's hang cap, after which the cap's timer
 *   runs.
 *
 * The guard then records each thread's name and kernel wait channel and, where gdb is
 * installed, a native backtrace of every thread, and ends the worker with SIGKILL; vitest
 * leaves the tests it had not reached "pending" ("Worker exited unexpectedly"), and
 * scripts/vitest-step.mjs runs those files again (D-127).
 *
 * Linux only (it reads /proc); elsewhere it watches nothing.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** The tests' hang cap (tests/helpers/hang-cap.ts); tests/unit/stall-guard.test.ts keeps them equal. */
export const HANG_CAP_MS = 15 * 60_000;
/** A main thread that ran nothing for this long, one minute past the hang cap, is stopped. */
export const STALL_CAP_MS = HANG_CAP_MS + 60_000;
/** A main thread that ran nothing for this long while in a lock wait (futex) is deadlocked. */
export const LOCK_WAIT_CAP_MS = 3 * 60_000;
/** How often the guard reads /proc: a few file reads per worker, every half minute. */
export const STALL_POLL_MS = 30_000;

/** A vitest worker process: `node …/vitest/dist/workers/forks.js` (the pool the integration tests use). */
export const isVitestWorker = (cmdline) => /vitest[\\/]dist[\\/]workers[\\/]forks\.js/.test(cmdline);

/** A kernel wait channel that is a lock wait: the futex waits (`futex_do_wait`, `futex_wait_queue`, …). */
export const isLockWait = (wchan) => /^futex/.test(wchan);

/**
 * The rule, pure: given what was known (pid → run time and when it last moved) and a new
 * reading (pid → run time, and whether the main thread is in a lock wait) at `now`, the new
 * knowledge and the pids that have stopped: not moved for `capMs`, or for `lockCapMs` while
 * in a lock wait. A thread cannot change what it waits on without running, so a thread whose
 * run time has not moved has been in the wait it is in now the whole time. A pid not in the
 * reading is gone and forgotten; a new pid starts its clock now.
 *
 * @param {Map<number, { ran: number; movedAt: number }>} known
 * @param {Map<number, { ran: number; lockWait: boolean }>} reading
 * @param {number} now
 * @param {{ capMs: number; lockCapMs: number }} caps
 * @returns {{ known: Map<number, { ran: number; movedAt: number }>; stalled: { pid: number; reason: 'lock' | 'idle' }[] }}
 */
export function nextStallState(known, reading, now, caps) {
  const next = new Map();
  const stalled = [];
  for (const [pid, { ran, lockWait }] of reading) {
    const before = known.get(pid);
    const entry = before && before.ran === ran ? before : { ran, movedAt: now };
    next.set(pid, entry);
    const still = now - entry.movedAt;
    if (still >= caps.capMs) stalled.push({ pid, reason: 'idle' });
    else if (lockWait && still >= caps.lockCapMs) stalled.push({ pid, reason: 'lock' });
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

/** A /proc file's text, trimmed; '?' when it cannot be read (the process is gone, or no access). */
function readProc(file) {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '?';
  }
}

/** A thread's kernel wait channel (what it is blocked in): '-' when running or runnable. */
const waitChannel = (pid, tid) => readProc(`/proc/${pid}/task/${tid}/wchan`) || '-';

/** Each thread of `pid`: its id, name and kernel wait channel (what it is blocked in). */
export function threadStates(pid) {
  let tids = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tids.map((tid) => ({
    tid: Number(tid),
    name: readProc(`/proc/${pid}/task/${tid}/comm`),
    wchan: waitChannel(pid, tid),
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

/** A duration for people: seconds under two minutes, else minutes. */
const duration = (ms) => (ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} minutes`);

/**
 * What the guard says of a stalled worker, for the step's output.
 * @param {{ pid: number; cmdline: string; stoppedMs: number; reason: 'lock' | 'idle'; threads: { tid: number; name: string; wchan: string }[]; stacks: string | null }} s
 */
export function describeStall(s) {
  const wchan = s.threads.find((t) => t.tid === s.pid)?.wchan ?? '?';
  const why =
    s.reason === 'lock'
      ? `ran nothing on its main thread for ${duration(s.stoppedMs)}, in a lock wait (${wchan}) the whole time: a healthy main thread waits in its event loop, never minutes on a lock. It is deadlocked, not slow.`
      : `ran nothing on its main thread for ${duration(s.stoppedMs)} (longer than any test's hang cap): it is stopped, not slow.`;
  const lines = [
    `stall guard: vitest worker ${s.pid} ${why} Ended with SIGKILL.`,
    `  command: ${s.cmdline}`,
    `  threads (id, name, kernel wait channel):`,
    ...s.threads.map((t) => `    ${t.tid} ${t.name} ${t.wchan}`),
  ];
  if (s.stacks) lines.push('  native backtraces (gdb):', ...s.stacks.split('\n').map((l) => `    ${l}`));
  else lines.push('  (no native backtraces: gdb is not installed or could not attach)');
  return lines.join('\n');
}

/**
 * gdb's `thread apply all bt`, read back: each thread's LWP id and its frames' function names,
 * innermost first ("??" where gdb knows no name).
 * @param {string} stacks
 * @returns {Map<number, string[]>}
 */
export function framesByThread(stacks) {
  const threads = new Map();
  let current = null;
  for (const line of stacks.split('\n')) {
    const head = /^Thread \d+ \(.*?LWP (\d+)\b/.exec(line);
    if (head) {
      current = [];
      threads.set(Number(head[1]), current);
      continue;
    }
    const frame = /^#\d+\s+(?:0x[0-9a-f]+ in )?(.*)$/.exec(line);
    if (!frame || !current) continue;
    // The function's name ends where its arguments or its source begin: " (" or " at "/" from ".
    current.push(shortName(frame[1].split(/ \(| at | from /)[0].trim()));
  }
  return threads;
}

/**
 * A C++ function's name without its return type, parameters and template arguments:
 * `v8::internal::Object v8::internal::FutexEmulation::WaitSync<int>(…) [clone .isra.0]` →
 * `v8::internal::FutexEmulation::WaitSync`.
 */
export function shortName(name) {
  let n = name.replace(/ \[clone [^\]]*\]/g, '').replace(/\(anonymous namespace\)/g, '{anon}');
  if (n.endsWith(')')) {
    // Drop the balanced parameter list at the end.
    for (let depth = 0, i = n.length - 1; i >= 0; i--) {
      if (n[i] === ')') depth++;
      else if (n[i] === '(' && --depth === 0) {
        n = n.slice(0, i);
        break;
      }
    }
  }
  for (let before = ''; before !== n; ) {
    before = n;
    n = n.replace(/<[^<>]*>/g, '');
  }
  return n.trim().split(/\s+/).at(-1) || '??';
}

/** A frame of the C library, of libuv's thread primitives or of the kernel's entry: the wait itself, not who waits. */
const systemFrame = (name) =>
  /^(__|_?_?pthread|futex|syscall|epoll|clone|start_thread|do_futex|uv__?(cond|sem|mutex|rwlock|thread_join)|\?\?$)/.test(
    name,
  );

/**
 * The stall in a few lines for the end of `npm test`'s output, the part of a CI log people
 * see: the main thread's wait and who is waiting (its first frames above the C library), and
 * the other threads grouped by name, wait channel and first frame of their own code.
 * @param {{ pid: number; stoppedMs: number; reason: 'lock' | 'idle'; threads: { tid: number; name: string; wchan: string }[]; stacks: string | null }} s
 * @returns {string[]}
 */
export function briefStall(s) {
  const frames = s.stacks ? framesByThread(s.stacks) : new Map();
  const own = (tid) => (frames.get(tid) ?? []).filter((f) => !systemFrame(f));
  const main = s.threads.find((t) => t.tid === s.pid);
  const lines = [
    `worker ${s.pid}: main thread ran nothing for ${duration(s.stoppedMs)}, waiting in ${main?.wchan ?? '?'}`,
  ];
  const mainFrames = own(s.pid);
  lines.push(
    mainFrames.length
      ? `  main thread: ${mainFrames.slice(0, 10).join(' < ')}`
      : `  main thread: no backtrace (${s.stacks ? 'no frames read' : 'gdb not installed or could not attach'})`,
  );
  const groups = new Map();
  for (const t of s.threads) {
    if (t.tid === s.pid) continue;
    const key = `${t.name} in ${t.wchan}${own(t.tid).length ? ` at ${own(t.tid)[0]}` : ''}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  if (groups.size)
    lines.push(
      `  other threads: ${[...groups]
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${n}× ${k}`)
        .join('; ')}`,
    );
  return lines;
}

/**
 * Watches the processes below `root` that `isWorker` accepts, every `pollMs`; a worker whose
 * main thread has stopped (nextStallState: `capMs`, or `lockCapMs` in a lock wait) is described
 * (threads, and gdb's backtraces unless `stacks` is false) to `onStall`, with the few lines of
 * briefStall, then killed. Returns a function that stops the watch.
 *
 * @param {number} root
 * @param {{ capMs?: number; lockCapMs?: number; pollMs?: number; isWorker?: (cmdline: string, pid: number) => boolean; stacks?: boolean; onStall: (report: string, brief: string[], pid: number) => void }} options
 */
export function watchForStalls(root, options) {
  const {
    capMs = STALL_CAP_MS,
    lockCapMs = LOCK_WAIT_CAP_MS,
    pollMs = STALL_POLL_MS,
    isWorker = isVitestWorker,
    stacks = true,
    onStall,
  } = options;
  if (process.platform !== 'linux') return () => {};
  let known = new Map();
  const tick = () => {
    const reading = new Map();
    const commands = new Map();
    for (const { pid, cmdline } of descendants(root)) {
      if (!isWorker(cmdline, pid)) continue;
      // The wait channel first, then the run time: if the run time then equals the last
      // reading's, the thread has not run since before this wait channel was read, so it has
      // been in this wait all along (read the other way round, a thread that woke in between
      // could be seen in a lock it took for a moment).
      const lockWait = isLockWait(waitChannel(pid, pid));
      const ran = runTime(pid);
      if (ran === null) continue;
      reading.set(pid, { ran, lockWait });
      commands.set(pid, cmdline);
    }
    const now = Date.now();
    const next = nextStallState(known, reading, now, { capMs, lockCapMs });
    known = next.known;
    for (const { pid, reason } of next.stalled) {
      const stall = {
        pid,
        cmdline: commands.get(pid) ?? '',
        stoppedMs: now - (known.get(pid)?.movedAt ?? now),
        reason,
        threads: threadStates(pid),
        stacks: stacks ? nativeStacks(pid) : null,
      };
      known.delete(pid);
      // Said before the kill, so the caller reads what the worker was running before vitest
      // hears of its end.
      try {
        onStall(describeStall(stall), briefStall(stall), pid);
      } finally {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  };
  const timer = setInterval(tick, pollMs);
  timer.unref();
  return () => clearInterval(timer);
}
