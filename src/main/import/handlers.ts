import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportReportView } from '../../shared/contract/channels/trace';
import { AppErrorException, appError, fail } from '../../shared/contract/errors';
import type { CallContext } from '../dispatcher/dispatcher';
import type { HandlersOf } from '../dispatcher/handler-kit';
import type { HostKey } from '../ledger/keys';
import type { Ledger } from '../ledger/ledger';
import type { Jobs } from '../workers/jobs';
import type { ImportReport } from './import-files';
import { isImportRunning, runImportInWorker } from './import-runner';
import type { FileKind } from './formats';

/** What the import channels need from the composition root. */
export interface ImportHandlerDeps {
  /** The data folder (uploads are staged in its staging/). */
  dataDir: string;
  dbFile: string;
  /** This host's key (the worker writes with it). */
  key: HostKey;
  jobs: Jobs;
  /** The open database (throws when there is none). */
  ledger(): Pick<Ledger, 'workstation' | 'timeZone'>;
  /** The go-live date of the open database; null when no database is open. */
  goLiveDate(): string | null;
  /** Another connection wrote: every screen hears that the ledger moved. */
  ledgerChanged(): void;
}

interface Upload {
  owner: string;
  dir: string;
  files: Partial<Record<FileKind, { path: string; name: string; bytes: number; complete: boolean }>>;
}

interface JobResult {
  done: boolean;
  report: ImportReportView | null;
  error: string | null;
  owner: string;
}

const MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

function view(r: ImportReport, dryRun: boolean): ImportReportView {
  const counts = (c: Partial<Record<string, number>>) =>
    Object.fromEntries(Object.entries(c).filter((e): e is [string, number] => typeof e[1] === 'number'));
  return {
    ok: r.ok,
    dryRun,
    inserted: counts(dryRun ? r.planned.inserted : r.inserted),
    unchanged: counts(dryRun ? r.planned.unchanged : r.unchanged),
    corrected: counts(dryRun ? r.planned.corrected : r.corrected),
    errors: r.errors.map((e) => ({
      file: e.file,
      row: e.row,
      column: e.column ?? '',
      message: e.message,
      ...(e.code ? { code: e.code } : {}),
      ...(e.details ? { details: e.details } : {}),
    })),
  };
}

/**
 * The ERP import from the app: files are uploaded in chunks to the data folder (bounded
 * messages over IPC and the harness socket), then validated or imported in a worker
 * thread while the main process stays responsive. While it runs, the app's own writes are
 * refused with a clear message (Ledger write gate) instead of waiting on the lock.
 */
export function importHandlers(use: () => ImportHandlerDeps): HandlersOf<'import'> {
  const uploads = new Map<string, Upload>();
  const results = new Map<string, JobResult>();
  const who = (ctx: CallContext): string => {
    if (!ctx.session) fail('not_signed_in');
    return ctx.session.userId;
  };
  const root = (): string => join(use().dataDir, 'staging');
  return {
    'import.upload': ({ uploadId, file, fileName, chunkBase64, final }, ctx) => {
      const owner = who(ctx);
      let up = uploadId ? uploads.get(uploadId) : undefined;
      if (uploadId && (!up || up.owner !== owner)) fail('not_found', { entity: 'upload', id: uploadId });
      if (!up) {
        const id = randomUUID();
        up = { owner, dir: join(root(), `upload-${id}`), files: {} };
        mkdirSync(up.dir, { recursive: true });
        uploads.set(id, up);
        uploadId = id;
      }
      const bytes = Buffer.from(chunkBase64, 'base64');
      const entry = up.files[file] ?? { path: join(up.dir, `${file}.csv`), name: fileName, bytes: 0, complete: false };
      if (entry.complete) fail('conflict', { file: fileName }, 'errors.upload_complete');
      if (entry.bytes + bytes.length > MAX_UPLOAD_BYTES)
        fail('invalid_input', { file: fileName }, 'errors.upload_too_large');
      appendFileSync(entry.path, bytes);
      entry.bytes += bytes.length;
      // Only a file whose last chunk arrived may be imported: an interrupted upload would
      // otherwise be read as a shorter, seemingly valid CSV.
      entry.complete = final;
      up.files[file] = entry;
      return { uploadId: uploadId!, bytes: entry.bytes };
    },
    'import.start': ({ uploadId, dryRun, correctionReason }, ctx) => {
      const owner = who(ctx);
      const up = uploads.get(uploadId);
      if (!up || up.owner !== owner) fail('not_found', { entity: 'upload', id: uploadId });
      if (isImportRunning())
        throw new AppErrorException(appError('conflict', { what: 'import' }, 'import.import_running'));
      const d = use();
      const ledger = d.ledger();
      const files: Partial<Record<FileKind, string>> = {};
      for (const [k, f] of Object.entries(up.files)) {
        if (!f) continue;
        if (!f.complete || !existsSync(f.path)) fail('invalid_input', { file: f.name }, 'errors.upload_incomplete');
        files[k as FileKind] = f.path;
      }
      if (Object.keys(files).length === 0) fail('invalid_input', { field: 'files' }, 'errors.import_no_files');
      const actor = { id: owner, name: ctx.session!.printedName };
      const holder: { id: string } = { id: '' };
      holder.id = d.jobs.start(
        'import',
        async (progress) => {
          const report = await runImportInWorker({
            dbFile: d.dbFile,
            key: d.key,
            workstation: ledger.workstation,
            timeZone: ledger.timeZone,
            anchorsDataDir: d.dataDir,
            actor,
            files,
            ...(correctionReason ? { correctionReason } : {}),
            stagingDir: up.dir,
            dryRun,
            onProgress: progress,
          });
          return report;
        },
        (report) => {
          results.set(holder.id, { done: true, report: view(report, dryRun), error: null, owner });
          if (!dryRun) {
            // Another connection wrote: tell every screen the ledger moved, and drop the files.
            d.ledgerChanged();
            if (report.ok) {
              rmSync(up.dir, { recursive: true, force: true });
              uploads.delete(uploadId);
            }
          }
        },
        (error) => results.set(holder.id, { done: true, report: null, error, owner }),
      );
      results.set(holder.id, { done: false, report: null, error: null, owner });
      return { jobId: holder.id };
    },
    'import.result': ({ jobId }, ctx) => {
      const r = results.get(jobId);
      if (!r || r.owner !== who(ctx)) fail('not_found', { entity: 'import_job', id: jobId });
      return { done: r.done, report: r.report, error: r.error };
    },
    'import.status': () => {
      const goLiveDate = use().goLiveDate();
      return { running: isImportRunning(), ...(goLiveDate !== null ? { goLiveDate } : {}) };
    },
  };
}
