/**
 * Migration 0006: testing (issue 8). SHIPPED MIGRATIONS NEVER CHANGE (see 0001's header).
 *
 * - test_result: one planned test of one sample for one specification item, and its result.
 *   The item's limit is copied into `item` (JSON) when the test is planned, so a result is
 *   judged against exactly what applied when it was planned, whatever happens to the
 *   catalogue later; spec_item_id points back at the source. Values are TEXT decimal
 *   strings; replicates / unit_values are JSON arrays of such strings. A retest is a new
 *   row (attempt + 1, retest_of); the invalidated original stays.
 * - result_attachment: a file (chromatogram, printout) kept as <data>/attachments/<sha256>,
 *   bound to the record by its SHA-256. Append only.
 * - oos_investigation: the out-of-specification record opened by a failing result, with its
 *   phase I checklist and conclusion.
 * - method_rule: the replicate rule of a test method (how many determinations, and the
 *   repeatability limit between them).
 */
export const sql = `
CREATE TABLE test_result (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  sample_id TEXT NOT NULL,
  sample_code TEXT NOT NULL,
  lot_code TEXT,
  product_code TEXT,
  spec_version_id TEXT,
  spec_item_id TEXT,
  item_code TEXT NOT NULL,
  item_group TEXT NOT NULL,
  position INTEGER NOT NULL,
  item TEXT NOT NULL,
  method_code TEXT,
  calculated INTEGER NOT NULL,
  plan_reason TEXT NOT NULL,
  due_at INTEGER,
  assigned_to TEXT,
  instrument_id TEXT,
  status TEXT NOT NULL,
  replicates TEXT,
  unit_values TEXT,
  value TEXT,
  reported TEXT,
  verdict TEXT,
  verdict_reason TEXT,
  verdict_details TEXT,
  external_lab TEXT,
  external_report_no TEXT,
  analyst_id TEXT,
  entered_at INTEGER,
  submitted_by TEXT,
  submitted_at INTEGER,
  reviewed_by TEXT,
  reviewed_at INTEGER,
  return_reason TEXT,
  invalidated_reason TEXT,
  attempt INTEGER NOT NULL,
  retest_of TEXT,
  oos_id TEXT,
  note TEXT
);
CREATE INDEX test_result_sample ON test_result (sample_id, position);
CREATE INDEX test_result_lot ON test_result (lot_code, item_code);
CREATE INDEX test_result_status ON test_result (status, method_code);
CREATE INDEX test_result_trend ON test_result (product_code, item_code, status);
CREATE INDEX test_result_plan ON test_result (product_code, item_code, lot_code);

CREATE TABLE result_attachment (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  result_id TEXT NOT NULL,
  file_name TEXT NOT NULL,
  media_type TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  added_by TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  note TEXT
);
CREATE INDEX result_attachment_result ON result_attachment (result_id);

CREATE TABLE oos_investigation (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  code TEXT NOT NULL UNIQUE,
  result_id TEXT NOT NULL,
  sample_code TEXT NOT NULL,
  lot_code TEXT,
  item_code TEXT NOT NULL,
  status TEXT NOT NULL,
  reported TEXT,
  limit_text TEXT,
  opened_at INTEGER NOT NULL,
  opened_by TEXT NOT NULL,
  lot_held INTEGER NOT NULL,
  checklist TEXT,
  phase1_summary TEXT,
  phase1_by TEXT,
  phase1_at INTEGER,
  outcome TEXT,
  conclusion TEXT,
  concluded_by TEXT,
  concluded_at INTEGER,
  retest_result_id TEXT
);
CREATE INDEX oos_investigation_lot ON oos_investigation (lot_code, status);
CREATE INDEX oos_investigation_result ON oos_investigation (result_id);
CREATE INDEX oos_investigation_status ON oos_investigation (status);

CREATE TABLE method_rule (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  method_code TEXT NOT NULL UNIQUE,
  replicates INTEGER NOT NULL,
  repeatability TEXT NOT NULL,
  repeatability_limit TEXT,
  note TEXT
);
`;
