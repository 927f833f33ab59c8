import { randomUUID } from 'node:crypto';
import type { JobProgress } from '../../shared/contract/channels/system';

export type JobKind = JobProgress['kind'];

/**
 * Long work (verification, backups, imports, reports) runs off the main thread; the job
 * runner reports its progress as `job.progress` events, throttled to a few per second.
 */
export class JobRunner {
  private running = new Map<string, JobKind>();

  constructor(private readonly emit: (p: JobProgress) => void) {}

  isRunning(kind: JobKind): boolean {
    return [...this.running.values()].includes(kind);
  }

  start<T>(
    kind: JobKind,
    work: (progress: (phase: string, done: number, total: number) => void) => Promise<T>,
    onDone?: (r: T) => void,
    onError?: (message: string) => void,
  ): string {
    const jobId = randomUUID();
    this.running.set(jobId, kind);
    let last = 0;
    const progress = (phase: string, done: number, total: number): void => {
      const now = Date.now();
      if (now - last < 200 && done < total) return;
      last = now;
      this.emit({ jobId, kind, phase, done, total, finished: false, error: null });
    };
    this.emit({ jobId, kind, phase: 'start', done: 0, total: 1, finished: false, error: null });
    void work(progress)
      .then((r) => {
        this.running.delete(jobId);
        onDone?.(r);
        this.emit({ jobId, kind, phase: 'done', done: 1, total: 1, finished: true, error: null });
      })
      .catch((e: unknown) => {
        this.running.delete(jobId);
        const msg =
          e && typeof e === 'object' && 'error' in e
            ? String((e as { error: { messageKey: string } }).error.messageKey)
            : String(e);
        onError?.(msg);
        this.emit({ jobId, kind, phase: 'failed', done: 0, total: 1, finished: true, error: msg });
      });
    return jobId;
  }
}

/** What a capability's handlers may do with the job runner: start a job, ask whether one runs. */
export type Jobs = Pick<JobRunner, 'start' | 'isRunning'>;
