import { useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ResultView } from '../../../../shared/contract/channels/testing';
import { microMethod } from '../../../../shared/rules/micro';
import { call } from '../../core/api/client';
import { errorMessage } from '../../core/api/errors';
import { useCall } from '../../core/api/hooks';
import { formatTime } from '../../ui/format';
import { href } from '../../core/router';
import { itemName } from './testing-format';
import type { Entry } from './use-entry';

/** Stage badge of a micro test (not started, incubating, presumptive, final). */
export function MicroStageBadge({ r }: { r: ResultView }) {
  const { t } = useTranslation();
  if (!r.micro) return null;
  const color =
    r.micro.stage === 'presumptive'
      ? 'red'
      : r.micro.stage === 'incubating'
        ? 'blue'
        : r.micro.stage === 'final'
          ? 'green'
          : 'gray';
  return (
    <Badge size="xs" color={color} variant="light" tt="none" data-testid={`micro-stage-${r.itemCode}`}>
      {t(`micro.stage.${r.micro.stage}`)}
    </Badge>
  );
}

/** "expected final 03-08 10:00" or "not started". */
export function MicroExpected({ r }: { r: ResultView }) {
  const { t } = useTranslation();
  if (!r.micro || r.micro.stage === 'final') return null;
  return (
    <Text size="xs" c="dimmed" data-testid={`micro-expected-${r.itemCode}`}>
      {r.micro.expectedFinalAt
        ? t('micro.expected', { at: formatTime(r.micro.expectedFinalAt) })
        : t('micro.notStarted')}
    </Text>
  );
}

/**
 * The micro workflow on a sample's entry page (issue 20 §3): incubation start, the expected
 * completion of each micro test, presumptive positives waiting for confirmation (with the
 * confirmation dialog), and the automatic hold of the lot they raised.
 */
export function MicroPanel({
  rows,
  lotCode,
  canEnter,
  entry,
}: {
  rows: ResultView[];
  lotCode: string | null;
  canEnter: boolean;
  entry: Entry;
}) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const micro = rows.filter((r) => r.micro && r.status !== 'invalidated');
  const holds = useCall(
    'results.microHolds',
    { ...(lotCode ? { lotCode } : {}), status: 'open' },
    { enabled: !!lotCode && micro.length > 0, staleTime: 0 },
  );
  const [confirming, setConfirming] = useState<{ r: ResultView; unit: number } | null>(null);
  const [busy, setBusy] = useState(false);
  if (micro.length === 0) return null;
  const notStarted = micro.filter((r) => r.micro?.stage === 'not_started');
  const presumptive = micro.filter((r) => (r.micro?.presumptiveUnits.length ?? 0) > 0);
  const openHolds = holds.data ?? [];

  const start = async () => {
    setBusy(true);
    try {
      const out = await call('results.microStart', { ids: notStarted.map((r) => r.id) });
      entry.merge(out.updated);
      notifications.show({ color: 'blue', message: t('micro.started', { count: out.updated.length }) });
    } catch (e) {
      notifications.show({ color: 'red', message: errorMessage(t, e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="sm" data-testid="micro-panel">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={5}>{t('micro.title')}</Title>
          {canEnter && notStarted.length > 0 ? (
            <Button size="xs" variant="light" loading={busy} onClick={() => void start()} data-testid="micro-start">
              {t('micro.start', { count: notStarted.length })}
            </Button>
          ) : null}
        </Group>
        {openHolds.length > 0 ? (
          <Alert color="red" variant="filled" title={t('micro.heldTitle', { lot: lotCode })} data-testid="micro-held">
            {t('micro.heldText')}{' '}
            <Anchor href={href('/oos/micro', { lot: lotCode ?? '' })} c="white" fw={700} underline="always">
              {t('micro.openHolds')}
            </Anchor>
          </Alert>
        ) : null}
        <Table fz="sm" withTableBorder verticalSpacing={4} data-testid="micro-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('micro.col.item')}</Table.Th>
              <Table.Th>{t('micro.col.method')}</Table.Th>
              <Table.Th>{t('micro.col.stage')}</Table.Th>
              <Table.Th>{t('micro.col.started')}</Table.Th>
              <Table.Th>{t('micro.col.expected')}</Table.Th>
              <Table.Th>{t('micro.col.presumptive')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {micro.map((r) => {
              const m = microMethod(r.micro?.method);
              return (
                <Table.Tr key={r.id} data-testid={`micro-row-${r.itemCode}`}>
                  <Table.Td>{itemName(r, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Text size="xs">{r.micro?.method}</Text>
                    {m ? (
                      <Text size="xs" c="dimmed">
                        {i18n.language.startsWith('zh') ? m.nameZh : m.nameEn}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <MicroStageBadge r={r} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{formatTime(r.micro?.startedAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" fw={r.micro?.stage === 'presumptive' ? 700 : undefined}>
                      {r.micro?.stage === 'final' ? '—' : formatTime(r.micro?.expectedFinalAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {(r.micro?.presumptiveUnits ?? []).map((u) =>
                        canEnter ? (
                          <Button
                            key={u}
                            size="compact-xs"
                            color="red"
                            variant="light"
                            onClick={() => setConfirming({ r, unit: u })}
                            data-testid={`micro-confirm-${r.itemCode}-${u}`}
                          >
                            {t('micro.confirmUnit', { unit: u })}
                          </Button>
                        ) : (
                          <Badge key={u} color="red" variant="light" tt="none">
                            {t('micro.unit', { unit: u })}
                          </Badge>
                        ),
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        {presumptive.length > 0 ? (
          <Text size="xs" c="red.8">
            {t('micro.presumptiveHelp')}
          </Text>
        ) : null}
      </Stack>
      <ConfirmDialog
        target={confirming}
        onClose={() => setConfirming(null)}
        onDone={(changed) => {
          entry.merge(changed);
          void qc.invalidateQueries({ queryKey: ['results.microHolds'] });
          setConfirming(null);
        }}
      />
    </Paper>
  );
}

function ConfirmDialog({
  target,
  onClose,
  onDone,
}: {
  target: { r: ResultView; unit: number } | null;
  onClose: () => void;
  onDone: (changed: ResultView[]) => void;
}) {
  const { t, i18n } = useTranslation();
  const [outcome, setOutcome] = useState<'confirmed' | 'not_confirmed'>('not_confirmed');
  const [evidence, setEvidence] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const m = microMethod(target?.r.micro?.method);
  const save = async () => {
    if (!target) return;
    if (evidence.trim().length < 3) {
      setError(t('micro.evidenceRequired'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const out = await call('results.microConfirm', {
        id: target.r.id,
        unit: target.unit,
        outcome,
        evidence: evidence.trim(),
      });
      setEvidence('');
      onDone(out.changed);
    } catch (e) {
      setError(errorMessage(t, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      opened={target !== null}
      onClose={onClose}
      title={target ? t('micro.confirmTitle', { item: itemName(target.r, i18n.language), unit: target.unit }) : ''}
      data-testid="micro-confirm-dialog"
    >
      <Stack>
        {m?.confirmation ? (
          <Text size="sm" c="dimmed">
            {t('micro.confirmMethod', {
              step: i18n.language.startsWith('zh') ? m.confirmation.zh : m.confirmation.en,
              hours: m.confirmation.hours,
            })}
          </Text>
        ) : null}
        <SegmentedControl
          value={outcome}
          onChange={(v) => setOutcome(v as 'confirmed' | 'not_confirmed')}
          data={[
            { value: 'not_confirmed', label: t('micro.outcome.not_confirmed') },
            { value: 'confirmed', label: t('micro.outcome.confirmed') },
          ]}
          data-testid="micro-confirm-outcome"
        />
        <Textarea
          label={t('micro.evidence')}
          description={t('micro.evidenceHelp')}
          withAsterisk
          autosize
          minRows={2}
          value={evidence}
          onChange={(e) => setEvidence(e.currentTarget.value)}
          data-testid="micro-confirm-evidence"
        />
        {error ? (
          <Text size="sm" c="red.8" role="alert">
            {error}
          </Text>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color={outcome === 'confirmed' ? 'red' : 'green'}
            loading={busy}
            onClick={() => void save()}
            data-testid="micro-confirm-save"
          >
            {t(`micro.save.${outcome}`)}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
