import type { z } from 'zod';
import type { Permission } from '../domain/roles';

/**
 * Who may call a channel:
 * - `public`: anyone connected, before sign-in (app status, sign-in, first-run setup);
 * - `session`: any signed-in user, whatever the role (own account, sign-out, lock);
 * - a named permission, granted to roles in `domain/roles.ts`.
 */
export type Access = 'public' | 'session' | Permission;

export interface ChannelDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly access: Access;
  /** True when the channel changes records (inspectors never get these). */
  readonly writes: boolean;
  /** Calls that must not reset the idle timer (status polling). */
  readonly passive?: boolean;
}

export function channel<I extends z.ZodType, O extends z.ZodType>(def: {
  input: I;
  output: O;
  access: Access;
  writes: boolean;
  passive?: boolean;
}): ChannelDef<I, O> {
  return def;
}

export interface EventDef<P extends z.ZodType = z.ZodType> {
  readonly payload: P;
  /** Permission needed to receive the event; `session` = any signed-in user. */
  readonly access: Access;
}

export function event<P extends z.ZodType>(def: { payload: P; access: Access }): EventDef<P> {
  return def;
}
