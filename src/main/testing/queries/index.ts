import type { Db } from '../../db/database';
import { auditQueries } from './audit';
import { chartQueries } from './charts';
import { foreignQueries, type TestingOwners } from './foreign';
import { microQueries } from './micro';
import { oosQueries } from './oos';
import { recordQueries } from './records';
import { resultQueries } from './results';

/**
 * Every SQL statement of the testing capability (issue 21), by part: results, OOS
 * investigations, micro holds, charts and QC, attachments / method rules / verdict changes,
 * the audit trail testing decides on, and what testing asks other capabilities (their
 * front doors' reads, `foreign`). Built once per service graph; statements are prepared on
 * first use.
 */
export function testingQueries(db: Db, owners: TestingOwners) {
  return {
    results: resultQueries(db),
    oos: oosQueries(db),
    micro: microQueries(db),
    charts: chartQueries(db, owners),
    records: recordQueries(db),
    audit: auditQueries(db, owners),
    foreign: foreignQueries(owners),
  };
}
export type TestingQueries = ReturnType<typeof testingQueries>;

export { asResult, LOT_RESULT_KINDS, type ResultRecord, type WorklistFilter } from './results';
export { asOos, type OosRecord } from './oos';
export { microHoldOf, type MicroHoldRecord } from './micro';
export { asBaseline, asQcMaterial, asQcResult, type BaselineRecord, type QcMaterialRecord, type QcResultRecord } from './charts';
export { asAttachment, asMethodRule, type AttachmentRecord, type MethodRuleRecord, type VerdictChangeRecord } from './records';
export { VALUE_FIELDS, type CaptureRow, type HistoryRow } from './audit';
export { asSample, type LotRecord, type SampleRecord, type TestingOwners } from './foreign';
export { testingReads, type TestingReads, type LabelResultRow, type LotResultRow, type LotInvestigationRow, type PanelResultRow, type SwabResultRow } from './reads';
