import { Group, Paper, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TraceView } from '../../../../shared/contract/channels/trace';
import { massBalanceRows } from '../../../../shared/contract/channels/trace';

const rows = massBalanceRows;

/** 95–100 % accounted is in range (green); anything else needs a look (red). */
export function pctTone(pct: string): 'green' | 'red' | 'gray' {
  if (pct === '') return 'gray';
  const v = Number(pct);
  if (!Number.isFinite(v)) return 'gray';
  return v >= 95 && v <= 100 ? 'green' : 'red';
}

/** The root's mass balance: accounted = consumed + shipped + on hand + sampled + wasted − returned + adjusted. */
export function MassBalance({ mb, lot }: { mb: TraceView['mass_balance']; lot: string }) {
  const { t } = useTranslation();
  const tone = pctTone(mb.accounted_pct);
  return (
    <Paper withBorder p="sm" data-testid="mass-balance">
      <Group justify="space-between" mb="xs" wrap="nowrap" align="flex-start">
        <div>
          <Title order={5}>{t('trace.massBalance.title', { lot })}</Title>
          <Text size="xs" c="dimmed">
            {t('trace.massBalance.formula')}
          </Text>
        </div>
        <Paper
          px="md"
          py={4}
          radius="md"
          bg={tone === 'green' ? 'green.7' : tone === 'red' ? 'red.7' : 'gray.6'}
          data-testid="mass-balance-pct"
          data-tone={tone}
          style={{ flexShrink: 0 }}
        >
          <Text c="white" fw={700} fz={22} style={{ whiteSpace: 'nowrap' }}>
            {mb.accounted_pct === '' ? '—' : `${mb.accounted_pct} %`}
          </Text>
        </Paper>
      </Group>
      <Table striped withTableBorder withColumnBorders fz="sm">
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr
              key={r}
              data-testid={`mb-${r}`}
              fw={r === 'accounted' || r === 'received_or_produced' ? 700 : undefined}
            >
              <Table.Td>{t(`trace.massBalance.${r}`)}</Table.Td>
              <Table.Td ta="right" ff="monospace">
                {r === 'returned' && mb[r] !== '0' ? '−' : ''}
                {mb[r]} {mb.unit}
              </Table.Td>
            </Table.Tr>
          ))}
          <Table.Tr data-testid="mb-accounted_pct">
            <Table.Td fw={700}>{t('trace.massBalance.accounted_pct')}</Table.Td>
            <Table.Td
              ta="right"
              ff="monospace"
              fw={700}
              c={tone === 'gray' ? undefined : tone === 'green' ? 'green.8' : 'red.8'}
            >
              {mb.accounted_pct === '' ? '—' : `${mb.accounted_pct} %`}
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt={4}>
        {t('trace.massBalance.target')}
      </Text>
      {tone === 'red' && Number(mb.accounted_pct) < 95 && mb.on_hand === '0' ? (
        <Text size="sm" c="orange.9" mt={4} data-testid="mass-balance-no-count">
          {t('trace.massBalance.noCount', { lot })}
        </Text>
      ) : null}
    </Paper>
  );
}
