/**
 * Migration 0015: intake by the clauses of 《宁夏回族自治区奶产业发展条例》 and the release
 * evidence a QA manager asks for (issue 20 §4–5). SHIPPED MIGRATIONS NEVER CHANGE.
 *
 * Columns added to an existing ledgered table (docs/ledger.md §5.1; listed in the entity's
 * `added`, NULL on records written before this migration):
 * - raw_milk_intake.item_rules: per planned item, when it is judged (`gating`: decides the
 *   tanker; `retrospective`: recorded later) and what it is judged against (`national`:
 *   GB 19301 or a residue / contaminant limit; `plant`: the plant's own rule), fixed when the
 *   intake starts so a later panel edit never changes the meaning of an old intake.
 * - raw_milk_intake.reject_basis: why a tanker was rejected (`national`, `plant`,
 *   `declaration`); only `national` calls for the 第二十八条 report.
 *
 * New tables:
 * - intake_documents: the documents a tanker carries (准运证明, 交接单, the buying station's
 *   收购许可证, the cleaning and disinfection record, 第二十五条), recorded at receipt; a QA
 *   manager's signed override (`override`) when one is missing.
 * - tanker_late_failure: a retrospective result that failed after the tanker was accepted,
 *   with the lots that used it (trace engine) and the one signed hold (`held`).
 * - spot_check: the register of government spot checks (监督抽查) of raw milk and of the
 *   plant's products, with the re-test deadlines on the plant's working-day calendar.
 *   intake_appeal rows (appeals hung on the plant's own rejections) are not rewritten: a QA
 *   manager carries each forward into this register (a new record naming the old one) or
 *   retires it with a reason.
 * - label_value: the declared values (标示值) of a product and the rule the plant applies.
 * - retention_profile: per product, the retention quantity the re-tests need, the storage
 *   conditions and the retention observation (留样观察) schedule.
 * - retention_withdrawal: quantities taken out of a retention sample, with the reason.
 * - retention_observation: a retention observation made.
 */
export const sql = `
ALTER TABLE raw_milk_intake ADD COLUMN item_rules TEXT;
ALTER TABLE raw_milk_intake ADD COLUMN reject_basis TEXT;

CREATE TABLE intake_documents (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  intake_id TEXT NOT NULL UNIQUE,
  lot_code TEXT NOT NULL,
  documents TEXT NOT NULL,
  deficient TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  override_reason TEXT,
  override_by TEXT,
  override_at INTEGER
);
CREATE INDEX intake_documents_lot ON intake_documents (lot_code);

CREATE TABLE tanker_late_failure (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  lot_code TEXT NOT NULL,
  result_ids TEXT NOT NULL,
  items TEXT NOT NULL,
  basis TEXT NOT NULL,
  affected TEXT NOT NULL,
  held_lots TEXT NOT NULL,
  reason TEXT NOT NULL,
  held_by TEXT NOT NULL,
  held_at INTEGER NOT NULL
);
CREATE INDEX tanker_late_failure_lot ON tanker_late_failure (lot_code);

CREATE TABLE spot_check (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  code TEXT NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  lot_code TEXT,
  supplier_code TEXT,
  sample_desc TEXT NOT NULL,
  authority TEXT NOT NULL,
  first_lab TEXT NOT NULL,
  sampled_on TEXT NOT NULL,
  report_no TEXT,
  received_on TEXT NOT NULL,
  items TEXT NOT NULL,
  result TEXT NOT NULL,
  rule TEXT NOT NULL,
  apply_deadline TEXT,
  disputed INTEGER NOT NULL,
  applied_on TEXT,
  applied_to TEXT,
  retest_lab TEXT,
  retest_sample_received_on TEXT,
  report_deadline TEXT,
  report_received_on TEXT,
  retention_withdrawal_id TEXT,
  closure TEXT,
  status TEXT NOT NULL,
  legacy_appeal_id TEXT,
  note TEXT
);
CREATE INDEX spot_check_status ON spot_check (status);
CREATE INDEX spot_check_lot ON spot_check (lot_code);
CREATE INDEX spot_check_supplier ON spot_check (supplier_code);

CREATE TABLE label_value (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  product_code TEXT NOT NULL,
  item_code TEXT NOT NULL,
  declared TEXT NOT NULL,
  unit TEXT NOT NULL,
  basis TEXT NOT NULL,
  rule TEXT NOT NULL,
  rule_source TEXT NOT NULL,
  rule_verification TEXT NOT NULL,
  confirmed_by TEXT,
  confirmed_at INTEGER,
  confirm_reference TEXT,
  note TEXT
);
CREATE INDEX label_value_product ON label_value (product_code, item_code);

CREATE TABLE retention_profile (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  product_code TEXT NOT NULL UNIQUE,
  required_quantity TEXT NOT NULL,
  unit TEXT NOT NULL,
  basis_note TEXT NOT NULL,
  storage_conditions TEXT NOT NULL,
  observation_days TEXT NOT NULL
);

CREATE TABLE retention_withdrawal (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  sample_id TEXT NOT NULL,
  sample_code TEXT NOT NULL,
  lot_code TEXT NOT NULL,
  quantity TEXT NOT NULL,
  unit TEXT NOT NULL,
  purpose TEXT NOT NULL,
  reason TEXT NOT NULL,
  spot_check_code TEXT,
  withdrawn_by TEXT NOT NULL,
  withdrawn_at INTEGER NOT NULL
);
CREATE INDEX retention_withdrawal_sample ON retention_withdrawal (sample_id);
CREATE INDEX retention_withdrawal_lot ON retention_withdrawal (lot_code);

CREATE TABLE retention_observation (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  sample_id TEXT NOT NULL,
  sample_code TEXT NOT NULL,
  lot_code TEXT NOT NULL,
  due_on TEXT NOT NULL,
  observed_on TEXT NOT NULL,
  outcome TEXT NOT NULL,
  findings TEXT NOT NULL,
  storage_observed TEXT,
  observed_by TEXT NOT NULL,
  observed_at INTEGER NOT NULL
);
CREATE INDEX retention_observation_sample ON retention_observation (sample_id, due_on);
`;
