import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import type { ExportResult } from '../../shared/contract/channels/ledger';
import { fail } from '../../shared/contract/errors';
import { actorOf, type HandlersOf } from '../dispatcher/handler-kit';
import { E } from '../ledger/entities';
import type { Actor, Ledger } from '../ledger/ledger';
import type { Jobs } from '../workers/jobs';
import { runExportJob } from './evidence-runner';

/** What the export channels need from the composition root. */
export interface EvidenceHandlerDeps {
  /** The data folder (default exports go to its exports/). */
  dataDir: string;
  dbFile: string;
  /** This host as the manifest names it, and the app's version. */
  workstation: string;
  appVersion: string;
  jobs: Jobs;
  log: { error(i: { channel: string; error: unknown }): void };
  now(): number;
  /** The open database (throws when there is none). */
  ledger(): Pick<Ledger, 'getDatabaseId'>;
  /** The open database, or null (an export's record is skipped when it closed meanwhile). */
  openLedger(): Pick<Ledger, 'write'> | null;
  /** The clock skew allowed by the settings, in ms. */
  skewMs(): number;
  /** This host's anchor file of a database. */
  anchorFile(databaseId: string): string;
  /**
   * On a site server (a call from a workstation): offers the finished export to its user for
   * download (D-103), hashed before the job says it finished. Null when the call is local (the
   * export is already on this machine).
   */
  offer:
    | ((
        jobId: string,
        userId: string,
        kind: 'evidence' | 'audit_csv',
        path: string,
        meta: Record<string, unknown>,
      ) => Promise<void>)
    | null;
}

/**
 * The audit screen's exports (issue 18 §9): the evidence folder and the complete audit-trail
 * CSV. Each runs as a job in a worker thread (progress as `job.progress`, kind `export`), is
 * written inside a folder the user names (default: the data folder's exports/), and is
 * recorded in the audit trail when done (a backup_event of kind `evidence` or `audit_csv`
 * with the SHA-256 of the manifest or of the file), so who took a copy of the record, when,
 * and which copy, is itself on record.
 */
type EvidenceChannels = 'audit.exportCsv' | 'evidence.export' | 'exports.result' | 'exports.download';

const KEEP_RESULTS = 20;

function countFiles(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

function stampOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[:.]/g, '-');
}

export function evidenceHandlers(
  use: () => EvidenceHandlerDeps,
): Pick<HandlersOf<'audit' | 'evidence' | 'exports'>, EvidenceChannels> {
  const results = new Map<string, ExportResult>();
  const remember = (jobId: string, r: ExportResult): void => {
    results.set(jobId, r);
    while (results.size > KEEP_RESULTS) results.delete(results.keys().next().value as string);
  };

  /** The folder an export is written into: an existing folder given by its full path, or exports/. */
  const baseFolder = (folder: string | undefined): string => {
    if (folder !== undefined) {
      if (!isAbsolute(folder)) fail('invalid_input', { folder }, 'errors.export_folder_invalid');
      if (!existsSync(folder)) fail('not_found', { folder }, 'errors.export_folder_invalid');
      if (!statSync(folder).isDirectory()) fail('invalid_input', { folder }, 'errors.export_folder_invalid');
      return folder;
    }
    const dir = join(use().dataDir, 'exports');
    mkdirSync(dir, { recursive: true });
    return dir;
  };

  const record = (who: Actor, kind: 'evidence' | 'audit_csv', path: string, sha256: string, headSeq: number): void => {
    const ledger = use().openLedger();
    if (!ledger) return;
    try {
      ledger.write(who, (w) => {
        w.create(E.backupEvent, { kind, file: basename(path), sha256, head_seq: headSeq, reason: null });
      });
    } catch (e) {
      // The export is complete and on disk; only its record failed (e.g. an import holds the
      // write lock). Logged, never silently: the job itself reports success.
      use().log.error({ channel: `${kind}.record`, error: e });
    }
  };

  return {
    'evidence.export': ({ folder }, ctx) => {
      const d = use();
      const ledger = d.ledger();
      const who = actorOf(ctx);
      if (d.jobs.isRunning('export')) fail('conflict', {}, 'errors.export_running');
      const dbId = ledger.getDatabaseId();
      const out = join(baseFolder(folder), `lotseal-evidence-${(dbId ?? 'database').slice(0, 8)}-${stampOf(d.now())}`);
      const skewMs = d.skewMs();
      const offer = d.offer;
      let jobId = '';
      jobId = d.jobs.start(
        'export',
        (progress) =>
          runExportJob(
            {
              type: 'evidence',
              opts: {
                dbFile: d.dbFile,
                out,
                anchorFile: dbId ? d.anchorFile(dbId) : null,
                skewMs,
                exportedBy: `${who.name} (${who.id})`,
                workstation: d.workstation,
                appVersion: d.appVersion,
              },
            },
            progress,
          ).then(async (r) => {
            await offer?.(jobId, who.id, 'evidence', r.out, { ...r });
            return r;
          }),
        (r) => {
          record(who, 'evidence', r.out, r.manifest_sha256, r.head.seq);
          remember(jobId, {
            kind: 'evidence',
            path: r.out,
            headSeq: r.head.seq,
            entries: r.entries,
            bytes: r.bytes,
            sha256: r.manifest_sha256,
            verification: r.verification,
          });
        },
      );
      return { jobId, folder: out };
    },

    'audit.exportCsv': ({ filter, folder }, ctx) => {
      const d = use();
      d.ledger();
      const who = actorOf(ctx);
      if (d.jobs.isRunning('export')) fail('conflict', {}, 'errors.export_running');
      const file = join(baseFolder(folder), `lotseal-audit-trail-${stampOf(d.now())}.csv`);
      const offer = d.offer;
      let jobId = '';
      jobId = d.jobs.start(
        'export',
        (progress) =>
          runExportJob({ type: 'csv', opts: { dbFile: d.dbFile, out: file, filter } }, progress).then(async (r) => {
            await offer?.(jobId, who.id, 'audit_csv', r.out, { ...r });
            return r;
          }),
        (r) => {
          record(who, 'audit_csv', r.out, r.sha256, r.through_seq);
          remember(jobId, {
            kind: 'audit_csv',
            path: r.out,
            headSeq: r.through_seq,
            entries: r.rows,
            bytes: r.bytes,
            sha256: r.sha256,
            verification: null,
          });
        },
      );
      return { jobId, file };
    },

    'exports.result': ({ jobId }) => results.get(jobId) ?? null,
    // On this machine's own database the export is already here (a site workstation downloads
    // it instead: src/main/remote/).
    'exports.download': ({ jobId }) => {
      const r = results.get(jobId);
      if (!r) fail('not_found', { entity: 'export', id: jobId }, 'errors.transfer_not_found');
      return { path: r.path, files: r.kind === 'evidence' ? countFiles(r.path) : 1, bytes: r.bytes };
    },
  };
}
