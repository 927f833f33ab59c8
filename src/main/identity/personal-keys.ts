import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  scrypt as scryptCb,
  sign as edSign,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import { canonical, sha256Hex } from '../ledger/hashing';
import { enrolmentProofMessage } from '../ledger/esig';
import { kdfForNewSecrets } from '../ledger/kdf';

/**
 * Personal signing keys (docs/ledger.md §3.1, docs/decisions.md D-029). Each user's Ed25519
 * private key is sealed with AES-256-GCM under a key derived from the user's password by
 * scrypt; only the password unseals it, in main, for one ledger transaction. The sealed form
 * is the `sealed` column of the user's `personal_key` record:
 *   {"kdf":"scrypt","N":32768,"r":8,"p":1,"salt":b64(16),"iv":b64(12),"tag":b64(16),"data":b64(AES-256-GCM(PKCS#8 DER))}
 * Passwords are NFKC-normalised first, as for the password hash.
 */
const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;

const MAXMEM = 64 * 1024 * 1024;

export interface SealedKey {
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

export interface PersonalKeyPair {
  id: string;
  /** Raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
  /** SHA-256 of the raw public key, lower-case hex. */
  fingerprint: string;
  privateKey: KeyObject;
}

function rawPublic(k: KeyObject): Buffer {
  return Buffer.from(createPublicKey(k).export({ format: 'jwk' }).x ?? '', 'base64url');
}

function pairOf(privateKey: KeyObject): PersonalKeyPair {
  const pub = rawPublic(privateKey);
  const fingerprint = sha256Hex(pub);
  return { id: fingerprint.slice(0, 16), publicKey: pub.toString('base64'), fingerprint, privateKey };
}

export function newPersonalKey(): PersonalKeyPair {
  return pairOf(generateKeyPairSync('ed25519').privateKey);
}

async function derive(password: string, salt: Buffer, p: { N: number; r: number; p: number }): Promise<Buffer> {
  return scrypt(password.normalize('NFKC'), salt, 32, { N: p.N, r: p.r, p: p.p, maxmem: MAXMEM });
}

/** Seals a private key under a password (async: scrypt runs in the thread pool). */
export async function sealPersonalKey(privateKey: KeyObject, password: string): Promise<string> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const KDF = kdfForNewSecrets();
  const key = await derive(password, salt, KDF);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([c.update(privateKey.export({ format: 'der', type: 'pkcs8' })), c.final()]);
  const sealed: SealedKey = {
    kdf: 'scrypt',
    N: KDF.N,
    r: KDF.r,
    p: KDF.p,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: c.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
  return canonical(sealed);
}

/** The private key, or null when the password does not open the seal (GCM tag). */
export async function unsealPersonalKey(sealedJson: string, password: string): Promise<PersonalKeyPair | null> {
  let s: SealedKey;
  try {
    s = JSON.parse(sealedJson) as SealedKey;
  } catch {
    return null;
  }
  if (s.kdf !== 'scrypt' || !Number.isSafeInteger(s.N) || s.N > 1 << 20) return null;
  const key = await derive(password, Buffer.from(s.salt, 'base64'), s);
  try {
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(s.iv, 'base64'));
    d.setAuthTag(Buffer.from(s.tag, 'base64'));
    const der = Buffer.concat([d.update(Buffer.from(s.data, 'base64')), d.final()]);
    return pairOf(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ one-time enrolment key

/** PKCS#8 DER of an Ed25519 private key is this 16-byte prefix followed by the 32-byte seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface EnrolmentKey {
  /** Stored on the user record (`enrolment_key`): {"kdf":"scrypt","N","r","p","salt","public_key"}. */
  record: string;
  privateKey: KeyObject;
}

async function enrolmentFrom(
  password: string,
  salt: Buffer,
  p: { N: number; r: number; p: number },
): Promise<{ privateKey: KeyObject; publicKey: string }> {
  const seed = await derive(password, salt, p);
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return { privateKey, publicKey: rawPublic(privateKey).toString('base64') };
}

/** A new one-time enrolment key from the password an administrator sets (account creation, reset). */
export async function newEnrolmentKey(password: string): Promise<EnrolmentKey> {
  const salt = randomBytes(16);
  const KDF = kdfForNewSecrets();
  const { privateKey, publicKey } = await enrolmentFrom(password, salt, KDF);
  return {
    record: canonical({
      kdf: 'scrypt',
      N: KDF.N,
      r: KDF.r,
      p: KDF.p,
      salt: salt.toString('base64'),
      public_key: publicKey,
    }),
    privateKey,
  };
}

/** Re-derives the enrolment key from the same password; null if it does not match the record. */
export async function openEnrolmentKey(record: string, password: string): Promise<KeyObject | null> {
  let r: { kdf?: string; N: number; r: number; p: number; salt: string; public_key: string };
  try {
    r = JSON.parse(record) as typeof r;
  } catch {
    return null;
  }
  if (r.kdf !== 'scrypt' || !Number.isSafeInteger(r.N) || r.N > 1 << 20) return null;
  const k = await enrolmentFrom(password, Buffer.from(r.salt, 'base64'), r);
  return k.publicKey === r.public_key ? k.privateKey : null;
}

export function enrolmentProof(
  enrolmentKey: KeyObject,
  f: { enrolment: string; fingerprint: string; user: string },
): string {
  return edSign(null, enrolmentProofMessage(f), enrolmentKey).toString('base64');
}
