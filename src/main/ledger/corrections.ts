import type { Db } from '../db/database';
import type { Row } from './entities';

/**
 * Corrections as data (D-073). A correction is a change to a record after it was submitted
 * (ALCOA+: the original stays visible in the trail). The service says so when it makes the
 * change (`w.update(def, id, patch, { correction: why })`); the ledger then writes, in the same
 * transaction, one `correction` record per corrected record (docs/ledger.md §1.1). Whether a
 * record was corrected is read from those records, never from the audit reason's text.
 *
 * The audit entry's reason still reads `correction: <why>` (what a reader of the trail has
 * always seen); it is written here and nowhere else.
 */
export const CORRECTION_PREFIX = 'correction: ';

/** The audit reason of a corrected change. */
export function correctionReason(why: string): string {
  return `${CORRECTION_PREFIX}${why}`;
}

/**
 * The columns whose values differ between two contents of one record (`rev` left out; an
 * absent key counts as NULL, docs/ledger.md §5.1), sorted. Verification computes the same from
 * the audit contents of `original_seq` and `correction_seq`.
 */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  keys.delete('rev');
  return [...keys].filter((k) => (before[k] ?? null) !== (after[k] ?? null)).sort();
}

/** A correction record as its readers use it (`fields` parsed). */
export interface CorrectionRow {
  id: string;
  entity: string;
  entity_id: string;
  fields: string[];
  original_seq: number;
  correction_seq: number;
  reason: string;
  corrected_by: string;
  corrected_at: number;
}

function inChunks<T, K>(ids: readonly K[], size: number, run: (chunk: K[], ph: string) => T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += size) {
    const chunk = ids.slice(i, i + size);
    out.push(...run(chunk, chunk.map(() => '?').join(',')));
  }
  return out;
}

/**
 * The reads of the `correction` records (the ledger's table): the capabilities whose records
 * are corrected (testing's results) ask through their queries modules.
 */
export function correctionReads(db: Db) {
  let one: ReturnType<typeof prepareOne> | undefined;
  let of: ReturnType<typeof prepareOf> | undefined;
  function prepareOne() {
    return db.prepare<[string, string], { one: number }>(
      'SELECT 1 AS one FROM correction WHERE entity = ? AND entity_id = ? AND retired = 0 LIMIT 1',
    );
  }
  function prepareOf() {
    return db.prepare<[string, string], Omit<CorrectionRow, 'fields'> & { fields: string }>(
      'SELECT id, entity, entity_id, fields, original_seq, correction_seq, reason, corrected_by, corrected_at FROM correction WHERE entity = ? AND entity_id = ? AND retired = 0 ORDER BY correction_seq',
    );
  }
  return {
    /** Whether a record was corrected after submission. */
    wasCorrected: (entity: string, entityId: string): boolean => !!(one ??= prepareOne()).get(entity, entityId),
    /** Which of these records were corrected after submission. */
    correctedAmong: (entity: string, ids: readonly string[]): Set<string> =>
      new Set(
        inChunks(ids, 500, (chunk, ph) =>
          db
            .prepare<
              unknown[],
              { entity_id: string }
            >(`SELECT DISTINCT entity_id FROM correction WHERE entity = ? AND retired = 0 AND entity_id IN (${ph})`)
            .all(entity, ...chunk),
        ).map((c) => c.entity_id),
      ),
    /** Which of these audit entries are corrections (their `correction_seq`). */
    correctionSeqsAmong: (seqs: readonly number[]): Set<number> =>
      new Set(
        inChunks(seqs, 500, (chunk, ph) =>
          db
            .prepare<
              unknown[],
              { correction_seq: number }
            >(`SELECT correction_seq FROM correction WHERE retired = 0 AND correction_seq IN (${ph})`)
            .all(...chunk),
        ).map((c) => c.correction_seq),
      ),
    /** The corrections of one record, oldest first. */
    correctionsOf: (entity: string, entityId: string): CorrectionRow[] =>
      (of ??= prepareOf()).all(entity, entityId).map((r) => ({ ...r, fields: JSON.parse(r.fields) as string[] })),
  };
}
export type CorrectionReads = ReturnType<typeof correctionReads>;

/** What the ledger keeps of a record corrected in the current transaction. */
export interface PendingCorrection {
  entity: string;
  entityId: string;
  originalSeq: number;
  before: Row;
  after: Row;
  correctionSeq: number;
  reason: string;
}
