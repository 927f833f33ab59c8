/**
 * Errors cross the contract as values, never as thrown strings. `messageKey` is an i18n key
 * (`errors.<code>` unless a service names a more specific one); the renderer and the CLI
 * translate it at the edge, with `details` as interpolation values.
 *
 * No zod here: the ledger code that every worker thread loads (keys.ts, the verify and
 * evidence workers) throws these errors, and loading zod cost each worker's start ~0.1 CPU-s,
 * about half of it. The schema of an AppError is `appErrorSchema` in ./common.
 */
export const errorCodes = [
  'invalid_input',
  'unknown_channel',
  'bad_sender',
  'not_signed_in',
  'session_locked',
  'forbidden',
  'not_found',
  'conflict',
  'wrong_password',
  'account_locked',
  'account_deactivated',
  'password_expired',
  'password_policy',
  'must_change_password',
  'segregation_of_duties',
  'last_admin',
  'self_review',
  'already_initialized',
  'not_initialized',
  'workstation_not_registered',
  'record_locked',
  'ledger_blocked',
  'signature_required',
  'database_incompatible',
  'database_exists',
  'database_missing',
  'key_error',
  'internal',
  // Site server (issue 23): a retried write that already ran; a server that cannot be reached.
  'already_applied',
  'server_unreachable',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface AppError {
  code: ErrorCode;
  messageKey: string;
  details?: Record<string, unknown>;
}

export function appError(code: ErrorCode, details?: Record<string, unknown>, messageKey?: string): AppError {
  return details === undefined
    ? { code, messageKey: messageKey ?? `errors.${code}` }
    : { code, messageKey: messageKey ?? `errors.${code}`, details };
}

/** What every call returns: typed output or a typed error. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: AppError };

/**
 * Thrown inside main-process services to abort a transaction with a typed error; the
 * dispatcher turns it back into a value. It never crosses the contract as an exception.
 */
export class AppErrorException extends Error {
  readonly error: AppError;
  constructor(error: AppError) {
    super(`${error.code}: ${error.messageKey}${error.details ? ' ' + JSON.stringify(error.details) : ''}`);
    this.error = error;
    this.name = 'AppErrorException';
  }
}

export function fail(code: ErrorCode, details?: Record<string, unknown>, messageKey?: string): never {
  throw new AppErrorException(appError(code, details, messageKey));
}
