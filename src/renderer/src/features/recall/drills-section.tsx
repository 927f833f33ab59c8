import { useRoute } from '../../core/router';
import { DrillPage } from './drill-page';
import { DrillsListPage } from './drills-list-page';
import { ProgrammePage } from './programme-page';

/**
 * `#/drills` drills and recalls (`?start=drill&lot=<code>` opens the start dialog),
 * `#/drills/programme?year=…` the yearly programme and KPIs, `#/drills/<code>` one drill or recall.
 */
export function DrillsSection() {
  const route = useRoute();
  const rest = route.path.replace(/^\/drills\/?/, '');
  if (rest === 'programme') return <ProgrammePage />;
  if (rest) {
    let code = rest;
    try {
      code = decodeURIComponent(rest);
    } catch {
      /* keep as typed */
    }
    return <DrillPage key={code} code={code} />;
  }
  return <DrillsListPage />;
}
