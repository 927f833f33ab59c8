import type { HandlersOf } from '../dispatcher/handler-kit';
import type { DocumentsService } from './documents-service';
import type { DocumentViewer } from './viewer';

/** What the documents handlers need: the documents service, the host's viewer and its log. */
export interface DocumentsHandlerDeps {
  documents: DocumentsService;
  /** The host's document viewer (desktop: system PDF viewer and print dialog); none in the harness. */
  viewer: DocumentViewer | null;
  log: { info(msg: string, data?: unknown): void };
}

/** The handlers of src/shared/contract/channels/documents.ts. */
export function documentsHandlers(use: () => DocumentsHandlerDeps): HandlersOf<'documents'> {
  return {
    'documents.get': ({ id }) => use().documents.download(id),
    'documents.list': ({ subjectEntity, subjectId }) => use().documents.list(subjectEntity, subjectId),
    'documents.open': async ({ ref, action }) => {
      const { documents, viewer, log } = use();
      const file = await documents.openIn(viewer, ref, action);
      log.info(`document ${action}`, { ref, file });
      return { ok: true as const, action };
    },
  };
}
