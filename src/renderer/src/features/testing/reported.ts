import { useTranslation } from 'react-i18next';
import { reportedForReader } from '../../../../shared/rules/testing';

/**
 * A function that shows a reported value in the screen's language (未检出 for 'absent' in
 * Chinese) or '—' when there is none. Every screen that shows a reported value uses it.
 */
export function useReportedText(): (reported: string | null | undefined) => string {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  return (reported) => (reported ? reportedForReader(reported, locale) : '—');
}
