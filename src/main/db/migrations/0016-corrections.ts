import { changedFields, CORRECTION_PREFIX } from '../../ledger/corrections';
import { E } from '../../ledger/entities';
import type { LedgerWriter } from '../../ledger/ledger';
import type { Db } from '../database';

/**
 * Migration 0016: corrections as data (issue 21 point 1, D-073). SHIPPED MIGRATIONS NEVER CHANGE.
 *
 * - correction: one record per record corrected after submission, written by the ledger in the
 *   transaction of the corrected change (docs/ledger.md §1.1): the record (`entity`,
 *   `entity_id`), the columns the correction changed (`fields`, JSON array), the audit sequence
 *   number of the record's entry before the correction (`original_seq`) and of its last
 *   corrected entry (`correction_seq`), the reason, who and when. Append only. Whether a result
 *   was corrected is read from here, no longer inferred from the audit reason's text.
 *
 * The backfill (`backfill` below, run in the migration's own ledger transaction) records the
 * corrections made before this migration, so old databases keep showing them: the updates of
 * test results whose reason testing wrote as `correction: <why>` (the one convention, and test
 * results the only records whose "corrected" state was ever read from it; an ERP import's reason
 * typed by a user is not a correction of this kind), one record per record and transaction, with
 * the same `original_seq`, `correction_seq` and `fields` the write path computes now. It reads
 * the results' trail once (by the entity index); afterwards nothing reads the reason text.
 */
export const sql = `
CREATE TABLE correction (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  fields TEXT NOT NULL,
  original_seq INTEGER NOT NULL,
  correction_seq INTEGER NOT NULL,
  reason TEXT NOT NULL,
  corrected_by TEXT NOT NULL,
  corrected_at INTEGER NOT NULL
);
CREATE INDEX correction_record ON correction (entity, entity_id);
CREATE INDEX correction_seq ON correction (correction_seq);
`;

interface CorrectedEntry {
  seq: number;
  at: number;
  actor: string;
  entity: string;
  entity_id: string;
  reason: string;
  content: string;
  /** The checkpoint that closes the entry's transaction (docs/ledger.md §3.3). */
  tx: number | null;
}

/** Records, as `correction` records, the corrections the trail holds from before migration 0016. */
export function backfill(w: LedgerWriter, db: Db): void {
  const entries = db
    .prepare<[{ prefix: string; head: number }], CorrectedEntry>(
      `SELECT a.seq, a.at, a.actor, a.entity, a.entity_id, a.reason, a.content,
              (SELECT min(c.seq) FROM checkpoint c WHERE c.seq >= a.seq) AS tx
         FROM audit_entry a
        WHERE a.entity = 'test_result' AND a.action = 'update' AND a.seq <= @head
          AND substr(a.reason, 1, length(@prefix)) = @prefix
        ORDER BY a.seq`,
    )
    .all({ prefix: CORRECTION_PREFIX, head: w.head.seq });
  const groups = new Map<string, { first: CorrectedEntry; last: CorrectedEntry }>();
  for (const e of entries) {
    const key = `${e.tx ?? `seq ${e.seq}`}\u0000${e.entity}\u0000${e.entity_id}`;
    const g = groups.get(key);
    if (g) g.last = e;
    else groups.set(key, { first: e, last: e });
  }
  const before = db.prepare<[string, string, number], { seq: number; content: string }>(
    'SELECT seq, content FROM audit_entry WHERE entity = ? AND entity_id = ? AND seq < ? ORDER BY seq DESC LIMIT 1',
  );
  for (const { first, last } of groups.values()) {
    const original = before.get(first.entity, first.entity_id, first.seq);
    const fields = changedFields(
      original ? (JSON.parse(original.content) as Record<string, unknown>) : {},
      JSON.parse(last.content) as Record<string, unknown>,
    );
    w.create(
      E.correction,
      {
        entity: first.entity,
        entity_id: first.entity_id,
        fields: JSON.stringify(fields),
        original_seq: original?.seq ?? 0,
        correction_seq: last.seq,
        reason: first.reason.slice(CORRECTION_PREFIX.length),
        corrected_by: first.actor,
        corrected_at: first.at,
      },
      { reason: `migration 0016: correction at entry ${last.seq} recorded from the audit trail` },
    );
  }
}
