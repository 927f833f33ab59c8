import { useRef, useState } from 'react';
import type { JobProgress } from '../../../shared/contract';
import { useEvent } from './api/hooks';

/**
 * Progress of a job started by a call that returns `{ jobId }`. Events can arrive before
 * the call resolves, so every event of the kind is remembered until the id is known.
 */
export function useJob(kind: JobProgress['kind']) {
  const seen = useRef(new Map<string, JobProgress>());
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<JobProgress | null>(null);

  useEvent('job.progress', (p) => {
    if (p.kind !== kind) return;
    seen.current.set(p.jobId, p);
    if (p.jobId === jobId) setProgress(p);
  });

  return {
    jobId,
    progress,
    running: jobId !== null && !(progress?.finished ?? false),
    track(id: string) {
      setJobId(id);
      setProgress(seen.current.get(id) ?? null);
    },
    reset() {
      setJobId(null);
      setProgress(null);
    },
  };
}

export function percent(p: JobProgress | null): number {
  if (!p) return 0;
  if (p.finished) return 100;
  return p.total > 0 ? Math.min(100, Math.round((p.done / p.total) * 100)) : 0;
}
