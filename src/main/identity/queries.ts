import type { Statement } from 'better-sqlite3';
import type { SignatureMeaning } from '../../shared/domain/roles';
import type { Db } from '../db/database';
import type { Settings } from '../../shared/contract/channels/identity';
import type { Row } from '../ledger/entities';

/**
 * Every SQL statement of the identity capability (issue 21): accounts, personal keys,
 * signatures, recovery codes, authentication events and the host keys register. Typed
 * statements, prepared once per connection; services call these functions and hold no SQL.
 */

interface Ledgered {
  id: string;
  rev: number;
  retired: number;
}

/** A user account (table user_account). `roles` is the JSON array as stored (see userRoles). */
export interface UserRow extends Ledgered {
  printed_name: string;
  roles: string;
  status: 'active' | 'locked' | 'deactivated';
  password_hash: string;
  password_history: string;
  password_changed_at: number;
  must_change_password: number;
  failed_attempts: number;
  last_sign_in_at: number | null;
  created_at: number;
  enrolment_key: string | null;
}

/** A personal signing key (table personal_key, docs/ledger.md §3.1). */
export interface PersonalKeyRow extends Ledgered {
  user_id: string;
  public_key: string;
  fingerprint: string;
  valid_from: number;
  valid_to: number | null;
  sealed: string | null;
  enrolment: string;
  enrolment_proof: string | null;
  retired_reason: string | null;
}

/** An electronic signature record (table signature, 11.50 / 11.70). */
export interface SignatureRecord extends Ledgered {
  entity: string;
  entity_id: string;
  meaning: SignatureMeaning;
  user_id: string;
  printed_name: string;
  signed_at: number;
  tz: string;
  comment: string | null;
  record_hash: string;
  /** The personal key (null: a legacy signature, made before personal keys). */
  key_id: string | null;
  head_seq: number | null;
  head_hash: string | null;
  sig: string | null;
}

export interface RecoveryCodeRow extends Ledgered {
  code_hash: string;
  created_at: number;
  used_at: number | null;
}

/** A host's signing key (table signing_key). */
export interface SigningKeyRow extends Ledgered {
  public_key: string;
  fingerprint: string;
  host: string;
  host_kind: string;
  valid_from: number;
  valid_to: number | null;
}

/** A statement prepared at its first use (tables of later migrations, the creation transaction). */
function once<T>(make: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= make());
}

export function identityQueries(db: Db) {
  const user = once(() => db.prepare<[string], UserRow>('SELECT * FROM user_account WHERE id = ?'));
  const users = once(() => db.prepare<[], UserRow>('SELECT * FROM user_account ORDER BY id'));
  const activeKey = once(() =>
    db.prepare<[string], PersonalKeyRow>(
      'SELECT * FROM personal_key WHERE user_id = ? AND valid_to IS NULL AND sealed IS NOT NULL AND retired = 0 ORDER BY valid_from DESC LIMIT 1',
    ),
  );
  const keysOf = once(() =>
    db.prepare<[string], PersonalKeyRow>('SELECT * FROM personal_key WHERE user_id = ? ORDER BY valid_from'),
  );
  const keyById = once(() => db.prepare<[string], PersonalKeyRow>('SELECT * FROM personal_key WHERE id = ?'));
  const allKeys = once(() => db.prepare<[], PersonalKeyRow>('SELECT * FROM personal_key ORDER BY user_id, valid_from'));
  const legacyBoundary = once(() =>
    db
      .prepare<
        [],
        number | null
      >("SELECT (SELECT min(c.seq) FROM checkpoint c WHERE c.seq >= a.seq) AS b FROM audit_entry a WHERE a.entity = 'schema_migration' AND a.entity_id = '0011' ORDER BY a.seq LIMIT 1")
      .pluck(),
  );
  const pendingEnrolment = once(() =>
    db.prepare<[string], SignatureRecord>(
      `SELECT s.* FROM signature s WHERE s.entity = 'user' AND s.entity_id = ? AND s.meaning = 'enrolled' AND s.sig IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM personal_key k WHERE k.enrolment = s.id) ORDER BY s.signed_at DESC, s.head_seq DESC LIMIT 1`,
    ),
  );
  const userCreatedSeq = once(() =>
    db
      .prepare<
        [string],
        number
      >("SELECT seq FROM audit_entry WHERE entity = 'user' AND entity_id = ? AND action = 'create' ORDER BY seq LIMIT 1")
      .pluck(),
  );
  const everEnrolled = once(() =>
    db
      .prepare<
        [string],
        number
      >("SELECT 1 FROM signature WHERE entity = 'user' AND entity_id = ? AND meaning = 'enrolled' LIMIT 1")
      .pluck(),
  );
  const authEventExists = once(() => db.prepare<[string], number>('SELECT 1 FROM auth_event WHERE id = ?').pluck());
  const recoveryCode = once(() =>
    db.prepare<[], RecoveryCodeRow>(
      'SELECT * FROM recovery_code WHERE retired = 0 AND used_at IS NULL ORDER BY created_at DESC LIMIT 1',
    ),
  );
  const meaningsBy = once(() =>
    db
      .prepare<
        [string, string, string],
        string
      >('SELECT meaning FROM signature WHERE entity = ? AND entity_id = ? AND user_id = ? AND retired = 0')
      .pluck(),
  );
  const signaturesOf = once(() =>
    db.prepare<[string, string], SignatureRecord>(
      'SELECT * FROM signature WHERE entity = ? AND entity_id = ? ORDER BY signed_at, id',
    ),
  );
  const signatureById = once(() => db.prepare<[string], SignatureRecord>('SELECT * FROM signature WHERE id = ?'));
  const entryHash = once(() => db.prepare<[number], Buffer>('SELECT hash FROM audit_entry WHERE seq = ?').pluck());
  const signingKeys = once(() => db.prepare<[], SigningKeyRow>('SELECT * FROM signing_key ORDER BY valid_from'));
  const signingKeyById = once(() => db.prepare<[string], SigningKeyRow>('SELECT * FROM signing_key WHERE id = ?'));
  const hostEnrolledBy = once(() =>
    db
      .prepare<
        [string],
        string
      >("SELECT printed_name FROM signature WHERE entity = 'signing_key' AND entity_id = ? AND meaning = 'enrolled' LIMIT 1")
      .pluck(),
  );
  return {
    user: (id: string): UserRow | undefined => user().get(id),
    users: (): UserRow[] => users().all(),
    /** The key the user signs with now: valid (no valid_to) and sealed. */
    activeKey: (userId: string): PersonalKeyRow | undefined => activeKey().get(userId),
    keysOf: (userId: string): PersonalKeyRow[] => keysOf().all(userId),
    personalKey: (id: string): PersonalKeyRow | undefined => keyById().get(id),
    allPersonalKeys: (): PersonalKeyRow[] => allKeys().all(),
    /** The last checkpoint of the transaction that applied migration 0011 (0: none). */
    legacyBoundary: (): number => legacyBoundary().get() ?? 0,
    /** The latest `enrolled` signature on the user that no key used yet. */
    pendingEnrolment: (userId: string): SignatureRecord | undefined => pendingEnrolment().get(userId),
    /** The entry that created the user's account. */
    userCreatedSeq: (userId: string): number | undefined => userCreatedSeq().get(userId),
    /** Whether an administrator ever signed the user's enrolment. */
    everEnrolled: (userId: string): boolean => everEnrolled().get(userId) !== undefined,
    authEventRecorded: (id: string): boolean => authEventExists().get(id) !== undefined,
    /** The recovery code in force (one at a time; used ones are retired, never deleted). */
    currentRecoveryCode: (): RecoveryCodeRow | undefined => recoveryCode().get(),
    /** The meanings a person signed on a record (not retired). */
    meaningsSignedBy: (entity: string, entityId: string, userId: string): string[] =>
      meaningsBy().all(entity, entityId, userId),
    signaturesOf: (entity: string, entityId: string): SignatureRecord[] => signaturesOf().all(entity, entityId),
    signature: (id: string): SignatureRecord | undefined => signatureById().get(id),
    /** The stored hash of an audit entry (what a signature's head refers to). */
    entryHash: (seq: number): Buffer | undefined => entryHash().get(seq),
    signingKeys: (): SigningKeyRow[] => signingKeys().all(),
    signingKey: (id: string): SigningKeyRow | undefined => signingKeyById().get(id),
    /** The printed name of the administrator who enrolled a host key. */
    hostEnrolledBy: (keyId: string): string | undefined => hostEnrolledBy().get(keyId),
  };
}
export type IdentityQueries = ReturnType<typeof identityQueries>;

const cache = new WeakMap<Db, IdentityQueries>();

/** The identity queries of a connection, prepared once per connection. */
export function identityQueriesOf(db: Db): IdentityQueries {
  let q = cache.get(db);
  if (!q) {
    q = identityQueries(db);
    cache.set(db, q);
  }
  return q;
}

// =====================================================================================
// The reads of signatures identity offers other capabilities (issue 21: "no capability reads
// another's tables; it asks the owner"): whether, and with which meaning, a record was signed.
// Built once by the composition root and passed as a constructor dependency. Statements are
// prepared once per list of meanings.
// =====================================================================================

/** The head of a signature: what a record's latest signed decision shows and checks. */
export interface SignatureHead {
  id: string;
  meaning: string;
  printed_name: string;
  signed_at: number;
  record_hash: string;
}

export function signatureReads(db: Db) {
  const prepared = new Map<string, Statement<unknown[], unknown>>();
  function cached<R>(key: string, sql: string): Statement<unknown[], R> {
    let s = prepared.get(key);
    if (!s) {
      s = db.prepare<unknown[], unknown>(sql);
      prepared.set(key, s);
    }
    return s as Statement<unknown[], R>;
  }
  const list = (meanings: readonly string[]): string => meanings.map(() => '?').join(', ');
  return {
    /** The latest live (not retired) signature of a record with one of these meanings. */
    latestOf: (entity: string, entityId: string, meanings: readonly string[]): SignatureHead | undefined =>
      cached<SignatureHead>(
        `latest|${meanings.length}`,
        `SELECT id, meaning, printed_name, signed_at, record_hash FROM signature
         WHERE entity = ? AND entity_id = ? AND retired = 0 AND meaning IN (${list(meanings)})
         ORDER BY signed_at DESC, rowid DESC LIMIT 1`,
      ).get(entity, entityId, ...meanings),
    /** A record has a live (not retired) signature with one of these meanings. */
    signedLive: (entity: string, entityId: string, meanings: readonly string[]): boolean =>
      cached<1>(
        `live|${meanings.length}`,
        `SELECT 1 FROM signature WHERE entity = ? AND entity_id = ? AND retired = 0 AND meaning IN (${list(meanings)}) LIMIT 1`,
      ).get(entity, entityId, ...meanings) !== undefined,
    /** The comment of a record's latest signature with this meaning (retired or not; null: none or no comment). */
    latestComment: (entity: string, entityId: string, meaning: string): string | null =>
      cached<{ comment: string | null }>(
        'comment',
        'SELECT comment FROM signature WHERE entity = ? AND entity_id = ? AND meaning = ? ORDER BY signed_at DESC LIMIT 1',
      ).get(entity, entityId, meaning)?.comment ?? null,
    /** A record was ever signed with this meaning (retired or not). */
    everSigned: (entity: string, entityId: string, meaning: string): boolean =>
      cached<1>(
        'ever',
        'SELECT 1 FROM signature WHERE entity = ? AND entity_id = ? AND meaning = ? LIMIT 1',
      ).get(entity, entityId, meaning) !== undefined,
  };
}
export type SignatureReads = ReturnType<typeof signatureReads>;

/** The settings record (table `setting`, one JSON value) as stored: parsed here, at the edge. */
export type SettingRow = Row & { value: string };
export function storedSettings(row: Row): Partial<Settings> {
  return JSON.parse((row as SettingRow).value) as Partial<Settings>;
}
