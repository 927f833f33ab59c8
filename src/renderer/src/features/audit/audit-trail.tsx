import { useMemo, useState } from 'react';
import {
  Badge,
  Box,
  Button,
  CloseButton,
  Group,
  Paper,
  ScrollArea,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import type { AuditFilter } from '../../../../shared/contract';
import { ErrorAlert } from '../../ui/error-alert';
import { GridCell as Cell, PagedListView, usePagedList } from '../../ui/paged-list';
import { formatTime, shortId, zoneLabel } from '../../ui/format';
import { machineReason } from '../../../../shared/i18n/words';
import { navigate, useRoute } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { AuditEntryDetail } from './audit-entry-detail';
import { CsvExportButton } from './export-tab';
import {
  actionLabel,
  emptyFilterParams,
  entityLabel,
  paramsFromUrl,
  toAuditFilter,
  type AuditFilterParams,
} from './filter';

/** Rows per `audit.query` page, and the fixed row height the virtualiser relies on. */
const PAGE = 200;
// 32 px × 1,000,000 rows stays under Chromium's ~33.5 million pixel element-height limit.
const ROW_HEIGHT = 32;
const COLUMNS = '72px 170px minmax(140px,1.2fr) 150px minmax(160px,1.4fr) minmax(120px,1.5fr)';

function pageInput(filter: AuditFilter, page: number) {
  return { filter, offset: page * PAGE, limit: PAGE };
}

export function AuditTrail() {
  const { t } = useTranslation();
  const route = useRoute();
  const session = useSession();
  const applied = useMemo(() => paramsFromUrl(route.params), [route.params]);
  const filter = useMemo(() => toAuditFilter(applied), [applied]);
  const [draft, setDraft] = useState<AuditFilterParams>(applied);
  const [draftKey, setDraftKey] = useState(route.params.toString());
  // When the URL changes (history link, back button), the filter bar follows it.
  if (draftKey !== route.params.toString()) {
    setDraftKey(route.params.toString());
    setDraft(applied);
  }
  const [selected, setSelected] = useState<number | null>(null);

  const apply = (p: AuditFilterParams) => {
    navigate('/audit', { tab: 'trail', ...p });
  };

  const list = usePagedList({
    channel: 'audit.query',
    input: (page) => pageInput(filter, page),
    rows: (out) => out.entries,
    total: (out) => out.total,
    pageSize: PAGE,
    rowHeight: ROW_HEIGHT,
    overscan: 30,
    staleTime: 60_000,
  });
  const { first, total } = list;

  const set = (k: keyof AuditFilterParams) => (e: { currentTarget: { value: string } }) =>
    setDraft({ ...draft, [k]: e.currentTarget.value });

  return (
    <Stack>
      <Paper withBorder p="sm">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            apply(draft);
          }}
        >
          <Group align="flex-end" gap="sm">
            <TextInput
              label={t('audit.entity')}
              w={130}
              value={draft.entity}
              onChange={set('entity')}
              // A record-type code (lot, test_result); its word below.
              description={draft.entity ? entityLabel(t, draft.entity) : undefined}
              data-kind="code"
              data-testid="audit-filter-entity"
            />
            <TextInput
              label={t('audit.entityId')}
              w={160}
              value={draft.id}
              onChange={set('id')}
              data-testid="audit-filter-id"
            />
            <TextInput
              label={t('audit.user')}
              w={130}
              value={draft.user}
              onChange={set('user')}
              data-testid="audit-filter-user"
            />
            <TextInput
              label={t('audit.action')}
              w={130}
              value={draft.action}
              onChange={set('action')}
              data-testid="audit-filter-action"
            />
            <DatePickerInput
              type="range"
              label={t('audit.dates')}
              w={240}
              clearable
              valueFormat="YYYY-MM-DD"
              value={[draft.from || null, draft.to || null]}
              onChange={([from, to]) => setDraft({ ...draft, from: from ?? '', to: to ?? '' })}
              data-testid="audit-filter-dates"
            />
            <Button type="submit" data-testid="audit-filter-apply">
              {t('common.apply')}
            </Button>
            <Button variant="default" onClick={() => apply(emptyFilterParams)} data-testid="audit-filter-clear">
              {t('common.clear')}
            </Button>
            {hasPermission(session, 'ledger.export') ? (
              <Box ml="auto">
                <CsvExportButton filter={filter} label={t('audit.exportCsv')} testId="audit-export" />
              </Box>
            ) : null}
          </Group>
        </form>
      </Paper>
      <ErrorAlert error={first.error} />
      <Group justify="space-between">
        <Text size="sm" c="dimmed" data-testid="audit-total">
          {first.data ? t('audit.total', { count: total }) : t('common.loading')}
        </Text>
      </Group>
      <Group align="flex-start" wrap="nowrap" gap="sm">
        <Paper withBorder style={{ flex: 1, minWidth: 0 }}>
          <PagedListView
            list={list}
            columns={COLUMNS}
            header={['audit.seq', 'audit.at', 'audit.who', 'audit.action', 'audit.record', 'audit.reason'].map((k) =>
              k === 'audit.at' ? `${t(k)}（${zoneLabel()}）` : t(k),
            )}
            height="calc(100vh - 300px)"
            testId="audit-list"
            empty={t('audit.empty')}
            emptyTestId="audit-empty"
            loading={t('audit.loadingRow')}
            loadingTestId="audit-row-loading"
            row={(e) => ({
              testId: 'audit-row',
              attributes: { 'data-seq': e.seq },
              onOpen: () => setSelected(e.seq),
              openKeys: ['Enter', ' '],
              selected: e.seq === selected,
              cells: (
                <>
                  <Cell>{e.seq}</Cell>
                  <Cell>{formatTime(e.at)}</Cell>
                  <Cell title={e.actorId}>
                    {e.actorName} ({e.actorId})
                  </Cell>
                  <Cell>
                    <Badge variant="light" size="sm" tt="none" title={e.action}>
                      {actionLabel(t, e.action)}
                    </Badge>
                  </Cell>
                  <Cell title={`${e.entity} / ${e.entityId}`}>
                    {entityLabel(t, e.entity)} / <code>{shortId(e.entityId)}</code>
                  </Cell>
                  <Cell title={e.reason ?? undefined}>{machineReason(t, e.reason)}</Cell>
                </>
              ),
            })}
          />
        </Paper>
        {selected !== null ? (
          <Paper withBorder p="sm" w={480} style={{ flexShrink: 0 }} data-testid="audit-detail-panel">
            <Group justify="space-between" mb="xs">
              <Title order={4}>{t('audit.detailTitle', { seq: selected })}</Title>
              <CloseButton
                aria-label={t('common.close')}
                onClick={() => setSelected(null)}
                data-testid="audit-detail-close"
              />
            </Group>
            <ScrollArea.Autosize mah="calc(100vh - 300px)">
              <AuditEntryDetail seq={selected} onNavigate={() => setSelected(null)} />
            </ScrollArea.Autosize>
          </Paper>
        ) : null}
      </Group>
    </Stack>
  );
}
