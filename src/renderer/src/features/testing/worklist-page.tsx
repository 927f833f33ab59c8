import { Fragment, useEffect, useState } from 'react';
import { unitText } from '../../../../shared/i18n/words';
import {
  Anchor,
  Autocomplete,
  Badge,
  Button,
  Checkbox,
  Chip,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ChannelInput } from '../../../../shared/contract';
import type { ResultView } from '../../../../shared/contract/channels/testing';
import { useCall, useMutationCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { currentLocale } from '../../core/i18n';
import { href, navigate, useRoute } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { MicroExpected, MicroStageBadge } from './micro-panel';
import { ScanBox } from './scan-box';
import { itemName, TestingTabs } from './testing-format';
import { num } from '../../ui/format';
import { ResultStatusBadge } from '../../ui/result';
import { Person, usePersonName } from '../../ui/person';
import { plantDate } from '../../ui/format';

const STATUSES = ['pending', 'entered', 'returned'] as const;
type WorkStatus = (typeof STATUSES)[number];
/** In the address, "-" stands for "not assigned" (the channel's empty string). */
const NONE = '-';

interface Filter {
  method: string;
  analyst: string;
  instrument: string;
  item: string;
  sample: string;
  due: string;
  status: WorkStatus[];
}

function filterFrom(p: URLSearchParams): Filter {
  const status = (p.get('status') ?? '')
    .split(',')
    .filter((s): s is WorkStatus => (STATUSES as readonly string[]).includes(s));
  return {
    method: p.get('method') ?? '',
    analyst: p.get('analyst') ?? '',
    instrument: p.get('instrument') ?? '',
    item: p.get('item') ?? '',
    sample: p.get('sample') ?? '',
    due: p.get('due') ?? '',
    status: status.length ? status : [...STATUSES],
  };
}

/** End of the chosen local day, as an instant. */
function endOfDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1, 23, 59, 59).toISOString();
}

function worklistInput(f: Filter, limit: number): ChannelInput<'results.worklist'> {
  const opt = (v: string) => (v === NONE ? '' : v);
  return {
    ...(f.method ? { methodCode: opt(f.method) } : {}),
    ...(f.analyst ? { assignedTo: opt(f.analyst) } : {}),
    ...(f.instrument ? { instrumentId: opt(f.instrument) } : {}),
    ...(f.item ? { itemCode: f.item } : {}),
    ...(f.sample ? { sampleCode: f.sample } : {}),
    ...(f.due ? { dueBefore: endOfDay(f.due) } : {}),
    statuses: f.status,
    offset: 0,
    limit,
  };
}

function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const h = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(h);
  }, [everyMs]);
  return now;
}

function localDay(iso: string | null): string {
  // The plant's calendar (D-113).
  return iso ? plantDate(iso) : '';
}

function dayLabel(day: string): string {
  if (!day) return '';
  const [y, m, d] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(currentLocale(), {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    weekday: 'short',
  }).format(new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1));
}

/** `#/testing`: the tests waiting for results, by due time; filter, assign, open a sample's grid. */
export function WorklistPage() {
  const { t, i18n } = useTranslation();
  const personName = usePersonName();
  const session = useSession();
  const qc = useQueryClient();
  const route = useRoute();
  const applied = filterFrom(route.params);
  const [draft, setDraft] = useState<Filter>(applied);
  const [limit, setLimit] = useState(200);
  const [sort, setSort] = useState<'asc' | 'desc'>(route.params.get('sort') === 'desc' ? 'desc' : 'asc');
  const [group, setGroup] = useState<'day' | 'none'>(route.params.get('group') === 'none' ? 'none' : 'day');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [analyst, setAnalyst] = useState('');
  const [instrument, setInstrument] = useState('');
  const now = useNow();
  const canAssign = hasPermission(session, 'results.enter') && !session.readOnly;
  const list = useCall('results.worklist', worklistInput(applied, limit), { staleTime: 10_000 });
  const users = useCall('users.list', {}, { enabled: hasPermission(session, 'users.read'), staleTime: 60_000 });

  const apply = (f: Filter) =>
    navigate('/testing', {
      method: f.method,
      analyst: f.analyst,
      instrument: f.instrument,
      item: f.item,
      sample: f.sample,
      due: f.due,
      status: f.status.length === STATUSES.length ? '' : f.status.join(','),
      sort: sort === 'desc' ? 'desc' : '',
      group: group === 'none' ? 'none' : '',
    });
  const clear: Filter = {
    method: '',
    analyst: '',
    instrument: '',
    item: '',
    sample: '',
    due: '',
    status: [...STATUSES],
  };
  const filtered = JSON.stringify(applied) !== JSON.stringify(clear);

  const assign = useMutationCall('results.assign', {
    onSuccess: (r) => {
      notifications.show({ color: 'green', message: t('testing.worklist.assigned', { count: r.updated }) });
      setSelected(new Set());
      void qc.invalidateQueries({ queryKey: ['results.worklist'] });
      void qc.invalidateQueries({ queryKey: ['results.forSample'] });
    },
  });

  const facets = list.data?.facets;
  const facetData = (
    f: Array<{ key: string | null; count: number }> | undefined,
    none: string,
    label: (key: string) => string = (k) => k,
  ) => (f ?? []).map((x) => ({ value: x.key ?? NONE, label: `${x.key ? label(x.key) : none} (${x.count})` }));
  const analystOptions = [
    ...new Set([
      session.userId,
      ...(facets?.analysts ?? []).map((a) => a.key).filter((k): k is string => !!k),
      ...(users.data ?? []).filter((u) => u.roles.includes('technician')).map((u) => u.userId),
    ]),
  ];
  const instrumentOptions = (facets?.instruments ?? []).map((a) => a.key).filter((k): k is string => !!k);

  const rows = [...(list.data?.results ?? [])].sort((a, b) => {
    const x = a.dueAt ?? '';
    const y = b.dueAt ?? '';
    return (
      (sort === 'asc' ? x.localeCompare(y) : y.localeCompare(x)) ||
      a.sampleCode.localeCompare(b.sampleCode) ||
      a.position - b.position
    );
  });
  const groups: Array<{ day: string; rows: ResultView[] }> = [];
  for (const r of rows) {
    const day = group === 'day' ? localDay(r.dueAt) : '';
    const last = groups[groups.length - 1];
    if (last && last.day === day) last.rows.push(r);
    else groups.push({ day, rows: [r] });
  }
  const overdue = (r: ResultView) => !!r.dueAt && Date.parse(r.dueAt) < now;
  const overdueCount = rows.filter(overdue).length;
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const open = (r: ResultView) => navigate(`/testing/sample/${encodeURIComponent(r.sampleCode)}`, { focus: r.id });

  return (
    <Stack data-testid="worklist-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <TestingTabs active="worklist" />
          <Title order={2} mt="sm">
            {t('testing.worklist.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('testing.worklist.intro')}
          </Text>
        </div>
        <ScanBox autoFocus w={340} />
      </Group>

      <Paper withBorder p="sm">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            apply(draft);
          }}
        >
          <Group align="flex-end" gap="sm">
            <Select
              label={t('testing.worklist.method')}
              placeholder={t('testing.worklist.all')}
              clearable
              searchable
              w={190}
              data={facetData(facets?.methods, t('testing.worklist.noMethod'))}
              value={draft.method || null}
              onChange={(v) => setDraft({ ...draft, method: v ?? '' })}
              data-testid="worklist-filter-method"
            />
            <Select
              label={t('testing.worklist.analyst')}
              placeholder={t('testing.worklist.all')}
              clearable
              searchable
              w={170}
              data={facetData(facets?.analysts, t('testing.worklist.notAssigned'), personName)}
              value={draft.analyst || null}
              onChange={(v) => setDraft({ ...draft, analyst: v ?? '' })}
              data-testid="worklist-filter-analyst"
            />
            <Select
              label={t('testing.worklist.instrument')}
              placeholder={t('testing.worklist.all')}
              clearable
              searchable
              w={170}
              data={facetData(facets?.instruments, t('testing.worklist.notAssigned'))}
              value={draft.instrument || null}
              onChange={(v) => setDraft({ ...draft, instrument: v ?? '' })}
              data-testid="worklist-filter-instrument"
            />
            <TextInput
              label={t('testing.worklist.item')}
              placeholder={t('words.itemCodePlaceholder')}
              w={130}
              value={draft.item}
              onChange={(e) => setDraft({ ...draft, item: e.currentTarget.value.trim() })}
              data-testid="worklist-filter-item"
            />
            <TextInput
              label={t('testing.worklist.sampleOrLot')}
              w={160}
              value={draft.sample}
              onChange={(e) => setDraft({ ...draft, sample: e.currentTarget.value.trim() })}
              data-testid="worklist-filter-sample"
            />
            <DatePickerInput
              label={t('testing.worklist.dueBefore')}
              w={150}
              clearable
              valueFormat="YYYY-MM-DD"
              value={draft.due || null}
              onChange={(v) => setDraft({ ...draft, due: v ?? '' })}
              data-testid="worklist-filter-due"
            />
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('testing.worklist.statuses')}
              </Text>
              <Chip.Group
                multiple
                value={draft.status}
                onChange={(v) =>
                  setDraft({ ...draft, status: (v as WorkStatus[]).length ? (v as WorkStatus[]) : [...STATUSES] })
                }
              >
                <Group gap={4}>
                  {STATUSES.map((s) => (
                    <Chip key={s} value={s} size="xs" data-testid={`worklist-status-${s}`}>
                      {t(`testing.status.${s}`)}
                    </Chip>
                  ))}
                </Group>
              </Chip.Group>
            </Stack>
            <Button type="submit" data-testid="worklist-apply">
              {t('common.apply')}
            </Button>
            <Button variant="default" onClick={() => apply(clear)} data-testid="worklist-clear">
              {t('common.clear')}
            </Button>
          </Group>
        </form>
      </Paper>

      <Group justify="space-between">
        <Group gap="md">
          <Text size="sm" c="dimmed" data-testid="worklist-total">
            {list.data
              ? t('testing.worklist.total', { count: list.data.total, shown: rows.length })
              : t('common.loading')}
          </Text>
          {overdueCount > 0 ? (
            <Badge color="red" variant="light" tt="none" data-testid="worklist-overdue">
              {t('testing.worklist.overdueCount', { count: overdueCount })}
            </Badge>
          ) : null}
        </Group>
        <Group gap="sm">
          <SegmentedControl
            size="xs"
            value={group}
            onChange={(v) => setGroup(v === 'none' ? 'none' : 'day')}
            data={[
              { value: 'day', label: t('testing.worklist.groupByDay') },
              { value: 'none', label: t('testing.worklist.flat') },
            ]}
            data-testid="worklist-group"
          />
          <Button
            size="xs"
            variant="default"
            onClick={() => setSort(sort === 'asc' ? 'desc' : 'asc')}
            data-testid="worklist-sort"
          >
            {sort === 'asc' ? t('testing.worklist.dueAsc') : t('testing.worklist.dueDesc')}
          </Button>
        </Group>
      </Group>

      {canAssign && selected.size > 0 ? (
        <Paper withBorder p="sm" bg="var(--mantine-color-blue-0)" data-testid="worklist-assign">
          <Group align="flex-end" gap="sm">
            <Text size="sm" fw={600}>
              {t('testing.worklist.selected', { count: selected.size })}
            </Text>
            <Autocomplete
              label={t('testing.worklist.assignTo')}
              placeholder={session.userId}
              w={190}
              data={analystOptions}
              value={analyst}
              onChange={setAnalyst}
              data-testid="worklist-assign-analyst"
            />
            <Autocomplete
              label={t('testing.worklist.instrument')}
              placeholder={t('testing.grid.instrumentPlaceholder')}
              w={190}
              data={instrumentOptions}
              value={instrument}
              onChange={setInstrument}
              data-testid="worklist-assign-instrument"
            />
            <Button
              loading={assign.isPending}
              disabled={!analyst.trim() && !instrument.trim()}
              onClick={() =>
                assign.mutate({
                  ids: [...selected],
                  ...(analyst.trim() ? { assignedTo: analyst.trim() } : {}),
                  ...(instrument.trim() ? { instrumentId: instrument.trim() } : {}),
                })
              }
              data-testid="worklist-assign-submit"
            >
              {t('testing.worklist.assign')}
            </Button>
            <Button
              variant="subtle"
              color="gray"
              onClick={() => assign.mutate({ ids: [...selected], assignedTo: null, instrumentId: null })}
              data-testid="worklist-unassign"
            >
              {t('testing.worklist.unassign')}
            </Button>
            <Button variant="subtle" onClick={() => setSelected(new Set())}>
              {t('testing.worklist.clearSelection')}
            </Button>
          </Group>
          <ErrorAlert error={assign.error} />
        </Paper>
      ) : canAssign && rows.length > 0 ? (
        <Text size="xs" c="dimmed">
          {t('testing.worklist.selectHint')}
        </Text>
      ) : null}

      <ErrorAlert error={list.error} />
      {list.data && rows.length === 0 ? (
        <Paper withBorder p="lg" data-testid="worklist-empty">
          <Stack gap="xs" align="flex-start">
            <Text fw={600}>{filtered ? t('testing.worklist.emptyFiltered') : t('testing.worklist.empty')}</Text>
            <Text size="sm" c="dimmed">
              {filtered ? t('testing.worklist.emptyFilteredHint') : t('testing.worklist.emptyHint')}
            </Text>
            {filtered ? (
              <Button variant="light" size="xs" onClick={() => apply(clear)}>
                {t('common.clear')}
              </Button>
            ) : (
              <Anchor href={href('/samples')} size="sm">
                {t('testing.worklist.toReception')}
              </Anchor>
            )}
          </Stack>
        </Paper>
      ) : null}

      {rows.length > 0 ? (
        <Paper withBorder>
          <Table highlightOnHover verticalSpacing={6} fz="sm" data-testid="worklist-table">
            <Table.Thead bg="var(--mantine-color-gray-0)">
              <Table.Tr>
                <Table.Th w={36}>
                  {canAssign ? (
                    <Checkbox
                      size="xs"
                      aria-label={t('testing.worklist.selectAll')}
                      checked={allSelected}
                      indeterminate={!allSelected && selected.size > 0}
                      onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.id)))}
                      data-testid="worklist-select-all"
                    />
                  ) : null}
                </Table.Th>
                <Table.Th>{t('testing.worklist.due')}</Table.Th>
                <Table.Th>{t('testing.worklist.sample')}</Table.Th>
                <Table.Th>{t('testing.worklist.lot')}</Table.Th>
                <Table.Th>{t('testing.grid.item')}</Table.Th>
                <Table.Th>{t('testing.worklist.method')}</Table.Th>
                <Table.Th>{t('testing.grid.status')}</Table.Th>
                <Table.Th>{t('testing.worklist.analyst')}</Table.Th>
                <Table.Th>{t('testing.worklist.instrument')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {groups.map((g) => (
                <Fragment key={g.day || 'all'}>
                  {group === 'day' ? (
                    <Table.Tr bg="var(--mantine-color-gray-1)" data-testid={`worklist-day-${g.day || 'none'}`}>
                      <Table.Td colSpan={9} py={4}>
                        <Text size="xs" fw={700}>
                          {g.day ? dayLabel(g.day) : t('testing.worklist.noDue')} ·{' '}
                          {t('testing.worklist.tests', { count: g.rows.length })}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ) : null}
                  {g.rows.map((r) => {
                    const late = overdue(r);
                    return (
                      <Table.Tr
                        key={r.id}
                        style={{ cursor: 'pointer' }}
                        onClick={() => open(r)}
                        data-testid={`worklist-row-${r.sampleCode}-${r.itemCode}`}
                        data-overdue={late ? 'true' : 'false'}
                      >
                        <Table.Td onClick={(e) => e.stopPropagation()}>
                          {canAssign ? (
                            <Checkbox
                              size="xs"
                              aria-label={t('testing.worklist.select')}
                              checked={selected.has(r.id)}
                              onChange={() => toggle(r.id)}
                              data-testid={`worklist-select-${r.sampleCode}-${r.itemCode}`}
                            />
                          ) : null}
                        </Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                          <Text size="sm" c={late ? 'red.8' : undefined} fw={late ? 700 : undefined}>
                            {formatTime(r.dueAt)}
                          </Text>
                          {late ? (
                            <Badge size="xs" color="red" tt="none">
                              {t('testing.worklist.overdue')}
                            </Badge>
                          ) : null}
                        </Table.Td>
                        <Table.Td ff="monospace" fw={600}>
                          {r.sampleCode}
                        </Table.Td>
                        <Table.Td ff="monospace">{r.lotCode ?? '—'}</Table.Td>
                        <Table.Td>
                          <Text size="sm">{itemName(r, i18n.language)}</Text>
                          <Text size="xs" c="dimmed" ff="monospace">
                            <code>{r.itemCode}</code> · {unitText(t, r.entryUnit) || '—'}
                          </Text>
                        </Table.Td>
                        <Table.Td ff="monospace">{r.methodCode ?? '—'}</Table.Td>
                        <Table.Td>
                          <ResultStatusBadge status={r.status} />
                          {/* Micro: stage and the time the result is expected final (issue 20 §3). */}
                          <MicroStageBadge r={r} />
                          <MicroExpected r={r} />
                          {r.status === 'returned' && r.returnReason ? (
                            <Text size="xs" c="orange.9" maw={200}>
                              {r.returnReason}
                            </Text>
                          ) : null}
                        </Table.Td>
                        <Table.Td>
                          {r.assignedTo ? (
                            <Person id={r.assignedTo} />
                          ) : (
                            <Text span size="sm" c="dimmed">
                              {t('testing.worklist.notAssigned')}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td ff="monospace">{r.instrumentId ?? '—'}</Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Fragment>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      ) : null}
      {list.data && list.data.total > rows.length && limit < 1000 ? (
        <Button
          variant="default"
          onClick={() => setLimit(Math.min(1000, limit + 200))}
          data-testid="worklist-more"
          style={num}
        >
          {t('testing.worklist.more', { count: list.data.total - rows.length })}
        </Button>
      ) : null}
    </Stack>
  );
}
