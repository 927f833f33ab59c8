/**
 * Migration 0018: a specification pack a QA manager can check, and an audit-trail review of
 * exceptions (issue 22 §4–5). SHIPPED MIGRATIONS NEVER CHANGE.
 *
 * Columns added to existing ledgered tables (docs/ledger.md §5.1; listed in the entity's
 * `added`, NULL on records written before this migration):
 * - spec_item.origin: where the value comes from (JSON `{ standard, table, row }`: e.g.
 *   GB 10765-2021, 表 2, 维生素A), shown beside every value with its verification state.
 * - lot_audit_review.summary_hash / summary_counts: the SHA-256 of the canonical content of the
 *   exception summary the reviewer read, and its counts per category (JSON), so an inspector
 *   sees what the `audit_reviewed` signature attested.
 *
 * New table:
 * - spec_table_confirmation: one table of a draft specification confirmed at once against the
 *   official text (standard, edition, table, the values compared and their hash), signed
 *   `values_confirmed` by a QA manager in the same transaction that marks its items confirmed.
 *   Append only.
 */
export const sql = `
ALTER TABLE spec_item ADD COLUMN origin TEXT;
ALTER TABLE lot_audit_review ADD COLUMN summary_hash TEXT;
ALTER TABLE lot_audit_review ADD COLUMN summary_counts TEXT;

CREATE TABLE spec_table_confirmation (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  version_id TEXT NOT NULL,
  standard TEXT NOT NULL,
  edition TEXT NOT NULL,
  table_no TEXT NOT NULL,
  item_count INTEGER NOT NULL,
  items TEXT NOT NULL,
  values_hash TEXT NOT NULL,
  statement TEXT NOT NULL,
  confirmed_by TEXT NOT NULL,
  confirmed_at INTEGER NOT NULL
);
CREATE INDEX spec_table_confirmation_version ON spec_table_confirmation (version_id);
`;
