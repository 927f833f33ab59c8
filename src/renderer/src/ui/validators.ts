import type { TFunction } from 'i18next';

/** Same rule as the contract's userIdSchema, checked early so the person sees it while typing. */
export const USER_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{1,39}$/;

export function validateUserId(t: TFunction, v: string): string | null {
  if (!v.trim()) return t('validation.required');
  return USER_ID_PATTERN.test(v.trim()) ? null : t('validation.userIdFormat');
}

/** The password policy shown on screen; the server checks it again (and the history). */
export function validateNewPassword(t: TFunction, password: string, userId: string): string | null {
  if (!password) return t('validation.required');
  if (password.length < 10 || password.trim().toLowerCase() === userId.trim().toLowerCase())
    return t('validation.passwordPolicy');
  return null;
}

export function validateRequired(t: TFunction, v: string): string | null {
  return v.trim() ? null : t('validation.required');
}

export function validateReason(t: TFunction, v: string): string | null {
  return v.trim().length >= 3 ? null : t('validation.reasonRequired');
}
