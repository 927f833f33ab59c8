import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppErrorException } from '../../shared/contract/errors';
import type { AuditCsvResult } from './audit-csv';
import type { EvidenceResult } from './evidence-export';
import { runEvidenceJob, type EvidenceJob, type EvidenceWorkerMessage } from './evidence-worker';

/**
 * Runs an export in a worker thread (the app's way, so main never blocks; the CLI runs the
 * same functions in-process). Without a worker entry (a source checkout without tsx) it runs
 * in-process: both exports yield to the event loop between chunks.
 */
interface WorkerEntry {
  file: string;
  mode: 'built' | 'source';
  tsx?: string;
}

export function resolveEvidenceWorker(here: string = __dirname): WorkerEntry | null {
  for (const dir of [here, join(here, '..')]) {
    for (const name of ['evidence-worker.js', 'evidence-worker.cjs']) {
      const f = join(dir, name);
      if (existsSync(f)) return { file: f, mode: 'built' };
    }
  }
  const ts = join(here, 'evidence-worker.ts');
  if (existsSync(ts)) {
    try {
      return { file: ts, mode: 'source', tsx: createRequire(join(here, 'evidence-runner.ts')).resolve('tsx/cjs/api') };
    } catch {
      return null;
    }
  }
  return null;
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
    const w =
      entry.mode === 'built'
        ? new Worker(entry.file)
        : new Worker(`require(${JSON.stringify(entry.tsx)}).register(); require(${JSON.stringify(entry.file)});`, {
            eval: true,
          });
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
