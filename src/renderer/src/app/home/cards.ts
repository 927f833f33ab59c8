import type { ComponentType } from 'react';
import type { SessionView } from '../../../../shared/contract';
import {
  LedgerStatusCard,
  LockedAccountsCard,
  OpenFindingsCard,
  SpecsAwaitingCard,
  WorkstationKeyCard,
} from './home-cards';
import { LotsAwaitingDecisionCard, OpenBatchesCard } from '../../features/lots/lots-cards';
import { LotsAwaitingReleaseCard } from '../../features/disposition/disposition-cards';
import {
  RetentionDueCard,
  RetentionMissingCard,
  SwabsDueCard,
  UnreceivedCard,
} from '../../features/samples/samples-cards';
import { ConfirmedOosCard, OpenOosCard, ResultsToReviewCard } from '../../features/testing/review/testing-cards';
import { OverdueAppealsCard, TankersAwaitingCard } from '../../features/intake/intake-cards';
import { OpenEnvAlertsCard } from '../../features/environment/env-cards';
import { InstrumentsAttentionCard } from '../../features/instruments/instruments-cards';
import { DrillsDueCard, OpenRecallsCard } from '../../features/recall/drills-cards';
import { SetupCard } from '../setup-guide/setup-card';
import { InspectorCard, MyTestsCard } from './waiting';

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
  // A real recall in progress comes first, for everyone.
  { key: 'open-recalls', show: has('lots.read'), Component: OpenRecallsCard },
  // While the plant is being set up: the guide's next step (shown only to whom a step is open).
  { key: 'setup', show: () => true, Component: SetupCard },
  { key: 'my-tests', show: has('results.enter'), Component: MyTestsCard },
  { key: 'inspector', show: (s) => s.roles.includes('inspector'), Component: InspectorCard },
  { key: 'findings', show: has('ledger.reviewFinding'), Component: OpenFindingsCard },
  { key: 'specs-awaiting', show: has('specs.approve'), Component: SpecsAwaitingCard },
  { key: 'results-review', show: has('results.review'), Component: ResultsToReviewCard },
  { key: 'oos-open', show: has('oos.investigate'), Component: OpenOosCard },
  { key: 'oos-confirmed', show: has('oos.conclude'), Component: ConfirmedOosCard },
  { key: 'release-queue', show: has('lots.decide'), Component: LotsAwaitingReleaseCard },
  { key: 'lots-awaiting', show: has('lots.decide'), Component: LotsAwaitingDecisionCard },
  { key: 'drills-due', show: has('lots.decide'), Component: DrillsDueCard },
  { key: 'open-batches', show: has('lots.record'), Component: OpenBatchesCard },
  { key: 'tankers-awaiting', show: (s) => s.roles.includes('technician'), Component: TankersAwaitingCard },
  { key: 'appeals-overdue', show: has('intake.reject'), Component: OverdueAppealsCard },
  {
    key: 'env-alerts',
    show: (s) => s.roles.includes('technician') || s.roles.includes('qa_manager'),
    Component: OpenEnvAlertsCard,
  },
  {
    key: 'instruments-attention',
    show: (s) => s.roles.includes('technician') || s.roles.includes('qa_manager'),
    Component: InstrumentsAttentionCard,
  },
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
