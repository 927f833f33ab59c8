/**
 * Migration 0001: the signed store (audit trail, checkpoints, key registry) and identity.
 *
 * SHIPPED MIGRATIONS NEVER CHANGE. The runner records each applied migration's SHA-256
 * and refuses to open a database whose record differs from this text (docs/decisions.md
 * D-004). To change the schema, add a new migration at the end of the list.
 *
 * Ledgered tables all start with (id TEXT PRIMARY KEY, rev INTEGER, retired INTEGER): the
 * ledger owns those three columns; services own the rest and change them only through the
 * ledger. Lab values are TEXT (decimal strings), times are INTEGER milliseconds since the
 * epoch (UTC); no REAL columns, so a row's canonical JSON is exact.
 */
export const sql = `
CREATE TABLE audit_entry (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  tz TEXT NOT NULL,
  actor TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  ws TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  reason TEXT,
  content TEXT NOT NULL,
  prev BLOB NOT NULL,
  hash BLOB NOT NULL
);
CREATE INDEX audit_entry_entity ON audit_entry (entity, entity_id, seq);
CREATE INDEX audit_entry_actor ON audit_entry (actor, seq);
CREATE INDEX audit_entry_at ON audit_entry (at);

CREATE TABLE checkpoint (
  seq INTEGER PRIMARY KEY,
  head BLOB NOT NULL,
  at INTEGER NOT NULL,
  key_id TEXT NOT NULL,
  sig BLOB NOT NULL
);

-- The audit trail and the checkpoints are append-only. An attacker with a SQLite tool can
-- drop these triggers; verification (not the triggers) is what proves integrity.
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;
CREATE TRIGGER checkpoint_no_update BEFORE UPDATE ON checkpoint BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER checkpoint_no_delete BEFORE DELETE ON checkpoint BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;

CREATE TABLE database_info (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  app_version TEXT NOT NULL
);

CREATE TABLE schema_migration (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  applied_at INTEGER NOT NULL
);

CREATE TABLE signing_key (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  public_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  host TEXT NOT NULL,
  host_kind TEXT NOT NULL,
  valid_from INTEGER NOT NULL,
  valid_to INTEGER
);

CREATE TABLE user_account (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  printed_name TEXT NOT NULL,
  roles TEXT NOT NULL,
  status TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  password_history TEXT NOT NULL,
  password_changed_at INTEGER NOT NULL,
  must_change_password INTEGER NOT NULL,
  failed_attempts INTEGER NOT NULL,
  last_sign_in_at INTEGER,
  created_at INTEGER NOT NULL
);

CREATE TABLE auth_event (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  user_id TEXT NOT NULL,
  ws TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX auth_event_user ON auth_event (user_id, at);

CREATE TABLE recovery_code (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  code_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  used_at INTEGER
);

CREATE TABLE signature (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  meaning TEXT NOT NULL,
  user_id TEXT NOT NULL,
  printed_name TEXT NOT NULL,
  signed_at INTEGER NOT NULL,
  tz TEXT NOT NULL,
  comment TEXT,
  record_hash TEXT NOT NULL
);
CREATE INDEX signature_record ON signature (entity, entity_id);

CREATE TABLE setting (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  value TEXT NOT NULL
);

CREATE TABLE verification_run (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  verified_through INTEGER NOT NULL,
  entries INTEGER NOT NULL,
  checkpoints INTEGER NOT NULL,
  findings TEXT NOT NULL,
  review_status TEXT NOT NULL
);

CREATE TABLE audit_review (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  through_seq INTEGER NOT NULL,
  filter TEXT NOT NULL,
  comment TEXT NOT NULL
);

CREATE TABLE backup_event (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  kind TEXT NOT NULL,
  file TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  head_seq INTEGER NOT NULL,
  reason TEXT
);
`;
