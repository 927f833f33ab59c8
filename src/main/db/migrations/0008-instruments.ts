/**
 * Migration 0008: benchtop instruments (issue 10). SHIPPED MIGRATIONS NEVER CHANGE.
 *
 * - instrument: the registry (identity, where it is, how to reach it, serial settings,
 *   driver and, for printing instruments, the print-format configuration as JSON).
 * - instrument_capture: every accepted reading: the raw bytes (base64, the original record,
 *   ALCOA+), the parsed value and unit, stability, the port settings, who and when, and the
 *   result it filled; `status` says whether the value still stands or was typed over (with
 *   the reason); `flagged` marks captures made since the last passing daily check when a
 *   check fails.
 * - instrument_event: calibrations (certificate, due date), daily checks (points read through
 *   the instrument, passed or not) and maintenance. Append only.
 */
export const sql = `
CREATE TABLE instrument (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  make TEXT,
  model TEXT,
  serial_no TEXT,
  location TEXT,
  port_path TEXT,
  usb_serial TEXT,
  usb_vendor_id TEXT,
  usb_product_id TEXT,
  baud_rate INTEGER NOT NULL,
  data_bits INTEGER NOT NULL,
  parity TEXT NOT NULL,
  stop_bits INTEGER NOT NULL,
  flow_control TEXT NOT NULL,
  line_ending TEXT NOT NULL,
  driver TEXT NOT NULL,
  print_config TEXT,
  check_interval_hours INTEGER NOT NULL,
  active INTEGER NOT NULL
);

CREATE TABLE instrument_capture (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  instrument_id TEXT NOT NULL,
  result_id TEXT,
  replicate_index INTEGER,
  purpose TEXT NOT NULL,
  raw TEXT NOT NULL,
  value TEXT,
  unit TEXT,
  stable INTEGER NOT NULL,
  settings TEXT NOT NULL,
  at INTEGER NOT NULL,
  by_user TEXT NOT NULL,
  status TEXT NOT NULL,
  typed_over_reason TEXT,
  flagged INTEGER NOT NULL,
  flag_reason TEXT
);
CREATE INDEX instrument_capture_instrument ON instrument_capture (instrument_id, at);
CREATE INDEX instrument_capture_result ON instrument_capture (result_id, replicate_index);

CREATE TABLE instrument_event (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  instrument_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  performed_at INTEGER NOT NULL,
  due_on TEXT,
  certificate_no TEXT,
  provider TEXT,
  passed INTEGER NOT NULL,
  points TEXT,
  by_user TEXT NOT NULL,
  note TEXT
);
CREATE INDEX instrument_event_instrument ON instrument_event (instrument_id, kind, performed_at);
`;
