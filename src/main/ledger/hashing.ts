import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * The exact byte layout of an audit entry's hash (docs/ledger.md §2). The preimage is the
 * RFC 8785 (JCS) canonical JSON of
 *   { action, actor, actor_name, at, content, entity, entity_id, prev, reason, seq, tz, ws }
 * with `content` the record's canonical JSON (stored verbatim), `prev` the previous entry's
 * hash in lower-case hex (64 zeros for the first entry) and `at` integer milliseconds since
 * the epoch. Keys appear in JCS order (UTF-16 code-unit order), which for these ASCII names
 * is the order written below, so the preimage can be assembled without re-parsing
 * `content`. JSON.stringify serialises strings and safe integers exactly as JCS does.
 */
export interface EntryFields {
  seq: number;
  at: number;
  tz: string;
  actor: string;
  actor_name: string;
  ws: string;
  action: string;
  entity: string;
  entity_id: string;
  reason: string | null;
  content: string;
}

export const GENESIS_HEX = '0'.repeat(64);

export function entryPreimage(e: EntryFields, prevHex: string): string {
  const s = JSON.stringify;
  return (
    '{"action":' + s(e.action) +
    ',"actor":' + s(e.actor) +
    ',"actor_name":' + s(e.actor_name) +
    ',"at":' + e.at +
    ',"content":' + e.content +
    ',"entity":' + s(e.entity) +
    ',"entity_id":' + s(e.entity_id) +
    ',"prev":"' + prevHex +
    '","reason":' + (e.reason === null ? 'null' : s(e.reason)) +
    ',"seq":' + e.seq +
    ',"tz":' + s(e.tz) +
    ',"ws":' + s(e.ws) +
    '}'
  );
}

export function entryHash(e: EntryFields, prevHex: string): Buffer {
  return createHash('sha256').update(entryPreimage(e, prevHex), 'utf8').digest();
}

/** RFC 8785 canonical JSON of a record (its content in the audit trail). */
export function canonical(value: unknown): string {
  const out = canonicalize(value);
  if (out === undefined) throw new Error('value cannot be canonicalised');
  return out;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The message a checkpoint signs: JCS of { at, head, key, seq }. */
export function checkpointMessage(seq: number, headHex: string, at: number, keyId: string): Buffer {
  return Buffer.from(canonical({ at, head: headHex, key: keyId, seq }), 'utf8');
}
