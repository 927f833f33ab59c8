import { useState } from 'react';
import { Button, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import { lotKinds, lotStatuses, type LotView } from '../../../../shared/contract/channels/lots';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { href, navigate, useRoute } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { KindLabel, LotLink, StatusBadge, qty } from '../../ui/lot';
import { LotPage } from './lot-page';
import { NoLotsYet } from './first-lot';

const PAGE_SIZE = 50;

/** `#/lots` is the list; `#/lots/<code>` the page of one lot. */
export function LotsSection() {
  const route = useRoute();
  const rest = route.path.replace(/^\/lots\/?/, '');
  if (rest) {
    let code = rest;
    try {
      code = decodeURIComponent(rest);
    } catch {
      /* keep as typed */
    }
    return <LotPage code={code} />;
  }
  return <LotsList />;
}

/** The actions a production user starts from the lots section. */
export function LotActions() {
  const { t } = useTranslation();
  const session = useSession();
  if (!hasPermission(session, 'lots.record') || session.readOnly) return null;
  const actions = [
    { key: 'receiveDelivery', to: href('/receiving', { form: 'delivery' }) },
    { key: 'receiveTanker', to: href('/receiving', { form: 'tanker' }) },
    { key: 'batch', to: href('/batches') },
    { key: 'shipment', to: href('/shipments') },
    { key: 'stock', to: href('/stock') },
    ...(hasPermission(session, 'erp.import') ? [{ key: 'import', to: href('/import') }] : []),
  ];
  return (
    <Group gap="xs" data-testid="lot-actions">
      {actions.map((a) => (
        <Button
          key={a.key}
          component="a"
          href={a.to}
          variant={a.key.startsWith('receive') ? 'filled' : 'light'}
          data-testid={`action-${a.key}`}
        >
          {t(`lots.actions.${a.key}`)}
        </Button>
      ))}
    </Group>
  );
}

function LotsList() {
  const { t } = useTranslation();
  const route = useRoute();
  const kind = route.params.get('kind') ?? '';
  const status = route.params.get('status') ?? '';
  const [search, setSearch] = useState(route.params.get('q') ?? '');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const [page, setPage] = useState(1);
  const list = useCall(
    'lots.list',
    {
      ...(kind ? { kind: kind as LotView['kind'] } : {}),
      ...(status ? { status: status as LotView['status'] } : {}),
      ...(debounced ? { search: debounced } : {}),
      offset: (page - 1) * PAGE_SIZE,
      limit: PAGE_SIZE,
    },
    { staleTime: 0 },
  );
  const setFilter = (k: 'kind' | 'status', v: string | null) => {
    setPage(1);
    navigate('/lots', { kind: k === 'kind' ? v : kind, status: k === 'status' ? v : status, q: search.trim() });
  };

  return (
    <Stack data-testid="lots-page">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t('lots.title')}</Title>
          <Text c="dimmed" size="sm">
            {t('lots.intro')}
          </Text>
        </div>
      </Group>
      <LotActions />
      <Paper withBorder p="sm">
        <Group align="flex-end">
          <TextInput
            label={t('lots.search')}
            placeholder={t('lots.searchPlaceholder')}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              setPage(1);
            }}
            w={300}
            data-testid="lots-search"
          />
          <Select
            label={t('lots.kind')}
            placeholder={t('lots.allKinds')}
            clearable
            value={kind || null}
            onChange={(v) => setFilter('kind', v)}
            data={lotKinds.map((k) => ({ value: k, label: t(`lots.kinds.${k}`) }))}
            data-testid="lots-filter-kind"
          />
          <Select
            label={t('lots.statusLabel')}
            placeholder={t('lots.allStatuses')}
            clearable
            value={status || null}
            onChange={(v) => setFilter('status', v)}
            data={lotStatuses.map((s) => ({ value: s, label: t(`lots.status.${s}`) }))}
            data-testid="lots-filter-status"
          />
        </Group>
      </Paper>
      <ErrorAlert error={list.error} />
      {list.data && list.data.total === 0 && !kind && !status && !debounced ? (
        <NoLotsYet />
      ) : (
        <DataTable<LotView>
          withTableBorder
          borderRadius="sm"
          striped
          highlightOnHover
          minHeight={180}
          fetching={list.isFetching && !list.data}
          records={list.data?.lots ?? []}
          totalRecords={list.data?.total ?? 0}
          recordsPerPage={PAGE_SIZE}
          page={page}
          onPageChange={setPage}
          paginationText={({ from, to, totalRecords }) => t('lots.pagination', { from, to, total: totalRecords })}
          noRecordsText={t('lots.empty')}
          customRowAttributes={(l) => ({ 'data-testid': `lot-row-${l.code}` })}
          columns={[
            { accessor: 'code', title: t('lots.fields.code'), render: (l) => <LotLink code={l.code} /> },
            { accessor: 'kind', title: t('lots.fields.kind'), render: (l) => <KindLabel kind={l.kind} /> },
            {
              accessor: 'itemCode',
              title: t('lots.fields.item'),
              render: (l) => (
                <Stack gap={0}>
                  <Text size="sm" ff="monospace">
                    {l.itemCode}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {l.itemName}
                  </Text>
                </Stack>
              ),
            },
            { accessor: 'date', title: t('lots.fields.date') },
            { accessor: 'supplierCode', title: t('lots.fields.supplier'), render: (l) => l.supplierCode ?? '—' },
            {
              accessor: 'quantity',
              title: t('lots.fields.quantity'),
              textAlign: 'right',
              render: (l) => qty(l.quantity, l.unit),
            },
            {
              accessor: 'remaining',
              title: t('lots.fields.remaining'),
              textAlign: 'right',
              render: (l) => (
                <Text size="sm" fw={600} ff="monospace">
                  {qty(l.remaining, l.unit)}
                </Text>
              ),
            },
            { accessor: 'status', title: t('lots.fields.status'), render: (l) => <StatusBadge status={l.status} /> },
          ]}
        />
      )}
    </Stack>
  );
}
