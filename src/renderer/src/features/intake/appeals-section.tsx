import { useRoute } from '../../app/router';
import { AppealsPage } from './appeals-page';
import { CalendarPage } from './calendar-page';

/** `#/appeals` the appeals (`?lot=<code>&new=1`), `#/appeals/calendar` the working-day calendar. */
export function AppealsSection() {
  const route = useRoute();
  const rest = route.path.replace(/^\/appeals\/?/, '');
  if (rest === 'calendar') return <CalendarPage />;
  return <AppealsPage key={route.params.toString()} />;
}
