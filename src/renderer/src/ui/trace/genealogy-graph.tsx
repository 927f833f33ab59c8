import { Paper, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isLotStatus, statusColor, lotHref } from '../lot';
import { GRAPH_MAX_NODES, graphSize, type Genealogy, type LotInfo } from './genealogy';

const COL = 270;
const ROW = 62;
const W = 196;
const H = 44;
const PAD = 16;

const fill: Record<string, string> = {
  yellow: '#fff3bf',
  green: '#d3f9d8',
  orange: '#ffe8cc',
  red: '#ffe3e3',
  gray: '#f1f3f5',
};
const stroke: Record<string, string> = {
  yellow: '#f59f00',
  green: '#2f9e44',
  orange: '#e8590c',
  red: '#e03131',
  gray: '#868e96',
};

/**
 * The genealogy as a layered graph for small traces: the root in the middle, what it was
 * made from to the left (by depth), what was made from it to the right. Plain SVG.
 */
export function GenealogyGraph({ g }: { g: Genealogy }) {
  const { t } = useTranslation();
  const n = graphSize(g);
  if (n > GRAPH_MAX_NODES) {
    return (
      <Text size="sm" c="dimmed" data-testid="genealogy-graph-too-big">
        {t('trace.genealogy.graphTooBig', { count: n, max: GRAPH_MAX_NODES })}
      </Text>
    );
  }
  const layers = new Map<number, LotInfo[]>();
  for (const info of g.info.values()) {
    const list = layers.get(info.depth) ?? [];
    list.push(info);
    layers.set(info.depth, list);
  }
  for (const list of layers.values()) list.sort((a, b) => a.lot.localeCompare(b.lot));
  const depths = [...layers.keys()];
  // Symmetric columns, so the root stays in the middle even when one side is empty.
  const reach = Math.max(1, ...depths.map((d) => Math.abs(d)));
  const minD = -reach;
  const maxD = reach;
  const hasBackward = depths.some((d) => d < 0);
  const hasForward = depths.some((d) => d > 0);
  const tallest = Math.max(...[...layers.values()].map((l) => l.length));
  const width = (maxD - minD) * COL + W + PAD * 2;
  const height = tallest * ROW + PAD * 2 + 18;
  const pos = new Map<string, { x: number; y: number }>();
  for (const [d, list] of layers) {
    const x = PAD + (d - minD) * COL;
    const top = PAD + 18 + ((tallest - list.length) * ROW) / 2;
    list.forEach((info, i) => pos.set(info.lot, { x, y: top + i * ROW }));
  }
  const edges: Array<{ from: string; to: string; label: string }> = [];
  for (const [out, inputs] of g.next.backward)
    for (const l of inputs) edges.push({ from: l.lot, to: out, label: `${l.quantity} ${l.unit}` });
  for (const [input, outputs] of g.next.forward)
    for (const l of outputs) edges.push({ from: input, to: l.lot, label: `${l.quantity} ${l.unit}` });

  return (
    <Paper withBorder p="sm" data-testid="genealogy-graph" style={{ overflowX: 'auto' }}>
      <Title order={5} mb={4}>
        {t('trace.genealogy.graphTitle')}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t('trace.genealogy.graphHelp')}
      </Text>
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={t('trace.genealogy.graphTitle')}
        style={{ display: 'block', margin: '0 auto', fontFamily: 'inherit' }}
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#868e96" />
          </marker>
        </defs>
        {hasBackward ? (
          <text x={PAD} y={12} fontSize="11" fill="#868e96">
            ← {t('trace.genealogy.madeFrom')}
          </text>
        ) : null}
        {hasForward ? (
          <text x={width - PAD} y={12} fontSize="11" fill="#868e96" textAnchor="end">
            {t('trace.genealogy.madeInto')} →
          </text>
        ) : null}
        {edges.map((e, i) => {
          const a = pos.get(e.from);
          const b = pos.get(e.to);
          if (!a || !b) return null;
          const x1 = a.x + W;
          const y1 = a.y + H / 2;
          const x2 = b.x;
          const y2 = b.y + H / 2;
          const mx = (x1 + x2) / 2;
          return (
            <g key={i}>
              <path
                d={`M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 2},${y2}`}
                stroke="#adb5bd"
                strokeWidth="1.5"
                fill="none"
                markerEnd="url(#arrow)"
              />
              <text x={mx} y={(y1 + y2) / 2 - 4} fontSize="10" fill="#495057" textAnchor="middle">
                {e.label}
              </text>
            </g>
          );
        })}
        {[...g.info.values()].map((info) => {
          const p = pos.get(info.lot);
          if (!p) return null;
          const tone = isLotStatus(info.status) ? statusColor[info.status] : 'gray';
          const isRoot = info.lot === g.root.lot;
          const label = info.lot.length > 25 ? `${info.lot.slice(0, 24)}…` : info.lot;
          const box = (
            <g data-testid={`graph-node-${info.lot}`}>
              <title>{`${info.lot} · ${t(`lots.kinds.${info.kind}`, { defaultValue: info.kind })} · ${info.itemCode}`}</title>
              <rect
                x={p.x}
                y={p.y}
                width={W}
                height={H}
                rx={6}
                fill={fill[tone]}
                stroke={stroke[tone]}
                strokeWidth={isRoot ? 3 : 1.2}
              />
              <text
                x={p.x + 8}
                y={p.y + 18}
                fontSize="12"
                fontFamily="monospace"
                fontWeight={isRoot ? 700 : 600}
                fill="#212529"
              >
                {label}
              </text>
              <text x={p.x + 8} y={p.y + 34} fontSize="10.5" fill="#495057">
                {t(`lots.kinds.${info.kind}`, { defaultValue: info.kind })} · {info.itemCode}
                {info.status && isLotStatus(info.status) ? ` · ${t(`lots.status.${info.status}`)}` : ''}
              </text>
            </g>
          );
          return isRoot ? (
            <g key={info.lot}>{box}</g>
          ) : (
            <a key={info.lot} href={lotHref(info.lot)}>
              {box}
            </a>
          );
        })}
      </svg>
    </Paper>
  );
}
