import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  scryptSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppErrorException, appError } from '../../shared/contract/errors';
import { sha256Hex } from './hashing';
import { kdfForNewSecrets } from './kdf';

/**
 * Each writing host (desktop app, CLI, harness, site server) has its own Ed25519 key (domain model,
 * "Keys"). The private key never enters the database; it is stored in the data folder,
 * encrypted either with Electron safeStorage (desktop) or with a passphrase
 * (scrypt N=2^15 + AES-256-GCM; the cost is recorded in the sealed file) for the CLI, harness and tests.
 */
export type HostKind = 'desktop' | 'cli' | 'harness' | 'server';

export interface KeyProtector {
  readonly kind: 'passphrase' | 'safeStorage';
  seal(plain: Buffer): Record<string, string>;
  open(sealed: Record<string, string>): Buffer;
}

const MAXMEM = 64 * 1024 * 1024;

/** The scrypt cost a sealed host key names (`scrypt-n32768-r8-p1`); null when it names none this code knows. */
function sealedCost(kdf: string | undefined): { N: number; r: number; p: number } | null {
  const m = /^scrypt-n(\d+)-r(\d+)-p(\d+)$/.exec(kdf ?? 'scrypt-n32768-r8-p1');
  if (!m) return null;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Bounded: a tampered file must not make us allocate without limit (N ≤ 2^20, as for personal keys).
  return N >= 2 && N <= 1 << 20 && (N & (N - 1)) === 0 && r >= 1 && r <= 32 && p >= 1 && p <= 16 ? { N, r, p } : null;
}

/** The shortest host-key passphrase accepted (issue 18 §8): a passphrase, not a password. */
export const MIN_KEY_PASSPHRASE = 12;

export function passphraseProtector(passphrase: string): KeyProtector {
  if (passphrase.length < MIN_KEY_PASSPHRASE) {
    throw new AppErrorException(
      appError('invalid_input', { field: 'passphrase', min: MIN_KEY_PASSPHRASE }, 'errors.key_passphrase_short'),
    );
  }
  return {
    kind: 'passphrase',
    seal(plain) {
      const salt = randomBytes(16);
      const iv = randomBytes(12);
      // The cost of new secrets (D-066): production, or the suite's test-only cost.
      const { N, r, p } = kdfForNewSecrets();
      const key = scryptSync(passphrase, salt, 32, { N, r, p, maxmem: MAXMEM });
      const c = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([c.update(plain), c.final()]);
      return {
        kdf: `scrypt-n${N}-r${r}-p${p}`,
        salt: salt.toString('base64'),
        iv: iv.toString('base64'),
        tag: c.getAuthTag().toString('base64'),
        data: data.toString('base64'),
      };
    },
    open(sealed) {
      const cost = sealedCost(sealed['kdf']);
      if (!cost) {
        throw new AppErrorException(
          appError('wrong_password', { what: 'key_passphrase' }, 'errors.key_passphrase_wrong'),
        );
      }
      const key = scryptSync(passphrase, Buffer.from(sealed['salt'] ?? '', 'base64'), 32, { ...cost, maxmem: MAXMEM });
      const d = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed['iv'] ?? '', 'base64'));
      d.setAuthTag(Buffer.from(sealed['tag'] ?? '', 'base64'));
      try {
        return Buffer.concat([d.update(Buffer.from(sealed['data'] ?? '', 'base64')), d.final()]);
      } catch {
        throw new AppErrorException(
          appError('wrong_password', { what: 'key_passphrase' }, 'errors.key_passphrase_wrong'),
        );
      }
    },
  };
}

/** Wraps an encrypt/decrypt pair such as Electron's safeStorage. */
export function bufferCipherProtector(cipher: {
  encrypt(b: Buffer): Buffer;
  decrypt(b: Buffer): Buffer;
}): KeyProtector {
  return {
    kind: 'safeStorage',
    seal: (plain) => ({ kdf: 'safeStorage', data: cipher.encrypt(plain).toString('base64') }),
    open: (sealed) => cipher.decrypt(Buffer.from(sealed['data'] ?? '', 'base64')),
  };
}

export interface HostKey {
  readonly id: string;
  readonly host: string;
  readonly hostKind: HostKind;
  /** Raw 32-byte public key, base64. */
  readonly publicKey: string;
  /** SHA-256 of the raw public key, hex; shown in the app and printed by verify. */
  readonly fingerprint: string;
  readonly createdAt: number;
  sign(message: Buffer): Buffer;
  /**
   * The private key (PKCS#8 DER) for a worker thread of this same process that writes
   * through its own Ledger (a long import). It never leaves the process or reaches disk
   * unencrypted.
   */
  pkcs8(): Buffer;
}

function rawPublic(pub: KeyObject): Buffer {
  const jwk = pub.export({ format: 'jwk' });
  return Buffer.from(jwk.x ?? '', 'base64url');
}

export function publicKeyFromRaw(rawB64: string): KeyObject {
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(rawB64, 'base64').toString('base64url') },
    format: 'jwk',
  });
}

const publicKeyCache = new Map<string, KeyObject>();

export function verifySignature(rawPublicB64: string, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    let k = publicKeyCache.get(rawPublicB64);
    if (!k) {
      k = publicKeyFromRaw(rawPublicB64);
      publicKeyCache.set(rawPublicB64, k);
    }
    return verify(null, message, k, signature);
  } catch {
    return false;
  }
}

/** Short, human-comparable form of a fingerprint: 4-char groups of the first 16 hex digits. */
export function shortFingerprint(fp: string): string {
  return (fp.slice(0, 16).match(/.{4}/g) ?? []).join(' ');
}

function makeHostKey(privateKey: KeyObject, meta: { host: string; hostKind: HostKind; createdAt: number }): HostKey {
  const pub = rawPublic(createPublicKey(privateKey));
  const fingerprint = sha256Hex(pub);
  return {
    id: fingerprint.slice(0, 16),
    host: meta.host,
    hostKind: meta.hostKind,
    publicKey: pub.toString('base64'),
    fingerprint,
    createdAt: meta.createdAt,
    sign: (message) => sign(null, message, privateKey),
    pkcs8: () => privateKey.export({ format: 'der', type: 'pkcs8' }),
  };
}

/** Rebuilds a host key in a worker thread from the bytes its parent passed (see HostKey.pkcs8). */
export function hostKeyFromPkcs8(
  pkcs8: Uint8Array,
  meta: { host: string; hostKind: HostKind; createdAt: number },
): HostKey {
  return makeHostKey(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }), meta);
}

export function keyFilePath(dataDir: string, hostKind: HostKind): string {
  return join(dataDir, 'keys', `${hostKind}.key.json`);
}

export function hostKeyExists(dataDir: string, hostKind: HostKind): boolean {
  return existsSync(keyFilePath(dataDir, hostKind));
}

/** Loads this host's key; a wrong passphrase or a damaged file is a clear error. */
export function loadHostKey(dataDir: string, hostKind: HostKind, protector: KeyProtector): HostKey {
  const file = keyFilePath(dataDir, hostKind);
  if (!existsSync(file)) {
    throw new AppErrorException(appError('not_found', { what: 'signing_key', file }, 'errors.key_missing'));
  }
  let parsed: { host: string; hostKind: HostKind; createdAt: number; sealed: Record<string, string> };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new AppErrorException(appError('internal', { file }, 'errors.key_file_damaged'));
  }
  const pkcs8 = protector.open(parsed.sealed);
  const priv = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return makeHostKey(priv, parsed);
}

/** Generates and stores this host's key (refuses to overwrite an existing one). */
export function createHostKey(
  dataDir: string,
  hostKind: HostKind,
  host: string,
  protector: KeyProtector,
  now: number,
): HostKey {
  const file = keyFilePath(dataDir, hostKind);
  if (existsSync(file)) throw new AppErrorException(appError('conflict', { file }, 'errors.key_exists'));
  const { privateKey } = generateKeyPairSync('ed25519');
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  const meta = { host, hostKind, createdAt: now };
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ ...meta, sealed: protector.seal(pkcs8) }, null, 2), { mode: 0o600 });
  renameSync(tmp, file);
  return makeHostKey(privateKey, meta);
}

/** Loads the host key, creating it on first use. */
export function loadOrCreateHostKey(
  dataDir: string,
  hostKind: HostKind,
  host: string,
  protector: KeyProtector,
  now: number,
): HostKey {
  return hostKeyExists(dataDir, hostKind)
    ? loadHostKey(dataDir, hostKind, protector)
    : createHostKey(dataDir, hostKind, host, protector, now);
}
