/**
 * Worker-thread entry of the exports (evidence-runner.ts): the evidence folder and the
 * streamed audit-trail CSV. Each runs on its own read-only connection, so the app's main
 * process stays responsive (nothing blocks it for more than a few milliseconds) while a
 * multi-gigabyte database is copied, hashed, verified or written out. Built next to the main
 * bundle as evidence-worker.js / evidence-worker.cjs; run from source under tsx in tests.
 */
import { parentPort } from 'node:worker_threads';
import { exportAuditCsv, type AuditCsvOptions, type AuditCsvResult } from './audit-csv';
import { exportEvidence, type EvidenceOptions, type EvidenceResult } from './evidence-export';

export type EvidenceJob =
  | { type: 'evidence'; opts: Omit<EvidenceOptions, 'onProgress' | 'now'> }
  | { type: 'csv'; opts: Omit<AuditCsvOptions, 'onProgress'> };

export type EvidenceWorkerMessage =
  | { type: 'ready' }
  | { type: 'progress'; phase: string; done: number; total: number }
  | { type: 'done'; result: EvidenceResult | AuditCsvResult }
  | { type: 'error'; error: unknown; message: string };

export async function runEvidenceJob(job: EvidenceJob, post: (m: EvidenceWorkerMessage) => void): Promise<void> {
  const onProgress = (phase: string, done: number, total: number): void =>
    post({ type: 'progress', phase, done, total });
  try {
    const result =
      job.type === 'evidence'
        ? await exportEvidence({ ...job.opts, onProgress })
        : await exportAuditCsv({ ...job.opts, onProgress });
    post({ type: 'done', result });
  } catch (e) {
    const error = e && typeof e === 'object' && 'error' in e ? (e as { error: unknown }).error : null;
    post({ type: 'error', error, message: e instanceof Error ? e.message : String(e) });
  }
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (m: EvidenceJob) => {
    void runEvidenceJob(m, (msg) => port.postMessage(msg)).then(() => port.close());
  });
  port.postMessage({ type: 'ready' } satisfies EvidenceWorkerMessage);
}
