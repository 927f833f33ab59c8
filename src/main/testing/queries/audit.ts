import type { Db } from '../../db/database';
import { chunked } from './results';
import { lazy } from './statement';

/**
 * Reads of the audit trail (the ledger's `audit_entry`) and of instrument captures into
 * results that testing decides on: a record's history, who took part in a result's values
 * (independent review, issue 19 §3), and whether a result was corrected after submission.
 */
export interface HistoryRow {
  seq: number;
  at: number;
  actor: string;
  actor_name: string | null;
  action: string;
  reason: string | null;
  /** JSON: the record as written. */
  content: string;
}

/** The value fields of a result whose change makes a person a contributor (independence.ts). */
export const VALUE_FIELDS = [
  'replicates',
  'unit_values',
  'value',
  'reported',
  'verdict',
  'external_lab',
  'external_report_no',
] as const;
export type ValueField = (typeof VALUE_FIELDS)[number];

export type ValueEntryRow = Record<ValueField | 'status', string | number | null> & {
  entity_id: string;
  actor: string;
};

/** A capture into a result (table `instrument_capture`, owned by instruments) with its instrument's code. */
export interface CaptureRow {
  id: string;
  result_id: string;
  replicate_index: number;
  value: string | null;
  unit: string | null;
  status: 'used' | 'typed_over';
  typed_over_reason: string | null;
  flagged: number;
  flag_reason: string | null;
  instrument_code: string;
}

export function auditQueries(db: Db) {
  const history = lazy<[string, string], HistoryRow>(
    db,
    'SELECT seq, at, actor, actor_name, action, reason, content FROM audit_entry WHERE entity = ? AND entity_id = ? ORDER BY seq',
  );
  const correctedOne = lazy<[string], { one: number }>(
    db,
    "SELECT 1 AS one FROM audit_entry WHERE entity = 'test_result' AND entity_id = ? AND reason LIKE 'correction: %' LIMIT 1",
  );
  const usedCaptures = lazy<[string], { id: string; replicate_index: number; value: string | null }>(
    db,
    "SELECT id, replicate_index, value FROM instrument_capture WHERE result_id = ? AND status = 'used' AND retired = 0",
  );
  const earlierCaptures = lazy<[string, number, number], { id: string }>(
    db,
    "SELECT id FROM instrument_capture WHERE result_id = ? AND replicate_index = ? AND status = 'used' AND retired = 0 AND at < ?",
  );
  const fields = VALUE_FIELDS.map((f) => `json_extract(content, '$.${f}') AS ${f}`).join(', ');
  return {
    history: (entity: string, id: string): HistoryRow[] => history().all(entity, id),
    /** Whether a result was changed after submission (its audit entries say `correction: …`). */
    corrected: (resultId: string): boolean => !!correctedOne().get(resultId),
    correctedAmong: (resultIds: readonly string[]): Set<string> =>
      new Set(
        chunked(resultIds, 500, (chunk, ph) =>
          db
            .prepare<
              unknown[],
              { entity_id: string }
            >(`SELECT DISTINCT entity_id FROM audit_entry WHERE entity = 'test_result' AND entity_id IN (${ph}) AND reason LIKE 'correction: %'`)
            .all(...chunk),
        ).map((c) => c.entity_id),
      ),
    /** The value fields and status of every audit entry of these results, per result in write order. */
    valueEntries: (resultIds: readonly string[]): ValueEntryRow[] =>
      chunked(resultIds, 400, (chunk, ph) =>
        db
          .prepare<unknown[], ValueEntryRow>(
            `SELECT entity_id, actor, ${fields}, json_extract(content, '$.status') AS status FROM audit_entry
             WHERE entity = 'test_result' AND entity_id IN (${ph}) ORDER BY entity_id, seq`,
          )
          .all(...chunk),
      ),
    /** Who captured into these results (every capture, used or typed over). */
    capturers: (resultIds: readonly string[]) =>
      chunked(resultIds, 400, (chunk, ph) =>
        db
          .prepare<
            unknown[],
            { result_id: string; by_user: string }
          >(`SELECT result_id, by_user FROM instrument_capture WHERE result_id IN (${ph})`)
          .all(...chunk),
      ),
    captures: (resultIds: readonly string[]): CaptureRow[] =>
      chunked(resultIds, 500, (chunk, ph) =>
        db
          .prepare<unknown[], CaptureRow>(
            `SELECT c.*, ins.code AS instrument_code FROM instrument_capture c JOIN instrument ins ON ins.id = c.instrument_id
             WHERE c.result_id IN (${ph}) AND c.retired = 0 ORDER BY c.at`,
          )
          .all(...chunk),
      ),
    /** The captures a result's replicates now use. */
    usedCaptures: (resultId: string) => usedCaptures().all(resultId),
    /** Captures of a replicate made before `at` and still used (superseded by a new capture). */
    earlierCaptures: (resultId: string, replicate: number, at: number): string[] =>
      earlierCaptures()
        .all(resultId, replicate, at)
        .map((c) => c.id),
  };
}
export type AuditQueries = ReturnType<typeof auditQueries>;
