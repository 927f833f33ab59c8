/**
 * Migration 0005: generated documents (labels now; certificates of analysis, authority
 * reports, dossiers and drill packs later). SHIPPED MIGRATIONS NEVER CHANGE.
 *
 * The PDF itself is a content-addressed file in the data folder (documents/<sha256>.pdf);
 * the row is the record of its generation. `kind` is open text so later document types need
 * no migration.
 */
export const sql = `
CREATE TABLE document (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  kind TEXT NOT NULL,
  subject_entity TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  locale TEXT NOT NULL,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  page_size TEXT NOT NULL,
  head_seq INTEGER NOT NULL,
  head_hash TEXT NOT NULL,
  reprint_of TEXT,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX document_subject ON document (subject_entity, subject_id, kind, created_at);
CREATE INDEX document_sha256 ON document (sha256);
`;
