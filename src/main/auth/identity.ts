import { randomUUID } from 'node:crypto';
import type { UserView } from '../../shared/contract/channels/identity';
import { fail } from '../../shared/contract/errors';
import { rolesConflict, type Role, type SignatureMeaning } from '../../shared/domain/roles';
import { E, entityDef, signedContent, type EntityDef, type Row } from '../ledger/entities';
import { canonical, sha256Hex } from '../ledger/hashing';
import { all, qb } from '../db/query';
import { systemActor, type Actor, type Ledger, type LedgerWriter } from '../ledger/ledger';
import {
  PASSWORD_HISTORY,
  hashPassword,
  newRecoveryCode,
  normalizeRecoveryCode,
  passwordPolicyProblems,
  verifyPassword,
} from './passwords';
import type { SettingsService } from './settings';

export const MAX_FAILED_ATTEMPTS = 5;
const DAY = 24 * 60 * 60 * 1000;

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
}

export function userRoles(u: UserRow): Role[] {
  return JSON.parse(u.roles) as Role[];
}

/** First administrator: password checked and hashed before the database is created. */
export async function prepareFirstAdministrator(input: { userId: string; printedName: string; password: string }): Promise<{
  hash: string;
  recoveryCode: string;
  recoveryHash: string;
}> {
  const problems = passwordPolicyProblems(input.userId, input.password);
  if (problems.length) fail('password_policy', { problems, min: 10, history: PASSWORD_HISTORY });
  const recoveryCode = newRecoveryCode();
  return { hash: await hashPassword(input.password), recoveryCode, recoveryHash: await hashPassword(normalizeRecoveryCode(recoveryCode)) };
}

export function actorOf(u: UserRow): Actor {
  return { id: u.id, name: u.printed_name };
}

export function toUserView(u: UserRow): UserView {
  return {
    userId: u.id,
    printedName: u.printed_name,
    roles: userRoles(u),
    status: u.status,
    mustChangePassword: u.must_change_password === 1,
    passwordChangedAt: new Date(u.password_changed_at).toISOString(),
    failedAttempts: u.failed_attempts,
    lastSignInAt: u.last_sign_in_at === null ? null : new Date(u.last_sign_in_at).toISOString(),
    createdAt: new Date(u.created_at).toISOString(),
  };
}

/**
 * Accounts, authentication and electronic signatures (21 CFR 11.10(d)(g), 11.50, 11.100,
 * 11.200, 11.300). Password checks are async (scrypt in the thread pool) and happen
 * before the ledger transaction that records their outcome.
 */
export class IdentityService {
  constructor(
    private readonly ledger: Ledger,
    private readonly settings: SettingsService,
  ) {}

  getUser(userId: string): UserRow | undefined {
    return this.ledger.get<UserRow>(E.user, userId);
  }

  listUsers(): UserRow[] {
    return all(this.ledger.db, qb.selectFrom('user_account').selectAll().orderBy('id')) as UserRow[];
  }

  activeAdministrators(): UserRow[] {
    return this.listUsers().filter((u) => u.status === 'active' && userRoles(u).includes('administrator'));
  }

  passwordExpiresAt(u: UserRow): number | null {
    const days = this.settings.get().passwordExpiryDays;
    return days > 0 ? u.password_changed_at + days * DAY : null;
  }

  private checkRoles(roles: Role[]): void {
    const conflict = rolesConflict(roles);
    if (conflict) fail('segregation_of_duties', { roles: conflict });
  }

  private async checkNewPassword(u: { id: string; password_hash?: string; password_history?: string }, password: string): Promise<void> {
    const problems = passwordPolicyProblems(u.id, password);
    if (u.password_hash) {
      const history = [u.password_hash, ...(JSON.parse(u.password_history ?? '[]') as string[])].slice(0, PASSWORD_HISTORY);
      for (const h of history) {
        if (await verifyPassword(password, h)) {
          problems.push('password.reused');
          break;
        }
      }
    }
    if (problems.length) fail('password_policy', { problems, min: 10, history: PASSWORD_HISTORY });
  }

  writeFirstAdministrator(
    w: LedgerWriter,
    input: { userId: string; printedName: string },
    prepared: { hash: string; recoveryHash: string },
  ): void {
    if (this.listUsers().length > 0) fail('already_initialized');
    w.create(
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
      },
      { id: input.userId, reason: 'first administrator, created at database initialisation' },
    );
    w.create(E.recoveryCode, { code_hash: prepared.recoveryHash, created_at: w.at, used_at: null });
  }

  async createUser(
    actor: Actor,
    input: { userId: string; printedName: string; roles: Role[]; password: string },
  ): Promise<UserRow> {
    this.checkRoles(input.roles);
    if (this.getUser(input.userId)) fail('conflict', { userId: input.userId }, 'errors.user_exists');
    await this.checkNewPassword({ id: input.userId }, input.password);
    const hash = await hashPassword(input.password);
    return this.ledger.write(actor, (w) => {
      if (w.get(E.user, input.userId)) fail('conflict', { userId: input.userId }, 'errors.user_exists');
      return w.create(
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
        },
        { id: input.userId },
      ) as UserRow;
    });
  }

  private mustGet(userId: string): UserRow {
    const u = this.getUser(userId);
    if (!u) fail('not_found', { entity: 'user', id: userId });
    return u;
  }

  private assertNotLastAdmin(u: UserRow, remainingRoles: Role[] | null): void {
    const admins = this.activeAdministrators();
    const isAdmin = u.status === 'active' && userRoles(u).includes('administrator');
    const staysAdmin = remainingRoles !== null && remainingRoles.includes('administrator');
    if (isAdmin && !staysAdmin && admins.length <= 1) fail('last_admin', { userId: u.id });
  }

  updateUser(actor: Actor, input: { userId: string; printedName: string; roles: Role[]; reason: string }): UserRow {
    this.checkRoles(input.roles);
    return this.ledger.write(actor, (w) => {
      const u = this.mustGet(input.userId);
      if (u.status === 'deactivated') fail('record_locked', { userId: u.id }, 'errors.user_deactivated');
      this.assertNotLastAdmin(u, input.roles);
      return w.update(E.user, u.id, { printed_name: input.printedName, roles: JSON.stringify([...new Set(input.roles)]) }, { reason: input.reason }) as UserRow;
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

  unlock(actor: Actor, userId: string, reason: string): UserRow {
    return this.ledger.write(actor, (w) => {
      const u = this.mustGet(userId);
      if (u.status === 'deactivated') fail('record_locked', { userId: u.id }, 'errors.user_deactivated');
      const row = w.update(E.user, u.id, { status: 'active', failed_attempts: 0 }, { reason }) as UserRow;
      this.event(w, 'account_unlocked', u.id, `by ${actor.id}`);
      return row;
    });
  }

  async resetPassword(actor: Actor, userId: string, newPassword: string, reason: string): Promise<UserRow> {
    const u = this.mustGet(userId);
    if (u.status === 'deactivated') fail('record_locked', { userId: u.id }, 'errors.user_deactivated');
    await this.checkNewPassword(u, newPassword);
    const hash = await hashPassword(newPassword);
    return this.ledger.write(actor, (w) => {
      const cur = this.mustGet(userId);
      return w.update(
        E.user,
        cur.id,
        {
          password_hash: hash,
          password_history: JSON.stringify([cur.password_hash, ...(JSON.parse(cur.password_history) as string[])].slice(0, PASSWORD_HISTORY)),
          password_changed_at: w.at,
          must_change_password: 1,
        },
        { reason },
      ) as UserRow;
    });
  }

  async changeOwnPassword(userId: string, current: string, next: string): Promise<UserRow> {
    const u = await this.authenticate(userId, current, 'password_change');
    await this.checkNewPassword(u, next);
    const hash = await hashPassword(next);
    return this.ledger.write(actorOf(u), (w) => {
      const cur = this.mustGet(userId);
      const row = w.update(
        E.user,
        cur.id,
        {
          password_hash: hash,
          password_history: JSON.stringify([cur.password_hash, ...(JSON.parse(cur.password_history) as string[])].slice(0, PASSWORD_HISTORY)),
          password_changed_at: w.at,
          must_change_password: 0,
        },
        { reason: 'password changed by its owner' },
      ) as UserRow;
      this.event(w, 'password_changed', cur.id, null);
      return row;
    });
  }

  private event(w: LedgerWriter, kind: string, userId: string, detail: string | null): void {
    w.create(E.authEvent, { at: w.at, kind, user_id: userId.slice(0, 80), ws: this.ledger.workstation, detail });
  }

  /**
   * Checks a user's password. A failure is recorded (with workstation and time) and the
   * fifth consecutive failure locks the account, for the app and the CLI alike.
   * `purpose` says what the password was for (sign-in, signature, unlock…).
   */
  async authenticate(userId: string, password: string, purpose: string, opts: { registerHostKey?: boolean } = {}): Promise<UserRow> {
    const u = this.getUser(userId);
    if (!u) {
      await verifyPassword(password, 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
      if (this.ledger.isKeyRegistered()) {
        this.ledger.write(systemActor, (w) => this.event(w, `${purpose}_failed`, userId, 'unknown user id'));
      }
      fail('wrong_password');
    }
    if (u.status === 'deactivated') fail('account_deactivated', { userId });
    if (u.status === 'locked') fail('account_locked', { userId });
    const ok = await verifyPassword(password, u.password_hash);
    if (!ok) {
      let locked = false;
      if (this.ledger.isKeyRegistered()) {
        this.ledger.write(systemActor, (w) => {
          const cur = this.mustGet(userId);
          const failures = cur.failed_attempts + 1;
          locked = failures >= MAX_FAILED_ATTEMPTS;
          w.update(E.user, userId, { failed_attempts: failures, ...(locked ? { status: 'locked' } : {}) }, {
            reason: `${purpose}: wrong password`,
          });
          this.event(w, `${purpose}_failed`, userId, `attempt ${failures} of ${MAX_FAILED_ATTEMPTS}`);
          if (locked) this.event(w, 'account_locked', userId, `${MAX_FAILED_ATTEMPTS} consecutive failures`);
        });
      }
      if (locked) fail('account_locked', { userId });
      fail('wrong_password', { remaining: Math.max(0, MAX_FAILED_ATTEMPTS - (u.failed_attempts + 1)) });
    }
    if (!this.ledger.isKeyRegistered()) {
      // First write from a new workstation: only an administrator may register its key.
      if (!(opts.registerHostKey && userRoles(u).includes('administrator'))) {
        fail('workstation_not_registered', { fingerprint: this.ledger.hostKey?.fingerprint ?? null });
      }
    }
    return u;
  }

  /** Sign-in: authenticate, reset the failure count, record the event. */
  async signIn(userId: string, password: string): Promise<UserRow> {
    const u = await this.authenticate(userId, password, 'sign_in', { registerHostKey: true });
    return this.ledger.write(
      actorOf(u),
      (w) => {
        const row = w.update(E.user, u.id, { failed_attempts: 0, last_sign_in_at: w.at }) as UserRow;
        this.event(w, 'sign_in', u.id, null);
        return row;
      },
      { registerHostKey: userRoles(u).includes('administrator') },
    );
  }

  signOut(userId: string, why: 'sign_out' | 'switch_user' = 'sign_out'): void {
    const u = this.getUser(userId);
    if (!u || !this.ledger.isKeyRegistered()) return;
    this.ledger.write(actorOf(u), (w) => this.event(w, why, u.id, null));
  }

  /** The recovery code in force (one at a time; used ones are retired, never deleted). */
  private currentRecoveryCode(): Row | undefined {
    return this.ledger.db.prepare('SELECT * FROM recovery_code WHERE retired = 0 AND used_at IS NULL ORDER BY created_at DESC LIMIT 1').get() as
      | Row
      | undefined;
  }

  /** `lotseal user unlock --recovery-code`: unlocks an administrator without a password. */
  async unlockWithRecoveryCode(targetId: string, code: string): Promise<{ user: UserRow; newRecoveryCode: string }> {
    const u = this.mustGet(targetId);
    if (!userRoles(u).includes('administrator')) fail('forbidden', { userId: targetId }, 'errors.recovery_admin_only');
    const rc = this.currentRecoveryCode();
    if (!rc || !(await verifyPassword(normalizeRecoveryCode(code), rc['code_hash'] as string))) {
      this.ledger.write(systemActor, (w) => this.event(w, 'recovery_failed', targetId, null));
      fail('wrong_password', { what: 'recovery_code' });
    }
    const next = newRecoveryCode();
    const nextHash = await hashPassword(normalizeRecoveryCode(next));
    const user = this.ledger.write(systemActor, (w) => {
      w.update(E.recoveryCode, rc.id, { used_at: w.at }, { reason: `used to unlock ${targetId}` });
      w.retire(E.recoveryCode, rc.id, 'used: a one-time code');
      // A fresh one-time code replaces the used one; the old record stays in the history.
      w.create(E.recoveryCode, { code_hash: nextHash, created_at: w.at, used_at: null });
      const row = w.update(E.user, targetId, { status: 'active', failed_attempts: 0 }, { reason: 'unlocked with the recovery code' }) as UserRow;
      this.event(w, 'recovery_unlock', targetId, null);
      return row;
    });
    return { user, newRecoveryCode: next };
  }

  // ---------------------------------------------------------------- electronic signatures

  /** SHA-256 of a record's canonical content: what a signature is bound to (11.70). */
  recordHash(def: EntityDef, id: string): string {
    const row = this.ledger.get(def, id);
    if (!row) fail('not_found', { entity: def.name, id });
    return sha256Hex(canonical(signedContent(def, row)));
  }

  /**
   * Step 1 of signing, before the transaction: the signer re-enters the password (every
   * signing, 11.200(a)). A wrong password is refused and recorded as a failed attempt.
   */
  async authenticateSigner(userId: string, password: string): Promise<UserRow> {
    return this.authenticate(userId, password, 'signature');
  }

  /**
   * Step 2, inside the transaction that makes the signed change: the signature record.
   * `distinctFrom` lists meanings that the same person may not also have signed on this
   * record (author and reviewer are two people); the service enforces it, not the UI.
   */
  sign(
    w: LedgerWriter,
    signer: UserRow,
    target: { def: EntityDef; id: string },
    s: { meaning: SignatureMeaning; comment?: string | undefined; distinctFrom?: SignatureMeaning[] },
  ): Row {
    if (s.distinctFrom?.length) {
      const mine = this.ledger.db
        .prepare(`SELECT meaning FROM signature WHERE entity = ? AND entity_id = ? AND user_id = ? AND retired = 0`)
        .all(target.def.name, target.id, signer.id) as Array<{ meaning: string }>;
      const clash = mine.find((m) => s.distinctFrom!.includes(m.meaning as SignatureMeaning));
      if (clash) fail('self_review', { meaning: s.meaning, conflictsWith: clash.meaning });
    }
    const row = w.get(target.def, target.id);
    if (!row) fail('not_found', { entity: target.def.name, id: target.id });
    return w.create(E.signature, {
      entity: target.def.name,
      entity_id: target.id,
      meaning: s.meaning,
      user_id: signer.id,
      printed_name: signer.printed_name,
      signed_at: w.at,
      tz: this.ledger.timeZone,
      comment: s.comment?.trim() ? s.comment.trim() : null,
      record_hash: sha256Hex(canonical(signedContent(target.def, row))),
    });
  }

  signaturesFor(entity: string, entityId: string): SignatureRow[] {
    const rows = all(
      this.ledger.db,
      qb.selectFrom('signature').selectAll().where('entity', '=', entity).where('entity_id', '=', entityId).orderBy('signed_at').orderBy('id'),
    );
    if (rows.length === 0) return [];
    const def = entityDef(entity);
    if (!def) fail('not_found', { entity });
    const current = this.ledger.get(def, entityId);
    const hash = current ? sha256Hex(canonical(signedContent(def, current))) : null;
    return rows.map((r) => ({ ...r, valid: hash !== null && r['record_hash'] === hash }));
  }
}

/** A signature record with its validity against the record's current content. */
export type SignatureRow = { [k: string]: unknown; id: string; valid: boolean };

export function newId(): string {
  return randomUUID();
}
