import { basename, join } from 'node:path';
import type { SessionView } from '../../shared/contract/channels/identity';
import type { Finding, VerifyReport } from '../../shared/contract/channels/ledger';
import { appError, fail, type Result } from '../../shared/contract/errors';
import { actorOf, expectMeaning, IdentityService, prepareFirstAdministrator, type Signer } from '../identity/identity';
import { acknowledgeRollback, enrolHost } from '../identity/enrolment';
import { SettingsService } from '../identity/settings';
import { parseWitness } from '../../shared/domain/witness';
import type { SignatureInput } from '../../shared/contract/common';
import type { CallContext, HandlerTable, SessionInfo } from '../dispatcher/dispatcher';
import { auditEntryDetail, queryAudit } from '../ledger/audit-queries';
import { backupDatabase, restoreDatabase } from '../ledger/backup';
import { E, type Row } from '../ledger/entities';
import { systemActor, type Actor } from '../ledger/ledger';
import { verifyFile } from '../ledger/verify-runner';
import { isImportRunning } from '../import/import-runner';
import type { AppCore } from './core';
import { signatureView } from './signature-view';
import { lotsHandlers } from '../lots/handlers';
import { traceHandlers } from '../trace/handlers';
import { documentsHandlers } from '../documents/handlers';
import { importHandlers } from './import-jobs';
import { catalogHandlers } from '../catalog/handlers';
import { samplesHandlers } from '../samples/handlers';
import { testingHandlers } from '../testing/handlers';
import { intakeHandlers } from '../intake/handlers';
import { instrumentsHandlers } from '../instruments/handlers';
import { dispositionHandlers } from '../disposition/handlers';
import { releaseEvidenceHandlers } from '../release-evidence/handlers';
import { recallHandlers } from '../recall/handlers';
import { epcisExport, traceView } from '../trace';
import { evidenceHandlers } from '../evidence/handlers';
import { workstationHandlers } from '../workstation/handlers';

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function sessionOf(ctx: CallContext): SessionInfo {
  if (!ctx.session) fail('not_signed_in');
  return ctx.session;
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

export function buildHandlers(core: AppCore): HandlerTable {
  const now = (): number => core.clock();

  const sessionView = (ctx: CallContext): SessionView => {
    const v = core.need().sessions.view(ctx.connection.id, now());
    if (!v) fail('not_signed_in');
    return v;
  };

  /**
   * The signer, re-authenticated at the moment of signing (every signing, 11.200), with the
   * meaning the channel signs: another one is refused before the password is checked.
   */
  const signer = async (
    ctx: CallContext,
    signature: SignatureInput,
    meaning: Parameters<typeof expectMeaning>[1],
  ): Promise<Signer> => {
    const s = sessionOf(ctx);
    expectMeaning(signature.meaning, meaning);
    return core.need().identity.authenticateSigner(s.userId, signature.password);
  };

  const actor = (ctx: CallContext): Actor => {
    const s = sessionOf(ctx);
    return { id: s.userId, name: s.printedName };
  };

  return {
    ...catalogHandlers(() => {
      const s = core.need();
      return { catalog: s.catalog, specs: s.specs, clock: () => core.clock() };
    }),
    ...lotsHandlers(() => {
      const s = core.need();
      return {
        lots: s.lots,
        signaturesFor: (entity, id) => s.identity.signaturesFor(entity, id).map(signatureView),
        openFindings: () => core.ledgerState().openFindings,
      };
    }),
    ...traceHandlers(() => {
      const db = core.need().ledger.db;
      return { traceView: (code) => traceView(db, code) };
    }),
    ...documentsHandlers(() => ({
      // The viewer is checked before the database is asked for (a host without one says so first).
      get documents() {
        return core.need().documents;
      },
      viewer: core.viewer,
      log: core.log,
    })),
    ...importHandlers(core),
    ...samplesHandlers(() => {
      const s = core.need();
      return { samples: s.samples, signaturesFor: (entity, id) => s.identity.signaturesFor(entity, id).map(signatureView) };
    }),
    ...testingHandlers(() => ({ testing: core.need().testing, signatureView })),
    ...intakeHandlers(core),
    ...instrumentsHandlers(core),
    ...dispositionHandlers(() => {
      const s = core.need();
      return { disposition: s.disposition, coa: s.coa, signatureView };
    }),
    ...releaseEvidenceHandlers(() => ({ evidence: core.need().evidenceOfRelease })),
    ...recallHandlers(() => {
      const s = core.need();
      return {
        drills: s.drills,
        epcis: (lotCode) =>
          epcisExport(s.ledger.db, lotCode, { now: core.clock(), plant: s.settings.get().plantName ?? null }),
      };
    }),
    ...evidenceHandlers(core),
    ...workstationHandlers(core),
    'app.status': () => {
      // A database that was busy at start (another program writing) is tried again when the
      // window asks (its Retry button), with the UI's short lock wait.
      if (!core.maybe() && core.openError?.messageKey === 'errors.database_busy') core.open();
      const svc = core.maybe();
      return {
        initialized: svc !== null,
        version: core.version,
        host: core.workstation,
        keyFingerprint: core.key.fingerprint,
        workstationRegistered: svc ? svc.ledger.isKeyRegistered() : false,
        databaseId: svc ? svc.ledger.getDatabaseId() : null,
        ledger: svc ? core.ledgerState() : null,
        error: core.openError,
      };
    },
    'app.setLocale': ({ locale }, ctx) => {
      ctx.connection.locale = locale;
      core.setLocale(ctx.connection.id, locale);
      return { ok: true };
    },
    'app.setup': async (input) => {
      if (core.initialized || core.openError) fail('already_initialized');
      const prepared = await prepareFirstAdministrator(input);
      if (core.initialized) fail('already_initialized');
      // One database-creation transaction: schema records, this host's key, the first
      // administrator and its personal key (docs/ledger.md §3.1).
      const ledger = core.createDatabase((l, w) =>
        new IdentityService(l, new SettingsService(l)).writeFirstAdministrator(w, input, prepared),
      );
      core.create(() => ledger);
      return { recoveryCode: prepared.recoveryCode, userId: input.userId };
    },

    'auth.session': (_i, ctx) => core.maybe()?.sessions.view(ctx.connection.id, now()) ?? null,
    'auth.signIn': async ({ userId, password }, ctx) => {
      const svc = core.need();
      const id = userId.trim().toLowerCase();
      const failures = svc.identity.getUser(id) ? svc.identity.failedAttempts(id) : 0;
      const u = await svc.identity.signIn(id, password);
      const warnings: SessionView['warnings'] = [];
      const st = core.ledgerState();
      if (st.clockBehindLedger) warnings.push({ key: 'warnings.clock_behind_ledger' });
      if (failures > 0) warnings.push({ key: 'warnings.failed_attempts', details: { count: failures } });
      if (!svc.ledger.isKeyRegistered())
        warnings.push({ key: 'warnings.workstation_not_enrolled', details: { fingerprint: core.key.fingerprint } });
      const blocked = svc.ledger.blocked();
      if (blocked) warnings.push({ key: blocked.messageKey, details: blocked.details ?? {} });
      svc.sessions.start(ctx.connection.id, u, now(), warnings);
      return sessionView(ctx);
    },
    'auth.signOut': (_i, ctx) => {
      const svc = core.need();
      const s = svc.sessions.raw(ctx.connection.id);
      if (s) svc.identity.signOut(s.userId);
      svc.sessions.end(ctx.connection.id);
      return { ok: true };
    },
    'auth.lock': (_i, ctx) => {
      core.need().sessions.lock(ctx.connection.id);
      return { ok: true };
    },
    'auth.unlock': async ({ password }, ctx) => {
      const svc = core.need();
      const s = svc.sessions.raw(ctx.connection.id);
      if (!s) fail('not_signed_in');
      const u = await svc.identity.authenticate(s.userId, password, 'unlock');
      svc.identity.recordSuccess(u, 'session_unlocked');
      svc.sessions.unlockSession(ctx.connection.id, now());
      return sessionView(ctx);
    },
    'auth.changePassword': async ({ currentPassword, newPassword }, ctx) => {
      const svc = core.need();
      const s = sessionOf(ctx);
      await svc.identity.changeOwnPassword(s.userId, currentPassword, newPassword);
      return sessionView(ctx);
    },

    'users.list': () => {
      const id = core.need().identity;
      return id.listUsers().map((u) => id.view(u));
    },
    // Creating an account, resetting a password, changing roles or printed name: the
    // administrator's signed identity verification (`enrolled`, 11.100(b)).
    'users.create': async ({ signature, ...input }, ctx) => {
      const id = core.need().identity;
      const admin = await signer(ctx, signature, 'enrolled');
      return id.view(await id.createUser(admin, input));
    },
    'users.update': async ({ signature, ...input }, ctx) => {
      const id = core.need().identity;
      const admin = await signer(ctx, signature, 'enrolled');
      return id.view(id.updateUser(admin, input));
    },
    'users.deactivate': ({ userId, reason }, ctx) => {
      if (userId === sessionOf(ctx).userId) fail('forbidden', { userId }, 'errors.cannot_deactivate_self');
      const id = core.need().identity;
      return id.view(id.deactivate(actor(ctx), userId, reason));
    },
    'users.unlock': ({ userId, reason }, ctx) => {
      const id = core.need().identity;
      return id.view(id.unlock(actor(ctx), userId, reason));
    },
    'users.resetPassword': async ({ userId, newPassword, reason, signature }, ctx) => {
      const id = core.need().identity;
      const admin = await signer(ctx, signature, 'enrolled');
      return id.view(await id.resetPassword(admin, userId, newPassword, reason));
    },

    'settings.get': () => core.need().settings.get(),
    'settings.update': ({ settings, reason }, ctx) => {
      const svc = core.need();
      // Fields a form does not show (e.g. lot code patterns) are kept, not dropped.
      const merged = { ...svc.settings.get(), ...settings };
      return svc.ledger.write(actor(ctx), (w) => {
        // The go-live date never moves later over live records (issue 19 §1), checked under the write lock.
        if ((merged.goLiveDate ?? null) !== (svc.settings.get().goLiveDate ?? null))
          svc.controls.checkGoLiveChange(merged.goLiveDate);
        return svc.settings.set(w, merged, reason);
      });
    },

    'ledger.status': () => core.ledgerState(),
    'ledger.verify': (_i, ctx) => {
      if (core.jobs.isRunning('verify')) fail('conflict', {}, 'errors.verify_running');
      if (core.jobs.isRunning('restore')) fail('conflict', { job: 'restore' }, 'errors.restore_running');
      return { jobId: startVerification(core, actor(ctx)) };
    },
    'ledger.lastRun': () => {
      const r = core.lastRun();
      if (!r) return null;
      const svc = core.need();
      return {
        id: r['id'] as string,
        startedAt: iso(r['started_at'] as number),
        finishedAt: iso(r['finished_at'] as number),
        verifiedThrough: r['verified_through'] as number,
        entries: r['entries'] as number,
        findings: JSON.parse(r['findings'] as string) as Finding[],
        reviewed: r['review_status'] === 'reviewed',
        signatures: svc.identity.signaturesFor('verification_run', r['id'] as string).map(signatureView),
      };
    },
    'ledger.reviewFindings': async ({ runId, explanation, signature }, ctx) => {
      const svc = core.need();
      const u = await signer(ctx, signature, 'finding_reviewed');
      svc.ledger.write(actorOf(u), (w) => {
        const run = w.get(E.verificationRun, runId);
        if (!run) fail('not_found', { entity: 'verification_run', id: runId });
        if (run['review_status'] !== 'open') fail('conflict', { id: runId }, 'errors.nothing_to_review');
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
        const row = svc.ledger.db.prepare('SELECT * FROM signature WHERE id = ?').get(d.entry.entityId) as
          | Record<string, unknown>
          | undefined;
        if (row) {
          const st = svc.identity.personalState(row);
          return {
            ...d,
            signature: {
              personal: st.personal,
              keyFingerprint: st.keyFingerprint,
              keyId: (row['key_id'] as string | null) ?? null,
              headSeq: (row['head_seq'] as number | null) ?? null,
            },
          };
        }
      }
      return d;
    },
    'audit.review': async ({ throughSeq, filter, comment, signature }, ctx) => {
      const svc = core.need();
      if (throughSeq > svc.ledger.head().seq) fail('invalid_input', { field: 'throughSeq' }, 'errors.seq_beyond_head');
      const u = await signer(ctx, signature, 'audit_reviewed');
      svc.ledger.write(actorOf(u), (w) => {
        const r = w.create(E.auditReview, { through_seq: throughSeq, filter: JSON.stringify(filter), comment });
        svc.identity.sign(w, u, { def: E.auditReview, id: r.id }, { meaning: 'audit_reviewed', comment });
      });
      return { ok: true };
    },
    'audit.reviews': () => {
      const svc = core.need();
      const rows = svc.ledger.db
        .prepare('SELECT * FROM audit_review ORDER BY through_seq DESC LIMIT 100')
        .all() as Row[];
      return rows.map((r) => ({
        id: r.id,
        throughSeq: r['through_seq'] as number,
        filter: r['filter'] as string,
        signatures: svc.identity.signaturesFor('audit_review', r.id).map(signatureView),
      }));
    },
    'signatures.forRecord': ({ entity, entityId }) =>
      core.need().identity.signaturesFor(entity, entityId).map(signatureView),

    'backup.create': ({ folder }, ctx) => {
      const svc = core.need();
      if (core.jobs.isRunning('restore')) fail('conflict', { job: 'restore' }, 'errors.restore_running');
      const dir = folder ?? svc.settings.get().backupFolder;
      if (!dir) fail('invalid_input', { field: 'folder' }, 'errors.backup_folder_missing');
      const who = actor(ctx);
      const out = join(dir, `lotseal-${new Date(now()).toISOString().replace(/[:.]/g, '-')}.db`);
      const skewMs = svc.settings.get().clockSkewMinutes * 60_000;
      return {
        jobId: core.jobs.start(
          'backup',
          (progress) => backupDatabase(core.dbFile, out, { skewMs, onProgress: progress }),
          (r) => recordBackup(core, who, out, r),
        ),
      };
    },
    'backup.restore': async ({ file, reason, password }, ctx) => {
      const svc = core.need();
      // Every connection to the database must be closed before it is moved aside (Windows
      // refuses to rename an open file, D-040): no restore next to a job that holds one.
      for (const job of ['restore', 'verify', 'backup', 'import'] as const) {
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

    'host.status': () => {
      const svc = core.need();
      const c = svc.ledger.anchorConflict();
      return {
        host: core.workstation,
        hostKind: core.hostKind,
        keyId: core.key.id,
        fingerprint: core.key.fingerprint,
        enrolled: svc.ledger.isKeyRegistered(),
        anchorConflict: c
          ? {
              finding: c.finding,
              anchorSeq: c.anchor.seq,
              anchorHash: c.anchor.hash,
              anchorAt: iso(c.anchor.at),
              dbSeq: c.dbSeq,
              dbHash: c.dbHash,
            }
          : null,
      };
    },
    'host.enrol': async ({ name, signature }, ctx) => {
      const svc = core.need();
      const admin = await signer(ctx, signature, 'enrolled');
      const k = core.key;
      return enrolHost(
        svc.ledger,
        svc.identity,
        admin,
        { id: k.id, publicKey: k.publicKey, fingerprint: k.fingerprint, host: k.host, hostKind: k.hostKind },
        { name, thisHost: true },
      );
    },
    'host.acknowledgeRollback': async ({ reason, signature }, ctx) => {
      const svc = core.need();
      const admin = await signer(ctx, signature, 'acknowledged');
      acknowledgeRollback(svc.ledger, svc.identity, admin, reason);
      core.runStartupCheck();
      core.dispatcher.emit('all', 'ledger.changed', core.ledgerState());
      return { ok: true };
    },
    'keys.list': () => {
      const db = core.need().ledger.db;
      const enrolledBy = db
        .prepare(
          "SELECT printed_name FROM signature WHERE entity = 'signing_key' AND entity_id = ? AND meaning = 'enrolled' LIMIT 1",
        )
        .pluck();
      const hosts = (db.prepare('SELECT * FROM signing_key ORDER BY valid_from').all() as Row[]).map((k) => ({
        id: k.id,
        fingerprint: k['fingerprint'] as string,
        host: k['host'] as string,
        hostKind: k['host_kind'] as string,
        validFrom: iso(k['valid_from'] as number),
        validTo: k['valid_to'] === null ? null : iso(k['valid_to'] as number),
        enrolledBy: (enrolledBy.get(k.id) as string | undefined) ?? null,
      }));
      const personal = (db.prepare('SELECT * FROM personal_key ORDER BY user_id, valid_from').all() as Row[]).map(
        (k) => ({
          id: k.id,
          userId: k['user_id'] as string,
          fingerprint: k['fingerprint'] as string,
          validFrom: iso(k['valid_from'] as number),
          validTo: k['valid_to'] === null ? null : iso(k['valid_to'] as number),
          enrolment: (k['enrolment'] === 'init' || k['enrolment'] === 'upgrade' ? k['enrolment'] : 'enrolled') as
            | 'init'
            | 'upgrade'
            | 'enrolled',
          retiredReason: (k['retired_reason'] as string | null) ?? null,
        }),
      );
      return { hosts, personal };
    },
    'ledger.witness': ({ text }) => {
      const w = parseWitness(text);
      if (!w) fail('invalid_input', { field: 'text' }, 'errors.witness_unreadable');
      const svc = core.need();
      const r = svc.ledger.db.prepare('SELECT lower(hex(hash)) AS h FROM audit_entry WHERE seq = ?').get(w.seq) as
        | { h: string }
        | undefined;
      const last = core.lastRun();
      return {
        seq: w.seq,
        hash: w.hash,
        source: w.source,
        subject: w.subject,
        holds: !!r && r.h === w.hash,
        stored: r?.h ?? null,
        headSeq: svc.ledger.head().seq,
        verified: !!last && (last['verified_through'] as number) >= w.seq && last['review_status'] === 'none',
      };
    },
  };
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

export type { Result };
