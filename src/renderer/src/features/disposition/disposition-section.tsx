import { useRoute } from '../../core/router';
import { DecisionPage } from './decision-page';
import { ReleaseQueuePage } from './release-queue-page';

/** `#/release` the release queue; `#/release/<lotCode>` the decision page of one lot (codes may hold `/`). */
export function DispositionSection() {
  const route = useRoute();
  const rest = route.path.replace(/^\/release\/?/, '');
  if (rest) {
    let code = rest;
    try {
      code = decodeURIComponent(rest);
    } catch {
      /* keep as typed */
    }
    return <DecisionPage key={code} code={code} />;
  }
  return <ReleaseQueuePage />;
}
