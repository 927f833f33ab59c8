import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ImportReportView, TraceView, UserView } from '../../../shared/contract';
import type { z } from 'zod';
import type { verificationRunSchema } from '../../../shared/contract/channels/ledger';
import { AppErrorException, appError } from '../../../shared/contract/errors';
import type { SiteClient } from '../../remote/site-client';
import { Exit, out, readFirstLine } from '../common';
import { need, withRemoteUser, type RemoteGlobal } from '../remote';

/**
 * The commands of ../shared/formats/README.md §2 through a site server (§3): the same options
 * and output as on `--db FILE`, each a call (or a few) of the contract, as the user of
 * `--user/--password-file`. Writes carry a request id (SiteClient) and are sent again with the
 * same id when the reply is lost: a retried command writes nothing twice.
 */

type VerificationRun = z.infer<typeof verificationRunSchema>;

/** `user add` through the server: the administrator's password signs the new account (`enrolled`). */
export async function remoteUserAdd(
  g: RemoteGlobal,
  o: { user: string; passwordFile: string; newUser: string; name: string; roles: string[]; newPassword: string },
): Promise<void> {
  const adminPassword = readFirstLine(o.passwordFile, 'password');
  await withRemoteUser(g, o.user, o.passwordFile, async (c) => {
    const v = need<UserView>(
      await c.call('users.create', {
        userId: o.newUser.trim().toLowerCase(),
        printedName: o.name,
        roles: o.roles,
        password: o.newPassword,
        signature: { password: adminPassword, meaning: 'enrolled' },
      }),
    );
    out(
      g,
      { ok: true, user: v.userId, name: v.printedName, roles: v.roles, status: v.status },
      `Created ${v.userId} (${v.printedName}) with roles ${v.roles.join(', ')}`,
    );
  });
}

export async function remoteUserList(g: RemoteGlobal, o: { user: string; passwordFile: string }): Promise<void> {
  await withRemoteUser(g, o.user, o.passwordFile, async (c) => {
    const list = need<UserView[]>(await c.call('users.list', {})).map((u) => ({
      user: u.userId,
      name: u.printedName,
      roles: u.roles,
      status: u.status,
      key_fingerprint: u.keyFingerprint ?? null,
    }));
    out(
      g,
      list,
      list
        .map((u) => `${u.user.padEnd(20)} ${u.status.padEnd(12)} ${u.roles.join(',').padEnd(30)} ${u.name}`)
        .join('\n'),
    );
  });
}

/** `user deactivate|unlock|reset-password --target ID` through the server. */
export async function remoteUserAction(
  g: RemoteGlobal,
  cmd: 'deactivate' | 'unlock' | 'reset-password',
  o: { user: string; passwordFile: string; target: string; reason: string; newPassword: string },
): Promise<void> {
  const adminPassword = readFirstLine(o.passwordFile, 'password');
  await withRemoteUser(g, o.user, o.passwordFile, async (c) => {
    const r =
      cmd === 'deactivate'
        ? await c.call('users.deactivate', { userId: o.target, reason: o.reason })
        : cmd === 'unlock'
          ? await c.call('users.unlock', { userId: o.target, reason: o.reason })
          : await c.call('users.resetPassword', {
              userId: o.target,
              newPassword: o.newPassword,
              reason: o.reason,
              signature: { password: adminPassword, meaning: 'enrolled' },
            });
    const v = need<UserView>(r);
    out(g, { ok: true, user: v.userId, status: v.status }, `${o.target}: ${v.status}`);
  });
}

/** Waits for a job of the server to finish (its `job.progress` event), then asks for its result. */
function jobFinished(c: SiteClient, jobId: string): Promise<{ error: string | null }> {
  return new Promise((resolve) => {
    const off = c.onEvent((name, payload) => {
      const p = payload as { jobId?: string; finished?: boolean; error?: string | null };
      if (name === 'job.progress' && p.jobId === jobId && p.finished) {
        off();
        resolve({ error: p.error ?? null });
      }
    });
  });
}

/**
 * `import` through the server: the files uploaded (base64 chunks, as the import screen does),
 * then one all-or-nothing import on the server, as the user; the report is the command's.
 */
export async function remoteImport(
  g: RemoteGlobal,
  o: { user: string; passwordFile: string; files: Record<string, string>; correctionReason?: string | undefined },
): Promise<void> {
  await withRemoteUser(g, o.user, o.passwordFile, async (c) => {
    let uploadId: string | undefined;
    for (const [kind, file] of Object.entries(o.files)) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        throw new AppErrorException(appError('invalid_input', { file, what: kind }, 'errors.file_unreadable'));
      }
      const CHUNK = 4 * 1024 * 1024;
      for (let at = 0; at === 0 || at < bytes.length; at += CHUNK) {
        const final = at + CHUNK >= bytes.length;
        const r = need<{ uploadId: string }>(
          await c.call('import.upload', {
            ...(uploadId ? { uploadId } : {}),
            file: kind,
            fileName: basename(file),
            chunkBase64: bytes.subarray(at, at + CHUNK).toString('base64'),
            final,
          }),
        );
        uploadId = r.uploadId;
        if (final) break;
      }
    }
    const { jobId } = need<{ jobId: string }>(
      await c.call('import.start', {
        uploadId: uploadId!,
        dryRun: false,
        ...(o.correctionReason !== undefined ? { correctionReason: o.correctionReason } : {}),
      }),
    );
    const finished = jobFinished(c, jobId);
    // The job may have finished before the event listener was in place: ask once first.
    let r = need<{ done: boolean; report: ImportReportView | null; error: string | null }>(
      await c.call('import.result', { jobId }),
    );
    if (!r.done) {
      await finished;
      r = need(await c.call('import.result', { jobId }));
    }
    if (!r.report) throw new AppErrorException(appError('internal', { message: r.error ?? 'import failed' }));
    const { dryRun: _dryRun, ...report } = r.report;
    void _dryRun;
    out(g, report, humanImport(r.report));
    if (!r.report.ok) throw new Exit(1);
  });
}

function humanImport(r: ImportReportView): string {
  if (r.ok)
    return [
      'Imported (through the site server):',
      ...Object.keys(r.inserted).map(
        (k) =>
          `  ${k.padEnd(12)} ${r.inserted[k] ?? 0} new, ${r.unchanged[k] ?? 0} unchanged, ${r.corrected?.[k] ?? 0} corrected`,
      ),
    ].join('\n');
  return [
    `NOT IMPORTED: ${r.errors.length} error(s); nothing was written.`,
    ...r.errors.map((e) => `  ${e.file}${e.row ? ` row ${e.row}` : ''}${e.column ? ` ${e.column}` : ''}: ${e.message}`),
  ].join('\n');
}

/** `trace --lot CODE` through the server (a read: the user of --user/--password-file needs lots.read). */
export async function remoteTrace(
  g: RemoteGlobal,
  o: { user?: string; passwordFile?: string; lot: string },
): Promise<void> {
  if (!o.user || !o.passwordFile)
    throw new AppErrorException(
      appError('invalid_input', { field: '--user/--password-file' }, 'errors.cli_admin_required'),
    );
  await withRemoteUser(g, o.user, o.passwordFile, async (c) => {
    const r = await c.call('trace.run', { code: o.lot });
    if (!r.ok && r.error.code === 'not_found') {
      if (g.json) process.stdout.write(`${JSON.stringify({ error: 'lot_not_found', lot: o.lot }, null, 2)}\n`);
      else process.stderr.write(`lotseal: no lot with code ${JSON.stringify(o.lot)} on ${g.server}\n`);
      throw new Exit(1);
    }
    const v = need<TraceView>(r);
    if (g.json) process.stdout.write(`${(await import('../../trace')).traceViewToJson(v)}\n`);
    else
      process.stdout.write(
        [
          `Lot ${v.root.lot}  ${v.root.kind}  ${v.root.item_code}  ${v.root.quantity} ${v.root.unit}`,
          `Made from (backward): ${v.backward.length} lot(s)`,
          ...v.backward.map((l) => `${'  '.repeat(l.depth)}${l.lot} ${l.kind} ${l.item_code}`),
          `Made into (forward): ${v.forward.length} lot(s)`,
          ...v.forward.map((l) => `${'  '.repeat(l.depth)}${l.lot} ${l.kind} ${l.item_code}`),
          `Shipments: ${v.shipments.length}; customers: ${v.customers.map((x) => x.customer).join(', ') || '—'}`,
          `Mass balance (${v.mass_balance.unit}): accounted ${v.mass_balance.accounted} of ${v.mass_balance.received_or_produced} (${v.mass_balance.accounted_pct} %)`,
        ].join('\n') + '\n',
      );
  });
}

/**
 * `verify` through the server: a full verification on the server's database (a job there, its
 * run recorded as from the desktop's screen), then its report. Exit 1 when it found problems.
 */
export async function remoteVerify(g: RemoteGlobal, o: { user?: string; passwordFile?: string }): Promise<void> {
  if (!o.user || !o.passwordFile)
    throw new AppErrorException(
      appError('invalid_input', { field: '--user/--password-file' }, 'errors.cli_admin_required'),
    );
  await withRemoteUser(g, o.user, o.passwordFile, async (c) => {
    const started = Date.now();
    const { jobId } = need<{ jobId: string }>(await c.call('ledger.verify', {}));
    const done = await jobFinished(c, jobId);
    if (done.error) throw new AppErrorException(appError('internal', { message: done.error }));
    const run = need<VerificationRun | null>(await c.call('ledger.lastRun', {}));
    if (!run) throw new AppErrorException(appError('internal', { message: 'no verification run' }));
    const report = {
      ok: run.findings.length === 0,
      entries: run.entries,
      verified_through: run.verifiedThrough,
      elapsed_ms: Date.now() - started,
      findings: run.findings,
      run: run.id,
      server: g.server,
    };
    out(
      g,
      report,
      [
        report.ok
          ? `OK: ${report.entries} entries verified through #${report.verified_through} on ${g.server}`
          : `PROBLEMS FOUND (${report.findings.length}) on ${g.server}:`,
        ...run.findings.map((f) => `  ${f.kind}${f.seq !== null ? ` at #${f.seq}` : ''}: ${f.detail}`),
      ].join('\n'),
    );
    if (!report.ok) throw new Exit(1);
  });
}
