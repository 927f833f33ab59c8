import { existsSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { AppErrorException, appError } from '../../shared/contract/errors';
import { roles, type Role } from '../../shared/domain/roles';
import {
  acknowledgeRollback,
  enrolHost,
  identityQueriesOf,
  IdentityService,
  prepareFirstAdministrator,
  SettingsService,
  userRoles,
} from '../identity';
import { databaseIdIn } from '../db/database-info';
import { parseWitness } from '../../shared/domain/witness';
import {
  Exit,
  cliKey,
  dataDir,
  passphrase,
  dbPath,
  message,
  out,
  readFirstLine,
  readSecret,
  storeOptions,
  withAdmin,
} from './common';
import { openSqlite } from '../db/database';
import { APP_VERSION, createDatabase, openDatabase } from '../db/store';
import { AnchorStore, readAnchorFile, type Anchor } from '../ledger/anchor';
import { backupDatabase } from '../ledger/backup';
import { verifyFile } from '../ledger/verify-runner';
import { registerImportCommand } from './commands/import';
import { registerTraceCommand } from './commands/trace';
import { registerInstrumentCommands } from './commands/instruments';
import { registerDrillCommand } from './commands/drill';
import { registerExportCommand } from './commands/export';
import { registerServeCommand } from './commands/serve';
import { remoteUserAction, remoteUserAdd, remoteUserList, remoteVerify } from './commands/remote-commands';
import { remoteAcknowledgeRollback, remoteBackup, remotePasswd, remoteRecover } from './commands/remote-ops';
import { isRemote, remoteKey, siteTarget, type RemoteGlobal } from './remote';
import { createHostKey, hostKeyExists, loadHostKey, passphraseProtector } from '../ledger/keys';
import { hostname } from 'node:os';

/**
 * `lotseal`: the command line of ../shared/formats/README.md (a published contract).
 * Exit status: 0 success; 1 the command ran and found a problem; 2 it could not run.
 * It never prompts when stdin is not a terminal; --json puts the result on stdout and
 * human messages on stderr.
 */
function parseRoles(s: string): Role[] {
  const list = s
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const bad = list.filter((r) => !(roles as readonly string[]).includes(r));
  if (bad.length || list.length === 0) {
    throw new AppErrorException(
      appError(
        'invalid_input',
        { field: 'roles', value: bad.join(',') || s, allowed: roles.join(', ') },
        'errors.bad_roles',
      ),
    );
  }
  return list as Role[];
}

/** The commands that act through a site server (`--server`); the others say so and exit 2. */
export const REMOTE_COMMANDS: ReadonlySet<string> = new Set([
  'user add',
  'user list',
  'user deactivate',
  'user unlock',
  'user reset-password',
  'host enrol',
  'import',
  'trace',
  'verify',
  // Issue 23 (D-103–D-105): the operations commands.
  'user passwd',
  'host acknowledge-rollback',
  'backup',
  'export',
  'drill',
]);

export function buildProgram(): Command {
  const program = new Command('lotseal')
    .description('LotSeal: the QA laboratory workstation for infant formula and dairy plants (command line)')
    .version(APP_VERSION, '-V, --version')
    .option('--db <file>', "database file (default: the desktop app's database)")
    .option('--json', 'machine-readable output on stdout')
    .option(
      '--key-passphrase-file <file>',
      "file whose first line is this machine's CLI key passphrase (or LOTSEAL_KEY_PASSPHRASE)",
    )
    .option('--data-dir <dir>', 'data folder for keys and anchors (or LOTSEAL_DATA_DIR)')
    .option('--server <url>', 'act through a site server (wss://HOST:PORT) instead of on --db FILE')
    .option(
      '--server-fingerprint <hex>',
      "the site server's certificate fingerprint (SHA-256, as `lotseal serve` prints it)",
    )
    .showHelpAfterError()
    .exitOverride();
  const g = (): RemoteGlobal => program.opts<RemoteGlobal>();
  // `--server URL --server-fingerprint HEX` instead of `--db FILE` (formats README §3): a command
  // that cannot act through a site server yet refuses (exit 2) rather than open a local file.
  program.hook('preAction', (_root, action) => {
    if (!isRemote(g())) return;
    const name = [action.parent && action.parent !== program ? action.parent.name() : null, action.name()]
      .filter(Boolean)
      .join(' ');
    if (g().db !== undefined)
      throw new AppErrorException(appError('invalid_input', { field: '--db/--server', reason: 'give one of them' }));
    const recovery = action.opts<{ recoveryCode?: string }>();
    // The site's database is made on the server (`init --db FILE` there, before `serve`): there
    // is nothing to create through a server (D-105).
    if (name === 'init')
      throw new AppErrorException(appError('invalid_input', { command: name }, 'errors.remote_init'));
    // A recovery code on the command line would travel on argv: through a server only from a file or stdin.
    if (!REMOTE_COMMANDS.has(name) || (name === 'user unlock' && recovery.recoveryCode))
      throw new AppErrorException(appError('invalid_input', { command: name }, 'errors.remote_not_supported'));
  });

  program
    .command('init')
    .description("create a new database with its first administrator and this machine's CLI signing key")
    .requiredOption('--admin <user>', 'user id of the first administrator')
    .option('--admin-name <name>', 'printed name shown on signatures (default: the user id)')
    .requiredOption('--password-file <file>', "file whose first line is the administrator's password")
    .action(async (o: { admin: string; adminName?: string; passwordFile: string }) => {
      const file = dbPath(g());
      if (existsSync(file)) throw new AppErrorException(appError('database_exists', { file }));
      const password = readFirstLine(o.passwordFile, 'password');
      const input = { userId: o.admin.trim().toLowerCase(), printedName: (o.adminName ?? o.admin).trim(), password };
      if (!/^[a-z0-9][a-z0-9._-]{1,39}$/.test(input.userId)) {
        throw new AppErrorException(
          appError('invalid_input', { field: 'admin', value: o.admin }, 'errors.user_id_format'),
        );
      }
      const prepared = await prepareFirstAdministrator(input);
      const key = cliKey(g(), true);
      // One database-creation transaction: this host's key, the first administrator and its
      // personal signing key (docs/ledger.md §3.1).
      const ledger = createDatabase(file, storeOptions(g(), key), (l, w) =>
        new IdentityService(l, new SettingsService(l)).writeFirstAdministrator(w, input, prepared),
      );
      try {
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
            personal_key_fingerprint: prepared.key.fingerprint,
            head: { seq: head.seq, hash: head.hash },
          },
          [
            `Created ${file}`,
            `Administrator: ${input.userId} (${input.printedName}), personal signing key ${prepared.key.fingerprint}`,
            `This machine's CLI key fingerprint: ${key.fingerprint}`,
            '',
            `ONE-TIME RECOVERY CODE: ${prepared.recoveryCode}`,
            'Store it offline (e.g. in a sealed envelope in the QA office safe). It is the only way to unlock',
            'the last administrator if it is locked out, on this machine or the desktop app of this database:',
            '  lotseal user unlock --target ID --recovery-code-file FILE   (or - to read it from standard input)',
          ].join('\n'),
        );
      } finally {
        ledger.db.close();
      }
    });

  const user = program.command('user').description('account administration, authenticated as an administrator');
  const adminOpts = (c: Command) =>
    c
      .requiredOption('--user <id>', 'administrator user id')
      .requiredOption('--password-file <file>', "file whose first line is the administrator's password");

  adminOpts(user.command('add').description('create an account (the new user changes the password at first sign-in)'))
    .requiredOption('--new-user <id>', 'new user id')
    .requiredOption('--name <name>', 'printed name')
    .requiredOption('--roles <list>', `comma-separated: ${roles.join(', ')}`)
    .requiredOption('--new-password-file <file>', 'file whose first line is the initial password')
    .action(
      async (o: {
        user: string;
        passwordFile: string;
        newUser: string;
        name: string;
        roles: string;
        newPasswordFile: string;
      }) => {
        const newPassword = readFirstLine(o.newPasswordFile, 'new password');
        const r = parseRoles(o.roles);
        if (isRemote(g())) return remoteUserAdd(g(), { ...o, roles: r, newPassword });
        await withAdmin(g(), o.user, o.passwordFile, async (_l, identity, _actor, signer) => {
          // Signed `enrolled` by the administrator (11.100(b)).
          const u = await identity.createUser(signer, {
            userId: o.newUser.trim().toLowerCase(),
            printedName: o.name,
            roles: r,
            password: newPassword,
          });
          const v = identity.view(u);
          out(
            g(),
            { ok: true, user: v.userId, name: v.printedName, roles: v.roles, status: v.status },
            `Created ${v.userId} (${v.printedName}) with roles ${v.roles.join(', ')}`,
          );
        });
      },
    );

  adminOpts(user.command('list').description('list accounts')).action(
    async (o: { user: string; passwordFile: string }) => {
      if (isRemote(g())) return remoteUserList(g(), o);
      await withAdmin(g(), o.user, o.passwordFile, (_l, identity) => {
        const list = identity.listUsers().map((u) => {
          const v = identity.view(u);
          return {
            user: u.id,
            name: u.printed_name,
            roles: userRoles(u),
            status: v.status,
            key_fingerprint: v.keyFingerprint ?? null,
          };
        });
        out(
          g(),
          list,
          list
            .map((u) => `${u.user.padEnd(20)} ${u.status.padEnd(12)} ${u.roles.join(',').padEnd(30)} ${u.name}`)
            .join('\n'),
        );
      });
    },
  );

  for (const cmd of ['deactivate', 'unlock', 'reset-password'] as const) {
    const c = user
      .command(cmd)
      .description(
        cmd === 'deactivate'
          ? 'deactivate an account (never deleted)'
          : cmd === 'unlock'
            ? 'unlock a locked account'
            : 'set a new password that must be changed at next sign-in',
      );
    c.requiredOption('--target <id>', 'the account')
      .option('--user <id>', 'administrator user id')
      .option('--password-file <file>', "file whose first line is the administrator's password")
      .option('--reason <text>', 'reason recorded in the audit trail');
    if (cmd === 'unlock') {
      c.option(
        '--recovery-code-file <file>',
        "unlock the last administrator with the one-time recovery code read from FILE's first line, or - for standard input (no password)",
      );
      c.option(
        '--recovery-code <code>',
        'the recovery code on the command line (discouraged: other processes can read argv; use --recovery-code-file)',
      );
    }
    if (cmd === 'reset-password') c.option('--new-password-file <file>', 'file whose first line is the new password');
    c.action(
      async (o: {
        target: string;
        user?: string;
        passwordFile?: string;
        reason?: string;
        recoveryCode?: string;
        recoveryCodeFile?: string;
        newPasswordFile?: string;
      }) => {
        const target = o.target.trim().toLowerCase();
        if (cmd === 'unlock' && (o.recoveryCode || o.recoveryCodeFile)) {
          if (o.recoveryCode)
            process.stderr.write(
              `lotseal: ${message({ code: 'invalid_input', messageKey: 'cli.recovery_code_argv' })}\n`,
            );
          if (isRemote(g())) return remoteRecover(g(), { target, recoveryCodeFile: o.recoveryCodeFile! });
          const code = o.recoveryCodeFile ? readSecret(o.recoveryCodeFile, 'recovery code') : o.recoveryCode!;
          const key = cliKey(g(), true);
          const ledger = openDatabase(dbPath(g()), storeOptions(g(), key));
          try {
            // The code is checked before anything is written; a wrong one writes nothing to the
            // database and counts toward a lockout; a recovery never registers a key.
            const identity = new IdentityService(ledger, new SettingsService(ledger));
            const r = await identity.unlockWithRecoveryCode(target, code);
            out(
              g(),
              { ok: true, user: target, status: r.user.status, new_recovery_code: r.newRecoveryCode },
              `Unlocked ${target}.\nNEW ONE-TIME RECOVERY CODE: ${r.newRecoveryCode} (the old one is used up; store this one offline)`,
            );
          } finally {
            ledger.db.close();
          }
          return;
        }
        if (!o.user || !o.passwordFile) {
          throw new AppErrorException(
            appError('invalid_input', { field: '--user/--password-file' }, 'errors.cli_admin_required'),
          );
        }
        const reason = o.reason ?? `${cmd} from the command line`;
        const newPassword = cmd === 'reset-password' ? readFirstLine(o.newPasswordFile ?? '', 'new password') : '';
        if (isRemote(g()))
          return remoteUserAction(g(), cmd, {
            user: o.user,
            passwordFile: o.passwordFile,
            target,
            reason,
            newPassword,
          });
        await withAdmin(g(), o.user, o.passwordFile, async (_l, identity, actor, signer) => {
          const u =
            cmd === 'deactivate'
              ? identity.deactivate(actor, target, reason)
              : cmd === 'unlock'
                ? identity.unlock(actor, target, reason)
                : await identity.resetPassword(signer, target, newPassword, reason);
          const v = identity.view(u);
          out(g(), { ok: true, user: u.id, status: v.status }, `${target}: ${v.status}`);
        });
      },
    );
  }

  user
    .command('passwd')
    .description('change your own password (the only command that accepts an initial, reset or expired password)')
    .requiredOption('--user <id>', 'your user id')
    .requiredOption('--password-file <file>', 'file whose first line is your current password')
    .requiredOption('--new-password-file <file>', 'file whose first line is the new password')
    .action(async (o: { user: string; passwordFile: string; newPasswordFile: string }) => {
      if (isRemote(g())) return remotePasswd(g(), o);
      const current = readFirstLine(o.passwordFile, 'password');
      const next = readFirstLine(o.newPasswordFile, 'new password');
      const key = cliKey(g(), true);
      const ledger = openDatabase(dbPath(g()), storeOptions(g(), key));
      try {
        const identity = new IdentityService(ledger, new SettingsService(ledger));
        const u = await identity.changeOwnPassword(o.user.trim().toLowerCase(), current, next);
        const k = identity.activeKey(u.id);
        out(
          g(),
          { ok: true, user: u.id, key_fingerprint: k?.fingerprint ?? null },
          `Password changed for ${u.id}.${k ? ` Personal signing key: ${k.fingerprint}` : ''}`,
        );
      } finally {
        ledger.db.close();
      }
    });

  const host = program.command('host').description("this machine's signing key in a database");
  host
    .command('enrol')
    .description(
      "create this machine's CLI key if needed and register it, an administrator authenticating (signature `enrolled`)",
    )
    .requiredOption('--user <id>', 'administrator user id')
    .requiredOption('--password-file <file>', "file whose first line is the administrator's password")
    .option('--name <name>', 'the name recorded for this host (default: the machine name)')
    .option(
      '--kind <kind>',
      "which of this machine's keys: cli (default) or server (the site server's own key, on its database)",
      'cli',
    )
    .action(async (o: { user: string; passwordFile: string; name?: string; kind: string }) => {
      if (o.kind !== 'cli' && o.kind !== 'server')
        throw new AppErrorException(appError('invalid_input', { field: '--kind', value: o.kind }));
      if (isRemote(g())) {
        if (o.kind !== 'cli')
          throw new AppErrorException(appError('invalid_input', { field: '--kind', value: o.kind }));
        // Through a site server: this machine's CLI key is made here (its private half never
        // leaves), its PUBLIC key registered on the server, the administrator authenticating.
        const t = siteTarget(g());
        const password = readFirstLine(o.passwordFile, 'password');
        const dir = dataDir(g());
        const key = hostKeyExists(dir, 'cli')
          ? remoteKey(g())
          : createHostKey(dir, 'cli', hostname(), passphraseProtector(passphrase(g())), Date.now());
        // Loaded here: the CLI loads a command's modules when it runs (D-116).
        const { enrolHostKey } = await import('../remote/site-join');
        const r = await enrolHostKey(t, key, { user: o.user, password, ...(o.name ? { name: o.name } : {}) });
        out(
          g(),
          { ok: true, key_id: r.keyId, fingerprint: r.fingerprint, seq: r.seq, server: t.url, host: r.host },
          `Enrolled this host (${r.host}) with ${t.url}: key ${r.fingerprint}`,
        );
        return;
      }
      if (o.kind === 'server') {
        // The site server's own key (it signs every checkpoint the server writes), registered
        // on the server's database by an administrator at the server.
        const dir = dataDir(g());
        const protector = passphraseProtector(passphrase(g()));
        const key = hostKeyExists(dir, 'server')
          ? loadHostKey(dir, 'server', protector)
          : createHostKey(dir, 'server', hostname(), protector, Date.now());
        await withAdmin(g(), o.user, o.passwordFile, (ledger, identity, _actor, signer) => {
          const r = enrolHost(
            ledger,
            identity,
            signer,
            { id: key.id, publicKey: key.publicKey, fingerprint: key.fingerprint, host: key.host, hostKind: 'server' },
            { name: o.name, thisHost: false },
          );
          out(
            g(),
            { ok: true, key_id: r.keyId, fingerprint: r.fingerprint, seq: r.seq, kind: 'server' },
            `Enrolled this machine's site-server key (${o.name ?? key.host}): ${r.fingerprint}`,
          );
        });
        return;
      }
      await withAdmin(g(), o.user, o.passwordFile, (ledger, identity, _actor, signer) => {
        const key = ledger.hostKey!;
        const r = enrolHost(
          ledger,
          identity,
          signer,
          {
            id: key.id,
            publicKey: key.publicKey,
            fingerprint: key.fingerprint,
            host: key.host,
            hostKind: key.hostKind,
          },
          { name: o.name, thisHost: true },
        );
        out(
          g(),
          { ok: true, key_id: r.keyId, fingerprint: r.fingerprint, seq: r.seq },
          `Enrolled this host (${o.name ?? key.host}): key ${r.fingerprint}`,
        );
      });
    });
  host
    .command('acknowledge-rollback')
    .description(
      "an administrator records, signed, that this host's anchor is ahead of the database (it was replaced by an older copy); writing resumes",
    )
    .requiredOption('--user <id>', 'administrator user id')
    .requiredOption('--password-file <file>', "file whose first line is the administrator's password")
    .requiredOption('--reason <text>', 'why the older database is kept (recorded and signed)')
    .action(async (o: { user: string; passwordFile: string; reason: string }) => {
      if (o.reason.trim().length < 3)
        throw new AppErrorException(appError('invalid_input', { field: '--reason' }, 'errors.reason_required'));
      // Through a site server: the server's anchor and database (D-105).
      if (isRemote(g())) return remoteAcknowledgeRollback(g(), o);
      await withAdmin(g(), o.user, o.passwordFile, (ledger, identity, _actor, signer) => {
        const c = ledger.anchorConflict();
        const r = acknowledgeRollback(ledger, identity, signer, o.reason.trim());
        out(
          g(),
          {
            ok: true,
            finding: c?.finding ?? null,
            anchor_seq: c?.anchor.seq ?? null,
            db_seq: c?.dbSeq ?? null,
            seq: r.seq,
          },
          `Recorded: this host's anchor was at #${c?.anchor.seq}, the database ends at #${c?.dbSeq}. Writing resumes.`,
        );
      });
    });

  program
    .command('verify')
    .description(
      "verify the hash chain, checkpoint and personal signatures, the signed-change rules and every stored record against the audit trail, and this host's anchor",
    )
    .option(
      '--anchor <file>',
      "a workstation's anchor file: the last head it signed (default: this host's anchor for the database)",
    )
    .option('--no-anchor', "do not compare with this host's anchor")
    .option(
      '--witness <seq:hash>',
      'a head printed on paper (e.g. from a COA QR code) that the chain must hold; repeatable',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--user <id>', 'the verifying user, when --server is given (qa_manager, inspector or administrator)')
    .option('--password-file <file>', "the user's password file (first line), when --server is given")
    .action(async (o: { anchor?: string | false; witness: string[]; user?: string; passwordFile?: string }) => {
      if (isRemote(g())) return remoteVerify(g(), o);
      const file = dbPath(g());
      if (!existsSync(file)) throw new AppErrorException(appError('database_missing', { file }));
      const witnesses = o.witness.map((w) => {
        const p = parseWitness(w);
        if (!p)
          throw new AppErrorException(
            appError('invalid_input', { field: '--witness', value: w }, 'errors.witness_unreadable'),
          );
        return { seq: p.seq, hash: p.hash };
      });
      let anchor: Anchor | null = null;
      let anchorSource: string = 'none';
      if (typeof o.anchor === 'string') {
        anchor = readAnchorFile(o.anchor);
        if (!anchor)
          throw new AppErrorException(appError('invalid_input', { file: o.anchor }, 'errors.anchor_unreadable'));
        anchorSource = o.anchor;
      } else if (o.anchor !== false) {
        // By default: this host's anchor of this database (issue 18 §6).
        const id = databaseId(file);
        const store = AnchorStore.forDataDir(dataDir(g()));
        anchor = id ? store.read(id) : null;
        if (anchor && id) anchorSource = store.file(id);
      }
      const report = await verifyFile(file, {
        skewMs: 5 * 60_000,
        anchor,
        witnesses,
        onProgress: (phase, done, total) => {
          if (process.stderr.isTTY) process.stderr.write(`\r${phase} ${done}/${total}   `);
        },
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      const keys = listKeys(file);
      const personal = listPersonalKeys(file);
      out(
        g(),
        {
          ...report,
          anchor: anchor ? { file: anchorSource, seq: anchor.seq, hash: anchor.hash } : null,
          keys,
          personal_keys: personal,
        },
        [
          report.ok
            ? `OK: ${report.entries} entries, ${report.checkpoints} checkpoints verified through #${report.verified_through}`
            : `PROBLEMS FOUND (${report.findings.length}):`,
          ...report.findings.map(
            (f) =>
              `  ${f.kind}${f.seq !== null ? ` at #${f.seq}` : ''}${f.entity ? ` ${f.entity} ${f.id}` : ''}: ${f.detail}`,
          ),
          `Personal signatures verified: ${report.signatures ?? 0}; made before personal keys (legacy, not checked): ${report.legacy_signatures ?? 0}`,
          ...(report.upgrade_keys?.length
            ? [
                'Personal keys registered by their users at the upgrade (no administrator enrolment):',
                ...report.upgrade_keys.map((u) => `  ${u.user} key ${u.key} at #${u.seq}`),
              ]
            : []),
          anchor
            ? `Anchor: #${anchor.seq} (${anchorSource})`
            : o.anchor === false
              ? 'Anchor: not checked (--no-anchor)'
              : 'Anchor: none on this host for this database',
          ...(witnesses.length ? [`Witnesses checked: ${witnesses.map((w) => `#${w.seq}`).join(', ')}`] : []),
          'Host signing keys on record:',
          ...keys.map((k) => `  ${k.fingerprint} ${k.host}${k.valid_to ? ` (until ${k.valid_to})` : ''}`),
          'Personal signing keys on record:',
          ...personal.map(
            (k) => `  ${k.fingerprint} ${k.user} (${k.enrolment}${k.valid_to ? `, retired ${k.valid_to}` : ''})`,
          ),
          `Elapsed: ${report.elapsed_ms} ms`,
        ].join('\n'),
      );
      if (!report.ok) throw new Exit(1);
    });

  program
    .command('backup')
    .description('copy the database with SQLite online backup (the app may be running), verify the copy, then report')
    .requiredOption('--out <file>', 'backup file to create (never overwritten)')
    .option('--user <id>', 'an administrator, when --server is given (the copy is made and verified on the server)')
    .option('--password-file <file>', "the user's password file (first line), when --server is given")
    .action(async (o: { out: string; user?: string; passwordFile?: string }) => {
      if (isRemote(g())) return remoteBackup(g(), o);
      const file = dbPath(g());
      if (!existsSync(file)) throw new AppErrorException(appError('database_missing', { file }));
      const r = await backupDatabase(file, o.out, { skewMs: 5 * 60_000 });
      out(
        g(),
        { ok: true, out: r.out, entries: r.entries, bytes: r.bytes, elapsed_ms: r.elapsed_ms },
        `Backup written and verified: ${r.out} (${r.entries} entries, ${r.bytes} bytes)`,
      );
    });

  // Further commands register here, one module each under ./commands/ (import, trace, …).
  registerImportCommand(program, g);
  registerTraceCommand(program, g);
  registerInstrumentCommands(program, g);
  registerDrillCommand(program, g);
  registerExportCommand(program, g);
  registerServeCommand(program, g);

  return program;
}

function databaseId(file: string): string | null {
  try {
    const db = openSqlite(file, { readonly: true });
    try {
      return databaseIdIn(db);
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

const isoOf = (ms: number): string => new Date(ms).toISOString();

function listPersonalKeys(file: string): Array<{
  id: string;
  fingerprint: string;
  user: string;
  enrolment: string;
  valid_from: string;
  valid_to: string | null;
}> {
  try {
    const db = openSqlite(file, { readonly: true });
    try {
      return identityQueriesOf(db)
        .allPersonalKeys()
        .map((k) => ({
          id: k.id,
          fingerprint: k.fingerprint,
          user: k.user_id,
          enrolment: k.enrolment === 'init' || k.enrolment === 'upgrade' ? k.enrolment : 'enrolled',
          valid_from: isoOf(k.valid_from),
          valid_to: k.valid_to === null ? null : isoOf(k.valid_to),
        }));
    } finally {
      db.close();
    }
  } catch {
    return [];
  }
}

function listKeys(
  file: string,
): Array<{ id: string; fingerprint: string; host: string; valid_from: string; valid_to: string | null }> {
  try {
    const db = openSqlite(file, { readonly: true });
    try {
      return identityQueriesOf(db)
        .signingKeys()
        .map((k) => ({
          id: k.id,
          fingerprint: k.fingerprint,
          host: `${k.host_kind}@${k.host}`,
          valid_from: isoOf(k.valid_from),
          valid_to: k.valid_to === null ? null : isoOf(k.valid_to),
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
    const err =
      e instanceof AppErrorException
        ? e.error
        : appError('internal', { message: e instanceof Error ? e.message : String(e) });
    const msg = message(err);
    process.stderr.write(`lotseal: ${msg}\n`);
    if (json)
      process.stdout.write(
        JSON.stringify({ ok: false, error: err.code, message: msg, details: err.details ?? {} }) + '\n',
      );
    // A problem found while running (none yet besides verify) is 1; failing to run is 2.
    return 2;
  }
}
