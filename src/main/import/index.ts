/**
 * The ERP import's front door (issue 21): the service, the worker runner (and the protocol the
 * worker entry in src/main/app/import-worker.ts speaks) and the published
 * file formats (docs/import.md, /work/shared/formats/README.md).
 */
export { ImportService } from './import-service';
export {
  importWorkerEntry,
  isImportRunning,
  runImportInWorker,
  type ImportJob,
  type ImportWorkerMessage,
} from './import-runner';
export { fileKinds, type FileKind, type ImportFiles } from './formats';
export type { ImportReport } from './import-files';
