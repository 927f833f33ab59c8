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

/**
 * A schema built the first time anything touches it (D-129). Building the contract's zod
 * schemas when it loads cost every process that loads it ~0.1–0.2 CPU-s (a `lotseal` start,
 * the site server, the browser harness, every page load of the app), while a process uses a
 * handful of its ~240 channels. The proxy stands for the schema in every way (its type, its
 * methods, `instanceof`, use inside other schemas), and builds it once, on first use.
 */
export function lazySchema<T extends object>(build: () => T): T {
  let schema: T | undefined;
  const real = (): T => (schema ??= build());
  return new Proxy(Object.create(null) as T, {
    get: (_, key) => Reflect.get(real(), key),
    has: (_, key) => Reflect.has(real(), key),
    set: (_, key, value) => Reflect.set(real(), key, value),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(real(), key);
      // The target is an empty stand-in: a property may not be reported non-configurable on it.
      return d && { ...d, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    defineProperty: (_, key, d) => Reflect.defineProperty(real(), key, d),
    deleteProperty: (_, key) => Reflect.deleteProperty(real(), key),
  });
}
