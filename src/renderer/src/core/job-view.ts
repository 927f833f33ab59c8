import type { JobProgress } from '../../../shared/contract';

/** The job a screen shows (`useJob`): its id, once known, and its latest progress. */
export interface JobView {
  jobId: string | null;
  progress: JobProgress | null;
}

/**
 * What a screen shows after a progress event of its job kind. The job it shows moves on. With
 * `follow`, while it shows none or the one it shows has finished, a job it did not start (the
 * app's own scheduled verification, a colleague's on another workstation of the site) is shown
 * from its next event that is not its last, so the screen never offers to start what is already
 * running. Anything else leaves the view as it is.
 */
export function nextJobView(view: JobView, p: JobProgress, follow: boolean): JobView {
  if (p.jobId === view.jobId) return { jobId: view.jobId, progress: p };
  const idle = view.jobId === null || (view.progress?.finished ?? false);
  if (follow && idle && !p.finished) return { jobId: p.jobId, progress: p };
  return view;
}
