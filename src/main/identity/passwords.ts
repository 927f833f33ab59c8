import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { kdfForNewSecrets } from '../ledger/kdf';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;

/**
 * Password hashing with scrypt (node:crypto) and a per-user salt. The async form runs in
 * libuv's thread pool, so hashing never blocks the main process (rule 3).
 * Format: scrypt$N$r$p$<salt b64>$<hash b64>.
 */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p } = kdfForNewSecrets();
  const salt = randomBytes(16);
  const hash = await scrypt(password.normalize('NFKC'), salt, 32, { N, r, p, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, hashB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hashB64, 'base64');
  const actual = await scrypt(password.normalize('NFKC'), Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_HISTORY = 5;

/** Policy problems of a new password (21 CFR 11.300): returns i18n keys, empty when fine. */
export function passwordPolicyProblems(userId: string, password: string): string[] {
  const out: string[] = [];
  if ([...password].length < PASSWORD_MIN_LENGTH) out.push('password.too_short');
  if (password.trim().toLowerCase() === userId.trim().toLowerCase()) out.push('password.equals_user_id');
  return out;
}

/** A one-time recovery code: 20 characters of Crockford base32 in groups of four. */
export function newRecoveryCode(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = randomBytes(20);
  let s = '';
  for (const b of bytes) s += alphabet[b & 31];
  return (s.match(/.{4}/g) ?? []).join('-');
}

export function normalizeRecoveryCode(code: string): string {
  return (
    code
      .toUpperCase()
      .replace(/[^0-9A-Z]/g, '')
      .replace(/O/g, '0')
      .replace(/[IL]/g, '1')
      .match(/.{1,4}/g)
      ?.join('-') ?? ''
  );
}
