/**
 * Migration 0010: recall drills and recalls (issue 12). SHIPPED MIGRATIONS NEVER CHANGE.
 *
 * - recall_drill: one exercise (mode `drill`) or real recall (mode `recall`) from a root lot,
 *   with its direction, the clock (started / completed), the targets (minutes, mass-balance
 *   tolerance), and once completed the frozen result (JSON) and KPIs.
 * - drill_step: each step as it was run: who, when, and what it found (JSON). Append only.
 * - drill_finding: what the records could not account for, with a person's explanation.
 * - drill_plan: the yearly programme (product group × direction, due date, the drill done).
 * - recall_contact: each call or message to a customer in a recall (time, person, outcome).
 *   Append only. Returns are stock movements (`returned`) of the lots, linked by reason.
 */
export const sql = `
CREATE TABLE recall_drill (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  code TEXT NOT NULL UNIQUE,
  mode TEXT NOT NULL,
  root_lot TEXT NOT NULL,
  direction TEXT NOT NULL,
  selection TEXT NOT NULL,
  selection_criteria TEXT,
  reason TEXT,
  started_at INTEGER NOT NULL,
  started_by TEXT NOT NULL,
  target_minutes INTEGER NOT NULL,
  tolerance_min TEXT NOT NULL,
  tolerance_max TEXT NOT NULL,
  status TEXT NOT NULL,
  completed_at INTEGER,
  completed_by TEXT,
  elapsed_ms INTEGER,
  accounted_pct TEXT,
  result TEXT,
  plan_id TEXT
);
CREATE INDEX recall_drill_mode ON recall_drill (mode, status, started_at);

CREATE TABLE drill_step (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  drill_id TEXT NOT NULL,
  step TEXT NOT NULL,
  done_at INTEGER NOT NULL,
  done_by TEXT NOT NULL,
  summary TEXT NOT NULL
);
CREATE INDEX drill_step_drill ON drill_step (drill_id, done_at);

CREATE TABLE drill_finding (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  drill_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  ref TEXT NOT NULL,
  detail TEXT NOT NULL,
  explanation TEXT
);
CREATE INDEX drill_finding_drill ON drill_finding (drill_id);

CREATE TABLE drill_plan (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  year INTEGER NOT NULL,
  product_group TEXT NOT NULL,
  direction TEXT NOT NULL,
  due_on TEXT NOT NULL,
  drill_id TEXT
);
CREATE UNIQUE INDEX drill_plan_key ON drill_plan (year, product_group, direction) WHERE retired = 0;

CREATE TABLE recall_contact (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  drill_id TEXT NOT NULL,
  customer_code TEXT NOT NULL,
  at INTEGER NOT NULL,
  by_user TEXT NOT NULL,
  channel TEXT NOT NULL,
  outcome TEXT NOT NULL,
  note TEXT
);
CREATE INDEX recall_contact_drill ON recall_contact (drill_id, customer_code);
`;
