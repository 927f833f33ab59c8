import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LedgerState, SessionView } from '../../../shared/contract';
import type { AnchorConflictView } from '../../../shared/contract/channels/trust';
import { AppErrorException, appError } from '../../../shared/contract/errors';
import type { z } from 'zod';
import { drillSteps, type drillDetailSchema } from '../../../shared/contract/channels/recall';
import { destinationFree, downloadJob } from '../../remote/download';
import type { SiteClient } from '../../remote/site-client';
import { Exit, out, readFirstLine, readSecret } from '../common';
import { need, remoteKey, siteClient, withRemoteUser, type RemoteGlobal } from '../remote';

/**
 * The operations commands of ../shared/formats/README.md §2 through a site server (§3, issue 23,
 * D-103–D-105): `backup --out`, `export --evidence` / `--audit-csv`, `drill`, `user passwd`,
 * `user unlock --recovery-code-file` and `host acknowledge-rollback`, with the same options and
 * output as on `--db FILE`. What the server makes (a verified backup copy, an evidence folder, a
 * CSV) is downloaded in hashed chunks and written here under a temporary name, renamed only once
 * every hash matched (src/main/remote/download.ts).
 */

type DrillDetail = z.infer<typeof drillDetailSchema>;

/** The person who signs in through the server: `--user/--password-file`, required when remote. */
function person(o: { user?: string | undefined; passwordFile?: string | undefined }): {
  user: string;
  passwordFile: string;
} {
  if (!o.user || !o.passwordFile)
    throw new AppErrorException(
      appError('invalid_input', { field: '--user/--password-file' }, 'errors.cli_admin_required'),
    );
  return { user: o.user, passwordFile: o.passwordFile };
}

/**
 * Jobs of the server whose `job.progress` said finished, listened for from before the call that
 * starts them (a fast job may finish before its reply arrives).
 */
function jobWatch(c: SiteClient): { finished(jobId: string): Promise<{ error: string | null }>; stop(): void } {
  const done = new Map<string, string | null>();
  const waiting = new Map<string, (r: { error: string | null }) => void>();
  const stop = c.onEvent((name, payload) => {
    const p = payload as { jobId?: string; finished?: boolean; error?: string | null };
    if (name !== 'job.progress' || !p.finished || !p.jobId) return;
    done.set(p.jobId, p.error ?? null);
    waiting.get(p.jobId)?.({ error: p.error ?? null });
  });
  return {
    finished: (jobId) =>
      done.has(jobId) ? Promise.resolve({ error: done.get(jobId) ?? null }) : new Promise((r) => waiting.set(jobId, r)),
    stop,
  };
}

const call = (c: SiteClient) => (channel: string, input: unknown) => c.call(channel, input);

/** `backup --out FILE` through the server: its online copy, verified there, written here and hash-checked. */
export async function remoteBackup(
  g: RemoteGlobal,
  o: { out: string; user?: string | undefined; passwordFile?: string | undefined },
): Promise<void> {
  // Refused before anything is asked of the server (the local command's rule: never overwritten).
  if (existsSync(o.out)) throw new AppErrorException(appError('database_exists', { file: o.out }));
  const who = person(o);
  const started = Date.now();
  await withRemoteUser(g, who.user, who.passwordFile, async (c) => {
    const jobs = jobWatch(c);
    try {
      const { jobId } = need<{ jobId: string }>(await c.call('backup.stage', {}));
      const { view } = await downloadJob(call(c), jobId, jobs.finished(jobId), o.out);
      const entries = Number(view.meta['entries'] ?? 0);
      const bytes = view.files[0]!.bytes;
      out(
        g,
        { ok: true, out: o.out, entries, bytes, elapsed_ms: Date.now() - started },
        `Backup written and verified: ${o.out} (${entries} entries, ${bytes} bytes; made and verified on ${g.server}, SHA-256 ${view.files[0]!.sha256} checked here)`,
      );
    } finally {
      jobs.stop();
    }
  });
}

/** `export --evidence OUT` / `--audit-csv FILE` through the server: made there, downloaded and checked here. */
export async function remoteExport(
  g: RemoteGlobal,
  o: {
    evidence?: string | undefined;
    auditCsv?: string | undefined;
    anchor?: string | boolean | undefined;
    user?: string | undefined;
    passwordFile?: string | undefined;
    filter: { entity?: string; entityId?: string; actorId?: string; from?: string; to?: string };
  },
): Promise<void> {
  if (o.anchor !== undefined && o.anchor !== true)
    // The server's evidence folder always carries the server's own anchor (it checks it at every start).
    throw new AppErrorException(appError('invalid_input', { field: '--anchor/--no-anchor' }, 'errors.remote_anchor'));
  const dest = resolve((o.evidence ?? o.auditCsv)!);
  if (!destinationFree(dest, o.evidence ? 'folder' : 'file'))
    throw new AppErrorException(appError('invalid_input', { file: dest }, 'errors.download_exists'));
  const who = person(o);
  await withRemoteUser(g, who.user, who.passwordFile, async (c) => {
    const jobs = jobWatch(c);
    try {
      const { jobId } = o.evidence
        ? need<{ jobId: string }>(await c.call('evidence.export', {}))
        : need<{ jobId: string }>(await c.call('audit.exportCsv', { filter: o.filter }));
      const { view } = await downloadJob(call(c), jobId, jobs.finished(jobId), dest);
      const r = { ...view.meta, out: dest } as Record<string, unknown> & {
        verification?: { ok: boolean; findings: number; kinds: string[] };
      };
      if (!o.evidence) {
        out(
          g,
          r,
          `Wrote ${String(r['rows'])} audit-trail entries (through #${String(r['through_seq'])}) to ${dest} (from ${g.server})\nSHA-256: ${String(r['sha256'])}`,
        );
        return;
      }
      const v = r.verification ?? { ok: false, findings: 0, kinds: [] };
      const head = r['head'] as { seq: number; hash: string } | undefined;
      out(
        g,
        r,
        [
          `Evidence folder written: ${dest} (made on ${g.server}; every file's SHA-256 and the manifest checked here)`,
          `  head #${head?.seq ?? '—'} ${head?.hash ?? ''}`,
          `  ${view.files.length} files, ${view.bytes} bytes; manifest.json SHA-256 ${String(r['manifest_sha256'])}`,
          v.ok
            ? "  LotSeal's verification of the snapshot: no findings"
            : `  LotSeal's verification of the snapshot: ${v.findings} finding(s) (${v.kinds.join(', ')}) — see lotseal-verify-report.json`,
          `Check it with Python alone: python3 ${join(dest, 'verifier', 'lotseal_verify.py')}`,
        ].join('\n'),
      );
      if (!v.ok) throw new Exit(1);
    } finally {
      jobs.stop();
    }
  });
}

/** `drill` through the server: the drill started and run there (each step a write with its request id), the evidence written here. */
export async function remoteDrill(
  g: RemoteGlobal,
  o: { lot: string; user: string; passwordFile: string; out: string; direction: string },
): Promise<void> {
  await withRemoteUser(g, o.user, o.passwordFile, async (c) => {
    const started = await c.call('drills.start', {
      mode: 'drill',
      lotCode: o.lot,
      scanned: false,
      direction: o.direction,
      targetMinutes: 240,
      toleranceMin: '95',
      toleranceMax: '100',
    });
    if (!started.ok && started.error.code === 'not_found' && started.error.details?.['entity'] === 'lot') {
      if (g.json) process.stdout.write(`${JSON.stringify({ error: 'lot_not_found', lot: o.lot })}\n`);
      else process.stderr.write(`lotseal: no lot with code ${JSON.stringify(o.lot)} on ${g.server}\n`);
      throw new Exit(1);
    }
    const code = need<DrillDetail>(started).drill.code;
    let d: DrillDetail | null = null;
    for (const step of drillSteps) d = need<DrillDetail>(await c.call('drills.step', { code, step }));
    const files = need<{ code: string; json: string; csv: string; html: string }>(
      await c.call('drills.evidenceFiles', { code }),
    );
    const dir = resolve(o.out);
    mkdirSync(dir, { recursive: true });
    const base = join(dir, code);
    writeFileSync(`${base}.json`, files.json);
    writeFileSync(`${base}.csv`, files.csv);
    writeFileSync(`${base}.html`, files.html);
    const drill = d!;
    const summary = {
      ok: true,
      drill: code,
      status: drill.drill.status,
      lot: o.lot,
      direction: drill.drill.direction,
      affected_lots: drill.lots.length,
      customers: drill.customers.length,
      accounted_pct: drill.drill.accountedPct,
      within_tolerance: drill.drill.withinTolerance,
      findings: drill.findings.length,
      files: [`${base}.json`, `${base}.csv`, `${base}.html`],
    };
    out(
      g,
      summary,
      `drill ${code} (draft, on ${g.server}): ${drill.lots.length} lots, ${drill.customers.length} customers, accounted ${drill.drill.accountedPct ?? '—'} %, ${drill.findings.length} findings\nevidence: ${summary.files.join(', ')}\nA QA manager completes and signs the drill in LotSeal.`,
    );
  });
}

/** `user passwd` through the server: signed in with the current password (initial, reset or expired is accepted), then changed. */
export async function remotePasswd(
  g: RemoteGlobal,
  o: { user: string; passwordFile: string; newPasswordFile: string },
): Promise<void> {
  const current = readFirstLine(o.passwordFile, 'password');
  const next = readFirstLine(o.newPasswordFile, 'new password');
  await withRemoteUser(g, o.user, o.passwordFile, async (c) => {
    const v = need<SessionView>(await c.call('auth.changePassword', { currentPassword: current, newPassword: next }));
    out(
      g,
      { ok: true, user: v.userId, key_fingerprint: v.keyFingerprint ?? null },
      `Password changed for ${v.userId} on ${g.server}.${v.keyFingerprint ? ` Personal signing key: ${v.keyFingerprint}` : ''}`,
    );
  });
}

/** `user unlock --target ID --recovery-code-file FILE` through the server: no sign-in, the code is the authentication. */
export async function remoteRecover(g: RemoteGlobal, o: { target: string; recoveryCodeFile: string }): Promise<void> {
  const code = readSecret(o.recoveryCodeFile, 'recovery code');
  const client = await siteClient(g, remoteKey(g));
  try {
    const r = need<{ userId: string; status: string; newRecoveryCode: string }>(
      await client.call('auth.recover', { userId: o.target, recoveryCode: code }),
    );
    out(
      g,
      { ok: true, user: r.userId, status: r.status, new_recovery_code: r.newRecoveryCode },
      `Unlocked ${r.userId} on ${g.server}.\nNEW ONE-TIME RECOVERY CODE: ${r.newRecoveryCode} (the old one is used up; store this one offline)`,
    );
  } finally {
    await client.close();
  }
}

/**
 * `host acknowledge-rollback` through the server: the anchor in question is the SERVER's (its
 * database was replaced by an older copy; the server started and refuses writes until an
 * administrator acknowledges it, signed). A workstation's own anchor has no meaning remotely.
 */
export async function remoteAcknowledgeRollback(
  g: RemoteGlobal,
  o: { user: string; passwordFile: string; reason: string },
): Promise<void> {
  const password = readFirstLine(o.passwordFile, 'password');
  await withRemoteUser(g, o.user, o.passwordFile, async (c) => {
    const st = need<{ anchorConflict: AnchorConflictView | null }>(await c.call('host.status', {}));
    need(
      await c.call('host.acknowledgeRollback', {
        reason: o.reason.trim(),
        signature: { password, meaning: 'acknowledged' },
      }),
    );
    const head = need<LedgerState>(await c.call('ledger.status', {}));
    const k = st.anchorConflict;
    out(
      g,
      {
        ok: true,
        finding: k?.finding ?? null,
        anchor_seq: k?.anchorSeq ?? null,
        db_seq: k?.dbSeq ?? null,
        seq: head.headSeq,
      },
      `Recorded on ${g.server}: the server's anchor was at #${k?.anchorSeq}, its database ends at #${k?.dbSeq}. Writing resumes.`,
    );
  });
}
