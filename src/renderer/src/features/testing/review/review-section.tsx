import { useRoute } from '../../../core/router';
import { ReviewQueuePage } from './review-queue-page';
import { ReviewSamplePage } from './review-sample-page';

/** The rest of a hash path after its page key, decoded (`#/review/S261122-0001` → `S261122-0001`). */
export function subPath(path: string, page: string): string {
  const rest = path.replace(new RegExp(`^/${page}/?`), '');
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
}

/** `#/review` is the queue; `#/review/<sampleCode>` the review of one sample. */
export function ReviewSection() {
  const route = useRoute();
  const code = subPath(route.path, 'review');
  return code ? <ReviewSamplePage key={code} code={code} /> : <ReviewQueuePage />;
}
