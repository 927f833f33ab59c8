import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ResultView } from '../../../../../shared/contract/channels/testing';
import { href } from '../../../core/router';
import { useReportedText } from '../reported';

/** The testing page of a sample (entry grid, owned by the testing feature): `#/testing/sample/<code>`. */
export function testingSampleHref(code: string): string {
  return href(`/testing/sample/${encodeURIComponent(code)}`);
}

export function reviewHref(code: string): string {
  return href(`/review/${encodeURIComponent(code)}`);
}

export function oosHref(code: string): string {
  return href(`/oos/${encodeURIComponent(code)}`);
}

/** Where a result sits among the product's earlier lots (`#/trends?product&item&highlight`). */
export function trendHref(productCode: string, itemCode: string, highlight?: string | null): string {
  return href('/trends', { product: productCode, item: itemCode, highlight: highlight ?? undefined });
}

/** The status and verdict chips are the ui kit's (one set for every testing screen). */
export { ResultStatusBadge, VerdictBadge } from '../../../ui/result';

export function itemName(r: { nameZh: string; nameEn: string }, zh: boolean): string {
  return zh ? r.nameZh : r.nameEn;
}

/** Sampling-plan units: `5 × absent` when all agree, else `1: 12 · 2: 40 …`. */
function unitsText(units: string[], shown: (v: string) => string): string {
  if (units.every((v) => v === units[0])) return `${units.length} × ${shown(units[0]!)}`;
  return units.map((v, i) => `${i + 1}: ${shown(v)}`).join(' · ');
}

/** Raw data as entered: replicates, or one value per sampling-plan unit. */
export function RawData({
  result,
}: {
  result: Pick<ResultView, 'replicates' | 'unitValues' | 'entryUnit' | 'calculated'>;
}) {
  const { t } = useTranslation();
  const shownReported = useReportedText();
  if (result.calculated) {
    return (
      <Text size="xs" c="dimmed">
        {t('resultReview.calculated')}
      </Text>
    );
  }
  const units = result.unitValues.filter((v) => v !== '');
  const reps = result.replicates.filter((v) => v !== '');
  if (units.length === 0 && reps.length === 0) return <Text c="dimmed">—</Text>;
  return (
    <Text size="sm" ff="monospace" data-testid="result-raw">
      {units.length > 0 ? unitsText(units, shownReported) : reps.join(' · ')}
      {reps.length > 0 && result.entryUnit ? (
        <Text span size="xs" c="dimmed" ff="var(--mantine-font-family)">
          {' '}
          {result.entryUnit}
        </Text>
      ) : null}
    </Text>
  );
}

export function SampleTestingLink({ code }: { code: string }) {
  return (
    <Anchor
      href={testingSampleHref(code)}
      ff="monospace"
      fw={600}
      size="sm"
      data-testid={`testing-sample-link-${code}`}
    >
      {code}
    </Anchor>
  );
}
