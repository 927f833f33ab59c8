import type { AppCore } from '../app/core';
import type { HandlerTable } from '../dispatcher/dispatcher';
import { fail } from '../../shared/contract/errors';
import { documentView } from './documents-service';

type DocumentHandlers = Pick<HandlerTable, Extract<keyof HandlerTable, `documents.${string}`>>;

export function documentsHandlers(core: AppCore): DocumentHandlers {
  const docs = () => core.need().documents;
  return {
    'documents.get': ({ id }) => {
      const { row, pdf } = docs().get(id);
      const view = documentView(row);
      return { id: view.id, fileName: view.fileName, base64: pdf.toString('base64'), sha256: view.sha256, kind: view.kind, reprint: view.reprintOf !== null };
    },
    'documents.list': ({ subjectEntity, subjectId }) => docs().list(subjectEntity, subjectId),
    'documents.open': async ({ ref, action }) => {
      const viewer = core.viewer;
      if (!viewer) fail('conflict', { action }, 'errors.viewer_unavailable');
      const file = docs().openableFile(ref);
      try {
        await (action === 'print' ? viewer.print(file) : viewer.open(file));
      } catch (e) {
        fail('conflict', { action, reason: e instanceof Error ? e.message : String(e) }, 'errors.viewer_failed');
      }
      core.log.info(`document ${action}`, { ref, file });
      return { ok: true as const, action };
    },
  };
}
