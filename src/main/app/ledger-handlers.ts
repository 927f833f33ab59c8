import { basename, join } from 'node:path';
import type { VerifyReport } from '../../shared/contract/channels/ledger';
import { appError, fail } from '../../shared/contract/errors';
import { actorOf as actorOfCall, sessionOf, type HandlersOf } from '../dispatcher/handler-kit';
import { actorOf, callSigner, signatureView, type Signer } from '../identity';
import { isImportRunning } from '../import';
import { auditEntryDetail, queryAudit } from '../ledger/audit-queries';
import { backupDatabase, restoreDatabase } from '../ledger/backup';
import { E } from '../ledger/entities';
import { systemActor, type Actor } from '../ledger/ledger';
import { asRun, verificationRuns } from '../ledger/verification-runs';
import { verifyFile } from '../ledger/verify-runner';
import type { AppCore } from './core';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Starts a full verification in worker threads; the run is recorded as a ledger entry. */
export function startVerification(core: AppCore, by: Actor | null): string {
  const s = core.need();
  const skewMs = s.settings.get().clockSkewMinutes * 60_000;
  const dbId = s.ledger.getDatabaseId();
  const startedAt = core.clock();
  return core.jobs.start(
    'verify',
    (progress) =>
      verifyFile(core.dbFile, { skewMs, anchor: dbId ? core.anchors.read(dbId) : null, onProgress: progress }),
    (report: VerifyReport) => {
      core.startupFindings = [];
      const svc = core.maybe();
      if (!svc) return;
      svc.ledger.write(by ?? systemActor, (w) => {
        w.create(E.verificationRun, {
          started_at: startedAt,
          finished_at: w.at,
          verified_through: report.verified_through,
          entries: report.entries,
          checkpoints: report.checkpoints,
          findings: JSON.stringify(report.findings),
          review_status: report.findings.length ? 'open' : 'none',
        });
      });
    },
  );
}

function recordBackup(
  core: AppCore,
  who: Actor,
  out: string,
  r: { ok: true; out: string; entries: number; bytes: number },
): void {
  const svc = core.maybe();
  if (!svc) return;
  const sha = (r as { sha256?: string }).sha256 ?? '';
  svc.ledger.write(who, (w) => {
    w.create(E.backupEvent, { kind: 'backup', file: basename(out), sha256: sha, head_seq: r.entries, reason: null });
  });
}

/**
 * A backup job: SQLite's online copy into `folder` (default: the settings' backup folder),
 * verified as `lotseal verify` does, recorded (`backup_event`) only when the copy verifies. The
 * screen's "Back up now" and the site server's schedule (AppCore, issue 23 §6) both start it.
 */
export function startBackup(core: AppCore, who: Actor, folder?: string | null): string {
  const svc = core.need();
  if (core.jobs.isRunning('restore')) fail('conflict', { job: 'restore' }, 'errors.restore_running');
  const dir = folder ?? svc.settings.get().backupFolder;
  if (!dir) fail('invalid_input', { field: 'folder' }, 'errors.backup_folder_missing');
  const out = join(dir, `lotseal-${new Date(core.clock()).toISOString().replace(/[:.]/g, '-')}.db`);
  const skewMs = svc.settings.get().clockSkewMinutes * 60_000;
  return core.jobs.start(
    'backup',
    (progress) => backupDatabase(core.dbFile, out, { skewMs, onProgress: progress }),
    (r) => recordBackup(core, who, out, r),
  );
}

/**
 * The ledger's channels of the composition root (contract/channels/ledger.ts: verification,
 * the audit trail and its reviews, signatures of a record, backup and restore): they act on
 * the core itself (jobs, anchors, the database file, reopening). The evidence exports of the
 * same contract file are the evidence capability's handlers.
 */
export function ledgerHandlers(
  core: AppCore,
): Omit<HandlersOf<'ledger' | 'audit' | 'signatures' | 'backup'>, 'audit.exportCsv' | 'ledger.witness'> {
  return {
    'ledger.status': () => core.ledgerState(),
    'ledger.verify': (_i, ctx) => {
      if (core.jobs.isRunning('verify')) fail('conflict', {}, 'errors.verify_running');
      if (core.jobs.isRunning('restore')) fail('conflict', { job: 'restore' }, 'errors.restore_running');
      return { jobId: startVerification(core, actorOfCall(ctx)) };
    },
    'ledger.lastRun': () => {
      const r = core.lastRun();
      if (!r) return null;
      const svc = core.need();
      return {
        id: r.id,
        startedAt: iso(r.started_at),
        finishedAt: iso(r.finished_at),
        verifiedThrough: r.verified_through,
        entries: r.entries,
        findings: r.findings,
        reviewed: r.review_status === 'reviewed',
        signatures: svc.identity.signaturesFor('verification_run', r.id).map(signatureView),
      };
    },
    'ledger.reviewFindings': async ({ runId, explanation, signature }, ctx) => {
      const svc = core.need();
      const u = await callSigner(svc.identity, ctx, signature, 'finding_reviewed');
      svc.ledger.write(actorOf(u), (w) => {
        const found = w.get(E.verificationRun, runId);
        if (!found) fail('not_found', { entity: 'verification_run', id: runId });
        const run = asRun(found);
        if (run.review_status !== 'open') fail('conflict', { id: runId }, 'errors.nothing_to_review');
        w.update(E.verificationRun, runId, { review_status: 'reviewed' }, { reason: explanation });
        svc.identity.sign(
          w,
          u,
          { def: E.verificationRun, id: runId },
          { meaning: 'finding_reviewed', comment: explanation },
        );
      });
      core.startupFindings = [];
      return { ok: true };
    },

    'audit.query': ({ filter, offset, limit }) => queryAudit(core.need().ledger.db, filter, offset, limit),
    'audit.entry': ({ seq }) => {
      const svc = core.need();
      const d = auditEntryDetail(svc.ledger.db, seq);
      if (!d) fail('not_found', { entity: 'audit_entry', id: seq });
      // A signature entry: its personal signature checked and the signer's key fingerprint.
      if (d.entry.entity === 'signature') {
        const signature = svc.identity.signatureCheck(d.entry.entityId);
        if (signature) return { ...d, signature };
      }
      return d;
    },
    'audit.review': async ({ throughSeq, filter, comment, signature }, ctx) => {
      const svc = core.need();
      if (throughSeq > svc.ledger.head().seq) fail('invalid_input', { field: 'throughSeq' }, 'errors.seq_beyond_head');
      const u = await callSigner(svc.identity, ctx, signature, 'audit_reviewed');
      svc.ledger.write(actorOf(u), (w) => {
        const r = w.create(E.auditReview, { through_seq: throughSeq, filter: JSON.stringify(filter), comment });
        svc.identity.sign(w, u, { def: E.auditReview, id: r.id }, { meaning: 'audit_reviewed', comment });
      });
      return { ok: true };
    },
    'audit.reviews': () => {
      const svc = core.need();
      return verificationRuns(svc.ledger.db)
        .auditReviews()
        .map((r) => ({
          id: r.id,
          throughSeq: r.through_seq,
          filter: r.filter,
          signatures: svc.identity.signaturesFor('audit_review', r.id).map(signatureView),
        }));
    },
    'signatures.forRecord': ({ entity, entityId }) =>
      core.need().identity.signaturesFor(entity, entityId).map(signatureView),

    'backup.create': ({ folder }, ctx) => ({ jobId: startBackup(core, actorOfCall(ctx), folder) }),
    'backup.restore': async ({ file, reason, password }, ctx) => {
      const svc = core.need();
      // Every connection to the database must be closed before it is moved aside (Windows
      // refuses to rename an open file, D-040): no restore next to a job that holds one. An
      // evidence or audit-trail export reads the file in a worker, and an evidence folder
      // half from the old database and half from the restored one would be no evidence.
      for (const job of ['restore', 'verify', 'backup', 'import', 'export'] as const) {
        if (core.jobs.isRunning(job) || (job === 'import' && isImportRunning()))
          fail('conflict', { job }, 'errors.restore_busy');
      }
      const u = await svc.identity.authenticate(sessionOf(ctx).userId, password, 'restore');
      svc.identity.recordSuccess(u, 'restore_authenticated');
      const who = actorOf(u);
      let enrolling: Signer | null = null;
      const skewMs = svc.settings.get().clockSkewMinutes * 60_000;
      return {
        jobId: core.jobs.start('restore', async () => {
          // The backup is verified and copied beside the database while the open database
          // keeps serving; then the app's connection is closed, the files are swapped, and
          // everything reopens on the restored file (every session ends: users sign in again
          // on the restored records). A failure after the close reopens the original.
          await restoreDatabase({
            backupFile: file,
            targetFile: core.dbFile,
            releaseTarget: () => core.closeDatabase(appError('conflict', {}, 'errors.restore_in_progress')),
            ledgerFactory: () => {
              core.reopen();
              return core.need().ledger;
            },
            reopenOriginal: () => core.reopen(),
            actor: who,
            reason,
            anchors: core.anchors,
            skewMs,
            // A backup from before this workstation was enrolled: the administrator's restore
            // enrols it, signed in the restored database (its own key and password there).
            prepare: async (l) => {
              if (!l.isKeyRegistered()) enrolling = await core.need().identity.authenticateSigner(u.id, password);
            },
            record: (w) => {
              if (enrolling) {
                core
                  .need()
                  .identity.sign(
                    w,
                    enrolling,
                    { def: E.signingKey, id: core.key.id },
                    { meaning: 'enrolled', comment: `restore of ${basename(file)}: ${reason}` },
                  );
              }
            },
          });
          // The restore entry moved the anchor: check the tail again against it.
          core.runStartupCheck();
          core.dispatcher.emit('all', 'ledger.changed', core.ledgerState());
          // Every session ended with the swap, so session-scoped events (this job's end
          // included) no longer reach the windows: tell them to sign in again.
          core.dispatcher.emit('all', 'session.changed', { reason: 'signed_out' });
          return { ok: true };
        }),
      };
    },
  };
}
