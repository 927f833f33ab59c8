/**
 * Disposition's front door (issue 11, issue 21): the lot's release checklist (the pure checks
 * of src/shared/rules/readiness.ts on facts gathered once per lot), the signed decisions and
 * the guard every positive decision passes (LotDecisionGate), the lot's audit-trail review,
 * the certificate of analysis and the dossier.
 */
export { DispositionService, type LedgerHealth, type ScopeRef } from './disposition-service';
export { CoaService, type CoaSources, type PrintedDocument } from './coa';
export { coaHtml, dossierHtml, dossierRunning, type CoaData, type DossierSection } from './documents';
export { DP as dispositionEntities } from './entities';
export type { DispositionOwners } from './queries/statements';
