import { useRoute } from '../../core/router';
import { ReceptionPage } from './reception-page';
import { SamplePage } from './sample-page';

/** `#/samples` is the reception desk; `#/samples/<code>` the page of one sample. */
export function SamplesSection() {
  const route = useRoute();
  const rest = route.path.replace(/^\/samples\/?/, '');
  if (rest) {
    let code = rest;
    try {
      code = decodeURIComponent(rest);
    } catch {
      /* keep as typed */
    }
    return <SamplePage key={code} code={code} />;
  }
  return <ReceptionPage key={route.params.toString()} />;
}
