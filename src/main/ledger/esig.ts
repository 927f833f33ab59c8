import { sign as edSign, type KeyObject } from 'node:crypto';
import type { EntityDef } from './entities';
import { signedContent } from './entities';
import { canonical, sha256Hex } from './hashing';
import { verifySignature } from './keys';

/**
 * The byte layouts of personal e-signatures (docs/ledger.md §3.2) and of the enrolment proof
 * of a personal key (§3.1). Pure functions over public data: the write path, verification
 * (main thread and workers) and the standalone verifier compute exactly these bytes.
 */
export const ESIG_VERSION = 'lotseal-esig-1';
export const ENROLMENT_VERSION = 'lotseal-enrolment-1';

export interface EsigFields {
  comment: string | null;
  entity: string;
  entity_id: string;
  /** 64 hex: the stored hash of entry `head_seq` (64 zeros when head_seq = 0). */
  head_hash: string;
  /** The last audit sequence number before the signing transaction began. */
  head_seq: number;
  /** The personal key id (first 16 hex digits of its fingerprint). */
  key: string;
  meaning: string;
  printed_name: string;
  /** SHA-256 hex of JCS(signed content of the record) as it stands when the signature is appended. */
  record_hash: string;
  /** The transaction's time (ms since the epoch, UTC) = the signature entry's `at`. */
  signed_at: number;
  /** The signer's user id. */
  signer: string;
  /** The IANA time zone of the workstation. */
  tz: string;
}

/** UTF-8 of the RFC 8785 canonical JSON of the fields plus `"v": "lotseal-esig-1"`. */
export function esigMessage(f: EsigFields): Buffer {
  return Buffer.from(
    canonical({
      comment: f.comment,
      entity: f.entity,
      entity_id: f.entity_id,
      head_hash: f.head_hash,
      head_seq: f.head_seq,
      key: f.key,
      meaning: f.meaning,
      printed_name: f.printed_name,
      record_hash: f.record_hash,
      signed_at: f.signed_at,
      signer: f.signer,
      tz: f.tz,
      v: ESIG_VERSION,
    }),
    'utf8',
  );
}

export function signEsig(privateKey: KeyObject, f: EsigFields): string {
  return edSign(null, esigMessage(f), privateKey).toString('base64');
}

export function verifyEsig(publicKeyB64: string, f: EsigFields, sigB64: string): boolean {
  const sig = Buffer.from(sigB64, 'base64');
  if (sig.length !== 64) return false;
  return verifySignature(publicKeyB64, esigMessage(f), sig);
}

/** SHA-256 of the canonical signed content of a record (what `record_hash` binds). */
export function recordHash(def: Pick<EntityDef, 'signed' | 'added'>, row: Record<string, unknown>): string {
  return sha256Hex(canonical(signedContent(def, row)));
}

/** The fields of a signature record (its audit content or its row) as signed. */
export function esigFieldsOf(r: Record<string, unknown>): EsigFields {
  return {
    comment: (r['comment'] as string | null) ?? null,
    entity: r['entity'] as string,
    entity_id: r['entity_id'] as string,
    head_hash: r['head_hash'] as string,
    head_seq: r['head_seq'] as number,
    key: r['key_id'] as string,
    meaning: r['meaning'] as string,
    printed_name: r['printed_name'] as string,
    record_hash: r['record_hash'] as string,
    signed_at: r['signed_at'] as number,
    signer: r['user_id'] as string,
    tz: r['tz'] as string,
  };
}

/**
 * The enrolment proof (docs/ledger.md §3.1): the one-time enrolment key, derived from the
 * password an administrator set (its public half is on the user record the administrator
 * signed `enrolled`), signs the UTF-8 of JCS
 *   { enrolment: <id of that signature>, fingerprint: <new key's fingerprint>, user: <user id>, v: "lotseal-enrolment-1" }
 * so that only someone who knew that password can register the user's first key after it.
 */
export function enrolmentProofMessage(f: { enrolment: string; fingerprint: string; user: string }): Buffer {
  return Buffer.from(
    canonical({ enrolment: f.enrolment, fingerprint: f.fingerprint, user: f.user, v: ENROLMENT_VERSION }),
    'utf8',
  );
}

export function verifyEnrolmentProof(
  enrolmentKeyJson: string | null,
  f: { enrolment: string; fingerprint: string; user: string },
  proofB64: string | null,
): boolean {
  if (!enrolmentKeyJson || !proofB64) return false;
  try {
    const k = JSON.parse(enrolmentKeyJson) as { public_key?: unknown };
    if (typeof k.public_key !== 'string') return false;
    const sig = Buffer.from(proofB64, 'base64');
    return sig.length === 64 && verifySignature(k.public_key, enrolmentProofMessage(f), sig);
  } catch {
    return false;
  }
}
