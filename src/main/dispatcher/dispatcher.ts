import { z } from 'zod';
import { isSqliteBusy } from '../db/database';
import {
  AppErrorException,
  appError,
  contract,
  events,
  isChannelName,
  type AppError,
  type ChannelName,
  type ChannelOutput,
  type ChannelParsedInput,
  type EventName,
  type EventPayload,
  type Result,
} from '../../shared/contract';
import type { Permission } from '../../shared/domain/roles';
import { hasKey, translate } from '../../shared/i18n';

export type Locale = 'en' | 'zh-CN';

/** One renderer connection: an Electron webContents, a harness WebSocket, a test. */
export interface Connection {
  readonly id: string;
  locale: Locale;
}

export interface SessionInfo {
  readonly userId: string;
  readonly printedName: string;
  readonly permissions: ReadonlySet<Permission>;
  locked: boolean;
  /** Set by an administrator or expired (11.300): only the password change is open. */
  mustChangePassword: boolean;
}

/** What the dispatcher needs to know about sessions (implemented by identity/sessions.ts). */
export interface SessionGate {
  /** The connection's session after applying the idle rule (may lock it now). */
  current(connectionId: string, now: number): SessionInfo | null;
  touch(connectionId: string, now: number): void;
}

export interface CallContext {
  readonly connection: Connection;
  readonly session: SessionInfo | null;
}

export type Handler<K extends ChannelName> = (
  input: ChannelParsedInput<K>,
  ctx: CallContext,
) => ChannelOutput<K> | Promise<ChannelOutput<K>>;

export type HandlerTable = { [K in ChannelName]: Handler<K> };

/** Channels a locked session may still use. */
const allowedWhileLocked = new Set<ChannelName>(['auth.unlock', 'auth.signOut', 'auth.session', 'app.status', 'app.setLocale', 'ledger.status']);

export interface DispatcherLog {
  refused(info: { connectionId: string; channel: string; code: string; userId: string | null; detail?: string }): void;
  error(info: { channel: string; error: unknown }): void;
}

/** `mayReceive(connectionId)`: the event's access (contract `events`) allows that connection's session. */
export type EventSink = (target: { connectionId: string } | 'all', name: EventName, payload: unknown, mayReceive: (connectionId: string) => boolean) => void;

/** The contract's own format rules carry a message key (e.g. `quantity_format`): say it in the user's language. */
function schemaMessage(locale: Locale, message: string): string {
  return /^[a-z][a-z_]*$/.test(message) && hasKey(locale, `schema.${message}`) ? translate(locale, `schema.${message}`) : message;
}

function zodErrorMap(locale: Locale) {
  return locale === 'zh-CN' ? z.locales.zhCN().localeError : z.locales.en().localeError;
}

/**
 * The one dispatcher (rule 1): known channel → zod-parsed input → session and permission →
 * service → typed output. A payload that fails validation never reaches a service.
 * Sender validation is the transport's job before it calls here (Electron: main frame of
 * the app's own URL; harness: the per-start token), see ipc.ts and harness/server.ts.
 */
export class Dispatcher {
  private eventSinks = new Set<EventSink>();

  constructor(
    private readonly handlers: HandlerTable,
    private readonly sessions: SessionGate,
    private readonly log: DispatcherLog,
    private readonly clock: () => number = Date.now,
  ) {}

  onEvent(sink: EventSink): () => void {
    this.eventSinks.add(sink);
    return () => this.eventSinks.delete(sink);
  }

  emit<E extends EventName>(target: { connectionId: string } | 'all', name: E, payload: EventPayload<E>): void {
    const access = events[name].access;
    const mayReceive = (connectionId: string): boolean => {
      if (access === 'public') return true;
      const session = this.sessions.current(connectionId, this.clock());
      if (!session) return false;
      return access === 'session' || session.permissions.has(access);
    };
    for (const s of this.eventSinks) s(target, name, payload, mayReceive);
  }

  private refuse(conn: Connection, channel: string, error: AppError, userId: string | null, detail?: string): Result<never> {
    this.log.refused({ connectionId: conn.id, channel, code: error.code, userId, ...(detail ? { detail } : {}) });
    return { ok: false, error };
  }

  async call(conn: Connection, channel: unknown, input: unknown): Promise<Result<unknown>> {
    if (!isChannelName(channel)) {
      return this.refuse(conn, String(channel).slice(0, 80), appError('unknown_channel', { channel: String(channel).slice(0, 80) }), null);
    }
    const def = contract[channel];
    const parsed = def.input.safeParse(input ?? {}, { error: zodErrorMap(conn.locale) });
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), code: i.code, message: schemaMessage(conn.locale, i.message) }));
      return this.refuse(conn, channel, appError('invalid_input', { issues }), null, JSON.stringify(issues).slice(0, 300));
    }
    const now = this.clock();
    const session = this.sessions.current(conn.id, now);
    if (def.access !== 'public') {
      if (!session) return this.refuse(conn, channel, appError('not_signed_in'), null);
      if (session.locked && !allowedWhileLocked.has(channel)) {
        return this.refuse(conn, channel, appError('session_locked'), session.userId);
      }
      if (session.mustChangePassword && !allowedWhileLocked.has(channel) && channel !== 'auth.changePassword' && channel !== 'app.setLocale') {
        return this.refuse(conn, channel, appError('must_change_password'), session.userId);
      }
      if (def.access !== 'session' && !session.permissions.has(def.access)) {
        return this.refuse(conn, channel, appError('forbidden', { permission: def.access }), session.userId);
      }
    }
    if (session && !session.locked && !def.passive) this.sessions.touch(conn.id, now);
    try {
      const handler = this.handlers[channel] as Handler<ChannelName>;
      const out = await handler(parsed.data as never, { connection: conn, session });
      const checked = def.output.safeParse(out);
      if (!checked.success) {
        this.log.error({ channel, error: new Error(`output does not match the contract: ${checked.error.message}`) });
        return { ok: false, error: appError('internal', { channel }) };
      }
      return { ok: true, data: checked.data };
    } catch (e) {
      if (e instanceof AppErrorException) {
        return this.refuse(conn, channel, e.error, session?.userId ?? null);
      }
      // Another program holds the database's write lock (a CLI import): a clear answer after a
      // short wait, never a frozen window (issue 24 §7). Nothing was written.
      if (isSqliteBusy(e)) {
        return this.refuse(conn, channel, appError('conflict', {}, 'errors.database_busy'), session?.userId ?? null);
      }
      this.log.error({ channel, error: e });
      return { ok: false, error: appError('internal', { channel }) };
    }
  }
}
