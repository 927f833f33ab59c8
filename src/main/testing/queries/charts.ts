import type { Db } from '../../db/database';
import type { InstrumentReads } from '../../instruments';
import type { Row } from '../../ledger/entities';
import { lazy } from './statement';

/** A signed control-chart baseline (table `control_baseline`, migration 0014). */
export type BaselineRecord = Row & {
  chart: string;
  from_date: string;
  to_date: string;
  n: number;
  mean: string;
  sd: string;
  note: string | null;
  status: string;
  created_by: string;
  created_at: number;
  superseded_at: number | null;
  /** JSON: the frozen points. */
  point_values: string;
};

/** A QC check-sample material (table `qc_material`). */
export type QcMaterialRecord = Row & {
  code: string;
  name_zh: string;
  name_en: string;
  kind: 'reference_material' | 'spiked';
  method_code: string;
  item_code: string | null;
  unit: string;
  assigned_value: string;
  uncertainty: string | null;
  certificate_no: string | null;
  lot_no: string | null;
  expires_on: string | null;
  note: string | null;
  active: number;
};

/** A QC check-sample run (table `qc_result`). */
export type QcResultRecord = Row & {
  material_code: string;
  method_code: string;
  instrument_id: string;
  value: string;
  recovery: string;
  analyst_id: string;
  run_at: number;
  note: string | null;
};

/** Ledger rows of `control_baseline`, `qc_material` and `qc_result` seen with their columns' types (the tables' schema is the proof). */
export function asBaseline(r: Row): BaselineRecord {
  return r as BaselineRecord;
}
export function asQcMaterial(r: Row): QcMaterialRecord {
  return r as QcMaterialRecord;
}
export function asQcResult(r: Row): QcResultRecord {
  return r as QcResultRecord;
}

export interface QcChartRow {
  material_code: string;
  method_code: string;
  instrument_id: string;
  instrument_code: string | null;
  n: number;
  last: number;
}

/** What the charts part asks instruments (the composition root passes `instrumentReads`). */
export type ChartOwners = { instruments: Pick<InstrumentReads, 'codesOf'> };

/** SQLite's order of TEXT (BINARY collation, NULL first) on the instruments' codes. */
function byCode(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export function chartQueries(db: Db, o: ChartOwners) {
  const activeBaseline = lazy<[string], BaselineRecord>(
    db,
    "SELECT * FROM control_baseline WHERE chart = ? AND status = 'active' AND retired = 0 LIMIT 1",
  );
  const activeBaselineIds = lazy<[string], { id: string }>(
    db,
    "SELECT id FROM control_baseline WHERE chart = ? AND status = 'active' AND retired = 0",
  );
  const baselines = lazy<[string], BaselineRecord>(
    db,
    'SELECT * FROM control_baseline WHERE chart = ? AND retired = 0 ORDER BY created_at DESC',
  );
  const materials = lazy<[], QcMaterialRecord>(db, 'SELECT * FROM qc_material WHERE retired = 0 ORDER BY code');
  const material = lazy<[string], QcMaterialRecord>(db, 'SELECT * FROM qc_material WHERE code = ? AND retired = 0');
  const anyMaterial = lazy<[string], QcMaterialRecord>(db, 'SELECT * FROM qc_material WHERE code = ?');
  const qcCount = lazy<[string], { n: number }>(
    db,
    'SELECT count(*) AS n FROM qc_result WHERE material_code = ? AND retired = 0',
  );
  // The instrument's code is instruments' (asked by id below); the rows come ordered by
  // material and method here and by the instrument's code within, as one statement ordered them.
  const qcCharts = lazy<[], Omit<QcChartRow, 'instrument_code'>>(
    db,
    `SELECT material_code, method_code, instrument_id, count(*) AS n, max(run_at) AS last
     FROM qc_result WHERE retired = 0
     GROUP BY material_code, method_code, instrument_id ORDER BY material_code, method_code`,
  );
  const qcResults = lazy<[string, string, string], QcResultRecord>(
    db,
    'SELECT * FROM qc_result WHERE material_code = ? AND method_code = ? AND instrument_id = ? AND retired = 0 ORDER BY run_at',
  );
  return {
    activeBaseline: (chart: string): BaselineRecord | undefined => activeBaseline().get(chart),
    activeBaselineIds: (chart: string): string[] =>
      activeBaselineIds()
        .all(chart)
        .map((r) => r.id),
    baselines: (chart: string): BaselineRecord[] => baselines().all(chart),
    materials: (): QcMaterialRecord[] => materials().all(),
    /** A material in use (not retired). */
    material: (code: string): QcMaterialRecord | undefined => material().get(code),
    /** A material by code, retired or not (codes are unique forever). */
    anyMaterial: (code: string): QcMaterialRecord | undefined => anyMaterial().get(code),
    qcResultCount: (materialCode: string): number => qcCount().get(materialCode)?.n ?? 0,
    qcCharts: (): QcChartRow[] => {
      const rows = qcCharts().all();
      const codes = o.instruments.codesOf(rows.map((r) => r.instrument_id));
      return rows
        .map((r, i) => ({ ...r, instrument_code: codes.get(r.instrument_id) ?? null, i }))
        .sort((a, b) =>
          a.material_code === b.material_code && a.method_code === b.method_code
            ? byCode(a.instrument_code, b.instrument_code)
            : a.i - b.i,
        )
        .map(({ i: _i, ...r }) => r);
    },
    qcResults: (materialCode: string, methodCode: string, instrumentId: string): QcResultRecord[] =>
      qcResults().all(materialCode, methodCode, instrumentId),
  };
}
export type ChartQueries = ReturnType<typeof chartQueries>;
