import { fail } from '../../shared/contract/errors';
import type { HandlersOf } from '../dispatcher/handler-kit';
import { IdentityService, prepareFirstAdministrator, SettingsService } from '../identity';
import type { AppCore } from './core';

/** The application's own channels (contract/channels/system.ts): status, locale, first set-up. */
export function systemHandlers(core: AppCore): HandlersOf<'app'> {
  return {
    'app.status': () => {
      // A database that was busy at start (another program writing) is tried again when the
      // window asks (its Retry button), with the UI's short lock wait.
      if (!core.maybe() && core.openError?.messageKey === 'errors.database_busy') core.open();
      const svc = core.maybe();
      return {
        initialized: svc !== null,
        version: core.version,
        host: core.workstation,
        keyFingerprint: core.key.fingerprint,
        workstationRegistered: svc ? svc.ledger.isKeyRegistered() : false,
        databaseId: svc ? svc.ledger.getDatabaseId() : null,
        ledger: svc ? core.ledgerState() : null,
        error: core.openError,
      };
    },
    'app.setLocale': ({ locale }, ctx) => {
      ctx.connection.locale = locale;
      core.setLocale(ctx.connection.id, locale);
      return { ok: true };
    },
    'app.setup': async (input) => {
      if (core.initialized || core.openError) fail('already_initialized');
      const prepared = await prepareFirstAdministrator(input);
      if (core.initialized) fail('already_initialized');
      // One database-creation transaction: schema records, this host's key, the first
      // administrator and its personal key (docs/ledger.md §3.1).
      const ledger = core.createDatabase((l, w) =>
        new IdentityService(l, new SettingsService(l)).writeFirstAdministrator(w, input, prepared),
      );
      core.create(() => ledger);
      return { recoveryCode: prepared.recoveryCode, userId: input.userId };
    },
  };
}
