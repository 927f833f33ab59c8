import type { SessionView } from '../../shared/contract/channels/identity';
import { permissionsOf, type Permission, type Role } from '../../shared/domain/roles';
import type { SessionGate, SessionInfo } from '../dispatcher/dispatcher';
import type { IdentityService } from './accounts';
import { userRoles, type UserRow } from './model';
import type { SettingsService } from './settings';

interface Session extends SessionInfo {
  permissions: ReadonlySet<Permission>;
  roles: Role[];
  lastActivity: number;
  signedInAt: number;
  warnings: SessionView['warnings'];
}

/**
 * Sessions live in main, one per renderer connection; the renderer holds no token or
 * password. The idle rule (default 15 minutes) locks a session; resuming needs the same
 * user's password. Account status is re-read on every call, so a deactivation or lockout
 * takes effect at once.
 */
export class SessionManager implements SessionGate {
  private sessions = new Map<string, Session>();
  private lockListeners = new Set<(connectionId: string, reason: 'idle_lock' | 'signed_out') => void>();

  constructor(
    private readonly identity: IdentityService,
    private readonly settings: SettingsService,
  ) {}

  onLock(l: (connectionId: string, reason: 'idle_lock' | 'signed_out') => void): void {
    this.lockListeners.add(l);
  }

  idleTimeoutMs(): number {
    return this.settings.get().idleTimeoutMinutes * 60_000;
  }

  start(connectionId: string, u: UserRow, now: number, warnings: SessionView['warnings'] = []): Session {
    const roles = userRoles(u);
    const s: Session = {
      userId: u.id,
      printedName: u.printed_name,
      roles,
      permissions: permissionsOf(roles),
      locked: false,
      mustChangePassword: false,
      lastActivity: now,
      signedInAt: now,
      warnings,
    };
    this.sessions.set(connectionId, s);
    return s;
  }

  end(connectionId: string): void {
    this.sessions.delete(connectionId);
  }

  raw(connectionId: string): Session | undefined {
    return this.sessions.get(connectionId);
  }

  current(connectionId: string, now: number): SessionInfo | null {
    const s = this.sessions.get(connectionId);
    if (!s) return null;
    const u = this.identity.getUser(s.userId);
    // The status every path sees: the ledger's, or locked by the authentication sidecar's count.
    if (!u || this.identity.effectiveStatus(u) !== 'active') {
      this.sessions.delete(connectionId);
      for (const l of this.lockListeners) l(connectionId, 'signed_out');
      return null;
    }
    // Role changes apply to open sessions at once.
    const roles = userRoles(u);
    if (roles.join() !== s.roles.join()) {
      s.roles = roles;
      s.permissions = permissionsOf(roles);
    }
    const expires = this.identity.passwordExpiresAt(u);
    s.mustChangePassword = u.must_change_password === 1 || (expires !== null && expires <= now);
    if (!s.locked && now - s.lastActivity > this.idleTimeoutMs()) {
      s.locked = true;
      for (const l of this.lockListeners) l(connectionId, 'idle_lock');
    }
    return s;
  }

  touch(connectionId: string, now: number): void {
    const s = this.sessions.get(connectionId);
    if (s && !s.locked) s.lastActivity = now;
  }

  lock(connectionId: string): void {
    const s = this.sessions.get(connectionId);
    if (s) s.locked = true;
  }

  unlockSession(connectionId: string, now: number): void {
    const s = this.sessions.get(connectionId);
    if (s) {
      s.locked = false;
      s.lastActivity = now;
    }
  }

  view(connectionId: string, now: number): SessionView | null {
    const s = this.current(connectionId, now) as Session | null;
    if (!s) return null;
    const u = this.identity.getUser(s.userId)!;
    const expires = this.identity.passwordExpiresAt(u);
    return {
      userId: s.userId,
      printedName: s.printedName,
      roles: s.roles,
      permissions: [...s.permissions] as Permission[],
      locked: s.locked,
      mustChangePassword: s.mustChangePassword,
      passwordExpiresAt: expires === null ? null : new Date(expires).toISOString(),
      idleTimeoutMs: this.idleTimeoutMs(),
      readOnly: s.roles.length > 0 && s.roles.every((r) => r === 'inspector'),
      signedInAt: new Date(s.signedInAt).toISOString(),
      keyFingerprint: this.identity.activeKey(u.id)?.fingerprint ?? null,
      warnings: s.warnings,
    };
  }
}
