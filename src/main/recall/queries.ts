import type { Statement } from 'better-sqlite3';
import type { z } from 'zod';
import type { DrillView, drillDetailSchema, productGroups as groups } from '../../shared/contract/channels/recall';
import type { Db } from '../db/database';
import type { Row } from '../ledger/entities';
import type { OpenRecall } from '../lots';

/**
 * Every SQL statement of the recall capability (recall_drill, drill_step, drill_finding,
 * recall_contact, drill_plan), as typed statements prepared on first use. Rows are typed and
 * their JSON columns parsed here, at the edge: the services read `drill.root_lot`, never
 * `row['root_lot'] as string`.
 */

type Detail = z.infer<typeof drillDetailSchema>;
export type Direction = DrillView['direction'];
export type Step = Detail['steps'][number]['step'];
/** A product group of the programme: a product stage of finished lots, or a lot kind. */
export type ProductGroup = (typeof groups)[number];

/** What a completed drill froze at its signed completion (the `result` column). */
export interface FrozenResult {
  lots: Detail['lots'];
  customers: Detail['customers'];
  massBalance: Detail['massBalance'];
  documents: Detail['documents'];
}

/** A drill or recall (migration 0010), its JSON columns parsed. */
export interface DrillRecord {
  id: string;
  rev: number;
  retired: number;
  code: string;
  mode: DrillView['mode'];
  root_lot: string;
  direction: Direction;
  selection: DrillView['selection'];
  selection_criteria: Record<string, string> | null;
  reason: string | null;
  started_at: number;
  started_by: string;
  target_minutes: number;
  tolerance_min: string;
  tolerance_max: string;
  status: DrillView['status'];
  completed_at: number | null;
  completed_by: string | null;
  elapsed_ms: number | null;
  accounted_pct: string | null;
  result: FrozenResult | null;
  plan_id: string | null;
}
type DrillStored = Omit<DrillRecord, 'selection_criteria' | 'result'> & {
  selection_criteria: string | null;
  result: string | null;
};

export interface StepRecord {
  id: string;
  drill_id: string;
  step: Step;
  done_at: number;
  done_by: string;
  summary: Record<string, unknown>;
}
type StepStored = Omit<StepRecord, 'summary'> & { summary: string };

export interface FindingRecord {
  id: string;
  rev: number;
  drill_id: string;
  kind: string;
  ref: string;
  detail: string;
  explanation: string | null;
}

/** A ledger row of `drill_finding` seen with its columns' types (the table's schema is the proof). */
export function asFinding(row: Row): FindingRecord;
export function asFinding(row: Row | undefined): FindingRecord | undefined;
export function asFinding(row: Row | undefined): FindingRecord | undefined {
  return row as FindingRecord | undefined;
}

export interface ContactRecord {
  id: string;
  drill_id: string;
  customer_code: string;
  at: number;
  by_user: string;
  channel: Detail['customers'][number]['contacts'][number]['channel'];
  outcome: Detail['customers'][number]['contacts'][number]['outcome'];
  note: string | null;
}

export interface PlanRecord {
  id: string;
  rev: number;
  year: number;
  product_group: ProductGroup;
  direction: Direction;
  due_on: string;
  drill_id: string | null;
}

/** A decision signed on a lot, as the drill's documents list names it. */
export interface LotSignatureRow {
  meaning: string;
  printed_name: string;
  signed_at: number;
}

/** A typed statement prepared on first use (and kept for the life of the opened database). */
function lazy<P extends unknown[], R>(db: Db, sql: string, pluck = false): () => Statement<P, R> {
  let s: Statement<P, R> | undefined;
  return () => (s ??= pluck ? db.prepare<P, R>(sql).pluck() : db.prepare<P, R>(sql));
}

function asDrill(r: DrillStored): DrillRecord {
  return {
    ...r,
    selection_criteria: r.selection_criteria ? (JSON.parse(r.selection_criteria) as Record<string, string>) : null,
    result: r.result ? (JSON.parse(r.result) as FrozenResult) : null,
  };
}

export function recallQueries(db: Db) {
  const openRecalls = lazy<[], OpenRecall>(
    db,
    "SELECT code, root_lot AS rootLot, direction FROM recall_drill WHERE mode = 'recall' AND status = 'open' AND retired = 0 ORDER BY code",
  );
  const drillByCode = lazy<[string], DrillStored>(db, 'SELECT * FROM recall_drill WHERE code = ? AND retired = 0');
  const codeTaken = lazy<[string], number>(db, 'SELECT 1 FROM recall_drill WHERE code = ?', true);
  const completedOfMode = lazy<[string], DrillStored>(
    db,
    "SELECT * FROM recall_drill WHERE mode = ? AND status = 'completed' AND retired = 0 ORDER BY completed_at",
  );
  const findingCount = lazy<[string], number>(
    db,
    'SELECT count(*) AS n FROM drill_finding WHERE drill_id = ? AND retired = 0',
    true,
  );
  const unexplainedCount = lazy<[string], number>(
    db,
    'SELECT count(*) AS n FROM drill_finding WHERE drill_id = ? AND retired = 0 AND explanation IS NULL',
    true,
  );
  const findings = lazy<[string], FindingRecord>(
    db,
    'SELECT * FROM drill_finding WHERE drill_id = ? AND retired = 0 ORDER BY rowid',
  );
  const findingExists = lazy<[string, string, string], number>(
    db,
    'SELECT 1 FROM drill_finding WHERE drill_id = ? AND kind = ? AND ref = ? AND retired = 0',
    true,
  );
  const sameKindUnexplained = lazy<[string, string, string], string>(
    db,
    'SELECT id FROM drill_finding WHERE drill_id = ? AND kind = ? AND explanation IS NULL AND retired = 0 AND id <> ?',
    true,
  );
  const steps = lazy<[string], StepStored>(db, 'SELECT * FROM drill_step WHERE drill_id = ? ORDER BY done_at, rowid');
  const stepsDone = lazy<[string], string>(db, 'SELECT DISTINCT step FROM drill_step WHERE drill_id = ?', true);
  const contacts = lazy<[string], ContactRecord>(db, 'SELECT * FROM recall_contact WHERE drill_id = ? ORDER BY at');
  const planOfYear = lazy<[number], PlanRecord & { drill_code: string | null; drill_status: string | null }>(
    db,
    'SELECT p.*, d.code AS drill_code, d.status AS drill_status FROM drill_plan p LEFT JOIN recall_drill d ON d.id = p.drill_id WHERE p.year = ? AND p.retired = 0 ORDER BY p.due_on',
  );
  const planEntry = lazy<[number, string, string], PlanRecord>(
    db,
    'SELECT * FROM drill_plan WHERE year = ? AND product_group = ? AND direction = ? AND retired = 0',
  );
  const overdueCount = lazy<[string], number>(
    db,
    "SELECT count(*) AS n FROM drill_plan p LEFT JOIN recall_drill d ON d.id = p.drill_id WHERE p.retired = 0 AND p.due_on < ? AND (d.id IS NULL OR d.status <> 'completed')",
    true,
  );

  // ---- reads of other capabilities' tables (to move behind their front doors) ----------
  // signature (identity, which has no front door yet); lot joined with product (lots and
  // catalog: the product stage of finished lots). Gathered and typed here so the move is one file.
  const lotSignatures = lazy<[string], LotSignatureRow>(
    db,
    "SELECT meaning, printed_name, signed_at FROM signature WHERE entity = 'lot' AND entity_id = ? ORDER BY signed_at",
  );
  const finishedOfStage = lazy<[string, string, string], string>(
    db,
    "SELECT l.code FROM lot l JOIN product p ON p.code = l.item_code WHERE l.kind = 'finished' AND p.stage = ? AND substr(l.lot_date,1,10) BETWEEN ? AND ? AND l.retired = 0 ORDER BY l.code",
    true,
  );
  const productGroups = lazy<[], ProductGroup>(
    db,
    "SELECT DISTINCT p.stage AS g FROM lot l JOIN product p ON p.code = l.item_code WHERE l.kind = 'finished' UNION SELECT DISTINCT kind FROM lot WHERE kind IN ('raw_milk','ingredient')",
    true,
  );

  return {
    /** The real recalls still open (their root lot and direction). */
    openRecalls: (): OpenRecall[] => openRecalls().all(),
    drillByCode: (code: string): DrillRecord | undefined => {
      const r = drillByCode().get(code);
      return r ? asDrill(r) : undefined;
    },
    codeTaken: (code: string): boolean => codeTaken().get(code) !== undefined,
    /** Drills and recalls, newest first, filtered by mode and status. */
    listDrills(f: { mode?: string | undefined; status?: string | undefined; offset: number; limit: number }) {
      const where = ['retired = 0'];
      const params: unknown[] = [];
      if (f.mode) {
        where.push('mode = ?');
        params.push(f.mode);
      }
      if (f.status) {
        where.push('status = ?');
        params.push(f.status);
      }
      const w = where.join(' AND ');
      const total = db.prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM recall_drill WHERE ${w}`).get(...params)!.n;
      const rows = db
        .prepare<unknown[], DrillStored>(`SELECT * FROM recall_drill WHERE ${w} ORDER BY started_at DESC LIMIT ? OFFSET ?`)
        .all(...params, f.limit, f.offset);
      return { total, rows: rows.map(asDrill) };
    },
    completedOfMode: (mode: string): DrillRecord[] => completedOfMode().all(mode).map(asDrill),
    findingCount: (drillId: string): number => findingCount().get(drillId) ?? 0,
    unexplainedCount: (drillId: string): number => unexplainedCount().get(drillId) ?? 0,
    findings: (drillId: string): FindingRecord[] => findings().all(drillId),
    findingExists: (drillId: string, kind: string, ref: string): boolean =>
      findingExists().get(drillId, kind, ref) !== undefined,
    /** The other unexplained findings of a kind (ids). */
    sameKindUnexplained: (drillId: string, kind: string, exceptId: string): string[] =>
      sameKindUnexplained().all(drillId, kind, exceptId),
    steps: (drillId: string): StepRecord[] =>
      steps()
        .all(drillId)
        .map((s) => ({ ...s, summary: JSON.parse(s.summary) as Record<string, unknown> })),
    stepsDone: (drillId: string): Set<string> => new Set(stepsDone().all(drillId)),
    contacts: (drillId: string): ContactRecord[] => contacts().all(drillId),
    planOfYear: (year: number) => planOfYear().all(year),
    planEntry: (year: number, productGroup: string, direction: string): PlanRecord | undefined =>
      planEntry().get(year, productGroup, direction),
    overdueCount: (today: string): number => overdueCount().get(today) ?? 0,

    lotSignatures: (lotId: string): LotSignatureRow[] => lotSignatures().all(lotId),
    /** Finished lots of a product stage made in a period (codes). */
    finishedOfStage: (stage: string, from: string, to: string): string[] => finishedOfStage().all(stage, from, to),
    /** The product groups that have lots: stages of finished lots, raw milk and ingredients. */
    productGroups: (): ProductGroup[] => productGroups().all(),
  };
}
export type RecallQueries = ReturnType<typeof recallQueries>;
