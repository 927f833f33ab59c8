import { tmpdir } from 'node:os';
import type { Command } from 'commander';
import { AppErrorException, appError } from '../../../shared/contract/errors';
import type { ImportFiles, ImportReport } from '../../import';
import { Exit, out, withUser, type Global } from '../common';
import { isRemote, type RemoteGlobal } from '../remote';
import { remoteImport } from './remote-commands';

/**
 * `lotseal import` (../shared/formats/README.md §2): the six ERP files as one all-or-nothing
 * batch, as the named user (permission erp.import). Exit 0 imported; 1 validation errors
 * (nothing written, every error listed); 2 could not run (bad arguments, unreadable file,
 * wrong password). Runs in this process: the CLI may block while the import holds the
 * write lock.
 */
export function registerImportCommand(program: Command, g: () => Global): void {
  program
    .command('import')
    .description(
      'import ERP files (suppliers, customers, lots, consumption, shipments, stock) as one all-or-nothing batch',
    )
    .requiredOption('--user <id>', 'user id (a role allowed to import, e.g. production)')
    .requiredOption('--password-file <file>', "file whose first line is the user's password")
    .option('--suppliers <file>', 'suppliers.csv')
    .option('--customers <file>', 'customers.csv')
    .option('--lots <file>', 'lots.csv')
    .option('--consumption <file>', 'consumption.csv')
    .option('--shipments <file>', 'shipments.csv')
    .option('--stock <file>', 'stock.csv')
    .option(
      '--correction-reason <text>',
      'import changed rows as corrections with this reason (recorded in the audit trail)',
    )
    .option('--staging-dir <dir>', 'folder for the temporary staging database (default: the system temp folder)')
    .action(async (o: Record<string, string | undefined> & { user: string; passwordFile: string }) => {
      // Loaded when the command runs, not at every `lotseal` start (D-116).
      const { fileKinds } = await import('../../import');
      const files: ImportFiles = {};
      for (const k of fileKinds) if (o[k] !== undefined) files[k] = o[k];
      if (Object.keys(files).length === 0) {
        throw new AppErrorException(
          appError('invalid_input', {
            field: '--suppliers/--customers/--lots/--consumption/--shipments/--stock',
            reason: 'no file given',
          }),
        );
      }
      if (o['correctionReason'] !== undefined && !o['correctionReason'].trim()) {
        throw new AppErrorException(
          appError('invalid_input', { field: '--correction-reason', reason: 'empty' }, 'errors.reason_required'),
        );
      }
      if (isRemote(g() as RemoteGlobal))
        return remoteImport(g() as RemoteGlobal, {
          user: o.user,
          passwordFile: o.passwordFile,
          files: files as Record<string, string>,
          correctionReason: o['correctionReason'],
        });
      await withUser(g(), o.user, o.passwordFile, 'erp.import', async (_ledger, _identity, actor, services) => {
        const tty = process.stderr.isTTY;
        const report = await services.imports.run(actor, files, {
          stagingDir: o['stagingDir'] ?? tmpdir(),
          ...(o['correctionReason'] !== undefined ? { correctionReason: o['correctionReason'] } : {}),
          onProgress: (phase, done, total) => {
            if (tty) process.stderr.write(`\r${phase} ${done}/${total}        `);
          },
        });
        if (tty) process.stderr.write('\n');
        out(g(), report, human(report));
        if (!report.ok) throw new Exit(1);
      });
    });
}

function human(r: ImportReport): string {
  const kinds = Object.keys(r.inserted) as Array<keyof ImportReport['inserted']>;
  if (r.ok) {
    return [
      `Imported (import run ${r.import_run}):`,
      ...kinds.map(
        (k) =>
          `  ${k.padEnd(12)} ${r.inserted[k] ?? 0} new, ${r.unchanged[k] ?? 0} unchanged, ${r.corrected[k] ?? 0} corrected`,
      ),
    ].join('\n');
  }
  return [
    `NOT IMPORTED: ${r.error_count} error(s); nothing was written.`,
    ...r.errors.map((e) => `  ${e.file}${e.row ? ` row ${e.row}` : ''}${e.column ? ` ${e.column}` : ''}: ${e.message}`),
  ].join('\n');
}
