/**
 * Migration 0014: testing controls (issues 19 and 20). SHIPPED MIGRATIONS NEVER CHANGE.
 *
 * - verdict_change: a saved result whose verdict went from failing to not failing before it
 *   was submitted (issue 19 §4): who, when, from/to, the reason given, and the path it came
 *   by (entry, paste, capture, recalculation, correction, invalidation). Append only; shown on
 *   the review screen, in the lot's audit-trail review and counted per analyst and method.
 * - spec_item.reporting: the item's reporting rule beyond decimals (JSON: a GB/T 8170 rounding
 *   interval, significant figures, or the GB 4789.2 colony-count rule; issue 20 §2).
 * - test_result.converted: the unrounded value in the specification's basis (control charts
 *   are computed on it, never on the rounded reported value; issue 20 §6).
 * - test_result.micro_started_at / micro_expected_at: when incubation started and when the
 *   result is expected to be final (negative by the method's times, or the confirmation of a
 *   presumptive positive; issue 20 §3).
 * - micro_confirmation: presumptive positives of a sampling-plan unit and their confirmation
 *   (confirmed / not confirmed, with the identification used). Append only.
 * - micro_hold: the automatic hold of a finished infant-formula lot on a presumptive positive,
 *   raised by the system rule in the same transaction (unsigned), reviewed by a QA manager.
 * - control_baseline: the baseline period of a control chart (a product's item, or a QC check
 *   material on a method and instrument), its unrounded values, mean and s; signed `approved`
 *   by a QA manager. A newer baseline for the same chart supersedes it.
 * - qc_material / qc_result: QC check samples (reference materials, spiked samples) and their
 *   results per method and instrument.
 */
export const sql = `
CREATE TABLE verdict_change (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  result_id TEXT NOT NULL,
  sample_code TEXT NOT NULL,
  lot_code TEXT,
  product_code TEXT,
  item_code TEXT NOT NULL,
  method_code TEXT,
  analyst_id TEXT,
  from_verdict TEXT NOT NULL,
  to_verdict TEXT,
  from_reported TEXT,
  to_reported TEXT,
  reason TEXT NOT NULL,
  via TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  changed_at INTEGER NOT NULL
);
CREATE INDEX verdict_change_result ON verdict_change (result_id);
CREATE INDEX verdict_change_lot ON verdict_change (lot_code);
CREATE INDEX verdict_change_when ON verdict_change (changed_at, changed_by, method_code);

ALTER TABLE spec_item ADD COLUMN reporting TEXT;

ALTER TABLE test_result ADD COLUMN converted TEXT;
ALTER TABLE test_result ADD COLUMN micro_started_at INTEGER;
ALTER TABLE test_result ADD COLUMN micro_expected_at INTEGER;
CREATE INDEX test_result_micro ON test_result (lot_code, micro_expected_at);

CREATE TABLE micro_confirmation (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  result_id TEXT NOT NULL,
  unit_index INTEGER NOT NULL,
  stage TEXT NOT NULL,
  evidence TEXT,
  by_user TEXT NOT NULL,
  at INTEGER NOT NULL,
  due_at INTEGER
);
CREATE INDEX micro_confirmation_result ON micro_confirmation (result_id, unit_index, at);

CREATE TABLE micro_hold (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  lot_code TEXT NOT NULL,
  result_id TEXT NOT NULL,
  sample_code TEXT NOT NULL,
  item_code TEXT NOT NULL,
  units TEXT NOT NULL,
  rule TEXT NOT NULL,
  raised_at INTEGER NOT NULL,
  lot_status_before TEXT NOT NULL,
  status TEXT NOT NULL,
  outcome TEXT,
  reviewed_by TEXT,
  reviewed_at INTEGER,
  review_note TEXT
);
CREATE INDEX micro_hold_lot ON micro_hold (lot_code, status);

CREATE TABLE control_baseline (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  chart TEXT NOT NULL,
  subject TEXT NOT NULL,
  product_code TEXT,
  item_code TEXT,
  material_code TEXT,
  method_code TEXT,
  instrument_id TEXT,
  from_date TEXT NOT NULL,
  to_date TEXT NOT NULL,
  n INTEGER NOT NULL,
  mean TEXT NOT NULL,
  sd TEXT NOT NULL,
  point_values TEXT NOT NULL,
  note TEXT,
  status TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  superseded_at INTEGER
);
CREATE INDEX control_baseline_chart ON control_baseline (chart, status);

CREATE TABLE qc_material (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  code TEXT NOT NULL UNIQUE,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  kind TEXT NOT NULL,
  method_code TEXT NOT NULL,
  item_code TEXT,
  unit TEXT NOT NULL,
  assigned_value TEXT NOT NULL,
  uncertainty TEXT,
  certificate_no TEXT,
  lot_no TEXT,
  expires_on TEXT,
  note TEXT,
  active INTEGER NOT NULL
);

CREATE TABLE qc_result (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  material_code TEXT NOT NULL,
  method_code TEXT NOT NULL,
  instrument_id TEXT NOT NULL,
  value TEXT NOT NULL,
  recovery TEXT,
  analyst_id TEXT NOT NULL,
  run_at INTEGER NOT NULL,
  note TEXT
);
CREATE INDEX qc_result_chart ON qc_result (material_code, method_code, instrument_id, run_at);
`;
