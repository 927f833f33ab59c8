/**
 * Release evidence's front door (issue 20 §5): declared label values and the lot comparison,
 * retention profiles, retention samples' withdrawals and observations. Disposition reads the
 * comparison and the retention state for the release checklist; a spot check withdraws from a
 * retention sample inside its own transaction (withdrawIn).
 */
export { ReleaseEvidenceService, type RetentionKept } from './release-evidence-service';
export type { ReleaseEvidenceOwners, WithdrawalRow } from './queries';
export { RE as releaseEvidenceEntities } from './entities';
