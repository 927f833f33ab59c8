/**
 * Migration 0011: personal signing keys and real e-signatures (issue 18; docs/ledger.md §3,
 * docs/decisions.md D-029–D-034). SHIPPED MIGRATIONS NEVER CHANGE.
 *
 * - personal_key: each user's Ed25519 public key (ledgered: verification rebuilds the registry
 *   from the audit trail), its validity, and the private key sealed under a key derived from
 *   the user's password (`sealed`, a secret column; NULL once an administrator's reset retired
 *   it). `enrolment` names what authorised the key: `init`, `upgrade`, or the id of the
 *   administrator's `enrolled` signature; `enrolment_proof` is the signature of the one-time
 *   enrolment key derived from the password the administrator set.
 * - signature: the personal signature (`sig`, base64) with its key id and the ledger head it
 *   witnesses (added columns: records signed before this migration keep them NULL, §5.1).
 * - user_account.enrolment_key: the public half of the one-time enrolment key (set when an
 *   administrator creates an account or resets its password; cleared once used).
 * - verification_run.scope: `startup` for the start-up check's findings recorded in the
 *   ledger; NULL for a full verification.
 * - rollback_acknowledgement: an administrator's signed acknowledgement that this host's
 *   anchor was ahead of (or differed from) the database.
 * - Append-only triggers on signatures, and no deletion of personal keys.
 */
export const sql = `
ALTER TABLE signature ADD COLUMN key_id TEXT;
ALTER TABLE signature ADD COLUMN head_seq INTEGER;
ALTER TABLE signature ADD COLUMN head_hash TEXT;
ALTER TABLE signature ADD COLUMN sig TEXT;
CREATE INDEX signature_user ON signature (user_id, signed_at);

ALTER TABLE user_account ADD COLUMN enrolment_key TEXT;
ALTER TABLE verification_run ADD COLUMN scope TEXT;

CREATE TABLE personal_key (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  user_id TEXT NOT NULL,
  public_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  valid_from INTEGER NOT NULL,
  valid_to INTEGER,
  sealed TEXT,
  enrolment TEXT NOT NULL,
  enrolment_proof TEXT,
  retired_reason TEXT
);
CREATE INDEX personal_key_user ON personal_key (user_id, valid_from);
CREATE INDEX personal_key_enrolment ON personal_key (enrolment);

CREATE TABLE rollback_acknowledgement (
  id TEXT PRIMARY KEY NOT NULL, rev INTEGER NOT NULL, retired INTEGER NOT NULL DEFAULT 0,
  finding TEXT NOT NULL,
  host TEXT NOT NULL,
  anchor_seq INTEGER NOT NULL,
  anchor_hash TEXT NOT NULL,
  anchor_at INTEGER,
  db_seq INTEGER NOT NULL,
  db_hash TEXT NOT NULL,
  reason TEXT NOT NULL
);

CREATE TRIGGER signature_no_update BEFORE UPDATE ON signature BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END;
CREATE TRIGGER signature_no_delete BEFORE DELETE ON signature BEGIN SELECT RAISE(ABORT, 'signatures are append-only'); END;
CREATE TRIGGER personal_key_no_delete BEFORE DELETE ON personal_key BEGIN SELECT RAISE(ABORT, 'personal keys are never deleted'); END;
`;
