import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { setLocale } from '../core/i18n';
import { isLocale } from '../../../shared/i18n';

/** 中文 / English, always written in its own language so anyone can find it. */
export function LangSwitch({ size = 'xs' }: { size?: 'xs' | 'sm' }) {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      data-testid="lang-switch"
      aria-label={t('lang.label')}
      size={size}
      value={i18n.language}
      onChange={(v) => {
        if (isLocale(v)) setLocale(v);
      }}
      data={[
        { value: 'zh-CN', label: '中文' },
        // Marked English, so screen readers (and the language sweep) read it as such.
        { value: 'en', label: <span lang="en">English</span> },
      ]}
    />
  );
}
