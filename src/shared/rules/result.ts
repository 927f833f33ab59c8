/**
 * Results of the pure rules. Rules never throw on bad input: a lab value typed by a person
 * or read from an instrument is data, and "this is not a number" is an answer the UI has to
 * show, not a crash. Errors carry a code and an i18n message key (translated at the edge,
 * zh-CN / en, like `AppError` in src/shared/contract/errors.ts) plus string details for
 * interpolation.
 */
export interface RuleError<C extends string = string> {
  readonly code: C;
  /** i18n key, e.g. `decimal.exponent`, `formula.division_by_zero`. */
  readonly messageKey: string;
  readonly details?: Readonly<Record<string, string>>;
}

export type RuleResult<T, C extends string = string> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: RuleError<C> };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function fail<C extends string>(
  namespace: string,
  code: C,
  details?: Record<string, string>,
): { readonly ok: false; readonly error: RuleError<C> } {
  const error: RuleError<C> =
    details === undefined
      ? { code, messageKey: `${namespace}.${code}` }
      : { code, messageKey: `${namespace}.${code}`, details };
  return { ok: false, error };
}
