/**
 * Migration 0002: the catalogue (products, materials, suppliers, customers, test methods)
 * and versioned specifications. SHIPPED MIGRATIONS NEVER CHANGE (see 0001's header).
 * Limits are TEXT decimal strings; booleans are INTEGER 0/1; dates are TEXT 'YYYY-MM-DD'.
 */
export const sql = `
CREATE TABLE product (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  code TEXT NOT NULL UNIQUE,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  stage TEXT NOT NULL,
  protein_base TEXT NOT NULL,
  registration_no TEXT,
  shelf_life_days INTEGER,
  pack_sizes TEXT NOT NULL
);

CREATE TABLE material (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  code TEXT NOT NULL UNIQUE,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  kind TEXT NOT NULL,
  default_unit TEXT NOT NULL
);

CREATE TABLE supplier (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  approval_status TEXT NOT NULL,
  approved_on TEXT,
  last_audit_on TEXT,
  next_audit_due TEXT,
  contact TEXT,
  phone TEXT
);

CREATE TABLE customer (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  contact TEXT,
  phone TEXT,
  address TEXT
);

CREATE TABLE test_method (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  code TEXT NOT NULL UNIQUE,
  title_zh TEXT NOT NULL,
  title_en TEXT NOT NULL,
  analyte TEXT NOT NULL,
  unit TEXT NOT NULL,
  lod TEXT,
  loq TEXT,
  in_house INTEGER NOT NULL
);

CREATE TABLE specification (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  code TEXT NOT NULL UNIQUE,
  subject_kind TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  title_zh TEXT NOT NULL,
  title_en TEXT NOT NULL,
  standard TEXT
);
CREATE INDEX specification_subject ON specification (subject_kind, subject_id);

CREATE TABLE spec_version (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  spec_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  status TEXT NOT NULL,
  effective_from TEXT,
  based_on TEXT,
  source TEXT NOT NULL,
  change_note TEXT,
  content_hash TEXT,
  approved_at INTEGER,
  superseded_at INTEGER,
  UNIQUE (spec_id, version)
);

CREATE TABLE spec_item (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  version_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  code TEXT NOT NULL,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  item_group TEXT NOT NULL,
  method_code TEXT,
  unit TEXT NOT NULL,
  basis TEXT NOT NULL,
  limit_form TEXT NOT NULL,
  min TEXT,
  max TEXT,
  target TEXT,
  lod TEXT,
  n INTEGER,
  c INTEGER,
  m TEXT,
  big_m TEXT,
  precision INTEGER,
  comparison TEXT NOT NULL,
  required_for_release INTEGER NOT NULL,
  in_house_only INTEGER NOT NULL,
  frequency TEXT NOT NULL,
  frequency_n INTEGER,
  period_days INTEGER,
  formula TEXT,
  clause TEXT,
  source TEXT,
  verification TEXT NOT NULL,
  note TEXT,
  confirmed_by TEXT,
  confirmed_at INTEGER
);
CREATE INDEX spec_item_version ON spec_item (version_id, position);
`;
