import { randomUUID, type KeyObject } from 'node:crypto';
import type { UserView } from '../../shared/contract/channels/identity';
import { AppErrorException, fail } from '../../shared/contract/errors';
import { rolesConflict, type Role, type SignatureMeaning } from '../../shared/domain/roles';
import { E, entityDef, type EntityDef, type Row } from '../ledger/entities';
import { esigFieldsOf, recordHash, signEsig, verifyEsig } from '../ledger/esig';
import { all, qb } from '../db/query';
import { systemActor, type Actor, type Ledger, type LedgerWriter } from '../ledger/ledger';
import { AuthSidecar, type AuthLine } from './auth-sidecar';
import {
  PASSWORD_HISTORY,
  hashPassword,
  newRecoveryCode,
  normalizeRecoveryCode,
  passwordPolicyProblems,
  verifyPassword,
} from './passwords';
import {
  enrolmentProof,
  newEnrolmentKey,
  newPersonalKey,
  openEnrolmentKey,
  sealPersonalKey,
  unsealPersonalKey,
  type PersonalKeyPair,
} from './personal-keys';
import type { SettingsService } from './settings';

export const MAX_FAILED_ATTEMPTS = 5;
/** After this many wrong recovery codes, the next attempt waits this long after the last one. */
export const RECOVERY_THROTTLE_MS = 15 * 60_000;
const DAY = 24 * 60 * 60 * 1000;
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export interface UserRow extends Row {
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

export interface PersonalKeyRow extends Row {
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

/**
 * The signer of an e-signature: the user's record as authenticated by `authenticateSigner`,
 * which also unsealed the user's personal key with the password just typed. The key is held
 * in main only (a WeakMap beside this object, never a property: it cannot be serialised or
 * sent anywhere) and dropped when the ledger transaction that signed with it ends.
 *
 * The pattern every signed action keeps (docs/ledger.md §3.2):
 *   const signer = await identity.authenticateSigner(userId, password);   // before the write
 *   ledger.write(actorOf(signer), (w) => { make the change…; identity.sign(w, signer, { def, id }, { meaning, comment }); });
 */
export type Signer = UserRow;

interface UnsealedKey {
  privateKey: KeyObject;
  keyId: string;
  fingerprint: string;
}

const unsealed = new WeakMap<object, UnsealedKey>();

/**
 * A caller names the meaning it signs with; a channel signs exactly one (or one per decision).
 * Another meaning is refused, not ignored (issue 18 §7).
 */
export function expectMeaning(given: string | undefined, expected: SignatureMeaning): void {
  if (given !== expected)
    fail('invalid_input', { field: 'signature.meaning', expected }, 'errors.signature_meaning_mismatch');
}

export function userRoles(u: { roles: string }): Role[] {
  return JSON.parse(u.roles) as Role[];
}

export interface PreparedAdministrator {
  hash: string;
  recoveryCode: string;
  recoveryHash: string;
  key: { id: string; publicKey: string; fingerprint: string; sealed: string };
}

/** First administrator: password checked and hashed, personal key made and sealed, before the database is created. */
export async function prepareFirstAdministrator(input: {
  userId: string;
  printedName: string;
  password: string;
}): Promise<PreparedAdministrator> {
  const problems = passwordPolicyProblems(input.userId, input.password);
  if (problems.length) fail('password_policy', { problems, min: 10, history: PASSWORD_HISTORY });
  const recoveryCode = newRecoveryCode();
  const pair = newPersonalKey();
  const [hash, recoveryHash, sealed] = await Promise.all([
    hashPassword(input.password),
    hashPassword(normalizeRecoveryCode(recoveryCode)),
    sealPersonalKey(pair.privateKey, input.password),
  ]);
  return {
    hash,
    recoveryCode,
    recoveryHash,
    key: { id: pair.id, publicKey: pair.publicKey, fingerprint: pair.fingerprint, sealed },
  };
}

export function actorOf(u: { id: string; printed_name: string }): Actor {
  return { id: u.id, name: u.printed_name };
}

export function toUserView(
  u: UserRow,
  effective?: { status: UserRow['status']; failedAttempts: number; keyFingerprint?: string | null },
): UserView {
  return {
    userId: u.id,
    printedName: u.printed_name,
    roles: userRoles(u),
    status: effective?.status ?? u.status,
    mustChangePassword: u.must_change_password === 1,
    passwordChangedAt: new Date(u.password_changed_at).toISOString(),
    failedAttempts: effective?.failedAttempts ?? u.failed_attempts,
    lastSignInAt: u.last_sign_in_at === null ? null : new Date(u.last_sign_in_at).toISOString(),
    createdAt: new Date(u.created_at).toISOString(),
    keyFingerprint: effective?.keyFingerprint ?? null,
  };
}

/** Errors that mean "the ledger cannot take a write on this host now"; auth events then wait in the sidecar. */
function cannotWriteNow(e: unknown): boolean {
  if (!(e instanceof AppErrorException)) return false;
  const c = e.error.code;
  return (
    c === 'ledger_blocked' ||
    c === 'workstation_not_registered' ||
    (c === 'conflict' && e.error.messageKey === 'import.import_running')
  );
}

/**
 * Accounts, authentication, personal keys and electronic signatures (21 CFR 11.10(d)(g),
 * 11.50, 11.70, 11.100, 11.200, 11.300). Password checks are async (scrypt in the thread pool)
 * and happen before the ledger transaction that records their outcome. A failed
 * authentication writes nothing to the database: it is recorded in the sidecar
 * (auth-sidecar.ts) and carried into the ledger later (docs/decisions.md D-031).
 */
export class IdentityService {
  readonly sidecar: AuthSidecar;

  constructor(
    private readonly ledger: Ledger,
    private readonly settings: SettingsService,
    sidecar?: AuthSidecar,
  ) {
    this.sidecar = sidecar ?? AuthSidecar.forDatabase(ledger.db.name);
  }

  getUser(userId: string): UserRow | undefined {
    return this.ledger.get<UserRow>(E.user, userId);
  }

  listUsers(): UserRow[] {
    return all(this.ledger.db, qb.selectFrom('user_account').selectAll().orderBy('id')) as UserRow[];
  }

  activeAdministrators(): UserRow[] {
    return this.listUsers().filter(
      (u) => this.effectiveStatus(u) === 'active' && userRoles(u).includes('administrator'),
    );
  }

  passwordExpiresAt(u: UserRow): number | null {
    const days = this.settings.get().passwordExpiryDays;
    return days > 0 ? u.password_changed_at + days * DAY : null;
  }

  private dbId(): string | null {
    return this.ledger.getDatabaseId();
  }

  /** Consecutive failures since the user's last success or unlock (the sidecar's count). */
  failedAttempts(userId: string): number {
    return this.sidecar.failuresSinceReset(userId, this.dbId()).length;
  }

  /** The account's status as every path sees it: the ledger's, or locked by the sidecar's count. */
  effectiveStatus(u: UserRow): UserRow['status'] {
    if (u.status !== 'active') return u.status;
    return this.failedAttempts(u.id) >= MAX_FAILED_ATTEMPTS ? 'locked' : 'active';
  }

  view(u: UserRow): UserView {
    const k = this.activeKey(u.id);
    return toUserView(u, {
      status: this.effectiveStatus(u),
      failedAttempts: this.failedAttempts(u.id),
      keyFingerprint: k?.fingerprint ?? null,
    });
  }

  // ---------------------------------------------------------------- personal keys

  /** The key the user signs with now: valid (no valid_to) and sealed. */
  activeKey(userId: string): PersonalKeyRow | undefined {
    return this.ledger.db
      .prepare(
        'SELECT * FROM personal_key WHERE user_id = ? AND valid_to IS NULL AND sealed IS NOT NULL AND retired = 0 ORDER BY valid_from DESC LIMIT 1',
      )
      .get(userId) as PersonalKeyRow | undefined;
  }

  keysOf(userId: string): PersonalKeyRow[] {
    return this.ledger.db
      .prepare('SELECT * FROM personal_key WHERE user_id = ? ORDER BY valid_from')
      .all(userId) as PersonalKeyRow[];
  }

  /**
   * The last entry of the transaction that applied migration 0011: signatures and keys up to
   * it are "legacy"; users created up to it may register a key by `upgrade` (docs/ledger.md §3.1).
   */
  private legacyBoundary(): number {
    const r = this.ledger.db
      .prepare(
        "SELECT (SELECT min(c.seq) FROM checkpoint c WHERE c.seq >= a.seq) AS b FROM audit_entry a WHERE a.entity = 'schema_migration' AND a.entity_id = '0011' ORDER BY a.seq LIMIT 1",
      )
      .get() as { b: number | null } | undefined;
    return r?.b ?? 0;
  }

  /** The latest `enrolled` signature on the user that no key used yet. */
  private pendingEnrolment(userId: string): Row | undefined {
    return this.ledger.db
      .prepare(
        `SELECT s.* FROM signature s WHERE s.entity = 'user' AND s.entity_id = ? AND s.meaning = 'enrolled' AND s.sig IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM personal_key k WHERE k.enrolment = s.id) ORDER BY s.signed_at DESC, s.head_seq DESC LIMIT 1`,
      )
      .get(userId) as Row | undefined;
  }

  /**
   * May the user register a key by `upgrade`? Only an account that existed before migration
   * 0011, that has no personal key yet, and that no administrator enrolled since.
   */
  upgradeEligible(u: UserRow): boolean {
    if (this.keysOf(u.id).length > 0) return false;
    const boundary = this.legacyBoundary();
    const created = this.ledger.db
      .prepare(
        "SELECT seq FROM audit_entry WHERE entity = 'user' AND entity_id = ? AND action = 'create' ORDER BY seq LIMIT 1",
      )
      .get(u.id) as { seq: number } | undefined;
    if (!created || created.seq > boundary) return false;
    return !this.ledger.db
      .prepare("SELECT 1 FROM signature WHERE entity = 'user' AND entity_id = ? AND meaning = 'enrolled' LIMIT 1")
      .get(u.id);
  }

  /** Writes a new personal key for `u` (sealed under `password`) with its enrolment. */
  private createKey(
    w: LedgerWriter,
    u: UserRow,
    pair: PersonalKeyPair,
    sealed: string,
    enrolment: string,
    proof: string | null,
  ): Row {
    return w.create(
      E.personalKey,
      {
        user_id: u.id,
        public_key: pair.publicKey,
        fingerprint: pair.fingerprint,
        valid_from: w.at,
        valid_to: null,
        sealed,
        enrolment,
        enrolment_proof: proof,
        retired_reason: null,
      },
      {
        id: pair.id,
        reason:
          enrolment === 'upgrade'
            ? 'personal key registered at the first sign-in after the upgrade'
            : 'personal key registered at the first own password',
      },
    );
  }

  // ---------------------------------------------------------------- accounts

  private checkRoles(roles: Role[]): void {
    const conflict = rolesConflict(roles);
    if (conflict) fail('segregation_of_duties', { roles: conflict });
  }

  private async checkNewPassword(
    u: { id: string; password_hash?: string; password_history?: string },
    password: string,
  ): Promise<void> {
    const problems = passwordPolicyProblems(u.id, password);
    if (u.password_hash && problems.length === 0) {
      const history = [u.password_hash, ...(JSON.parse(u.password_history ?? '[]') as string[])].slice(
        0,
        PASSWORD_HISTORY,
      );
      // The history's scrypt checks run side by side in the thread pool.
      if ((await Promise.all(history.map((h) => verifyPassword(password, h)))).some(Boolean))
        problems.push('password.reused');
    }
    if (problems.length) fail('password_policy', { problems, min: 10, history: PASSWORD_HISTORY });
  }

  /**
   * The first administrator, in the database-creation transaction: the account, the recovery
   * code and the administrator's personal key (enrolment `init`, docs/ledger.md §3.1).
   */
  writeFirstAdministrator(
    w: LedgerWriter,
    input: { userId: string; printedName: string },
    prepared: PreparedAdministrator,
  ): void {
    if (this.listUsers().length > 0) fail('already_initialized');
    const u = w.create(
      E.user,
      {
        printed_name: input.printedName,
        roles: JSON.stringify(['administrator']),
        status: 'active',
        password_hash: prepared.hash,
        password_history: '[]',
        password_changed_at: w.at,
        must_change_password: 0,
        failed_attempts: 0,
        last_sign_in_at: null,
        created_at: w.at,
        enrolment_key: null,
      },
      { id: input.userId, reason: 'first administrator, created at database initialisation' },
    );
    w.create(E.recoveryCode, { code_hash: prepared.recoveryHash, created_at: w.at, used_at: null });
    w.create(
      E.personalKey,
      {
        user_id: u.id,
        public_key: prepared.key.publicKey,
        fingerprint: prepared.key.fingerprint,
        valid_from: w.at,
        valid_to: null,
        sealed: prepared.key.sealed,
        enrolment: 'init',
        enrolment_proof: null,
        retired_reason: null,
      },
      { id: prepared.key.id, reason: 'first administrator' },
    );
  }

  /** An administrator creates an account, signed `enrolled` (11.100(b)); the user changes the password at first sign-in. */
  async createUser(
    signer: Signer,
    input: { userId: string; printedName: string; roles: Role[]; password: string },
  ): Promise<UserRow> {
    this.checkRoles(input.roles);
    if (this.getUser(input.userId)) fail('conflict', { userId: input.userId }, 'errors.user_exists');
    await this.checkNewPassword({ id: input.userId }, input.password);
    const [hash, enrolment] = await Promise.all([hashPassword(input.password), newEnrolmentKey(input.password)]);
    return this.ledger.write(actorOf(signer), (w) => {
      if (w.get(E.user, input.userId)) fail('conflict', { userId: input.userId }, 'errors.user_exists');
      const row = w.create(
        E.user,
        {
          printed_name: input.printedName,
          roles: JSON.stringify([...new Set(input.roles)]),
          status: 'active',
          password_hash: hash,
          password_history: '[]',
          password_changed_at: w.at,
          // Set by an administrator: the user must change it at first sign-in (11.300).
          must_change_password: 1,
          failed_attempts: 0,
          last_sign_in_at: null,
          created_at: w.at,
          enrolment_key: enrolment.record,
        },
        { id: input.userId },
      ) as UserRow;
      this.sign(
        w,
        signer,
        { def: E.user, id: row.id },
        { meaning: 'enrolled', comment: `account created: ${[...new Set(input.roles)].join(', ')}` },
      );
      return row;
    });
  }

  private mustGet(userId: string): UserRow {
    const u = this.getUser(userId);
    if (!u) fail('not_found', { entity: 'user', id: userId });
    return u;
  }

  private assertNotLastAdmin(u: UserRow, remainingRoles: Role[] | null): void {
    const admins = this.activeAdministrators();
    const isAdmin = this.effectiveStatus(u) === 'active' && userRoles(u).includes('administrator');
    const staysAdmin = remainingRoles !== null && remainingRoles.includes('administrator');
    if (isAdmin && !staysAdmin && admins.length <= 1) fail('last_admin', { userId: u.id });
  }

  /** Printed name and roles; a change of either is signed `enrolled` by the administrator. */
  updateUser(signer: Signer, input: { userId: string; printedName: string; roles: Role[]; reason: string }): UserRow {
    this.checkRoles(input.roles);
    return this.ledger.write(actorOf(signer), (w) => {
      const u = this.mustGet(input.userId);
      if (u.status === 'deactivated') fail('record_locked', { userId: u.id }, 'errors.user_deactivated');
      this.assertNotLastAdmin(u, input.roles);
      const roles = JSON.stringify([...new Set(input.roles)]);
      const row = w.update(
        E.user,
        u.id,
        { printed_name: input.printedName, roles },
        { reason: input.reason },
      ) as UserRow;
      if (roles !== u.roles || input.printedName !== u.printed_name) {
        this.sign(w, signer, { def: E.user, id: u.id }, { meaning: 'enrolled', comment: input.reason });
      }
      return row;
    });
  }

  deactivate(actor: Actor, userId: string, reason: string): UserRow {
    return this.ledger.write(actor, (w) => {
      const u = this.mustGet(userId);
      if (u.status === 'deactivated') return u;
      this.assertNotLastAdmin(u, null);
      return w.update(E.user, u.id, { status: 'deactivated' }, { reason }) as UserRow;
    });
  }

  /** An administrator unlocks an account: the failures waiting in the sidecar are carried into the ledger. */
  unlock(actor: Actor, userId: string, reason: string): UserRow {
    const line = this.sidecar.newLine({
      at: this.ledger.now(),
      kind: 'account_unlocked',
      user: userId,
      ws: this.ledger.workstation,
      detail: `by ${actor.id}`,
      db: this.dbId(),
      reset: true,
    });
    const row = this.ledger.write(actor, (w) => {
      const u = this.mustGet(userId);
      if (u.status === 'deactivated') fail('record_locked', { userId: u.id }, 'errors.user_deactivated');
      this.writePending(w);
      const r = w.update(E.user, u.id, { status: 'active', failed_attempts: 0 }, { reason }) as UserRow;
      this.event(w, 'account_unlocked', u.id, `by ${actor.id}`, line.id);
      return r;
    });
    // The ledger first, then the count: a crash between leaves the account locked, never unlocked unrecorded.
    this.sidecar.append(line);
    return row;
  }

  /**
   * An administrator sets a new password that the user must change (11.300): signed
   * `enrolled`; the user's personal key is retired (it stays registered, so earlier
   * signatures still verify) and a new one is made at the user's next own password.
   */
  async resetPassword(signer: Signer, userId: string, newPassword: string, reason: string): Promise<UserRow> {
    const u = this.mustGet(userId);
    if (u.status === 'deactivated') fail('record_locked', { userId: u.id }, 'errors.user_deactivated');
    await this.checkNewPassword(u, newPassword);
    const [hash, enrolment] = await Promise.all([hashPassword(newPassword), newEnrolmentKey(newPassword)]);
    return this.ledger.write(actorOf(signer), (w) => {
      const cur = this.mustGet(userId);
      const row = w.update(
        E.user,
        cur.id,
        {
          password_hash: hash,
          password_history: JSON.stringify(
            [cur.password_hash, ...(JSON.parse(cur.password_history) as string[])].slice(0, PASSWORD_HISTORY),
          ),
          password_changed_at: w.at,
          must_change_password: 1,
          enrolment_key: enrolment.record,
        },
        { reason },
      ) as UserRow;
      for (const k of this.keysOf(cur.id)) {
        if (k.valid_to !== null) continue;
        w.update(
          E.personalKey,
          k.id,
          { valid_to: w.at, sealed: null, retired_reason: 'password reset by an administrator' },
          { reason },
        );
      }
      this.sign(w, signer, { def: E.user, id: cur.id }, { meaning: 'enrolled', comment: reason });
      return row;
    });
  }

  /**
   * The owner changes the password. The personal key is re-sealed under the new password, or —
   * at the first own password after an administrator created or reset the account, or after
   * the upgrade — a new key is registered (docs/ledger.md §3.1).
   */
  async changeOwnPassword(userId: string, current: string, next: string): Promise<UserRow> {
    const key = this.activeKey(userId);
    let opened: PersonalKeyPair | null = null;
    // With a key in force, opening its seal is the check of the current password.
    const u = await this.authenticate(
      userId,
      current,
      'password_change',
      key?.sealed
        ? async () => {
            opened = await unsealPersonalKey(key.sealed!, current);
            return opened !== null;
          }
        : undefined,
    );
    const existing = opened as PersonalKeyPair | null;
    if (key && (!existing || existing.id !== key.id)) fail('key_error', { userId }, 'errors.personal_key_unsealable');
    const pair = existing ?? newPersonalKey();
    const enrolment = key ? undefined : this.pendingEnrolment(userId);
    // Independent scrypt work side by side in the thread pool: the policy's history check, the
    // new hash, the seal under the new password, the enrolment key from the password replaced.
    const [, hash, sealed, ek] = await Promise.all([
      this.checkNewPassword(u, next),
      hashPassword(next),
      sealPersonalKey(pair.privateKey, next),
      enrolment && u.enrolment_key ? openEnrolmentKey(u.enrolment_key, current) : Promise.resolve(null),
    ]);
    let keyChange: (w: LedgerWriter) => void;
    if (key) {
      keyChange = (w) => w.update(E.personalKey, key.id, { sealed }, { reason: 'sealed under the new password' });
    } else {
      if (enrolment && u.enrolment_key) {
        if (!ek) fail('key_error', { userId }, 'errors.enrolment_not_open');
        const proof = enrolmentProof(ek, { enrolment: enrolment.id, fingerprint: pair.fingerprint, user: userId });
        keyChange = (w) => this.createKey(w, u, pair, sealed, enrolment.id, proof);
      } else if (this.upgradeEligible(u)) {
        keyChange = (w) => this.createKey(w, u, pair, sealed, 'upgrade', null);
      } else {
        fail('key_error', { userId }, 'errors.no_enrolment');
      }
    }
    const line = this.successLine(u, 'password_changed');
    this.sidecar.append(line);
    return this.ledger.write(actorOf(u), (w) => {
      const cur = this.mustGet(userId);
      const row = w.update(
        E.user,
        cur.id,
        {
          password_hash: hash,
          password_history: JSON.stringify(
            [cur.password_hash, ...(JSON.parse(cur.password_history) as string[])].slice(0, PASSWORD_HISTORY),
          ),
          password_changed_at: w.at,
          must_change_password: 0,
          failed_attempts: 0,
          enrolment_key: null,
        },
        { reason: 'password changed by its owner' },
      ) as UserRow;
      keyChange(w);
      this.writePending(w, line.id);
      this.event(w, 'password_changed', cur.id, null, line.id);
      return row;
    });
  }

  private event(w: LedgerWriter, kind: string, userId: string, detail: string | null, id?: string): void {
    w.create(
      E.authEvent,
      { at: w.at, kind, user_id: userId.slice(0, 80), ws: this.ledger.workstation, detail },
      id ? { id } : {},
    );
  }

  // ---------------------------------------------------------------- authentication

  private successLine(u: { id: string }, kind: string): AuthLine {
    return this.sidecar.newLine({
      at: this.ledger.now(),
      kind,
      user: u.id,
      ws: this.ledger.workstation,
      detail: null,
      db: this.dbId(),
      reset: true,
    });
  }

  /** Sidecar lines seen in the ledger already (a cache: the lookup is needed once per line). */
  private carried = new Set<string>();

  /** Sidecar lines not yet in the ledger, written as `auth_event` records by `system` (their own time and workstation). */
  writePending(w: LedgerWriter, exceptId?: string): void {
    const db = this.dbId();
    const exists = this.ledger.db.prepare('SELECT 1 FROM auth_event WHERE id = ?');
    for (const l of this.sidecar.lines()) {
      if (l.id === exceptId || this.carried.has(l.id) || (db && l.db && l.db !== db)) continue;
      if (exists.get(l.id)) {
        this.carried.add(l.id);
        continue;
      }
      w.create(
        E.authEvent,
        { at: l.at, kind: l.kind, user_id: l.user.slice(0, 80), ws: l.ws.slice(0, 200), detail: l.detail },
        { id: l.id, automatic: true, reason: 'carried in from the authentication log' },
      );
    }
  }

  /**
   * Records a successful authentication: its line in the sidecar first (the failure count
   * starts again), then, when this host may write, the event and every line still waiting,
   * in one ledger transaction (`extra` may add the session's own changes).
   */
  recordSuccess(u: UserRow, kind: string, extra?: (w: LedgerWriter) => void): boolean {
    const line = this.successLine(u, kind);
    this.sidecar.append(line);
    return this.carryIn(
      actorOf(u),
      (w) => {
        extra?.(w);
        this.event(w, kind, u.id, null, line.id);
      },
      line.id,
    );
  }

  /** Writes what waits in the sidecar (and `extra`) if this host can write now; false if not. */
  carryIn(actor: Actor, extra?: (w: LedgerWriter) => void, exceptId?: string): boolean {
    if (!this.ledger.isKeyRegistered() || this.ledger.blocked()) return false;
    try {
      this.ledger.write(actor, (w) => {
        this.writePending(w, exceptId);
        extra?.(w);
      });
      return true;
    } catch (e) {
      if (cannotWriteNow(e)) return false;
      throw e;
    }
  }

  private recordFailure(userId: string, purpose: string, detail: string): number {
    const db = this.dbId();
    this.sidecar.append(
      this.sidecar.newLine({
        at: this.ledger.now(),
        kind: `${purpose}_failed`,
        user: userId.slice(0, 80),
        ws: this.ledger.workstation,
        detail,
        db,
      }),
    );
    const n = this.sidecar.failuresSinceReset(userId, db).length;
    if (n === MAX_FAILED_ATTEMPTS) {
      this.sidecar.append(
        this.sidecar.newLine({
          at: this.ledger.now(),
          kind: 'account_locked',
          user: userId,
          ws: this.ledger.workstation,
          detail: `${MAX_FAILED_ATTEMPTS} consecutive failures`,
          db,
        }),
      );
    }
    return n;
  }

  /**
   * Checks a user's password. Nothing is written to the database either way: a failure is
   * recorded in the sidecar (with workstation and time) and the fifth consecutive failure
   * locks the account, for the app and the CLI alike; the caller records a success.
   * `purpose` says what the password was for (sign_in, signature, unlock…).
   */
  async authenticate(
    userId: string,
    password: string,
    purpose: string,
    check?: (u: UserRow) => Promise<boolean>,
  ): Promise<UserRow> {
    const u = this.getUser(userId);
    if (!u) {
      await verifyPassword(password, DUMMY_HASH);
      this.recordFailure(userId, purpose, 'unknown user id');
      fail('wrong_password');
    }
    if (u.status === 'deactivated') fail('account_deactivated', { userId });
    if (this.effectiveStatus(u) === 'locked') fail('account_locked', { userId });
    const ok = await (check ? check(u) : verifyPassword(password, u.password_hash));
    if (!ok) {
      const n = this.recordFailure(userId, purpose, 'wrong password');
      if (n >= MAX_FAILED_ATTEMPTS) fail('account_locked', { userId });
      fail('wrong_password', { remaining: Math.max(0, MAX_FAILED_ATTEMPTS - n) });
    }
    return u;
  }

  /** Password rules for every path (11.300): an initial, reset or expired password must be changed first. */
  checkPasswordRules(u: UserRow, how: 'app' | 'cli'): void {
    const expires = this.passwordExpiresAt(u);
    const hint =
      how === 'cli' ? { how: `lotseal user passwd --user ${u.id} --password-file OLD --new-password-file NEW` } : {};
    if (u.must_change_password === 1)
      fail(
        'must_change_password',
        { userId: u.id, ...hint },
        how === 'cli' ? 'errors.cli_must_change_password' : undefined,
      );
    if (expires !== null && expires <= this.ledger.now())
      fail('password_expired', { userId: u.id, ...hint }, how === 'cli' ? 'errors.cli_password_expired' : undefined);
  }

  /**
   * The user's first own-password authentication after the upgrade: a personal key is made and
   * registered by the user (enrolment `upgrade`, listed as such by verification).
   */
  private async maybeUpgrade(u: UserRow, password: string): Promise<PersonalKeyPair | null> {
    if (
      u.must_change_password === 1 ||
      !this.ledger.isKeyRegistered() ||
      this.ledger.blocked() ||
      !this.upgradeEligible(u)
    )
      return null;
    const pair = newPersonalKey();
    const sealed = await sealPersonalKey(pair.privateKey, password);
    try {
      this.ledger.write(actorOf(u), (w) => {
        if (!this.upgradeEligible(this.mustGet(u.id))) return;
        this.createKey(w, u, pair, sealed, 'upgrade', null);
      });
    } catch (e) {
      if (cannotWriteNow(e)) return null;
      throw e;
    }
    return this.activeKey(u.id)?.id === pair.id ? pair : null;
  }

  /**
   * Sign-in: authenticate, record the success (failure count reset). On a host not yet
   * enrolled only an administrator may sign in (to enrol it); nothing is written then, the
   * success waits in the sidecar until the enrolment carries it in.
   */
  async signIn(userId: string, password: string): Promise<UserRow> {
    const u = await this.authenticate(userId, password, 'sign_in');
    if (!this.ledger.isKeyRegistered() && !userRoles(u).includes('administrator')) {
      fail(
        'workstation_not_registered',
        { fingerprint: this.ledger.hostKey?.fingerprint ?? null },
        'errors.workstation_not_enrolled',
      );
    }
    await this.maybeUpgrade(u, password);
    this.recordSuccess(u, 'sign_in', (w) => w.update(E.user, u.id, { failed_attempts: 0, last_sign_in_at: w.at }));
    return this.mustGet(u.id);
  }

  /** Failures since the user's previous success, for the sign-in warning. */
  failuresBefore(userId: string): number {
    return this.failedAttempts(userId);
  }

  /**
   * A command-line authentication (`lotseal … --user --password-file`): the password, then the
   * password rules (an initial, reset or expired password is refused with how to change it),
   * then `check` (e.g. a permission), then the success recorded. A refusal writes nothing to
   * the database; a wrong password only counts in the sidecar. With `sign`, the user's
   * personal key is unsealed at the same time and a Signer returned (e.g. `user add`).
   */
  async authenticateCommand(
    userId: string,
    password: string,
    opts: { sign?: boolean; check?: (u: UserRow) => void } = {},
  ): Promise<Signer> {
    const { u, pair } = await this.passwordAndKey(userId, password, 'cli_sign_in', (x) => {
      this.checkPasswordRules(x, 'cli');
      opts.check?.(x);
    });
    this.recordSuccess(u, 'cli_sign_in');
    if (opts.sign) return this.signerOf(u, pair);
    return { ...this.mustGet(u.id) };
  }

  signOut(userId: string, why: 'sign_out' | 'switch_user' = 'sign_out'): void {
    const u = this.getUser(userId);
    if (!u) return;
    if (!this.carryIn(actorOf(u), (w) => this.event(w, why, u.id, null))) {
      this.sidecar.append(
        this.sidecar.newLine({
          at: this.ledger.now(),
          kind: why,
          user: u.id,
          ws: this.ledger.workstation,
          detail: null,
          db: this.dbId(),
        }),
      );
    }
  }

  /** The recovery code in force (one at a time; used ones are retired, never deleted). */
  private currentRecoveryCode(): Row | undefined {
    return this.ledger.db
      .prepare('SELECT * FROM recovery_code WHERE retired = 0 AND used_at IS NULL ORDER BY created_at DESC LIMIT 1')
      .get() as Row | undefined;
  }

  /**
   * `lotseal user unlock --recovery-code-file`: unlocks an administrator without a password,
   * on a host already enrolled (a recovery never registers a key). A wrong code writes
   * nothing to the database and counts toward the account's lockout; after five wrong codes
   * the next attempt waits 15 minutes after the last one.
   */
  async unlockWithRecoveryCode(targetId: string, code: string): Promise<{ user: UserRow; newRecoveryCode: string }> {
    if (!this.ledger.isKeyRegistered()) {
      fail(
        'workstation_not_registered',
        { fingerprint: this.ledger.hostKey?.fingerprint ?? null },
        'errors.recovery_needs_enrolled_host',
      );
    }
    const blocked = this.ledger.blocked();
    if (blocked) fail(blocked.code, blocked.details, blocked.messageKey);
    const u = this.getUser(targetId);
    const recent = this.sidecar.failuresSinceReset(targetId, this.dbId(), 'recovery_failed');
    const last = recent[recent.length - 1];
    if (recent.length >= MAX_FAILED_ATTEMPTS && last && this.ledger.now() - last.at < RECOVERY_THROTTLE_MS) {
      fail(
        'account_locked',
        { userId: targetId, until: new Date(last.at + RECOVERY_THROTTLE_MS).toISOString() },
        'errors.recovery_throttled',
      );
    }
    const rc = this.currentRecoveryCode();
    const ok =
      !!rc &&
      !!u &&
      userRoles(u).includes('administrator') &&
      (await verifyPassword(normalizeRecoveryCode(code), rc['code_hash'] as string));
    if (!ok || !u || !rc) {
      this.recordFailure(targetId, 'recovery', u ? 'wrong recovery code' : 'unknown user id');
      fail('wrong_password', { what: 'recovery_code' });
    }
    const next = newRecoveryCode();
    const nextHash = await hashPassword(normalizeRecoveryCode(next));
    const line = this.successLine(u, 'recovery_unlock');
    const user = this.ledger.write(systemActor, (w) => {
      w.update(E.recoveryCode, rc.id, { used_at: w.at }, { reason: `used to unlock ${targetId}` });
      w.retire(E.recoveryCode, rc.id, 'used: a one-time code');
      // A fresh one-time code replaces the used one; the old record stays in the history.
      w.create(E.recoveryCode, { code_hash: nextHash, created_at: w.at, used_at: null });
      this.writePending(w, line.id);
      const row = w.update(
        E.user,
        targetId,
        { status: 'active', failed_attempts: 0 },
        { reason: 'unlocked with the recovery code' },
      ) as UserRow;
      this.event(w, 'recovery_unlock', targetId, null, line.id);
      return row;
    });
    this.sidecar.append(line);
    return { user, newRecoveryCode: next };
  }

  // ---------------------------------------------------------------- electronic signatures

  /** SHA-256 of a record's canonical signed content: what a signature is bound to (11.70). */
  recordHash(def: EntityDef, id: string): string {
    const row = this.ledger.get(def, id);
    if (!row) fail('not_found', { entity: def.name, id });
    return recordHash(def, row);
  }

  /**
   * Step 1 of signing, before the transaction: the signer re-enters the password (every
   * signing, 11.200(a)); it is checked and, at the same time, it unseals the signer's
   * personal key. A wrong password is refused and counted (sidecar). A success resets the
   * failure count; it is recorded by the signature itself (and by an auth event when failures
   * were waiting).
   */
  async authenticateSigner(userId: string, password: string): Promise<Signer> {
    const { u, pair } = await this.passwordAndKey(userId, password, 'signature');
    if (this.failedAttempts(u.id) > 0) this.recordSuccess(u, 'signature_authenticated');
    return this.signerOf(u, pair);
  }

  /**
   * The password checked and the personal key unsealed in one: with a key in force, opening its
   * seal is the password check (AES-256-GCM under the scrypt of this password: the seal is
   * always made under the current password — re-sealed at every change, retired at a reset);
   * without one, the password hash, then the upgrade's new key (or none).
   */
  private async passwordAndKey(
    userId: string,
    password: string,
    purpose: string,
    before?: (u: UserRow) => void,
  ): Promise<{ u: UserRow; pair: PersonalKeyPair | null }> {
    const key = this.activeKey(userId);
    let pair: PersonalKeyPair | null = null;
    const u = await this.authenticate(
      userId,
      password,
      purpose,
      key?.sealed
        ? async () => {
            pair = await unsealPersonalKey(key.sealed!, password);
            return pair !== null && pair.id === key.id;
          }
        : undefined,
    );
    before?.(u);
    if (!key) pair = await this.maybeUpgrade(u, password);
    return { u, pair };
  }

  private signerOf(u: UserRow, pair: PersonalKeyPair | null): Signer {
    if (!pair) fail('key_error', { userId: u.id }, 'errors.no_personal_key');
    const signer: Signer = { ...this.mustGet(u.id) };
    unsealed.set(signer, { privateKey: pair.privateKey, keyId: pair.id, fingerprint: pair.fingerprint });
    return signer;
  }

  /**
   * Step 2, inside the transaction that made the signed change, after making it: the
   * signature record, with the signer's personal Ed25519 signature over the record's content
   * hash and the ledger head before this transaction (docs/ledger.md §3.2). `distinctFrom`
   * lists meanings that the same person may not also have signed on this record (author and
   * reviewer are two people); the service enforces it, not the UI. The unsealed key is
   * dropped when the transaction ends.
   */
  sign(
    w: LedgerWriter,
    signer: Signer,
    target: { def: EntityDef; id: string },
    s: { meaning: SignatureMeaning; comment?: string | undefined; distinctFrom?: SignatureMeaning[] },
  ): Row {
    const k = unsealed.get(signer);
    if (!k)
      throw new Error(
        'identity.sign needs the Signer returned by authenticateSigner for this transaction (its key is dropped after one transaction)',
      );
    w.afterTransaction(() => unsealed.delete(signer));
    if (s.distinctFrom?.length) {
      const mine = this.ledger.db
        .prepare(`SELECT meaning FROM signature WHERE entity = ? AND entity_id = ? AND user_id = ? AND retired = 0`)
        .all(target.def.name, target.id, signer.id) as Array<{ meaning: string }>;
      const clash = mine.find((m) => s.distinctFrom!.includes(m.meaning as SignatureMeaning));
      if (clash) fail('self_review', { meaning: s.meaning, conflictsWith: clash.meaning });
    }
    const row = w.get(target.def, target.id);
    if (!row) fail('not_found', { entity: target.def.name, id: target.id });
    const fields = {
      comment: s.comment?.trim() ? s.comment.trim() : null,
      entity: target.def.name,
      entity_id: target.id,
      head_hash: w.head.hash,
      head_seq: w.head.seq,
      key: k.keyId,
      meaning: s.meaning,
      printed_name: signer.printed_name,
      record_hash: recordHash(target.def, row),
      signed_at: w.at,
      signer: signer.id,
      tz: this.ledger.timeZone,
    };
    return w.create(E.signature, {
      entity: fields.entity,
      entity_id: fields.entity_id,
      meaning: fields.meaning,
      user_id: fields.signer,
      printed_name: fields.printed_name,
      signed_at: fields.signed_at,
      tz: fields.tz,
      comment: fields.comment,
      record_hash: fields.record_hash,
      key_id: fields.key,
      head_seq: fields.head_seq,
      head_hash: fields.head_hash,
      sig: signEsig(k.privateKey, fields),
    });
  }

  /**
   * The signatures of a record, each with `valid` (the record's content still hashes to what
   * was signed) and the state of its personal signature (docs/ledger.md §3.2): `verified`
   * when it verifies with the signer's key on record, `legacy` when made before personal keys.
   */
  signaturesFor(entity: string, entityId: string): SignatureRow[] {
    const rows = all(
      this.ledger.db,
      qb
        .selectFrom('signature')
        .selectAll()
        .where('entity', '=', entity)
        .where('entity_id', '=', entityId)
        .orderBy('signed_at')
        .orderBy('id'),
    );
    if (rows.length === 0) return [];
    const def = entityDef(entity);
    if (!def) fail('not_found', { entity });
    const current = this.ledger.get(def, entityId);
    const hash = current ? recordHash(def, current) : null;
    return rows.map((r) => ({ ...r, valid: hash !== null && r['record_hash'] === hash, ...this.personalState(r) }));
  }

  /** A signature's personal signature: verified with the key on record, legacy, or invalid. */
  personalState(r: Record<string, unknown>): {
    personal: 'verified' | 'legacy' | 'invalid';
    keyFingerprint: string | null;
  } {
    if (!r['sig']) return { personal: 'legacy', keyFingerprint: null };
    const k = this.ledger.db.prepare('SELECT * FROM personal_key WHERE id = ?').get(r['key_id']) as
      | PersonalKeyRow
      | undefined;
    if (!k) return { personal: 'invalid', keyFingerprint: null };
    const f = esigFieldsOf(r);
    const head = this.ledger.db.prepare('SELECT hash FROM audit_entry WHERE seq = ?').get(f.head_seq) as
      | { hash: Buffer }
      | undefined;
    const headOk = f.head_seq === 0 ? f.head_hash === '0'.repeat(64) : head?.hash.toString('hex') === f.head_hash;
    const inValidity = f.signed_at >= k.valid_from && (k.valid_to === null || f.signed_at < k.valid_to);
    const ok = k.user_id === f.signer && headOk && inValidity && verifyEsig(k.public_key, f, r['sig'] as string);
    return { personal: ok ? 'verified' : 'invalid', keyFingerprint: k.fingerprint };
  }
}

/** A signature record with its validity against the record's current content and its personal signature. */
export type SignatureRow = {
  [k: string]: unknown;
  id: string;
  valid: boolean;
  personal: 'verified' | 'legacy' | 'invalid';
  keyFingerprint: string | null;
};

export function newId(): string {
  return randomUUID();
}
