import { fail } from '../../shared/contract/errors';
import type { ChannelName } from '../../shared/contract';
import type { Actor } from '../ledger/ledger';
import type { CallContext, Handler, SessionInfo } from './dispatcher';

/**
 * What every capability's handlers share (docs/architecture.md "Handlers"): the session and
 * the acting person of a call. A handler file declares the narrow set of services it needs
 * (its `…HandlerDeps`) and receives them from the composition root as `use()`, so it never
 * sees the whole core.
 */

/** The signed-in session of a call (the dispatcher has already refused calls without one where a permission is needed). */
export function sessionOf(ctx: CallContext): SessionInfo {
  if (!ctx.session) fail('not_signed_in');
  return ctx.session;
}

/** The person acting in a call, as the ledger records them. */
export function actorOf(ctx: CallContext): Actor {
  const s = sessionOf(ctx);
  return { id: s.userId, name: s.printedName };
}

/** Whether the caller holds a permission (for views that show what the caller may do next). */
export function may(ctx: CallContext, permission: Parameters<SessionInfo['permissions']['has']>[0]): boolean {
  return ctx.session?.permissions.has(permission) ?? false;
}

/** The handlers of the channels whose names start with one of the prefixes. */
export type HandlersOf<P extends string> = { [K in Extract<ChannelName, `${P}.${string}`>]: Handler<K> };
