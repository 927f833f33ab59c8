import type { UserView } from '../../shared/contract/channels/identity';
import { fail } from '../../shared/contract/errors';
import { E, type Row } from '../ledger/entities';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { AuthSidecar, type AuthLine } from './auth-sidecar';
import { actorOf, cannotWriteNow, MAX_FAILED_ATTEMPTS, toUserView, userRoles, type UserRow } from './model';
import { verifyPassword } from './passwords';
import { identityQueriesOf, type IdentityQueries } from './queries';
import type { SettingsService } from './settings';

const DAY = 24 * 60 * 60 * 1000;
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/**
 * Authentication (21 CFR 11.10(d), 11.300): accounts as every path sees them, password
 * checks, failures counted in the sidecar (auth-sidecar.ts) and carried into the ledger
 * later (docs/decisions.md D-031). The first layer of IdentityService (accounts.ts).
 */
export class Authentication {
  protected readonly q: IdentityQueries;
  readonly sidecar: AuthSidecar;

  constructor(
    protected readonly ledger: Ledger,
    protected readonly settings: SettingsService,
    sidecar?: AuthSidecar,
  ) {
    this.sidecar = sidecar ?? AuthSidecar.forDatabase(ledger.db.name);
    this.q = identityQueriesOf(ledger.db);
  }

  getUser(userId: string): UserRow | undefined {
    return this.q.user(userId);
  }

  listUsers(): UserRow[] {
    return this.q.users();
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

  protected dbId(): string | null {
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
    const k = this.q.activeKey(u.id);
    return toUserView(u, {
      status: this.effectiveStatus(u),
      failedAttempts: this.failedAttempts(u.id),
      keyFingerprint: k?.fingerprint ?? null,
    });
  }

  /** The account as the change just made left it (a ledger writer's row), read back as a typed row. */
  protected written(row: Row): UserRow {
    return this.mustGet(row.id);
  }

  protected mustGet(userId: string): UserRow {
    const u = this.getUser(userId);
    if (!u) fail('not_found', { entity: 'user', id: userId });
    return u;
  }

  protected event(w: LedgerWriter, kind: string, userId: string, detail: string | null, id?: string): void {
    w.create(
      E.authEvent,
      { at: w.at, kind, user_id: userId.slice(0, 80), ws: this.ledger.workstation, detail },
      id ? { id } : {},
    );
  }

  // ---------------------------------------------------------------- authentication

  protected successLine(u: { id: string }, kind: string): AuthLine {
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
  protected carried = new Set<string>();

  /** Sidecar lines not yet in the ledger, written as `auth_event` records by `system` (their own time and workstation). */
  writePending(w: LedgerWriter, exceptId?: string): void {
    const db = this.dbId();
    for (const l of this.sidecar.lines()) {
      if (l.id === exceptId || this.carried.has(l.id) || (db && l.db && l.db !== db)) continue;
      if (this.q.authEventRecorded(l.id)) {
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

  protected recordFailure(userId: string, purpose: string, detail: string): number {
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

  /** Failures since the user's previous success, for the sign-in warning. */
  failuresBefore(userId: string): number {
    return this.failedAttempts(userId);
  }
}
