import { existsSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AppErrorException, appError } from '../../../shared/contract/errors';
import { openSqlite } from '../../db/database';
import { APP_VERSION } from '../../db/store';
import { AnchorStore } from '../../ledger/anchor';
import { exportAuditCsv } from '../../evidence/audit-csv';
import { exportEvidence } from '../../evidence/evidence-export';
import { Exit, dataDir, dbPath, out } from '../common';
import { isRemote, type RemoteGlobal } from '../remote';
import { remoteExport } from './remote-ops';
import { databaseIdIn } from '../../db/database-info';

/**
 * `lotseal export --evidence OUT --db FILE [--anchor FILE | --no-anchor] [--json]` and
 * `lotseal export --audit-csv FILE [--entity E] [--record ID] [--user U] [--from D] [--to D]`
 * (../shared/formats/README.md §2, docs/ledger.md §10). Read-only: no key, no password (an
 * inspector may run it on a copy). The evidence folder takes this host's anchor for the
 * database from the data folder unless told otherwise. Exit status: 0 written and LotSeal's
 * verification of the snapshot found nothing; 1 written, but the snapshot has findings (the
 * folder is evidence of them); 2 nothing written (bad arguments, existing non-empty folder…).
 */
function who(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no user name available (some containers)
  }
  return `command line (${user}@${hostname()})`;
}

function databaseId(file: string): string | null {
  const db = openSqlite(file, { readonly: true });
  try {
    return databaseIdIn(db);
  } finally {
    db.close();
  }
}

const tty = (phase: string, done: number, total: number): void => {
  if (process.stderr.isTTY) process.stderr.write(`\r${phase} ${done}/${total}        `);
};

export function registerExportCommand(program: Command, g: () => RemoteGlobal): void {
  program
    .command('export')
    .description(
      'write an evidence folder an inspector can check with Python alone, or the complete audit trail as CSV',
    )
    .option('--evidence <folder>', 'evidence folder to create (must not exist, or be empty)')
    .option('--anchor <file>', "the anchor file to include (default: this host's anchor for the database)")
    .option('--no-anchor', 'include no anchor')
    .option('--audit-csv <file>', 'write the audit trail as CSV (never overwritten)')
    .option('--entity <type>', 'CSV: only this record type')
    .option('--record <id>', 'CSV: only this record id')
    .option('--user <id>', 'CSV: only entries by this user; with --server: who signs in (then filter with --actor)')
    .option('--actor <id>', 'CSV: only entries by this user (the filter, also with --server)')
    .option('--password-file <file>', "the signing-in user's password file (first line), when --server is given")
    .option('--from <date>', 'CSV: entries from this time (ISO 8601)')
    .option('--to <date>', 'CSV: entries up to this time (ISO 8601)')
    .action(
      async (o: {
        evidence?: string;
        anchor?: string | boolean;
        auditCsv?: string;
        entity?: string;
        record?: string;
        user?: string;
        actor?: string;
        passwordFile?: string;
        from?: string;
        to?: string;
      }) => {
        if (!o.evidence === !o.auditCsv) {
          throw new AppErrorException(
            appError('invalid_input', { field: '--evidence/--audit-csv' }, 'errors.export_what'),
          );
        }
        if (isRemote(g()))
          return remoteExport(g(), {
            evidence: o.evidence,
            auditCsv: o.auditCsv,
            anchor: o.anchor,
            user: o.user,
            passwordFile: o.passwordFile,
            filter: {
              ...(o.entity ? { entity: o.entity } : {}),
              ...(o.record ? { entityId: o.record } : {}),
              ...(o.actor ? { actorId: o.actor } : {}),
              ...(o.from ? { from: o.from } : {}),
              ...(o.to ? { to: o.to } : {}),
            },
          });
        const file = dbPath(g());
        if (!existsSync(file)) throw new AppErrorException(appError('database_missing', { file }));
        if (o.auditCsv) {
          const r = await exportAuditCsv({
            dbFile: file,
            out: resolve(o.auditCsv),
            filter: {
              ...(o.entity ? { entity: o.entity } : {}),
              ...(o.record ? { entityId: o.record } : {}),
              ...((o.actor ?? o.user) ? { actorId: (o.actor ?? o.user)! } : {}),
              ...(o.from ? { from: o.from } : {}),
              ...(o.to ? { to: o.to } : {}),
            },
            onProgress: tty,
          });
          if (process.stderr.isTTY) process.stderr.write('\n');
          out(
            g(),
            r,
            `Wrote ${r.rows} audit-trail entries (through #${r.through_seq}) to ${r.out}\nSHA-256: ${r.sha256}`,
          );
          return;
        }
        let anchorFile: string | null = null;
        if (typeof o.anchor === 'string') {
          if (!existsSync(o.anchor))
            throw new AppErrorException(appError('invalid_input', { file: o.anchor }, 'errors.anchor_unreadable'));
          anchorFile = o.anchor;
        } else if (o.anchor !== false) {
          const id = databaseId(file);
          anchorFile = id ? AnchorStore.forDataDir(dataDir(g())).file(id) : null;
        }
        const r = await exportEvidence({
          dbFile: file,
          out: resolve(o.evidence!),
          anchorFile,
          skewMs: 5 * 60_000,
          exportedBy: who(),
          workstation: `cli@${hostname()}`,
          appVersion: APP_VERSION,
          onProgress: tty,
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        out(
          g(),
          r,
          [
            `Evidence folder written: ${r.out}`,
            `  database ${r.database_id ?? '—'}, head #${r.head.seq} ${r.head.hash}`,
            `  ${r.files} files, ${r.bytes} bytes; manifest.json SHA-256 ${r.manifest_sha256}`,
            r.anchor ? `  anchor #${r.anchor.seq} ${r.anchor.hash}` : '  no anchor included',
            r.verification.ok
              ? "  LotSeal's verification of the snapshot: no findings"
              : `  LotSeal's verification of the snapshot: ${r.verification.findings} finding(s) (${r.verification.kinds.join(', ')}) — see lotseal-verify-report.json`,
            `Check it with Python alone: python3 ${resolve(r.out, 'verifier', 'lotseal_verify.py')}`,
          ].join('\n'),
        );
        if (!r.verification.ok) throw new Exit(1);
      },
    );
}
