/**
 * The front door of testing (issue 21): what other capabilities and the composition root use.
 * - samples: `planSample` (a registered sample's plan, in its transaction);
 * - instruments: `row`, `item`, `view`, `views`, `applyCapture`, `standingOfSample`,
 *   `typedOnInstrument`, and `T` / `asResult` (captures name results);
 * - disposition: `completeness`, `blockingOos`, `microStatus`;
 * - intake, environment: the hooks testing calls (`TestingHooks`), given by the composition root.
 */
export { TestingService } from './testing-service';
export type { TestingHooks, ValueInstrumentGuard } from './context';
export type { EntryInput } from './entry';
export type { MicroHoldView, MicroLotStatus } from './micro';
export { T } from './entities';
export { asResult, type ResultRecord } from './queries';
export type { TestingOwners } from './queries';
export { testingReads, type TestingReads, type LabelResultRow, type LotResultRow, type LotInvestigationRow, type PanelResultRow, type SwabResultRow } from './queries';
