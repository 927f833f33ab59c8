import type { ComponentType } from 'react';
import type { SessionView } from '../../../../shared/contract';
import {
  LedgerStatusCard,
  LockedAccountsCard,
  OpenFindingsCard,
  SpecsAwaitingCard,
  WorkstationKeyCard,
} from './home-cards';
import { LotsAwaitingDecisionCard, OpenBatchesCard } from '../lots/lots-cards';
import { RetentionDueCard, RetentionMissingCard, SwabsDueCard, UnreceivedCard } from '../samples/samples-cards';

/**
 * "What needs me now": every capability adds its cards here. A card is shown when `show`
 * says the session's roles or permissions make it that person's work.
 */
export interface HomeCard {
  key: string;
  show: (s: SessionView) => boolean;
  Component: ComponentType;
}

const has = (p: string) => (s: SessionView) => s.permissions.includes(p);

export const homeCards: HomeCard[] = [
  { key: 'findings', show: has('ledger.reviewFinding'), Component: OpenFindingsCard },
  { key: 'specs-awaiting', show: has('specs.approve'), Component: SpecsAwaitingCard },
  { key: 'lots-awaiting', show: has('lots.decide'), Component: LotsAwaitingDecisionCard },
  { key: 'open-batches', show: has('lots.record'), Component: OpenBatchesCard },
  { key: 'swabs-due', show: (s) => s.roles.includes('technician'), Component: SwabsDueCard },
  { key: 'samples-unreceived', show: (s) => s.roles.includes('technician'), Component: UnreceivedCard },
  { key: 'retention-due', show: has('samples.dispose'), Component: RetentionDueCard },
  { key: 'retention-missing', show: has('samples.dispose'), Component: RetentionMissingCard },
  { key: 'locked-accounts', show: has('users.manage'), Component: LockedAccountsCard },
  { key: 'ledger', show: () => true, Component: LedgerStatusCard },
  {
    key: 'workstation-key',
    show: (s) => s.roles.includes('administrator') || s.roles.includes('inspector'),
    Component: WorkstationKeyCard,
  },
];
