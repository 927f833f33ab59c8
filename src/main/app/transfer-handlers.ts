import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Permission } from '../../shared/domain/roles';
import { fail } from '../../shared/contract/errors';
import { actorOf, sessionOf, type HandlersOf } from '../dispatcher/handler-kit';
import type { CallContext } from '../dispatcher/dispatcher';
import { backupDatabase } from '../ledger/backup';
import type { AppCore } from './core';
import { recordBackup } from './ledger-handlers';

/**
 * Downloads from the site server (contract/channels/transfer.ts, D-103): a verified backup copy
 * made for download, and the transfers every offering job registers (core.transfers). A transfer
 * is opened and read only by the user whose job made it, while they still hold the permission
 * that made it (the dispatcher checked it for the job; it is checked again here at every read).
 */
export function transferHandlers(core: AppCore): HandlersOf<'transfer'> & Pick<HandlersOf<'backup'>, 'backup.stage'> {
  const mayOf =
    (ctx: CallContext) =>
    (permission: string): boolean =>
      sessionOf(ctx).permissions.has(permission as Permission);
  return {
    'backup.stage': (_i, ctx) => {
      const svc = core.need();
      if (core.jobs.isRunning('restore')) fail('conflict', { job: 'restore' }, 'errors.restore_running');
      const who = actorOf(ctx);
      const dir = core.transfers.stage();
      const out = join(dir, `lotseal-${new Date(core.clock()).toISOString().replace(/[:.]/g, '-')}.db`);
      const skewMs = svc.settings.get().clockSkewMinutes * 60_000;
      let jobId = '';
      jobId = core.jobs.start(
        'backup',
        // The same online copy and verification as `lotseal backup`; offered once hashed, so the
        // job's `finished` event means `transfer.open` answers.
        (progress) =>
          backupDatabase(core.dbFile, out, { skewMs, onProgress: progress }).then(async (r) => {
            await core.transfers.offer(
              jobId,
              { userId: who.id, permission: 'backup.run' },
              'backup',
              out,
              { entries: r.entries, bytes: r.bytes, elapsed_ms: r.elapsed_ms, sha256: r.sha256 },
              { staged: dir, expectSha256: r.sha256 },
            );
            return r;
          }),
        (r) => recordBackup(core, who, out, r),
        () => rmSync(dir, { recursive: true, force: true }),
      );
      return { jobId };
    },
    'transfer.open': ({ jobId }, ctx) => core.transfers.open(jobId, sessionOf(ctx).userId, mayOf(ctx)),
    'transfer.read': ({ transferId, path, offset, length }, ctx) =>
      core.transfers.read(transferId, path, offset, length, sessionOf(ctx).userId, mayOf(ctx)),
    'transfer.close': ({ transferId }, ctx) => {
      core.transfers.close(transferId, sessionOf(ctx).userId, mayOf(ctx));
      return { ok: true };
    },
  };
}
