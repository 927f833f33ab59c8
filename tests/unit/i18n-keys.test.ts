import { describe, expect, it } from 'vitest';
import { flattenKeys, hasKey, messages, translate } from '../../src/shared/i18n';
import { errorCodes } from '../../src/shared/contract/errors';
import { findingKinds } from '../../src/shared/contract/channels/ledger';
import { roles, signatureMeanings } from '../../src/shared/domain/roles';

describe('i18n resources', () => {
  it('en and zh-CN have identical key sets', () => {
    const en = flattenKeys(messages.en).sort();
    const zh = flattenKeys(messages['zh-CN']).sort();
    expect(zh).toEqual(en);
  });

  it('no message is empty', () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      for (const key of flattenKeys(messages[locale]))
        expect(translate(locale, key).trim(), `${locale} ${key}`).not.toBe('');
    }
  });

  it.each(['en', 'zh-CN'] as const)(
    '%s has a message for every error code, finding kind, role and meaning',
    (locale) => {
      const missing: string[] = [];
      for (const code of errorCodes) if (!hasKey(locale, `errors.${code}`)) missing.push(`errors.${code}`);
      for (const kind of findingKinds) if (!hasKey(locale, `findings.${kind}`)) missing.push(`findings.${kind}`);
      for (const role of roles) if (!hasKey(locale, `roles.${role}`)) missing.push(`roles.${role}`);
      for (const meaning of signatureMeanings)
        if (!hasKey(locale, `meanings.${meaning}`)) missing.push(`meanings.${meaning}`);
      expect(missing).toEqual([]);
    },
  );

  it('zh-CN error messages are written in Chinese, not copied English', () => {
    for (const code of errorCodes) expect(translate('zh-CN', `errors.${code}`)).toMatch(/[\u4e00-\u9fff]/);
  });

  it('translate interpolates and falls back to the key', () => {
    expect(translate('en', 'users.created', { userId: 'alice' })).toBe('User alice was created.');
    expect(translate('zh-CN', 'users.created', { userId: 'alice' })).toBe('已创建用户 alice。');
    expect(translate('en', 'no.such.key')).toBe('no.such.key');
  });
});
