import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { DataTable } from 'mantine-datatable';
import { useTranslation } from 'react-i18next';
import type { SpecificationView } from '../../../../../shared/contract/channels/catalog';
import { useCall } from '../../../core/api/hooks';
import { ErrorAlert } from '../../../ui/error-alert';
import { href } from '../../../core/router';
import { statusColor } from './spec-format';

/** Every specification with its versions: each version badge opens the editor. */
export function SpecList() {
  const { t, i18n } = useTranslation();
  const list = useCall('specs.list', {});
  const zh = i18n.language.startsWith('zh');
  return (
    <Stack data-testid="spec-list">
      <ErrorAlert error={list.error} />
      <DataTable<SpecificationView>
        withTableBorder
        borderRadius="sm"
        striped
        minHeight={160}
        fetching={list.isFetching && !list.data}
        records={list.data ?? []}
        noRecordsText={t('specs.list.empty')}
        customRowAttributes={(s) => ({ 'data-testid': `spec-row-${s.code}` })}
        columns={[
          { accessor: 'code', title: t('specs.list.code'), render: (s) => <Text fw={600}>{s.code}</Text> },
          { accessor: 'title', title: t('specs.list.title'), render: (s) => (zh ? s.titleZh : s.titleEn) },
          {
            accessor: 'subject',
            title: t('specs.list.subject'),
            render: (s) => (
              <Anchor href={href(`/catalog/${s.subjectKind}/${s.subjectId}`)} size="sm">
                {s.subjectCode} · {zh ? s.subjectNameZh : s.subjectName}
              </Anchor>
            ),
          },
          { accessor: 'standard', title: t('specs.list.standard'), render: (s) => s.standard ?? '—' },
          {
            accessor: 'versions',
            title: t('specs.list.latest'),
            render: (s) => (
              <Group gap={6}>
                {s.versions.map((v) => (
                  <Anchor
                    key={v.id}
                    href={href(`/specs/version/${v.id}`)}
                    data-testid={`spec-version-link-${s.code}-${v.version}`}
                  >
                    <Badge color={statusColor[v.status]} variant="light" tt="none" style={{ cursor: 'pointer' }}>
                      {t('specs.versionShort', { version: v.version })} · {t(`specs.status.${v.status}`)}
                      {v.status === 'draft' && v.flagged > 0
                        ? ` · ${t('specs.flaggedCount', { count: v.flagged })}`
                        : ''}
                    </Badge>
                  </Anchor>
                ))}
              </Group>
            ),
          },
        ]}
      />
    </Stack>
  );
}
