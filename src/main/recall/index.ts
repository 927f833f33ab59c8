/**
 * The recall capability's front door (issue 21): recall drills and real recalls, their
 * findings and evidence, the yearly programme. Other capabilities import only from here.
 * - the composition root: `DrillsService` (built with `RecallDeps`), `openRecalls` for the lot controls;
 * - the CLI (`lotseal drill`): `evidenceHtml` for the pack it writes.
 */
export { DrillsService, type EvidencePack } from './drills-service';
export type { RecallDeps } from './context';
export { evidenceHtml } from './evidence';
export { RC as recallEntities } from './entities';
