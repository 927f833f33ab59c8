import type { Db } from '../../db/database';
import type { Row } from '../../ledger/entities';
import { lazy } from './statement';

/**
 * Reads of test results (table `test_result`, migrations 0006 and 0014): the rows services
 * plan, enter, review and chart. A result row is also a ledger row (`w.get(T.result, id)`):
 * `ResultRecord` types its columns once, here; JSON columns stay text so the record written
 * back through the ledger is the one read (parse them with `itemOf` / `listOf`).
 */
export type ResultRecord = Row & {
  sample_id: string;
  sample_code: string;
  lot_code: string | null;
  product_code: string | null;
  spec_version_id: string | null;
  spec_item_id: string | null;
  item_code: string;
  item_group: string;
  position: number;
  /** JSON: the TestItem as planned. */
  item: string;
  method_code: string | null;
  calculated: number;
  plan_reason: string;
  due_at: number | null;
  assigned_to: string | null;
  instrument_id: string | null;
  status: string;
  /** JSON: string[]. */
  replicates: string | null;
  /** JSON: string[]. */
  unit_values: string | null;
  value: string | null;
  reported: string | null;
  verdict: string | null;
  verdict_reason: string | null;
  /** JSON: Record<string, string>. */
  verdict_details: string | null;
  external_lab: string | null;
  external_report_no: string | null;
  analyst_id: string | null;
  entered_at: number | null;
  submitted_by: string | null;
  submitted_at: number | null;
  reviewed_by: string | null;
  reviewed_at: number | null;
  return_reason: string | null;
  invalidated_reason: string | null;
  attempt: number;
  retest_of: string | null;
  oos_id: string | null;
  note: string | null;
  converted: string | null;
  micro_started_at: number | null;
  micro_expected_at: number | null;
};

/** A ledger row of `test_result` seen with its columns' types (the table's schema is the proof). */
export function asResult(r: Row): ResultRecord;
export function asResult(r: Row | undefined): ResultRecord | undefined;
export function asResult(r: Row | undefined): ResultRecord | undefined {
  return r as ResultRecord | undefined;
}

/** Sample kinds whose results count for the lot they name (in-process and retention samples do not). */
export const LOT_RESULT_KINDS = ['finished_release', 'incoming_inspection', 'raw_milk_tanker'] as const;
const KINDS_IN = LOT_RESULT_KINDS.map(() => '?').join(',');

/** Runs a statement over ids in chunks of `size` (SQLite's parameter limit). */
export function chunked<T>(ids: readonly string[], size: number, run: (chunk: string[], ph: string) => T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += size) {
    const chunk = ids.slice(i, i + size);
    out.push(...run(chunk, chunk.map(() => '?').join(',')));
  }
  return out;
}

export interface WorklistFilter {
  methodCode?: string | undefined;
  assignedTo?: string | undefined;
  instrumentId?: string | undefined;
  itemCode?: string | undefined;
  sampleCode?: string | undefined;
  statuses: string[];
  dueBefore?: string | undefined;
  offset: number;
  limit: number;
}

export interface Facet {
  key: string | null;
  count: number;
}

export interface ReviewQueueRow {
  sample_code: string;
  lot_code: string | null;
  product_code: string | null;
  kind: string;
  submitted: number;
  failed: number | null;
  analysts: string | null;
  at: number;
  mine: number;
}

export interface TrendItemRow {
  item_code: string;
  n: number;
  last: number;
}

export interface ProductPointRow {
  id: string;
  lot_code: string;
  sample_code: string;
  reported: string | null;
  value: string | null;
  converted: string | null;
  item: string;
  verdict: 'pass' | 'fail' | 'invalid' | 'none' | null;
  lot_date: string;
}

/*
 * Some statements here join a result with its sample (`sample`, samples' table: the kind and
 * status of the subject) or its lot (`lot`, lots' table: the lot date a trend or a schedule is
 * ordered by). They are testing's questions (a lot's completeness, the worklist, the review
 * queue, trends) kept as one statement each on purpose (issue 21: a genuine cross-capability
 * join answers the capability whose question it is): asking samples or lots per result would
 * be one statement per result on screens that list hundreds.
 */
export function resultQueries(db: Db) {
  const bySample = lazy<[string], ResultRecord>(
    db,
    'SELECT * FROM test_result WHERE sample_id = ? AND retired = 0 ORDER BY position, attempt',
  );
  const standingOfSampleCode = lazy<[string], ResultRecord>(
    db,
    "SELECT * FROM test_result WHERE sample_code = ? AND retired = 0 AND status <> 'invalidated' ORDER BY position, attempt",
  );
  const typedOnInstrument = lazy<[string, number], ResultRecord>(
    db,
    "SELECT * FROM test_result WHERE instrument_id = ? COLLATE NOCASE AND retired = 0 AND status <> 'invalidated' AND entered_at >= ?",
  );
  const maxPosition = lazy<[string], { p: number }>(
    db,
    'SELECT coalesce(max(position), 0) AS p FROM test_result WHERE sample_id = ?',
  );
  const related = lazy<[string, string, string], ResultRecord>(
    db,
    'SELECT * FROM test_result WHERE retired = 0 AND (id = ? OR retest_of = ?) AND id <> ? ORDER BY attempt',
  );
  const plannedOnLot = lazy<[string, string], { one: number }>(
    db,
    'SELECT 1 AS one FROM test_result WHERE lot_code = ? AND item_code = ? AND retired = 0 LIMIT 1',
  );
  const lastTestedLotDate = lazy<[string, string, string, string], { d: string | null }>(
    db,
    `SELECT max(substr(l.lot_date,1,10)) AS d FROM test_result r JOIN lot l ON l.code = r.lot_code
     WHERE r.product_code = ? AND r.item_code = ? AND r.retired = 0 AND substr(l.lot_date,1,10) <= ? AND l.code <> ?`,
  );
  const earlierTest = lazy<[string, string, string], { one: number }>(
    db,
    `SELECT 1 AS one FROM test_result r JOIN lot l ON l.code = r.lot_code WHERE r.product_code = ? AND r.item_code = ? AND r.retired = 0 AND substr(l.lot_date,1,10) <= ? LIMIT 1`,
  );
  const currentItems = lazy<unknown[], { item_code: string }>(
    db,
    `SELECT DISTINCT r.item_code FROM test_result r JOIN sample s ON s.id = r.sample_id
     WHERE r.lot_code = ? AND r.retired = 0 AND r.status <> 'invalidated' AND s.status <> 'cancelled' AND s.kind IN (${KINDS_IN})`,
  );
  const forCompleteness = lazy<unknown[], ResultRecord>(
    db,
    `SELECT r.* FROM test_result r JOIN sample s ON s.id = r.sample_id
     WHERE r.lot_code = ? AND r.retired = 0 AND s.status <> 'cancelled' AND r.plan_reason <> 'parameter' AND s.kind IN (${KINDS_IN})
     ORDER BY r.position, r.attempt`,
  );
  const microOfLot = lazy<unknown[], ResultRecord>(
    db,
    `SELECT r.* FROM test_result r JOIN sample s ON s.id = r.sample_id
     WHERE r.lot_code = ? AND r.item_group = 'microbiology' AND r.retired = 0 AND r.status <> 'invalidated'
       AND s.status <> 'cancelled' AND s.kind IN (${KINDS_IN})`,
  );
  const submittedSamples = lazy<[], { n: number }>(
    db,
    "SELECT count(DISTINCT sample_id) AS n FROM test_result WHERE status = 'submitted' AND retired = 0",
  );
  const reviewQueue = lazy<[string, string, number, number], ReviewQueueRow>(
    db,
    `SELECT r.sample_id, r.sample_code, r.lot_code, r.product_code, s.kind, count(*) AS submitted, sum(r.verdict = 'fail') AS failed,
            group_concat(DISTINCT r.submitted_by) AS analysts, max(r.submitted_at) AS at,
            max(r.submitted_by = ? OR r.analyst_id = ?) AS mine
     FROM test_result r JOIN sample s ON s.id = r.sample_id
     WHERE r.status = 'submitted' AND r.retired = 0 GROUP BY r.sample_id ORDER BY at LIMIT ? OFFSET ?`,
  );
  const trendItems = lazy<[string], TrendItemRow>(
    db,
    `SELECT item_code, count(*) AS n, max(rowid) AS last FROM test_result WHERE product_code = ? AND status = 'reviewed' AND retired = 0 AND plan_reason <> 'parameter'
     GROUP BY item_code ORDER BY min(position)`,
  );
  const itemAtRowid = lazy<[number], { item: string }>(db, 'SELECT item FROM test_result WHERE rowid = ?');
  const trendCount = lazy<Array<string | null>, { n: number }>(
    db,
    `SELECT count(*) AS n FROM test_result r JOIN lot l ON l.code = r.lot_code
     WHERE r.product_code = ? AND r.item_code = ? AND r.status = 'reviewed' AND r.retired = 0
       AND (? IS NULL OR substr(l.lot_date,1,10) >= ?) AND (? IS NULL OR substr(l.lot_date,1,10) <= ?)`,
  );
  const lastItem = lazy<[string, string], { item: string }>(
    db,
    'SELECT item FROM test_result WHERE product_code = ? AND item_code = ? AND retired = 0 ORDER BY rowid DESC LIMIT 1',
  );
  const enteredByAnalyst = lazy<[number, number], { analyst: string; method: string; n: number }>(
    db,
    `SELECT analyst_id AS analyst, coalesce(method_code, '') AS method, count(*) AS n FROM test_result
     WHERE retired = 0 AND analyst_id IS NOT NULL AND entered_at BETWEEN ? AND ? AND calculated = 0
     GROUP BY analyst_id, coalesce(method_code, '')`,
  );

  return {
    /** The results of a sample, in plan order (every attempt). */
    ofSample: (sampleId: string): ResultRecord[] => bySample().all(sampleId),
    /** Standing results (not invalidated) of a sample by its code, in plan order (instruments). */
    standingOfSampleCode: (sampleCode: string): ResultRecord[] => standingOfSampleCode().all(sampleCode),
    /** Standing results whose value names an instrument (code, any case), entered since `since` (instruments). */
    typedOnInstrument: (instrumentCode: string, since: number): ResultRecord[] =>
      typedOnInstrument().all(instrumentCode, since),
    maxPosition: (sampleId: string): number => maxPosition().get(sampleId)?.p ?? 0,
    /** The other attempts of the same test (the original and its retests). */
    related: (r: ResultRecord): ResultRecord[] => related().all(r.retest_of ?? '', r.id, r.id),
    plannedOnLot: (lotCode: string, itemCode: string): boolean => !!plannedOnLot().get(lotCode, itemCode),
    /** Whether any of these lots had the item tested. */
    testedOnAnyLot: (itemCode: string, lotCodes: readonly string[]): boolean =>
      lotCodes.length > 0 &&
      !!db
        .prepare<
          unknown[],
          { one: number }
        >(`SELECT 1 AS one FROM test_result WHERE item_code = ? AND retired = 0 AND lot_code IN (${lotCodes.map(() => '?').join(',')}) LIMIT 1`)
        .get(itemCode, ...lotCodes),
    /** The latest lot date (≤ date, another lot) on which the product had the item. */
    lastTestedLotDate: (productCode: string, itemCode: string, date: string, lotCode: string): string | null =>
      lastTestedLotDate().get(productCode, itemCode, date, lotCode)?.d ?? null,
    testedOnOrBefore: (productCode: string, itemCode: string, date: string): boolean =>
      !!earlierTest().get(productCode, itemCode, date),
    /** Items with a current (not invalidated) result on a lot, from samples whose results count for it. */
    currentItemsOnLot: (lotCode: string): Set<string> =>
      new Set(
        currentItems()
          .all(lotCode, ...LOT_RESULT_KINDS)
          .map((r) => r.item_code),
      ),
    /** The results a lot's completeness reads (no basis parameters). */
    forCompleteness: (lotCode: string): ResultRecord[] => forCompleteness().all(lotCode, ...LOT_RESULT_KINDS),
    /** A lot's current micro results (issue 20 §3). */
    microOfLot: (lotCode: string): ResultRecord[] => microOfLot().all(lotCode, ...LOT_RESULT_KINDS),

    worklist(f: WorklistFilter): {
      total: number;
      rows: ResultRecord[];
      facets: Record<'methods' | 'analysts' | 'instruments', Facet[]>;
    } {
      const where: string[] = [
        'r.retired = 0',
        `r.status IN (${f.statuses.map(() => '?').join(',')})`,
        "s.status IN ('received','in_testing')",
      ];
      const params: unknown[] = [...f.statuses];
      const base = [...where];
      const baseParams = [...params];
      const opt = (col: string, v: string | undefined) => {
        if (v === undefined) return;
        if (v === '') where.push(`r.${col} IS NULL`);
        else {
          where.push(`r.${col} = ?`);
          params.push(v);
        }
      };
      opt('method_code', f.methodCode);
      opt('assigned_to', f.assignedTo);
      opt('instrument_id', f.instrumentId);
      if (f.itemCode) {
        where.push('r.item_code = ?');
        params.push(f.itemCode);
      }
      if (f.sampleCode) {
        where.push('(r.sample_code = ? OR r.lot_code = ?)');
        params.push(f.sampleCode, f.sampleCode);
      }
      if (f.dueBefore) {
        where.push('r.due_at <= ?');
        params.push(Date.parse(f.dueBefore));
      }
      // Calculated items are filled by the app, not by a technician.
      where.push('r.calculated = 0');
      base.push('r.calculated = 0');
      const from = 'FROM test_result r JOIN sample s ON s.id = r.sample_id';
      const total =
        db.prepare<unknown[], { n: number }>(`SELECT count(*) AS n ${from} WHERE ${where.join(' AND ')}`).get(...params)
          ?.n ?? 0;
      const rows = db
        .prepare<
          unknown[],
          ResultRecord
        >(`SELECT r.* ${from} WHERE ${where.join(' AND ')} ORDER BY r.due_at, r.sample_code, r.position LIMIT ? OFFSET ?`)
        .all(...params, f.limit, f.offset);
      const facet = (col: 'method_code' | 'assigned_to' | 'instrument_id'): Facet[] =>
        db
          .prepare<
            unknown[],
            Facet
          >(`SELECT r.${col} AS key, count(*) AS count ${from} WHERE ${base.join(' AND ')} GROUP BY r.${col} ORDER BY count DESC`)
          .all(...baseParams);
      return {
        total,
        rows,
        facets: { methods: facet('method_code'), analysts: facet('assigned_to'), instruments: facet('instrument_id') },
      };
    },

    /** Samples with submitted results (the review queue's size). */
    submittedSampleCount: (): number => submittedSamples().get()?.n ?? 0,
    reviewQueue: (userId: string, limit: number, offset: number): ReviewQueueRow[] =>
      reviewQueue().all(userId, userId, limit, offset),
    submittedOfSamples: (sampleCodes: readonly string[]): Array<{ id: string; sample_code: string }> =>
      sampleCodes.length
        ? db
            .prepare<
              unknown[],
              { id: string; sample_code: string }
            >(`SELECT id, sample_code FROM test_result WHERE status = 'submitted' AND retired = 0 AND sample_code IN (${sampleCodes.map(() => '?').join(',')})`)
            .all(...sampleCodes)
        : [],

    trendItems: (productCode: string): TrendItemRow[] => trendItems().all(productCode),
    /** The planned item (JSON) of the result at a rowid. */
    itemAtRowid: (rowid: number): string | null => itemAtRowid().get(rowid)?.item ?? null,
    trendCount: (productCode: string, itemCode: string, from: string | null, to: string | null): number =>
      trendCount().get(productCode, itemCode, from, from, to, to)?.n ?? 0,
    lastItem: (productCode: string, itemCode: string): string | null =>
      lastItem().get(productCode, itemCode)?.item ?? null,
    /** Reviewed results of a product's item across lots, newest lot first. */
    productPoints(
      productCode: string,
      itemCode: string,
      from: string | undefined,
      to: string | undefined,
      limit: number,
    ) {
      const where = ['r.product_code = ?', 'r.item_code = ?', "r.status = 'reviewed'", 'r.retired = 0'];
      const params: unknown[] = [productCode, itemCode];
      if (from) {
        where.push('substr(l.lot_date,1,10) >= ?');
        params.push(from);
      }
      if (to) {
        where.push('substr(l.lot_date,1,10) <= ?');
        params.push(to);
      }
      return db
        .prepare<unknown[], ProductPointRow>(
          `SELECT r.id, r.lot_code, r.sample_code, r.reported, r.value, r.converted, r.item, r.verdict, substr(l.lot_date,1,10) AS lot_date
           FROM test_result r JOIN lot l ON l.code = r.lot_code
           WHERE ${where.join(' AND ')} ORDER BY l.lot_date DESC, r.lot_code DESC LIMIT ?`,
        )
        .all(...params, limit);
    },
    /** Results each analyst saved per method in a period (the verdict-change figure's denominator). */
    enteredByAnalyst: (lo: number, hi: number) => enteredByAnalyst().all(lo, hi),
  };
}
export type ResultQueries = ReturnType<typeof resultQueries>;
