import { fail } from '../../shared/contract/errors';
import type { HandlersOf } from '../dispatcher/handler-kit';
import type { HostKind } from '../ledger/keys';
import { keySeal, MIN_KEY_PASSPHRASE } from './host-key-access';

/** What the key channels of a running core need: where the data is, the host's kind and key. */
export interface WorkstationHandlerDeps {
  dataDir: string;
  hostKind: HostKind;
  fingerprint: string;
}

/**
 * The key channels of a running core: the key is open, so status says so and the recovery
 * actions are refused (replacing the key of a working workstation is an administrator's
 * enrolment, Trust I, not a pre-sign-in action). The locked desktop serves them from
 * key-recovery-host.ts instead.
 */
export function workstationHandlers(use: () => WorkstationHandlerDeps): HandlersOf<'hostKey'> {
  return {
    'hostKey.status': () => {
      const { dataDir, hostKind, fingerprint } = use();
      const seal = keySeal(dataDir, hostKind);
      return {
        state: 'open',
        seal,
        reason: null,
        detail: null,
        fingerprint,
        osProtection: seal === 'os',
        minPassphrase: MIN_KEY_PASSPHRASE,
        dataDir,
        logFile: null,
      };
    },
    'hostKey.unlock': () => fail('conflict', {}, 'errors.key_already_open'),
    'hostKey.replace': () => fail('conflict', {}, 'errors.key_already_open'),
  };
}
