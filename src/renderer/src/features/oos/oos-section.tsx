import { useRoute } from '../../app/router';
import { subPath } from '../review/review-section';
import { OosListPage } from './oos-list-page';
import { OosPage } from './oos-page';

/** `#/oos` lists investigations; `#/oos/<code>` is one investigation. */
export function OosSection() {
  const route = useRoute();
  const code = subPath(route.path, 'oos');
  return code ? <OosPage key={code} code={code} /> : <OosListPage />;
}
