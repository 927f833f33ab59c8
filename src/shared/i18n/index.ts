import en, { type Messages } from './en';
import zhCN from './zh-CN';
import { serviceMessagesEn, serviceMessagesZh } from './service-messages';
import { importMessagesEn, importMessagesZh } from './import-messages';
import { trustMessagesEn, trustMessagesZh } from './trust-messages';
import { controlsMessagesEn, controlsMessagesZh } from './controls-messages';
import { testingMessagesEn, testingMessagesZh } from './testing-messages';
import { clausesMessagesEn, clausesMessagesZh } from './clauses-messages';
import { desktopMessagesEn, desktopMessagesZh } from './desktop-messages';
import { reviewMessagesEn, reviewMessagesZh } from './review-messages';
import { wordsMessagesEn, wordsMessagesZh } from './words-messages';
import { siteMessagesEn, siteMessagesZh } from './site-messages';
import { siteDeskMessagesEn, siteDeskMessagesZh } from './site-desk-messages';
import { transferMessagesEn, transferMessagesZh } from './transfer-messages';

export type { Messages };

/** The languages LotSeal speaks. Both the renderer and the CLI translate from these objects. */
export const locales = ['en', 'zh-CN'] as const;
export type Locale = (typeof locales)[number];

function merge<T extends object>(base: T, extra: object): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(extra)) {
    const cur = out[k];
    out[k] = cur && typeof cur === 'object' && v && typeof v === 'object' ? merge(cur as object, v as object) : v;
  }
  return out as T;
}

/** Screen messages plus the specific messages of main-process services (service-messages.ts). */
export const messages: Record<Locale, Messages> = {
  en: [
    serviceMessagesEn,
    importMessagesEn,
    trustMessagesEn,
    controlsMessagesEn,
    testingMessagesEn,
    clausesMessagesEn,
    desktopMessagesEn,
    reviewMessagesEn,
    wordsMessagesEn,
    siteMessagesEn,
    siteDeskMessagesEn,
    transferMessagesEn,
  ].reduce(merge, en),
  'zh-CN': [
    serviceMessagesZh,
    importMessagesZh,
    trustMessagesZh,
    controlsMessagesZh,
    testingMessagesZh,
    clausesMessagesZh,
    desktopMessagesZh,
    reviewMessagesZh,
    wordsMessagesZh,
    siteMessagesZh,
    siteDeskMessagesZh,
    transferMessagesZh,
  ].reduce(merge, zhCN),
};

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'zh-CN';
}

/** `zh`, `zh-CN`, `zh-Hans-CN`, `zh-TW`… → zh-CN; anything else → en. */
export function localeFromLanguageTag(tag: string | null | undefined): Locale {
  return typeof tag === 'string' && tag.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** Every key (dot path) of a message tree; used by the key-parity test. */
export function flattenKeys(tree: object, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object') out.push(...flattenKeys(v as object, path));
    else out.push(path);
  }
  return out;
}

function lookup(tree: unknown, key: string): string | undefined {
  let node: unknown = tree;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export function hasKey(locale: Locale, key: string): boolean {
  return lookup(messages[locale], key) !== undefined;
}

/**
 * Pure translation for the CLI (the renderer uses i18next over the same objects, same
 * `{{var}}` syntax). Falls back to English, then to `vars.defaultValue` (as i18next does), then
 * to the key itself, so a missing message is visible rather than blank.
 */
export function translate(locale: Locale, key: string, vars?: Record<string, unknown>): string {
  const fallback = typeof vars?.['defaultValue'] === 'string' ? vars['defaultValue'] : key;
  const template = lookup(messages[locale], key) ?? lookup(messages.en, key) ?? fallback;
  if (!vars) return template;
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => {
    const v = vars[name];
    if (v === undefined || v === null) return whole;
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
}
