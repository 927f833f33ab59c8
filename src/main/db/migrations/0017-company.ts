/**
 * Migration 0017: the company a plant's documents name (issue 22 §3, D-077). SHIPPED
 * MIGRATIONS NEVER CHANGE.
 *
 * - company_profile: one record (id `company`): 企业名称 (and an English name), the 食品生产许可证
 *   number (SC + 14 digits), the address, and the stamp image the certificates carry (by id).
 *   Set by an administrator with a reason; every change is in the audit trail.
 * - company_stamp: a stamp image (PNG or JPEG, at most 256 KiB) kept in the record itself as
 *   base64 with its SHA-256 and size, so backups, the evidence folder and the standalone
 *   verifier hold it with the rest. Append only: a new image is a new record, the profile
 *   points at it, older images stay.
 */
export const sql = `
CREATE TABLE company_profile (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  name TEXT NOT NULL,
  name_en TEXT,
  sc_number TEXT NOT NULL,
  address TEXT NOT NULL,
  stamp_id TEXT,
  updated_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE company_stamp (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  mime TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  data TEXT NOT NULL,
  added_by TEXT NOT NULL,
  added_at INTEGER NOT NULL
);
CREATE INDEX company_stamp_sha256 ON company_stamp (sha256);
`;
