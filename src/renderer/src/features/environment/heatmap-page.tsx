import { Fragment, useState } from 'react';
import {
  Alert,
  Badge,
  Box,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { addDaysIso, todayIso } from '../../ui/dates';
import { zoneColorOf } from '../../ui/zone';
import { EnvTabs } from './env-format';

type Result = 'positive' | 'negative' | 'pending';

const cellColor: Record<Result, string> = {
  positive: 'var(--mantine-color-red-6)',
  negative: 'var(--mantine-color-green-6)',
  pending: 'var(--mantine-color-gray-4)',
};

function Swatch({ result, label }: { result: Result | null; label: string }) {
  return (
    <Group gap={6}>
      <Box
        w={16}
        h={16}
        style={{
          borderRadius: 3,
          background: result ? cellColor[result] : 'white',
          border: '1px solid var(--mantine-color-gray-4)',
        }}
      />
      <Text size="xs">{label}</Text>
    </Group>
  );
}

/**
 * Sites by hygiene zone (rows) × weeks (columns, Monday dates): the worst swab result of
 * each week — positive red, negative green, pending grey, no swab blank.
 */
export function HeatmapPage() {
  const { t, i18n } = useTranslation();
  const [from, setFrom] = useState<string | null>(addDaysIso(todayIso(), -7 * 11));
  const [to, setTo] = useState<string | null>(todayIso());
  const [zone, setZone] = useState<string>('all');
  const valid = !!from && !!to && from <= to;
  const map = useCall(
    'env.heatmap',
    { from: from ?? '', to: to ?? '', ...(zone !== 'all' ? { zone: Number(zone) } : {}) },
    { enabled: valid, staleTime: 0 },
  );
  const zh = i18n.language.startsWith('zh');
  const cells = new Map((map.data?.cells ?? []).map((c) => [`${c.siteId}|${c.week}`, c]));
  const sites = map.data?.sites ?? [];
  const weeks = map.data?.weeks ?? [];
  const zones = [...new Set(sites.map((s) => s.zone))];

  return (
    <Stack data-testid="env-heatmap-page">
      <EnvTabs active="heatmap" />
      <div>
        <Title order={2}>{t('environment.heatmap.title')}</Title>
        <Text c="dimmed" size="sm" maw={900}>
          {t('environment.heatmap.intro')}
        </Text>
      </div>
      <Paper withBorder p="sm">
        <Group align="flex-end" wrap="wrap">
          <DateInput
            label={t('environment.heatmap.from')}
            valueFormat="YYYY-MM-DD"
            value={from}
            onChange={setFrom}
            w={150}
            data-testid="heatmap-from"
          />
          <DateInput
            label={t('environment.heatmap.to')}
            valueFormat="YYYY-MM-DD"
            value={to}
            onChange={setTo}
            w={150}
            data-testid="heatmap-to"
          />
          <Stack gap={2}>
            <Text size="sm" fw={500}>
              {t('environment.heatmap.zone')}
            </Text>
            <SegmentedControl
              value={zone}
              onChange={setZone}
              data={[
                { value: 'all', label: t('environment.heatmap.allZones') },
                ...[1, 2, 3, 4].map((z) => ({ value: String(z), label: t('sites.zoneN', { zone: z }) })),
              ]}
              data-testid="heatmap-zone"
            />
          </Stack>
          <Group gap="md" ml="auto" data-testid="heatmap-legend">
            <Swatch result="positive" label={t('environment.heatmap.positive')} />
            <Swatch result="negative" label={t('environment.heatmap.negative')} />
            <Swatch result="pending" label={t('environment.heatmap.pending')} />
            <Swatch result={null} label={t('environment.heatmap.none')} />
          </Group>
        </Group>
        {!valid ? (
          <Text size="sm" c="red" mt="xs">
            {t('environment.heatmap.badPeriod')}
          </Text>
        ) : null}
      </Paper>
      <ErrorAlert error={map.error} />
      {map.isLoading ? <Loader /> : null}
      {map.data && sites.length === 0 ? (
        <Alert color="gray" variant="light" data-testid="heatmap-none">
          {t('environment.heatmap.noSites')}
        </Alert>
      ) : null}
      {sites.length > 0 ? (
        <Paper withBorder p="xs">
          <Table.ScrollContainer minWidth={400 + weeks.length * 34}>
            <Table
              withColumnBorders
              fz="xs"
              verticalSpacing={2}
              horizontalSpacing={4}
              data-testid="heatmap-table"
              style={{ tableLayout: 'fixed' }}
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={260}>{t('environment.fields.site')}</Table.Th>
                  {weeks.map((w) => (
                    <Table.Th
                      key={w}
                      w={34}
                      style={{ textAlign: 'center', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
                    >
                      <Tooltip label={t('environment.heatmap.weekOf', { date: w })}>
                        <span>{w.slice(5).replace('-', '/')}</span>
                      </Tooltip>
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {zones.map((z) => (
                  <Fragment key={String(z)}>
                    <Table.Tr bg="var(--mantine-color-gray-0)">
                      <Table.Td colSpan={weeks.length + 1}>
                        <Badge color={zoneColorOf(z)} variant="light" tt="none" size="sm">
                          {z ? t(`sites.zones.${z}`) : t('environment.heatmap.noZone')}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                    {sites
                      .filter((s) => s.zone === z)
                      .map((s) => (
                        <Table.Tr key={s.id} data-testid={`heatmap-row-${s.code}`}>
                          <Table.Td style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                            <Text span size="xs" ff="monospace" fw={700}>
                              {s.code}
                            </Text>{' '}
                            <Text span size="xs" c="dimmed">
                              {zh ? s.nameZh : s.nameEn}
                              {s.line ? ` · ${s.line}` : ''}
                            </Text>
                          </Table.Td>
                          {weeks.map((w) => {
                            const c = cells.get(`${s.id}|${w}`);
                            return (
                              <Table.Td
                                key={w}
                                p={2}
                                data-testid={`heatmap-cell-${s.code}-${w}`}
                                data-result={c?.result ?? 'none'}
                              >
                                {c ? (
                                  <Tooltip
                                    label={t('environment.heatmap.cell', {
                                      site: s.code,
                                      week: w,
                                      result: t(`environment.heatmap.${c.result}`),
                                      count: c.swabs,
                                    })}
                                  >
                                    <Box
                                      h={22}
                                      style={{
                                        borderRadius: 3,
                                        background: cellColor[c.result],
                                        color: 'white',
                                        textAlign: 'center',
                                        fontSize: 11,
                                        lineHeight: '22px',
                                        fontWeight: 700,
                                      }}
                                    >
                                      {c.swabs > 1 ? c.swabs : ''}
                                    </Box>
                                  </Tooltip>
                                ) : (
                                  <Box h={22} />
                                )}
                              </Table.Td>
                            );
                          })}
                        </Table.Tr>
                      ))}
                  </Fragment>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Text size="xs" c="dimmed" mt={4}>
            {t('environment.heatmap.countHint')}
          </Text>
        </Paper>
      ) : null}
    </Stack>
  );
}
