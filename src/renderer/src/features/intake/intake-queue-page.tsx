import { LateFailuresCard } from './late-failure-page';
import { useState } from 'react';
import {
  Alert,
  Anchor,
  Button,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { num } from '../../ui/format';
import { intakeHref, IntakeStatusBadge, IntakeTabs, type IntakeStatus } from './intake-format';
import { SamplingLevelBadge, SupplierSamplingBadge } from '../../ui/supplier';
import { elapsedSince } from '../../ui/dates';
import { Person } from '../../ui/person';

type Filter = 'open' | 'all' | IntakeStatus;

/**
 * `#/intake`: the milk bench. Tankers received by production and waiting for their intake
 * first (oldest first: milk waits in the tanker), then the intakes under way and decided.
 */
export function IntakeQueuePage() {
  const { t } = useTranslation();
  const session = useSession();
  const [filter, setFilter] = useState<Filter>('open');
  const list = useCall(
    'intake.list',
    { offset: 0, limit: 100, ...(filter !== 'open' && filter !== 'all' ? { status: filter } : {}) },
    { staleTime: 0, refetchInterval: 30_000 },
  );
  const canStart = hasPermission(session, 'intake.record') && !session.readOnly;
  const awaiting = list.data?.awaiting ?? [];
  const items = (list.data?.items ?? []).filter(
    (i) => filter !== 'open' || i.status === 'testing' || i.status === 'refused',
  );

  return (
    <Stack data-testid="intake-queue-page">
      <IntakeTabs active="bench" />
      <LateFailuresCard />
      <div>
        <Title order={2}>{t('intake.queue.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('intake.queue.intro')}
        </Text>
      </div>
      <ErrorAlert error={list.error} />

      <Paper withBorder p="md" data-testid="intake-awaiting">
        <Group justify="space-between" mb="xs">
          <Title order={4}>{t('intake.queue.awaitingTitle', { count: awaiting.length })}</Title>
          {hasPermission(session, 'lots.record') && !session.readOnly ? (
            <Anchor href={href('/receiving', { form: 'tanker' })} size="sm">
              {t('intake.queue.receivingLink')}
            </Anchor>
          ) : null}
        </Group>
        {list.isLoading ? <Loader size="sm" /> : null}
        {list.data && awaiting.length === 0 ? (
          <Alert color="gray" variant="light" data-testid="intake-awaiting-none">
            {t('intake.queue.awaitingNone')}
          </Alert>
        ) : null}
        {awaiting.length > 0 ? (
          <Table withTableBorder striped fz="sm" verticalSpacing={8}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('intake.fields.lot')}</Table.Th>
                <Table.Th>{t('intake.fields.supplier')}</Table.Th>
                <Table.Th>{t('intake.fields.samplingLevel')}</Table.Th>
                <Table.Th>{t('intake.fields.receivedAt')}</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>{t('intake.fields.waiting')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {awaiting.map((a) => (
                <Table.Tr key={a.lotCode} data-testid={`awaiting-row-${a.lotCode}`}>
                  <Table.Td>
                    <Anchor href={intakeHref(a.lotCode)} ff="monospace" fw={700}>
                      {a.lotCode}
                    </Anchor>
                  </Table.Td>
                  <Table.Td ff="monospace">{a.supplierCode ?? '—'}</Table.Td>
                  <Table.Td>{a.supplierCode ? <SupplierSamplingBadge supplierCode={a.supplierCode} /> : null}</Table.Td>
                  <Table.Td style={num}>{formatTime(a.receivedAt)}</Table.Td>
                  <Table.Td style={num}>{elapsedSince(t, a.receivedAt)}</Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>
                    <Button
                      component="a"
                      href={intakeHref(a.lotCode)}
                      size="xs"
                      data-testid={`awaiting-open-${a.lotCode}`}
                    >
                      {canStart ? t('intake.queue.start') : t('intake.queue.open')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
      </Paper>

      <Paper withBorder p="md" data-testid="intake-recent">
        <Group justify="space-between" mb="xs" wrap="wrap">
          <Title order={4}>{t('intake.queue.recentTitle')}</Title>
          <SegmentedControl
            size="xs"
            value={filter}
            onChange={(v) => setFilter(v as Filter)}
            data={(['open', 'rejected', 'accepted', 'all'] as const).map((f) => ({
              value: f,
              label: t(`intake.queue.filters.${f}`),
            }))}
            data-testid="intake-filter"
          />
        </Group>
        {list.data && items.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="intake-recent-none">
            {filter === 'open' ? t('intake.queue.openNone') : t('intake.queue.recentNone')}
          </Text>
        ) : null}
        {items.length > 0 ? (
          <Table withTableBorder striped fz="sm" verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('intake.fields.lot')}</Table.Th>
                <Table.Th>{t('intake.fields.supplier')}</Table.Th>
                <Table.Th>{t('intake.fields.status')}</Table.Th>
                <Table.Th>{t('intake.fields.samplingLevel')}</Table.Th>
                <Table.Th>{t('intake.fields.openedAt')}</Table.Th>
                <Table.Th>{t('intake.fields.decidedAt')}</Table.Th>
                <Table.Th>{t('intake.fields.nextStep')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((i) => (
                <Table.Tr key={i.id} data-testid={`intake-row-${i.lotCode}`}>
                  <Table.Td>
                    <Anchor href={intakeHref(i.lotCode)} ff="monospace" fw={700}>
                      {i.lotCode}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace" span>
                      {i.supplierCode}
                    </Text>{' '}
                    <Text size="xs" c="dimmed" span>
                      {i.supplierName ?? ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <IntakeStatusBadge status={i.status} size="sm" />
                  </Table.Td>
                  <Table.Td>
                    <SamplingLevelBadge level={i.samplingLevel} size="sm" />
                  </Table.Td>
                  <Table.Td style={num}>
                    {formatTime(i.openedAt)} · <Person id={i.openedBy} />
                  </Table.Td>
                  <Table.Td style={num}>
                    {i.decidedAt ? (
                      <>
                        {formatTime(i.decidedAt)} · <Person id={i.decidedBy} />
                      </>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{t(`intake.queue.next.${i.status}`)}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
      </Paper>
    </Stack>
  );
}
