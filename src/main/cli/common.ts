import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppErrorException, appError, type AppError } from '../../shared/contract/errors';
import { translate } from '../../shared/i18n';
import { IdentityService, SettingsService, userRoles, type Signer } from '../identity';
import { openDatabase } from '../db/store';
import { AnchorStore } from '../ledger/anchor';
import { loadHostKey, loadOrCreateHostKey, passphraseProtector, type HostKey } from '../ledger/keys';
import type { Ledger } from '../ledger/ledger';
import { defaultDataDir } from '../harness/data-dir';
import type { Services } from '../app/compose';
import { permissionsOf, type Permission } from '../../shared/domain/roles';

/**
 * Shared helpers of the `lotseal` commands (../shared/formats/README.md §2). Exit status:
 * 0 success; 1 the command ran and found a problem; 2 it could not run.
 */
export class Exit extends Error {
  constructor(
    readonly code: number,
    readonly payload?: unknown,
  ) {
    super(`exit ${code}`);
  }
}

export interface Global {
  db?: string;
  json?: boolean;
  keyPassphraseFile?: string;
  dataDir?: string;
}

export function dataDir(g: Global): string {
  return g.dataDir ?? process.env['LOTSEAL_DATA_DIR'] ?? defaultDataDir();
}

export function dbPath(g: Global): string {
  return g.db ?? join(dataDir(g), 'lotseal.db');
}

export function readFirstLine(file: string, what: string): string {
  try {
    const line = readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? '';
    if (!line) throw new Error('empty');
    return line;
  } catch {
    throw new AppErrorException(appError('invalid_input', { file, what }, 'errors.file_unreadable'));
  }
}

export function passphrase(g: Global): string {
  const p = g.keyPassphraseFile
    ? readFirstLine(g.keyPassphraseFile, 'key passphrase')
    : process.env['LOTSEAL_KEY_PASSPHRASE'];
  if (!p) throw new AppErrorException(appError('key_error', {}, 'errors.key_passphrase_missing'));
  return p;
}

export function cliKey(g: Global, create: boolean): HostKey {
  const protector = passphraseProtector(passphrase(g));
  const dir = dataDir(g);
  return create
    ? loadOrCreateHostKey(dir, 'cli', hostname(), protector, Date.now())
    : loadHostKey(dir, 'cli', protector);
}

export function storeOptions(g: Global, key: HostKey) {
  return {
    key,
    workstation: `cli@${hostname()}`,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC',
    anchors: AnchorStore.forDataDir(dataDir(g)),
  };
}

/** The key passphrase's messages (errors.key_passphrase_*), printed in English and Chinese. */
const BOTH_LANGUAGES: ReadonlySet<string> = new Set([
  'errors.key_passphrase_missing',
  'errors.key_passphrase_short',
  'errors.key_passphrase_wrong',
]);

export function message(e: AppError): string {
  const en = translate('en', e.messageKey, e.details ?? {});
  // The key passphrase is set up by whoever installs the CLI on a plant PC: its rules are
  // printed in both languages (issue 18 §8); every other message stays English (formats README).
  if (BOTH_LANGUAGES.has(e.messageKey)) return `${en}\n${translate('zh-CN', e.messageKey, e.details ?? {})}`;
  return en;
}

export function out(g: Global, json: unknown, human: string): void {
  if (g.json) process.stdout.write(JSON.stringify(json, null, 2) + '\n');
  else process.stdout.write(human + '\n');
}

/**
 * This command's services from the one composition root (issue 19 §8): the same rules as the app.
 * Loaded when a command needs them, not at start: the composition root brings every service and
 * its part of the contract (D-116), which `--version`, `verify` or `backup` never use.
 */
export async function cliServices(g: Global, ledger: Ledger): Promise<Services> {
  const { composeServices, findResourcesDir, idleConnections, verificationHealth } = await import('../app/compose');
  return composeServices(ledger, {
    dataDir: dataDir(g),
    resourcesDir: findResourcesDir(),
    pdf: null,
    connections: idleConnections(),
    health: verificationHealth(ledger),
  });
}

/**
 * Opens the database as an authenticated administrator, with the administrator's personal key
 * unsealed (a Signer) for the `enrolled` signatures of account administration. A wrong
 * password: exit 2, the database unchanged byte for byte (the failure counts in the sidecar);
 * an initial, reset or expired password: exit 2 with how to change it; nothing registers a key.
 */
export async function withAdmin<T>(
  g: Global,
  user: string,
  passwordFile: string,
  fn: (
    ledger: Ledger,
    identity: IdentityService,
    actor: { id: string; name: string },
    signer: Signer,
  ) => Promise<T> | T,
): Promise<T> {
  const password = readFirstLine(passwordFile, 'password');
  const key = cliKey(g, true);
  const ledger = openDatabase(dbPath(g), storeOptions(g, key));
  try {
    // Account administration needs identity alone, built as the composition root builds it
    // (IdentityService over SettingsService, as `init` and `user passwd` do): the other services
    // and their contract schemas stay unloaded (D-116).
    const identity = new IdentityService(ledger, new SettingsService(ledger));
    const signer = await identity.authenticateCommand(user.trim().toLowerCase(), password, {
      sign: true,
      check: (u) => {
        if (!userRoles(u).includes('administrator'))
          throw new AppErrorException(appError('forbidden', { permission: 'users.manage' }));
      },
    });
    return await fn(ledger, identity, { id: signer.id, name: signer.printed_name }, signer);
  } finally {
    ledger.db.close();
  }
}

/**
 * Opens the database as an authenticated user holding `permission` (wrong password: exit 2,
 * counted in the sidecar; five failures lock the account for the CLI and the app alike).
 */
export async function withUser<T>(
  g: Global,
  user: string,
  passwordFile: string,
  permission: Permission,
  fn: (
    ledger: Ledger,
    identity: IdentityService,
    actor: { id: string; name: string },
    services: Services,
  ) => Promise<T> | T,
): Promise<T> {
  const password = readFirstLine(passwordFile, 'password');
  const key = cliKey(g, true);
  const ledger = openDatabase(dbPath(g), storeOptions(g, key));
  try {
    const services = await cliServices(g, ledger);
    const u = await services.identity.authenticateCommand(user.trim().toLowerCase(), password, {
      check: (x) => {
        if (!permissionsOf(userRoles(x)).has(permission))
          throw new AppErrorException(appError('forbidden', { permission }));
      },
    });
    return await fn(ledger, services.identity, { id: u.id, name: u.printed_name }, services);
  } finally {
    ledger.db.close();
  }
}

/**
 * A secret from a file's first line, or from standard input with `-` (never from argv, which
 * other processes can read).
 */
export function readSecret(file: string, what: string): string {
  if (file !== '-') return readFirstLine(file, what);
  try {
    const line = readFileSync(0, 'utf8').split(/\r?\n/)[0]?.trim() ?? '';
    if (!line) throw new Error('empty');
    return line;
  } catch {
    throw new AppErrorException(appError('invalid_input', { file: 'stdin', what }, 'errors.file_unreadable'));
  }
}
