import { useState } from 'react';
import {
  Alert,
  Badge,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import { westgardRules, westgardWarnings } from '../../../../../shared/rules/control-chart';
import { useCall } from '../../../core/api/hooks';
import { ErrorAlert } from '../../../ui/error-alert';
import { navigate, useRoute } from '../../../core/router';
import { LotLink } from '../../../ui/lot';
import { SampleTestingLink } from '../review/result-format';
import { TestingTabs } from '../review/testing-tabs';
import { ControlChart, pointLevel, VIOLATION, WARNING, type Series } from './control-chart';
import { VerdictChangeFigure } from './verdict-change-figure';
import { BaselinePanel } from './baseline-panel';
import { QcView } from './qc-view';

type TrendsView = 'product' | 'qc' | 'changes';

/**
 * `#/trends?product=<code>&item=<code>&from&to&highlight=<resultId>`: a Shewhart control chart
 * of a product's reviewed results across lots, with the Westgard rules flagged. Everything is
 * in the address, so a result elsewhere can link to "where it sits".
 */
export function TrendsPage() {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const route = useRoute();
  const product = route.params.get('product') ?? '';
  const itemCode = route.params.get('item') ?? '';
  const from = route.params.get('from') ?? '';
  const to = route.params.get('to') ?? '';
  const highlight = route.params.get('highlight');
  const viewParam = route.params.get('view');
  const view: TrendsView = viewParam === 'changes' || viewParam === 'qc' ? viewParam : 'product';
  const [includeSpec, setIncludeSpec] = useState(false);
  const go = (p: Record<string, string | null | undefined>) =>
    navigate('/trends', { product, item: itemCode, from, to, highlight, ...p });

  const products = useCall('catalog.products.list', {}, { staleTime: 60_000 });
  const items = useCall('trends.items', { productCode: product }, { enabled: !!product, staleTime: 0 });
  const series = useCall(
    'trends.series',
    { productCode: product, itemCode, ...(from ? { from } : {}), ...(to ? { to } : {}) },
    { enabled: !!product && !!itemCode, staleTime: 0 },
  );

  return (
    <Stack data-testid="trends-page">
      <TestingTabs active="trends" />
      <div>
        <Title order={2}>{t('trends.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('trends.intro')}
        </Text>
      </div>
      <SegmentedControl
        w="fit-content"
        value={view}
        onChange={(v) => navigate('/trends', v === 'product' ? { product, item: itemCode, from, to } : { view: v })}
        data={[
          { value: 'product', label: t('trends.views.product') },
          { value: 'qc', label: t('trends.views.qc') },
          { value: 'changes', label: t('trends.views.changes') },
        ]}
        data-testid="trends-view"
      />
      {view === 'changes' ? <VerdictChangeFigure /> : null}
      {view === 'qc' ? <QcView /> : null}
      {view === 'product' ? (
        <>
          <Paper withBorder p="sm">
            <Group align="flex-end" gap="sm">
              <Select
                label={t('trends.product')}
                placeholder={t('trends.productPlaceholder')}
                searchable
                w={300}
                data={(products.data ?? []).map((p) => ({
                  value: p.code,
                  label: `${p.code} · ${zh ? p.nameZh : p.nameEn}`,
                }))}
                value={product || null}
                onChange={(v) => go({ product: v ?? '', item: '', highlight: null })}
                data-testid="trend-product"
              />
              <Select
                label={t('trends.item')}
                placeholder={product ? t('trends.itemPlaceholder') : t('trends.chooseProductFirst')}
                searchable
                w={300}
                disabled={!product}
                data={(items.data ?? []).map((i) => ({
                  value: i.code,
                  // The code in English only: a Chinese reader picks by name.
                  label: `${zh ? i.nameZh : `${i.nameEn} (${i.code})`} · ${t('trends.itemCount', { count: i.count })}`,
                }))}
                value={itemCode || null}
                onChange={(v) => go({ item: v ?? '', highlight: null })}
                data-testid="trend-item"
              />
              <DatePickerInput
                type="range"
                label={t('trends.dates')}
                w={240}
                clearable
                valueFormat="YYYY-MM-DD"
                value={[from || null, to || null]}
                onChange={([f, tt]) => {
                  if ((f && tt) || (!f && !tt)) go({ from: f ?? '', to: tt ?? '' });
                }}
                data-testid="trend-dates"
              />
              <Switch
                label={t('trends.includeSpec')}
                checked={includeSpec}
                onChange={(e) => setIncludeSpec(e.currentTarget.checked)}
                data-testid="trend-spec-scale"
                mb={6}
              />
            </Group>
            <ErrorAlert error={products.error ?? items.error} />
            {product && items.data && items.data.length === 0 ? (
              <Text size="sm" c="dimmed" mt="sm" data-testid="trend-no-items">
                {t('trends.noItems')}
              </Text>
            ) : null}
          </Paper>

          {!product || !itemCode ? (
            <Text c="dimmed" data-testid="trend-choose">
              {t('trends.choose')}
            </Text>
          ) : null}
          {series.isLoading ? <Loader /> : null}
          <ErrorAlert error={series.error} />
          {series.data ? (
            <>
              <BaselinePanel
                key={`${product}|${itemCode}`}
                chart={{ kind: 'product', productCode: product, itemCode }}
                baseline={series.data.baseline}
                defaultFrom={from || series.data.points[0]?.lotDate || null}
                defaultTo={to || series.data.points.at(-1)?.lotDate || null}
              />
              <TrendView
                series={series.data}
                includeSpec={includeSpec}
                highlight={highlight}
                onPick={(id) => go({ highlight: id })}
              />
            </>
          ) : null}
        </>
      ) : null}
    </Stack>
  );
}

function TrendView({
  series,
  includeSpec,
  highlight,
  onPick,
}: {
  series: Series;
  includeSpec: boolean;
  highlight: string | null;
  onPick: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const [all, setAll] = useState(false);
  const { points, stats, item, censored } = series;
  const hi = highlight ? points.find((p) => p.resultId === highlight) : undefined;
  const flagged = points.filter((p) => p.rules.length > 0);
  const rows = all ? points : points.filter((p) => p.rules.length > 0 || p.resultId === highlight);

  if (points.length === 0) {
    return (
      <Alert color="gray" data-testid="trend-empty">
        {t('trends.noPoints')}
      </Alert>
    );
  }

  return (
    <Stack>
      <Paper withBorder p="sm">
        <Group justify="space-between" align="flex-start">
          <Stack gap={0}>
            <Title order={4}>
              {item ? (zh ? item.nameZh : item.nameEn) : ''} {item ? <code>({item.code})</code> : null}{' '}
              <Text span c="dimmed" size="sm">
                {item?.unit}
              </Text>
            </Title>
            <Text size="sm" c="dimmed">
              {t('trends.specLimits', { min: item?.min ?? '—', max: item?.max ?? '—' })}
              {!includeSpec && item && (item.min !== null || item.max !== null) ? ` · ${t('trends.specOffScale')}` : ''}
            </Text>
          </Stack>
          {stats ? (
            <SimpleGrid cols={{ base: 3, md: 6 }} spacing="md" data-testid="trend-stats">
              <Stat label="n" value={String(stats.n)} />
              <Stat label={t('trends.stats.mean')} value={stats.mean} />
              <Stat label={t('trends.stats.sd')} value={stats.sd} />
              <Stat label="± 1 s" value={`${stats.oneLow} – ${stats.oneHigh}`} />
              <Stat label="± 2 s" value={`${stats.warnLow} – ${stats.warnHigh}`} color={WARNING} />
              <Stat label="± 3 s" value={`${stats.ctlLow} – ${stats.ctlHigh}`} color={VIOLATION} />
            </SimpleGrid>
          ) : null}
        </Group>
      </Paper>

      {!stats ? (
        <Alert color="yellow" variant="light">
          {t('trends.tooFew')}
        </Alert>
      ) : null}
      {highlight ? (
        hi ? (
          <Alert color="blue" variant="light" data-testid="trend-highlight-info" title={t('trends.highlightTitle')}>
            {t('trends.highlightText', { lot: hi.lotCode, value: hi.reported, unit: item?.unit ?? '', z: hi.z ?? '—' })}{' '}
            {hi.rules.length > 0 ? (
              <b style={{ color: pointLevel(hi.rules) === 'violation' ? VIOLATION : WARNING }}>
                {t('trends.highlightRules', { rules: hi.rules.map((r) => t(`trends.rules.${r}.short`)).join(', ') })}
              </b>
            ) : (
              t('trends.highlightNoRules')
            )}
          </Alert>
        ) : (
          <Alert color="gray" variant="light" data-testid="trend-highlight-missing">
            {t('trends.highlightMissing')}
          </Alert>
        )
      ) : null}

      <ControlChart series={series} includeSpec={includeSpec} highlight={highlight} onPick={onPick} />
      {censored > 0 ? (
        <Text size="sm" c="dimmed" data-testid="trend-censored">
          {t('trends.censored', { count: censored })}
        </Text>
      ) : null}

      <Legend />

      <Paper withBorder p="sm">
        <Group justify="space-between" mb="xs">
          <Title order={5}>
            {all
              ? t('trends.table.allTitle', { count: points.length })
              : t('trends.table.flaggedTitle', { count: flagged.length })}
          </Title>
          <Switch
            label={t('trends.table.showAll')}
            checked={all}
            onChange={(e) => setAll(e.currentTarget.checked)}
            data-testid="trend-show-all"
          />
        </Group>
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="trend-no-flags">
            {t('trends.table.noFlags')}
          </Text>
        ) : (
          <Table withTableBorder fz="sm" data-testid="trend-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('trends.table.lot')}</Table.Th>
                <Table.Th>{t('trends.table.date')}</Table.Th>
                <Table.Th>{t('trends.table.sample')}</Table.Th>
                <Table.Th ta="right">{t('trends.table.value')}</Table.Th>
                <Table.Th ta="right">z</Table.Th>
                <Table.Th>{t('trends.table.rules')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((p) => {
                const level = pointLevel(p.rules);
                const isHi = p.resultId === highlight;
                return (
                  <Table.Tr
                    key={p.resultId}
                    data-testid={`trend-row-${p.lotCode}`}
                    data-highlight={isHi}
                    data-level={level ?? 'none'}
                    bg={
                      isHi
                        ? 'var(--mantine-color-gray-2)'
                        : level === 'violation'
                          ? 'var(--mantine-color-red-0)'
                          : level === 'warning'
                            ? 'var(--mantine-color-orange-0)'
                            : undefined
                    }
                    style={{ cursor: 'pointer', fontWeight: isHi ? 700 : undefined }}
                    onClick={() => onPick(p.resultId)}
                  >
                    <Table.Td>
                      <LotLink code={p.lotCode} />
                      {isHi ? (
                        <Badge ml="xs" color="dark" size="xs" tt="none">
                          {t('trends.table.thisResult')}
                        </Badge>
                      ) : null}
                    </Table.Td>
                    <Table.Td>{p.lotDate}</Table.Td>
                    <Table.Td>
                      <SampleTestingLink code={p.sampleCode} />
                    </Table.Td>
                    <Table.Td ta="right" ff="monospace">
                      {p.reported}
                    </Table.Td>
                    <Table.Td ta="right" ff="monospace">
                      {p.z ?? '—'}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {p.rules.map((r) => (
                          <Badge
                            key={r}
                            size="sm"
                            tt="none"
                            color={westgardWarnings.has(r) ? 'orange' : 'red'}
                            variant={westgardWarnings.has(r) ? 'light' : 'filled'}
                          >
                            {t(`trends.rules.${r}.short`)}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}

function Stat({ label, value, color }: { label: string; value: string; color?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" ff="monospace" fw={600} style={color ? { color } : undefined}>
        {value}
      </Text>
    </Stack>
  );
}

/** What the lines and the rules mean, in the reader's language (Westgard et al., Clin. Chem. 1981). */
function Legend() {
  const { t } = useTranslation();
  const swatch = (color: string, dash?: string) => (
    <svg width="28" height="10" aria-hidden>
      <line x1="0" y1="5" x2="28" y2="5" stroke={color} strokeWidth="2" strokeDasharray={dash} />
    </svg>
  );
  return (
    <Paper withBorder p="sm" data-testid="trend-legend">
      <Title order={5} mb="xs">
        {t('trends.legend.title')}
      </Title>
      <Group gap="lg" mb="sm">
        <Group gap={6}>
          {swatch('#c92a2a')}
          <Text size="sm">{t('trends.legend.spec')}</Text>
        </Group>
        <Group gap={6}>
          {swatch('#0ca678')}
          <Text size="sm">{t('trends.legend.mean')}</Text>
        </Group>
        <Group gap={6}>
          {swatch(WARNING, '6 4')}
          <Text size="sm">{t('trends.legend.warning')}</Text>
        </Group>
        <Group gap={6}>
          {swatch(VIOLATION, '3 3')}
          <Text size="sm">{t('trends.legend.control')}</Text>
        </Group>
        <Group gap={6}>
          <svg width="26" height="26" aria-hidden>
            <circle cx="13" cy="13" r="11" fill="none" stroke="#212529" strokeWidth="2.5" />
            <circle cx="13" cy="13" r="6" fill="#1c7ed6" />
          </svg>
          <Text size="sm">{t('trends.legend.highlight')}</Text>
        </Group>
      </Group>
      <Table fz="sm" withRowBorders={false} verticalSpacing={2}>
        <Table.Tbody>
          {westgardRules.map((r) => (
            <Table.Tr key={r} data-testid={`trend-rule-${r}`}>
              <Table.Td w={90}>
                <Badge
                  size="sm"
                  tt="none"
                  color={westgardWarnings.has(r) ? 'orange' : 'red'}
                  variant={westgardWarnings.has(r) ? 'light' : 'filled'}
                >
                  {t(`trends.rules.${r}.short`)}
                </Badge>
              </Table.Td>
              <Table.Td>{t(`trends.rules.${r}.text`)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt="xs">
        {t('trends.legend.note')}
      </Text>
    </Paper>
  );
}
