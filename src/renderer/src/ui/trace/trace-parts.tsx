import { Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TraceView } from '../../../../shared/contract/channels/trace';
import { LotLink, qty } from '../lot';

export function TraceCounts({ trace }: { trace: TraceView }) {
  const { t } = useTranslation();
  const items = [
    { key: 'backward', n: trace.backward.length },
    { key: 'forward', n: trace.forward.length },
    { key: 'shipments', n: trace.shipments.length },
    { key: 'customers', n: trace.customers.length },
  ];
  return (
    <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="trace-counts">
      {items.map((i) => (
        <Paper key={i.key} withBorder p="sm" data-testid={`count-${i.key}`}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t(`trace.counts.${i.key}`)}
          </Text>
          <Text fz={28} fw={700} lh={1.2}>
            {i.n}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

/** The recall call list: every customer that received the lot or anything made from it. */
export function CustomersTable({ trace }: { trace: TraceView }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" data-testid="trace-customers">
      <Title order={5}>{t('trace.customersTitle')}</Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t('trace.customersHelp')}
      </Text>
      {trace.customers.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('trace.noCustomers')}
        </Text>
      ) : (
        <Table striped withTableBorder fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('trace.customer')}</Table.Th>
              <Table.Th>{t('trace.customerName')}</Table.Th>
              <Table.Th>{t('trace.contact')}</Table.Th>
              <Table.Th>{t('trace.phone')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {trace.customers.map((c) => (
              <Table.Tr key={c.customer} data-testid={`customer-row-${c.customer}`}>
                <Table.Td ff="monospace" fw={600}>
                  {c.customer}
                </Table.Td>
                <Table.Td>{c.name ?? '—'}</Table.Td>
                <Table.Td>{c.contact ?? '—'}</Table.Td>
                <Table.Td fw={700} ff="monospace">
                  {c.phone ? <a href={`tel:${c.phone}`}>{c.phone}</a> : '—'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

export function ShipmentsTable({ shipments, title }: { shipments: TraceView['shipments']; title?: string }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" data-testid="trace-shipments">
      <Title order={5} mb="xs">
        {title ?? t('trace.shipmentsTitle')}
      </Title>
      {shipments.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('trace.noShipments')}
        </Text>
      ) : (
        <Stack gap={0} style={{ maxHeight: 420, overflowY: 'auto' }}>
          <Table striped withTableBorder fz="sm" stickyHeader>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('trace.shipment')}</Table.Th>
                <Table.Th>{t('trace.date')}</Table.Th>
                <Table.Th>{t('trace.lot')}</Table.Th>
                <Table.Th>{t('trace.customer')}</Table.Th>
                <Table.Th ta="right">{t('trace.quantity')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shipments.map((s) => (
                <Table.Tr key={`${s.shipment}|${s.lot}`} data-testid={`shipment-row-${s.shipment}`}>
                  <Table.Td ff="monospace">{s.shipment}</Table.Td>
                  <Table.Td>{s.date}</Table.Td>
                  <Table.Td>
                    <LotLink code={s.lot} />
                  </Table.Td>
                  <Table.Td ff="monospace">{s.customer}</Table.Td>
                  <Table.Td ta="right" ff="monospace">
                    {qty(s.quantity, s.unit)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Paper>
  );
}
