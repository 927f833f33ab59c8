import { randomUUID } from 'node:crypto';
import type { UserView } from '../../shared/contract/channels/identity';
import { AppErrorException, fail } from '../../shared/contract/errors';
import type { Role, SignatureMeaning } from '../../shared/domain/roles';
import type { Actor } from '../ledger/ledger';
import {
  hashPassword,
  newRecoveryCode,
  normalizeRecoveryCode,
  PASSWORD_HISTORY,
  passwordPolicyProblems,
} from './passwords';
import { newPersonalKey, sealPersonalKey } from './personal-keys';
import type { SignatureRecord, UserRow } from './queries';

/** The identity capability's shared vocabulary: rows, the signer, and the functions every path uses. */

export const MAX_FAILED_ATTEMPTS = 5;
/** After this many wrong recovery codes, the next attempt waits this long after the last one. */
export const RECOVERY_THROTTLE_MS = 15 * 60_000;

export type { PersonalKeyRow, SignatureRecord, UserRow } from './queries';

/**
 * The signer of an e-signature: the user's record as authenticated by `authenticateSigner`,
 * which also unsealed the user's personal key with the password just typed. The key is held
 * in main only (a WeakMap beside this object, never a property: it cannot be serialised or
 * sent anywhere) and dropped when the ledger transaction that signed with it ends.
 *
 * The pattern every signed action keeps (docs/ledger.md §3.2):
 *   const signer = await identity.authenticateSigner(userId, password);   // before the write
 *   ledger.write(actorOf(signer), (w) => { make the change…; identity.sign(w, signer, { def, id }, { meaning, comment }); });
 */
export type Signer = UserRow;

/**
 * A caller names the meaning it signs with; a channel signs exactly one (or one per decision).
 * Another meaning is refused, not ignored (issue 18 §7).
 */
export function expectMeaning(given: string | undefined, expected: SignatureMeaning): void {
  if (given !== expected)
    fail('invalid_input', { field: 'signature.meaning', expected }, 'errors.signature_meaning_mismatch');
}

export function userRoles(u: { roles: string }): Role[] {
  return JSON.parse(u.roles) as Role[];
}

export interface PreparedAdministrator {
  hash: string;
  recoveryCode: string;
  recoveryHash: string;
  key: { id: string; publicKey: string; fingerprint: string; sealed: string };
}

/** First administrator: password checked and hashed, personal key made and sealed, before the database is created. */
export async function prepareFirstAdministrator(input: {
  userId: string;
  printedName: string;
  password: string;
}): Promise<PreparedAdministrator> {
  const problems = passwordPolicyProblems(input.userId, input.password);
  if (problems.length) fail('password_policy', { problems, min: 10, history: PASSWORD_HISTORY });
  const recoveryCode = newRecoveryCode();
  const pair = newPersonalKey();
  const [hash, recoveryHash, sealed] = await Promise.all([
    hashPassword(input.password),
    hashPassword(normalizeRecoveryCode(recoveryCode)),
    sealPersonalKey(pair.privateKey, input.password),
  ]);
  return {
    hash,
    recoveryCode,
    recoveryHash,
    key: { id: pair.id, publicKey: pair.publicKey, fingerprint: pair.fingerprint, sealed },
  };
}

export function actorOf(u: { id: string; printed_name: string }): Actor {
  return { id: u.id, name: u.printed_name };
}

export function toUserView(
  u: UserRow,
  effective?: { status: UserRow['status']; failedAttempts: number; keyFingerprint?: string | null },
): UserView {
  return {
    userId: u.id,
    printedName: u.printed_name,
    roles: userRoles(u),
    status: effective?.status ?? u.status,
    mustChangePassword: u.must_change_password === 1,
    passwordChangedAt: new Date(u.password_changed_at).toISOString(),
    failedAttempts: effective?.failedAttempts ?? u.failed_attempts,
    lastSignInAt: u.last_sign_in_at === null ? null : new Date(u.last_sign_in_at).toISOString(),
    createdAt: new Date(u.created_at).toISOString(),
    keyFingerprint: effective?.keyFingerprint ?? null,
  };
}

/** Errors that mean "the ledger cannot take a write on this host now"; auth events then wait in the sidecar. */
export function cannotWriteNow(e: unknown): boolean {
  if (!(e instanceof AppErrorException)) return false;
  const c = e.error.code;
  return (
    c === 'ledger_blocked' ||
    c === 'workstation_not_registered' ||
    (c === 'conflict' && e.error.messageKey === 'import.import_running')
  );
}

/** A signature record with its validity against the record's current content and its personal signature. */
export type SignatureRow = SignatureRecord & {
  [k: string]: unknown;
  valid: boolean;
  personal: 'verified' | 'legacy' | 'invalid';
  keyFingerprint: string | null;
};

export function newId(): string {
  return randomUUID();
}
