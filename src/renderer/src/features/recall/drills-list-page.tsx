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
import { useRoute } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { LotLink } from '../../ui/lot';
import { num } from '../../ui/format';
import {
  directionLabel,
  drillHref,
  DrillStatusBadge,
  formatClock,
  ModeBadge,
  pctTone,
  programmeHref,
  type DrillMode,
} from './drills-format';
import { StartDrillDialog, type StartDefaults } from './start-drill-dialog';
import { Person } from '../../ui/person';

type ModeFilter = 'all' | DrillMode;
type StatusFilter = 'all' | 'open' | 'completed';

/** `#/drills`: every drill and recall, recalls in red; start a drill or a recall. */
export function DrillsListPage() {
  const { t } = useTranslation();
  const session = useSession();
  const canStart = hasPermission(session, 'lots.decide') && !session.readOnly;
  const [mode, setMode] = useState<ModeFilter>('all');
  const [status, setStatus] = useState<StatusFilter>('all');
  const route = useRoute();
  // `#/drills?start=drill&lot=<code>` (from the trace page) opens the dialog with the lot filled in.
  const [start, setStart] = useState<StartDefaults | null>(() => {
    const m = route.params.get('start');
    if (!canStart || (m !== 'drill' && m !== 'recall')) return null;
    return { mode: m, lotCode: route.params.get('lot') ?? '' };
  });
  const list = useCall(
    'drills.list',
    { ...(mode !== 'all' ? { mode } : {}), ...(status !== 'all' ? { status } : {}), offset: 0, limit: 200 },
    { staleTime: 0 },
  );
  const drills = list.data?.drills ?? [];
  const openRecalls = drills.filter((d) => d.mode === 'recall' && d.status === 'open');
  return (
    <Stack data-testid="drills-page">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t('drills.list.title')}</Title>
          <Text c="dimmed" size="sm" maw={860}>
            {t('drills.list.intro')}
          </Text>
        </div>
        <Group gap="xs">
          <Button component="a" href={programmeHref()} variant="light" data-testid="drills-programme-link">
            {t('drills.programme.title')}
          </Button>
          {canStart ? (
            <>
              <Button color="indigo" onClick={() => setStart({ mode: 'drill' })} data-testid="drills-start">
                {t('drills.list.startDrill')}
              </Button>
              <Button
                color="red"
                variant="outline"
                onClick={() => setStart({ mode: 'recall' })}
                data-testid="drills-start-recall"
              >
                {t('drills.list.startRecall')}
              </Button>
            </>
          ) : null}
        </Group>
      </Group>
      {openRecalls.length > 0 ? (
        <Alert color="red" variant="filled" data-testid="drills-open-recalls">
          {t('drills.list.openRecalls', {
            count: openRecalls.length,
            codes: openRecalls.map((d) => d.code).join(', '),
          })}
        </Alert>
      ) : null}
      <Group gap="sm">
        <SegmentedControl
          value={mode}
          onChange={(v) => setMode(v as ModeFilter)}
          data={[
            { value: 'all', label: t('drills.list.filterAll') },
            { value: 'drill', label: t('drills.list.filterDrills') },
            { value: 'recall', label: t('drills.list.filterRecalls') },
          ]}
          data-testid="drills-filter-mode"
        />
        <SegmentedControl
          value={status}
          onChange={(v) => setStatus(v as StatusFilter)}
          data={[
            { value: 'all', label: t('drills.list.statusAll') },
            { value: 'open', label: t('drills.status.open') },
            { value: 'completed', label: t('drills.status.completed') },
          ]}
          data-testid="drills-filter-status"
        />
      </Group>
      <ErrorAlert error={list.error} />
      {list.isLoading ? <Loader /> : null}
      {list.data && drills.length === 0 ? (
        <Text c="dimmed" data-testid="drills-none">
          {t('drills.list.none')}
        </Text>
      ) : null}
      {drills.length > 0 ? (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={1000}>
            <Table fz="sm" verticalSpacing={6} highlightOnHover data-testid="drills-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('drills.fields.code')}</Table.Th>
                  <Table.Th>{t('drills.fields.type')}</Table.Th>
                  <Table.Th>{t('drills.fields.rootLot')}</Table.Th>
                  <Table.Th>{t('drills.fields.direction')}</Table.Th>
                  <Table.Th>{t('drills.fields.started')}</Table.Th>
                  <Table.Th>{t('drills.fields.status')}</Table.Th>
                  <Table.Th style={num}>{t('drills.fields.elapsed')}</Table.Th>
                  <Table.Th style={num}>{t('drills.fields.accounted')}</Table.Th>
                  <Table.Th style={num}>{t('drills.fields.findings')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {drills.map((d) => {
                  const recall = d.mode === 'recall';
                  const tone = pctTone(d.accountedPct, d.toleranceMin, d.toleranceMax);
                  return (
                    <Table.Tr
                      key={d.id}
                      bg={recall ? 'red.0' : undefined}
                      style={recall ? { boxShadow: 'inset 4px 0 0 var(--mantine-color-red-6)' } : undefined}
                      data-testid={`drill-row-${d.code}`}
                      data-mode={d.mode}
                    >
                      <Table.Td>
                        <Anchor
                          href={drillHref(d.code)}
                          ff="monospace"
                          fw={700}
                          size="sm"
                          c={recall ? 'red.8' : undefined}
                        >
                          {d.code}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <ModeBadge mode={d.mode} />
                      </Table.Td>
                      <Table.Td>
                        <LotLink code={d.rootLot} />
                      </Table.Td>
                      <Table.Td>{directionLabel(t, d.direction)}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{formatTime(d.startedAt)}</Text>
                        <Text size="xs" c="dimmed">
                          <Person id={d.startedBy} />
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <DrillStatusBadge status={d.status} />
                      </Table.Td>
                      <Table.Td style={num} ff="monospace" c={d.withinTarget ? undefined : 'red.8'}>
                        {formatClock(d.elapsedMs)}
                      </Table.Td>
                      <Table.Td
                        style={num}
                        ff="monospace"
                        c={tone === 'green' ? 'green.8' : tone === 'red' ? 'red.8' : undefined}
                      >
                        {d.accountedPct === null ? '—' : `${d.accountedPct} %`}
                      </Table.Td>
                      <Table.Td style={num}>{d.findings}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      ) : null}
      <StartDrillDialog opened={start !== null} onClose={() => setStart(null)} defaults={start ?? undefined} />
    </Stack>
  );
}
