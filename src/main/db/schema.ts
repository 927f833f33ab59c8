/**
 * Kysely table types for typed reads (docs/decisions.md D-003). Ledgered tables are written
 * only by the ledger; these types are for queries.
 */
interface Ledgered {
  id: string;
  rev: number;
  retired: number;
}

export interface AuditEntryTable {
  seq: number;
  at: number;
  tz: string;
  actor: string;
  actor_name: string;
  ws: string;
  action: string;
  entity: string;
  entity_id: string;
  reason: string | null;
  content: string;
  prev: Buffer;
  hash: Buffer;
}

export interface UserAccountTable extends Ledgered {
  printed_name: string;
  roles: string;
  status: string;
  password_hash: string;
  password_history: string;
  password_changed_at: number;
  must_change_password: number;
  failed_attempts: number;
  last_sign_in_at: number | null;
  created_at: number;
}

export interface SignatureTable extends Ledgered {
  entity: string;
  entity_id: string;
  meaning: string;
  user_id: string;
  printed_name: string;
  signed_at: number;
  tz: string;
  comment: string | null;
  record_hash: string;
}

export interface VerificationRunTable extends Ledgered {
  started_at: number;
  finished_at: number;
  verified_through: number;
  entries: number;
  checkpoints: number;
  findings: string;
  review_status: string;
}

export interface AuditReviewTable extends Ledgered {
  through_seq: number;
  filter: string;
  comment: string;
}

export interface SigningKeyTable extends Ledgered {
  public_key: string;
  fingerprint: string;
  host: string;
  host_kind: string;
  valid_from: number;
  valid_to: number | null;
}

export interface Schema {
  audit_entry: AuditEntryTable;
  user_account: UserAccountTable;
  signature: SignatureTable;
  verification_run: VerificationRunTable;
  audit_review: AuditReviewTable;
  signing_key: SigningKeyTable;
}
