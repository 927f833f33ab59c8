import { useRoute } from '../../core/router';
import { CalendarPage } from './calendar-page';
import { SpotChecksPage } from './spot-checks-page';

/**
 * `#/appeals` the register of government spot checks (监督抽查) and their re-tests
 * (`?lot=<code>`, `?code=<code>`, `?new=1`), with the appeals recorded before it to carry
 * forward or retire; `#/appeals/calendar` the working-day calendar.
 */
export function AppealsSection() {
  const route = useRoute();
  const rest = route.path.replace(/^\/appeals\/?/, '');
  if (rest === 'calendar') return <CalendarPage />;
  return <SpotChecksPage key={route.params.toString()} />;
}
