/**
 * The bench queue writes itself back (issue 23 §4, D-108): while signed frames wait at the
 * workstation, it tries again by itself, with a backoff that doubles from `minMs` to `maxMs`
 * (jittered, so the benches of a lab do not all knock at once when the server returns), and
 * at once whenever something changes (a capture, the server back, someone signing in). Time
 * comes from an injected scheduler: tests fire the timers themselves, no test sleeps.
 */

/** Timers as the retry uses them (real timers by default; tests pass their own). */
export interface RetryScheduler {
  now(): number;
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realScheduler: RetryScheduler = {
  now: () => Date.now(),
  set: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A waiting queue never keeps a process alive on its own.
    t.unref?.();
    return t;
  },
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface RetryOptions {
  minMs: number;
  maxMs: number;
  scheduler?: RetryScheduler;
  /** 0 ≤ x < 1; Math.random by default. */
  random?: () => number;
  /** The next attempt was scheduled or the queue emptied (for the status the screens show). */
  onChange?: () => void;
}

/**
 * The delay before attempt `attempt` (0 = the first retry): `minMs · 2^attempt`, at most `maxMs`,
 * then between half of that and all of it (jitter). Pure.
 */
export function retryDelay(attempt: number, minMs: number, maxMs: number, random: number): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(Math.max(0, attempt), 30));
  return Math.round(base / 2 + (base / 2) * Math.min(Math.max(random, 0), 1));
}

export class QueueRetry {
  private timer: unknown = null;
  private attempt = 0;
  private running = false;
  private again = false;
  private closed = false;
  private due: number | null = null;

  /** `flush` writes back what it can and answers how many frames still wait. */
  constructor(
    private readonly flush: () => Promise<number>,
    private readonly o: RetryOptions,
  ) {}

  private get scheduler(): RetryScheduler {
    return this.o.scheduler ?? realScheduler;
  }

  /** When the next attempt is due (epoch ms), or null when nothing waits for one. */
  get nextAttemptAt(): number | null {
    return this.due;
  }

  /** Something changed: try now, the backoff starting again. */
  kick(): void {
    if (this.closed) return;
    this.attempt = 0;
    this.cancel();
    void this.run();
  }

  /** Frames wait: an attempt is scheduled unless one is already (the backoff goes on). */
  ensure(): void {
    if (this.closed || this.running || this.timer !== null) return;
    this.schedule();
  }

  private schedule(): void {
    const ms = retryDelay(this.attempt, this.o.minMs, this.o.maxMs, (this.o.random ?? Math.random)());
    this.attempt += 1;
    this.cancel();
    this.due = this.scheduler.now() + ms;
    this.timer = this.scheduler.set(() => {
      this.timer = null;
      this.due = null;
      void this.run();
    }, ms);
    this.o.onChange?.();
  }

  private cancel(): void {
    if (this.timer !== null) this.scheduler.clear(this.timer);
    this.timer = null;
    this.due = null;
  }

  private async run(): Promise<void> {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    let left: number;
    try {
      left = await this.flush();
    } catch {
      left = 1;
    } finally {
      this.running = false;
    }
    if (this.closed) return;
    if (this.again) {
      this.again = false;
      return this.run();
    }
    if (left === 0) {
      this.attempt = 0;
      this.due = null;
      this.o.onChange?.();
      return;
    }
    this.schedule();
  }

  close(): void {
    this.closed = true;
    this.cancel();
  }
}
