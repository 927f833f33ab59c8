import { AppErrorException } from '../../shared/contract/errors';
import type { AuditCsvResult } from './audit-csv';
import type { EvidenceResult } from './evidence-export';
import { runEvidenceJob, type EvidenceJob, type EvidenceWorkerMessage } from './evidence-worker';
import { resolveWorkerEntry, spawnWorker, type WorkerEntry } from '../workers/spawn';

/**
 * Runs an export in a worker thread (the app's way, so main never blocks; the CLI runs the
 * same functions in-process). Without a worker entry (a source checkout without tsx) it runs
 * in-process: both exports yield to the event loop between chunks.
 */
export function resolveEvidenceWorker(here: string = __dirname): WorkerEntry | null {
  return resolveWorkerEntry('evidence-worker', here);
}

type Progress = (phase: string, done: number, total: number) => void;

export function runExportJob(job: EvidenceJob & { type: 'evidence' }, onProgress?: Progress): Promise<EvidenceResult>;
export function runExportJob(job: EvidenceJob & { type: 'csv' }, onProgress?: Progress): Promise<AuditCsvResult>;
export function runExportJob(job: EvidenceJob, onProgress?: Progress): Promise<EvidenceResult | AuditCsvResult> {
  const entry = resolveEvidenceWorker();
  const handle = (
    resolve: (r: EvidenceResult | AuditCsvResult) => void,
    reject: (e: unknown) => void,
  ): ((m: EvidenceWorkerMessage) => void) => {
    return (m) => {
      if (m.type === 'progress') onProgress?.(m.phase, m.done, m.total);
      else if (m.type === 'done') resolve(m.result);
      else if (m.type === 'error') {
        const err = m.error as { code?: string } | null;
        reject(
          err && typeof err === 'object' && 'code' in err
            ? new AppErrorException(err as never)
            : new Error(`export: ${m.message}`),
        );
      }
    };
  };
  if (!entry) {
    return new Promise((resolve, reject) => {
      void runEvidenceJob(job, handle(resolve, reject));
    });
  }
  return new Promise((resolve, reject) => {
    // Through the one spawn module: the worker opens SQLite with this process's native binding (D-038).
    const w = spawnWorker(entry);
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      f();
      void w.terminate();
    };
    const onMessage = handle(
      (r) => finish(() => resolve(r)),
      (e) => finish(() => reject(e)),
    );
    w.on('message', (m: EvidenceWorkerMessage) => {
      if (m.type === 'ready') w.postMessage(job);
      else onMessage(m);
    });
    w.on('error', (e) => finish(() => reject(e)));
    w.on('exit', (code) => finish(() => reject(new Error(`export worker exited with code ${code}`))));
  });
}
