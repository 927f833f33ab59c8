import { useRoute } from '../../core/router';
import { AlertPage } from './alert-page';
import { AlertsPage } from './alerts-page';
import { HeatmapPage } from './heatmap-page';

/**
 * `#/environment` the environmental alerts, `#/environment?tab=heatmap` the heat map of
 * swab results by site and week, `#/environment/<code>` one alert.
 */
export function EnvironmentSection() {
  const route = useRoute();
  const rest = route.path.replace(/^\/environment\/?/, '');
  if (rest) {
    let code = rest;
    try {
      code = decodeURIComponent(rest);
    } catch {
      /* keep as typed */
    }
    return <AlertPage key={code} code={code} />;
  }
  return route.params.get('tab') === 'heatmap' ? <HeatmapPage /> : <AlertsPage />;
}
