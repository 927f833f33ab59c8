import type { Db } from '../../db/database';
import type { Row } from '../../ledger/entities';
import { lazy } from './statement';

/** An OOS investigation (table `oos_investigation`, migration 0006). `checklist` is JSON text. */
export type OosRecord = Row & {
  code: string;
  result_id: string;
  sample_code: string;
  lot_code: string | null;
  item_code: string;
  status: string;
  reported: string | null;
  limit_text: string | null;
  opened_at: number;
  opened_by: string;
  lot_held: number;
  checklist: string | null;
  phase1_summary: string | null;
  phase1_by: string | null;
  phase1_at: number | null;
  outcome: string | null;
  conclusion: string | null;
  concluded_by: string | null;
  concluded_at: number | null;
  retest_result_id: string | null;
};

export function asOos(r: Row): OosRecord;
export function asOos(r: Row | undefined): OosRecord | undefined;
export function asOos(r: Row | undefined): OosRecord | undefined {
  return r as OosRecord | undefined;
}

export function oosQueries(db: Db) {
  const codeTaken = lazy<[string], { one: number }>(db, 'SELECT 1 AS one FROM oos_investigation WHERE code = ?');
  const byCode = lazy<[string], OosRecord>(db, 'SELECT * FROM oos_investigation WHERE code = ? AND retired = 0');
  const codeById = lazy<[string], { code: string }>(db, 'SELECT code FROM oos_investigation WHERE id = ?');
  const latestOfResult = lazy<[string], OosRecord>(
    db,
    'SELECT * FROM oos_investigation WHERE result_id = ? ORDER BY opened_at DESC LIMIT 1',
  );
  const blocking = lazy<[string], { code: string }>(
    db,
    "SELECT code FROM oos_investigation WHERE lot_code = ? AND retired = 0 AND status IN ('open','phase1_done','confirmed') ORDER BY code",
  );
  return {
    codeTaken: (code: string): boolean => !!codeTaken().get(code),
    byCode: (code: string): OosRecord | undefined => byCode().get(code),
    codeOf: (id: string): string | null => codeById().get(id)?.code ?? null,
    latestOfResult: (resultId: string): OosRecord | undefined => latestOfResult().get(resultId),
    /** Open (or confirmed) investigations on a lot. */
    blocking: (lotCode: string): string[] =>
      blocking()
        .all(lotCode)
        .map((r) => r.code),
    list(f: { statuses?: string[] | undefined; lotCode?: string | undefined; offset: number; limit: number }) {
      const where = ['retired = 0'];
      const params: unknown[] = [];
      if (f.statuses?.length) {
        where.push(`status IN (${f.statuses.map(() => '?').join(',')})`);
        params.push(...f.statuses);
      }
      if (f.lotCode) {
        where.push('lot_code = ?');
        params.push(f.lotCode);
      }
      const w = where.join(' AND ');
      const total =
        db.prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM oos_investigation WHERE ${w}`).get(...params)
          ?.n ?? 0;
      const rows = db
        .prepare<
          unknown[],
          OosRecord
        >(`SELECT * FROM oos_investigation WHERE ${w} ORDER BY opened_at DESC LIMIT ? OFFSET ?`)
        .all(...params, f.limit, f.offset);
      return { total, rows };
    },
  };
}
export type OosQueries = ReturnType<typeof oosQueries>;
