import type { Db } from '../../db/database';
import type { Row } from '../../ledger/entities';
import { lazy } from './statement';

/** An automatic micro hold (table `micro_hold`, migration 0014). `units` is parsed (1-based units). */
export interface MicroHoldRecord {
  id: string;
  rev: number;
  lot_code: string;
  result_id: string;
  sample_code: string;
  item_code: string;
  units: number[];
  rule: string;
  raised_at: number;
  lot_status_before: string;
  status: string;
  outcome: string | null;
  reviewed_by: string | null;
  reviewed_at: number | null;
  review_note: string | null;
}

/** A `micro_hold` row as stored or as the ledger returns it, parsed once. */
export function microHoldOf(r: Row): MicroHoldRecord {
  const x = r as Row & Omit<MicroHoldRecord, 'units'> & { units: string };
  return { ...x, units: JSON.parse(x.units) as number[] };
}

export function microQueries(db: Db) {
  const presumptives = lazy<[string], { unit_index: number; at: number }>(
    db,
    "SELECT unit_index, at FROM micro_confirmation WHERE result_id = ? AND stage = 'presumptive' AND retired = 0 ORDER BY at",
  );
  const pendingHolds = lazy<[string], Row>(
    db,
    "SELECT * FROM micro_hold WHERE result_id = ? AND retired = 0 AND outcome = 'pending'",
  );
  return {
    /** When each presumptive unit of a result was recorded (unit index, time). */
    presumptivesOf: (resultId: string) => presumptives().all(resultId),
    pendingHoldsOf: (resultId: string): MicroHoldRecord[] => pendingHolds().all(resultId).map(microHoldOf),
    holds(f: { lotCode?: string | undefined; status?: 'open' | 'reviewed' | undefined }): MicroHoldRecord[] {
      const where = ['retired = 0'];
      const params: unknown[] = [];
      if (f.lotCode) {
        where.push('lot_code = ?');
        params.push(f.lotCode);
      }
      if (f.status) {
        where.push('status = ?');
        params.push(f.status);
      }
      return db
        .prepare<unknown[], Row>(
          `SELECT * FROM micro_hold WHERE ${where.join(' AND ')} ORDER BY raised_at DESC LIMIT 500`,
        )
        .all(...params)
        .map(microHoldOf);
    },
  };
}
export type MicroQueries = ReturnType<typeof microQueries>;
