import { Button, Group } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ResultView } from '../../../../shared/contract/channels/testing';
import { href } from '../../core/router';

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
