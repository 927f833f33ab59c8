/**
 * Migration 0009: lot disposition (issue 11). SHIPPED MIGRATIONS NEVER CHANGE.
 *
 * - lot_audit_review: a QA manager's review of the audit trail of one lot's records
 *   (EU GMP Annex 11 §9, as part of batch release): up to which ledger entry, how many
 *   entries were in scope, the comment; signed `audit_reviewed`. Release needs a review that
 *   covers every entry of the lot's records.
 */
export const sql = `
CREATE TABLE lot_audit_review (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  lot_code TEXT NOT NULL,
  through_seq INTEGER NOT NULL,
  entries INTEGER NOT NULL,
  comment TEXT NOT NULL,
  reviewed_by TEXT NOT NULL,
  reviewed_at INTEGER NOT NULL
);
CREATE INDEX lot_audit_review_lot ON lot_audit_review (lot_code, through_seq);
`;
