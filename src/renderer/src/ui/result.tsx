import { Badge } from '@mantine/core';
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

export function ResultStatusBadge({ status, testId }: { status: ResultStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={statusColor[status]} variant="light" tt="none" size="sm" data-testid={testId} data-status={status}>
      {t(`testing.status.${status}`)}
    </Badge>
  );
}

export type LiveVerdict = 'pass' | 'fail' | 'invalid' | 'none' | null;

const verdictColor: Record<string, string> = { pass: 'green', fail: 'red', invalid: 'orange', none: 'gray' };

/** pass green, fail red, invalid orange, none grey; null = not computable yet (waiting / empty). */
export function VerdictBadge({
  verdict,
  waiting,
  testId,
}: {
  verdict: LiveVerdict;
  waiting?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  if (verdict === null) {
    return (
      <Badge color="gray" variant="outline" tt="none" size="sm" data-testid={testId} data-verdict="">
        {waiting ? t('testing.verdicts.waiting') : t('testing.verdicts.empty')}
      </Badge>
    );
  }
  return (
    <Badge
      color={verdictColor[verdict]}
      variant={verdict === 'none' ? 'light' : 'filled'}
      tt="none"
      size="sm"
      data-testid={testId}
      data-verdict={verdict}
    >
      {t(`testing.verdicts.${verdict}`)}
    </Badge>
  );
}
