/**
 * The evidence exports' front door (issue 21): the evidence folder and the audit-trail CSV,
 * run in a worker thread (evidence-runner.ts) and recorded in the audit trail.
 */
export { runExportJob, resolveEvidenceWorker } from './evidence-runner';
export { exportAuditCsv, AUDIT_CSV_HEADER, REDACTED } from './audit-csv';
export { exportEvidence } from './evidence-export';
export { keyRegistrations } from './keys-report';
