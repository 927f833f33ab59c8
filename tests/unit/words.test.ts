import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasKey, translate, type Locale } from '../../src/shared/i18n';
import {
  FINDINGS,
  findingText,
  machineReason,
  REASONS,
  unitText,
  unitWord,
  UNIT_WORDS,
} from '../../src/shared/i18n/words';
import { wordsMessagesEn, wordsMessagesZh } from '../../src/shared/i18n/words-messages';

const t = (locale: Locale) => (key: string, vars?: Record<string, unknown>) => translate(locale, key, vars);
const LATIN_WORD = /\b[a-z]{3,}\b/;

/** What a service writes: the English template with its parts filled in. */
function written(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => vars[k] ?? '');
}
/** Parts as services fill them: codes (no spaces) and people's own words (Chinese, may hold spaces). */
const code = fc.stringMatching(/^[A-Z][A-Z0-9-]{1,12}$/);
const words = fc
  .array(fc.constantFrom('批次', '复核', '样品', '仪器', '原因', '正常'), { minLength: 1, maxLength: 4 })
  .map((a) => a.join(' '));
const varOf = (name: string) =>
  name === 'n' || name === 'm'
    ? fc.integer({ min: 1, max: 9 }).map(String)
    : name === 'why'
      ? fc.constantFrom('pasted', 'entered', 'captured', 'recalculated')
      : ['reason', 'note', 'conclusion', 'outcome', 'reference', 'document', 'kind', 'batch'].includes(name)
        ? words
        : code;

describe('machine reasons and findings in the reader’s language', () => {
  it('every code has both languages, with the same variables', () => {
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const walk = (en: object, zh: object, path: string) => {
      for (const [k, v] of Object.entries(en)) {
        const z = (zh as Record<string, unknown>)[k];
        if (typeof v === 'object') walk(v as object, z as object, `${path}.${k}`);
        else {
          expect(typeof z, `${path}.${k}`).toBe('string');
          expect(vars(z as string), `${path}.${k}`).toEqual(vars(v as string));
        }
      }
    };
    walk(wordsMessagesEn, wordsMessagesZh, '');
    for (const r of REASONS) {
      expect(hasKey('en', `words.reasons.${r.key}`), r.key).toBe(true);
      expect(hasKey('zh-CN', `words.reasons.${r.key}`), r.key).toBe(true);
    }
    for (const u of UNIT_WORDS) expect(translate('zh-CN', `words.units.${u}`)).not.toMatch(/[a-z]/);
  });

  it('a reason a service wrote reads back unchanged in English and without English words in Chinese', () => {
    for (const rule of REASONS) {
      const template = (wordsMessagesEn.words.reasons as Record<string, string>)[rule.key]!;
      const names = [...template.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!);
      fc.assert(
        fc.property(fc.tuple(...names.map(varOf)), (values) => {
          const vars = Object.fromEntries(names.map((n, i) => [n, values[i]!]));
          const stored = written(template, vars);
          expect(machineReason(t('en'), stored)).toBe(stored);
          const zh = machineReason(t('zh-CN'), stored);
          expect(zh, `${rule.key}: ${stored} → ${zh}`).not.toMatch(LATIN_WORD);
          for (const n of names) if (n !== 'why') expect(zh).toContain(vars[n]);
        }),
        { numRuns: 25 },
      );
    }
  });

  it('the reasons of the issue, and a person’s own words left alone', () => {
    expect(machineReason(t('zh-CN'), 'password changed by its owner')).toBe('本人修改了密码');
    expect(machineReason(t('zh-CN'), 'computed (pasted)')).toBe('自动计算（粘贴录入）');
    expect(machineReason(t('zh-CN'), 'produced by batch B-2612-01')).toBe('由生产批 B-2612-01 产出');
    expect(machineReason(t('zh-CN'), '客户投诉待调查。')).toBe('客户投诉待调查。');
    expect(machineReason(t('zh-CN'), 'Released on its own specification.')).toBe('Released on its own specification.');
    expect(machineReason(t('zh-CN'), null)).toBe('');
  });

  it('drill findings by kind; an unknown detail is shown as written', () => {
    expect(findingText(t('zh-CN'), 'mass_balance', 'accounted 25 % is outside 95–100 %')).toBe(
      '已追溯数量 25% 不在 95%–100% 范围内',
    );
    expect(findingText(t('zh-CN'), 'customer_no_contact', 'customer C002 has no contact person or phone')).toBe(
      '客户 C002 没有联系方式',
    );
    expect(findingText(t('zh-CN'), 'manual', '手工记录')).toBe('手工记录');
    for (const f of FINDINGS)
      expect(translate('zh-CN', `words.findings.${f.key}`).replace(/\{\{\w+\}\}/g, '')).not.toMatch(LATIN_WORD);
  });

  it('units and bases in the plant’s words', () => {
    expect(unitWord(t('zh-CN'), 'can')).toBe('罐');
    expect(unitWord(t('zh-CN'), 'pcs')).toBe('件');
    expect(unitWord(t('zh-CN'), 'bags')).toBe('袋');
    expect(unitWord(t('zh-CN'), 'kg')).toBe('kg');
    expect(unitWord(t('en'), 'can')).toBe('can');
    expect(unitText(t('zh-CN'), 'per 25 g')).toBe('每 25 g');
    expect(unitText(t('zh-CN'), 'per swab')).toBe('每拭子');
    expect(unitText(t('en'), 'per 25 g')).toBe('per 25 g');
    expect(unitText(t('zh-CN'), 'g/100 g')).toBe('g/100 g');
  });
});
