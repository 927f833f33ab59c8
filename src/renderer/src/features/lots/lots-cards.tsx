import { Anchor, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { Card } from '../../ui/card';
import { href } from '../../core/router';
import { KindLabel, LotLink, StatusBadge } from '../../ui/lot';

const SHOWN = 8;

/** Production: batches still open on the lines. */
export function OpenBatchesCard() {
  const { t } = useTranslation();
  const open = useCall('batches.list', { status: 'open' }, { staleTime: 0 });
  const list = open.data ?? [];
  return (
    <Card title={t('batches.cardTitle')} testId="card-open-batches">
      <Stack gap="xs">
        <ErrorAlert error={open.error} />
        {open.data ? (
          <Text size="sm">
            {list.length === 0 ? t('batches.cardNone') : t('batches.cardSome', { count: list.length })}
          </Text>
        ) : null}
        {list.slice(0, SHOWN).map((b) => (
          <Group key={b.id} gap="xs" wrap="nowrap">
            <Text size="sm" ff="monospace" fw={600}>
              {b.code}
            </Text>
            <Text size="xs" c="dimmed">
              {t('batches.lineBadge', { line: b.line })}
            </Text>
            <LotLink code={b.output.code} />
          </Group>
        ))}
        <Anchor href={href('/batches')} size="sm">
          {t('batches.cardOpen')}
        </Anchor>
      </Stack>
    </Card>
  );
}

/** QA manager: lots waiting for a decision (received lots in quarantine, lots on hold). */
export function LotsAwaitingDecisionCard() {
  const { t } = useTranslation();
  const quarantine = useCall('lots.list', { status: 'quarantine', limit: SHOWN }, { staleTime: 0 });
  const held = useCall('lots.list', { status: 'on_hold', limit: SHOWN }, { staleTime: 0 });
  const total = (quarantine.data?.total ?? 0) + (held.data?.total ?? 0);
  const lots = [...(quarantine.data?.lots ?? []), ...(held.data?.lots ?? [])].slice(0, SHOWN);
  return (
    <Card title={t('lots.cardTitle')} testId="card-lots-awaiting" tone={total > 0 ? 'yellow' : undefined}>
      <Stack gap="xs">
        <ErrorAlert error={quarantine.error ?? held.error} />
        {quarantine.data && held.data ? (
          <Text size="sm">{total === 0 ? t('lots.cardNone') : t('lots.cardSome', { count: total })}</Text>
        ) : null}
        {lots.map((l) => (
          <Group key={l.id} gap="xs" wrap="nowrap" data-testid={`card-lot-${l.code}`}>
            <KindLabel kind={l.kind} withText={false} />
            <LotLink code={l.code} />
            <Text size="xs" c="dimmed" truncate>
              {l.itemCode}
            </Text>
            <StatusBadge status={l.status} size="xs" />
          </Group>
        ))}
        <Group gap="md">
          <Anchor href={href('/lots', { status: 'quarantine' })} size="sm">
            {t('lots.cardOpenQuarantine')}
          </Anchor>
          <Anchor href={href('/lots', { status: 'on_hold' })} size="sm">
            {t('lots.cardOpenHeld')}
          </Anchor>
        </Group>
      </Stack>
    </Card>
  );
}
