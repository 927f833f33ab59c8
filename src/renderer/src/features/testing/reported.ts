import { useTranslation } from 'react-i18next';
import { reportedForReader } from '../../../../shared/rules/testing';
import { formatReported, type ReportingRule } from '../../../../shared/rules/reporting';

/**
 * A function that shows a reported value in the screen's language (未检出 for 'absent' in
 * Chinese), as its reporting rule prints it (a colony count as 2.4 × 10⁴), or '—' when there
 * is none. Every screen that shows a reported value uses it.
 */
export function useReportedText(): (
  reported: string | null | undefined,
  rule?: ReportingRule | null | undefined,
) => string {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  return (reported, rule) => (reported ? reportedForReader(formatReported(reported, rule), locale) : '—');
}
