import '@mantine/charts/styles.css';
import { LineChart, type ChartReferenceLineProps } from '@mantine/charts';
import { Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../../../shared/contract';
import { westgardWarnings, type WestgardRule } from '../../../../../shared/rules/control-chart';

/** A product chart, or a QC check-sample chart (same shape for what the chart draws). */
export type Series = Pick<ChannelOutput<'trends.series'>, 'points' | 'stats' | 'item' | 'censored'>;
export type TrendPoint = Series['points'][number];

export const VIOLATION = '#e03131';
export const WARNING = '#f08c00';
const NORMAL = '#1c7ed6';
const HIGHLIGHT = '#212529';

/** Violation (red) when any rejection rule fires, warning (orange) for 1_2s alone, else none. */
export function pointLevel(rules: readonly WestgardRule[]): 'violation' | 'warning' | null {
  if (rules.some((r) => !westgardWarnings.has(r))) return 'violation';
  return rules.length > 0 ? 'warning' : null;
}

interface Row {
  x: string;
  value: number;
  point: TrendPoint;
}

/**
 * The plotted value. Reported values are decimal strings: they become numbers here only to
 * place a dot; every judgement (limits, z, Westgard flags) was made on the exact decimals by
 * the service (src/shared/rules/control-chart.ts) and is shown as given.
 */
function plotNumber(v: string): number {
  return Number(v);
}

/** A y-axis from lo to hi on round steps (1, 2 or 5 × 10^k), about six ticks. */
function niceScale(min: number, max: number): [number, number, number[]] {
  const span = max - min || Math.abs(max) || 1;
  const raw = span / 6;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return [lo, hi, ticks];
}

interface DotProps {
  cx?: number;
  cy?: number;
  index?: number;
  payload?: Row;
}

export function ControlChart({
  series,
  includeSpec,
  highlight,
  onPick,
}: {
  series: Series;
  includeSpec: boolean;
  highlight: string | null;
  onPick: (resultId: string) => void;
}) {
  const { t } = useTranslation();
  const { points, stats, item } = series;
  const seen = new Map<string, number>();
  const data: Row[] = points.map((p) => {
    const n = (seen.get(p.lotCode) ?? 0) + 1;
    seen.set(p.lotCode, n);
    // The unrounded value, where it is on record: the one the limits and the rules judged.
    return { x: n > 1 ? `${p.lotCode} #${n}` : p.lotCode, value: plotNumber(p.value ?? p.reported), point: p };
  });

  const lines: ChartReferenceLineProps[] = [];
  const ys: number[] = data.map((d) => d.value);
  if (stats) {
    const add = (y: string, color: string, label: string, dash: string) => {
      lines.push({
        y: plotNumber(y),
        color,
        label,
        strokeDasharray: dash,
        labelPosition: 'right',
        ifOverflow: 'extendDomain',
      });
      ys.push(plotNumber(y));
    };
    add(stats.mean, 'teal.7', t('trends.chart.mean', { v: stats.mean }), '0');
    add(stats.warnHigh, 'orange.6', t('trends.chart.plus2s', { v: stats.warnHigh }), '6 4');
    add(stats.warnLow, 'orange.6', t('trends.chart.minus2s', { v: stats.warnLow }), '6 4');
    add(stats.ctlHigh, 'red.6', t('trends.chart.plus3s', { v: stats.ctlHigh }), '3 3');
    add(stats.ctlLow, 'red.6', t('trends.chart.minus3s', { v: stats.ctlLow }), '3 3');
  }
  if (includeSpec && item) {
    if (item.max !== null) {
      lines.push({
        y: plotNumber(item.max),
        color: 'red.9',
        label: t('trends.chart.specMax', { v: item.max }),
        strokeWidth: 2,
        labelPosition: 'right',
        ifOverflow: 'extendDomain',
      });
      ys.push(plotNumber(item.max));
    }
    if (item.min !== null) {
      lines.push({
        y: plotNumber(item.min),
        color: 'red.9',
        label: t('trends.chart.specMin', { v: item.min }),
        strokeWidth: 2,
        labelPosition: 'right',
        ifOverflow: 'extendDomain',
      });
      ys.push(plotNumber(item.min));
    }
  }
  const [lo, hi, ticks] = niceScale(Math.min(...ys), Math.max(...ys));
  const decimals = Math.min(6, Math.max(0, ...points.map((p) => (p.value ?? p.reported).split('.')[1]?.length ?? 0)));

  const renderDot = (props: DotProps) => {
    const { cx, cy, payload, index } = props;
    if (cx === undefined || cy === undefined || !payload) return <g key={`d-${index}`} />;
    const p = payload.point;
    const level = pointLevel(p.rules);
    const fill = level === 'violation' ? VIOLATION : level === 'warning' ? WARNING : NORMAL;
    const isHi = p.resultId === highlight;
    return (
      <g
        key={`d-${p.resultId}`}
        style={{ cursor: 'pointer' }}
        onClick={() => onPick(p.resultId)}
        data-testid={isHi ? 'trend-highlight-point' : level ? `trend-point-${level}` : 'trend-point'}
        data-lot={p.lotCode}
      >
        {isHi ? <circle cx={cx} cy={cy} r={11} fill="none" stroke={HIGHLIGHT} strokeWidth={2.5} /> : null}
        <circle cx={cx} cy={cy} r={level || isHi ? 6 : 4} fill={fill} stroke="#fff" strokeWidth={1.5} />
      </g>
    );
  };

  return (
    <Paper withBorder p="sm" data-testid="trend-chart" data-points={points.length}>
      <LineChart
        h={380}
        data={data}
        dataKey="x"
        series={[
          {
            name: 'value',
            label: item ? `${t('trends.chart.value')} (${item.unit})` : t('trends.chart.value'),
            color: 'blue.6',
          },
        ]}
        curveType="linear"
        strokeWidth={1.5}
        referenceLines={lines}
        yAxisProps={{ domain: [lo, hi], ticks, width: 70 }}
        yAxisLabel={item?.unit}
        lineChartProps={{ margin: { top: 10, right: 130, bottom: 0, left: 10 } }}
        xAxisProps={{
          angle: -35,
          textAnchor: 'end',
          height: 80,
          interval: data.length > 30 ? 'preserveStartEnd' : 0,
          fontSize: 11,
          padding: { left: 16, right: 24 },
        }}
        valueFormatter={(v) => v.toFixed(decimals)}
        lineProps={{ dot: renderDot, activeDot: false, isAnimationActive: false }}
        tooltipProps={{
          content: ({ payload }) => {
            const row = (payload?.[0] as { payload?: Row } | undefined)?.payload;
            if (!row) return null;
            const p = row.point;
            return (
              <Paper withBorder shadow="sm" p="xs" fz="sm">
                <Stack gap={0}>
                  <Text fw={700} ff="monospace" size="sm">
                    {p.lotCode}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {p.lotDate} · {p.sampleCode}
                  </Text>
                  <Text size="sm">
                    {t('trends.table.value')}
                    {t('resultReview.colon')}
                    <b>{p.reported}</b> {item?.unit}
                  </Text>
                  {p.value !== null && p.value !== p.reported ? (
                    <Text size="xs" c="dimmed">
                      {t('trends.baseline.unrounded', { value: p.value })}
                    </Text>
                  ) : null}
                  <Text size="sm">z = {p.z ?? '—'}</Text>
                  {p.rules.length > 0 ? (
                    <Text size="sm" c={pointLevel(p.rules) === 'violation' ? 'red.8' : 'orange.8'} fw={600}>
                      {p.rules.map((r) => t(`trends.rules.${r}.short`)).join(', ')}
                    </Text>
                  ) : null}
                </Stack>
              </Paper>
            );
          },
        }}
      />
    </Paper>
  );
}
