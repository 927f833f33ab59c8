import { useMemo, useState } from 'react';
import { Button, Chip, CloseButton, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import {
  sampleKinds,
  sampleStatuses,
  type SampleKind,
  type SampleStatus,
} from '../../../../shared/contract/channels/samples';
import { ErrorAlert } from '../../ui/error-alert';
import { GridCell as Cell, PagedListView, usePagedList } from '../../ui/paged-list';
import { formatTime } from '../../ui/format';
import { navigate, useRoute } from '../../core/router';
import { SampleStatusBadge, sampleHref } from '../../ui/sample';
import { SamplesTabs } from './samples-tabs';
import { deleteView, emptySampleFilter, filterFromParams, loadViews, saveView, type SampleFilter } from './saved-views';

const PAGE = 100;
const ROW_HEIGHT = 34;
const COLUMNS = '150px minmax(140px,1fr) 120px minmax(120px,1fr) minmax(140px,1.2fr) 170px 110px';

function listInput(f: SampleFilter, page: number) {
  return {
    ...(f.kind ? { kind: f.kind as SampleKind } : {}),
    ...(f.status ? { status: f.status as SampleStatus } : {}),
    ...(f.lot ? { lotCode: f.lot } : {}),
    ...(f.site ? { siteCode: f.site } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    ...(f.q ? { search: f.q } : {}),
    offset: page * PAGE,
    limit: PAGE,
  };
}

/** All samples, virtualised: filter, save the filter as a view, open a sample. */
export function SampleListPage() {
  const { t } = useTranslation();
  const route = useRoute();
  const applied = useMemo(() => filterFromParams(route.params), [route.params]);
  const [draft, setDraft] = useState<SampleFilter>(applied);
  const [draftKey, setDraftKey] = useState(route.params.toString());
  if (draftKey !== route.params.toString()) {
    setDraftKey(route.params.toString());
    setDraft(applied);
  }
  const [views, setViews] = useState(loadViews);
  const [viewName, setViewName] = useState('');
  const apply = (f: SampleFilter) => navigate('/sample-list', { ...f });

  const list = usePagedList({
    channel: 'samples.list',
    input: (page) => listInput(applied, page),
    rows: (out) => out.samples,
    total: (out) => out.total,
    pageSize: PAGE,
    rowHeight: ROW_HEIGHT,
    overscan: 20,
    staleTime: 30_000,
  });
  const { first, total } = list;
  const set = (k: keyof SampleFilter) => (e: { currentTarget: { value: string } }) =>
    setDraft({ ...draft, [k]: e.currentTarget.value });

  return (
    <Stack data-testid="sample-list-page">
      <SamplesTabs active="list" />
      <div>
        <Title order={2}>{t('samples.list.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('samples.list.intro')}
        </Text>
      </div>
      <Paper withBorder p="sm">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            apply(draft);
          }}
        >
          <Group align="flex-end" gap="sm">
            <TextInput label={t('samples.list.search')} placeholder={t('samples.list.searchPlaceholder')} w={200} value={draft.q} onChange={set('q')} data-testid="samples-filter-q" />
            <Select
              label={t('samples.fields.kind')}
              placeholder={t('samples.list.all')}
              clearable
              w={200}
              value={draft.kind || null}
              onChange={(v) => setDraft({ ...draft, kind: v ?? '' })}
              data={sampleKinds.map((k) => ({ value: k, label: t(`samples.kinds.${k}`) }))}
              data-testid="samples-filter-kind"
            />
            <Select
              label={t('samples.fields.status')}
              placeholder={t('samples.list.all')}
              clearable
              w={150}
              value={draft.status || null}
              onChange={(v) => setDraft({ ...draft, status: v ?? '' })}
              data={sampleStatuses.map((s) => ({ value: s, label: t(`samples.status.${s}`) }))}
              data-testid="samples-filter-status"
            />
            <TextInput label={t('samples.fields.lot')} w={150} value={draft.lot} onChange={set('lot')} data-testid="samples-filter-lot" />
            <TextInput label={t('samples.fields.site')} w={120} value={draft.site} onChange={set('site')} data-testid="samples-filter-site" />
            <DatePickerInput
              type="range"
              label={t('samples.list.dates')}
              w={230}
              clearable
              valueFormat="YYYY-MM-DD"
              value={[draft.from || null, draft.to || null]}
              onChange={([from, to]) => setDraft({ ...draft, from: from ?? '', to: to ?? '' })}
              data-testid="samples-filter-dates"
            />
            <Button type="submit" data-testid="samples-filter-apply">
              {t('common.apply')}
            </Button>
            <Button variant="default" onClick={() => apply(emptySampleFilter)} data-testid="samples-filter-clear">
              {t('common.clear')}
            </Button>
          </Group>
        </form>
        <Group mt="sm" gap="xs" align="center" data-testid="saved-views">
          <Text size="sm" fw={600}>
            {t('samples.list.savedViews')}
          </Text>
          {views.length === 0 ? (
            <Text size="xs" c="dimmed">
              {t('samples.list.noViews')}
            </Text>
          ) : null}
          {views.map((v) => (
            <Group key={v.name} gap={0} wrap="nowrap">
              <Chip
                size="xs"
                checked={JSON.stringify(v.filter) === JSON.stringify(applied)}
                onChange={() => apply(v.filter)}
                data-testid={`saved-view-${v.name}`}
              >
                {v.name}
              </Chip>
              <CloseButton size="xs" aria-label={t('samples.list.deleteView', { name: v.name })} onClick={() => setViews(deleteView(v.name))} />
            </Group>
          ))}
          <TextInput
            size="xs"
            w={160}
            placeholder={t('samples.list.viewName')}
            value={viewName}
            onChange={(e) => setViewName(e.currentTarget.value)}
            data-testid="saved-view-name"
          />
          <Button
            size="xs"
            variant="light"
            disabled={!viewName.trim()}
            onClick={() => {
              setViews(saveView(viewName.trim(), draft));
              setViewName('');
            }}
            data-testid="saved-view-save"
          >
            {t('samples.list.saveView')}
          </Button>
        </Group>
      </Paper>
      <ErrorAlert error={first.error} />
      <Text size="sm" c="dimmed" data-testid="samples-total">
        {first.data ? t('samples.list.total', { count: total }) : t('common.loading')}
      </Text>
      <Paper withBorder>
        <PagedListView
          list={list}
          columns={COLUMNS}
          header={['code', 'kind', 'status', 'lot', 'samplingPoint', 'takenAt', 'storage'].map((k) =>
            t(k === 'lot' ? 'samples.list.lotOrSite' : `samples.fields.${k}`),
          )}
          height="calc(100vh - 380px)"
          testId="samples-list"
          empty={t('samples.list.empty')}
          emptyTestId="samples-empty"
          loading={t('common.loading')}
          loadingTestId="sample-row-loading"
          row={(s) => ({
            testId: `sample-row-${s.code}`,
            onOpen: () => (window.location.hash = sampleHref(s.code)),
            cells: (
              <>
                <Cell mono>{s.code}</Cell>
                <Cell>{t(`samples.kinds.${s.kind}`)}</Cell>
                <Cell>
                  <SampleStatusBadge status={s.status} size="sm" />
                </Cell>
                <Cell mono>{s.lotCode ?? s.siteCode ?? '—'}</Cell>
                <Cell>{s.samplingPoint}</Cell>
                <Cell>{formatTime(s.takenAt)}</Cell>
                <Cell>{s.storageLocation ?? '—'}</Cell>
              </>
            ),
          })}
        />
      </Paper>
    </Stack>
  );
}
