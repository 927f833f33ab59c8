import { useState } from 'react';
import { Alert, Anchor, Badge, Loader, Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { SampleLink } from '../../ui/sample';
import { zoneColorOf } from '../../ui/zone';
import { num } from '../../ui/format';
import { alertHref, AlertStatusBadge, EnvTabs, targetName } from './env-format';

/** `#/environment`: the alerts raised by positive swabs, open ones first (zone 1 at the top). */
export function AlertsPage() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<'open' | 'all'>('open');
  const list = useCall('env.alerts.list', status === 'open' ? { status: 'open' } : {}, {
    staleTime: 0,
    refetchInterval: 60_000,
  });
  const zh = i18n.language.startsWith('zh');
  const rows = [...(list.data ?? [])].sort(
    (a, b) =>
      Number(b.status === 'open') - Number(a.status === 'open') ||
      (a.zone ?? 9) - (b.zone ?? 9) ||
      b.raisedAt.localeCompare(a.raisedAt),
  );
  return (
    <Stack data-testid="env-alerts-page">
      <EnvTabs active="alerts" />
      <div>
        <Title order={2}>{t('environment.alerts.title')}</Title>
        <Text c="dimmed" size="sm" maw={900}>
          {t('environment.alerts.intro')}
        </Text>
      </div>
      <SegmentedControl
        w="fit-content"
        value={status}
        onChange={(v) => setStatus(v as 'open' | 'all')}
        data={[
          { value: 'open', label: t('environment.alerts.filterOpen') },
          { value: 'all', label: t('environment.alerts.filterAll') },
        ]}
        data-testid="env-alerts-filter"
      />
      <ErrorAlert error={list.error} />
      {list.isLoading ? <Loader /> : null}
      {list.data && rows.length === 0 ? (
        <Alert color="green" variant="light" data-testid="env-alerts-none">
          {status === 'open' ? t('environment.alerts.noneOpen') : t('environment.alerts.none')}
        </Alert>
      ) : null}
      {rows.length > 0 ? (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={960}>
            <Table striped fz="sm" verticalSpacing={8} data-testid="env-alerts-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('environment.fields.alert')}</Table.Th>
                  <Table.Th>{t('environment.fields.status')}</Table.Th>
                  <Table.Th>{t('environment.fields.site')}</Table.Th>
                  <Table.Th>{t('environment.fields.zone')}</Table.Th>
                  <Table.Th>{t('environment.fields.line')}</Table.Th>
                  <Table.Th>{t('environment.fields.target')}</Table.Th>
                  <Table.Th>{t('environment.fields.sample')}</Table.Th>
                  <Table.Th>{t('environment.fields.raisedAt')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('environment.fields.affectedLots')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((a) => (
                  <Table.Tr key={a.id} data-testid={`env-alert-row-${a.code}`}>
                    <Table.Td>
                      <Anchor href={alertHref(a.code)} ff="monospace" fw={700} size="sm">
                        {a.code}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <AlertStatusBadge status={a.status} size="sm" />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace" fw={600}>
                        {a.siteCode}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {zh ? a.siteName.zh : a.siteName.en}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {a.zone ? (
                        <Badge color={zoneColorOf(a.zone)} variant="light" tt="none">
                          {t('sites.zoneN', { zone: a.zone })}
                        </Badge>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                    <Table.Td>{a.line ?? '—'}</Table.Td>
                    <Table.Td>
                      <Text size="sm" c="red.8" fw={600}>
                        {targetName(t, a.target)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <SampleLink code={a.sampleCode} />
                    </Table.Td>
                    <Table.Td style={num} ta="left">
                      {formatTime(a.raisedAt)}
                    </Table.Td>
                    <Table.Td style={num}>{a.affectedLots}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      ) : null}
    </Stack>
  );
}
