import type { TestItem } from '../../../shared/rules';
import type { Db } from '../../db/database';
import type { ItemRules } from '.';
import { json, lazy } from './edge';

/*
 * Intake's questions that span other capabilities' tables, each kept as ONE statement here on
 * purpose (issue 21: a genuine cross-capability join answers the capability whose question it
 * is). Each joins intake's own records (raw_milk_intake, intake_appeal) with the lots, samples
 * and results they are about:
 * - the bench's queue (tankers received but not yet taken in) is the absence of an intake for
 *   a received lot: `NOT EXISTS` over intake's table, which lots cannot know;
 * - late failures (results of accepted tankers that failed after the acceptance) compare a
 *   result's submission with intake's decision instant;
 * - supplier performance counts intakes, inspections' failed results and appeals over the
 *   suppliers' lots of a period.
 * Asking lots, samples and testing one by one instead would turn each into one statement per
 * lot or per sample (an N+1 over a supplier's year). Every other read of another capability's
 * table goes through its owner's front door (./owners.ts).
 */

export interface LateFailedRow {
  lot_code: string;
  supplier_code: string;
  item_rules: ItemRules;
  result_id: string;
  item: TestItem;
  reported: string | null;
  submitted_at: number;
}

function spanningStatements(db: Db) {
  return {
    awaiting: lazy(() =>
      db.prepare<[], { lot_code: string; supplier_code: string | null; received_at: number | null }>(
        `SELECT l.code AS lot_code, l.supplier_code, r.received_at FROM lot l JOIN receipt r ON r.id = l.receipt_id
         WHERE l.kind = 'raw_milk' AND l.retired = 0 AND l.status = 'quarantine' AND NOT EXISTS (SELECT 1 FROM raw_milk_intake i WHERE i.lot_code = l.code)
         ORDER BY r.received_at LIMIT 200`,
      ),
    ),
    performanceIntakes: lazy(() =>
      db.prepare<[string, string, string], { status: string; reject_causes: string | null; month: string }>(
        `SELECT i.status, i.reject_causes, substr(l.lot_date,1,7) AS month FROM raw_milk_intake i JOIN lot l ON l.code = i.lot_code WHERE i.supplier_code = ? AND i.retired = 0 AND substr(l.lot_date,1,10) BETWEEN ? AND ?`,
      ),
    ),
    performanceInspections: lazy(() =>
      db.prepare<[string, string, string], { failed: number }>(
        `SELECT s.id, (SELECT count(*) FROM test_result r WHERE r.sample_id = s.id AND r.retired = 0 AND r.verdict = 'fail' AND r.status IN ('submitted','reviewed','invalidated')) AS failed
           FROM sample s JOIN lot l ON l.code = s.lot_code WHERE s.kind = 'incoming_inspection' AND s.parent_sample_id IS NULL AND s.status <> 'cancelled' AND l.supplier_code = ? AND substr(l.lot_date,1,10) BETWEEN ? AND ?`,
      ),
    ),
    performanceAppeals: lazy(() =>
      db.prepare<[string, string, string], { outcome: string | null }>(
        'SELECT outcome FROM intake_appeal a JOIN lot l ON l.code = a.lot_code WHERE a.supplier_code = ? AND a.retired = 0 AND substr(l.lot_date,1,10) BETWEEN ? AND ?',
      ),
    ),
  };
}

export function spanningReads(db: Db) {
  const q = spanningStatements(db);
  return {
    /** lots × intake: tankers received in quarantine with no intake started (the bench's queue). */
    awaitingIntake: () => q.awaiting().all(),
    /**
     * intake × samples × testing: results of accepted tankers that failed after the acceptance
     * (submitted or reviewed, retrospective tests), oldest first.
     */
    lateFailedResults: (lotCode?: string): LateFailedRow[] =>
      db
        .prepare<unknown[], Omit<LateFailedRow, 'item' | 'item_rules'> & { item: string; item_rules: string | null }>(
          `SELECT i.lot_code, i.supplier_code, i.item_rules, r.id AS result_id, r.item, r.reported, r.submitted_at
         FROM raw_milk_intake i JOIN sample s ON s.code = i.sample_code JOIN test_result r ON r.sample_id = s.id
         WHERE i.retired = 0 AND i.status = 'accepted' ${lotCode ? 'AND i.lot_code = ?' : ''}
           AND r.retired = 0 AND r.verdict = 'fail' AND r.status IN ('submitted', 'reviewed') AND r.submitted_at >= i.decided_at
         ORDER BY r.submitted_at, r.position`,
        )
        .all(...(lotCode ? [lotCode] : []))
        .map((r) => ({ ...r, item_rules: json<ItemRules>(r.item_rules, {}), item: JSON.parse(r.item) as TestItem })),
    /** intake × lots: a supplier's intakes whose lot date falls in the period. */
    performanceIntakes: (supplierCode: string, from: string, to: string) =>
      q
        .performanceIntakes()
        .all(supplierCode, from, to)
        .map((r) => ({ status: r.status, month: r.month, causes: json<string[]>(r.reject_causes, []) })),
    /** samples × testing × lots: per incoming inspection of the supplier's lots in the period, its failed results. */
    performanceInspections: (supplierCode: string, from: string, to: string) =>
      q.performanceInspections().all(supplierCode, from, to),
    /** intake × lots: the outcomes of the supplier's appeals on lots dated in the period. */
    performanceAppeals: (supplierCode: string, from: string, to: string) =>
      q.performanceAppeals().all(supplierCode, from, to),
  };
}
