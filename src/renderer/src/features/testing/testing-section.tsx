import { useRoute } from '../../core/router';
import { EntryPage } from './entry-page';
import { MethodRulesPage } from './method-rules-page';
import { WorklistPage } from './worklist-page';

/**
 * `#/testing` the worklist, `#/testing/sample/<code>` a sample's results and entry grid
 * (`?focus=<resultId>` puts the cursor on one test), `#/testing/methods` the replicate rules.
 */
export function TestingSection() {
  const route = useRoute();
  const rest = route.path.replace(/^\/testing\/?/, '');
  if (rest.startsWith('sample/')) {
    let code = rest.slice('sample/'.length);
    try {
      code = decodeURIComponent(code);
    } catch {
      /* keep as typed */
    }
    return <EntryPage key={code} code={code} focus={route.params.get('focus')} />;
  }
  if (rest === 'methods') return <MethodRulesPage />;
  return <WorklistPage key={route.params.toString()} />;
}
