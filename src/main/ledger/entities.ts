/**
 * The registry of ledgered record types. Every table whose rows are GMP records is listed
 * here with its columns, so the ledger can write it and verification can replay it. A
 * table that is not registered cannot be written through the ledger, and a registered one
 * cannot be written any other way (tests/unit/write-path.test.ts scans the code).
 */
export type Value = string | number | null;
export type Row = Record<string, Value> & { id: string; rev: number; retired: number };

export interface EntityDef {
  /** Entity name in the audit trail (snake_case, stable forever). */
  readonly name: string;
  readonly table: string;
  /** Service-owned columns (the ledger adds id, rev, retired). */
  readonly columns: readonly string[];
  /** Columns whose values are secrets (password hashes): hashed and verified, never displayed. */
  readonly secret?: readonly string[];
  /** Columns holding JSON text, decoded for display. */
  readonly json?: readonly string[];
  /**
   * The columns a signature is bound to (default: the whole row). Workflow columns that
   * legitimately change after signing (e.g. a specification version becoming superseded)
   * are left out, so such a change does not show the signature as invalidated, while any
   * change to what was signed does.
   */
  readonly signed?: readonly string[];
  /**
   * Columns added to this table by a later migration (schema evolution, docs/ledger.md §5.1).
   * A record last written before that migration has no such key in its audit content; its
   * row holds NULL there. Verification treats an absent key as NULL for these columns only,
   * so any other difference between a row and its content is still `row_modified`.
   */
  readonly added?: readonly string[];
  /** Rows that may only be created (events, signatures): updates are refused. */
  readonly appendOnly?: boolean;
  /** When a change to an existing row must carry a reason (e.g. after submission). */
  readonly reasonRequired?: (before: Row) => boolean;
}

const registry = new Map<string, EntityDef>();

export function defineEntity(def: EntityDef): EntityDef {
  const existing = registry.get(def.name);
  if (existing && existing !== def) throw new Error(`entity ${def.name} defined twice`);
  for (const c of def.columns) {
    if (!/^[a-z][a-z0-9_]*$/.test(c) || c === 'id' || c === 'rev' || c === 'retired') {
      throw new Error(`entity ${def.name}: bad column name ${c}`);
    }
  }
  if (!/^[a-z][a-z0-9_]*$/.test(def.table)) throw new Error(`entity ${def.name}: bad table name`);
  registry.set(def.name, def);
  return def;
}

export function entityDef(name: string): EntityDef | undefined {
  return registry.get(name);
}

/**
 * The part of a record a signature covers (docs/ledger.md §3.2): its `signed` columns with its
 * id when the entity declares them, else the whole record; in both cases without the keys of
 * `added` columns whose value is NULL or absent. A record written before the migration that
 * added a column has no such key in its audit content while its row holds NULL (§5.1): leaving
 * them out makes the hash the same whichever of the two it is computed from, and the same as
 * before the column existed.
 */
export function signedContent(
  def: Pick<EntityDef, 'signed' | 'added'>,
  row: Record<string, unknown>,
): Record<string, unknown> {
  let out: Record<string, unknown>;
  if (def.signed) {
    out = { id: row['id'] };
    for (const c of def.signed) out[c] = row[c] ?? null;
  } else out = { ...row };
  for (const c of def.added ?? []) if (out[c] === null || out[c] === undefined) delete out[c];
  return out;
}

export function allEntities(): EntityDef[] {
  return [...registry.values()];
}

// The signed store's own records.
export const E = {
  database: defineEntity({ name: 'database', table: 'database_info', columns: ['created_at', 'app_version'] }),
  migration: defineEntity({
    name: 'schema_migration',
    table: 'schema_migration',
    columns: ['name', 'sha256', 'applied_at'],
  }),
  signingKey: defineEntity({
    name: 'signing_key',
    table: 'signing_key',
    columns: ['public_key', 'fingerprint', 'host', 'host_kind', 'valid_from', 'valid_to'],
  }),
  user: defineEntity({
    name: 'user',
    table: 'user_account',
    columns: [
      'printed_name',
      'roles',
      'status',
      'password_hash',
      'password_history',
      'password_changed_at',
      'must_change_password',
      'failed_attempts',
      'last_sign_in_at',
      'created_at',
      'enrolment_key',
    ],
    secret: ['password_hash', 'password_history', 'enrolment_key'],
    json: ['roles'],
    added: ['enrolment_key'],
  }),
  authEvent: defineEntity({
    name: 'auth_event',
    table: 'auth_event',
    columns: ['at', 'kind', 'user_id', 'ws', 'detail'],
    appendOnly: true,
  }),
  recoveryCode: defineEntity({
    name: 'recovery_code',
    table: 'recovery_code',
    columns: ['code_hash', 'created_at', 'used_at'],
    secret: ['code_hash'],
  }),
  signature: defineEntity({
    name: 'signature',
    table: 'signature',
    columns: [
      'entity',
      'entity_id',
      'meaning',
      'user_id',
      'printed_name',
      'signed_at',
      'tz',
      'comment',
      'record_hash',
      'key_id',
      'head_seq',
      'head_hash',
      'sig',
    ],
    appendOnly: true,
    // Migration 0011: the personal signature and the head it witnesses (docs/ledger.md §3.2).
    added: ['key_id', 'head_seq', 'head_hash', 'sig'],
  }),
  personalKey: defineEntity({
    name: 'personal_key',
    table: 'personal_key',
    columns: [
      'user_id',
      'public_key',
      'fingerprint',
      'valid_from',
      'valid_to',
      'sealed',
      'enrolment',
      'enrolment_proof',
      'retired_reason',
    ],
    // The private key sealed under the user's password: verified with the record, never shown.
    secret: ['sealed'],
    json: ['sealed'],
  }),
  rollbackAcknowledgement: defineEntity({
    name: 'rollback_acknowledgement',
    table: 'rollback_acknowledgement',
    columns: ['finding', 'host', 'anchor_seq', 'anchor_hash', 'anchor_at', 'db_seq', 'db_hash', 'reason'],
    appendOnly: true,
  }),
  setting: defineEntity({ name: 'setting', table: 'setting', columns: ['value'], json: ['value'] }),
  verificationRun: defineEntity({
    name: 'verification_run',
    table: 'verification_run',
    columns: [
      'started_at',
      'finished_at',
      'verified_through',
      'entries',
      'checkpoints',
      'findings',
      'review_status',
      'scope',
    ],
    json: ['findings'],
    added: ['scope'],
  }),
  auditReview: defineEntity({
    name: 'audit_review',
    table: 'audit_review',
    columns: ['through_seq', 'filter', 'comment'],
    json: ['filter'],
    appendOnly: true,
  }),
  backupEvent: defineEntity({
    name: 'backup_event',
    table: 'backup_event',
    columns: ['kind', 'file', 'sha256', 'head_seq', 'reason'],
    appendOnly: true,
  }),
  /**
   * A correction of a record after it was submitted (migration 0016, D-073): written by the
   * ledger itself, in the transaction of the change, for every record changed with
   * `{ correction }` (docs/ledger.md §1.1). `original_seq` is the record's entry before its first
   * corrected change in the transaction, `correction_seq` its last corrected entry there,
   * `fields` (JSON array, sorted) the columns that differ between the two.
   */
  correction: defineEntity({
    name: 'correction',
    table: 'correction',
    columns: [
      'entity',
      'entity_id',
      'fields',
      'original_seq',
      'correction_seq',
      'reason',
      'corrected_by',
      'corrected_at',
    ],
    json: ['fields'],
    appendOnly: true,
  }),
} as const;
