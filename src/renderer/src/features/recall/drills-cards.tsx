import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { Card } from '../../ui/card';
import { href } from '../../core/router';
import { directionLabel, drillHref, formatClock, groupLabel, programmeHref, todayIso } from './drills-format';

const SOON_DAYS = 30;

/** QA manager: this year's planned drills that are overdue or due within a month. */
export function DrillsDueCard() {
  const { t } = useTranslation();
  const year = new Date().getFullYear();
  const plan = useCall('drills.plan', { year }, { staleTime: 0 });
  const today = todayIso();
  const soon = todayIso(SOON_DAYS);
  const entries = plan.data?.entries ?? [];
  const overdue = entries.filter((e) => e.overdue);
  const due = entries.filter((e) => !e.overdue && !e.drillCode && e.dueOn >= today && e.dueOn <= soon);
  const uncovered = plan.data?.uncovered.length ?? 0;
  return (
    <Card
      title={t('drills.card.dueTitle')}
      testId="card-drills-due"
      data={{ overdue: overdue.length }}
      alert={overdue.length > 0}
    >
      <Stack gap="xs">
        <ErrorAlert error={plan.error} />
        {plan.data ? (
          <Text size="sm" data-testid="card-drills-due-summary">
            {overdue.length + due.length === 0
              ? t('drills.card.noneDue')
              : t('drills.card.someDue', { overdue: overdue.length, due: due.length })}
          </Text>
        ) : null}
        {[...overdue, ...due].slice(0, 6).map((e) => (
          <Group key={e.id} gap="xs" wrap="nowrap">
            <Badge color={e.overdue ? 'red' : 'yellow'} variant={e.overdue ? 'filled' : 'light'} tt="none" size="sm">
              {e.overdue ? t('drills.programme.overdue') : t('drills.card.due')}
            </Badge>
            <Text size="sm" truncate>
              {groupLabel(t, e.productGroup)} · {directionLabel(t, e.direction)}
            </Text>
            <Text size="xs" c="dimmed" ff="monospace">
              {e.dueOn}
            </Text>
          </Group>
        ))}
        {uncovered > 0 ? (
          <Text size="xs" c="orange.9">
            {t('drills.card.uncovered', { count: uncovered })}
          </Text>
        ) : null}
        <Anchor href={programmeHref(year)} size="sm">
          {t('drills.card.openProgramme')}
        </Anchor>
      </Stack>
    </Card>
  );
}

/** Everyone: a real recall in progress (shown only while one is open). */
export function OpenRecallsCard() {
  const { t } = useTranslation();
  const q = useCall('drills.list', { mode: 'recall', status: 'open', offset: 0, limit: 20 }, { staleTime: 0 });
  const recalls = q.data?.drills ?? [];
  if (recalls.length === 0) return null;
  return (
    <Card
      title={t('drills.card.recallsTitle', { count: recalls.length })}
      testId="card-open-recalls"
      urgent
      badge={
        <Badge color="red" variant="filled">
          {t('drills.mode.recallBadge')}
        </Badge>
      }
    >
      <Stack gap="xs">
        {recalls.map((r) => (
          <Group key={r.id} gap="xs" wrap="nowrap">
            <Anchor href={drillHref(r.code)} ff="monospace" fw={700} size="sm" c="red.8">
              {r.code}
            </Anchor>
            <Text size="xs" ff="monospace">
              {r.rootLot}
            </Text>
            <Text size="xs" c="dimmed">
              {formatClock(r.elapsedMs)}
            </Text>
          </Group>
        ))}
        <Anchor href={href('/drills')} size="sm">
          {t('drills.card.openDrills')}
        </Anchor>
      </Stack>
    </Card>
  );
}
