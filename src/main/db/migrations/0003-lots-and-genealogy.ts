/**
 * Migration 0003: lots, receipts, production batches, consumption (genealogy), shipments,
 * stock movements and ERP import records. SHIPPED MIGRATIONS NEVER CHANGE.
 *
 * Lots are referred to by their code everywhere (codes are unique across kinds and never
 * change), which is also how the ERP interchange files name them (../shared/formats).
 * Quantities are TEXT decimal strings; dates are TEXT ISO 8601 as given.
 */
export const sql = `
CREATE TABLE lot (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  code TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  item_code TEXT NOT NULL,
  item_name TEXT NOT NULL,
  quantity TEXT NOT NULL,
  unit TEXT NOT NULL,
  lot_date TEXT NOT NULL,
  supplier_code TEXT,
  supplier_lot TEXT,
  expiry_date TEXT,
  location TEXT,
  status TEXT NOT NULL,
  origin TEXT NOT NULL,
  receipt_id TEXT,
  batch_id TEXT
);
CREATE INDEX lot_kind_date ON lot (kind, lot_date);
CREATE INDEX lot_item ON lot (item_code, lot_date);
CREATE INDEX lot_supplier ON lot (supplier_code);

CREATE TABLE receipt (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  kind TEXT NOT NULL,
  lot_code TEXT NOT NULL,
  supplier_code TEXT NOT NULL,
  supplier_lot TEXT,
  quantity TEXT NOT NULL,
  unit TEXT NOT NULL,
  containers INTEGER,
  condition TEXT,
  temperature TEXT,
  received_at INTEGER NOT NULL,
  vehicle TEXT,
  farms TEXT,
  compartments TEXT,
  coa_file TEXT,
  coa_sha256 TEXT,
  note TEXT
);
CREATE INDEX receipt_lot ON receipt (lot_code);

CREATE TABLE batch (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  code TEXT NOT NULL UNIQUE,
  line TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  status TEXT NOT NULL,
  note TEXT
);

CREATE TABLE consumption (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  input_lot TEXT NOT NULL,
  output_lot TEXT NOT NULL,
  quantity TEXT NOT NULL,
  unit TEXT NOT NULL,
  date TEXT NOT NULL,
  batch_id TEXT,
  origin TEXT NOT NULL
);
CREATE INDEX consumption_input ON consumption (input_lot);
CREATE INDEX consumption_output ON consumption (output_lot);

CREATE TABLE shipment (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  shipment_code TEXT NOT NULL,
  lot_code TEXT NOT NULL,
  customer_code TEXT NOT NULL,
  quantity TEXT NOT NULL,
  unit TEXT NOT NULL,
  date TEXT NOT NULL,
  origin TEXT NOT NULL,
  UNIQUE (shipment_code, lot_code)
);
CREATE INDEX shipment_lot ON shipment (lot_code);
CREATE INDEX shipment_customer ON shipment (customer_code);

CREATE TABLE stock_movement (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  lot_code TEXT NOT NULL,
  movement TEXT NOT NULL,
  quantity TEXT NOT NULL,
  unit TEXT NOT NULL,
  date TEXT NOT NULL,
  location TEXT,
  reason TEXT,
  origin TEXT NOT NULL
);
CREATE INDEX stock_movement_lot ON stock_movement (lot_code, date);

CREATE TABLE import_run (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  files TEXT NOT NULL,
  inserted TEXT NOT NULL,
  unchanged TEXT NOT NULL,
  corrected TEXT NOT NULL,
  correction_reason TEXT,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL
);

CREATE TABLE code_sequence (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  value INTEGER NOT NULL
);
`;
