import { Anchor, Chip, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { oosStatuses, type OosView } from '../../../../../shared/contract/channels/testing';
import { useCall } from '../../../core/api/hooks';
import { ErrorAlert } from '../../../ui/error-alert';
import { formatTime } from '../../../ui/format';
import { navigate, useRoute } from '../../../core/router';
import { LotLink } from '../../../ui/lot';
import { oosHref, SampleTestingLink } from '../review/result-format';
import { TestingTabs } from '../review/testing-tabs';
import { OosAge, OosStatusBadge } from './oos-format';

type OosStatus = OosView['status'];
const OPEN: OosStatus[] = ['open', 'phase1_done'];

function statusesFrom(param: string | null): OosStatus[] {
  if (param === null) return OPEN;
  return param.split(',').filter((s): s is OosStatus => (oosStatuses as readonly string[]).includes(s));
}

/** `#/oos?status=open,phase1_done`: OOS investigations by status, oldest questions first to the eye by age. */
export function OosListPage() {
  const { t, i18n } = useTranslation();
  const route = useRoute();
  const statuses = statusesFrom(route.params.get('status'));
  const list = useCall('oos.list', { ...(statuses.length ? { statuses } : {}), limit: 500 }, { staleTime: 0 });
  const zh = i18n.language.startsWith('zh');
  const items = list.data?.items ?? [];

  return (
    <Stack data-testid="oos-list">
      <TestingTabs active="oos" />
      <div>
        <Title order={2}>{t('oos.list.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('oos.list.intro')}
        </Text>
      </div>
      <Paper withBorder p="sm">
        <Group gap="xs" mb="sm">
          <Text size="sm" fw={600}>
            {t('oos.list.filter')}
          </Text>
          <Chip.Group multiple value={statuses} onChange={(v) => navigate('/oos', { status: v.join(',') || 'none' })}>
            {oosStatuses.map((s) => (
              <Chip key={s} value={s} size="xs" data-testid={`oos-filter-${s}`}>
                {t(`oos.status.${s}`)}
              </Chip>
            ))}
          </Chip.Group>
        </Group>
        <ErrorAlert error={list.error} />
        {list.isLoading ? <Loader size="sm" /> : null}
        {list.data ? (
          <Text size="sm" mb="xs" data-testid="oos-list-count">
            {items.length === 0 ? t('oos.list.empty') : t('oos.list.count', { count: list.data.total })}
          </Text>
        ) : null}
        {items.length > 0 ? (
          <Table striped highlightOnHover withTableBorder fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('oos.fields.code')}</Table.Th>
                <Table.Th>{t('oos.fields.item')}</Table.Th>
                <Table.Th>{t('oos.fields.reported')}</Table.Th>
                <Table.Th>{t('oos.fields.limit')}</Table.Th>
                <Table.Th>{t('oos.fields.lot')}</Table.Th>
                <Table.Th>{t('oos.fields.sample')}</Table.Th>
                <Table.Th>{t('oos.fields.status')}</Table.Th>
                <Table.Th>{t('oos.fields.age')}</Table.Th>
                <Table.Th>{t('oos.fields.openedAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((o) => (
                <Table.Tr key={o.id} data-testid={`oos-row-${o.code}`} data-status={o.status}>
                  <Table.Td>
                    <Anchor href={oosHref(o.code)} ff="monospace" fw={700} size="sm" data-testid={`oos-open-${o.code}`}>
                      {o.code}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{zh ? o.itemName.zh : o.itemName.en}</Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace" fw={700} c="red.8">
                      {o.reported ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td ff="monospace">{o.limitText ?? '—'}</Table.Td>
                  <Table.Td>{o.lotCode ? <LotLink code={o.lotCode} /> : '—'}</Table.Td>
                  <Table.Td>
                    <SampleTestingLink code={o.sampleCode} />
                  </Table.Td>
                  <Table.Td>
                    <OosStatusBadge status={o.status} size="sm" />
                  </Table.Td>
                  <Table.Td>
                    <OosAge days={o.ageDays} closed={!OPEN.includes(o.status)} />
                  </Table.Td>
                  <Table.Td>{formatTime(o.openedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
      </Paper>
      <Text size="xs" c="dimmed">
        {t('oos.list.steps')}
      </Text>
    </Stack>
  );
}
