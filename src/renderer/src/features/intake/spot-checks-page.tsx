import { useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Drawer,
  Group,
  Loader,
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
import { spotCheckClosures } from '../../../../shared/contract/channels/intake';
import { quantityUnits } from '../../../../shared/domain/units';
import { retestRuleFor, sameLab } from '../../../../shared/rules/retest';
import { fieldErrors } from '../../core/api/errors';
import { useCall, useMutationCall } from '../../core/api/hooks';
import { EditableRows, textColumn } from '../../ui/editable-rows';
import { withAddedRow, withoutRow, withRow } from '../../ui/editable-rows-model';
import { ErrorAlert } from '../../ui/error-alert';
import { href, navigate, useRoute } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { num } from '../../ui/format';
import { intakeHref, IntakeTabs, useCheckNames } from './intake-format';
import { todayIso } from '../../ui/dates';
import { RetestRuleBadge, SpotCheckStageBadge, type LegacyAppeal, type SpotCheck } from './spot-check-format';
import { previewDeadline, useWorkCalendar, workingDaysLeft } from './work-calendar';
import { contractAccepts } from '../../ui/contract-form';

type Filter = 'open' | 'overdue' | 'all';
type Item = { name: string; result: string; requirement: string | null; conforming: boolean };
const OPEN_STAGES: SpotCheck['stage'][] = ['open', 'applied', 'retesting'];

const invalidate = (qc: ReturnType<typeof useQueryClient>) => {
  void qc.invalidateQueries({ queryKey: ['spotChecks.list'] });
  void qc.invalidateQueries({ queryKey: ['spotChecks.get'] });
  void qc.invalidateQueries({ queryKey: ['appeals.list'] });
  void qc.invalidateQueries({ queryKey: ['intake.get'] });
};

/**
 * `#/appeals`: the register of government spot checks (监督抽查) of raw milk and of the plant's
 * products. A nonconforming result may be disputed: apply for a re-test within the rule's
 * working days of receiving the result (第二十七条 for raw milk: 5; the plant's calendar with
 * 调休), to the authority that ran it or the one above; the re-test lab is never the first lab
 * and reports within 7 working days of receiving the sample. `?lot=` filters to a lot,
 * `?code=` opens one record, `?new=1` the form; appeals recorded before (against the plant's own
 * rejections) are listed at the end to be carried forward or retired.
 */
export function SpotChecksPage() {
  const { t } = useTranslation();
  const session = useSession();
  const route = useRoute();
  const lot = route.params.get('lot') ?? '';
  const [filter, setFilter] = useState<Filter>(lot ? 'all' : 'open');
  const [creating, setCreating] = useState(route.params.get('new') === '1');
  const [openCode, setOpenCode] = useState<string | null>(route.params.get('code'));
  const list = useCall(
    'spotChecks.list',
    {
      overdueOnly: filter === 'overdue',
      ...(filter === 'open' ? { stages: OPEN_STAGES } : {}),
      ...(lot ? { lotCode: lot } : {}),
    },
    { staleTime: 0 },
  );
  const cal = useWorkCalendar();
  const canEdit = hasPermission(session, 'intake.reject') && !session.readOnly;
  const today = todayIso();
  const rows = list.data ?? [];

  return (
    <Stack data-testid="spot-checks-page">
      <IntakeTabs active="appeals" />
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t('spotChecks.title')}</Title>
          <Text c="dimmed" size="sm" maw={900}>
            {t('spotChecks.intro')}
          </Text>
        </div>
        <Group gap="xs">
          <Button variant="light" component="a" href={href('/appeals/calendar')} data-testid="appeals-calendar-link">
            {t('appeals.calendarLink')}
          </Button>
          {canEdit ? (
            <Button onClick={() => setCreating(true)} data-testid="spot-check-new">
              {t('spotChecks.new')}
            </Button>
          ) : null}
        </Group>
      </Group>
      <Group justify="space-between">
        <SegmentedControl
          value={filter}
          onChange={(v) => setFilter(v as Filter)}
          data={(['open', 'overdue', 'all'] as const).map((f) => ({ value: f, label: t(`spotChecks.filters.${f}`) }))}
          data-testid="spot-checks-filter"
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
        <Alert color="gray" variant="light" data-testid="spot-checks-none">
          {filter === 'overdue' ? t('spotChecks.noneOverdue') : t('spotChecks.none')}
        </Alert>
      ) : null}
      {rows.length > 0 ? (
        <Paper withBorder>
          <Table.ScrollContainer minWidth={1100}>
            <Table striped fz="sm" verticalSpacing={8} data-testid="spot-checks-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={130}>{t('spotChecks.fields.code')}</Table.Th>
                  <Table.Th>{t('spotChecks.fields.subject')}</Table.Th>
                  <Table.Th>{t('spotChecks.fields.authority')}</Table.Th>
                  <Table.Th>{t('spotChecks.fields.items')}</Table.Th>
                  <Table.Th w={170}>{t('spotChecks.fields.stage')}</Table.Th>
                  <Table.Th>{t('spotChecks.fields.receivedOn')}</Table.Th>
                  <Table.Th>{t('spotChecks.fields.nextDeadline')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((s) => {
                  const left = s.nextDeadline ? workingDaysLeft(cal, today, s.nextDeadline) : null;
                  const bad = s.items.filter((i) => !i.conforming);
                  return (
                    <Table.Tr
                      key={s.id}
                      data-testid={`spot-check-row-${s.code}`}
                      data-overdue={String(s.overdue)}
                      bg={s.overdue ? 'var(--mantine-color-red-0)' : undefined}
                    >
                      <Table.Td ff="monospace" fw={700}>
                        {s.code}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{t(`spotChecks.subjects.${s.subject}`)}</Text>
                        <Text size="xs" c="dimmed">
                          {s.lotCode ? (
                            s.subject === 'raw_milk' ? (
                              <Anchor href={intakeHref(s.lotCode)} size="xs" ff="monospace">
                                {s.lotCode}
                              </Anchor>
                            ) : (
                              <Anchor href={href(`/lots/${encodeURIComponent(s.lotCode)}`)} size="xs" ff="monospace">
                                {s.lotCode}
                              </Anchor>
                            )
                          ) : (
                            s.sampleDesc
                          )}
                          {s.supplierCode ? ` · ${s.supplierCode}` : ''}
                        </Text>
                      </Table.Td>
                      <Table.Td maw={200}>
                        <Text size="sm">{s.authority}</Text>
                        <Text size="xs" c="dimmed">
                          {s.firstLab}
                        </Text>
                      </Table.Td>
                      <Table.Td maw={240}>
                        {bad.length
                          ? bad.map((i) => `${i.name} ${i.result}`).join('；')
                          : t('spotChecks.allConforming')}
                      </Table.Td>
                      <Table.Td>
                        <SpotCheckStageBadge stage={s.stage} closure={s.closure} />
                      </Table.Td>
                      <Table.Td style={num}>{s.receivedOn}</Table.Td>
                      <Table.Td data-testid={`spot-check-deadline-${s.code}`}>
                        {s.nextDeadline ? (
                          <Stack gap={0}>
                            <Text size="sm" fw={700} c={s.overdue ? 'red.7' : undefined} style={num} ta="left">
                              {s.nextDeadline}
                            </Text>
                            <Text size="xs" c={s.overdue ? 'red.7' : 'dimmed'}>
                              {t(`spotChecks.deadlineKind.${s.nextDeadlineKind}`)}
                              {' · '}
                              {s.overdue
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
                        <Button
                          size="xs"
                          variant={canEdit && s.stage !== 'closed' && s.stage !== 'conforming' ? 'filled' : 'light'}
                          onClick={() => setOpenCode(s.code)}
                          data-testid={`spot-check-open-${s.code}`}
                        >
                          {canEdit && s.stage !== 'closed' && s.stage !== 'conforming'
                            ? t('appeals.update')
                            : t('appeals.view')}
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

      <LegacyAppeals canEdit={canEdit} />

      <Drawer
        opened={creating}
        onClose={() => setCreating(false)}
        position="right"
        size="xl"
        title={t('spotChecks.newTitle')}
        data-testid="spot-check-create-drawer"
      >
        {creating ? (
          <SpotCheckForm
            initialLot={lot}
            onDone={(code) => {
              setCreating(false);
              if (code) setOpenCode(code);
            }}
          />
        ) : null}
      </Drawer>
      <Drawer
        opened={!!openCode}
        onClose={() => setOpenCode(null)}
        position="right"
        size="xl"
        title={t('spotChecks.detailTitle', { code: openCode ?? '' })}
        data-testid="spot-check-drawer"
      >
        {openCode ? <SpotCheckDetail code={openCode} canEdit={canEdit} /> : null}
      </Drawer>
    </Stack>
  );
}

/** The items of a spot check report: name, result, requirement, conforming. */
function ItemsEditor({ items, onChange }: { items: Item[]; onChange: (v: Item[]) => void }) {
  const { t } = useTranslation();
  const set = (i: number, patch: Partial<Item>) => onChange(withRow(items, i, patch));
  const text = (key: 'name' | 'result' | 'requirement', w?: number) =>
    textColumn<Item>({
      key,
      label: t(`spotChecks.item.${key}`),
      w,
      value: (it) => it[key] ?? '',
      onChange: (i, v) => set(i, { [key]: key === 'requirement' ? v || null : v }),
      testId: (_, i) => `spot-item-${key}-${i}`,
    });
  return (
    <Stack gap={4} data-testid="spot-check-items">
      <Text size="sm" fw={500}>
        {t('spotChecks.fields.items')}
      </Text>
      <EditableRows
        rows={items}
        columns={[
          text('name'),
          text('result', 160),
          text('requirement', 160),
          {
            key: 'conforming',
            label: t('spotChecks.item.conforming'),
            w: 110,
            edit: (it, i) => (
              <Checkbox
                label={t('spotChecks.item.conforming')}
                checked={it.conforming}
                onChange={(e) => set(i, { conforming: e.currentTarget.checked })}
                data-testid={`spot-item-conforming-${i}`}
              />
            ),
          },
        ]}
        max={40}
        onRemove={(i) => onChange(withoutRow(items, i))}
        removeLabel={t('spotChecks.item.remove')}
        onAdd={() => onChange(withAddedRow(items, { name: '', result: '', requirement: null, conforming: true }, 40))}
        addLabel={t('spotChecks.item.add')}
        addTestId="spot-item-add"
      />
    </Stack>
  );
}

function SpotCheckForm({ initialLot, onDone }: { initialLot: string; onDone: (code: string | null) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const cal = useWorkCalendar();
  const [subject, setSubject] = useState<'raw_milk' | 'product'>('raw_milk');
  const [lotCode, setLotCode] = useState(initialLot);
  const [supplierCode, setSupplierCode] = useState('');
  const [sampleDesc, setSampleDesc] = useState('');
  const [authority, setAuthority] = useState('');
  const [firstLab, setFirstLab] = useState('');
  const [sampledOn, setSampledOn] = useState<string | null>(null);
  const [receivedOn, setReceivedOn] = useState<string | null>(todayIso());
  const [reportNo, setReportNo] = useState('');
  const [note, setNote] = useState('');
  const [items, setItems] = useState<Item[]>([{ name: '', result: '', requirement: null, conforming: false }]);
  const create = useMutationCall('spotChecks.create', {
    onSuccess: (s) => {
      notifications.show({
        color: s.result === 'conforming' ? 'green' : 'orange',
        message:
          s.result === 'conforming'
            ? t('spotChecks.createdConforming', { code: s.code })
            : t('spotChecks.createdNonconforming', { code: s.code, deadline: s.applyDeadline ?? '' }),
      });
      invalidate(qc);
      onDone(s.code);
    },
  });
  const errs = fieldErrors(t, create.error);
  const rule = retestRuleFor(subject);
  const nonconforming = items.some((i) => !i.conforming);
  const deadline = nonconforming ? previewDeadline(cal, receivedOn, rule.applyDays) : null;
  const itemsOk = items.every((i) => i.name.trim() && i.result.trim());
  return (
    <Stack data-testid="spot-check-form">
      <Text size="sm" c="dimmed">
        {t('spotChecks.newIntro')}
      </Text>
      <SegmentedControl
        value={subject}
        onChange={(v) => setSubject(v as 'raw_milk' | 'product')}
        data={(['raw_milk', 'product'] as const).map((s) => ({ value: s, label: t(`spotChecks.subjects.${s}`) }))}
        data-testid="spot-check-subject"
      />
      <SimpleGrid cols={2}>
        <TextInput
          label={t('spotChecks.fields.lot')}
          description={t(`spotChecks.lotHelp.${subject}`)}
          value={lotCode}
          onChange={(e) => setLotCode(e.currentTarget.value)}
          error={errs['lotCode']}
          data-testid="spot-check-lot"
        />
        {subject === 'raw_milk' ? (
          <TextInput
            label={t('spotChecks.fields.supplier')}
            description={t('spotChecks.supplierHelp')}
            value={supplierCode}
            onChange={(e) => setSupplierCode(e.currentTarget.value)}
            error={errs['supplierCode']}
            data-testid="spot-check-supplier"
          />
        ) : (
          <div />
        )}
        <TextInput
          label={t('spotChecks.fields.sampleDesc')}
          withAsterisk
          value={sampleDesc}
          onChange={(e) => setSampleDesc(e.currentTarget.value)}
          error={errs['sampleDesc']}
          data-testid="spot-check-sample"
        />
        <TextInput
          label={t('spotChecks.fields.reportNo')}
          value={reportNo}
          onChange={(e) => setReportNo(e.currentTarget.value)}
          data-testid="spot-check-report-no"
        />
        <TextInput
          label={t('spotChecks.fields.authority')}
          description={t('spotChecks.authorityHelp')}
          withAsterisk
          value={authority}
          onChange={(e) => setAuthority(e.currentTarget.value)}
          error={errs['authority']}
          data-testid="spot-check-authority"
        />
        <TextInput
          label={t('spotChecks.fields.firstLab')}
          withAsterisk
          value={firstLab}
          onChange={(e) => setFirstLab(e.currentTarget.value)}
          error={errs['firstLab']}
          data-testid="spot-check-first-lab"
        />
        <DateInput
          label={t('spotChecks.fields.sampledOn')}
          withAsterisk
          valueFormat="YYYY-MM-DD"
          maxDate={todayIso()}
          value={sampledOn}
          onChange={setSampledOn}
          error={errs['sampledOn']}
          data-testid="spot-check-sampled-on"
        />
        <DateInput
          label={t('spotChecks.fields.receivedOn')}
          description={t('spotChecks.receivedHelp')}
          withAsterisk
          valueFormat="YYYY-MM-DD"
          maxDate={todayIso()}
          value={receivedOn}
          onChange={setReceivedOn}
          error={errs['receivedOn']}
          data-testid="spot-check-received-on"
        />
      </SimpleGrid>
      <ItemsEditor items={items} onChange={setItems} />
      {deadline ? (
        <Alert color="orange" variant="light" data-testid="spot-check-apply-preview">
          {t('spotChecks.applyPreview', { deadline, days: rule.applyDays })}{' '}
          {rule.verified ? null : (
            <Text span size="sm" fw={700}>
              {t('spotChecks.ruleUnverifiedNote')}
            </Text>
          )}
        </Alert>
      ) : null}
      <Textarea
        label={t('appeals.fields.note')}
        autosize
        minRows={2}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
      />
      <ErrorAlert error={create.error} testId="spot-check-create-error" />
      <Group justify="flex-end">
        <Button variant="default" onClick={() => onDone(null)}>
          {t('common.cancel')}
        </Button>
        <Button
          disabled={
            !sampleDesc.trim() ||
            authority.trim().length < 2 ||
            firstLab.trim().length < 2 ||
            !sampledOn ||
            !receivedOn ||
            !itemsOk
          }
          loading={create.isPending}
          onClick={() =>
            create.mutate({
              subject,
              lotCode: lotCode.trim() || null,
              supplierCode: subject === 'raw_milk' && supplierCode.trim() ? supplierCode.trim() : null,
              sampleDesc: sampleDesc.trim(),
              authority: authority.trim(),
              firstLab: firstLab.trim(),
              sampledOn: sampledOn!,
              receivedOn: receivedOn!,
              reportNo: reportNo.trim() || null,
              items: items.map((i) => ({ ...i, name: i.name.trim(), result: i.result.trim() })),
              note: note.trim() || null,
            })
          }
          data-testid="spot-check-create-submit"
        >
          {t('spotChecks.create')}
        </Button>
      </Group>
    </Stack>
  );
}

function SpotCheckDetail({ code, canEdit }: { code: string; canEdit: boolean }) {
  const s = useCall('spotChecks.get', { code }, { staleTime: 0 });
  if (s.isLoading) return <Loader />;
  if (!s.data) return <ErrorAlert error={s.error} />;
  return <SpotCheckView key={`${s.data.id}-${s.data.rev}`} s={s.data} canEdit={canEdit} />;
}

function SpotCheckView({ s, canEdit }: { s: SpotCheck; canEdit: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const cal = useWorkCalendar();
  const [appliedOn, setAppliedOn] = useState<string | null>(s.appliedOn);
  const [appliedTo, setAppliedTo] = useState(s.appliedTo ?? s.authority);
  const [retestLab, setRetestLab] = useState(s.retestLab ?? '');
  const [sampleOn, setSampleOn] = useState<string | null>(s.retestSampleReceivedOn);
  const [reportOn, setReportOn] = useState<string | null>(s.reportReceivedOn);
  const [closure, setClosure] = useState<string | null>(s.closure);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const update = useMutationCall('spotChecks.update', {
    onSuccess: (x) => {
      notifications.show({ color: 'green', message: t('spotChecks.updated', { code: x.code }) });
      invalidate(qc);
    },
  });
  const errs = fieldErrors(t, update.error);
  const editable = canEdit && s.stage !== 'closed' && s.stage !== 'conforming';
  const duplicateLab = sameLab(retestLab, s.firstLab);
  const reportDeadline =
    s.rule.reportDays !== null ? (previewDeadline(cal, sampleOn, s.rule.reportDays) ?? s.reportDeadline) : null;
  const reasonBad = reason.trim().length < 3;
  const dateProps = {
    valueFormat: 'YYYY-MM-DD',
    maxDate: todayIso(),
    minDate: s.receivedOn,
    clearable: true,
    disabled: !editable,
  } as const;
  const steps = [
    {
      key: 'received',
      done: true,
      title: t('spotChecks.steps.received'),
      text: s.reportNo ? `${s.receivedOn} · ${s.reportNo}` : s.receivedOn,
    },
    {
      key: 'apply',
      done: !!s.appliedOn,
      title: s.applyDeadline
        ? t('spotChecks.steps.apply', { deadline: s.applyDeadline })
        : t('spotChecks.steps.applyNone'),
      text: s.appliedOn
        ? t('spotChecks.steps.appliedOn', { date: s.appliedOn, to: s.appliedTo ?? '' })
        : t('spotChecks.steps.applyBy', { days: s.rule.applyDays }),
    },
    {
      key: 'sample',
      done: !!s.retestSampleReceivedOn,
      title: t('spotChecks.steps.sample'),
      text: s.retestSampleReceivedOn ? [s.retestSampleReceivedOn, s.retestLab].filter(Boolean).join(' · ') : '—',
    },
    {
      key: 'report',
      done: !!s.reportReceivedOn,
      title: s.reportDeadline
        ? t('spotChecks.steps.report', { deadline: s.reportDeadline })
        : t('spotChecks.steps.reportNoDeadline'),
      text:
        s.reportReceivedOn ??
        (s.rule.reportDays !== null ? t('spotChecks.steps.reportWithin', { days: s.rule.reportDays }) : '—'),
    },
    {
      key: 'closure',
      done: !!s.closure,
      title: t('spotChecks.steps.closure'),
      text: s.closure ? t(`spotChecks.closures.${s.closure}`) : '—',
    },
  ];
  return (
    <Stack data-testid="spot-check-detail" data-stage={s.stage} data-code={s.code}>
      <Paper withBorder p="sm">
        <Group justify="space-between" mb="xs">
          <Group gap="xs">
            <SpotCheckStageBadge stage={s.stage} closure={s.closure} />
            <RetestRuleBadge rule={s.rule} />
          </Group>
          {s.legacyAppealId ? (
            <Badge color="gray" variant="outline" tt="none" data-testid="spot-check-legacy">
              {t('spotChecks.fromLegacy')}
            </Badge>
          ) : null}
        </Group>
        <SimpleGrid cols={2} spacing="xs">
          <Text size="sm">
            {t('spotChecks.fields.subject')}: {t(`spotChecks.subjects.${s.subject}`)} {s.lotCode ?? ''}
            {s.supplierCode ? ` · ${s.supplierCode}` : ''}
          </Text>
          <Text size="sm">
            {t('spotChecks.fields.sampleDesc')}: {s.sampleDesc}
          </Text>
          <Text size="sm">
            {t('spotChecks.fields.authority')}: {s.authority}
          </Text>
          <Text size="sm">
            {t('spotChecks.fields.firstLab')}: {s.firstLab}
          </Text>
          <Text size="sm">
            {t('spotChecks.fields.sampledOn')}: {s.sampledOn}
          </Text>
          <Text size="sm">
            {t('spotChecks.fields.receivedOn')}: {s.receivedOn}
          </Text>
        </SimpleGrid>
        <Table fz="sm" mt="xs" withTableBorder data-testid="spot-check-items-table">
          <Table.Tbody>
            {s.items.map((i, k) => (
              <Table.Tr key={k} bg={i.conforming ? undefined : 'var(--mantine-color-red-0)'}>
                <Table.Td>{i.name}</Table.Td>
                <Table.Td ff="monospace">{i.result}</Table.Td>
                <Table.Td c="dimmed">{i.requirement ?? '—'}</Table.Td>
                <Table.Td>
                  <Badge color={i.conforming ? 'green' : 'red'} variant="light" tt="none">
                    {i.conforming ? t('spotChecks.item.conforming') : t('spotChecks.item.nonconforming')}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {s.overdue ? (
          <Alert color="red" variant="filled" mt="xs" data-testid="spot-check-overdue">
            {t(`spotChecks.overdueText.${s.nextDeadlineKind}`, { deadline: s.nextDeadline ?? '' })}
          </Alert>
        ) : null}
      </Paper>
      {s.result === 'nonconforming' ? (
        <Timeline
          active={steps.filter((x) => x.done).length - 1}
          bulletSize={16}
          lineWidth={2}
          data-testid="spot-check-timeline"
        >
          {steps.map((x) => (
            <Timeline.Item key={x.key} title={x.title} color={x.done ? 'green' : 'gray'}>
              <Text size="xs" c="dimmed" style={num} ta="left">
                {x.text}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      ) : (
        <Alert color="green" variant="light">
          {t('spotChecks.conformingText')}
        </Alert>
      )}
      {s.subject === 'product' && s.result === 'nonconforming' ? <RetentionForRetest s={s} canEdit={editable} /> : null}
      {editable ? (
        <>
          <SimpleGrid cols={2}>
            <DateInput
              label={t('spotChecks.fields.appliedOn')}
              description={s.applyDeadline ? t('spotChecks.appliedHelp', { deadline: s.applyDeadline }) : undefined}
              value={appliedOn}
              onChange={setAppliedOn}
              error={errs['appliedOn']}
              data-testid="spot-check-applied-on"
              {...dateProps}
            />
            <TextInput
              label={t('spotChecks.fields.appliedTo')}
              description={t('spotChecks.appliedToHelp')}
              value={appliedTo}
              onChange={(e) => setAppliedTo(e.currentTarget.value)}
              error={errs['appliedTo']}
              disabled={!editable}
              data-testid="spot-check-applied-to"
            />
            <TextInput
              label={t('spotChecks.fields.retestLab')}
              description={t('spotChecks.retestLabHelp')}
              value={retestLab}
              onChange={(e) => setRetestLab(e.currentTarget.value)}
              error={duplicateLab ? t('appeals.sameLab') : errs['retestLab']}
              data-testid="spot-check-retest-lab"
            />
            <DateInput
              label={t('spotChecks.fields.retestSampleReceivedOn')}
              description={t('spotChecks.sampleHelp')}
              value={sampleOn}
              onChange={setSampleOn}
              error={errs['retestSampleReceivedOn']}
              data-testid="spot-check-sample-received-on"
              {...dateProps}
            />
            <DateInput
              label={t('spotChecks.fields.reportReceivedOn')}
              description={reportDeadline ? t('spotChecks.reportHelp', { deadline: reportDeadline }) : undefined}
              value={reportOn}
              onChange={setReportOn}
              error={errs['reportReceivedOn']}
              data-testid="spot-check-report-received-on"
              {...dateProps}
            />
            <Select
              label={t('spotChecks.fields.closure')}
              description={t('spotChecks.closureHelp')}
              clearable
              value={closure}
              onChange={setClosure}
              data={spotCheckClosures.map((c) => ({ value: c, label: t(`spotChecks.closures.${c}`) }))}
              error={errs['closure']}
              data-testid="spot-check-closure"
            />
          </SimpleGrid>
          <Textarea
            label={t('common.reason')}
            description={t('common.reasonHelp')}
            withAsterisk
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={touched && reasonBad ? t('validation.reasonRequired') : errs['reason']}
            data-testid="spot-check-reason"
          />
          <ErrorAlert error={update.error} testId="spot-check-update-error" />
          <Group justify="flex-end">
            <Button
              loading={update.isPending}
              disabled={duplicateLab}
              onClick={() => {
                setTouched(true);
                if (reasonBad) return;
                update.mutate({
                  code: s.code,
                  appliedOn,
                  appliedTo: appliedOn ? appliedTo.trim() || null : null,
                  retestLab: retestLab.trim() || null,
                  retestSampleReceivedOn: sampleOn,
                  reportReceivedOn: reportOn,
                  closure: (closure as SpotCheck['closure']) ?? null,
                  reason: reason.trim(),
                });
              }}
              data-testid="spot-check-update-submit"
            >
              {t('common.save')}
            </Button>
          </Group>
        </>
      ) : null}
    </Stack>
  );
}

/** The retention sample withdrawn for a product re-test (one withdrawal, linked to the spot check). */
function RetentionForRetest({ s, canEdit }: { s: SpotCheck; canEdit: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [code, setCode] = useState('');
  const [quantity, setQuantity] = useState('');
  const [unit, setUnit] = useState<string | null>('g');
  const [reason, setReason] = useState('');
  const samples = useCall(
    'samples.list',
    { lotCode: s.lotCode ?? '-', kind: 'retention', offset: 0, limit: 20 },
    { enabled: !!s.lotCode && !s.retention, staleTime: 0 },
  );
  const take = useMutationCall('spotChecks.retestSample', {
    onSuccess: () => invalidate(qc),
  });
  if (s.retention)
    return (
      <Alert color="blue" variant="light" data-testid="spot-check-retention">
        {t('spotChecks.retentionTaken', {
          sample: s.retention.sampleCode,
          quantity: `${s.retention.quantity} ${s.retention.unit}`,
        })}{' '}
        <Anchor href={href('/retention', { sample: s.retention.sampleCode })} size="sm">
          {t('spotChecks.retentionOpen')}
        </Anchor>
      </Alert>
    );
  if (!canEdit) return null;
  const options = (samples.data?.samples ?? []).map((x) => ({
    value: x.code,
    label: `${x.code} (${x.quantity} ${x.unit})`,
  }));
  return (
    <Paper withBorder p="sm" data-testid="spot-check-retention-form">
      <Text fw={600} size="sm" mb={4}>
        {t('spotChecks.retentionTitle')}
      </Text>
      <Group align="flex-end" grow>
        <Select
          label={t('spotChecks.retentionSample')}
          data={options}
          searchable
          value={code || null}
          onChange={(v) => setCode(v ?? '')}
          data-testid="spot-check-retention-sample"
        />
        <TextInput
          label={t('retentionEvidence.quantity')}
          value={quantity}
          onChange={(e) => setQuantity(e.currentTarget.value)}
          data-testid="spot-check-retention-quantity"
        />
        <Select
          label={t('retentionEvidence.unit')}
          data={quantityUnits.map((u) => ({ value: u, label: u }))}
          value={unit}
          onChange={setUnit}
        />
      </Group>
      <TextInput
        mt="xs"
        label={t('common.reason')}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        data-testid="spot-check-retention-reason"
      />
      <ErrorAlert error={take.error} testId="spot-check-retention-error" />
      <Group justify="flex-end" mt="xs">
        <Button
          size="xs"
          disabled={
            !code ||
            !contractAccepts('spotChecks.retestSample', { quantity }, 'quantity') ||
            reason.trim().length < 3 ||
            !unit
          }
          loading={take.isPending}
          onClick={() =>
            take.mutate({
              code: s.code,
              retentionCode: code,
              quantity,
              unit: unit as (typeof quantityUnits)[number],
              reason: reason.trim(),
            })
          }
          data-testid="spot-check-retention-submit"
        >
          {t('spotChecks.retentionWithdraw')}
        </Button>
      </Group>
    </Paper>
  );
}

/**
 * Appeals recorded before the register existed, against the plant's own rejections. They are
 * never edited: a QA manager carries each forward (when it really disputed a spot-check result)
 * or retires it with the reason.
 */
function LegacyAppeals({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const list = useCall('appeals.list', {}, { staleTime: 0 });
  const checkName = useCheckNames();
  const [carrying, setCarrying] = useState<LegacyAppeal | null>(null);
  const [retiring, setRetiring] = useState<LegacyAppeal | null>(null);
  const rows = list.data ?? [];
  if (rows.length === 0) return null;
  return (
    <Paper withBorder p="sm" data-testid="legacy-appeals" style={{ borderColor: 'var(--mantine-color-yellow-6)' }}>
      <Title order={4}>{t('spotChecks.legacy.title', { count: rows.length })}</Title>
      <Text size="sm" c="dimmed" mb="xs" maw={900}>
        {t('spotChecks.legacy.intro')}
      </Text>
      <Table fz="sm" withTableBorder>
        <Table.Tbody>
          {rows.map((a) => (
            <Table.Tr key={a.id} data-testid={`legacy-appeal-${a.lotCode}`}>
              <Table.Td ff="monospace">
                <Anchor href={intakeHref(a.lotCode)} size="sm">
                  {a.lotCode}
                </Anchor>
              </Table.Td>
              <Table.Td>{a.supplierCode}</Table.Td>
              <Table.Td>{a.itemCodes.map(checkName).join('、')}</Table.Td>
              <Table.Td style={num}>{a.notifiedOn}</Table.Td>
              <Table.Td>{t(`appeals.status.${a.status}`)}</Table.Td>
              <Table.Td>
                {canEdit ? (
                  <Group gap="xs" justify="flex-end">
                    <Button
                      size="xs"
                      variant="light"
                      onClick={() => setCarrying(a)}
                      data-testid={`legacy-carry-${a.lotCode}`}
                    >
                      {t('spotChecks.legacy.carry')}
                    </Button>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="gray"
                      onClick={() => setRetiring(a)}
                      data-testid={`legacy-retire-${a.lotCode}`}
                    >
                      {t('spotChecks.legacy.retire')}
                    </Button>
                  </Group>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Drawer
        opened={!!carrying}
        onClose={() => setCarrying(null)}
        position="right"
        size="xl"
        title={t('spotChecks.legacy.carryTitle', { lot: carrying?.lotCode ?? '' })}
      >
        {carrying ? <CarryForward a={carrying} onDone={() => setCarrying(null)} /> : null}
      </Drawer>
      <Drawer
        opened={!!retiring}
        onClose={() => setRetiring(null)}
        position="right"
        size="md"
        title={t('spotChecks.legacy.retireTitle', { lot: retiring?.lotCode ?? '' })}
      >
        {retiring ? <RetireAppeal a={retiring} onDone={() => setRetiring(null)} /> : null}
      </Drawer>
    </Paper>
  );
}

function CarryForward({ a, onDone }: { a: LegacyAppeal; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const checkName = useCheckNames();
  const [authority, setAuthority] = useState('');
  const [sampledOn, setSampledOn] = useState<string | null>(null);
  const [reportNo, setReportNo] = useState('');
  const [sampleDesc, setSampleDesc] = useState('');
  const [items, setItems] = useState<Item[]>(
    a.itemCodes.map((c) => ({ name: checkName(c), result: '', requirement: null, conforming: false })),
  );
  const [reason, setReason] = useState('');
  const carry = useMutationCall('appeals.carryForward', {
    onSuccess: (s) => {
      notifications.show({ color: 'green', message: t('spotChecks.legacy.carried', { code: s.code }) });
      invalidate(qc);
      onDone();
    },
  });
  return (
    <Stack data-testid="legacy-carry-form">
      <Text size="sm">{t('spotChecks.legacy.carryIntro', { lab: a.firstLab, date: a.notifiedOn })}</Text>
      <TextInput
        label={t('spotChecks.fields.authority')}
        withAsterisk
        value={authority}
        onChange={(e) => setAuthority(e.currentTarget.value)}
        data-testid="legacy-authority"
      />
      <SimpleGrid cols={2}>
        <DateInput
          label={t('spotChecks.fields.sampledOn')}
          withAsterisk
          valueFormat="YYYY-MM-DD"
          maxDate={a.notifiedOn}
          value={sampledOn}
          onChange={setSampledOn}
          data-testid="legacy-sampled-on"
        />
        <TextInput
          label={t('spotChecks.fields.reportNo')}
          value={reportNo}
          onChange={(e) => setReportNo(e.currentTarget.value)}
        />
      </SimpleGrid>
      <TextInput
        label={t('spotChecks.fields.sampleDesc')}
        withAsterisk
        value={sampleDesc}
        onChange={(e) => setSampleDesc(e.currentTarget.value)}
        data-testid="legacy-sample"
      />
      <ItemsEditor items={items} onChange={setItems} />
      <Textarea
        label={t('common.reason')}
        withAsterisk
        autosize
        minRows={2}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        data-testid="legacy-carry-reason"
      />
      <ErrorAlert error={carry.error} testId="legacy-carry-error" />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button
          disabled={
            authority.trim().length < 2 ||
            !sampledOn ||
            !sampleDesc.trim() ||
            reason.trim().length < 3 ||
            !items.every((i) => i.name.trim() && i.result.trim())
          }
          loading={carry.isPending}
          onClick={() =>
            carry.mutate({
              id: a.id,
              authority: authority.trim(),
              sampledOn: sampledOn!,
              reportNo: reportNo.trim() || null,
              sampleDesc: sampleDesc.trim(),
              items,
              reason: reason.trim(),
            })
          }
          data-testid="legacy-carry-submit"
        >
          {t('spotChecks.legacy.carry')}
        </Button>
      </Group>
    </Stack>
  );
}

function RetireAppeal({ a, onDone }: { a: LegacyAppeal; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [reason, setReason] = useState(t('spotChecks.legacy.retireDefault'));
  const retire = useMutationCall('appeals.retire', {
    onSuccess: () => {
      invalidate(qc);
      onDone();
    },
  });
  return (
    <Stack data-testid="legacy-retire-form">
      <Text size="sm">{t('spotChecks.legacy.retireIntro')}</Text>
      <Textarea
        label={t('common.reason')}
        withAsterisk
        autosize
        minRows={3}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        data-testid="legacy-retire-reason"
      />
      <ErrorAlert error={retire.error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button
          color="gray"
          disabled={reason.trim().length < 3}
          loading={retire.isPending}
          onClick={() => retire.mutate({ id: a.id, reason: reason.trim() })}
          data-testid="legacy-retire-submit"
        >
          {t('spotChecks.legacy.retire')}
        </Button>
      </Group>
    </Stack>
  );
}
