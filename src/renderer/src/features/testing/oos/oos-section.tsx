import { useRoute } from '../../../core/router';
import { subPath } from '../review/review-section';
import { OosListPage } from './oos-list-page';
import { OosPage } from './oos-page';
import { MicroHoldsPage } from './micro-holds-page';

/** `#/oos` lists investigations; `#/oos/<code>` is one investigation; `#/oos/micro` the automatic micro holds. */
export function OosSection() {
  const route = useRoute();
  const code = subPath(route.path, 'oos');
  if (code === 'micro') return <MicroHoldsPage />;
  return code ? <OosPage key={code} code={code} /> : <OosListPage />;
}
