import { Badge, Button, Group, Loader, Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { ItemName } from '../../ui/item-name';
import { useTranslation } from 'react-i18next';
import type { ReadinessKey } from '../../../../shared/contract/channels/disposition';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { navigate, useRoute } from '../../core/router';
import { LotLink, StatusBadge } from '../../ui/lot';
import { lineTitle, ReadyBadge } from './disposition-format';
import { releaseHref } from '../../ui/lot';

type Filter = 'all' | 'ready' | 'blocked';
const nowrap = { whiteSpace: 'nowrap' } as const;

/**
 * `#/release`: finished lots on hold awaiting the QA manager's decision: ready for release,
 * or blocked with the readiness lines that fail; each opens its decision page.
 */
export function ReleaseQueuePage() {
  const { t } = useTranslation();
  const route = useRoute();
  const requested = route.params.get('show');
  const filter: Filter = requested === 'ready' || requested === 'blocked' ? requested : 'all';
  const q = useCall('disposition.queue', { limit: 200 }, { staleTime: 0 });
  const lots = q.data?.lots ?? [];
  const ready = lots.filter((l) => l.ready).length;
  const shown = lots.filter((l) => (filter === 'all' ? true : filter === 'ready' ? l.ready : !l.ready));

  return (
    <Stack data-testid="release-queue">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t('disposition.queueTitle')}</Title>
          <Text c="dimmed" size="sm" maw={820}>
            {t('disposition.queueIntro')}
          </Text>
        </div>
      </Group>
      <Group gap="md">
        <SegmentedControl
          value={filter}
          onChange={(v) => navigate('/release', { show: v === 'all' ? null : v })}
          data={[
            { value: 'all', label: t('disposition.filter.all', { count: lots.length }) },
            { value: 'ready', label: t('disposition.filter.ready', { count: ready }) },
            { value: 'blocked', label: t('disposition.filter.blocked', { count: lots.length - ready }) },
          ]}
          data-testid="release-filter"
        />
      </Group>
      {q.isLoading ? <Loader /> : null}
      <ErrorAlert error={q.error} />
      {q.data ? (
        <Paper withBorder>
          {shown.length === 0 ? (
            <Text p="md" c="dimmed" size="sm" data-testid="release-empty">
              {lots.length === 0 ? t('disposition.queueEmpty') : t('disposition.queueNoneFiltered')}
            </Text>
          ) : (
            <Table verticalSpacing="sm" fz="sm" highlightOnHover data-testid="release-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('disposition.col.lot')}</Table.Th>
                  <Table.Th>{t('disposition.col.item')}</Table.Th>
                  <Table.Th>{t('disposition.col.date')}</Table.Th>
                  <Table.Th>{t('disposition.col.status')}</Table.Th>
                  <Table.Th>{t('disposition.col.readiness')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.map((l) => (
                  <Table.Tr
                    key={l.lotCode}
                    data-testid={`release-row-${l.lotCode}`}
                    data-ready={String(l.ready)}
                    data-failing={l.failing.join(',')}
                    style={{
                      boxShadow: `inset 4px 0 0 var(--mantine-color-${l.ready ? 'green' : 'red'}-${l.ready ? 6 : 4})`,
                    }}
                  >
                    <Table.Td style={nowrap}>
                      <LotLink code={l.lotCode} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={nowrap}>
                        <ItemName code={l.itemCode} recorded={l.itemName} />
                      </Text>
                      <Text size="xs" c="dimmed" ff="monospace">
                        {l.itemCode}
                      </Text>
                    </Table.Td>
                    <Table.Td ff="monospace" style={nowrap}>
                      {l.date}
                    </Table.Td>
                    <Table.Td style={{ ...nowrap, minWidth: 110 }}>
                      <StatusBadge status={l.status} size="sm" />
                      {l.heldFor ? (
                        <Text
                          size="xs"
                          c="orange.9"
                          mt={4}
                          maw={280}
                          style={{ whiteSpace: 'normal' }}
                          data-testid="release-held-for"
                        >
                          {t('disposition.heldFor', { reason: l.heldFor })}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={4}>
                        <ReadyBadge ready={l.ready} size="sm" />
                        {l.failing.length > 0 ? <FailingLines keys={l.failing} /> : null}
                      </Stack>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Button
                        component="a"
                        href={releaseHref(l.lotCode)}
                        size="xs"
                        variant={l.ready ? 'filled' : 'light'}
                        color={l.ready ? 'green' : undefined}
                        data-testid={`release-open-${l.lotCode}`}
                      >
                        {l.ready ? t('disposition.openDecide') : t('disposition.openChecklist')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
      ) : null}
    </Stack>
  );
}

export function FailingLines({ keys }: { keys: ReadinessKey[] }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} data-testid="release-failing">
      {keys.map((k) => (
        <Badge key={k} color="red" variant="outline" tt="none" size="sm" data-testid={`failing-${k}`}>
          {lineTitle(t, k)}
        </Badge>
      ))}
    </Group>
  );
}
