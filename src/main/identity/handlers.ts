import type { SessionView } from '../../shared/contract/channels/identity';
import { fail } from '../../shared/contract/errors';
import type { CallContext } from '../dispatcher/dispatcher';
import { actorOf, sessionOf, type HandlersOf } from '../dispatcher/handler-kit';
import type { Ledger } from '../ledger/ledger';
import { callSigner } from './call-signer';
import type { IdentityService } from './accounts';
import type { SessionManager } from './sessions';
import type { SettingsService } from './settings';

/** What the identity channels (contract/channels/identity.ts) need, and nothing more. */
export interface IdentityHandlerDeps {
  identity: IdentityService;
  sessions: SessionManager;
  settings: SettingsService;
  ledger: Pick<Ledger, 'write' | 'isKeyRegistered' | 'blocked'>;
  /** The go-live rule of the lot controls (issue 19 §1): the date never moves later over live records. */
  goLive: { checkGoLiveChange(next: string | null | undefined): void };
  /** Whether this computer's clock is behind the ledger's last entry (a sign-in warning). */
  clockBehindLedger(): boolean;
  /** This host's key fingerprint (shown when the workstation is not enrolled). */
  hostFingerprint: string;
  now(): number;
}

/**
 * Sign-in, sessions, accounts and settings. `opened` says whether a database is open:
 * `auth.session` answers null before there is one.
 */
export function identityHandlers(
  use: () => IdentityHandlerDeps,
  opened: () => boolean,
): HandlersOf<'auth' | 'users' | 'settings'> {
  const sessionView = (ctx: CallContext): SessionView => {
    const d = use();
    const v = d.sessions.view(ctx.connection.id, d.now());
    if (!v) fail('not_signed_in');
    return v;
  };

  return {
    'auth.session': (_i, ctx) => (opened() ? (use().sessions.view(ctx.connection.id, use().now()) ?? null) : null),
    'auth.signIn': async ({ userId, password }, ctx) => {
      const d = use();
      const id = userId.trim().toLowerCase();
      const failures = d.identity.getUser(id) ? d.identity.failedAttempts(id) : 0;
      const u = await d.identity.signIn(id, password);
      const warnings: SessionView['warnings'] = [];
      if (d.clockBehindLedger()) warnings.push({ key: 'warnings.clock_behind_ledger' });
      if (failures > 0) warnings.push({ key: 'warnings.failed_attempts', details: { count: failures } });
      if (!d.ledger.isKeyRegistered())
        warnings.push({ key: 'warnings.workstation_not_enrolled', details: { fingerprint: d.hostFingerprint } });
      const blocked = d.ledger.blocked();
      if (blocked) warnings.push({ key: blocked.messageKey, details: blocked.details ?? {} });
      d.sessions.start(ctx.connection.id, u, d.now(), warnings);
      return sessionView(ctx);
    },
    'auth.signOut': (_i, ctx) => {
      const d = use();
      const s = d.sessions.raw(ctx.connection.id);
      if (s) d.identity.signOut(s.userId);
      d.sessions.end(ctx.connection.id);
      return { ok: true };
    },
    'auth.lock': (_i, ctx) => {
      use().sessions.lock(ctx.connection.id);
      return { ok: true };
    },
    'auth.unlock': async ({ password }, ctx) => {
      const d = use();
      const s = d.sessions.raw(ctx.connection.id);
      if (!s) fail('not_signed_in');
      const u = await d.identity.authenticate(s.userId, password, 'unlock');
      d.identity.recordSuccess(u, 'session_unlocked');
      d.sessions.unlockSession(ctx.connection.id, d.now());
      return sessionView(ctx);
    },
    'auth.changePassword': async ({ currentPassword, newPassword }, ctx) => {
      await use().identity.changeOwnPassword(sessionOf(ctx).userId, currentPassword, newPassword);
      return sessionView(ctx);
    },
    // The last administrator's one-time recovery code (D-105): checked before anything is
    // written; a wrong one counts toward the recovery throttle; the answer is the new code.
    'auth.recover': async ({ userId, recoveryCode }) => {
      const id = use().identity;
      const r = await id.unlockWithRecoveryCode(userId.trim().toLowerCase(), recoveryCode);
      return { userId: r.user.id, status: id.view(r.user).status, newRecoveryCode: r.newRecoveryCode };
    },

    'users.list': () => {
      const id = use().identity;
      return id.listUsers().map((u) => id.view(u));
    },
    // Creating an account, resetting a password, changing roles or printed name: the
    // administrator's signed identity verification (`enrolled`, 11.100(b)).
    'users.create': async ({ signature, ...input }, ctx) => {
      const id = use().identity;
      const admin = await callSigner(id, ctx, signature, 'enrolled');
      return id.view(await id.createUser(admin, input));
    },
    'users.update': async ({ signature, ...input }, ctx) => {
      const id = use().identity;
      const admin = await callSigner(id, ctx, signature, 'enrolled');
      return id.view(id.updateUser(admin, input));
    },
    'users.deactivate': ({ userId, reason }, ctx) => {
      if (userId === sessionOf(ctx).userId) fail('forbidden', { userId }, 'errors.cannot_deactivate_self');
      const id = use().identity;
      return id.view(id.deactivate(actorOf(ctx), userId, reason));
    },
    'users.unlock': ({ userId, reason }, ctx) => {
      const id = use().identity;
      return id.view(id.unlock(actorOf(ctx), userId, reason));
    },
    'users.resetPassword': async ({ userId, newPassword, reason, signature }, ctx) => {
      const id = use().identity;
      const admin = await callSigner(id, ctx, signature, 'enrolled');
      return id.view(await id.resetPassword(admin, userId, newPassword, reason));
    },

    'settings.get': () => use().settings.get(),
    'settings.update': ({ settings, reason }, ctx) => {
      const d = use();
      // Fields a form does not show (e.g. lot code patterns) are kept, not dropped.
      const merged = { ...d.settings.get(), ...settings };
      return d.ledger.write(actorOf(ctx), (w) => {
        // The go-live date never moves later over live records (issue 19 §1), checked under the write lock.
        if ((merged.goLiveDate ?? null) !== (d.settings.get().goLiveDate ?? null))
          d.goLive.checkGoLiveChange(merged.goLiveDate);
        return d.settings.set(w, merged, reason);
      });
    },
  };
}
