import { useRoute } from '../../core/router';
import { InstrumentPage, NewInstrumentPage } from './instrument-page';
import { InstrumentsListPage } from './instruments-list-page';
import { MethodRulesPage } from './method-rules-page';

/**
 * `#/instruments` the list with live status, `#/instruments/new` registering one
 * (administrators), `#/instruments/methods` what test methods name about instruments,
 * `#/instruments/<id>?tab=settings|calibration|captures|terminal|print` one
 * instrument.
 */
export function InstrumentsSection() {
  const route = useRoute();
  const rest = route.path.replace(/^\/instruments\/?/, '');
  if (rest === 'new') return <NewInstrumentPage />;
  if (rest === 'methods') return <MethodRulesPage />;
  if (rest) {
    let id = rest;
    try {
      id = decodeURIComponent(rest);
    } catch {
      /* keep as typed */
    }
    return <InstrumentPage key={id} id={id} tab={route.params.get('tab')} />;
  }
  return <InstrumentsListPage />;
}
