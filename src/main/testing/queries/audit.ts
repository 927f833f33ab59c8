import type { Db } from '../../db/database';
import { recordHistory, type RecordTrailRow } from '../../ledger/audit-queries';
import { chunked } from './results';
import { lazy } from './statement';

/**
 * What testing decides on from the audit trail and from instrument captures into results: a
 * record's history, who took part in a result's values (independent review, issue 19 §3), and
 * whether a result was corrected after submission. The audit trail is the ledger's: asked
 * through src/main/ledger/audit-queries.ts (a correction is the ledger's convention, written
 * with `correctionReason`). The captures (table `instrument_capture`, owned by instruments)
 * are still read here: the instruments capability (converted in parallel) offers no read yet.
 */
export type HistoryRow = RecordTrailRow;

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
  const trail = recordHistory(db);
  const usedCaptures = lazy<[string], { id: string; replicate_index: number; value: string | null }>(
    db,
    "SELECT id, replicate_index, value FROM instrument_capture WHERE result_id = ? AND status = 'used' AND retired = 0",
  );
  const earlierCaptures = lazy<[string, number, number], { id: string }>(
    db,
    "SELECT id FROM instrument_capture WHERE result_id = ? AND replicate_index = ? AND status = 'used' AND retired = 0 AND at < ?",
  );
  return {
    history: (entity: string, id: string): HistoryRow[] => trail.trailOf(entity, id),
    /** Whether a result was changed after submission (a correction, in the ledger's terms). */
    corrected: (resultId: string): boolean => trail.wasCorrected('test_result', resultId),
    correctedAmong: (resultIds: readonly string[]): Set<string> => trail.correctedAmong('test_result', resultIds),
    /** The value fields and status of every audit entry of these results, per result in write order. */
    valueEntries: (resultIds: readonly string[]): ValueEntryRow[] =>
      trail.fieldsOfEntries('test_result', resultIds, [...VALUE_FIELDS, 'status'] as const),
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
