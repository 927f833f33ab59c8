import { useState } from 'react';
import { unitWord } from '../../../../shared/i18n/words';
import { ItemName } from '../../ui/item-name';
import { Alert, Anchor, Badge, Button, Group, NumberInput, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SampleView } from '../../../../shared/contract/channels/samples';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { LotLink } from '../../ui/lot';
import { SampleLink, daysUntil } from '../../ui/sample';
import { DisposeDialog } from './sample-page';
import { SamplesTabs } from './samples-tabs';
import { ObservationsDue, RetentionDrawer } from './retention-evidence';
import { useRoute } from '../../core/router';

/** Where a missing retention sample is registered: the reception desk, prefilled. */
export function registerRetentionHref(lot: string): string {
  return href('/samples', { kind: 'finished_release', lot });
}

/** The retention store (留样室): what expires soon, what to dispose of, which lots have none. */
export function RetentionPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [days, setDays] = useState<number>(30);
  const list = useCall('samples.retention.list', { withinDays: days, limit: 500 }, { staleTime: 0 });
  const all = useCall('samples.list', { kind: 'retention', limit: 500 }, { staleTime: 0 });
  const missing = useCall('samples.retention.missing', { limit: 500 }, { staleTime: 0 });
  const [disposing, setDisposing] = useState<SampleView | null>(null);
  const route = useRoute();
  const [evidence, setEvidence] = useState<string | null>(route.params.get('sample'));
  const canDispose = hasPermission(session, 'samples.dispose') && !session.readOnly;
  const kept = (all.data?.samples ?? []).filter((s) => s.status !== 'cancelled' && !s.disposedAt);

  return (
    <Stack data-testid="retention-page">
      <SamplesTabs active="retention" />
      <div>
        <Title order={2}>{t('samples.retention.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('samples.retention.intro')}
        </Text>
      </div>

      <Paper withBorder p="sm" data-testid="retention-missing" style={(missing.data?.total ?? 0) > 0 ? { borderColor: 'var(--mantine-color-red-6)', borderWidth: 2 } : undefined}>
        <Title order={4} c={(missing.data?.total ?? 0) > 0 ? 'red.7' : undefined}>
          {t('samples.retention.missingTitle')}
        </Title>
        <ErrorAlert error={missing.error} />
        {missing.data && missing.data.total === 0 ? (
          <Text size="sm" c="green.8" data-testid="retention-missing-none">
            {t('samples.retention.missingNone')}
          </Text>
        ) : null}
        {missing.data && missing.data.total > 0 ? (
          <Stack gap={4} mt="xs">
            <Text size="sm" c="red.7" fw={600}>
              {t('samples.retention.missingSome', { count: missing.data.total })}
            </Text>
            <Table fz="sm" withTableBorder>
              <Table.Tbody>
                {missing.data.lots.map((l) => (
                  <Table.Tr key={l.code} data-testid={`retention-missing-${l.code}`} style={{ background: 'var(--mantine-color-red-0)' }}>
                    <Table.Td>
                      <LotLink code={l.code} />
                    </Table.Td>
                    <Table.Td>
                      {l.itemCode} · <ItemName code={l.itemCode} recorded={l.itemName} />
                    </Table.Td>
                    <Table.Td>{l.date}</Table.Td>
                    <Table.Td>
                      {t('samples.retention.expiry')}: {l.expiryDate ?? '—'}
                    </Table.Td>
                    <Table.Td>
                      <Anchor href={registerRetentionHref(l.code)} size="sm" c="red.7" fw={600} data-testid={`retention-register-${l.code}`}>
                        {t('samples.retention.registerOne')}
                      </Anchor>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        ) : null}
      </Paper>

      <ObservationsDue onOpen={setEvidence} />

      <Paper withBorder p="sm" data-testid="retention-expiring">
        <Group justify="space-between" align="flex-end">
          <Title order={4}>{t('samples.retention.expiringTitle')}</Title>
          <NumberInput
            label={t('samples.retention.withinDays')}
            w={160}
            min={0}
            max={3660}
            value={days}
            onChange={(v) => setDays(typeof v === 'number' ? v : Number(v) || 0)}
            data-testid="retention-days"
          />
        </Group>
        <ErrorAlert error={list.error} />
        {list.data && list.data.total === 0 ? (
          <Text size="sm" c="dimmed" mt="xs" data-testid="retention-expiring-none">
            {t('samples.retention.expiringNone', { days })}
          </Text>
        ) : null}
        {list.data && list.data.total > 0 ? (
          <RetentionTable samples={list.data.samples} onDispose={canDispose ? setDisposing : null} testId="retention-expiring-table" />
        ) : null}
        {!canDispose ? (
          <Text size="xs" c="dimmed" mt="xs">
            {t('samples.retention.disposeWho')}
          </Text>
        ) : null}
      </Paper>

      <Paper withBorder p="sm" data-testid="retention-store">
        <Title order={4}>{t('samples.retention.storeTitle', { count: kept.length })}</Title>
        <Text size="xs" c="dimmed" mb="xs">
          {t('samples.retention.storeHelp')}
        </Text>
        <ErrorAlert error={all.error} />
        {all.data && kept.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('samples.retention.storeEmpty')}
          </Text>
        ) : null}
        {kept.length > 0 ? <RetentionTable samples={kept} onDispose={null} onEvidence={setEvidence} testId="retention-store-table" /> : null}
      </Paper>
      {disposing ? <DisposeDialog sample={disposing} opened onClose={() => setDisposing(null)} /> : null}
      <RetentionDrawer code={evidence} onClose={() => setEvidence(null)} />
    </Stack>
  );
}

function RetentionTable({
  samples,
  onDispose,
  onEvidence,
  testId,
}: {
  samples: SampleView[];
  onDispose: ((s: SampleView) => void) | null;
  /** Opens the sample's quantity, withdrawals and observations (issue 20 §5). */
  onEvidence?: (code: string) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Table fz="sm" withTableBorder striped mt="xs" data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('samples.fields.code')}</Table.Th>
          <Table.Th>{t('samples.fields.lot')}</Table.Th>
          <Table.Th>{t('samples.fields.quantity')}</Table.Th>
          <Table.Th>{t('samples.fields.storage')}</Table.Th>
          <Table.Th>{t('samples.fields.keepUntil')}</Table.Th>
          {onDispose || onEvidence ? <Table.Th /> : null}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {samples.map((s) => {
          const left = s.keepUntil ? daysUntil(s.keepUntil) : null;
          return (
            <Table.Tr key={s.id} data-testid={`retention-row-${s.code}`}>
              <Table.Td>
                <SampleLink code={s.code} />
              </Table.Td>
              <Table.Td>{s.lotCode ? <LotLink code={s.lotCode} /> : '—'}</Table.Td>
              <Table.Td>
                {s.quantity} {unitWord(t, s.unit)} · {s.container}
              </Table.Td>
              <Table.Td>{s.storageLocation ?? '—'}</Table.Td>
              <Table.Td>
                <Group gap={6}>
                  <Text size="sm">{s.keepUntil ?? '—'}</Text>
                  {left !== null ? (
                    <Badge color={left < 0 ? 'red' : left <= 30 ? 'orange' : 'gray'} variant="light" tt="none">
                      {left < 0 ? t('samples.retention.overdue', { count: -left }) : t('samples.retention.daysLeft', { count: left })}
                    </Badge>
                  ) : null}
                </Group>
              </Table.Td>
              {onDispose ? (
                <Table.Td>
                  <Button size="xs" color="grape" variant="light" onClick={() => onDispose(s)} data-testid={`retention-dispose-${s.code}`}>
                    {t('samples.actions.dispose')}
                  </Button>
                </Table.Td>
              ) : onEvidence ? (
                <Table.Td>
                  <Button size="xs" variant="light" onClick={() => onEvidence(s.code)} data-testid={`retention-evidence-${s.code}`}>
                    {t('retentionEvidence.open')}
                  </Button>
                </Table.Td>
              ) : null}
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

/** On a finished lot's page: flagged in red when the lot has no retention sample. */
export function LotRetentionFlag({ code, kind }: { code: string; kind: string }) {
  const { t } = useTranslation();
  const missing = useCall('samples.retention.missing', { lotCode: code }, { enabled: kind === 'finished', staleTime: 0 });
  if (kind !== 'finished' || !missing.data || missing.data.total === 0) return null;
  return (
    <Alert color="red" variant="filled" title={t('samples.retention.lotFlagTitle')} data-testid="lot-no-retention">
      <Group justify="space-between">
        <Text size="sm">{t('samples.retention.lotFlag', { code })}</Text>
        <Button component="a" href={registerRetentionHref(code)} size="xs" color="white" variant="white" c="red.8" data-testid="lot-register-retention">
          {t('samples.retention.registerOne')}
        </Button>
      </Group>
    </Alert>
  );
}
