import type { AppError, ChannelInput, ChannelName, ChannelOutput, Result } from '../../../../shared/contract';
import { getBridge } from './bridge';

/** A failed call, carrying the contract's AppError so screens can translate it. */
export class ApiError extends Error {
  readonly error: AppError;
  constructor(error: AppError) {
    super(`${error.code}: ${error.messageKey}`);
    this.name = 'ApiError';
    this.error = error;
  }
  get code(): AppError['code'] {
    return this.error.code;
  }
}

type SessionLostHandler = (code: 'session_locked' | 'not_signed_in') => void;
let onSessionLost: SessionLostHandler = () => undefined;

/** The shell registers this so any call that finds the session locked or gone switches screens. */
export function setSessionLostHandler(handler: SessionLostHandler): void {
  onSessionLost = handler;
}

type RecordChangedHandler = (error: AppError) => void;
let onRecordChanged: RecordChangedHandler = () => undefined;

/**
 * The shell registers this so any write refused because the record changed since the screen
 * showed it (`errors.record_changed`, D-097) refreshes what is shown: the screen says what
 * happened and then shows the record as it stands, never the stale copy.
 */
export function setRecordChangedHandler(handler: RecordChangedHandler): void {
  onRecordChanged = handler;
}

/** Typed call through the contract: resolves with the output or throws an ApiError. */
export async function call<K extends ChannelName>(name: K, input: ChannelInput<K>): Promise<ChannelOutput<K>> {
  const fn = getBridge()[name] as unknown as (i: ChannelInput<K>) => Promise<Result<ChannelOutput<K>>>;
  let result: Result<ChannelOutput<K>>;
  try {
    result = await fn(input);
  } catch (e) {
    throw new ApiError({ code: 'internal', messageKey: 'errors.internal', details: { message: String(e) } });
  }
  if (result.ok) return result.data;
  if (result.error.code === 'session_locked' || result.error.code === 'not_signed_in') onSessionLost(result.error.code);
  if (result.error.messageKey === 'errors.record_changed' || result.error.messageKey === 'errors.readiness_changed')
    onRecordChanged(result.error);
  throw new ApiError(result.error);
}
