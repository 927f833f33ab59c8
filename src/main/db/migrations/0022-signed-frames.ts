/**
 * Migration 0022: captures as signed raw frames (issue 23 §4, D-095–D-096).
 *
 * - signed_frame: a frame a workstation captured at the bench and signed with its host key,
 *   as the record received it: the signed body (instrument, port, driver, the bytes exactly as
 *   received, the workstation's clock and its source, who captured into what, the
 *   workstation's sequence number) and its signature, when the record received it, what the
 *   record made of it (the captures it stored, or why the frame was refused) and, for a frame
 *   written back from the workstation's queue, since when the link was down. The id is
 *   `frame-<host key id>-<seq>`: a second submission of the same frame writes nothing. Append
 *   only.
 * A new ledgered table: every row is a record of the signed store (docs/ledger.md §9).
 * SHIPPED MIGRATIONS NEVER CHANGE (see 0001's header).
 */
export const sql = `
CREATE TABLE signed_frame (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  host_key_id TEXT NOT NULL,
  host TEXT NOT NULL,
  frame_seq INTEGER NOT NULL,
  instrument_id TEXT NOT NULL,
  port TEXT,
  driver TEXT NOT NULL,
  raw TEXT NOT NULL,
  captured_at INTEGER NOT NULL,
  clock_source TEXT NOT NULL,
  tz TEXT NOT NULL,
  captured_by TEXT NOT NULL,
  purpose TEXT NOT NULL,
  result_id TEXT,
  sample_code TEXT,
  replicate_index INTEGER,
  signature TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  received_by TEXT NOT NULL,
  outcome TEXT NOT NULL,
  error TEXT,
  capture_ids TEXT NOT NULL,
  forwarded INTEGER NOT NULL,
  queued_at INTEGER,
  link_down_since INTEGER,
  gap_ms INTEGER NOT NULL,
  UNIQUE (host_key_id, frame_seq)
);
CREATE INDEX signed_frame_instrument ON signed_frame (instrument_id, captured_at);
`;
