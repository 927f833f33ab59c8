import { existsSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { AppErrorException, appError } from '../../shared/contract/errors';
import { roles, type Role } from '../../shared/domain/roles';
import { IdentityService, prepareFirstAdministrator, toUserView, userRoles } from '../auth/identity';
import { Exit, cliKey, dbPath, message, out, readFirstLine, storeOptions, withAdmin, type Global } from './common';
import { SettingsService } from '../auth/settings';
import { openSqlite } from '../db/database';
import { APP_VERSION, createDatabase, openDatabase } from '../db/store';
import { readAnchorFile } from '../ledger/anchor';
import { backupDatabase } from '../ledger/backup';
import { systemActor } from '../ledger/ledger';
import { verifyFile } from '../ledger/verify-runner';
import { registerImportCommand } from './commands/import';
import { registerTraceCommand } from './commands/trace';
import { registerInstrumentCommands } from './commands/instruments';
import { registerDrillCommand } from './commands/drill';
import { registerExportCommand } from './commands/export';

/**
 * `lotseal`: the command line of ../shared/formats/README.md (a published contract).
 * Exit status: 0 success; 1 the command ran and found a problem; 2 it could not run.
 * It never prompts when stdin is not a terminal; --json puts the result on stdout and
 * human messages on stderr.
 */
function parseRoles(s: string): Role[] {
  const list = s.split(',').map((r) => r.trim()).filter(Boolean);
  const bad = list.filter((r) => !(roles as readonly string[]).includes(r));
  if (bad.length || list.length === 0) {
    throw new AppErrorException(appError('invalid_input', { field: 'roles', value: bad.join(',') || s, allowed: roles.join(', ') }, 'errors.bad_roles'));
  }
  return list as Role[];
}

export function buildProgram(): Command {
  const program = new Command('lotseal')
    .description('LotSeal: the QA laboratory workstation for infant formula and dairy plants (command line)')
    .version(APP_VERSION, '-V, --version')
    .option('--db <file>', "database file (default: the desktop app's database)")
    .option('--json', 'machine-readable output on stdout')
    .option('--key-passphrase-file <file>', "file whose first line is this machine's CLI key passphrase (or LOTSEAL_KEY_PASSPHRASE)")
    .option('--data-dir <dir>', 'data folder for keys and anchors (or LOTSEAL_DATA_DIR)')
    .showHelpAfterError()
    .exitOverride();
  const g = (): Global => program.opts<Global>();

  program
    .command('init')
    .description('create a new database with its first administrator and this machine\'s CLI signing key')
    .requiredOption('--admin <user>', 'user id of the first administrator')
    .option('--admin-name <name>', 'printed name shown on signatures (default: the user id)')
    .requiredOption('--password-file <file>', "file whose first line is the administrator's password")
    .action(async (o: { admin: string; adminName?: string; passwordFile: string }) => {
      const file = dbPath(g());
      if (existsSync(file)) throw new AppErrorException(appError('database_exists', { file }));
      const password = readFirstLine(o.passwordFile, 'password');
      const input = { userId: o.admin.trim().toLowerCase(), printedName: (o.adminName ?? o.admin).trim(), password };
      if (!/^[a-z0-9][a-z0-9._-]{1,39}$/.test(input.userId)) {
        throw new AppErrorException(appError('invalid_input', { field: 'admin', value: o.admin }, 'errors.user_id_format'));
      }
      const prepared = await prepareFirstAdministrator(input);
      const key = cliKey(g(), true);
      const ledger = createDatabase(file, storeOptions(g(), key));
      try {
        const identity = new IdentityService(ledger, new SettingsService(ledger));
        ledger.write(systemActor, (w) => identity.writeFirstAdministrator(w, input, prepared));
        const head = ledger.head();
        out(
          g(),
          {
            ok: true,
            db: file,
            database_id: ledger.getDatabaseId(),
            admin: input.userId,
            recovery_code: prepared.recoveryCode,
            key_fingerprint: key.fingerprint,
            head: { seq: head.seq, hash: head.hash },
          },
          [
            `Created ${file}`,
            `Administrator: ${input.userId} (${input.printedName})`,
            `This machine's CLI key fingerprint: ${key.fingerprint}`,
            '',
            `ONE-TIME RECOVERY CODE: ${prepared.recoveryCode}`,
            'Store it offline (e.g. in a sealed envelope in the QA office safe). It is the only way to unlock',
            'the last administrator if it is locked out: lotseal user unlock --recovery-code CODE --target ID',
          ].join('\n'),
        );
      } finally {
        ledger.db.close();
      }
    });

  const user = program.command('user').description('account administration, authenticated as an administrator');
  const adminOpts = (c: Command) =>
    c.requiredOption('--user <id>', 'administrator user id').requiredOption('--password-file <file>', "file whose first line is the administrator's password");

  adminOpts(user.command('add').description('create an account (the new user changes the password at first sign-in)'))
    .requiredOption('--new-user <id>', 'new user id')
    .requiredOption('--name <name>', 'printed name')
    .requiredOption('--roles <list>', `comma-separated: ${roles.join(', ')}`)
    .requiredOption('--new-password-file <file>', 'file whose first line is the initial password')
    .action(async (o: { user: string; passwordFile: string; newUser: string; name: string; roles: string; newPasswordFile: string }) => {
      const newPassword = readFirstLine(o.newPasswordFile, 'new password');
      const r = parseRoles(o.roles);
      await withAdmin(g(), o.user, o.passwordFile, async (_l, identity, actor) => {
        const u = await identity.createUser(actor, { userId: o.newUser.trim().toLowerCase(), printedName: o.name, roles: r, password: newPassword });
        const v = toUserView(u);
        out(g(), { ok: true, user: v.userId, name: v.printedName, roles: v.roles, status: v.status }, `Created ${v.userId} (${v.printedName}) with roles ${v.roles.join(', ')}`);
      });
    });

  adminOpts(user.command('list').description('list accounts')).action(async (o: { user: string; passwordFile: string }) => {
    await withAdmin(g(), o.user, o.passwordFile, (_l, identity) => {
      const list = identity.listUsers().map((u) => ({ user: u.id, name: u.printed_name, roles: userRoles(u), status: u.status }));
      out(g(), list, list.map((u) => `${u.user.padEnd(20)} ${u.status.padEnd(12)} ${u.roles.join(',').padEnd(30)} ${u.name}`).join('\n'));
    });
  });

  for (const cmd of ['deactivate', 'unlock', 'reset-password'] as const) {
    const c = user.command(cmd).description(
      cmd === 'deactivate' ? 'deactivate an account (never deleted)' : cmd === 'unlock' ? 'unlock a locked account' : 'set a new password that must be changed at next sign-in',
    );
    c.requiredOption('--target <id>', 'the account')
      .option('--user <id>', 'administrator user id')
      .option('--password-file <file>', "file whose first line is the administrator's password")
      .option('--reason <text>', 'reason recorded in the audit trail');
    if (cmd === 'unlock') c.option('--recovery-code <code>', 'unlock the last administrator with the one-time recovery code (no password)');
    if (cmd === 'reset-password') c.option('--new-password-file <file>', 'file whose first line is the new password');
    c.action(async (o: { target: string; user?: string; passwordFile?: string; reason?: string; recoveryCode?: string; newPasswordFile?: string }) => {
      const target = o.target.trim().toLowerCase();
      if (cmd === 'unlock' && o.recoveryCode) {
        const key = cliKey(g(), true);
        const ledger = openDatabase(dbPath(g()), storeOptions(g(), key));
        try {
          if (!ledger.isKeyRegistered()) {
            // The recovery path is the one write a machine may make before an administrator
            // has registered its key: the recovery code itself is the authority.
            ledger.write(systemActor, () => undefined, { registerHostKey: true });
          }
          const identity = new IdentityService(ledger, new SettingsService(ledger));
          const r = await identity.unlockWithRecoveryCode(target, o.recoveryCode);
          out(g(), { ok: true, user: target, status: r.user.status, new_recovery_code: r.newRecoveryCode }, `Unlocked ${target}.\nNEW ONE-TIME RECOVERY CODE: ${r.newRecoveryCode} (the old one is used up; store this one offline)`);
        } finally {
          ledger.db.close();
        }
        return;
      }
      if (!o.user || !o.passwordFile) {
        throw new AppErrorException(appError('invalid_input', { field: '--user/--password-file' }, 'errors.cli_admin_required'));
      }
      const reason = o.reason ?? `${cmd} from the command line`;
      const newPassword = cmd === 'reset-password' ? readFirstLine(o.newPasswordFile ?? '', 'new password') : '';
      await withAdmin(g(), o.user, o.passwordFile, async (_l, identity, actor) => {
        const u =
          cmd === 'deactivate'
            ? identity.deactivate(actor, target, reason)
            : cmd === 'unlock'
              ? identity.unlock(actor, target, reason)
              : await identity.resetPassword(actor, target, newPassword, reason);
        out(g(), { ok: true, user: u.id, status: u.status }, `${target}: ${u.status}`);
      });
    });
  }

  program
    .command('verify')
    .description('verify the hash chain, checkpoint signatures and every stored record against the audit trail')
    .option('--anchor <file>', "a workstation's anchor file: the last head it signed")
    .action(async (o: { anchor?: string }) => {
      const file = dbPath(g());
      if (!existsSync(file)) throw new AppErrorException(appError('database_missing', { file }));
      const anchor = o.anchor ? readAnchorFile(o.anchor) : null;
      if (o.anchor && !anchor) throw new AppErrorException(appError('invalid_input', { file: o.anchor }, 'errors.anchor_unreadable'));
      const report = await verifyFile(file, {
        skewMs: 5 * 60_000,
        anchor,
        onProgress: (phase, done, total) => {
          if (process.stderr.isTTY) process.stderr.write(`\r${phase} ${done}/${total}   `);
        },
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      const keys = listKeys(file);
      out(
        g(),
        { ...report, keys },
        [
          report.ok ? `OK: ${report.entries} entries, ${report.checkpoints} checkpoints verified through #${report.verified_through}` : `PROBLEMS FOUND (${report.findings.length}):`,
          ...report.findings.map((f) => `  ${f.kind}${f.seq !== null ? ` at #${f.seq}` : ''}${f.entity ? ` ${f.entity} ${f.id}` : ''}: ${f.detail}`),
          'Signing keys on record:',
          ...keys.map((k) => `  ${k.fingerprint} ${k.host}${k.valid_to ? ` (until ${k.valid_to})` : ''}`),
          `Elapsed: ${report.elapsed_ms} ms`,
        ].join('\n'),
      );
      if (!report.ok) throw new Exit(1);
    });

  program
    .command('backup')
    .description('copy the database with SQLite online backup (the app may be running), verify the copy, then report')
    .requiredOption('--out <file>', 'backup file to create (never overwritten)')
    .action(async (o: { out: string }) => {
      const file = dbPath(g());
      if (!existsSync(file)) throw new AppErrorException(appError('database_missing', { file }));
      const r = await backupDatabase(file, o.out, { skewMs: 5 * 60_000 });
      out(g(), { ok: true, out: r.out, entries: r.entries, bytes: r.bytes, elapsed_ms: r.elapsed_ms }, `Backup written and verified: ${r.out} (${r.entries} entries, ${r.bytes} bytes)`);
    });

  // Further commands register here, one module each under ./commands/ (import, trace, …).
  registerImportCommand(program, g);
  registerTraceCommand(program, g);
  registerInstrumentCommands(program, g);
  registerDrillCommand(program, g);
  registerExportCommand(program, g);

  return program;
}

function listKeys(file: string): Array<{ id: string; fingerprint: string; host: string; valid_from: string; valid_to: string | null }> {
  try {
    const db = openSqlite(file, { readonly: true });
    try {
      return (db.prepare('SELECT id, fingerprint, host, host_kind, valid_from, valid_to FROM signing_key ORDER BY valid_from').all() as Array<{
        id: string;
        fingerprint: string;
        host: string;
        host_kind: string;
        valid_from: number;
        valid_to: number | null;
      }>).map((k) => ({
        id: k.id,
        fingerprint: k.fingerprint,
        host: `${k.host_kind}@${k.host}`,
        valid_from: new Date(k.valid_from).toISOString(),
        valid_to: k.valid_to === null ? null : new Date(k.valid_to).toISOString(),
      }));
    } finally {
      db.close();
    }
  } catch {
    return [];
  }
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof Exit) return e.code;
    if (e instanceof CommanderError) {
      // --help and --version are successes; every usage error is "could not run" (2).
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return 0;
      if (json) process.stdout.write(JSON.stringify({ ok: false, error: 'usage', message: e.message }) + '\n');
      return 2;
    }
    const err = e instanceof AppErrorException ? e.error : appError('internal', { message: e instanceof Error ? e.message : String(e) });
    const msg = message(err);
    process.stderr.write(`lotseal: ${msg}\n`);
    if (json) process.stdout.write(JSON.stringify({ ok: false, error: err.code, message: msg, details: err.details ?? {} }) + '\n');
    // A problem found while running (none yet besides verify) is 1; failing to run is 2.
    return 2;
  }
}
