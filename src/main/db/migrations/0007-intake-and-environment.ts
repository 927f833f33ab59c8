/**
 * Migration 0007: raw milk intake, appeals, the working-day calendar, supplier sampling
 * levels and environmental alerts (issue 9). SHIPPED MIGRATIONS NEVER CHANGE.
 *
 * - intake_panel: the rapid test panel for tankers, for the plant (supplier_code NULL) or one
 *   supplier; items as JSON (a test item each, with its level: normal or tightened).
 * - raw_milk_intake: one per tanker lot: receipt declarations, the sampling level applied,
 *   the tanker sample, the decision (signed on the record) and the authority report.
 * - intake_appeal: a supplier disputing a result (第二十七条), with the deadlines computed on
 *   the working-day calendar when recorded.
 * - calendar_day: public holidays and make-up working days (调休).
 * - supplier_sampling: the sampling level of a supplier (normal / tightened) and its run of
 *   consecutive passes; each switch is a ledger entry with its reason.
 * - env_alert: a positive environmental swab, the lots at risk, the follow-up schedules.
 */
export const sql = `
CREATE TABLE intake_panel (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  code TEXT NOT NULL UNIQUE,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  supplier_code TEXT,
  items TEXT NOT NULL,
  active INTEGER NOT NULL
);

CREATE TABLE raw_milk_intake (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  lot_code TEXT NOT NULL UNIQUE,
  supplier_code TEXT NOT NULL,
  declarations TEXT NOT NULL,
  sampling_level TEXT NOT NULL,
  panel_code TEXT,
  sample_code TEXT,
  status TEXT NOT NULL,
  proposal TEXT,
  reject_causes TEXT,
  decision_reason TEXT,
  decided_by TEXT,
  decided_at INTEGER,
  report_document_id TEXT,
  opened_by TEXT NOT NULL,
  opened_at INTEGER NOT NULL
);
CREATE INDEX raw_milk_intake_supplier ON raw_milk_intake (supplier_code, opened_at);
CREATE INDEX raw_milk_intake_status ON raw_milk_intake (status);

CREATE TABLE intake_appeal (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  intake_id TEXT NOT NULL,
  lot_code TEXT NOT NULL,
  supplier_code TEXT NOT NULL,
  item_codes TEXT NOT NULL,
  first_lab TEXT NOT NULL,
  notified_on TEXT NOT NULL,
  apply_deadline TEXT NOT NULL,
  applied_on TEXT,
  retest_lab TEXT,
  sample_received_on TEXT,
  report_deadline TEXT,
  report_received_on TEXT,
  outcome TEXT,
  status TEXT NOT NULL,
  note TEXT
);
CREATE INDEX intake_appeal_status ON intake_appeal (status);

CREATE TABLE calendar_day (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  date TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  name TEXT
);

CREATE TABLE supplier_sampling (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  supplier_code TEXT NOT NULL UNIQUE,
  level TEXT NOT NULL,
  consecutive_passes INTEGER NOT NULL,
  passes_required INTEGER NOT NULL,
  changed_at INTEGER NOT NULL,
  reason TEXT NOT NULL
);

CREATE TABLE env_alert (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  code TEXT NOT NULL UNIQUE,
  site_id TEXT NOT NULL,
  sample_code TEXT NOT NULL,
  result_id TEXT NOT NULL,
  target TEXT NOT NULL,
  zone INTEGER,
  line TEXT,
  raised_at INTEGER NOT NULL,
  since_negative_at INTEGER,
  affected_lots TEXT NOT NULL,
  follow_ups TEXT NOT NULL,
  status TEXT NOT NULL,
  closed_by TEXT,
  closed_at INTEGER,
  close_reason TEXT
);
CREATE INDEX env_alert_status ON env_alert (status);
CREATE INDEX env_alert_site ON env_alert (site_id);
`;
