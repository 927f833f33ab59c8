import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { Card } from '../../ui/card';
import { href } from '../../core/router';
import { alertHref, targetName } from './env-format';

/** QA and technicians: open environmental alerts (positive swabs), zone 1 first. */
export function OpenEnvAlertsCard() {
  const { t } = useTranslation();
  const list = useCall('env.alerts.list', { status: 'open' }, { staleTime: 0 });
  const rows = [...(list.data ?? [])].sort((a, b) => (a.zone ?? 9) - (b.zone ?? 9));
  const any = rows.length > 0;
  return (
    <Card title={t('environment.card.title')} testId="card-env-alerts" alert={any}>
      <Stack gap="xs">
        <ErrorAlert error={list.error} />
        {list.data ? (
          <Text size="sm" c={any ? 'red.7' : undefined} fw={any ? 600 : undefined}>
            {any ? t('environment.card.some', { count: rows.length }) : t('environment.card.none')}
          </Text>
        ) : null}
        {rows.slice(0, 6).map((a) => (
          <Group key={a.id} gap="xs" wrap="nowrap">
            <Anchor href={alertHref(a.code)} size="sm" ff="monospace" fw={600} c="red.7">
              {a.code}
            </Anchor>
            <Text size="xs" truncate>
              {a.siteCode} · {targetName(t, a.target)}
            </Text>
            {a.zone ? (
              <Badge
                size="xs"
                color={a.zone === 1 ? 'red' : 'orange'}
                variant="light"
                tt="none"
                style={{ flexShrink: 0 }}
              >
                {t('sites.zoneN', { zone: a.zone })}
              </Badge>
            ) : null}
          </Group>
        ))}
        <Anchor href={href('/environment')} size="sm">
          {t('environment.card.open')}
        </Anchor>
      </Stack>
    </Card>
  );
}
