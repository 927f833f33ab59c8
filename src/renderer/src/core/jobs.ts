import { useRef, useState } from 'react';
import type { JobProgress } from '../../../shared/contract';
import { useEvent } from './api/hooks';
import { nextJobView, type JobView } from './job-view';

/**
 * Progress of a job started by a call that returns `{ jobId }`. Events can arrive before
 * the call resolves, so every event of the kind is remembered until the id is known.
 * `follow`: a job of the kind that this screen did not start is shown too (`nextJobView`).
 */
export function useJob(kind: JobProgress['kind'], options: { follow?: boolean } = {}) {
  const seen = useRef(new Map<string, JobProgress>());
  const [view, setView] = useState<JobView>({ jobId: null, progress: null });
  const { jobId, progress } = view;

  useEvent('job.progress', (p) => {
    if (p.kind !== kind) return;
    seen.current.set(p.jobId, p);
    setView((v) => nextJobView(v, p, options.follow ?? false));
  });

  return {
    jobId,
    progress,
    running: jobId !== null && !(progress?.finished ?? false),
    track(id: string) {
      setView({ jobId: id, progress: seen.current.get(id) ?? null });
    },
    reset() {
      setView({ jobId: null, progress: null });
    },
  };
}

export function percent(p: JobProgress | null): number {
  if (!p) return 0;
  if (p.finished) return 100;
  return p.total > 0 ? Math.min(100, Math.round((p.done / p.total) * 100)) : 0;
}
