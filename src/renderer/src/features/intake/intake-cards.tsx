import { Anchor, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { Card } from '../../ui/card';
import { href } from '../../core/router';
import { intakeHref } from './intake-format';
import { elapsedSince } from '../../ui/dates';

/** Technician: tankers received and waiting at the bench (oldest first), plus intakes under way. */
export function TankersAwaitingCard() {
  const { t } = useTranslation();
  const list = useCall(
    'intake.list',
    { status: 'testing', offset: 0, limit: 20 },
    { staleTime: 0, refetchInterval: 60_000 },
  );
  const awaiting = list.data?.awaiting ?? [];
  const testing = list.data?.items ?? [];
  return (
    <Card title={t('intake.card.title')} testId="card-tankers-awaiting" alert={awaiting.length > 0}>
      <Stack gap="xs">
        <ErrorAlert error={list.error} />
        {list.data ? (
          <Text size="sm" fw={awaiting.length > 0 ? 600 : undefined}>
            {awaiting.length === 0 ? t('intake.card.none') : t('intake.card.some', { count: awaiting.length })}
          </Text>
        ) : null}
        {awaiting.slice(0, 5).map((a) => (
          <Group key={a.lotCode} gap="xs" wrap="nowrap">
            <Anchor href={intakeHref(a.lotCode)} size="sm" ff="monospace" fw={700}>
              {a.lotCode}
            </Anchor>
            <Text size="xs" c="dimmed" truncate>
              {a.supplierCode ?? ''} · {t('intake.card.waiting', { elapsed: elapsedSince(t, a.receivedAt) })}
            </Text>
          </Group>
        ))}
        {testing.length > 0 ? (
          <Text size="xs" c="dimmed">
            {t('intake.card.testing', { count: testing.length })}
          </Text>
        ) : null}
        <Anchor href={href('/intake')} size="sm">
          {t('intake.card.open')}
        </Anchor>
      </Stack>
    </Card>
  );
}

/** QA manager: appeals past the deadline that applies now (第二十七条). */
export function OverdueAppealsCard() {
  const { t } = useTranslation();
  const list = useCall('appeals.list', { overdueOnly: true }, { staleTime: 0 });
  const rows = list.data ?? [];
  return (
    <Card title={t('appeals.card.title')} testId="card-appeals-overdue" alert={rows.length > 0}>
      <Stack gap="xs">
        <ErrorAlert error={list.error} />
        {list.data ? (
          <Text size="sm" c={rows.length > 0 ? 'red.7' : undefined} fw={rows.length > 0 ? 600 : undefined}>
            {rows.length === 0 ? t('appeals.card.none') : t('appeals.card.some', { count: rows.length })}
          </Text>
        ) : null}
        {rows.slice(0, 5).map((a) => (
          <Group key={a.id} gap="xs" wrap="nowrap">
            <Anchor href={href('/appeals', { lot: a.lotCode })} size="sm" ff="monospace" fw={600} c="red.7">
              {a.lotCode}
            </Anchor>
            <Text size="xs" c="dimmed" truncate>
              {t(`appeals.deadlineKind.${a.status}`)} {a.nextDeadline ?? ''}
            </Text>
          </Group>
        ))}
        <Anchor href={href('/appeals', {})} size="sm">
          {t('appeals.card.open')}
        </Anchor>
      </Stack>
    </Card>
  );
}
