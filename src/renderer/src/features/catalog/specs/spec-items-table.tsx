import { Fragment, memo, useMemo } from 'react';
import { Badge, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SpecItemView, SpecProblem } from '../../../../../shared/contract/channels/catalog';
import { itemGroups } from '../../../../../shared/catalog/spec-schema';
import { formatTime } from '../../../ui/format';
import {
  formatFrequency,
  formatLimit,
  formatOrigin,
  itemName,
  problemMessage,
  unitWithBasis,
  verificationColor,
} from './spec-format';
import { usePersonName } from '../../../ui/person';

/** The verification state of a value, colour-coded, with its source (and who confirmed it). */
export function VerificationBadge({ item }: { item: SpecItemView }) {
  const { t } = useTranslation();
  const personName = usePersonName();
  const label = (
    <Stack gap={2} maw={420}>
      <Text size="xs">{t(`specs.verificationHelp.${item.verification}`)}</Text>
      {item.source ? (
        <Text size="xs" style={{ wordBreak: 'break-all' }}>
          {t('itemEditor.source')}: {item.source}
        </Text>
      ) : null}
      {item.note ? <Text size="xs">{item.note}</Text> : null}
    </Stack>
  );
  return (
    <Stack gap={2} align="flex-start">
      <Tooltip label={label} multiline withArrow>
        <Badge
          color={verificationColor[item.verification]}
          variant={item.verification === 'missing' || item.verification === 'unverified' ? 'filled' : 'light'}
          tt="none"
          data-testid={`verification-${item.code}`}
          data-state={item.verification}
        >
          {t(`specs.verification.${item.verification}`)}
        </Badge>
      </Tooltip>
      {item.origin ? (
        // Where the value comes from, for the comparison with the official text (issue 22 §4).
        <Text size="xs" c="dimmed" data-testid={`origin-${item.code}`} style={{ whiteSpace: 'nowrap' }}>
          {formatOrigin(t, item.origin)}
        </Text>
      ) : null}
      {item.verification === 'confirmed' && item.confirmedBy ? (
        <Text size="xs" c="dimmed" data-testid={`confirmed-by-${item.code}`}>
          {t('specs.confirmedBy', { user: personName(item.confirmedBy), time: formatTime(item.confirmedAt) })}
        </Text>
      ) : null}
    </Stack>
  );
}

const NO_PROBLEMS: readonly SpecProblem[] = [];
const COLS = 8;

type OpenItem = (item: SpecItemView) => void;

/**
 * Items grouped by item group, one row each; problems are shown under the item they concern.
 *
 * The table and each row are memoised: the editor re-renders on every drawer open and close,
 * every ledger event and every returned view, and a confirmation changes one item. The query
 * cache keeps unchanged items (and unchanged problem lists) as the same objects (structural
 * sharing), so only the changed row renders again. `onOpen` must be stable (useCallback).
 */
export const SpecItemsTable = memo(function SpecItemsTable({
  items,
  problems,
  onOpen,
}: {
  items: SpecItemView[];
  problems: SpecProblem[];
  /** Opens the item editor; absent for read-only versions. */
  onOpen?: OpenItem | undefined;
}) {
  const { t } = useTranslation();
  const byItem = useMemo(() => {
    const m = new Map<string, SpecProblem[]>();
    for (const p of problems) if (p.itemCode) m.set(p.itemCode, [...(m.get(p.itemCode) ?? []), p]);
    return m;
  }, [problems]);
  const groups = useMemo(
    () => itemGroups.map((g) => ({ group: g, rows: items.filter((i) => i.group === g) })).filter((g) => g.rows.length),
    [items],
  );
  return (
    <Table.ScrollContainer minWidth={1100}>
      <Table withTableBorder verticalSpacing={6} highlightOnHover={!!onOpen} data-testid="spec-items">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('specs.cols.code')}</Table.Th>
            <Table.Th>{t('specs.cols.name')}</Table.Th>
            <Table.Th>{t('specs.cols.limit')}</Table.Th>
            <Table.Th>{t('specs.cols.rounding')}</Table.Th>
            <Table.Th>{t('specs.cols.method')}</Table.Th>
            <Table.Th>{t('specs.cols.frequency')}</Table.Th>
            <Table.Th>{t('specs.cols.inHouse')}</Table.Th>
            <Table.Th miw={170}>{t('specs.cols.verification')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {groups.map(({ group: g, rows }) => (
            <Fragment key={g}>
              <Table.Tr bg="var(--mantine-color-gray-1)" data-testid={`spec-group-${g}`}>
                <Table.Td colSpan={COLS}>
                  <Text fw={700} size="sm">
                    {t(`specs.groups.${g}`)} ({rows.length})
                  </Text>
                </Table.Td>
              </Table.Tr>
              {rows.map((item) => (
                <SpecItemRow
                  key={item.id}
                  item={item}
                  problems={byItem.get(item.code) ?? NO_PROBLEMS}
                  onOpen={onOpen}
                />
              ))}
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
});

/**
 * One item (and the line of its problems). Props are compared by identity, except the item's
 * problems by content: a new problem list for the whole version is a new array for every item.
 */
const SpecItemRow = memo(
  function SpecItemRow({
    item,
    problems,
    onOpen,
  }: {
    item: SpecItemView;
    problems: readonly SpecProblem[];
    onOpen: OpenItem | undefined;
  }) {
    const { t, i18n } = useTranslation();
    const flagged = item.verification === 'missing' || item.verification === 'unverified';
    return (
      <>
        <Table.Tr
          data-testid={`spec-item-${item.code}`}
          onClick={onOpen ? () => onOpen(item) : undefined}
          style={{ cursor: onOpen ? 'pointer' : undefined }}
          bg={problems.length ? 'var(--mantine-color-red-0)' : flagged ? 'var(--mantine-color-orange-0)' : undefined}
        >
          <Table.Td>
            <Text component="code" size="sm" ff="monospace">
              {item.code}
            </Text>
          </Table.Td>
          <Table.Td>
            <Group gap={4}>
              <Text size="sm">{itemName(i18n.language, item)}</Text>
              {item.formula ? (
                <Tooltip label={item.formula}>
                  <Badge size="xs" variant="outline" color="grape" tt="none" style={{ flexShrink: 0 }}>
                    ƒ {t('specs.calculated')}
                  </Badge>
                </Tooltip>
              ) : null}
            </Group>
          </Table.Td>
          <Table.Td>
            <Text
              size="sm"
              fw={500}
              c={item.verification === 'missing' ? 'red.8' : undefined}
              data-testid={`limit-${item.code}`}
              style={{ whiteSpace: 'nowrap' }}
            >
              {formatLimit(t, item)}
            </Text>
            <Text size="xs" c="dimmed">
              {t(`specs.bases.${item.basis}`)}
            </Text>
            {item.loq ? (
              <Text size="xs" c="dimmed" data-testid={`loq-${item.code}`} style={{ whiteSpace: 'nowrap' }}>
                {t('specs.limit.loq', { loq: item.loq })}
                {unitWithBasis(item) ? ` ${unitWithBasis(item)}` : ''}
              </Text>
            ) : null}
          </Table.Td>
          <Table.Td>
            <Text size="sm" data-testid={`precision-${item.code}`}>
              {item.reporting && item.reporting.kind !== 'decimals'
                ? item.reporting.kind === 'interval'
                  ? t('itemEditor.reportingShort.interval', { interval: item.reporting.interval })
                  : item.reporting.kind === 'figures'
                    ? t('itemEditor.reportingShort.figures', { count: item.reporting.figures })
                    : t('itemEditor.reportingShort.colony_count')
                : item.precision === null
                  ? '—'
                  : t('specs.decimals', { count: item.precision })}
            </Text>
            <Text size="xs" c="dimmed">
              {t(`specs.comparisons.${item.comparison}`)}
            </Text>
          </Table.Td>
          <Table.Td>
            <Text size="sm">{item.method_code ?? '—'}</Text>
          </Table.Td>
          <Table.Td>
            <Text size="sm">{formatFrequency(t, item)}</Text>
          </Table.Td>
          <Table.Td>
            <Text size="sm">{item.in_house_only ? t('specs.yes') : t('specs.no')}</Text>
          </Table.Td>
          <Table.Td>
            <VerificationBadge item={item} />
          </Table.Td>
        </Table.Tr>
        {problems.length ? (
          <Table.Tr bg="var(--mantine-color-red-0)" data-testid={`spec-item-problems-${item.code}`}>
            <Table.Td />
            <Table.Td colSpan={COLS - 1}>
              {problems.map((p, n) => (
                <Text key={n} size="xs" c="red.8">
                  {p.field ? `${t(`itemEditor.${p.field}`, { defaultValue: p.field })}: ` : ''}
                  {problemMessage(t, p)}
                </Text>
              ))}
            </Table.Td>
          </Table.Tr>
        ) : null}
      </>
    );
  },
  (a, b) =>
    a.item === b.item &&
    a.onOpen === b.onOpen &&
    (a.problems === b.problems ||
      (a.problems.length === b.problems.length && a.problems.every((p, i) => p === b.problems[i]))),
);
