import { useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Drawer,
  Group,
  Loader,
  MultiSelect,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { appealOutcomes } from '../../../../shared/contract/channels/intake';
import { fieldErrors } from '../../api/errors';
import { useCall, useMutationCall } from '../../api/hooks';
import { ErrorAlert } from '../../components/error-alert';
import { href, navigate, useRoute } from '../../app/router';
import { hasPermission, useSession } from '../../app/session';
import { num } from '../testing/testing-format';
import {
  AppealStatusBadge,
  intakeHref,
  IntakeTabs,
  nameOf,
  todayIso,
  useCheckNames,
  type Appeal,
} from './intake-format';
import { APPLY_DAYS, previewDeadline, REPORT_DAYS, useWorkCalendar, workingDaysLeft } from './work-calendar';

type Filter = 'open' | 'overdue' | 'all';
const OPEN: Appeal['status'][] = ['notified', 'applied', 'retesting'];

/**
 * `#/appeals`: suppliers disputing a rejection's result (第二十七条): 5 working days from
 * notification to apply for a re-test, a re-test lab other than the first, 7 working days
 * from the re-test sample's receipt for its report. Overdue deadlines are red.
 * `?lot=<code>` filters to one tanker; `&new=1` opens the form to record an appeal for it.
 */
export function AppealsPage() {
  const { t } = useTranslation();
  const session = useSession();
  const route = useRoute();
  const lot = route.params.get('lot') ?? '';
  const [filter, setFilter] = useState<Filter>(lot ? 'all' : 'open');
  const [creating, setCreating] = useState(route.params.get('new') === '1');
  const [editing, setEditing] = useState<Appeal | null>(null);
  const list = useCall(
    'appeals.list',
    {
      overdueOnly: filter === 'overdue',
      ...(filter === 'open' ? { statuses: OPEN } : {}),
      ...(lot ? { lotCode: lot } : {}),
    },
    { staleTime: 0 },
  );
  const cal = useWorkCalendar();
  const checkName = useCheckNames();
  const canEdit = hasPermission(session, 'intake.reject') && !session.readOnly;
  const today = todayIso();
  const rows = list.data ?? [];

  return (
    <Stack data-testid="appeals-page">
      <IntakeTabs active="appeals" />
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t('appeals.title')}</Title>
          <Text c="dimmed" size="sm" maw={860}>
            {t('appeals.intro')}
          </Text>
        </div>
        <Group gap="xs">
          <Button variant="light" component="a" href={href('/appeals/calendar')} data-testid="appeals-calendar-link">
            {t('appeals.calendarLink')}
          </Button>
          {canEdit ? (
            <Button onClick={() => setCreating(true)} data-testid="appeal-new">
              {t('appeals.new')}
            </Button>
          ) : null}
        </Group>
      </Group>
      <Group justify="space-between">
        <SegmentedControl
          value={filter}
          onChange={(v) => setFilter(v as Filter)}
          data={(['open', 'overdue', 'all'] as const).map((f) => ({ value: f, label: t(`appeals.filters.${f}`) }))}
          data-testid="appeals-filter"
        />
        {lot ? (
          <Group gap="xs">
            <Badge variant="light" tt="none" size="lg">
              {t('appeals.lotFilter', { lot })}
            </Badge>
            <Anchor size="sm" onClick={() => navigate('/appeals')}>
              {t('appeals.clearLot')}
            </Anchor>
          </Group>
        ) : null}
      </Group>
      <ErrorAlert error={list.error} />
      {list.isLoading ? <Loader /> : null}
      {list.data && rows.length === 0 ? (
        <Alert color="gray" variant="light" data-testid="appeals-none">
          {filter === 'overdue' ? t('appeals.noneOverdue') : t('appeals.none')}
        </Alert>
      ) : null}
      {rows.length > 0 ? (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={1000}>
            <Table striped fz="sm" verticalSpacing={8} data-testid="appeals-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={170}>{t('appeals.fields.lot')}</Table.Th>
                  <Table.Th>{t('appeals.fields.supplier')}</Table.Th>
                  <Table.Th>{t('appeals.fields.items')}</Table.Th>
                  <Table.Th w={190}>{t('appeals.fields.status')}</Table.Th>
                  <Table.Th>{t('appeals.fields.notifiedOn')}</Table.Th>
                  <Table.Th>{t('appeals.fields.nextDeadline')}</Table.Th>
                  <Table.Th>{t('appeals.fields.labs')}</Table.Th>
                  <Table.Th>{t('appeals.fields.outcome')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((a) => {
                  const left = a.nextDeadline ? workingDaysLeft(cal, today, a.nextDeadline) : null;
                  return (
                    <Table.Tr
                      key={a.id}
                      data-testid={`appeal-row-${a.lotCode}`}
                      data-overdue={a.overdue ? 'true' : 'false'}
                      bg={a.overdue ? 'var(--mantine-color-red-0)' : undefined}
                    >
                      <Table.Td>
                        <Anchor href={intakeHref(a.lotCode)} ff="monospace" fw={700} size="sm">
                          {a.lotCode}
                        </Anchor>
                      </Table.Td>
                      <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                        {a.supplierCode}
                      </Table.Td>
                      <Table.Td maw={220}>{a.itemCodes.map(checkName).join('、')}</Table.Td>
                      <Table.Td>
                        <AppealStatusBadge status={a.status} />
                      </Table.Td>
                      <Table.Td style={num}>{a.notifiedOn}</Table.Td>
                      <Table.Td data-testid={`appeal-deadline-${a.lotCode}`}>
                        {a.nextDeadline ? (
                          <Stack gap={0}>
                            <Text size="sm" fw={700} c={a.overdue ? 'red.7' : undefined} style={num} ta="left">
                              {a.nextDeadline}
                            </Text>
                            <Text size="xs" c={a.overdue ? 'red.7' : 'dimmed'}>
                              {t(`appeals.deadlineKind.${a.status}`)}
                              {' · '}
                              {a.overdue
                                ? t('appeals.overdue')
                                : left !== null
                                  ? t('appeals.workingDaysLeft', { count: left })
                                  : ''}
                            </Text>
                          </Stack>
                        ) : (
                          '—'
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs">{a.firstLab}</Text>
                        {a.retestLab ? (
                          <Text size="xs" c="dimmed">
                            → {a.retestLab}
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td>{a.outcome ? t(`appeals.outcomes.${a.outcome}`) : '—'}</Table.Td>
                      <Table.Td>
                        <Button
                          size="xs"
                          variant={canEdit && a.status !== 'closed' ? 'filled' : 'light'}
                          onClick={() => setEditing(a)}
                          data-testid={`appeal-open-${a.lotCode}`}
                        >
                          {canEdit && a.status !== 'closed' ? t('appeals.update') : t('appeals.view')}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      ) : null}

      <Drawer
        opened={creating}
        onClose={() => setCreating(false)}
        position="right"
        size="lg"
        title={t('appeals.newTitle')}
        data-testid="appeal-create-drawer"
      >
        {creating ? <CreateAppeal initialLot={lot} onDone={() => setCreating(false)} /> : null}
      </Drawer>
      <Drawer
        opened={!!editing}
        onClose={() => setEditing(null)}
        position="right"
        size="lg"
        title={t('appeals.updateTitle', { lot: editing?.lotCode ?? '' })}
        data-testid="appeal-update-drawer"
      >
        {editing ? (
          <UpdateAppeal key={editing.id} appeal={editing} canEdit={canEdit} onDone={() => setEditing(null)} />
        ) : null}
      </Drawer>
    </Stack>
  );
}

function CreateAppeal({ initialLot, onDone }: { initialLot: string; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [lot, setLot] = useState<string | null>(initialLot || null);
  const [notifiedOn, setNotifiedOn] = useState<string | null>(todayIso());
  const [firstLab, setFirstLab] = useState(t('appeals.defaultFirstLab'));
  const [items, setItems] = useState<string[] | null>(null);
  const [note, setNote] = useState('');
  const rejected = useCall('intake.list', { status: 'rejected', offset: 0, limit: 200 }, { staleTime: 0 });
  const detail = useCall('intake.get', { lotCode: lot ?? '-' }, { enabled: !!lot, staleTime: 0 });
  const cal = useWorkCalendar();
  const create = useMutationCall('appeals.create', {
    onSuccess: (a) => {
      notifications.show({
        color: 'green',
        message: t('appeals.created', { lot: a.lotCode, deadline: a.applyDeadline }),
      });
      void qc.invalidateQueries({ queryKey: ['appeals.list'] });
      void qc.invalidateQueries({ queryKey: ['intake.get'] });
      onDone();
    },
  });
  const errs = fieldErrors(t, create.error);
  const failing = (detail.data?.checks ?? []).filter((c) => c.verdict === 'fail').map((c) => c.code);
  const chosen = items ?? failing;
  const deadline = previewDeadline(cal, notifiedOn, APPLY_DAYS);
  const lotOptions = (rejected.data?.items ?? []).map((i) => ({
    value: i.lotCode,
    label: `${i.lotCode} — ${i.supplierCode}`,
  }));
  if (lot && !lotOptions.some((o) => o.value === lot)) lotOptions.unshift({ value: lot, label: lot });

  return (
    <Stack data-testid="appeal-create">
      <Text size="sm" c="dimmed">
        {t('appeals.newIntro')}
      </Text>
      <Select
        label={t('appeals.fields.lot')}
        description={t('appeals.lotHelp')}
        withAsterisk
        searchable
        data={lotOptions}
        value={lot}
        onChange={(v) => {
          setLot(v);
          setItems(null);
        }}
        nothingFoundMessage={t('appeals.noRejected')}
        error={errs['lotCode']}
        data-testid="appeal-lot"
      />
      <DateInput
        label={t('appeals.fields.notifiedOn')}
        description={t('appeals.notifiedHelp')}
        withAsterisk
        valueFormat="YYYY-MM-DD"
        maxDate={todayIso()}
        value={notifiedOn}
        onChange={setNotifiedOn}
        error={errs['notifiedOn']}
        data-testid="appeal-notified-on"
      />
      {deadline ? (
        <Alert color="blue" variant="light" data-testid="appeal-apply-preview">
          {t('appeals.applyPreview', { deadline, days: APPLY_DAYS })}
        </Alert>
      ) : null}
      <TextInput
        label={t('appeals.fields.firstLab')}
        description={t('appeals.firstLabHelp')}
        withAsterisk
        value={firstLab}
        onChange={(e) => setFirstLab(e.currentTarget.value)}
        error={errs['firstLab']}
        data-testid="appeal-first-lab"
      />
      <MultiSelect
        label={t('appeals.fields.items')}
        description={t('appeals.itemsHelp')}
        withAsterisk
        data={(detail.data?.checks ?? []).map((c) => ({ value: c.code, label: nameOf(c, i18n.language) }))}
        value={chosen}
        onChange={setItems}
        error={errs['itemCodes']}
        data-testid="appeal-items"
      />
      <Textarea
        label={t('appeals.fields.note')}
        autosize
        minRows={2}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        data-testid="appeal-note"
      />
      <ErrorAlert error={create.error} testId="appeal-create-error" />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button
          disabled={!lot || !notifiedOn || firstLab.trim().length < 2 || chosen.length === 0}
          loading={create.isPending}
          onClick={() =>
            create.mutate({
              lotCode: lot!,
              notifiedOn: notifiedOn!,
              firstLab: firstLab.trim(),
              itemCodes: chosen,
              ...(note.trim() ? { note: note.trim() } : {}),
            })
          }
          data-testid="appeal-create-submit"
        >
          {t('appeals.create')}
        </Button>
      </Group>
    </Stack>
  );
}

function UpdateAppeal({ appeal: a, canEdit, onDone }: { appeal: Appeal; canEdit: boolean; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const cal = useWorkCalendar();
  const checkName = useCheckNames();
  const [appliedOn, setAppliedOn] = useState<string | null>(a.appliedOn);
  const [retestLab, setRetestLab] = useState(a.retestLab ?? '');
  const [sampleReceivedOn, setSampleReceivedOn] = useState<string | null>(a.sampleReceivedOn);
  const [reportReceivedOn, setReportReceivedOn] = useState<string | null>(a.reportReceivedOn);
  const [outcome, setOutcome] = useState<string | null>(a.outcome);
  const [note, setNote] = useState(a.note ?? '');
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const update = useMutationCall('appeals.update', {
    onSuccess: (x) => {
      notifications.show({ color: 'green', message: t('appeals.updated', { lot: x.lotCode }) });
      void qc.invalidateQueries({ queryKey: ['appeals.list'] });
      void qc.invalidateQueries({ queryKey: ['intake.get'] });
      onDone();
    },
  });
  const errs = fieldErrors(t, update.error);
  const editable = canEdit && a.status !== 'closed';
  const sameLab =
    retestLab.trim() !== '' &&
    retestLab.replace(/\s+/g, '').toLowerCase() === a.firstLab.replace(/\s+/g, '').toLowerCase();
  const reportDeadline = previewDeadline(cal, sampleReceivedOn, REPORT_DAYS) ?? a.reportDeadline;
  const reasonBad = reason.trim().length < 3;
  const dateProps = {
    valueFormat: 'YYYY-MM-DD',
    maxDate: todayIso(),
    minDate: a.notifiedOn,
    clearable: true,
    disabled: !editable,
  } as const;

  const steps = [
    { key: 'notified', done: true, title: t('appeals.steps.notified'), text: a.notifiedOn },
    {
      key: 'apply',
      done: !!a.appliedOn,
      title: t('appeals.steps.apply', { deadline: a.applyDeadline }),
      text: a.appliedOn
        ? t('appeals.steps.appliedOn', { date: a.appliedOn })
        : t('appeals.steps.applyBy', { days: APPLY_DAYS }),
    },
    {
      key: 'sample',
      done: !!a.sampleReceivedOn,
      title: t('appeals.steps.sample'),
      text: a.sampleReceivedOn ? `${a.sampleReceivedOn} · ${a.retestLab ?? ''}` : '—',
    },
    {
      key: 'report',
      done: !!a.reportReceivedOn,
      title: reportDeadline
        ? t('appeals.steps.report', { deadline: reportDeadline })
        : t('appeals.steps.reportNoDeadline'),
      text: a.reportReceivedOn ?? t('appeals.steps.reportWithin', { days: REPORT_DAYS }),
    },
    {
      key: 'outcome',
      done: !!a.outcome,
      title: t('appeals.steps.outcome'),
      text: a.outcome ? t(`appeals.outcomes.${a.outcome}`) : '—',
    },
  ];
  const active = steps.filter((s) => s.done).length - 1;

  return (
    <Stack data-testid="appeal-update">
      <Paper withBorder p="sm">
        <SimpleGrid cols={2} spacing="xs">
          <Text size="sm">
            {t('appeals.fields.supplier')}: <b>{a.supplierCode}</b>
          </Text>
          <Text size="sm">
            {t('appeals.fields.status')}: <AppealStatusBadge status={a.status} />
          </Text>
          <Text size="sm">
            {t('appeals.fields.items')}: {a.itemCodes.map(checkName).join('、')}
          </Text>
          <Text size="sm">
            {t('appeals.fields.firstLab')}: {a.firstLab}
          </Text>
        </SimpleGrid>
        {a.overdue ? (
          <Alert color="red" variant="filled" mt="xs" data-testid="appeal-overdue">
            {t('appeals.overdueText', { deadline: a.nextDeadline ?? '' })}
          </Alert>
        ) : null}
      </Paper>
      <Timeline active={active} bulletSize={16} lineWidth={2} data-testid="appeal-timeline">
        {steps.map((s) => (
          <Timeline.Item key={s.key} title={s.title} color={s.done ? 'green' : 'gray'}>
            <Text size="xs" c="dimmed" style={num} ta="left">
              {s.text}
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
      {editable ? (
        <>
          <SimpleGrid cols={2}>
            <DateInput
              label={t('appeals.fields.appliedOn')}
              description={t('appeals.appliedHelp', { deadline: a.applyDeadline })}
              value={appliedOn}
              onChange={setAppliedOn}
              error={errs['appliedOn']}
              data-testid="appeal-applied-on"
              {...dateProps}
            />
            <TextInput
              label={t('appeals.fields.retestLab')}
              description={t('appeals.retestLabHelp')}
              value={retestLab}
              onChange={(e) => setRetestLab(e.currentTarget.value)}
              error={sameLab ? t('appeals.sameLab') : errs['retestLab']}
              data-testid="appeal-retest-lab"
            />
            <DateInput
              label={t('appeals.fields.sampleReceivedOn')}
              description={t('appeals.sampleHelp')}
              value={sampleReceivedOn}
              onChange={setSampleReceivedOn}
              error={errs['sampleReceivedOn']}
              data-testid="appeal-sample-received-on"
              {...dateProps}
            />
            <DateInput
              label={t('appeals.fields.reportReceivedOn')}
              description={reportDeadline ? t('appeals.reportHelp', { deadline: reportDeadline }) : undefined}
              value={reportReceivedOn}
              onChange={setReportReceivedOn}
              error={errs['reportReceivedOn']}
              data-testid="appeal-report-received-on"
              {...dateProps}
            />
          </SimpleGrid>
          <Select
            label={t('appeals.fields.outcome')}
            description={t('appeals.outcomeHelp')}
            clearable
            value={outcome}
            onChange={setOutcome}
            data={appealOutcomes.map((o) => ({ value: o, label: t(`appeals.outcomes.${o}`) }))}
            error={errs['outcome']}
            data-testid="appeal-outcome"
          />
          <Textarea
            label={t('appeals.fields.note')}
            autosize
            minRows={2}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            data-testid="appeal-update-note"
          />
          <Textarea
            label={t('common.reason')}
            description={t('common.reasonHelp')}
            withAsterisk
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={touched && reasonBad ? t('validation.reasonRequired') : errs['reason']}
            data-testid="appeal-reason"
          />
          <ErrorAlert error={update.error} testId="appeal-update-error" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onDone}>
              {t('common.cancel')}
            </Button>
            <Button
              loading={update.isPending}
              disabled={sameLab}
              onClick={() => {
                setTouched(true);
                if (reasonBad) return;
                update.mutate({
                  id: a.id,
                  appliedOn,
                  retestLab: retestLab.trim() || null,
                  sampleReceivedOn,
                  reportReceivedOn,
                  outcome: (outcome as Appeal['outcome']) ?? null,
                  note: note.trim() || null,
                  reason: reason.trim(),
                });
              }}
              data-testid="appeal-update-submit"
            >
              {t('common.save')}
            </Button>
          </Group>
        </>
      ) : (
        <Text size="sm" c="dimmed">
          {a.status === 'closed' ? t('appeals.closedText') : t('appeals.readOnly')}
        </Text>
      )}
    </Stack>
  );
}
