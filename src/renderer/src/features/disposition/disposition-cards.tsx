import { Anchor, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { Card } from '../../ui/card';
import { ReadyBadge } from './disposition-format';
import { releaseHref } from '../../ui/lot';

const SHOWN = 6;

/** QA manager: finished lots awaiting release, ready ones first. */
export function LotsAwaitingReleaseCard() {
  const { t } = useTranslation();
  const q = useCall('disposition.queue', { limit: 200 }, { staleTime: 0 });
  const lots = [...(q.data?.lots ?? [])].sort((a, b) => Number(b.ready) - Number(a.ready));
  const ready = lots.filter((l) => l.ready).length;
  const blocked = lots.length - ready;
  return (
    <Card
      title={t('disposition.card.title')}
      testId="card-release"
      data={{ ready, blocked }}
      tone={ready > 0 ? 'green' : undefined}
    >
      <Stack gap="xs">
        <ErrorAlert error={q.error} />
        {q.data ? (
          <Text size="sm" data-testid="card-release-summary">
            {lots.length === 0 ? t('disposition.card.none') : t('disposition.card.some', { ready, blocked })}
          </Text>
        ) : null}
        {lots.slice(0, SHOWN).map((l) => (
          <Group key={l.lotCode} gap="xs" wrap="nowrap" data-testid={`card-release-${l.lotCode}`}>
            <Anchor href={releaseHref(l.lotCode)} ff="monospace" fw={600} size="sm">
              {l.lotCode}
            </Anchor>
            <Text size="xs" c="dimmed" truncate>
              {l.itemCode}
            </Text>
            <ReadyBadge ready={l.ready} failing={l.failing.length} size="sm" />
          </Group>
        ))}
        <Anchor href={releaseHref()} size="sm" data-testid="card-release-open">
          {t('disposition.card.open')}
        </Anchor>
      </Stack>
    </Card>
  );
}
