/**
 * Worker-thread entry of the ERP import (src/main/import/import-runner.ts). It composes the
 * services of its own database, so it belongs to the composition root (issue 21: a
 * capability never imports app/). It opens its own connection
 * and Ledger with this host's key (passed as PKCS#8 bytes by the parent thread of the same
 * process: HostKey.pkcs8), runs importFiles and posts progress, so the app's main process
 * stays responsive while a two-million-row import validates and applies.
 */
import { parentPort } from 'node:worker_threads';
import { openDatabase } from '../db/store';
import { AnchorStore } from '../ledger/anchor';
import { hostKeyFromPkcs8 } from '../ledger/keys';
import '../lots/entities';
import '../catalog/entities';
import { composeServices, findResourcesDir, idleConnections, verificationHealth } from './compose';
import type { ImportJob, ImportReport, ImportWorkerMessage } from '../import';

export type { ImportJob, ImportWorkerMessage } from '../import';

export async function runImportJob(job: ImportJob, post: (m: ImportWorkerMessage) => void): Promise<void> {
  try {
    const key = hostKeyFromPkcs8(job.pkcs8, job.keyMeta);
    const ledger = openDatabase(job.dbFile, {
      key,
      workstation: job.workstation,
      timeZone: job.timeZone,
      anchors: job.anchorsDataDir ? AnchorStore.forDataDir(job.anchorsDataDir) : null,
    });
    let report: ImportReport;
    try {
      // The same composition root as every host: the import runs with this database's rules.
      const services = composeServices(ledger, {
        dataDir: job.anchorsDataDir ?? job.stagingDir,
        resourcesDir: findResourcesDir(),
        pdf: null,
        connections: idleConnections(),
        health: verificationHealth(ledger),
      });
      report = await services.imports.run(job.actor, job.files, {
        stagingDir: job.stagingDir,
        ...(job.correctionReason !== undefined ? { correctionReason: job.correctionReason } : {}),
        ...(job.dryRun ? { dryRun: true } : {}),
        onProgress: (phase, done, total) => post({ type: 'progress', phase, done, total }),
      });
    } finally {
      // Closed before the parent hears "done" (and terminates this thread): no handle on the
      // database outlives the job (Windows refuses to move an open file, D-040).
      ledger.db.close();
    }
    post({ type: 'done', report });
  } catch (e) {
    const error = e && typeof e === 'object' && 'error' in e ? (e as { error: unknown }).error : null;
    post({ type: 'error', error, message: e instanceof Error ? e.message : String(e) });
  }
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (m: ImportJob) => {
    void runImportJob(m, (msg) => port.postMessage(msg)).then(() => port.close());
  });
  port.postMessage({ type: 'ready' } satisfies ImportWorkerMessage);
}
