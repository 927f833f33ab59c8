import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../core/api/hooks';
import { href } from '../../core/router';
import { ErrorAlert } from '../../ui/error-alert';
import { Card } from '../../ui/card';
import { calibrationDueSoon, daysUntil, DUE_SOON_DAYS, instrumentHref, lockReasons } from './instrument-format';

/** Technicians and QA: instruments that refuse captures now, or whose calibration falls due within 14 days. */
export function InstrumentsAttentionCard() {
  const { t } = useTranslation();
  const list = useCall('instruments.list', { includeInactive: false }, { staleTime: 0 });
  const rows = (list.data ?? []).filter((i) => i.lock.locked || calibrationDueSoon(i.lock));
  const any = rows.length > 0;
  return (
    <Card title={t('instruments.card.title')} testId="card-instruments" tone={any ? 'orange' : undefined}>
      <Stack gap="xs">
        <ErrorAlert error={list.error} />
        {list.data ? (
          <Text size="sm" c={any ? 'orange.9' : undefined} fw={any ? 600 : undefined}>
            {any ? t('instruments.card.some', { count: rows.length, days: DUE_SOON_DAYS }) : t('instruments.card.none')}
          </Text>
        ) : null}
        {rows.slice(0, 6).map((i) => (
          <Stack key={i.id} gap={0} data-testid={`card-instrument-${i.code}`}>
            <Group gap="xs" wrap="nowrap">
              <Anchor
                href={instrumentHref(i.id)}
                size="sm"
                ff="monospace"
                fw={600}
                style={{ whiteSpace: 'nowrap', flexShrink: 0 }}
              >
                {i.code}
              </Anchor>
              <Text size="xs" truncate>
                {i.name}
              </Text>
              {i.lock.locked ? (
                <Badge size="xs" color="red" variant="filled" tt="none" style={{ flexShrink: 0 }}>
                  {t('instruments.lock.locked')}
                </Badge>
              ) : null}
              {i.lock.calibrationDue && !i.lock.locked ? (
                <Badge size="xs" color="orange" variant="light" tt="none" style={{ flexShrink: 0 }}>
                  {t('instruments.card.due', { date: i.lock.calibrationDue, count: daysUntil(i.lock.calibrationDue) })}
                </Badge>
              ) : null}
            </Group>
            {i.lock.locked ? (
              <Text size="xs" c="red.8">
                {lockReasons(t, i.lock).join('; ')}
              </Text>
            ) : null}
          </Stack>
        ))}
        <Anchor href={href('/instruments')} size="sm">
          {t('instruments.card.open')}
        </Anchor>
      </Stack>
    </Card>
  );
}
