import type { Db } from '../../db/database';
import { recordHistory, type RecordTrailRow } from '../../ledger/audit-queries';
import { correctionReads } from '../../ledger/corrections';
import type { InstrumentReads, ResultCaptureRow } from '../../instruments';

/**
 * What testing decides on from the audit trail and from instrument captures into results: a
 * record's history, who took part in a result's values (independent review, issue 19 §3), and
 * whether a result was corrected after submission. The audit trail is the ledger's: asked
 * through src/main/ledger/audit-queries.ts; a correction is a `correction` record the ledger
 * writes with the corrected change (D-073), asked through src/main/ledger/corrections.ts. The captures (table `instrument_capture`) are instruments': asked
 * through its front door (`instrumentReads`, given by the composition root).
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

/** A capture into a result with its instrument's code (asked of instruments: `instrumentReads`). */
export type CaptureRow = ResultCaptureRow;

/** What the audit part asks instruments (the composition root passes `instrumentReads`). */
export type AuditOwners = {
  instruments: Pick<InstrumentReads, 'capturers' | 'resultCaptures' | 'usedCaptures' | 'earlierCaptures'>;
};

export function auditQueries(db: Db, o: AuditOwners) {
  const trail = recordHistory(db);
  const corrections = correctionReads(db);
  return {
    history: (entity: string, id: string): HistoryRow[] => trail.trailOf(entity, id),
    /** Whether a result was changed after submission (it has a `correction` record, D-073). */
    corrected: (resultId: string): boolean => corrections.wasCorrected('test_result', resultId),
    correctedAmong: (resultIds: readonly string[]): Set<string> => corrections.correctedAmong('test_result', resultIds),
    /** The value fields and status of every audit entry of these results, per result in write order. */
    valueEntries: (resultIds: readonly string[]): ValueEntryRow[] =>
      trail.fieldsOfEntries('test_result', resultIds, [...VALUE_FIELDS, 'status'] as const),
    /** Who captured into these results (every capture, used or typed over). */
    capturers: (resultIds: readonly string[]) => o.instruments.capturers(resultIds),
    captures: (resultIds: readonly string[]): CaptureRow[] => o.instruments.resultCaptures(resultIds),
    /** The captures a result's replicates now use. */
    usedCaptures: (resultId: string) => o.instruments.usedCaptures(resultId),
    /** The other captures a replicate still uses (superseded by the capture `current` applied now). */
    earlierCaptures: (resultId: string, replicate: number, current: string): string[] =>
      o.instruments.earlierCaptures(resultId, replicate, current),
  };
}
export type AuditQueries = ReturnType<typeof auditQueries>;
