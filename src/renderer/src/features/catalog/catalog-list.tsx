import { useState } from 'react';
import { Anchor, Badge, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { DataTable, type DataTableColumn } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type {
  CustomerView,
  LineView,
  MaterialView,
  MethodView,
  ProductView,
  SupplierView,
} from '../../../../shared/contract/channels/catalog';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { CatalogFormModal } from './catalog-form-modal';
import { managePermission, type AnyCatalogView, type CatalogKind } from './catalog-kinds';

const approvalColor = { approved: 'green', not_approved: 'gray', suspended: 'red' } as const;

/** One catalogue kind: search, list, New and Edit (Edit asks for a reason). */
export function CatalogList({ kind }: { kind: CatalogKind }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const canManage = hasPermission(session, managePermission(kind)) && !session.readOnly;
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const list = useCall(`catalog.${kind}.list` as 'catalog.products.list', debounced ? { search: debounced } : {});
  const records = (list.data ?? []) as unknown as AnyCatalogView[];
  const [form, setForm] = useState<{ record: AnyCatalogView | null } | null>(null);
  const zh = i18n.language.startsWith('zh');

  const subjectLink = (kindPath: 'product' | 'material', v: { id: string; code: string }) => (
    <Anchor href={href(`/catalog/${kindPath}/${v.id}`)} data-testid={`catalog-open-${v.code}`} fw={600}>
      {v.code}
    </Anchor>
  );
  const bilingual = (main: string, other: string) => (
    <Stack gap={0}>
      <Text size="sm">{main}</Text>
      {other && other !== main ? (
        <Text size="xs" c="dimmed">
          {other}
        </Text>
      ) : null}
    </Stack>
  );
  const date = (v: string | null) => v ?? '—';

  const columnsByKind: Record<CatalogKind, Array<DataTableColumn<AnyCatalogView>>> = {
    products: [
      { accessor: 'code', title: t('catalog.fields.code'), render: (v) => subjectLink('product', v) },
      {
        accessor: 'name',
        title: t('catalog.fields.name'),
        render: (r) => {
          const v = r as ProductView;
          return zh ? bilingual(v.nameZh, v.nameEn) : bilingual(v.nameEn, v.nameZh);
        },
      },
      {
        accessor: 'stage',
        title: t('catalog.fields.stage'),
        render: (r) => {
          const v = r as ProductView;
          return (
            <Stack gap={2}>
              <Text size="sm">{t(`catalog.stages.${v.stage}`)}</Text>
              <Badge size="xs" variant="light" tt="none" color={v.stage === 'other_dairy' ? 'gray' : 'indigo'}>
                {t(`catalog.stageStandard.${v.stage}`)}
              </Badge>
            </Stack>
          );
        },
      },
      {
        accessor: 'proteinBase',
        title: t('catalog.fields.protein_base'),
        render: (r) => t(`catalog.proteinBases.${(r as ProductView).proteinBase}`),
      },
      {
        accessor: 'registrationNo',
        title: t('catalog.fields.registration_no'),
        render: (r) => (r as ProductView).registrationNo ?? '—',
      },
      {
        accessor: 'packSizes',
        title: t('catalog.fields.pack_sizes'),
        render: (r) => (
          <Group gap={4}>
            {(r as ProductView).packSizes.map((p) => (
              <Badge key={p} size="sm" variant="outline" tt="none" color="gray">
                {p}
              </Badge>
            ))}
          </Group>
        ),
      },
      {
        accessor: 'shelfLifeDays',
        title: t('catalog.fields.shelf_life_days'),
        render: (r) => (r as ProductView).shelfLifeDays ?? '—',
      },
    ],
    materials: [
      { accessor: 'code', title: t('catalog.fields.code'), render: (v) => subjectLink('material', v) },
      {
        accessor: 'name',
        title: t('catalog.fields.name'),
        render: (r) => {
          const v = r as MaterialView;
          return zh ? bilingual(v.nameZh, v.nameEn) : bilingual(v.nameEn, v.nameZh);
        },
      },
      {
        accessor: 'kind',
        title: t('catalog.fields.kind'),
        render: (r) => t(`catalog.materialKinds.${(r as MaterialView).kind}`),
      },
      {
        accessor: 'defaultUnit',
        title: t('catalog.fields.default_unit'),
        render: (r) => t(`catalog.units.${(r as MaterialView).defaultUnit}`),
      },
    ],
    suppliers: [
      { accessor: 'code', title: t('catalog.fields.code') },
      { accessor: 'name', title: t('catalog.fields.name') },
      {
        accessor: 'kind',
        title: t('catalog.fields.kind'),
        render: (r) => t(`catalog.supplierKinds.${(r as SupplierView).kind}`),
      },
      {
        accessor: 'approvalStatus',
        title: t('catalog.fields.approval_status'),
        render: (r) => {
          const v = r as SupplierView;
          return (
            <Stack gap={2}>
              <Badge color={approvalColor[v.approvalStatus]} variant="light" tt="none">
                {t(`catalog.approvalStatuses.${v.approvalStatus}`)}
              </Badge>
              {v.approvedOn ? (
                <Text size="xs" c="dimmed">
                  {t('catalog.fields.approved_on')}: {v.approvedOn}
                </Text>
              ) : null}
            </Stack>
          );
        },
      },
      {
        accessor: 'lastAuditOn',
        title: t('catalog.fields.last_audit_on'),
        render: (r) => date((r as SupplierView).lastAuditOn),
      },
      {
        accessor: 'nextAuditDue',
        title: t('catalog.fields.next_audit_due'),
        render: (r) => date((r as SupplierView).nextAuditDue),
      },
      {
        accessor: 'contact',
        title: t('catalog.fields.contact'),
        render: (r) => {
          const v = r as SupplierView;
          return [v.contact, v.phone].filter(Boolean).join(' · ') || '—';
        },
      },
    ],
    customers: [
      { accessor: 'code', title: t('catalog.fields.code') },
      { accessor: 'name', title: t('catalog.fields.name') },
      {
        accessor: 'contact',
        title: t('catalog.fields.recall_contact'),
        render: (r) => (r as CustomerView).contact ?? '—',
      },
      { accessor: 'phone', title: t('catalog.fields.recall_phone'), render: (r) => (r as CustomerView).phone ?? '—' },
      { accessor: 'address', title: t('catalog.fields.address'), render: (r) => (r as CustomerView).address ?? '—' },
    ],
    methods: [
      { accessor: 'code', title: t('catalog.fields.code') },
      {
        accessor: 'title',
        title: t('catalog.fields.name'),
        render: (r) => {
          const v = r as MethodView;
          return zh ? bilingual(v.titleZh, v.titleEn) : bilingual(v.titleEn, v.titleZh);
        },
      },
      { accessor: 'analyte', title: t('catalog.fields.analyte') },
      { accessor: 'unit', title: t('catalog.fields.unit'), render: (r) => (r as MethodView).unit || '—' },
      { accessor: 'lod', title: 'LOD', render: (r) => (r as MethodView).lod ?? '—' },
      { accessor: 'loq', title: 'LOQ', render: (r) => (r as MethodView).loq ?? '—' },
      {
        accessor: 'inHouse',
        title: t('catalog.inHouse'),
        render: (r) =>
          (r as MethodView).inHouse ? (
            <Badge color="teal" variant="light" tt="none">
              {t('catalog.inHouse')}
            </Badge>
          ) : (
            <Badge color="gray" variant="light" tt="none">
              {t('catalog.external')}
            </Badge>
          ),
      },
    ],
    lines: [
      { accessor: 'code', title: t('catalog.fields.code') },
      {
        accessor: 'name',
        title: t('catalog.fields.name'),
        render: (r) => {
          const v = r as LineView;
          return zh ? bilingual(v.nameZh, v.nameEn) : bilingual(v.nameEn, v.nameZh);
        },
      },
      { accessor: 'site', title: t('guide.lines.site'), render: (r) => (r as LineView).site ?? '—' },
      {
        accessor: 'active',
        title: t('guide.lines.active'),
        render: (r) =>
          (r as LineView).active ? (
            <Badge color="green" variant="light" tt="none">
              {t('guide.lines.inUse')}
            </Badge>
          ) : (
            <Badge color="gray" variant="light" tt="none">
              {t('guide.lines.notInUse')}
            </Badge>
          ),
      },
    ],
  };

  const columns: Array<DataTableColumn<AnyCatalogView>> = [
    ...columnsByKind[kind],
    ...(canManage
      ? [
          {
            accessor: 'actions',
            title: '',
            textAlign: 'right' as const,
            render: (v: AnyCatalogView) => (
              <Button
                size="compact-xs"
                variant="light"
                onClick={() => setForm({ record: v })}
                data-testid={`catalog-edit-${v.code}`}
              >
                {t('catalog.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Stack data-testid={`catalog-list-${kind}`}>
      <Group justify="space-between" align="flex-end">
        <TextInput
          label={t('catalog.search')}
          placeholder={t('catalog.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={320}
          data-testid="catalog-search"
        />
        {canManage ? (
          <Button onClick={() => setForm({ record: null })} data-testid="catalog-new">
            {t('catalog.new')}
          </Button>
        ) : (
          <Text size="xs" c="dimmed">
            {t('catalog.noPermission')}
          </Text>
        )}
      </Group>
      <ErrorAlert error={list.error} />
      <DataTable<AnyCatalogView>
        withTableBorder
        borderRadius="sm"
        striped
        highlightOnHover
        minHeight={160}
        fetching={list.isFetching && !list.data}
        records={records}
        columns={columns}
        noRecordsText={t('catalog.empty')}
        customRowAttributes={(v) => ({ 'data-testid': `catalog-row-${v.code}` })}
      />
      <CatalogFormModal
        kind={kind}
        record={form?.record ?? null}
        opened={form !== null}
        onClose={() => setForm(null)}
      />
    </Stack>
  );
}
