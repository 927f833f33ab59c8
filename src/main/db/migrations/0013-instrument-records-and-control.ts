/**
 * Migration 0013: every instrument feeds results, and instrument control for every value
 * (issue 20 §1, issue 19 §5; D-057–D-060). SHIPPED MIGRATIONS NEVER CHANGE.
 *
 * - instrument_capture gains what a print-format record brings (docs/ledger.md §5.1: listed
 *   in the entity's `added`, NULL for captures written before): `field` (the record's field
 *   that filled the result), `read_value` / `read_unit` (as read, before the method's
 *   conversion), `conversion` (JSON: the method's conversion applied), `record` (JSON: every
 *   field of the record, its sample id, temperature and status) and `raw_format`
 *   ('as_received': `raw` holds the bytes exactly as received, terminators included, D-057;
 *   NULL: the framed line without its terminator, as D-026 stored them).
 * - instrument_frame: frames refused when a capture or a check reading was asked for
 *   (unstable, overload, an error record, garbage…), kept as evidence with their reason.
 *   Append only.
 * - method_instrument: what a test method names about instruments: the kind of instrument
 *   its values are measured on (a typed value must name one, unlocked) and the unit
 *   conversions of its readings (m°H → °C …).
 * - instrument_check_plan: the daily-check standards of an instrument (reference weights or
 *   buffers with certificate numbers, nominal values, tolerances), fixed by a QA manager.
 * - instrument_flag: a result measured on an instrument since its last good check, flagged by
 *   a failed daily check or external calibration (captured or typed). Append only.
 */
export const sql = `
ALTER TABLE instrument_capture ADD COLUMN field TEXT;
ALTER TABLE instrument_capture ADD COLUMN read_value TEXT;
ALTER TABLE instrument_capture ADD COLUMN read_unit TEXT;
ALTER TABLE instrument_capture ADD COLUMN conversion TEXT;
ALTER TABLE instrument_capture ADD COLUMN record TEXT;
ALTER TABLE instrument_capture ADD COLUMN raw_format TEXT;

CREATE TABLE instrument_frame (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  instrument_id TEXT NOT NULL,
  purpose TEXT NOT NULL,
  result_id TEXT,
  sample_code TEXT,
  raw TEXT NOT NULL,
  error TEXT NOT NULL,
  detail TEXT,
  settings TEXT NOT NULL,
  at INTEGER NOT NULL,
  by_user TEXT NOT NULL
);
CREATE INDEX instrument_frame_instrument ON instrument_frame (instrument_id, at);

CREATE TABLE method_instrument (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  method_code TEXT NOT NULL UNIQUE,
  instrument_kind TEXT NOT NULL,
  conversions TEXT NOT NULL,
  note TEXT
);

CREATE TABLE instrument_check_plan (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  instrument_id TEXT NOT NULL UNIQUE,
  points TEXT NOT NULL,
  note TEXT
);

CREATE TABLE instrument_flag (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  instrument_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  result_id TEXT NOT NULL,
  capture_id TEXT,
  sample_code TEXT NOT NULL,
  lot_code TEXT,
  item_code TEXT NOT NULL,
  how TEXT NOT NULL,
  replicates TEXT,
  at INTEGER NOT NULL
);
CREATE INDEX instrument_flag_event ON instrument_flag (event_id);
CREATE INDEX instrument_flag_result ON instrument_flag (result_id);
CREATE INDEX instrument_flag_lot ON instrument_flag (lot_code);
CREATE INDEX test_result_instrument ON test_result (instrument_id, entered_at);
`;
