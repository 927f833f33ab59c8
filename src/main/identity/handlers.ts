import { signedSettingChanges, type SessionView } from '../../shared/contract/channels/identity';
import { fail } from '../../shared/contract/errors';
import type { CallContext } from '../dispatcher/dispatcher';
import { actorOf, sessionOf, type HandlersOf } from '../dispatcher/handler-kit';
import { E } from '../ledger/entities';
import type { Ledger } from '../ledger/ledger';
import { callSigner } from './call-signer';
import { actorOf as signerActor } from './model';
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
  /** The plant's zone (D-089, D-113): Beijing time for a licensed plant, else the workstation's. */
  plantZone?(): string;
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
    return withZone(v);
  };
  const withZone = (v: SessionView): SessionView => {
    const zone = use().plantZone?.();
    return zone ? { ...v, plantTimeZone: zone } : v;
  };

  return {
    'auth.session': (_i, ctx) => {
      const v = opened() ? use().sessions.view(ctx.connection.id, use().now()) : null;
      return v ? withZone(v) : null;
    },
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

    'users.names': () =>
      use()
        .identity.listUsers()
        .map((u) => ({ userId: u.id, printedName: u.printed_name })),
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
    'settings.update': async ({ settings, reason, signature }, ctx) => {
      const d = use();
      // A change of what a release requires is the administrator's signed decision (D-112):
      // re-authenticated here, the signature written in the same transaction as the change.
      const signer = signature ? await callSigner(d.identity, ctx, signature, 'approved') : null;
      return d.ledger.write(signer ? signerActor(signer) : actorOf(ctx), (w) => {
        // Fields a form does not show (e.g. lot code patterns) are kept, not dropped; the
        // settings are read under the write lock (a second administrator's change in between).
        const current = d.settings.get();
        const merged = { ...current, ...settings };
        const signed = signedSettingChanges(current, merged);
        if (signed.length > 0 && !signer)
          fail('signature_required', { fields: signed.join(', ') }, 'errors.settings_signature_required');
        // The go-live date never moves later over live records (issue 19 §1), checked under the write lock.
        if ((merged.goLiveDate ?? null) !== (current.goLiveDate ?? null)) d.goLive.checkGoLiveChange(merged.goLiveDate);
        const out = d.settings.set(w, merged, reason);
        if (signed.length > 0 && signer) {
          const what = signed.map((k) => `${k}: ${String(current[k] ?? '—')} → ${String(merged[k] ?? '—')}`).join('; ');
          d.identity.sign(
            w,
            signer,
            { def: E.setting, id: 'global' },
            { meaning: 'approved', comment: `${what} (${reason})` },
          );
        }
        return out;
      });
    },
  };
}
