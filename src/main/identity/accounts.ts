import { fail } from '../../shared/contract/errors';
import { rolesConflict, type Role } from '../../shared/domain/roles';
import { E } from '../ledger/entities';
import { systemActor, type Actor, type LedgerWriter } from '../ledger/ledger';
import {
  actorOf,
  MAX_FAILED_ATTEMPTS,
  RECOVERY_THROTTLE_MS,
  userRoles,
  type PreparedAdministrator,
  type Signer,
  type UserRow,
} from './model';
import {
  hashPassword,
  newRecoveryCode,
  normalizeRecoveryCode,
  PASSWORD_HISTORY,
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
import type { RecoveryCodeRow } from './queries';
import { Signatures } from './signatures';

/**
 * Accounts, authentication, personal keys and electronic signatures (21 CFR 11.10(d)(g),
 * 11.50, 11.70, 11.100, 11.200, 11.300). Password checks are async (scrypt in the thread pool)
 * and happen before the ledger transaction that records their outcome. A failed
 * authentication writes nothing to the database: it is recorded in the sidecar
 * (auth-sidecar.ts) and carried into the ledger later (docs/decisions.md D-031).
 *
 * Split by sub-capability (issue 21): authentication.ts (password checks, the sidecar),
 * signatures.ts (personal keys, e-signatures), and here accounts, own passwords, sign-in and
 * recovery.
 */
export class IdentityService extends Signatures {
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
      const row = this.written(
        w.create(
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
        ),
      );
      this.sign(
        w,
        signer,
        { def: E.user, id: row.id },
        { meaning: 'enrolled', comment: `account created: ${[...new Set(input.roles)].join(', ')}` },
      );
      return row;
    });
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
      const row = this.written(
        w.update(E.user, u.id, { printed_name: input.printedName, roles }, { reason: input.reason }),
      );
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
      return this.written(w.update(E.user, u.id, { status: 'deactivated' }, { reason }));
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
      const r = this.written(w.update(E.user, u.id, { status: 'active', failed_attempts: 0 }, { reason }));
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
      const row = this.written(
        w.update(
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
        ),
      );
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
      const row = this.written(
        w.update(
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
        ),
      );
      keyChange(w);
      this.writePending(w, line.id);
      this.event(w, 'password_changed', cur.id, null, line.id);
      return row;
    });
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
  private currentRecoveryCode(): RecoveryCodeRow | undefined {
    return this.q.currentRecoveryCode();
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
      (await verifyPassword(normalizeRecoveryCode(code), rc.code_hash));
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
      const row = this.written(
        w.update(
          E.user,
          targetId,
          { status: 'active', failed_attempts: 0 },
          { reason: 'unlocked with the recovery code' },
        ),
      );
      this.event(w, 'recovery_unlock', targetId, null, line.id);
      return row;
    });
    this.sidecar.append(line);
    return { user, newRecoveryCode: next };
  }
}
