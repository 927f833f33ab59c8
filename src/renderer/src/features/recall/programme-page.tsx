import '@mantine/charts/styles.css';
import { useState } from 'react';
import { BarChart, CompositeChart } from '@mantine/charts';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { DateInput, YearPickerInput } from '@mantine/dates';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call } from '../../core/api/client';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { href, navigate, useRoute } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { num } from '../../ui/format';
import {
  directionLabel,
  drillHref,
  DrillStatusBadge,
  groupLabel,
  productGroups,
  todayIso,
  type DrillDirection,
  type DrillMode,
  type ProductGroup,
} from './drills-format';
import { StartDrillDialog, type StartDefaults } from './start-drill-dialog';

interface PlanForm {
  productGroup: ProductGroup | null;
  direction: DrillDirection;
  dueOn: string | null;
  /** Editing an entry: group and direction name it and stay fixed. */
  existing: boolean;
}

/**
 * `#/drills/programme?year=…`: the yearly plan of drills across product groups and both
 * directions (BRCGS Issue 9 §3.9.3: at least yearly), what is not covered, and the KPIs of
 * completed drills over the years.
 */
export function ProgrammePage() {
  const { t } = useTranslation();
  const route = useRoute();
  const session = useSession();
  const canPlan = hasPermission(session, 'lots.decide') && !session.readOnly;
  const thisYear = new Date().getFullYear();
  const year = Number(route.params.get('year')) || thisYear;
  const plan = useCall('drills.plan', { year }, { staleTime: 0 });
  const drills = useCall('drills.list', { offset: 0, limit: 500 }, { staleTime: 0 });
  const statusOf = new Map((drills.data?.drills ?? []).map((d) => [d.code, d.status]));
  const [form, setForm] = useState<PlanForm | null>(null);
  const [start, setStart] = useState<StartDefaults | null>(null);
  const entries = plan.data?.entries ?? [];
  const overdue = entries.filter((e) => e.overdue).length;

  return (
    <Stack data-testid="programme-page" data-year={year}>
      <Anchor href={href('/drills')} size="sm">
        {t('drills.view.back')}
      </Anchor>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('drills.programme.title')}</Title>
          <Text c="dimmed" size="sm" maw={860}>
            {t('drills.programme.intro')}
          </Text>
        </div>
        <Group gap="sm" align="flex-end">
          <YearPickerInput
            label={t('drills.programme.year')}
            value={`${year}-01-01`}
            onChange={(v) => v && navigate('/drills/programme', { year: Number(String(v).slice(0, 4)) })}
            w={120}
            data-testid="programme-year"
          />
          {canPlan ? (
            <Button
              onClick={() => setForm({ productGroup: null, direction: 'both', dueOn: null, existing: false })}
              data-testid="programme-add"
            >
              {t('drills.programme.add')}
            </Button>
          ) : null}
        </Group>
      </Group>
      <ErrorAlert error={plan.error ?? drills.error} />
      {plan.isLoading ? <Loader /> : null}
      {plan.data ? (
        <>
          {plan.data.uncovered.length > 0 ? (
            <Alert
              color="orange"
              variant="light"
              title={t('drills.programme.uncoveredTitle', { count: plan.data.uncovered.length })}
              data-testid="programme-uncovered"
            >
              <Text size="sm" mb="xs">
                {t('drills.programme.uncoveredHelp')}
              </Text>
              <Group gap="xs">
                {plan.data.uncovered.map((u) => (
                  <Badge
                    key={`${u.productGroup}-${u.direction}`}
                    color="orange"
                    variant="filled"
                    tt="none"
                    size="lg"
                    style={canPlan ? { cursor: 'pointer' } : undefined}
                    onClick={
                      canPlan
                        ? () =>
                            setForm({
                              productGroup: u.productGroup,
                              direction: u.direction,
                              dueOn: null,
                              existing: false,
                            })
                        : undefined
                    }
                    data-testid={`uncovered-${u.productGroup}-${u.direction}`}
                  >
                    {groupLabel(t, u.productGroup)} · {directionLabel(t, u.direction)}
                  </Badge>
                ))}
              </Group>
            </Alert>
          ) : (
            <Alert color="green" variant="light" data-testid="programme-covered">
              {t('drills.programme.covered', { year })}
            </Alert>
          )}
          <Paper withBorder>
            <Group justify="space-between" p="sm" pb={0}>
              <Title order={4}>{t('drills.programme.planTitle', { year })}</Title>
              {overdue > 0 ? (
                <Badge color="red" variant="filled" tt="none" data-testid="programme-overdue-count">
                  {t('drills.programme.overdueCount', { count: overdue })}
                </Badge>
              ) : null}
            </Group>
            {entries.length === 0 ? (
              <Text p="sm" c="dimmed" data-testid="programme-empty">
                {t('drills.programme.empty')}
              </Text>
            ) : (
              <Table fz="sm" verticalSpacing={6} data-testid="programme-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('drills.fields.productGroup')}</Table.Th>
                    <Table.Th>{t('drills.fields.direction')}</Table.Th>
                    <Table.Th>{t('drills.programme.dueOn')}</Table.Th>
                    <Table.Th>{t('drills.programme.state')}</Table.Th>
                    <Table.Th>{t('drills.programme.drill')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {entries.map((e) => {
                    const st = e.drillCode ? statusOf.get(e.drillCode) : undefined;
                    return (
                      <Table.Tr
                        key={e.id}
                        bg={e.overdue ? 'red.0' : undefined}
                        data-testid={`plan-row-${e.productGroup}-${e.direction}`}
                        data-overdue={String(e.overdue)}
                      >
                        <Table.Td fw={600}>{groupLabel(t, e.productGroup)}</Table.Td>
                        <Table.Td>{directionLabel(t, e.direction)}</Table.Td>
                        <Table.Td ff="monospace" c={e.overdue ? 'red.8' : undefined} fw={e.overdue ? 700 : undefined}>
                          {e.dueOn}
                        </Table.Td>
                        <Table.Td>
                          {e.overdue ? (
                            <Badge color="red" variant="filled" tt="none">
                              {t('drills.programme.overdue')}
                            </Badge>
                          ) : st === 'completed' ? (
                            <Badge color="green" variant="light" tt="none">
                              {t('drills.programme.done')}
                            </Badge>
                          ) : st === 'open' ? (
                            <Badge color="yellow" variant="filled" autoContrast tt="none">
                              {t('drills.programme.inProgress')}
                            </Badge>
                          ) : (
                            <Badge color="gray" variant="light" tt="none">
                              {t('drills.programme.planned')}
                            </Badge>
                          )}
                        </Table.Td>
                        <Table.Td>
                          {e.drillCode ? (
                            <Group gap={6}>
                              <Anchor href={drillHref(e.drillCode)} ff="monospace" fw={700} size="sm">
                                {e.drillCode}
                              </Anchor>
                              {st ? <DrillStatusBadge status={st} /> : null}
                            </Group>
                          ) : (
                            '—'
                          )}
                        </Table.Td>
                        <Table.Td>
                          {canPlan ? (
                            <Group gap={6} justify="flex-end" wrap="nowrap">
                              <Button
                                size="compact-xs"
                                variant="subtle"
                                onClick={() =>
                                  setForm({
                                    productGroup: e.productGroup,
                                    direction: e.direction,
                                    dueOn: e.dueOn,
                                    existing: true,
                                  })
                                }
                                data-testid="plan-edit"
                              >
                                {t('drills.programme.edit')}
                              </Button>
                              {!e.drillCode ? (
                                <Button
                                  size="compact-xs"
                                  color="indigo"
                                  onClick={() =>
                                    setStart({
                                      mode: 'drill',
                                      productGroup: e.productGroup,
                                      direction: e.direction,
                                      planId: e.id,
                                      from: `${year}-01-01`,
                                      to: year === thisYear ? todayIso() : `${year}-12-31`,
                                    })
                                  }
                                  data-testid="plan-start"
                                >
                                  {t('drills.programme.start')}
                                </Button>
                              ) : null}
                            </Group>
                          ) : null}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            )}
          </Paper>
        </>
      ) : null}
      <Kpis />
      <PlanDialog year={year} form={form} onClose={() => setForm(null)} />
      <StartDrillDialog opened={start !== null} onClose={() => setStart(null)} defaults={start ?? undefined} />
    </Stack>
  );
}

function PlanDialog({ year, form, onClose }: { year: number; form: PlanForm | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={form !== null}
      onClose={onClose}
      title={form?.existing ? t('drills.programme.editTitle') : t('drills.programme.addTitle', { year })}
      centered
    >
      {form ? <PlanFormBody year={year} initial={form} onClose={onClose} /> : null}
    </Modal>
  );
}

function PlanFormBody({ year, initial, onClose }: { year: number; initial: PlanForm; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [group, setGroup] = useState<ProductGroup | null>(initial.productGroup);
  const [direction, setDirection] = useState<DrillDirection>(initial.direction);
  const [dueOn, setDueOn] = useState<string | null>(initial.dueOn);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const inYear = !!dueOn && dueOn.startsWith(`${year}-`);
  const valid = !!group && inYear && (!initial.existing || reason.trim().length >= 3);
  const save = async () => {
    if (!valid) return;
    setBusy(true);
    setError(null);
    try {
      await call('drills.plan.save', {
        year,
        productGroup: group!,
        direction,
        dueOn: dueOn!.slice(0, 10),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      void qc.invalidateQueries({ queryKey: ['drills.plan'] });
      onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack data-testid="plan-form">
      <Select
        label={t('drills.fields.productGroup')}
        data={productGroups.map((g) => ({ value: g, label: groupLabel(t, g) }))}
        value={group}
        onChange={(v) => setGroup(v as ProductGroup | null)}
        disabled={initial.existing}
        required
        data-testid="plan-group"
      />
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('drills.fields.direction')}
        </Text>
        <SegmentedControl
          value={direction}
          onChange={(v) => setDirection(v as DrillDirection)}
          disabled={initial.existing}
          data={(['backward', 'forward', 'both'] as const).map((d) => ({ value: d, label: directionLabel(t, d) }))}
          data-testid="plan-direction"
        />
      </Stack>
      <DateInput
        label={t('drills.programme.dueOn')}
        valueFormat="YYYY-MM-DD"
        value={dueOn}
        onChange={setDueOn}
        minDate={`${year}-01-01`}
        maxDate={`${year}-12-31`}
        defaultDate={`${year}-01-01`}
        error={dueOn && !inYear ? t('drills.programme.dueInYear', { year }) : null}
        required
        data-testid="plan-due"
      />
      {initial.existing ? (
        <TextInput
          label={t('common.reason')}
          description={t('common.reasonHelp')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          required
          data-testid="plan-reason"
        />
      ) : null}
      <ErrorAlert error={error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button onClick={() => void save()} loading={busy} disabled={!valid} data-testid="plan-save">
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  );
}

/** KPIs of completed drills (or recalls): time to complete, accounted %, findings; per drill and per year. */
function Kpis() {
  const { t } = useTranslation();
  const [mode, setMode] = useState<DrillMode>('drill');
  const k = useCall('drills.kpis', { mode }, { staleTime: 0 });
  const drills = k.data?.drills ?? [];
  const years = k.data?.years ?? [];
  // Mean accounted % per year, from the drills themselves (the year rows carry time and findings).
  const pctByYear = new Map<number, number[]>();
  for (const d of drills) {
    if (d.accountedPct === null) continue;
    const y = Number(d.completedAt.slice(0, 4));
    pctByYear.set(y, [...(pctByYear.get(y) ?? []), Number(d.accountedPct)]);
  }
  const chart = years.map((y) => {
    const p = pctByYear.get(y.year) ?? [];
    return {
      year: String(y.year),
      minutes: y.medianMinutes ?? 0,
      pct: p.length ? Math.round((p.reduce((a, b) => a + b, 0) / p.length) * 10) / 10 : null,
      findings: y.findings,
      drills: y.drills,
    };
  });
  // Whole hours on the axis, with room above the 4 h target line for its label.
  const topMinutes = Math.max(300, Math.ceil(Math.max(0, ...chart.map((c) => c.minutes)) / 60) * 60);
  const minuteTicks = Array.from({ length: topMinutes / 60 + 1 }, (_, i) => i * 60);
  return (
    <Paper withBorder p="md" data-testid="programme-kpis">
      <Group justify="space-between" mb="sm">
        <div>
          <Title order={4}>{t('drills.kpis.title')}</Title>
          <Text size="xs" c="dimmed">
            {t('drills.kpis.intro')}
          </Text>
        </div>
        <SegmentedControl
          size="xs"
          value={mode}
          onChange={(v) => setMode(v as DrillMode)}
          data={[
            { value: 'drill', label: t('drills.list.filterDrills') },
            { value: 'recall', label: t('drills.list.filterRecalls') },
          ]}
          data-testid="kpis-mode"
        />
      </Group>
      <ErrorAlert error={k.error} />
      {k.data && drills.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="kpis-none">
          {t('drills.kpis.none')}
        </Text>
      ) : null}
      {drills.length > 0 ? (
        <Stack>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                {t('drills.kpis.chartMinutes')}
              </Text>
              <BarChart
                h={220}
                data={chart}
                dataKey="year"
                series={[{ name: 'minutes', label: t('drills.kpis.medianMinutes'), color: 'indigo.6' }]}
                referenceLines={[
                  { y: 240, label: t('drills.kpis.target4h'), labelPosition: 'insideTopRight', color: 'red.6' },
                ]}
                yAxisProps={{ domain: [0, topMinutes], ticks: minuteTicks }}
                maxBarWidth={60}
                withBarValueLabel
                data-testid="kpis-chart-minutes"
              />
            </Stack>
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                {t('drills.kpis.chartQuality')}
              </Text>
              <CompositeChart
                h={220}
                data={chart}
                dataKey="year"
                withLegend
                legendProps={{ verticalAlign: 'top', height: 30 }}
                withRightYAxis
                rightYAxisProps={{ domain: [0, 110] }}
                yAxisProps={{ allowDecimals: false }}
                maxBarWidth={40}
                series={[
                  { name: 'findings', label: t('drills.kpis.findings'), color: 'orange.6', type: 'bar' },
                  { name: 'pct', label: t('drills.kpis.meanPct'), color: 'teal.7', type: 'line', yAxisId: 'right' },
                ]}
                data-testid="kpis-chart-quality"
              />
            </Stack>
          </SimpleGrid>
          <Table fz="sm" verticalSpacing={4} striped withTableBorder data-testid="kpis-years">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('drills.kpis.year')}</Table.Th>
                <Table.Th style={num}>{t('drills.kpis.drills')}</Table.Th>
                <Table.Th style={num}>{t('drills.kpis.medianMinutes')}</Table.Th>
                <Table.Th style={num}>{t('drills.kpis.withinTarget')}</Table.Th>
                <Table.Th style={num}>{t('drills.kpis.meanPct')}</Table.Th>
                <Table.Th style={num}>{t('drills.kpis.findings')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {years.map((y, i) => (
                <Table.Tr key={y.year}>
                  <Table.Td fw={700}>{y.year}</Table.Td>
                  <Table.Td style={num}>{y.drills}</Table.Td>
                  <Table.Td style={num}>{y.medianMinutes ?? '—'}</Table.Td>
                  <Table.Td style={num}>
                    {y.withinTarget} / {y.drills}
                  </Table.Td>
                  <Table.Td style={num}>
                    {chart[i]?.pct === null || chart[i]?.pct === undefined ? '—' : `${chart[i]!.pct} %`}
                  </Table.Td>
                  <Table.Td style={num}>{y.findings}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Table fz="sm" verticalSpacing={4} striped withTableBorder data-testid="kpis-drills">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('drills.fields.code')}</Table.Th>
                <Table.Th>{t('drills.fields.completed')}</Table.Th>
                <Table.Th style={num}>{t('drills.kpis.minutes')}</Table.Th>
                <Table.Th>{t('drills.kpis.target')}</Table.Th>
                <Table.Th style={num}>{t('drills.fields.accounted')}</Table.Th>
                <Table.Th style={num}>{t('drills.fields.findings')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...drills].reverse().map((d) => (
                <Table.Tr key={d.code} data-testid={`kpi-row-${d.code}`}>
                  <Table.Td>
                    <Anchor href={drillHref(d.code)} ff="monospace" fw={700} size="sm">
                      {d.code}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{formatTime(d.completedAt)}</Table.Td>
                  <Table.Td style={num}>{d.minutes}</Table.Td>
                  <Table.Td>
                    <Badge color={d.withinTarget ? 'green' : 'red'} variant="light" tt="none" size="sm">
                      {d.withinTarget ? t('drills.result.withinTarget') : t('drills.result.overTarget')}
                    </Badge>
                  </Table.Td>
                  <Table.Td style={num}>{d.accountedPct === null ? '—' : `${d.accountedPct} %`}</Table.Td>
                  <Table.Td style={num}>{d.findings}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      ) : null}
    </Paper>
  );
}
