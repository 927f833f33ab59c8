/**
 * Migration 0019: the plant's production lines (生产线), kept with the catalogue (issue 22 §1,
 * the setup guide's "site and lines" step). A line has a code (what batches and sampling sites
 * name in their `line` column), its names, and the site or workshop (厂区 / 车间) it stands in.
 * A new ledgered table: every row is a record of the signed store (docs/ledger.md §9).
 * SHIPPED MIGRATIONS NEVER CHANGE (see 0001's header).
 */
export const sql = `
CREATE TABLE production_line (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  code TEXT NOT NULL UNIQUE,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  site TEXT,
  active INTEGER NOT NULL
);
`;
