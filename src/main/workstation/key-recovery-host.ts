import { channelNames, type ChannelName } from '../../shared/contract';
import { appError, fail } from '../../shared/contract/errors';
import { Dispatcher, type DispatcherLog, type HandlerTable } from '../dispatcher/dispatcher';
import type { HostKind, KeyProtector } from '../ledger/keys';
import {
  MIN_KEY_PASSPHRASE,
  keySeal,
  replaceHostKey,
  unlockWithPassphrase,
  type KeyProblem,
  type OsProtection,
} from './host-key-access';
import { passphraseProtector } from '../ledger/keys';

/**
 * What the desktop serves while its signing key cannot be opened (issue 24 §5, D-042): a
 * dispatcher with the real contract, sender check and validation, whose only working
 * channels are app.status (which reports errors.host_key_locked, so the renderer shows the
 * key screen), app.setLocale and the hostKey.* recovery. Everything else answers
 * errors.host_key_locked. When the key opens (passphrase) or is replaced, `onOpened` gets the
 * protector and the shell starts the real core in its place.
 */
export interface KeyRecoveryOptions {
  readonly dataDir: string;
  readonly kind: HostKind;
  readonly host: string;
  readonly version: string;
  readonly problem: KeyProblem;
  /** Asked again on every action: a keyring may have come up since the start. */
  readonly os: () => OsProtection;
  readonly log: DispatcherLog & { info(msg: string, data?: unknown): void };
  readonly logFile: string | null;
  /** Per-machine data folder on Linux: a passphrase-sealed key is shared with the folder's group. */
  readonly shareKeyWithGroup?: boolean;
  readonly clock?: () => number;
  onOpened(protector: KeyProtector, how: 'unlocked' | 'replaced'): void;
}

export function createKeyRecoveryDispatcher(opts: KeyRecoveryOptions): Dispatcher {
  const clock = opts.clock ?? Date.now;
  let problem = opts.problem;
  let opened = false;
  const locked = () => appError('key_error', { reason: problem.reason, file: problem.file }, 'errors.host_key_locked');
  const refuse = (): never => fail('key_error', { reason: problem.reason }, 'errors.host_key_locked');
  const table: Record<string, unknown> = Object.fromEntries(channelNames.map((n: ChannelName) => [n, refuse]));
  const handlers = {
    ...table,
    'app.status': () => ({
      initialized: false,
      version: opts.version,
      host: `${opts.kind}@${opts.host}`,
      keyFingerprint: null,
      workstationRegistered: false,
      databaseId: null,
      ledger: null,
      error: locked(),
    }),
    'app.setLocale': () => ({ ok: true as const }),
    'hostKey.status': () => ({
      state: 'locked' as const,
      seal: keySeal(opts.dataDir, opts.kind),
      reason: problem.reason,
      detail: problem.detail,
      fingerprint: null,
      osProtection: opts.os().available,
      minPassphrase: MIN_KEY_PASSPHRASE,
      dataDir: opts.dataDir,
      logFile: opts.logFile,
    }),
    'hostKey.unlock': ({ passphrase }: { passphrase: string }) => {
      if (opened) fail('conflict', {}, 'errors.key_already_open');
      const { protector, key } = unlockWithPassphrase(opts.dataDir, opts.kind, passphrase);
      opened = true;
      opts.log.info('workstation key opened with its passphrase', { fingerprint: key.fingerprint });
      opts.onOpened(protector, 'unlocked');
      return { ok: true as const, fingerprint: key.fingerprint };
    },
    'hostKey.replace': ({ protection, passphrase }: { protection: 'os' | 'passphrase'; passphrase?: string }) => {
      if (opened) fail('conflict', {}, 'errors.key_already_open');
      let protector: KeyProtector;
      if (protection === 'os') {
        const os = opts.os();
        if (!os.available) fail('key_error', { why: os.why }, 'errors.key_os_unavailable');
        protector = os.protector;
      } else {
        if (!passphrase)
          fail('invalid_input', { field: 'passphrase', min: MIN_KEY_PASSPHRASE }, 'errors.key_passphrase_short');
        protector = passphraseProtector(passphrase);
      }
      const { key, keptAs } = replaceHostKey(opts.dataDir, opts.kind, opts.host, protector, clock(), {
        shareWithGroup: opts.shareKeyWithGroup ?? false,
      });
      opened = true;
      problem = { ...problem, detail: 'replaced' };
      opts.log.info('workstation key replaced; an administrator must register the new key', {
        fingerprint: key.fingerprint,
        keptAs,
        protection,
        reason: opts.problem.reason,
      });
      opts.onOpened(protector, 'replaced');
      return { ok: true as const, fingerprint: key.fingerprint, keptAs };
    },
  } as unknown as HandlerTable;
  return new Dispatcher(handlers, { current: () => null, touch: () => undefined }, opts.log, clock);
}
