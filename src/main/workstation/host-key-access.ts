import { chmodSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppErrorException, appError } from '../../shared/contract/errors';
import {
  createHostKey,
  keyFilePath,
  loadHostKey,
  MIN_KEY_PASSPHRASE,
  passphraseProtector,
  type HostKey,
  type HostKind,
  type KeyProtector,
} from '../ledger/keys';

/**
 * Opening this workstation's signing key before the app core starts (issue 24 §5,
 * docs/decisions.md D-042). The desktop key is sealed either by the operating system
 * (safeStorage: DPAPI on Windows, the keyring on Linux) or with a passphrase. When it cannot
 * be opened, the app does not exit: it explains why and offers the documented recovery —
 * the passphrase of a passphrase-sealed key, or a new key for this workstation (the old file
 * is kept, never deleted), which an administrator then registers (enrols).
 *
 * Pure Node (the OS protector is passed in), so the rules are tested without Electron.
 */
export type KeySeal = 'os' | 'passphrase' | 'none' | 'damaged';

export type KeyProblemReason =
  /** The key is sealed by the OS, and this session has no OS protection (no keyring, basic_text). */
  | 'os_unavailable'
  /** The OS could not open it: another Windows account, a password reset by an administrator, a copied data folder. */
  | 'os_decrypt_failed'
  /** The key is sealed with a passphrase: someone must type it (every start). */
  | 'passphrase_required'
  /** First start without any OS protection: a passphrase-sealed key must be chosen. */
  | 'no_protection'
  /** The key file cannot be read as a key. */
  | 'damaged';

export interface KeyProblem {
  readonly reason: KeyProblemReason;
  readonly seal: KeySeal;
  /** What the OS or the file said, for the log and the dialog's details. */
  readonly detail: string;
  readonly file: string;
}

/** How the key file says it is sealed, without opening it. */
export function keySeal(dataDir: string, kind: HostKind): KeySeal {
  const file = keyFilePath(dataDir, kind);
  if (!existsSync(file)) return 'none';
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { sealed?: { kdf?: unknown } };
    const kdf = parsed.sealed?.kdf;
    if (kdf === 'safeStorage') return 'os';
    if (typeof kdf === 'string' && kdf.startsWith('scrypt')) return 'passphrase';
    return 'damaged';
  } catch {
    return 'damaged';
  }
}

/** The OS key protection as the desktop shell sees it: a protector, or why there is none. */
export type OsProtection = { available: true; protector: KeyProtector } | { available: false; why: string };

function message(e: unknown): string {
  if (e instanceof AppErrorException)
    return `${e.error.messageKey}${e.error.details ? ` ${JSON.stringify(e.error.details)}` : ''}`;
  return e instanceof Error ? e.message : String(e);
}

/**
 * Decides whether the core can start with the OS protector: yes when the key opens (or is
 * created on a first start with OS protection); otherwise the problem to show.
 */
export function probeHostKey(
  dataDir: string,
  kind: HostKind,
  os: OsProtection,
): { ok: true; protector: KeyProtector } | { ok: false; problem: KeyProblem } {
  const file = keyFilePath(dataDir, kind);
  const seal = keySeal(dataDir, kind);
  const problem = (reason: KeyProblemReason, detail: string): { ok: false; problem: KeyProblem } => ({
    ok: false,
    problem: { reason, seal, detail, file },
  });
  switch (seal) {
    case 'none':
      return os.available ? { ok: true, protector: os.protector } : problem('no_protection', os.why);
    case 'damaged':
      return problem('damaged', 'the key file is not a sealed LotSeal key');
    case 'passphrase':
      return problem('passphrase_required', 'sealed with a passphrase');
    case 'os': {
      if (!os.available) return problem('os_unavailable', os.why);
      try {
        loadHostKey(dataDir, kind, os.protector);
        return { ok: true, protector: os.protector };
      } catch (e) {
        return problem('os_decrypt_failed', message(e));
      }
    }
  }
}

/** Opens a passphrase-sealed key; a wrong passphrase is errors.key_passphrase_wrong, nothing changes. */
export function unlockWithPassphrase(
  dataDir: string,
  kind: HostKind,
  passphrase: string,
): { protector: KeyProtector; key: HostKey } {
  const protector = passphraseProtector(passphrase);
  if (keySeal(dataDir, kind) !== 'passphrase') {
    throw new AppErrorException(
      appError('conflict', { seal: keySeal(dataDir, kind) }, 'errors.key_not_passphrase_sealed'),
    );
  }
  return { protector, key: loadHostKey(dataDir, kind, protector) };
}

/**
 * Replaces this workstation's key with a new one sealed by `protector`. The file that could
 * not be opened is kept beside it (`<kind>.key.json.unopened-<time>`), never deleted: the
 * records it signed stay verifiable (its public key is registered in the ledger) and an
 * administrator may still recover it. The new key signs nothing until an administrator
 * registers it (Trust I: enrolment of the host).
 */
export function replaceHostKey(
  dataDir: string,
  kind: HostKind,
  host: string,
  protector: KeyProtector,
  now: number,
  opts: { shareWithGroup?: boolean } = {},
): { key: HostKey; keptAs: string | null } {
  const file = keyFilePath(dataDir, kind);
  let keptAs: string | null = null;
  if (existsSync(file)) {
    keptAs = `${file}.unopened-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
    renameSync(file, keptAs);
  }
  try {
    const key = createHostKey(dataDir, kind, host, protector, now);
    // A passphrase-sealed key in a per-machine folder on Linux is opened by every lab
    // account that knows the passphrase (members of the folder's group, D-042).
    if (opts.shareWithGroup && protector.kind === 'passphrase' && process.platform !== 'win32') {
      chmodSync(dirname(file), 0o2750);
      chmodSync(file, 0o640);
    }
    return { key, keptAs };
  } catch (e) {
    if (keptAs && !existsSync(file)) renameSync(keptAs, file);
    throw e;
  }
}

export { MIN_KEY_PASSPHRASE };
