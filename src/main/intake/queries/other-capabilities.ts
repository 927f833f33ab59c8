import type { TestItem } from '../../../shared/rules';
import type { Db } from '../../db/database';
import type { ItemRules } from '.';
import { json, lazy } from './edge';

/*
 * Reads of other capabilities' tables (to move behind their front doors): lots (lot, receipt,
 * batch), catalog (supplier), samples (sample), testing (test_result), release-evidence
 * (retention_withdrawal) and the ledger's audit_entry (the history of a supplier's sampling
 * level). Each becomes a call to the owner's src/main/<capability>/index.ts when it offers it.
 */

export interface LotRow {
  id: string;
  code: string;
  kind: string;
  status: string;
  supplier_code: string | null;
  receipt_id: string | null;
  quantity: string;
  unit: string;
  lot_date: string;
}
export interface ReceiptRow {
  vehicle: string | null;
  farms: string[];
  temperature: string | null;
  received_at: number | null;
  condition: string | null;
}
export interface PanelResultRow {
  id: string;
  item: TestItem & { screen?: boolean };
  verdict: 'pass' | 'fail' | 'invalid' | null;
  status: string;
  reported: string | null;
  submitted_at: number | null;
}
export interface LateFailedRow {
  lot_code: string;
  supplier_code: string;
  item_rules: ItemRules;
  result_id: string;
  item: TestItem;
  reported: string | null;
  submitted_at: number;
}
export interface RetentionWithdrawalRow {
  id: string;
  sample_code: string;
  quantity: string;
  unit: string;
  withdrawn_at: number;
}

function otherCapabilityStatements(db: Db) {
  return {
    supplierExists: lazy(() => db.prepare<[string], 1>('SELECT 1 FROM supplier WHERE code = ? AND retired = 0')),
    supplierName: lazy(() => db.prepare<[string], { name: string }>('SELECT name FROM supplier WHERE code = ?')),
    samplingHistory: lazy(() =>
      db.prepare<[string], { at: number; actor: string; content: string; reason: string | null }>(
        "SELECT at, actor, content, reason FROM audit_entry WHERE entity = 'supplier_sampling' AND entity_id = ? ORDER BY seq DESC LIMIT 200",
      ),
    ),
    lot: lazy(() => db.prepare<[string], LotRow>('SELECT * FROM lot WHERE code = ? AND retired = 0')),
    lotId: lazy(() => db.prepare<[string], { id: string }>('SELECT id FROM lot WHERE code = ?')),
    lotKind: lazy(() => db.prepare<[string], { kind: string }>('SELECT kind FROM lot WHERE code = ? AND retired = 0')),
    lotSupplier: lazy(() =>
      db.prepare<[string], { supplier_code: string | null }>('SELECT supplier_code FROM lot WHERE code = ?'),
    ),
    lotBatch: lazy(() =>
      db.prepare<[string], { item_name: string | null; batch_code: string | null; line: string | null }>(
        'SELECT l.item_name, l.batch_id, b.code AS batch_code, b.line FROM lot l LEFT JOIN batch b ON b.id = l.batch_id WHERE l.code = ?',
      ),
    ),
    receipt: lazy(() =>
      db.prepare<
        [string],
        {
          vehicle: string | null;
          farms: string | null;
          temperature: string | null;
          received_at: number | null;
          condition: string | null;
        }
      >('SELECT * FROM receipt WHERE id = ?'),
    ),
    awaiting: lazy(() =>
      db.prepare<[], { lot_code: string; supplier_code: string | null; received_at: number | null }>(
        `SELECT l.code AS lot_code, l.supplier_code, r.received_at FROM lot l JOIN receipt r ON r.id = l.receipt_id
         WHERE l.kind = 'raw_milk' AND l.retired = 0 AND l.status = 'quarantine' AND NOT EXISTS (SELECT 1 FROM raw_milk_intake i WHERE i.lot_code = l.code)
         ORDER BY r.received_at LIMIT 200`,
      ),
    ),
    tankerSample: lazy(() =>
      db.prepare<[string], { code: string }>(
        "SELECT code FROM sample WHERE lot_code = ? AND kind = 'raw_milk_tanker' AND status <> 'cancelled' AND parent_sample_id IS NULL ORDER BY taken_at LIMIT 1",
      ),
    ),
    retentionSampleLot: lazy(() =>
      db.prepare<[string], { lot_code: string }>("SELECT lot_code FROM sample WHERE code = ? AND kind = 'retention'"),
    ),
    panelResults: lazy(() =>
      db.prepare<[string], Omit<PanelResultRow, 'item'> & { item: string }>(
        "SELECT * FROM test_result WHERE sample_id = ? AND retired = 0 AND status <> 'invalidated' ORDER BY position, attempt",
      ),
    ),
    retentionWithdrawal: lazy(() =>
      db.prepare<[string], RetentionWithdrawalRow>('SELECT * FROM retention_withdrawal WHERE id = ?'),
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

export function otherCapabilityReads(db: Db) {
  const q = otherCapabilityStatements(db);
  return {
    /** catalog: an active supplier of that code exists. */
    supplierExists: (code: string): boolean => !!q.supplierExists().get(code),
    /** catalog: the supplier's name. */
    supplierName: (code: string): string | null => q.supplierName().get(code)?.name ?? null,
    /** catalog: the active suppliers (one, or all), by code. */
    suppliers: (code?: string): Array<{ code: string; name: string; kind: string }> =>
      db
        .prepare<
          unknown[],
          { code: string; name: string; kind: string }
        >(`SELECT code, name, kind FROM supplier WHERE retired = 0 ${code ? 'AND code = ?' : ''} ORDER BY code`)
        .all(...(code ? [code] : [])),
    /** ledger: the audit entries of a supplier's sampling record, newest first (its history). */
    samplingHistory: (id: string) =>
      q
        .samplingHistory()
        .all(id)
        .map((e) => ({
          at: e.at,
          actor: e.actor,
          reason: e.reason,
          content: JSON.parse(e.content) as Record<string, unknown>,
        })),
    /** lots: the lot of that code (not retired). */
    lot: (code: string): LotRow | undefined => q.lot().get(code),
    lotId: (code: string): string | undefined => q.lotId().get(code)?.id,
    lotKind: (code: string): string | undefined => q.lotKind().get(code)?.kind,
    lotSupplier: (code: string): string | null => q.lotSupplier().get(code)?.supplier_code ?? null,
    /** lots: a lot's item name and its batch (code, line). */
    lotBatch: (code: string) => q.lotBatch().get(code),
    /** lots: the receipt of a tanker. */
    receipt: (id: string): ReceiptRow | undefined => {
      const r = q.receipt().get(id);
      return r && { ...r, farms: json<string[]>(r.farms, []) };
    },
    /** lots × intake: tankers received in quarantine with no intake started (the bench's queue). */
    awaitingIntake: () => q.awaiting().all(),
    /** samples: the tanker's own sample (the first, not a split, not cancelled). */
    tankerSample: (lotCode: string): string | undefined => q.tankerSample().get(lotCode)?.code,
    /** samples: the lot of a retention sample. */
    retentionSampleLot: (code: string): string | undefined => q.retentionSampleLot().get(code)?.lot_code,
    /** testing: the standing results of a sample (not invalidated), in plan order, items parsed. */
    panelResults: (sampleId: string): PanelResultRow[] =>
      q
        .panelResults()
        .all(sampleId)
        .map((r) => ({ ...r, item: JSON.parse(r.item) as PanelResultRow['item'] })),
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
    /** release-evidence: a retention withdrawal. */
    retentionWithdrawal: (id: string) => q.retentionWithdrawal().get(id),
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
