import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { contractIssues, useContractForm } from '../../../ui/contract-form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { SiteView } from '../../../../../shared/contract/channels/samples';
import { useCall, useMutationCall } from '../../../core/api/hooks';
import { ErrorAlert } from '../../../ui/error-alert';
import { href, useRoute } from '../../../core/router';
import { hasPermission, useSession } from '../../../core/session';
import { serverFieldErrors } from '../../../ui/form-errors';
import { todayIso } from '../../../ui/dates';
import { SamplesTabs } from '../samples-tabs';
import { zoneColorOf } from '../../../ui/zone';

type Schedule = SiteView['schedules'][number];

function registerHref(site: { code: string; kind: string }, targets: string[] = []): string {
  return href('/samples', { kind: site.kind === 'water' ? 'water' : 'environmental_swab', site: site.code, targets: targets.join(',') });
}

/** Sampling sites by hygiene zone, their schedules, and the swabs due. */
export function SitesPage() {
  const { t } = useTranslation();
  const session = useSession();
  const route = useRoute();
  const canManage = hasPermission(session, 'sites.manage') && !session.readOnly;
  const sites = useCall('sites.list', { includeInactive: true }, { staleTime: 0 });
  const [editing, setEditing] = useState<SiteView | 'new' | null>(null);
  const [scheduling, setScheduling] = useState<{ site: SiteView; schedule: Schedule | null } | null>(null);
  const highlight = route.params.get('site');

  const groups: { key: string; title: string; zone: number | null; sites: SiteView[] }[] = [
    ...[1, 2, 3, 4].map((z) => ({
      key: `zone-${z}`,
      title: t(`sites.zones.${z}`),
      zone: z,
      sites: (sites.data ?? []).filter((s) => s.kind === 'environment' && s.zone === z),
    })),
    { key: 'water', title: t('sites.waterPoints'), zone: null, sites: (sites.data ?? []).filter((s) => s.kind === 'water') },
  ];

  return (
    <Stack data-testid="sites-page">
      <SamplesTabs active="sites" />
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t('sites.title')}</Title>
          <Text c="dimmed" size="sm">
            {t('sites.intro')}
          </Text>
        </div>
        {canManage ? (
          <Button onClick={() => setEditing('new')} data-testid="site-new">
            {t('sites.new')}
          </Button>
        ) : null}
      </Group>

      <SwabsDue />

      <ErrorAlert error={sites.error} />
      {sites.data && sites.data.length === 0 ? (
        <Text c="dimmed" data-testid="sites-empty">
          {canManage ? t('sites.emptyManager') : t('sites.empty')}
        </Text>
      ) : null}
      {groups
        .filter((g) => g.sites.length > 0)
        .map((g) => (
          <Paper
            key={g.key}
            withBorder
            p="sm"
            data-testid={`sites-${g.key}`}
            style={{ borderLeft: `6px solid var(--mantine-color-${zoneColorOf(g.zone)}-6)` }}
          >
            <Group gap="xs" mb="xs">
              <Badge color={zoneColorOf(g.zone)} variant="filled" tt="none">
                {g.zone ? t('sites.zoneN', { zone: g.zone }) : t('sites.kinds.water')}
              </Badge>
              <Text fw={600}>{g.title}</Text>
            </Group>
            <Table fz="sm" withTableBorder striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('sites.fields.code')}</Table.Th>
                  <Table.Th>{t('sites.fields.name')}</Table.Th>
                  <Table.Th>{t('sites.fields.line')}</Table.Th>
                  <Table.Th>{t('sites.fields.room')}</Table.Th>
                  <Table.Th>{t('sites.schedules')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {g.sites.map((s) => (
                  <Table.Tr
                    key={s.id}
                    data-testid={`site-row-${s.code}`}
                    style={{ opacity: s.active ? 1 : 0.55, background: highlight === s.code ? 'var(--mantine-color-teal-0)' : undefined }}
                  >
                    <Table.Td ff="monospace" fw={600}>
                      {s.code}
                      {!s.active ? (
                        <Badge ml={6} color="gray" size="xs" tt="none">
                          {t('sites.inactive')}
                        </Badge>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      {s.nameZh} / {s.nameEn}
                    </Table.Td>
                    <Table.Td>{s.line ?? '—'}</Table.Td>
                    <Table.Td>{s.room ?? '—'}</Table.Td>
                    <Table.Td>
                      <Stack gap={2}>
                        {s.schedules.length === 0 ? (
                          <Text size="xs" c="dimmed">
                            {t('sites.noSchedule')}
                          </Text>
                        ) : null}
                        {s.schedules.map((sc) => (
                          <Group key={sc.id} gap={4} wrap="nowrap">
                            <Text size="xs" style={{ opacity: sc.active ? 1 : 0.5 }}>
                              {t('sites.scheduleLine', { days: sc.frequencyDays, next: sc.nextDue, targets: sc.targets.join(', ') })}
                            </Text>
                            {canManage ? (
                              <Button size="compact-xs" variant="subtle" onClick={() => setScheduling({ site: s, schedule: sc })}>
                                {t('sites.edit')}
                              </Button>
                            ) : null}
                          </Group>
                        ))}
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap" justify="flex-end">
                        {s.active ? (
                          <Button size="compact-xs" component="a" href={registerHref(s)} data-testid={`site-register-${s.code}`}>
                            {t('sites.registerSample')}
                          </Button>
                        ) : null}
                        {canManage ? (
                          <>
                            <Button size="compact-xs" variant="light" onClick={() => setScheduling({ site: s, schedule: null })} data-testid={`site-schedule-${s.code}`}>
                              {t('sites.addSchedule')}
                            </Button>
                            <Button size="compact-xs" variant="default" onClick={() => setEditing(s)} data-testid={`site-edit-${s.code}`}>
                              {t('sites.edit')}
                            </Button>
                          </>
                        ) : null}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        ))}
      {editing ? <SiteModal site={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
      {scheduling ? <ScheduleModal site={scheduling.site} schedule={scheduling.schedule} onClose={() => setScheduling(null)} /> : null}
    </Stack>
  );
}

function SwabsDue() {
  const { t, i18n } = useTranslation();
  const [date, setDate] = useState(todayIso());
  const due = useCall('sites.due', { date }, { staleTime: 0 });
  const rows = due.data ?? [];
  return (
    <Paper withBorder p="sm" data-testid="swabs-due">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={4}>{t('sites.dueTitle')}</Title>
          <Text size="xs" c="dimmed">
            {t('sites.dueHelp')}
          </Text>
        </div>
        <TextInput type="date" label={t('sites.dueDate')} value={date} onChange={(e) => setDate(e.currentTarget.value || todayIso())} w={170} data-testid="swabs-due-date" />
      </Group>
      <ErrorAlert error={due.error} />
      {due.data && rows.length === 0 ? (
        <Text size="sm" c="dimmed" mt="xs" data-testid="swabs-due-none">
          {t('sites.dueNone')}
        </Text>
      ) : null}
      {rows.length > 0 ? (
        <Table fz="sm" mt="xs" withTableBorder>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.scheduleId} data-testid={`swab-due-${r.siteCode}`}>
                <Table.Td>
                  <Badge color={zoneColorOf(r.zone)} variant="filled" tt="none">
                    {r.zone ? t('sites.zoneN', { zone: r.zone }) : t('sites.kinds.water')}
                  </Badge>
                </Table.Td>
                <Table.Td ff="monospace" fw={600}>
                  {r.siteCode}
                </Table.Td>
                <Table.Td>{i18n.language.startsWith('zh') ? r.nameZh : r.nameEn}</Table.Td>
                <Table.Td>{[r.line, r.room].filter(Boolean).join(' · ') || '—'}</Table.Td>
                <Table.Td>{r.targets.join(', ')}</Table.Td>
                <Table.Td>
                  {r.overdueDays > 0 ? (
                    <Badge color="red" tt="none">
                      {t('sites.overdue', { count: r.overdueDays })}
                    </Badge>
                  ) : (
                    <Badge color="blue" variant="light" tt="none">
                      {t('sites.dueOn', { date: r.nextDue })}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Button size="compact-sm" component="a" href={registerHref({ code: r.siteCode, kind: r.kind }, r.targets)} data-testid={`swab-register-${r.siteCode}`}>
                    {r.kind === 'water' ? t('sites.registerWater') : t('sites.registerSwab')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Paper>
  );
}

interface SiteValues {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: 'environment' | 'water';
  zone: string;
  line: string;
  room: string;
  active: boolean;
  reason: string;
}

/** The site as sites.save takes it: what the submit sends and the schema checks. */
function siteInput(site: SiteView | null, x: SiteValues) {
  return {
    ...(site ? { id: site.id, reason: x.reason.trim() } : {}),
    fields: {
      code: x.code.trim(),
      nameZh: x.nameZh.trim(),
      nameEn: x.nameEn.trim(),
      kind: x.kind,
      zone: x.kind === 'environment' ? Number(x.zone) : null,
      line: x.line.trim() || null,
      room: x.room.trim() || null,
      active: x.active,
    },
  };
}

function SiteModal({ site, onClose }: { site: SiteView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const form = useContractForm<'sites.save', SiteValues>('sites.save', {
    toInput: (x) => siteInput(site, x),
    fields: { 'fields.code': 'code', 'fields.nameZh': 'nameZh', 'fields.nameEn': 'nameEn', 'fields.zone': 'zone' },
    messages: { code: 'sites.errors.code', nameZh: 'validation.required', nameEn: 'validation.required' },
    initialValues: {
      code: site?.code ?? '',
      nameZh: site?.nameZh ?? '',
      nameEn: site?.nameEn ?? '',
      kind: site?.kind ?? 'environment',
      zone: site?.zone ? String(site.zone) : '1',
      line: site?.line ?? '',
      room: site?.room ?? '',
      active: site?.active ?? true,
      reason: '',
    },
    validate: {
      reason: (v) => (site && v.trim().length < 3 ? t('validation.reasonRequired') : null),
    },
  });
  const save = useMutationCall('sites.save', {
    onSuccess: (s) => {
      notifications.show({ color: 'green', message: t('sites.saved', { code: s.code }) });
      void qc.invalidateQueries({ queryKey: ['sites.list'] });
      void qc.invalidateQueries({ queryKey: ['sites.due'] });
      onClose();
    },
    onError: (e) => form.setErrors(serverFieldErrors(t, e, { 'fields.code': 'code', 'fields.zone': 'zone' })),
  });
  const v = form.values;
  return (
    <Modal opened onClose={onClose} title={site ? t('sites.editTitle', { code: site.code }) : t('sites.newTitle')} size="lg">
      <form
        noValidate
        onSubmit={form.onSubmit((x) => save.mutate(siteInput(site, x)))}
        data-testid="site-form"
      >
        <Stack>
          <SegmentedControl
            w="fit-content"
            disabled={!!site}
            value={v.kind}
            onChange={(k) => form.setFieldValue('kind', k as SiteValues['kind'])}
            data={[
              { value: 'environment', label: t('sites.kinds.environment') },
              { value: 'water', label: t('sites.kinds.water') },
            ]}
            data-testid="site-kind"
          />
          <SimpleGrid cols={2}>
            <TextInput label={t('sites.fields.code')} description={t('sites.fields.codeHelp')} withAsterisk disabled={!!site} data-testid="site-code" {...form.getInputProps('code')} />
            {v.kind === 'environment' ? (
              <Select
                label={t('sites.fields.zone')}
                description={t('sites.fields.zoneHelp')}
                allowDeselect={false}
                data={[1, 2, 3, 4].map((z) => ({ value: String(z), label: `${z} — ${t(`sites.zones.${z}`)}` }))}
                data-testid="site-zone"
                {...form.getInputProps('zone')}
              />
            ) : (
              <Text size="sm" c="dimmed" mt="lg">
                {t('sites.waterNoZone')}
              </Text>
            )}
            <TextInput label={t('sites.fields.nameZh')} withAsterisk data-testid="site-name-zh" {...form.getInputProps('nameZh')} />
            <TextInput label={t('sites.fields.nameEn')} withAsterisk data-testid="site-name-en" {...form.getInputProps('nameEn')} />
            <TextInput label={t('sites.fields.line')} data-testid="site-line" {...form.getInputProps('line')} />
            <TextInput label={t('sites.fields.room')} data-testid="site-room" {...form.getInputProps('room')} />
          </SimpleGrid>
          {site ? (
            <>
              <Checkbox label={t('sites.fields.active')} description={t('sites.fields.activeHelp')} {...form.getInputProps('active', { type: 'checkbox' })} />
              <Textarea label={t('sites.reason')} withAsterisk autosize minRows={2} data-testid="site-reason" {...form.getInputProps('reason')} />
            </>
          ) : null}
          <ErrorAlert error={save.error} testId="site-error" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="site-submit">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ScheduleModal({ site, schedule, onClose }: { site: SiteView; schedule: Schedule | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [frequency, setFrequency] = useState<number | string>(schedule?.frequencyDays ?? 7);
  const [nextDue, setNextDue] = useState(schedule?.nextDue ?? todayIso());
  const [targets, setTargets] = useState<string[]>(schedule?.targets ?? (site.kind === 'water' ? ['coliforms'] : ['enterobacteriaceae']));
  const [active, setActive] = useState(schedule?.active ?? true);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const save = useMutationCall('sites.schedule.save', {
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('sites.scheduleSaved', { code: site.code }) });
      void qc.invalidateQueries({ queryKey: ['sites.list'] });
      void qc.invalidateQueries({ queryKey: ['sites.due'] });
      onClose();
    },
  });
  const freq = Number(frequency);
  const input = {
    ...(schedule ? { id: schedule.id, reason: reason.trim() } : {}),
    siteId: site.id,
    frequencyDays: freq,
    nextDue,
    targets,
    active,
  };
  // The schedule as the channel's schema checks it; each field shows the screen's own words.
  const issues = contractIssues(t, 'sites.schedule.save', input).map((i) => i.path.split('.')[0]);
  const errors = {
    frequency: issues.includes('frequencyDays') ? t('sites.errors.frequency') : null,
    targets: issues.includes('targets') ? t('sites.errors.targets') : null,
    nextDue: issues.includes('nextDue') ? t('validation.required') : null,
    reason: schedule && reason.trim().length < 3 ? t('validation.reasonRequired') : null,
  };
  return (
    <Modal opened onClose={onClose} title={t('sites.scheduleTitle', { code: site.code })}>
      <Stack data-testid="schedule-form">
        <SimpleGrid cols={2}>
          <NumberInput label={t('sites.frequency')} description={t('sites.frequencyHelp')} min={1} max={366} allowDecimal={false} value={frequency} onChange={setFrequency} error={touched ? errors.frequency : null} data-testid="schedule-frequency" />
          <TextInput type="date" label={t('sites.nextDue')} value={nextDue} onChange={(e) => setNextDue(e.currentTarget.value)} error={touched ? errors.nextDue : null} data-testid="schedule-next-due" />
        </SimpleGrid>
        <TagsInput label={t('sites.targets')} description={t('sites.targetsHelp')} value={targets} onChange={setTargets} error={touched ? errors.targets : null} data-testid="schedule-targets" />
        <Checkbox label={t('sites.scheduleActive')} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
        {schedule ? (
          <Textarea label={t('sites.reason')} withAsterisk autosize minRows={2} value={reason} onChange={(e) => setReason(e.currentTarget.value)} error={touched ? errors.reason : null} />
        ) : null}
        {save.error ? <ErrorAlert error={save.error} /> : null}
        {!schedule ? (
          <Alert color="blue" variant="light" p="xs">
            <Text size="xs">{t('sites.scheduleHint')}</Text>
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            loading={save.isPending}
            onClick={() => {
              setTouched(true);
              if (Object.values(errors).some(Boolean)) return;
              save.mutate(input);
            }}
            data-testid="schedule-submit"
          >
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
