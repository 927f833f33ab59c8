import type { Db } from '../db/database';
import { verifySignature } from './keys';

/** A host key as the registry holds it (docs/ledger.md §3). */
export interface RegisteredHostKey {
  id: string;
  publicKey: string;
  host: string;
  hostKind: string;
  validFrom: number;
  validTo: number | null;
  retired: boolean;
}

interface Row {
  id: string;
  public_key: string;
  host: string;
  host_kind: string;
  valid_from: number;
  valid_to: number | null;
  retired: number;
}

/** A host key of the registry by id (undefined: never enrolled). */
export function registeredHostKey(db: Db, id: string): RegisteredHostKey | undefined {
  const r = db
    .prepare<
      [string],
      Row
    >('SELECT id, public_key, host, host_kind, valid_from, valid_to, retired FROM signing_key WHERE id = ?')
    .get(id);
  return r
    ? {
        id: r.id,
        publicKey: r.public_key,
        host: r.host,
        hostKind: r.host_kind,
        validFrom: r.valid_from,
        validTo: r.valid_to,
        retired: r.retired === 1,
      }
    : undefined;
}

/**
 * Why a message signed by host key `id` is not accepted at `at`, or null when it is: the key is
 * enrolled, in force at `at` (not retired, not past its `valid_to`) and the Ed25519 signature
 * verifies. Used for what a workstation signs outside the chain (signed frames, D-095).
 */
export function hostSignatureProblem(
  db: Db,
  id: string,
  message: Uint8Array,
  signatureB64: string,
  at: number,
): 'key_unknown' | 'key_retired' | 'signature_invalid' | null {
  const k = registeredHostKey(db, id);
  if (!k) return 'key_unknown';
  if (k.retired || at < k.validFrom || (k.validTo !== null && at >= k.validTo)) return 'key_retired';
  const sig = Buffer.from(signatureB64, 'base64');
  if (sig.length !== 64 || !verifySignature(k.publicKey, message, sig)) return 'signature_invalid';
  return null;
}
