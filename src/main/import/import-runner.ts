import { AppErrorException, appError } from '../../shared/contract/errors';
import { join } from 'node:path';
import type { HostKey, HostKind } from '../ledger/keys';
import type { Actor } from '../ledger/ledger';
import type { ImportFiles } from './formats';
import type { ImportReport, ProgressFn } from './import-files';
import { resolveWorkerEntry, spawnWorker, type WorkerEntry } from '../workers/spawn';

/** What the runner sends the worker (src/main/app/import-worker.ts). */
export interface ImportJob {
  type: 'import';
  dbFile: string;
  pkcs8: Uint8Array;
  keyMeta: { host: string; hostKind: HostKind; createdAt: number };
  workstation: string;
  timeZone: string;
  /** The data folder whose anchors/ the app writes (null: no anchor file). */
  anchorsDataDir: string | null;
  actor: Actor;
  files: ImportFiles;
  correctionReason?: string;
  stagingDir: string;
  dryRun?: boolean;
}

export type ImportWorkerMessage =
  | { type: 'ready' }
  | { type: 'progress'; phase: string; done: number; total: number }
  | { type: 'done'; report: ImportReport }
  | { type: 'error'; error: unknown; message: string };

/**
 * The import worker's entry: a built sibling of this module's bundle (out/main/import-worker.js
 * in the desktop build, out/node/import-worker.cjs in the Node build), or in a checkout its
 * source in the composition root (src/main/app/import-worker.ts: it composes services).
 */
export function importWorkerEntry(here: string = __dirname): WorkerEntry | null {
  return resolveWorkerEntry('import-worker', here) ?? resolveWorkerEntry('import-worker', join(here, '..', 'app'));
}

/**
 * Runs an import in a worker thread (the app's way; the CLI calls importFiles in-process).
 * The worker holds the database's write lock for the whole apply transaction; the app's
 * other writers must not queue behind it (better-sqlite3 is synchronous: a write would
 * block the main thread up to busy_timeout and then fail), so the app refuses them while
 * isImportRunning() is true with the message `import.import_running` (docs/import.md).
 */
let running = 0;

export function isImportRunning(): boolean {
  return running > 0;
}

export interface WorkerImportOptions {
  dbFile: string;
  key: HostKey;
  workstation: string;
  timeZone: string;
  /** The data folder of the app's AnchorStore (anchors/<database id>.json), or null. */
  anchorsDataDir: string | null;
  actor: Actor;
  files: ImportFiles;
  correctionReason?: string;
  stagingDir: string;
  dryRun?: boolean;
  onProgress?: ProgressFn;
}

export async function runImportInWorker(opts: WorkerImportOptions): Promise<ImportReport> {
  if (running > 0) throw new AppErrorException(appError('conflict', { what: 'import' }, 'import.import_running'));
  const entry = importWorkerEntry();
  if (!entry) throw new Error('import-worker not found next to the runner');
  running++;
  try {
    // The spawn module passes the native binding (Electron's ABI in the desktop app).
    const w = spawnWorker(entry);
    return await new Promise<ImportReport>((resolve, reject) => {
      let settled = false;
      const finish = (f: () => void): void => {
        if (settled) return;
        settled = true;
        f();
        void w.terminate();
      };
      w.on('message', (m: ImportWorkerMessage) => {
        if (m.type === 'ready') {
          const job: ImportJob = {
            type: 'import',
            dbFile: opts.dbFile,
            pkcs8: new Uint8Array(opts.key.pkcs8()),
            keyMeta: { host: opts.key.host, hostKind: opts.key.hostKind, createdAt: opts.key.createdAt },
            workstation: opts.workstation,
            timeZone: opts.timeZone,
            anchorsDataDir: opts.anchorsDataDir,
            actor: opts.actor,
            files: opts.files,
            stagingDir: opts.stagingDir,
            ...(opts.correctionReason !== undefined ? { correctionReason: opts.correctionReason } : {}),
            ...(opts.dryRun ? { dryRun: true } : {}),
          };
          w.postMessage(job);
        } else if (m.type === 'progress') opts.onProgress?.(m.phase, m.done, m.total);
        else if (m.type === 'done') finish(() => resolve(m.report));
        else if (m.type === 'error') {
          const err = m.error as { code?: string } | null;
          finish(() =>
            reject(
              err && typeof err === 'object' && 'code' in err
                ? new AppErrorException(err as never)
                : new Error(`import worker: ${m.message}`),
            ),
          );
        }
      });
      w.on('error', (e) => finish(() => reject(e)));
      w.on('exit', (code) => finish(() => reject(new Error(`import worker exited with code ${code}`))));
    });
  } finally {
    running--;
  }
}
