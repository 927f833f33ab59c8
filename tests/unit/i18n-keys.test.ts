import { describe, expect, it } from 'vitest';
import { flattenKeys, hasKey, messages, translate } from '../../src/shared/i18n';
import { errorCodes } from '../../src/shared/contract/errors';
import { findingKinds } from '../../src/shared/contract/channels/ledger';
import { roles, signatureMeanings } from '../../src/shared/domain/roles';
import { rulesMessageKeys } from '../../src/shared/rules';
import {
  itemGroups,
  limitForms,
  bases,
  comparisonMethods,
  frequencies,
  verificationStates,
} from '../../src/shared/catalog/spec-schema';
import {
  approvalStatuses,
  materialKinds,
  productStages,
  proteinBases,
  supplierKinds,
  units,
} from '../../src/shared/contract/channels/catalog';

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

  it.each(['en', 'zh-CN'] as const)('%s has a message for every key the shared rules can return', (locale) => {
    expect(rulesMessageKeys.filter((k) => !hasKey(locale, k))).toEqual([]);
  });

  it.each(['en', 'zh-CN'] as const)('%s names every catalogue and specification choice and problem', (locale) => {
    const keys = [
      ...productStages.flatMap((s) => [`catalog.stages.${s}`, `catalog.stageStandard.${s}`]),
      ...proteinBases.map((s) => `catalog.proteinBases.${s}`),
      ...materialKinds.map((s) => `catalog.materialKinds.${s}`),
      ...supplierKinds.map((s) => `catalog.supplierKinds.${s}`),
      ...approvalStatuses.map((s) => `catalog.approvalStatuses.${s}`),
      ...units.map((s) => `catalog.units.${s}`),
      ...itemGroups.map((s) => `specs.groups.${s}`),
      ...limitForms.map((s) => `specs.limitForms.${s}`),
      ...bases.flatMap((s) => [`specs.bases.${s}`]),
      ...comparisonMethods.map((s) => `specs.comparisons.${s}`),
      ...frequencies.flatMap((s) => [`specs.frequencies.${s}`, `specs.frequencyLabels.${s}`]),
      ...verificationStates.flatMap((s) => [`specs.verification.${s}`, `specs.verificationHelp.${s}`]),
      ...['draft', 'approved', 'superseded'].map((s) => `specs.status.${s}`),
      // The problem keys src/main/catalog/spec-rules.ts and spec-service.ts return.
      ...[
        'imf_every_lot',
        'frequency_n_required',
        'period_required',
        'min_above_max',
        'c_not_below_n',
        'm_above_big_m',
        'limit_incomplete',
        'precision_required',
        'content_changed_after_approval',
      ].map((k) => `spec.${k}`),
      ...[
        'code_taken',
        'code_immutable',
        'reason_required',
        'spec_not_draft',
        'spec_flagged',
        'spec_problems',
        'spec_empty',
        'spec_draft_exists',
        'spec_item_code_taken',
        'spec_subject_mismatch',
        'spec_document_invalid',
      ].map((k) => `errors.${k}`),
      ...['create', 'update', 'retire'].map((a) => `audit.actions.${a}`),
    ];
    expect(keys.filter((k) => !hasKey(locale, k))).toEqual([]);
  });

  it('zh-CN error messages are written in Chinese, not copied English', () => {
    for (const code of errorCodes) expect(translate('zh-CN', `errors.${code}`)).toMatch(/[\u4e00-\u9fff]/);
  });

  it('translate interpolates and falls back to the key', () => {
    expect(translate('en', 'users.created', { userId: 'alice' })).toBe('User alice was created.');
    expect(translate('zh-CN', 'users.created', { userId: 'alice' })).toBe('已创建用户 alice。');
    expect(translate('en', 'no.such.key')).toBe('no.such.key');
  });
});
