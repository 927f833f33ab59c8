import { Anchor, Badge, Loader, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LabelComparison } from '../../../../shared/contract/channels/release-evidence';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { href } from '../../core/router';
import { ruleText } from './label-values-page';

type Row = LabelComparison['rows'][number];
type Side = NonNullable<Row['gb']>['margins'][number];

/** "≥ 10.0: +1.5 (+15.0 %)" / "≤ 20.0: +8.5 (+42.5 %)": the margin to a side, red when outside. */
function MarginText({ m, testId }: { m: Side | null; testId: string }) {
  const { t } = useTranslation();
  if (!m) return <Text size="xs">—</Text>;
  const sign = m.margin.startsWith('-') ? '' : '+';
  return (
    <Text
      size="xs"
      c={m.ok ? undefined : 'red.8'}
      fw={m.ok ? undefined : 700}
      ff="monospace"
      data-testid={testId}
      data-ok={String(m.ok)}
    >
      {t(`labels.margin.${m.side}`, { bound: m.bound })} {sign}
      {m.margin}
      {m.marginPct !== null ? ` (${sign}${m.marginPct} %)` : ''}
    </Text>
  );
}

/**
 * Every result of a finished lot against its GB limit and the product's declared value
 * (标示值), with the margin to the nearest side of each (on the reported value). Shown under
 * the release checklist's label-value line.
 */
export function LabelComparisonTable({ lotCode }: { lotCode: string }) {
  const { t, i18n } = useTranslation();
  const c = useCall('labels.compare', { lotCode }, { staleTime: 0 });
  if (c.isLoading) return <Loader size="sm" />;
  if (!c.data) return <ErrorAlert error={c.error} />;
  const zh = i18n.language.startsWith('zh');
  const rows = c.data.rows.filter((r) => r.gb || r.label);
  return (
    <Table fz="xs" withTableBorder verticalSpacing={3} mt={6} data-testid="label-comparison">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('labels.item')}</Table.Th>
          <Table.Th style={{ textAlign: 'right' }}>{t('labels.result')}</Table.Th>
          <Table.Th>{t('labels.gbLimit')}</Table.Th>
          <Table.Th>{t('labels.gbMargin')}</Table.Th>
          <Table.Th>{t('labels.declared')}</Table.Th>
          <Table.Th>{t('labels.labelMargin')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => {
          const l = r.label;
          const bad = (l && !l.ok) || r.gb?.nearest?.ok === false;
          return (
            <Table.Tr
              key={r.itemCode}
              data-testid={`label-compare-${r.itemCode}`}
              bg={bad ? 'var(--mantine-color-red-0)' : undefined}
            >
              <Table.Td>{zh ? r.nameZh : r.nameEn}</Table.Td>
              <Table.Td ff="monospace" ta="right" style={{ whiteSpace: 'nowrap' }}>
                {r.reported ?? '—'} {r.reported ? r.unit : ''}
              </Table.Td>
              <Table.Td ff="monospace">{r.gb?.limitText ?? '—'}</Table.Td>
              <Table.Td>
                <MarginText m={r.gb?.nearest ?? null} testId={`label-compare-gb-${r.itemCode}`} />
              </Table.Td>
              <Table.Td>
                {l ? (
                  <Stack gap={2} align="flex-start">
                    <Text size="xs" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                      {l.declared} {l.unit} · {ruleText(l.minPct, l.maxPct)}
                    </Text>
                    <Badge
                      size="xs"
                      color={l.ruleVerification === 'confirmed' ? 'teal' : 'orange'}
                      variant="light"
                      tt="none"
                      data-testid={`label-compare-verification-${r.itemCode}`}
                    >
                      {t(`labels.verification.${l.ruleVerification}`)}
                    </Badge>
                  </Stack>
                ) : (
                  <Text size="xs" c="dimmed">
                    {t('labels.notDeclared')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {l ? (
                  l.comparable === 'ok' ? (
                    <MarginText m={l.nearest} testId={`label-compare-label-${r.itemCode}`} />
                  ) : (
                    <Text size="xs" c="red.8" fw={700} data-testid={`label-compare-label-${r.itemCode}`}>
                      {t(`labels.comparable.${l.comparable}`)}
                    </Text>
                  )
                ) : (
                  '—'
                )}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
      {c.data.productCode ? (
        <Table.Caption>
          <Anchor href={href('/labels', { product: c.data.productCode })} size="xs">
            {t('labels.openProduct')}
          </Anchor>
        </Table.Caption>
      ) : null}
    </Table>
  );
}
