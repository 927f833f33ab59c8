import { useRoute } from '../../core/router';
import { IntakeQueuePage } from './intake-queue-page';
import { PanelsPage } from './panels-page';
import { TankerIntakePage } from './tanker-intake-page';
import { LateFailurePage } from './late-failure-page';

/**
 * `#/intake` the milk bench (tankers awaiting intake, recent intakes), `#/intake/panels` the
 * intake panels (QA), `#/intake/<lotCode>` one tanker's intake and decision,
 * `#/intake/late/<lotCode>` a late retrospective failure and its one signed hold.
 */
export function IntakeSection() {
  const route = useRoute();
  const rest = route.path.replace(/^\/intake\/?/, '');
  if (rest === 'panels') return <PanelsPage />;
  if (rest.startsWith('late/')) {
    let code = rest.slice(5);
    try {
      code = decodeURIComponent(code);
    } catch {
      /* keep as typed */
    }
    return <LateFailurePage key={code} lotCode={code} />;
  }
  if (rest) {
    let code = rest;
    try {
      code = decodeURIComponent(rest);
    } catch {
      /* keep as typed */
    }
    return <TankerIntakePage key={code} lotCode={code} />;
  }
  return <IntakeQueuePage />;
}
