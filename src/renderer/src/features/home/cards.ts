import type { ComponentType } from 'react';
import type { SessionView } from '../../../../shared/contract';
import { LedgerStatusCard, LockedAccountsCard, OpenFindingsCard, WorkstationKeyCard } from './home-cards';

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
  { key: 'locked-accounts', show: has('users.manage'), Component: LockedAccountsCard },
  { key: 'ledger', show: () => true, Component: LedgerStatusCard },
  {
    key: 'workstation-key',
    show: (s) => s.roles.includes('administrator') || s.roles.includes('inspector'),
    Component: WorkstationKeyCard,
  },
];
