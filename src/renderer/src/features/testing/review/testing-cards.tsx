import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../../core/api/hooks';
import { ErrorAlert } from '../../../ui/error-alert';
import { Card } from '../../../ui/card';
import { href } from '../../../core/router';
import { LotLink } from '../../../ui/lot';
import { oosHref, reviewHref } from './result-format';
import { useReportedText } from '../reported';

/**
 * Reviewer / QA manager: 待复核 — samples with submitted results they may review. Main leaves
 * out the samples the caller took part in (home.toReview), so the count is theirs alone.
 */
export function ResultsToReviewCard() {
  const { t } = useTranslation();
  const q = useCall('home.toReview', {}, { staleTime: 0 });
  const rows = q.data?.items ?? [];
  const count = q.data?.samples ?? 0;
  return (
    <Card title={t('resultReview.card.title')} testId="card-results-review">
      <Stack gap="xs">
        <ErrorAlert error={q.error} />
        {q.data ? (
          <Text size="sm" data-testid="card-results-review-count" data-count={count}>
            {count === 0 ? t('resultReview.card.none') : t('resultReview.card.some', { count })}
          </Text>
        ) : null}
        {rows.map((s) => (
          <Group key={s.sampleCode} gap="xs" wrap="nowrap">
            <Anchor href={reviewHref(s.sampleCode)} size="sm" ff="monospace" fw={600}>
              {s.sampleCode}
            </Anchor>
            {s.lotCode ? (
              <Text size="xs" c="dimmed" ff="monospace">
                {s.lotCode}
              </Text>
            ) : null}
            <Text size="xs" c="dimmed">
              {t('resultReview.card.results', { count: s.results })}
            </Text>
            {s.failed > 0 ? (
              <Badge color="red" size="sm" tt="none" style={{ flexShrink: 0 }}>
                {t('resultReview.queue.failed', { count: s.failed })}
              </Badge>
            ) : null}
          </Group>
        ))}
        <Anchor href={href('/review')} size="sm">
          {t('resultReview.card.open')}
        </Anchor>
      </Stack>
    </Card>
  );
}

/** Technicians, reviewers, QA: OOS investigations waiting for Phase I or for the conclusion. */
export function OpenOosCard() {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const q = useCall('oos.list', { statuses: ['open', 'phase1_done'], limit: 100 }, { staleTime: 0 });
  const items = q.data?.items ?? [];
  return (
    <Card title={t('oos.card.openTitle')} testId="card-oos-open" alert={items.length > 0}>
      <Stack gap="xs">
        <ErrorAlert error={q.error} />
        {q.data ? (
          <Text size="sm" data-testid="card-oos-open-count" data-count={q.data.total}>
            {q.data.total === 0 ? t('oos.card.openNone') : t('oos.card.openSome', { count: q.data.total })}
          </Text>
        ) : null}
        {items.slice(0, 6).map((o) => (
          <Group key={o.code} gap="xs" wrap="nowrap">
            <Anchor href={oosHref(o.code)} size="sm" ff="monospace" fw={600} c="red.8">
              {o.code}
            </Anchor>
            <Text size="xs" truncate>
              {zh ? o.itemName.zh : o.itemName.en} · {o.lotCode ?? o.sampleCode}
            </Text>
            <Badge
              color={o.status === 'open' ? 'red' : 'orange'}
              variant="light"
              size="sm"
              tt="none"
              style={{ flexShrink: 0 }}
            >
              {o.status === 'open' ? t('oos.card.needsPhase1') : t('oos.card.needsConclusion')}
            </Badge>
          </Group>
        ))}
        <Anchor href={href('/oos')} size="sm">
          {t('oos.card.openList')}
        </Anchor>
      </Stack>
    </Card>
  );
}

/** QA manager: confirmed OOS results whose lot waits for the lot decision (reject or justified release). */
export function ConfirmedOosCard() {
  const { t, i18n } = useTranslation();
  const shownReported = useReportedText();
  const zh = i18n.language.startsWith('zh');
  const q = useCall('oos.list', { statuses: ['confirmed'], limit: 100 }, { staleTime: 0 });
  const items = q.data?.items ?? [];
  return (
    <Card title={t('oos.card.confirmedTitle')} testId="card-oos-confirmed" alert={items.length > 0}>
      <Stack gap="xs">
        <ErrorAlert error={q.error} />
        {q.data ? (
          <Text size="sm" data-testid="card-oos-confirmed-count" data-count={q.data.total}>
            {q.data.total === 0 ? t('oos.card.confirmedNone') : t('oos.card.confirmedSome', { count: q.data.total })}
          </Text>
        ) : null}
        {items.slice(0, 6).map((o) => (
          <Group key={o.code} gap="xs" wrap="nowrap">
            <Anchor href={oosHref(o.code)} size="sm" ff="monospace" fw={600}>
              {o.code}
            </Anchor>
            {o.lotCode ? <LotLink code={o.lotCode} /> : null}
            <Text size="xs" c="dimmed" truncate>
              {zh ? o.itemName.zh : o.itemName.en} {shownReported(o.reported)} ({o.limitText})
            </Text>
          </Group>
        ))}
        <Anchor href={href('/oos', { status: 'confirmed' })} size="sm">
          {t('oos.card.confirmedList')}
        </Anchor>
      </Stack>
    </Card>
  );
}
