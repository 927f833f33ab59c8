import { useState } from 'react';
import { Alert, Badge, Group, Loader, Paper, Table, Text, Title } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../../core/api/hooks';
import { ErrorAlert } from '../../../ui/error-alert';

/** Local midnight of a YYYY-MM-DD date as an instant (the workstation's time zone). */
function dayStart(d: string): string {
  return new Date(`${d}T00:00:00`).toISOString();
}
function dayEnd(d: string): string {
  return new Date(`${d}T23:59:59.999`).toISOString();
}

/**
 * "Verdict changed before submission" per analyst and method (issue 19 §4): how often a saved
 * failing result was changed to another verdict before it was submitted, beside the results
 * the analyst saved for the method in the period. Each change, with its reason, is on the
 * result's review screen and in the lot's audit-trail review.
 */
export function VerdictChangeFigure() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[string | null, string | null]>([null, null]);
  const [from, to] = range;
  const fig = useCall(
    'trends.verdictChanges',
    { ...(from ? { from: dayStart(from) } : {}), ...(to ? { to: dayEnd(to) } : {}) },
    { staleTime: 0 },
  );
  const rows = fig.data ?? [];
  const total = rows.reduce((n, r) => n + r.changes, 0);
  return (
    <Paper withBorder p="sm" data-testid="verdict-change-figure">
      <Group justify="space-between" align="flex-end" mb="xs">
        <div>
          <Title order={4}>{t('trends.changes.title')}</Title>
          <Text size="sm" c="dimmed" maw={760}>
            {t('trends.changes.intro')}
          </Text>
        </div>
        <DatePickerInput
          type="range"
          label={t('trends.dates')}
          w={240}
          clearable
          valueFormat="YYYY-MM-DD"
          value={range}
          onChange={([f, tt]) => {
            if ((f && tt) || (!f && !tt)) setRange([f ?? null, tt ?? null]);
          }}
          data-testid="verdict-change-dates"
        />
      </Group>
      {fig.isLoading ? <Loader size="sm" /> : null}
      <ErrorAlert error={fig.error} />
      {fig.data && rows.length === 0 ? (
        <Alert color="gray" variant="light">
          {t('trends.changes.none')}
        </Alert>
      ) : null}
      {rows.length > 0 ? (
        <Table withTableBorder fz="sm" data-testid="verdict-change-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('trends.changes.analyst')}</Table.Th>
              <Table.Th>{t('trends.changes.method')}</Table.Th>
              <Table.Th ta="right">{t('trends.changes.changes')}</Table.Th>
              <Table.Th ta="right">{t('trends.changes.results')}</Table.Th>
              <Table.Th ta="right">{t('trends.changes.entered')}</Table.Th>
              <Table.Th ta="right">{t('trends.changes.rate')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr
                key={`${r.analyst}|${r.method ?? ''}`}
                data-testid={`verdict-change-row-${r.analyst}-${r.method ?? 'calculated'}`}
                bg={r.changes > 0 ? 'var(--mantine-color-red-0)' : undefined}
              >
                <Table.Td>
                  {r.analystName ?? r.analyst}{' '}
                  <Text span size="xs" c="dimmed" ff="monospace">
                    {r.analyst}
                  </Text>
                </Table.Td>
                <Table.Td>{r.method ?? t('trends.changes.calculated')}</Table.Td>
                <Table.Td ta="right" ff="monospace" fw={r.changes > 0 ? 700 : undefined}>
                  {r.changes > 0 ? (
                    <Badge color="red" variant="light" tt="none">
                      {r.changes}
                    </Badge>
                  ) : (
                    '0'
                  )}
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {r.results}
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {r.entered}
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {r.entered > 0 ? `${((r.results / r.entered) * 100).toFixed(1)} %` : '—'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      {total > 0 ? (
        <Text size="xs" c="dimmed" mt="xs">
          {t('trends.changes.footnote')}
        </Text>
      ) : null}
    </Paper>
  );
}
