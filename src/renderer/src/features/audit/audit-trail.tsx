import { useMemo, useRef, useState, type ReactNode } from 'react';
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
import { useQueries } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { AuditEntryView, AuditFilter } from '../../../../shared/contract';
import { call } from '../../core/api/client';
import { callKey, useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
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

  const scrollRef = useRef<HTMLDivElement>(null);

  const apply = (p: AuditFilterParams) => {
    navigate('/audit', { tab: 'trail', ...p });
  };

  // Page 0 gives the total; further pages are fetched as their rows scroll into view.
  const first = useCall('audit.query', pageInput(filter, 0), { staleTime: 60_000 });
  const total = first.data?.total ?? 0;

  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the list re-renders on scroll by design
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 30,
  });
  const virtualItems = virtualizer.getVirtualItems();
  const visiblePages: number[] = [];
  if (virtualItems.length > 0) {
    const firstPage = Math.floor((virtualItems[0]?.index ?? 0) / PAGE);
    const lastPage = Math.floor((virtualItems[virtualItems.length - 1]?.index ?? 0) / PAGE);
    for (let p = Math.max(1, firstPage); p <= lastPage; p++) visiblePages.push(p);
  }
  const pages = useQueries({
    queries: visiblePages.map((page) => ({
      queryKey: callKey('audit.query', pageInput(filter, page)),
      queryFn: () => call('audit.query', pageInput(filter, page)),
      staleTime: 60_000,
    })),
  });
  const byPage = new Map<number, AuditEntryView[]>();
  if (first.data) byPage.set(0, first.data.entries);
  visiblePages.forEach((page, i) => {
    const d = pages[i]?.data;
    if (d) byPage.set(page, d.entries);
  });

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
          <div
            style={{
              display: 'grid',
              gridTemplateColumns: COLUMNS,
              fontWeight: 600,
              fontSize: 13,
              borderBottom: '1px solid var(--mantine-color-gray-3)',
            }}
            className="audit-row-header"
          >
            {['audit.seq', 'audit.at', 'audit.who', 'audit.action', 'audit.record', 'audit.reason'].map((k) => (
              <div key={k} style={{ padding: '6px 8px' }}>
                {t(k)}
              </div>
            ))}
          </div>
          <div
            ref={scrollRef}
            style={{ height: 'calc(100vh - 300px)', minHeight: 240, overflow: 'auto' }}
            data-testid="audit-list"
          >
            {first.data && total === 0 ? (
              <Text p="md" c="dimmed" data-testid="audit-empty">
                {t('audit.empty')}
              </Text>
            ) : null}
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
              {virtualItems.map((item) => {
                const e = byPage.get(Math.floor(item.index / PAGE))?.[item.index % PAGE];
                return (
                  <div
                    key={item.key}
                    role="row"
                    tabIndex={e ? 0 : -1}
                    data-testid={e ? 'audit-row' : 'audit-row-loading'}
                    data-seq={e?.seq}
                    onClick={() => e && setSelected(e.seq)}
                    onKeyDown={(ev) => {
                      if (e && (ev.key === 'Enter' || ev.key === ' ')) setSelected(e.seq);
                    }}
                    style={{
                      position: 'absolute',
                      top: 0,
                      left: 0,
                      width: '100%',
                      height: ROW_HEIGHT,
                      transform: `translateY(${item.start}px)`,
                      display: 'grid',
                      gridTemplateColumns: COLUMNS,
                      alignItems: 'center',
                      fontSize: 13,
                      cursor: e ? 'pointer' : 'default',
                      borderBottom: '1px solid var(--mantine-color-gray-2)',
                      background:
                        e && e.seq === selected
                          ? 'var(--mantine-color-teal-0)'
                          : item.index % 2
                            ? 'var(--mantine-color-gray-0)'
                            : undefined,
                    }}
                  >
                    {e ? (
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
                          {entityLabel(t, e.entity)} / {e.entityId}
                        </Cell>
                        <Cell title={e.reason ?? undefined}>{e.reason ?? ''}</Cell>
                      </>
                    ) : (
                      <Cell>{t('audit.loadingRow')}</Cell>
                    )}
                  </div>
                );
              })}
            </div>
          </div>
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

function Cell({ children, title }: { children: ReactNode; title?: string | undefined }) {
  return (
    <div style={{ padding: '0 8px', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={title}>
      {children}
    </div>
  );
}
