import { Badge, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ResultStatus } from '../../../shared/contract/channels/testing';
import { href } from '../core/router';

/** Results as the entry grid shows them: status and live verdict badges, the link to a sample's tests. */

/** `#/testing/sample/<code>`: the sample's entry grid, optionally focused on one test. */
export function testingSampleHref(code: string, focus?: string): string {
  return href(`/testing/sample/${encodeURIComponent(code)}`, { focus });
}

export const statusColor: Record<ResultStatus, string> = {
  pending: 'gray',
  entered: 'blue',
  returned: 'orange',
  submitted: 'violet',
  reviewed: 'green',
  invalidated: 'red',
};

/** A chip never shrinks below its words (a verdict cut to "合" in a narrow column, issue 22 §7). */
const chip = {
  root: { flexShrink: 0, maxWidth: 'none', overflow: 'visible' },
  label: { overflow: 'visible' },
} as const;

/** The one result-status chip of every testing screen (grid, worklist, review, drawer). */
export function ResultStatusBadge({
  status,
  testId,
  size = 'sm',
}: {
  status: ResultStatus;
  testId?: string;
  size?: 'sm' | 'md';
}) {
  const { t } = useTranslation();
  return (
    <Badge
      color={statusColor[status]}
      variant="light"
      tt="none"
      size={size}
      styles={chip}
      data-testid={testId}
      data-status={status}
    >
      {t(`testing.status.${status}`)}
    </Badge>
  );
}

export type LiveVerdict = 'pass' | 'fail' | 'invalid' | 'none' | null;

const verdictColor: Record<string, string> = { pass: 'green', fail: 'red', invalid: 'orange', none: 'gray' };

/**
 * The one verdict chip of every testing screen: pass green, fail red, invalid orange, none
 * grey; null = not computable yet (waiting / empty), or "—" where nothing is expected
 * (`dash`, the review and completeness tables). With `reason`, the reason (a `verdict.*` or
 * `testing.*` message) is its tooltip.
 */
export function VerdictBadge({
  verdict,
  waiting,
  testId,
  reason,
  details,
  dash,
  size = 'sm',
}: {
  verdict: LiveVerdict;
  waiting?: boolean;
  testId?: string;
  reason?: string | null;
  details?: Record<string, string>;
  dash?: boolean;
  size?: 'sm' | 'md';
}) {
  const { t, i18n } = useTranslation();
  if (verdict === null && dash) return <Text c="dimmed">—</Text>;
  if (verdict === null) {
    return (
      <Badge color="gray" variant="outline" tt="none" size={size} styles={chip} data-testid={testId} data-verdict="">
        {waiting ? t('testing.verdicts.waiting') : t('testing.verdicts.empty')}
      </Badge>
    );
  }
  const label = reason && i18n.exists(reason) ? t(reason, details ?? {}) : null;
  const badge = (
    <Badge
      color={verdictColor[verdict]}
      variant={verdict === 'none' ? 'light' : 'filled'}
      tt="none"
      size={size}
      styles={chip}
      data-testid={testId}
      data-verdict={verdict}
    >
      {t(`testing.verdicts.${verdict}`)}
    </Badge>
  );
  return label ? (
    <Tooltip label={label} withArrow multiline maw={320}>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}
