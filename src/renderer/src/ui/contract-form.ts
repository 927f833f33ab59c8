import type { ReactNode } from 'react';
import { useForm, type UseFormInput, type UseFormReturnType } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { contract, type ChannelInput, type ChannelName } from '../../../shared/contract';
import type { TFunction } from 'i18next';
import i18n from '../core/i18n';
import { issueMessage } from '../core/api/errors';
import type { RowIssue } from './editable-rows-model';

// Mantine's own bound: a form's values are an object with string keys (interfaces included).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Values = Record<string, any>;
type Field<V> = keyof V & string;

export interface ContractFormOptions<C extends ChannelName, V extends Values>
  extends Omit<UseFormInput<V>, 'validate'> {
  /** The form's values as the channel's input: what the submit sends (files and secrets may be left out). */
  toInput: (values: V) => Partial<ChannelInput<C>>;
  /** A contract path (`lines.0.quantity`) → the form field that shows its message, where they differ. */
  fields?: Record<string, string>;
  /**
   * A form field → the message key the screen shows instead of the schema's own message
   * (`lines.*.quantity` for every line of a list), or chosen from the values.
   */
  messages?: Record<string, string | ((values: V) => string)>;
  /**
   * The screen's rules beyond the contract (a choice required, a quantity above zero, a file's
   * size): per field, or one function returning messages by path (`compartments.0.seal`).
   */
  validate?:
    | Partial<{ [K in Field<V>]: (value: V[K], values: V) => ReactNode | null }>
    | ((values: V) => Record<string, ReactNode | null | undefined>);
}

/**
 * A Mantine form that validates with the channel's own zod schema (src/shared/contract), the
 * same one the dispatcher applies, so a rule lives in one place (issue 21 §4). Each issue is
 * shown on its field in the user's language: the schema's message key (`zod.quantity_format`
 * …) unless the screen names its own. Issues on fields the form does not show are left to the
 * server's answer. The screen's own rules run first; the schema's message does not replace
 * theirs.
 */
export function useContractForm<C extends ChannelName, V extends Values>(
  channel: C,
  { toInput, fields, messages, validate, ...options }: ContractFormOptions<C, V>,
): UseFormReturnType<V> {
  const { t } = useTranslation();
  return useForm<V>({
    ...options,
    validate: (values) => {
      const errors: Record<string, ReactNode> = {};
      if (typeof validate === 'function') {
        for (const [path, error] of Object.entries(validate(values))) if (error) errors[path] = error;
      } else {
        const rules = Object.entries(validate ?? {}) as [Field<V>, (v: unknown, all: V) => ReactNode | null][];
        for (const [field, rule] of rules) {
          const error = rule(values[field], values);
          if (error) errors[field] = error;
        }
      }
      const parsed = contract[channel].input.safeParse(toInput(values));
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const path = issue.path.map(String).join('.');
          const field = fields?.[path] ?? path;
          if (!(field.split('.')[0]! in values) || errors[field]) continue;
          const key = messages?.[field] ?? messages?.[field.replace(/\.\d+(?=\.|$)/g, '.*')];
          errors[field] = key ? t(typeof key === 'function' ? key(values) : key) : zodIssueMessage(t, issue);
        }
      }
      return errors;
    },
  });
}

/**
 * Whether the channel's schema accepts the value at `path` of a (possibly partial) input: for
 * screens that enable a button as the person types, without a form. Issues on other paths
 * (fields not filled yet) do not count.
 */
export function contractAccepts<C extends ChannelName>(
  channel: C,
  input: Partial<ChannelInput<C>>,
  path: string,
): boolean {
  const parsed = contract[channel].input.safeParse(input);
  if (parsed.success) return true;
  return !parsed.error.issues.some((i) => {
    const p = i.path.map(String).join('.');
    return p === path || p.startsWith(`${path}.`);
  });
}

/**
 * A schema issue in the user's language: the contract's own message key (`zod.code_format`),
 * else the catalogue's words for the issue's kind (`zod.too_small`), never zod's English
 * default text.
 */
export function zodIssueMessage(t: TFunction, issue: { code: string; message: string }): string {
  const own = [`zod.${issue.message}`, `schema.${issue.message}`, issue.message];
  if (own.some((k) => i18n.exists(k))) return issueMessage(t, issue.message);
  if (i18n.exists(`zod.${issue.code}`)) return t(`zod.${issue.code}`);
  return issueMessage(t, issue.message);
}

/**
 * Every issue the channel's schema finds in a (possibly partial) input, with its message in
 * the user's language: for screens that keep their values in plain state (row tables) and show
 * each issue on its cell (`points.2.nominal`, see editable-rows-model `rowErrors`).
 */
export function contractIssues<C extends ChannelName>(
  t: TFunction,
  channel: C,
  input: Partial<ChannelInput<C>>,
): RowIssue[] {
  const parsed = contract[channel].input.safeParse(input);
  if (parsed.success) return [];
  return parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: zodIssueMessage(t, i) }));
}
