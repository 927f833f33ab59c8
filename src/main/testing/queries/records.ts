import type { Db } from '../../db/database';
import type { Row } from '../../ledger/entities';
import { chunked } from './results';
import { lazy } from './statement';

/** A result's attachment (table `result_attachment`). */
export type AttachmentRecord = Row & {
  result_id: string;
  file_name: string;
  media_type: string;
  bytes: number;
  sha256: string;
  added_by: string;
  added_at: number;
  note: string | null;
};

/** A method's replicate and repeatability rule (table `method_rule`). */
export type MethodRuleRecord = Row & {
  method_code: string;
  replicates: number;
  repeatability: 'none' | 'absolute' | 'relative';
  repeatability_limit: string | null;
  note: string | null;
};

/** A recorded change of a failing verdict (table `verdict_change`, issue 19 §4). */
export type VerdictChangeRecord = Row & {
  result_id: string;
  sample_code: string;
  lot_code: string | null;
  item_code: string;
  method_code: string | null;
  from_verdict: string;
  to_verdict: string | null;
  from_reported: string | null;
  to_reported: string | null;
  reason: string;
  via: string;
  changed_by: string;
  changed_at: number;
};

/** Ledger rows of `result_attachment` and `method_rule` seen with their columns' types (the tables' schema is the proof). */
export function asAttachment(r: Row): AttachmentRecord;
export function asAttachment(r: Row | undefined): AttachmentRecord | undefined;
export function asAttachment(r: Row | undefined): AttachmentRecord | undefined {
  return r as AttachmentRecord | undefined;
}
export function asMethodRule(r: Row): MethodRuleRecord {
  return r as MethodRuleRecord;
}

export function recordQueries(db: Db) {
  const attachmentCount = lazy<[string], { n: number }>(
    db,
    'SELECT count(*) AS n FROM result_attachment WHERE result_id = ?',
  );
  const attachments = lazy<[string], AttachmentRecord>(
    db,
    'SELECT * FROM result_attachment WHERE result_id = ? ORDER BY added_at',
  );
  const rules = lazy<[], MethodRuleRecord>(db, 'SELECT * FROM method_rule WHERE retired = 0 ORDER BY method_code');
  const ruleOf = lazy<[string], MethodRuleRecord>(db, 'SELECT * FROM method_rule WHERE method_code = ?');
  return {
    attachmentCount: (resultId: string): number => attachmentCount().get(resultId)?.n ?? 0,
    attachmentCounts: (resultIds: readonly string[]): Map<string, number> =>
      new Map(
        chunked(resultIds, 500, (chunk, ph) =>
          db
            .prepare<
              unknown[],
              { result_id: string; n: number }
            >(`SELECT result_id, count(*) AS n FROM result_attachment WHERE result_id IN (${ph}) GROUP BY result_id`)
            .all(...chunk),
        ).map((c) => [c.result_id, c.n]),
      ),
    attachmentsOf: (resultId: string): AttachmentRecord[] => attachments().all(resultId),
    /** The method rules in force (by method code). */
    methodRules: (): MethodRuleRecord[] => rules().all(),
    /** A method's rule, retired or not (one per method forever). */
    methodRule: (methodCode: string): MethodRuleRecord | undefined => ruleOf().get(methodCode),
    verdictChangesOf: (resultIds: readonly string[]): VerdictChangeRecord[] =>
      chunked(resultIds, 500, (chunk, ph) =>
        db
          .prepare<
            unknown[],
            VerdictChangeRecord
          >(`SELECT * FROM verdict_change WHERE result_id IN (${ph}) AND retired = 0 ORDER BY changed_at`)
          .all(...chunk),
      ),
    /** Verdict changes per analyst (who changed) and method in a period, by the given vias. */
    verdictChangesByAnalyst: (lo: number, hi: number, vias: readonly string[]) =>
      db
        .prepare<unknown[], { analyst: string; method: string; changes: number; results: number }>(
          `SELECT changed_by AS analyst, coalesce(method_code, '') AS method, count(*) AS changes, count(DISTINCT result_id) AS results
           FROM verdict_change WHERE retired = 0 AND changed_at BETWEEN ? AND ? AND via IN (${vias.map(() => '?').join(',')})
           GROUP BY changed_by, coalesce(method_code, '')`,
        )
        .all(lo, hi, ...vias),
  };
}
export type RecordQueries = ReturnType<typeof recordQueries>;
