import type { Value } from '../../ledger/entities';

/** A JSON column decoded (empty or NULL: the fallback). */
export function json<T>(v: Value | undefined, fallback: T): T {
  return typeof v === 'string' && v ? (JSON.parse(v) as T) : fallback;
}

/** A statement prepared on first use, once per queries object. */
export function lazy<T>(make: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= make());
}
