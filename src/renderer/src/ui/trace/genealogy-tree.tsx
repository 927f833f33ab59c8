import { useMemo, useState } from 'react';
import { ActionIcon, Box, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { KindLabel, LotLink, StatusBadge, qty } from '../lot';
import type { Direction, Genealogy, Link } from './genealogy';

const PAGE = 100;

/**
 * One direction of the genealogy as an expandable tree: each row shows the kind, the lot
 * (a link to its page), the quantity on the edge and the status. A lot reached by two paths
 * appears under each of them; children are rendered only when their parent is open.
 */
export function GenealogyTree({ g, direction }: { g: Genealogy; direction: Direction }) {
  const { t } = useTranslation();
  const total = g.count[direction];
  const small = total <= 40;
  const [open, setOpen] = useState<Set<string>>(() => (small ? allPaths(g, direction) : new Set([g.root.lot])));
  const toggle = (key: string) =>
    setOpen((cur) => {
      const n = new Set(cur);
      if (n.has(key)) n.delete(key);
      else n.add(key);
      return n;
    });
  const canExpandAll = total <= 2000;
  return (
    <Paper withBorder p="sm" data-testid={`genealogy-${direction}`}>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <div>
          <Title order={5}>{t(`trace.genealogy.${direction}Title`)}</Title>
          <Text size="xs" c="dimmed">
            {t(`trace.genealogy.${direction}Help`)}
          </Text>
        </div>
        <Group gap={4} wrap="nowrap">
          <Button
            size="compact-xs"
            variant="default"
            disabled={!canExpandAll || total === 0}
            onClick={() => setOpen(allPaths(g, direction))}
            data-testid={`genealogy-${direction}-expand`}
          >
            {t('trace.genealogy.expandAll')}
          </Button>
          <Button size="compact-xs" variant="default" disabled={total === 0} onClick={() => setOpen(new Set())}>
            {t('trace.genealogy.collapseAll')}
          </Button>
        </Group>
      </Group>
      {total === 0 ? (
        <Text size="sm" c="dimmed" data-testid={`genealogy-${direction}-empty`}>
          {t(`trace.genealogy.${direction}None`)}
        </Text>
      ) : (
        <TreeRows
          g={g}
          direction={direction}
          lot={g.root.lot}
          link={null}
          path={g.root.lot}
          level={0}
          open={open}
          toggle={toggle}
          seen={new Set()}
        />
      )}
    </Paper>
  );
}

function allPaths(g: Genealogy, direction: Direction): Set<string> {
  const out = new Set<string>();
  const walk = (lot: string, path: string, seen: Set<string>) => {
    if (out.size > 5000 || seen.has(lot)) return;
    const kids = g.next[direction].get(lot) ?? [];
    if (kids.length === 0) return;
    out.add(path);
    const s = new Set(seen).add(lot);
    for (const k of kids.slice(0, PAGE)) walk(k.lot, `${path}>${k.lot}`, s);
  };
  walk(g.root.lot, g.root.lot, new Set());
  return out;
}

function TreeRows({
  g,
  direction,
  lot,
  link,
  path,
  level,
  open,
  toggle,
  seen,
}: {
  g: Genealogy;
  direction: Direction;
  lot: string;
  link: Link | null;
  path: string;
  level: number;
  open: Set<string>;
  toggle: (key: string) => void;
  seen: Set<string>;
}) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(PAGE);
  const kids = useMemo(() => (seen.has(lot) ? [] : (g.next[direction].get(lot) ?? [])), [g, direction, lot, seen]);
  const isOpen = open.has(path);
  const info = g.info.get(lot);
  const childSeen = useMemo(() => new Set(seen).add(lot), [seen, lot]);
  const isRoot = level === 0;
  return (
    <Box>
      <Group
        gap="xs"
        wrap="nowrap"
        pl={level * 22}
        py={3}
        data-testid={isRoot ? `tree-${direction}-root` : `tree-${direction}-node-${lot}`}
        data-depth={level}
        style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
      >
        {kids.length > 0 ? (
          <ActionIcon
            size="sm"
            variant="subtle"
            color="gray"
            aria-label={isOpen ? t('trace.genealogy.collapse') : t('trace.genealogy.expand')}
            aria-expanded={isOpen}
            onClick={() => toggle(path)}
            data-testid={`tree-toggle-${lot}`}
          >
            <Text span fw={700} size="sm">
              {isOpen ? '−' : '+'}
            </Text>
          </ActionIcon>
        ) : (
          <Box w={22} />
        )}
        <KindLabel kind={info?.kind ?? 'unknown'} withText={false} />
        {isRoot ? (
          <Text fw={700} ff="monospace" size="sm">
            {lot}
          </Text>
        ) : (
          <LotLink code={lot} />
        )}
        <Text size="xs" c="dimmed" truncate>
          {t(`lots.kinds.${info?.kind ?? ''}`, { defaultValue: info?.kind ?? '' })} · {info?.itemCode}
        </Text>
        {link ? (
          <Text size="sm" fw={600} data-testid="edge-quantity" style={{ whiteSpace: 'nowrap' }}>
            {direction === 'backward'
              ? t('trace.genealogy.usedQty', { q: qty(link.quantity, link.unit) })
              : t('trace.genealogy.intoQty', { q: qty(link.quantity, link.unit) })}
          </Text>
        ) : (
          <Text size="xs" c="dimmed">
            {t('trace.genealogy.thisLot')}
          </Text>
        )}
        <Box style={{ marginLeft: 'auto' }}>
          <StatusBadge status={info?.status ?? null} size="sm" />
        </Box>
      </Group>
      {isOpen && kids.length > 0 ? (
        <Stack gap={0}>
          {kids.slice(0, shown).map((k) => (
            <TreeRows
              key={`${k.lot}|${k.quantity}|${k.unit}`}
              g={g}
              direction={direction}
              lot={k.lot}
              link={k}
              path={`${path}>${k.lot}`}
              level={level + 1}
              open={open}
              toggle={toggle}
              seen={childSeen}
            />
          ))}
          {kids.length > shown ? (
            <Button
              size="compact-xs"
              variant="subtle"
              ml={(level + 1) * 22}
              w="fit-content"
              onClick={() => setShown((n) => n + PAGE)}
            >
              {t('trace.genealogy.showMore', { count: kids.length - shown })}
            </Button>
          ) : null}
        </Stack>
      ) : null}
    </Box>
  );
}
