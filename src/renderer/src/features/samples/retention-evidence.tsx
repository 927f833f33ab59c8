import { useState } from 'react';
import { unitWord } from '../../../../shared/i18n/words';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Drawer,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../../shared/contract';
import { observationOutcomes, withdrawalPurposes } from '../../../../shared/contract/channels/release-evidence';
import { quantityUnits } from '../../../../shared/domain/units';
import { useCall, useMutationCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { LotLink } from '../../ui/lot';
import { contractAccepts } from '../../ui/contract-form';

type Detail = ChannelOutput<'retention.detail'>;

function todayIso(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

const refreshAll = (qc: ReturnType<typeof useQueryClient>) => {
  void qc.invalidateQueries({ queryKey: ['retention.detail'] });
  void qc.invalidateQueries({ queryKey: ['retention.observations.due'] });
  void qc.invalidateQueries({ queryKey: ['samples.list'] });
  void qc.invalidateQueries({ queryKey: ['disposition.readiness'] });
};

/** Retention observations (留样观察) due in the next days or overdue, across the retention store. */
export function ObservationsDue({ onOpen }: { onOpen: (code: string) => void }) {
  const { t } = useTranslation();
  const [days, setDays] = useState('14');
  const due = useCall('retention.observations.due', { withinDays: Number(days) }, { staleTime: 0 });
  const rows = due.data ?? [];
  const overdue = rows.filter((r) => r.overdue).length;
  return (
    <Paper
      withBorder
      p="sm"
      data-testid="retention-observations-due"
      style={overdue ? { borderColor: 'var(--mantine-color-orange-6)', borderWidth: 2 } : undefined}
    >
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={4}>{t('retentionEvidence.dueTitle')}</Title>
          <Text size="xs" c="dimmed">
            {t('retentionEvidence.dueHelp')}
          </Text>
        </div>
        <SegmentedControl
          size="xs"
          value={days}
          onChange={setDays}
          data={['0', '14', '60'].map((d) => ({
            value: d,
            label: t('retentionEvidence.within', { count: Number(d) }),
          }))}
        />
      </Group>
      <ErrorAlert error={due.error} />
      {due.data && rows.length === 0 ? (
        <Text size="sm" c="dimmed" mt="xs" data-testid="retention-observations-none">
          {t('retentionEvidence.dueNone')}
        </Text>
      ) : null}
      {rows.length > 0 ? (
        <Table fz="sm" withTableBorder mt="xs">
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr
                key={`${r.sampleCode}-${r.dueOn}`}
                bg={r.overdue ? 'var(--mantine-color-orange-0)' : undefined}
                data-testid={`observation-due-${r.sampleCode}`}
              >
                <Table.Td ff="monospace">{r.sampleCode}</Table.Td>
                <Table.Td>
                  <LotLink code={r.lotCode} />
                </Table.Td>
                <Table.Td>{r.productCode ?? '—'}</Table.Td>
                <Table.Td ff="monospace" fw={r.overdue ? 700 : undefined} c={r.overdue ? 'orange.8' : undefined}>
                  {r.dueOn}
                  {r.overdue ? ` · ${t('retentionEvidence.overdue')}` : ''}
                </Table.Td>
                <Table.Td>{r.storageLocation ?? '—'}</Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="light"
                    onClick={() => onOpen(r.sampleCode)}
                    data-testid={`observation-open-${r.sampleCode}`}
                  >
                    {t('retentionEvidence.record')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Paper>
  );
}

/** A retention sample's evidence: quantity left against the quantity required, storage, withdrawals, observations. */
export function RetentionDrawer({ code, onClose }: { code: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Drawer
      opened={!!code}
      onClose={onClose}
      position="right"
      size="xl"
      title={t('retentionEvidence.title', { code: code ?? '' })}
      data-testid="retention-drawer"
    >
      {code ? <RetentionDetail code={code} /> : null}
    </Drawer>
  );
}

function RetentionDetail({ code }: { code: string }) {
  const d = useCall('retention.detail', { code }, { staleTime: 0 });
  if (d.isLoading) return <Loader />;
  if (!d.data) return <ErrorAlert error={d.error} />;
  return <RetentionView d={d.data} />;
}

function RetentionView({ d }: { d: Detail }) {
  const { t } = useTranslation();
  const session = useSession();
  const canRecord = hasPermission(session, 'samples.register') && !session.readOnly && !d.sample.disposedAt;
  const s = d.sample;
  const nextDue = d.schedule.find((x) => !x.observationId);
  return (
    <Stack data-testid="retention-detail" data-sufficient={String(d.sufficient)}>
      <Paper withBorder p="sm">
        <SimpleGrid cols={2} spacing="xs">
          <Text size="sm">
            {t('retentionEvidence.lot')}: <LotLink code={s.lotCode} />
          </Text>
          <Text size="sm">
            {t('retentionEvidence.location')}: {s.storageLocation ?? '—'}
          </Text>
          <Text size="sm">
            {t('retentionEvidence.keptQuantity')}: {s.quantity} {unitWord(t, s.unit)}
          </Text>
          <Text size="sm">
            {t('retentionEvidence.keepUntil')}: {s.keepUntil ?? '—'}
          </Text>
        </SimpleGrid>
        <Group gap="xs" mt="xs">
          <Badge
            size="lg"
            tt="none"
            variant="light"
            color={d.sufficient === false ? 'red' : 'green'}
            data-testid="retention-remaining"
          >
            {t('retentionEvidence.remaining', { quantity: `${d.remaining} ${unitWord(t, s.unit)}` })}
          </Badge>
          {d.profile ? (
            <Badge size="lg" tt="none" variant="outline" color="gray" data-testid="retention-required">
              {t('retentionEvidence.required', { quantity: `${d.profile.requiredQuantity} ${unitWord(t, d.profile.unit)}` })}
            </Badge>
          ) : (
            <Badge size="lg" tt="none" variant="outline" color="orange">
              {t('retentionEvidence.noProfile')}
            </Badge>
          )}
        </Group>
        {d.sufficient === false ? (
          <Alert color="red" variant="light" mt="xs" data-testid="retention-short">
            {t('retentionEvidence.short')}
          </Alert>
        ) : null}
        {d.profile ? (
          <Text size="sm" mt="xs">
            {t('retentionEvidence.storage')}: {d.profile.storageConditions}
            <Text span size="xs" c="dimmed">
              {' '}
              ({d.profile.basisNote})
            </Text>
          </Text>
        ) : s.productCode ? (
          <Anchor href={href('/labels', { product: s.productCode })} size="sm">
            {t('retentionEvidence.setProfile')}
          </Anchor>
        ) : null}
      </Paper>

      <Paper withBorder p="sm" data-testid="retention-withdrawals">
        <Title order={5} mb="xs">
          {t('retentionEvidence.withdrawalsTitle')}
        </Title>
        {d.withdrawals.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('retentionEvidence.noWithdrawals')}
          </Text>
        ) : (
          <Table fz="sm" withTableBorder>
            <Table.Tbody>
              {d.withdrawals.map((w) => (
                <Table.Tr key={w.id} data-testid={`withdrawal-${w.purpose}`}>
                  <Table.Td ff="monospace" w={170}>
                    {formatTime(w.withdrawnAt)}
                  </Table.Td>
                  <Table.Td ff="monospace" fw={600} style={{ whiteSpace: 'nowrap' }}>
                    {w.quantity} {unitWord(t, w.unit)}
                  </Table.Td>
                  <Table.Td>{t(`retentionEvidence.purposes.${w.purpose}`)}</Table.Td>
                  <Table.Td>
                    {w.reason}
                    {w.spotCheckCode ? (
                      <Anchor href={href('/appeals', { code: w.spotCheckCode })} size="xs" ml={6}>
                        {w.spotCheckCode}
                      </Anchor>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{w.withdrawnBy}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {canRecord ? <WithdrawForm d={d} /> : null}
      </Paper>

      <Paper withBorder p="sm" data-testid="retention-observations">
        <Title order={5} mb="xs">
          {t('retentionEvidence.observationsTitle')}
        </Title>
        {d.schedule.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('retentionEvidence.noSchedule')}
          </Text>
        ) : (
          <Table fz="sm" withTableBorder>
            <Table.Tbody>
              {d.schedule.map((x) => {
                const o = d.observations.find((y) => y.id === x.observationId);
                return (
                  <Table.Tr
                    key={x.dueOn}
                    data-testid={`observation-${x.dueOn}`}
                    bg={
                      x.overdue
                        ? 'var(--mantine-color-orange-0)'
                        : o?.outcome === 'abnormal'
                          ? 'var(--mantine-color-red-0)'
                          : undefined
                    }
                  >
                    <Table.Td ff="monospace" w={110} style={{ whiteSpace: 'nowrap' }}>
                      {x.dueOn}
                    </Table.Td>
                    <Table.Td w={110}>
                      {o ? (
                        <Badge color={o.outcome === 'normal' ? 'green' : 'red'} variant="light" tt="none">
                          {t(`retentionEvidence.outcomes.${o.outcome}`)}
                        </Badge>
                      ) : x.overdue ? (
                        <Badge color="orange" variant="filled" tt="none">
                          {t('retentionEvidence.overdue')}
                        </Badge>
                      ) : (
                        <Badge color="gray" variant="light" tt="none">
                          {t('retentionEvidence.scheduled')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{o ? `${o.observedOn} · ${o.findings}` : '—'}</Table.Td>
                    <Table.Td>{o?.storageObserved ?? ''}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
        {canRecord && nextDue ? <ObserveForm d={d} dueOn={nextDue.dueOn} /> : null}
      </Paper>
    </Stack>
  );
}

function WithdrawForm({ d }: { d: Detail }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [quantity, setQuantity] = useState('');
  const [unit, setUnit] = useState<string | null>(d.sample.unit);
  const [purpose, setPurpose] = useState<string | null>('complaint');
  const [reason, setReason] = useState('');
  const w = useMutationCall('retention.withdraw', {
    onSuccess: () => {
      setQuantity('');
      setReason('');
      refreshAll(qc);
    },
  });
  return (
    <Stack gap="xs" mt="sm" data-testid="retention-withdraw-form">
      <Group grow align="flex-end">
        <TextInput
          label={t('retentionEvidence.quantity')}
          value={quantity}
          onChange={(e) => setQuantity(e.currentTarget.value)}
          data-testid="withdraw-quantity"
        />
        <Select
          label={t('retentionEvidence.unit')}
          data={quantityUnits.map((u) => ({ value: u, label: u }))}
          value={unit}
          onChange={setUnit}
          data-testid="withdraw-unit"
        />
        <Select
          label={t('retentionEvidence.purpose')}
          data={withdrawalPurposes
            .filter((p) => p !== 'spot_check_retest')
            .map((p) => ({ value: p, label: t(`retentionEvidence.purposes.${p}`) }))}
          value={purpose}
          onChange={setPurpose}
          data-testid="withdraw-purpose"
        />
      </Group>
      <TextInput
        label={t('common.reason')}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        data-testid="withdraw-reason"
      />
      <ErrorAlert error={w.error} testId="withdraw-error" />
      <Group justify="flex-end">
        <Button
          size="xs"
          disabled={
            !contractAccepts('retention.withdraw', { quantity }, 'quantity') ||
            !unit ||
            !purpose ||
            reason.trim().length < 3
          }
          loading={w.isPending}
          onClick={() =>
            w.mutate({
              code: d.sample.code,
              quantity,
              unit: unit as (typeof quantityUnits)[number],
              purpose: purpose as Exclude<(typeof withdrawalPurposes)[number], 'spot_check_retest'>,
              reason: reason.trim(),
            })
          }
          data-testid="withdraw-submit"
        >
          {t('retentionEvidence.withdraw')}
        </Button>
      </Group>
    </Stack>
  );
}

function ObserveForm({ d, dueOn }: { d: Detail; dueOn: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [observedOn, setObservedOn] = useState<string | null>(todayIso());
  const [outcome, setOutcome] = useState<string>('normal');
  const [findings, setFindings] = useState('');
  const [storage, setStorage] = useState('');
  const o = useMutationCall('retention.observe', {
    onSuccess: () => {
      setFindings('');
      setStorage('');
      refreshAll(qc);
    },
  });
  return (
    <Stack gap="xs" mt="sm" data-testid="retention-observe-form">
      <Text size="sm" fw={600}>
        {t('retentionEvidence.observeTitle', { dueOn })}
      </Text>
      <Group grow align="flex-end">
        <DateInput
          label={t('retentionEvidence.observedOn')}
          valueFormat="YYYY-MM-DD"
          maxDate={todayIso()}
          value={observedOn}
          onChange={setObservedOn}
          data-testid="observe-date"
        />
        <SegmentedControl
          value={outcome}
          onChange={setOutcome}
          data={observationOutcomes.map((x) => ({ value: x, label: t(`retentionEvidence.outcomes.${x}`) }))}
          data-testid="observe-outcome"
        />
        <TextInput
          label={t('retentionEvidence.storageObserved')}
          placeholder="22 ℃, RH 45%"
          value={storage}
          onChange={(e) => setStorage(e.currentTarget.value)}
          data-testid="observe-storage"
        />
      </Group>
      <Textarea
        label={t('retentionEvidence.findings')}
        description={t('retentionEvidence.findingsHelp')}
        autosize
        minRows={2}
        value={findings}
        onChange={(e) => setFindings(e.currentTarget.value)}
        data-testid="observe-findings"
      />
      <ErrorAlert error={o.error} testId="observe-error" />
      <Group justify="flex-end">
        <Button
          size="xs"
          disabled={!observedOn || findings.trim().length < 2}
          loading={o.isPending}
          onClick={() =>
            o.mutate({
              code: d.sample.code,
              dueOn,
              observedOn: observedOn!,
              outcome: outcome as (typeof observationOutcomes)[number],
              findings: findings.trim(),
              storageObserved: storage.trim() || null,
            })
          }
          data-testid="observe-submit"
        >
          {t('retentionEvidence.recordObservation')}
        </Button>
      </Group>
    </Stack>
  );
}
