import { fail } from '../../shared/contract/errors';
import type { AppCore } from '../app/core';
import type { HandlerTable } from '../dispatcher/dispatcher';
import { keySeal, MIN_KEY_PASSPHRASE } from './host-key-access';

type WorkstationHandlers = Pick<HandlerTable, Extract<keyof HandlerTable, `hostKey.${string}`>>;

/**
 * The key channels of a running core: the key is open, so status says so and the recovery
 * actions are refused (replacing the key of a working workstation is an administrator's
 * enrolment, Trust I, not a pre-sign-in action). The locked desktop serves them from
 * key-recovery-host.ts instead.
 */
export function workstationHandlers(core: AppCore): WorkstationHandlers {
  return {
    'hostKey.status': () => {
      const seal = keySeal(core.dataDir, core.hostKind);
      return {
        state: 'open',
        seal,
        reason: null,
        detail: null,
        fingerprint: core.key.fingerprint,
        osProtection: seal === 'os',
        minPassphrase: MIN_KEY_PASSPHRASE,
        dataDir: core.dataDir,
        logFile: null,
      };
    },
    'hostKey.unlock': () => fail('conflict', {}, 'errors.key_already_open'),
    'hostKey.replace': () => fail('conflict', {}, 'errors.key_already_open'),
  };
}
