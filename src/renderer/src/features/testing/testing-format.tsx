import type { CSSProperties } from 'react';
import { Badge, Button, Group } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ResultStatus, ResultView } from '../../../../shared/contract/channels/testing';
import { href } from '../../app/router';

/** Numbers in lists line up: right-aligned, tabular figures. */
export const num: CSSProperties = { fontVariantNumeric: 'tabular-nums', textAlign: 'right', whiteSpace: 'nowrap' };

/** `#/testing/sample/<code>`: the sample's entry grid, optionally focused on one test. */
export function testingSampleHref(code: string, focus?: string): string {
  return href(`/testing/sample/${encodeURIComponent(code)}`, { focus });
}

export function worklistHref(params?: Record<string, string | undefined>): string {
  return href('/testing', params);
}

export function oosHref(code: string): string {
  return href(`/oos/${encodeURIComponent(code)}`);
}

export function trendHref(r: Pick<ResultView, 'productCode' | 'itemCode' | 'id'>): string | null {
  if (!r.productCode) return null;
  return href('/trends', { product: r.productCode, item: r.itemCode, highlight: r.id });
}

export function isZh(lang: string): boolean {
  return lang.startsWith('zh');
}

/** The item's name in the user's language. */
export function itemName(r: Pick<ResultView, 'nameZh' | 'nameEn'>, lang: string): string {
  return isZh(lang) ? r.nameZh || r.nameEn : r.nameEn || r.nameZh;
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

/**
 * A rule's reason in the user's language with its details (GB/T 8170 and limits.ts keys,
 * testing.* keys). Item codes the result waits for are shown by their names.
 */
export function reasonText(
  t: TFunction,
  reason: string | null,
  details: Readonly<Record<string, string>>,
  nameOf: (code: string) => string = (c) => c,
): string {
  if (!reason) return '';
  const d: Record<string, string> = { ...details };
  if (d['waitingFor'])
    d['waitingFor'] = d['waitingFor']
      .split(',')
      .map((c) => nameOf(c.trim()))
      .join(', ');
  if (d['item']) d['item'] = nameOf(d['item']);
  // A relative repeatability limit is a % of the mean: show it with the allowed difference.
  if (reason === 'testing.repeatability_exceeded' && d['kind'] === 'relative' && d['limit']) {
    d['limit'] = d['allowed'] ? `${d['limit']} % = ${d['allowed']}` : `${d['limit']} %`;
  }
  return t(reason, { ...d, defaultValue: reason }) as string;
}

/** The two pages of the section, as in the samples section. */
export function TestingTabs({ active }: { active: 'worklist' | 'methods' | null }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" data-testid="testing-tabs">
      <Button
        component="a"
        href={href('/testing')}
        size="xs"
        variant={active === 'worklist' ? 'filled' : 'light'}
        data-testid="testing-tab-worklist"
      >
        {t('testing.tabs.worklist')}
      </Button>
      <Button
        component="a"
        href={href('/testing/methods')}
        size="xs"
        variant={active === 'methods' ? 'filled' : 'light'}
        data-testid="testing-tab-methods"
      >
        {t('testing.tabs.methods')}
      </Button>
    </Group>
  );
}
