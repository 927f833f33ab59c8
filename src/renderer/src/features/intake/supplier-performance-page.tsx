import '@mantine/charts/styles.css';
import { useState } from 'react';
import { BarChart } from '@mantine/charts';
import {
  Alert,
  Anchor,
  Button,
  Drawer,
  Group,
  Loader,
  NumberInput,
  Paper,
  Progress,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../../shared/contract';
import { useCall, useMutationCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { navigate, useRoute } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { num } from '../../ui/format';
import { causeText, IntakeTabs, useCheckNames } from './intake-format';
import { SamplingLevelBadge } from '../../ui/supplier';
import { todayIso } from '../../ui/dates';
import { Person } from '../../ui/person';
import { plantDate } from '../../ui/format';

type Perf = ChannelOutput<'suppliers.performance'>[number];

function monthsBack(n: number): string {
  // Months of the plant's calendar (D-113).
  const [y, m] = plantDate().split('-').map(Number);
  const d = new Date(Date.UTC(y!, m! - 1 - n, 1));
  return d.toISOString().slice(0, 7) + '-01';
}

/** Every month from `from` to `to` (YYYY-MM), so the chart shows months without tankers too. */
function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.slice(0, 7).split('-').map(Number) as [number, number];
  const end = to.slice(0, 7);
  for (let guard = 0; guard < 120; guard++) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    if (key > end) break;
    out.push(key);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/**
 * `#/suppliers`: per supplier over a period — tankers taken in, accepted and rejected, the
 * pass rate, rejects by cause, appeals and their outcomes, failed ingredient inspections,
 * and the current sampling level (history and the passes that restore normal sampling in a
 * drawer: `?history=<code>`). A chart of tankers and rejects per month for the chosen one.
 */
export function SupplierPerformancePage() {
  const { t } = useTranslation();
  const route = useRoute();
  const [from, setFrom] = useState<string | null>(monthsBack(11));
  const [to, setTo] = useState<string | null>(todayIso());
  const [activeOnly, setActiveOnly] = useState(true);
  const selected = route.params.get('supplier');
  const history = route.params.get('history');
  const valid = !!from && !!to && from <= to;
  const perf = useCall('suppliers.performance', { from: from ?? '', to: to ?? '' }, { enabled: valid, staleTime: 0 });
  const checkName = useCheckNames();
  const all = perf.data ?? [];
  const rows = activeOnly
    ? all.filter((p) => p.kind === 'farm' || p.intakes > 0 || p.inspections > 0 || p.appeals > 0)
    : all;
  const chosen = rows.find((p) => p.supplierCode === selected) ?? rows.find((p) => p.intakes > 0) ?? rows[0];
  const go = (params: Record<string, string | undefined>) =>
    navigate('/suppliers', { supplier: selected ?? undefined, history: history ?? undefined, ...params });

  return (
    <Stack data-testid="supplier-performance-page">
      <IntakeTabs active="suppliers" />
      <div>
        <Title order={2}>{t('suppliers.title')}</Title>
        <Text c="dimmed" size="sm" maw={900}>
          {t('suppliers.intro')}
        </Text>
      </div>
      <Paper withBorder p="sm">
        <Group align="flex-end">
          <DateInput
            label={t('suppliers.from')}
            valueFormat="YYYY-MM-DD"
            value={from}
            onChange={setFrom}
            maxDate={to ?? undefined}
            data-testid="perf-from"
            w={160}
          />
          <DateInput
            label={t('suppliers.to')}
            valueFormat="YYYY-MM-DD"
            value={to}
            onChange={setTo}
            minDate={from ?? undefined}
            data-testid="perf-to"
            w={160}
          />
          <Group gap={4}>
            {[
              { k: 'm3', from: monthsBack(2) },
              { k: 'm12', from: monthsBack(11) },
              { k: 'ytd', from: `${plantDate().slice(0, 4)}-01-01` },
            ].map((p) => (
              <Button
                key={p.k}
                size="xs"
                variant="light"
                onClick={() => {
                  setFrom(p.from);
                  setTo(todayIso());
                }}
                data-testid={`perf-preset-${p.k}`}
              >
                {t(`suppliers.presets.${p.k}`)}
              </Button>
            ))}
          </Group>
          <Switch
            ml="auto"
            checked={activeOnly}
            onChange={(e) => setActiveOnly(e.currentTarget.checked)}
            label={t('suppliers.activeOnly')}
            data-testid="perf-active-only"
          />
        </Group>
        {!valid ? (
          <Text size="sm" c="red" mt="xs">
            {t('suppliers.badPeriod')}
          </Text>
        ) : null}
      </Paper>
      <ErrorAlert error={perf.error} />
      {perf.isLoading ? <Loader /> : null}
      {perf.data && rows.length === 0 ? (
        <Alert color="gray" variant="light" data-testid="perf-none">
          {t('suppliers.none')}
        </Alert>
      ) : null}
      {rows.length > 0 ? (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={1100}>
            <Table fz="sm" verticalSpacing={8} highlightOnHover data-testid="perf-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('suppliers.fields.supplier')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('suppliers.fields.intakes')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('suppliers.fields.accepted')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('suppliers.fields.rejected')}</Table.Th>
                  <Table.Th w={150}>{t('suppliers.fields.passRate')}</Table.Th>
                  <Table.Th>{t('suppliers.fields.rejectsByCause')}</Table.Th>
                  <Table.Th>{t('suppliers.fields.appeals')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('suppliers.fields.inspections')}</Table.Th>
                  <Table.Th w={170}>{t('suppliers.fields.level')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((p) => {
                  const isChosen = chosen?.supplierCode === p.supplierCode;
                  const rate = p.passRate === null ? null : Number(p.passRate);
                  return (
                    <Table.Tr
                      key={p.supplierCode}
                      data-testid={`perf-row-${p.supplierCode}`}
                      bg={isChosen ? 'var(--mantine-color-blue-0)' : undefined}
                      style={{ cursor: 'pointer' }}
                      onClick={() => go({ supplier: p.supplierCode })}
                    >
                      <Table.Td>
                        <Text size="sm" fw={700} ff="monospace">
                          {p.supplierCode}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {p.supplierName} · {t(`catalog.supplierKinds.${p.kind}`, { defaultValue: p.kind })}
                        </Text>
                      </Table.Td>
                      <Table.Td style={num}>{p.intakes}</Table.Td>
                      <Table.Td style={num}>{p.accepted}</Table.Td>
                      <Table.Td
                        style={num}
                        c={p.rejected > 0 ? 'red.7' : undefined}
                        fw={p.rejected > 0 ? 700 : undefined}
                      >
                        {p.rejected}
                      </Table.Td>
                      <Table.Td data-testid={`perf-rate-${p.supplierCode}`}>
                        {rate === null ? (
                          <Text size="xs" c="dimmed">
                            {t('suppliers.noDecisions')}
                          </Text>
                        ) : (
                          <Stack gap={2}>
                            <Text size="sm" fw={600} style={num} ta="left">
                              {p.passRate} %
                            </Text>
                            <Progress
                              value={rate}
                              color={rate >= 98 ? 'green' : rate >= 90 ? 'yellow' : 'red'}
                              size="sm"
                            />
                          </Stack>
                        )}
                      </Table.Td>
                      <Table.Td maw={280}>
                        <Stack gap={2}>
                          {p.rejectsByCause.length === 0 ? (
                            <Text size="xs" c="dimmed">
                              —
                            </Text>
                          ) : (
                            p.rejectsByCause.map((c) => (
                              <Text key={c.cause} size="xs" c="red.8" fw={600} lh={1.35}>
                                {causeText(t, c.cause, checkName)} × {c.count}
                              </Text>
                            ))
                          )}
                        </Stack>
                      </Table.Td>
                      <Table.Td>
                        {p.appeals === 0 ? (
                          <Text size="xs" c="dimmed">
                            —
                          </Text>
                        ) : (
                          <Stack gap={0}>
                            <Text size="sm" style={num} ta="left">
                              {p.appeals}
                            </Text>
                            <Text size="xs" c="dimmed">
                              {p.appealsByOutcome
                                .map(
                                  (o) =>
                                    `${t(`appeals.outcomes.${o.outcome}`, { defaultValue: t('appeals.outcomes.open') })} ${o.count}`,
                                )
                                .join(' · ')}
                            </Text>
                          </Stack>
                        )}
                      </Table.Td>
                      <Table.Td style={num}>
                        {p.inspections === 0
                          ? '—'
                          : t('suppliers.inspectionsFailed', { failed: p.inspectionsFailed, total: p.inspections })}
                      </Table.Td>
                      <Table.Td>
                        <Anchor
                          component="button"
                          type="button"
                          onClick={(e) => {
                            e.stopPropagation();
                            go({ history: p.supplierCode });
                          }}
                          data-testid={`perf-level-${p.supplierCode}`}
                        >
                          <SamplingLevelBadge level={p.level} size="sm" />
                        </Anchor>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      ) : null}
      {chosen && from && to ? <MonthlyChart p={chosen} from={from} to={to} /> : null}
      <Drawer
        opened={!!history}
        onClose={() => go({ history: undefined })}
        position="right"
        size="lg"
        title={t('suppliers.history.title', { supplier: history ?? '' })}
        data-testid="sampling-history-drawer"
      >
        {history ? <SamplingHistory key={history} supplierCode={history} /> : null}
      </Drawer>
    </Stack>
  );
}

function MonthlyChart({ p, from, to }: { p: Perf; from: string; to: string }) {
  const { t } = useTranslation();
  const byMonth = new Map(p.months.map((m) => [m.month, m]));
  const data = monthRange(from, to).map((month) => ({
    month,
    intakes: byMonth.get(month)?.intakes ?? 0,
    rejected: byMonth.get(month)?.rejected ?? 0,
  }));
  return (
    <Paper withBorder p="md" data-testid="perf-chart" data-supplier={p.supplierCode}>
      <Group justify="space-between" mb="xs">
        <Title order={4}>{t('suppliers.chartTitle', { supplier: `${p.supplierCode} ${p.supplierName}` })}</Title>
        <Text size="xs" c="dimmed">
          {t('suppliers.chartHint')}
        </Text>
      </Group>
      {p.intakes === 0 ? (
        <Text size="sm" c="dimmed">
          {t('suppliers.chartEmpty')}
        </Text>
      ) : (
        <BarChart
          h={240}
          data={data}
          dataKey="month"
          withLegend
          legendProps={{ verticalAlign: 'top', height: 36 }}
          series={[
            { name: 'intakes', label: t('suppliers.fields.intakes'), color: 'blue.6' },
            { name: 'rejected', label: t('suppliers.fields.rejected'), color: 'red.6' },
          ]}
          tickLine="y"
          yAxisProps={{ allowDecimals: false }}
        />
      )}
    </Paper>
  );
}

function SamplingHistory({ supplierCode }: { supplierCode: string }) {
  const { t } = useTranslation();
  const session = useSession();
  const qc = useQueryClient();
  const h = useCall('suppliers.sampling', { supplierCode }, { staleTime: 0 });
  const canConfigure = hasPermission(session, 'intake.configure') && !session.readOnly;
  const [passes, setPasses] = useState<number | string>('');
  const [reason, setReason] = useState('');
  const configure = useMutationCall('suppliers.sampling.configure', {
    onSuccess: (s) => {
      notifications.show({
        color: 'green',
        message: t('suppliers.history.saved', { supplier: s.supplierCode, required: s.passesRequired }),
      });
      void qc.invalidateQueries({ queryKey: ['suppliers.sampling'] });
      void qc.invalidateQueries({ queryKey: ['suppliers.performance'] });
      setReason('');
    },
  });
  if (h.isLoading) return <Loader />;
  if (!h.data) return <ErrorAlert error={h.error} />;
  const s = h.data;
  const passesValue = passes === '' ? s.passesRequired : Number(passes);
  return (
    <Stack data-testid="sampling-history">
      <Paper withBorder p="sm">
        <Group justify="space-between">
          <SamplingLevelBadge level={s.level} passes={s.consecutivePasses} required={s.passesRequired} size="lg" />
          <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
            {t('suppliers.history.required', { required: s.passesRequired })}
          </Text>
        </Group>
        <Text size="sm" mt="xs">
          {s.level === 'tightened'
            ? t('suppliers.history.tightenedNow', {
                passes: s.consecutivePasses,
                required: s.passesRequired,
                left: Math.max(0, s.passesRequired - s.consecutivePasses),
              })
            : t('suppliers.history.normalNow')}
        </Text>
        {s.reason ? (
          <Text size="xs" c="dimmed" mt={4}>
            {t('suppliers.history.lastChange', { at: formatTime(s.changedAt), reason: s.reason })}
          </Text>
        ) : null}
      </Paper>
      {canConfigure ? (
        <Paper withBorder p="sm" data-testid="sampling-configure">
          <Title order={5} mb="xs">
            {t('suppliers.history.configureTitle')}
          </Title>
          <Group align="flex-end" grow>
            <NumberInput
              label={t('suppliers.history.passesLabel')}
              description={t('suppliers.history.passesHelp')}
              min={1}
              max={100}
              allowDecimal={false}
              value={passes === '' ? s.passesRequired : passes}
              onChange={setPasses}
              data-testid="sampling-passes"
            />
          </Group>
          <Textarea
            mt="xs"
            label={t('common.reason')}
            description={t('common.reasonHelp')}
            withAsterisk
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            data-testid="sampling-reason"
          />
          <ErrorAlert error={configure.error} testId="sampling-error" />
          <Group justify="flex-end" mt="xs">
            <Button
              disabled={reason.trim().length < 3 || !Number.isInteger(passesValue) || passesValue < 1}
              loading={configure.isPending}
              onClick={() => configure.mutate({ supplierCode, passesRequired: passesValue, reason: reason.trim() })}
              data-testid="sampling-save"
            >
              {t('common.save')}
            </Button>
          </Group>
        </Paper>
      ) : null}
      <Title order={5}>{t('suppliers.history.listTitle')}</Title>
      {s.history.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="sampling-history-none">
          {t('suppliers.history.none')}
        </Text>
      ) : (
        <Table fz="sm" withTableBorder verticalSpacing={4} data-testid="sampling-history-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('suppliers.history.at')}</Table.Th>
              <Table.Th w={110}>{t('suppliers.fields.level')}</Table.Th>
              <Table.Th w={80} style={{ textAlign: 'right' }}>
                {t('suppliers.history.passes')}
              </Table.Th>
              <Table.Th>{t('suppliers.history.reason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {s.history.map((e, i) => (
              <Table.Tr key={i}>
                <Table.Td style={num} ta="left">
                  {formatTime(e.at)}
                  <Text size="xs" c="dimmed">
                    <Person id={e.by} />
                  </Text>
                </Table.Td>
                <Table.Td>
                  <SamplingLevelBadge level={e.level === 'tightened' ? 'tightened' : 'normal'} size="sm" />
                </Table.Td>
                <Table.Td style={num}>{e.consecutivePasses}</Table.Td>
                <Table.Td>
                  <Text size="xs">{e.reason ?? '—'}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
