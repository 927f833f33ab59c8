import { useState } from 'react';
import { Anchor, Button, Group, Loader, Paper, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { InstrumentView } from '../../../../shared/contract/channels/instruments';
import { errorMessage } from '../../core/api/errors';
import { useCall, useMutationCall } from '../../core/api/hooks';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { ErrorAlert } from '../../ui/error-alert';
import {
  CalibrationDue,
  connectionText,
  instrumentHref,
  LastCheck,
  LockBadge,
  StateBadge,
  useInstrumentStatusSync,
} from './instrument-format';

/**
 * `#/instruments`: every registered instrument with its live connection state, whether it
 * may capture (the lock and its reasons), when its calibration falls due and its last daily
 * check; connect and disconnect from here.
 */
export function InstrumentsListPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [inactive, setInactive] = useState(false);
  const list = useCall('instruments.list', { includeInactive: inactive }, { staleTime: 0 });
  useInstrumentStatusSync();
  const canManage = hasPermission(session, 'instruments.manage') && !session.readOnly;
  const canUse = hasPermission(session, 'instruments.use') && !session.readOnly;
  const rows = list.data ?? [];

  return (
    <Stack data-testid="instruments-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('instruments.title')}</Title>
          <Text c="dimmed" size="sm" maw={820}>
            {t('instruments.intro')}
          </Text>
        </div>
        <Group gap="md">
          <Anchor href={href('/instruments/methods')} size="sm" data-testid="instruments-methods-link">
            {t('instruments.methods.link')}
          </Anchor>
          <Switch
            label={t('instruments.showInactive')}
            checked={inactive}
            onChange={(e) => setInactive(e.currentTarget.checked)}
            data-testid="instruments-show-inactive"
          />
          {canManage ? (
            <Button component="a" href={href('/instruments/new')} data-testid="instruments-new">
              {t('instruments.register')}
            </Button>
          ) : null}
        </Group>
      </Group>
      <ErrorAlert error={list.error} />
      {list.isLoading ? <Loader /> : null}
      {list.data && rows.length === 0 ? (
        <Paper withBorder p="lg" data-testid="instruments-empty">
          <Text size="sm">{canManage ? t('instruments.emptyAdmin') : t('instruments.empty')}</Text>
        </Paper>
      ) : null}
      {rows.length > 0 ? (
        <Table.ScrollContainer minWidth={1100}>
          <Table withTableBorder verticalSpacing="sm" data-testid="instruments-table" fz="sm">
            <Table.Thead bg="var(--mantine-color-gray-0)">
              <Table.Tr>
                <Table.Th>{t('instruments.fields.code')}</Table.Th>
                <Table.Th>{t('instruments.fields.name')}</Table.Th>
                <Table.Th>{t('instruments.fields.connection')}</Table.Th>
                <Table.Th>{t('instruments.fields.status')}</Table.Th>
                <Table.Th>{t('instruments.fields.lock')}</Table.Th>
                <Table.Th>{t('instruments.fields.calibrationDue')}</Table.Th>
                <Table.Th>{t('instruments.fields.lastCheck')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((i) => (
                <InstrumentRow key={i.id} i={i} canUse={canUse} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Stack>
  );
}

function InstrumentRow({ i, canUse }: { i: InstrumentView; canUse: boolean }) {
  const { t } = useTranslation();
  return (
    <Table.Tr data-testid={`instrument-row-${i.code}`} style={{ verticalAlign: 'top' }}>
      <Table.Td>
        <Anchor
          href={instrumentHref(i.id)}
          ff="monospace"
          fw={700}
          style={{ whiteSpace: 'nowrap' }}
          data-testid={`instrument-link-${i.code}`}
        >
          {i.code}
        </Anchor>
        {!i.active ? (
          <Text size="xs" c="dimmed">
            {t('instruments.inactive')}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td maw={260}>
        <Text size="sm" fw={500}>
          {i.name}
        </Text>
        <Text size="xs" c="dimmed">
          {t(`instruments.kinds.${i.kind}`)}
          {i.make || i.model ? ` · ${[i.make, i.model].filter(Boolean).join(' ')}` : ''}
          {i.location ? ` · ${i.location}` : ''}
        </Text>
      </Table.Td>
      <Table.Td maw={240}>
        <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
          {i.connectedPort ?? connectionText(i)}
        </Text>
        <Text size="xs" c="dimmed">
          {t(`instruments.drivers.${i.driver}`)} · {i.baudRate} {i.dataBits}
          {i.parity[0]!.toUpperCase()}
          {i.stopBits}
        </Text>
      </Table.Td>
      <Table.Td miw={140} maw={220}>
        <StateBadge state={i.state} message={i.stateMessage} testId={`instrument-state-${i.code}`} />
        {i.stateMessage ? (
          <Text size="xs" c={i.state === 'error' ? 'red.8' : 'dimmed'} mt={2}>
            {i.stateMessage}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td maw={260}>
        <LockBadge lock={i.lock} testId={`instrument-lock-${i.code}`} />
      </Table.Td>
      <Table.Td>
        <CalibrationDue lock={i.lock} />
      </Table.Td>
      <Table.Td>
        <LastCheck lock={i.lock} />
      </Table.Td>
      <Table.Td>{canUse && i.active ? <ConnectButton i={i} size="compact-sm" /> : null}</Table.Td>
    </Table.Tr>
  );
}

/** Connect or disconnect; a refusal (wrong instrument, port missing) is shown as a notification. */
export function ConnectButton({ i, size = 'sm' }: { i: InstrumentView; size?: 'sm' | 'compact-sm' }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const done = () => {
    void qc.invalidateQueries({ queryKey: ['instruments.list'] });
    void qc.invalidateQueries({ queryKey: ['instruments.get'] });
  };
  const onError = (e: unknown) => {
    done();
    notifications.show({ color: 'red', autoClose: 10_000, message: errorMessage(t, e) });
  };
  const connect = useMutationCall('instruments.connect', { onSuccess: done, onError });
  const disconnect = useMutationCall('instruments.disconnect', { onSuccess: done, onError });
  const on = i.state === 'connected' || i.state === 'connecting' || i.state === 'error';
  return on ? (
    <Button
      size={size}
      variant="default"
      loading={disconnect.isPending}
      onClick={() => disconnect.mutate({ id: i.id })}
      data-testid={`instrument-disconnect-${i.code}`}
    >
      {t('instruments.disconnect')}
    </Button>
  ) : (
    <Button
      size={size}
      variant="light"
      loading={connect.isPending}
      onClick={() => connect.mutate({ id: i.id })}
      data-testid={`instrument-connect-${i.code}`}
    >
      {t('instruments.connect')}
    </Button>
  );
}
