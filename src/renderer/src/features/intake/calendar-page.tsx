import { useState } from 'react';
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { DateInput, Month } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useCall, useMutationCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { IntakeTabs } from './intake-format';

type Kind = 'holiday' | 'workday';

function isWeekend(date: string): boolean {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6;
}

/**
 * `#/appeals/calendar`: the working-day calendar the appeal deadlines count on — public
 * holidays (rest days even on a weekday) and make-up working days (调休, a Saturday or Sunday
 * that is worked). The State Council publishes them each year; QA enters them here.
 */
export function CalendarPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const qc = useQueryClient();
  const [year, setYear] = useState(new Date().getFullYear());
  const days = useCall('calendar.list', { year }, { staleTime: 0 });
  const canEdit = hasPermission(session, 'intake.configure') && !session.readOnly;
  const [date, setDate] = useState<string | null>(null);
  const [kind, setKind] = useState<Kind>('holiday');
  const [name, setName] = useState('');
  const [reason, setReason] = useState('');
  const save = useMutationCall('calendar.save', {
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('appeals.calendar.saved') });
      void qc.invalidateQueries({ queryKey: ['calendar.list'] });
      void qc.invalidateQueries({ queryKey: ['appeals.list'] });
      setDate(null);
      setName('');
      setReason('');
    },
  });
  const byDate = new Map((days.data ?? []).map((d) => [d.date, d]));
  const existing = date ? byDate.get(date) : undefined;
  const workdayOnWeekday = kind === 'workday' && !!date && !isWeekend(date);
  const months = Array.from({ length: 12 }, (_, m) => `${year}-${String(m + 1).padStart(2, '0')}-01`);
  const dayjsLocale = i18n.language.startsWith('zh') ? 'zh-cn' : 'en';

  return (
    <Stack data-testid="calendar-page">
      <IntakeTabs active="appeals" />
      <Anchor href={href('/appeals')} size="sm">
        ← {t('appeals.calendar.back')}
      </Anchor>
      <div>
        <Title order={2}>{t('appeals.calendar.title')}</Title>
        <Text c="dimmed" size="sm" maw={860}>
          {t('appeals.calendar.intro')}
        </Text>
      </div>
      <Group>
        <Button variant="default" size="xs" onClick={() => setYear(year - 1)} data-testid="calendar-prev">
          ← {year - 1}
        </Button>
        <Title order={3} style={{ fontVariantNumeric: 'tabular-nums' }} data-testid="calendar-year">
          {year}
        </Title>
        <Button variant="default" size="xs" onClick={() => setYear(year + 1)} data-testid="calendar-next">
          {year + 1} →
        </Button>
        <Group gap={6} ml="md">
          <Badge color="red" variant="filled" tt="none">
            {t('appeals.calendar.kinds.holiday')}
          </Badge>
          <Badge color="blue" variant="filled" tt="none">
            {t('appeals.calendar.kinds.workday')}
          </Badge>
        </Group>
      </Group>
      <ErrorAlert error={days.error} />
      {days.data && days.data.length === 0 ? (
        <Alert color="orange" variant="light" data-testid="calendar-empty">
          {t('appeals.calendar.empty', { year })}
        </Alert>
      ) : null}
      <Group align="flex-start" wrap="nowrap" gap="md">
        <Paper withBorder p="sm" style={{ flex: 1 }}>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm" verticalSpacing="sm">
            {months.map((m) => (
              <Stack key={m} gap={2}>
                <Text size="sm" fw={700}>
                  {new Intl.DateTimeFormat(i18n.language, { month: 'long' }).format(new Date(`${m}T00:00:00`))}
                </Text>
                <Month
                  month={m}
                  size="xs"
                  locale={dayjsLocale}
                  firstDayOfWeek={1}
                  hideOutsideDates
                  static={!canEdit}
                  getDayProps={(d) => {
                    const c = byDate.get(d);
                    const bg =
                      c?.kind === 'holiday'
                        ? 'var(--mantine-color-red-6)'
                        : c?.kind === 'workday'
                          ? 'var(--mantine-color-blue-6)'
                          : undefined;
                    return {
                      selected: d === date,
                      onClick: canEdit
                        ? () => {
                            setDate(d);
                            const cur = byDate.get(d);
                            setKind(cur?.kind ?? (isWeekend(d) ? 'workday' : 'holiday'));
                            setName(cur?.name ?? '');
                          }
                        : undefined,
                      style: bg ? { background: bg, color: 'white', fontWeight: 700 } : undefined,
                      title: c?.name ?? undefined,
                    };
                  }}
                />
              </Stack>
            ))}
          </SimpleGrid>
        </Paper>
        <Stack w={360} style={{ flexShrink: 0 }}>
          {canEdit ? (
            <Paper withBorder p="sm" data-testid="calendar-form">
              <Title order={5} mb="xs">
                {t('appeals.calendar.formTitle')}
              </Title>
              <Stack gap="xs">
                <DateInput
                  label={t('appeals.calendar.date')}
                  valueFormat="YYYY-MM-DD"
                  value={date}
                  onChange={setDate}
                  data-testid="calendar-date"
                />
                <SegmentedControl
                  value={kind}
                  onChange={(v) => setKind(v as Kind)}
                  data={[
                    { value: 'holiday', label: t('appeals.calendar.kinds.holiday') },
                    { value: 'workday', label: t('appeals.calendar.kinds.workday') },
                  ]}
                  data-testid="calendar-kind"
                />
                {workdayOnWeekday ? (
                  <Text size="xs" c="red">
                    {t('appeals.calendar.workdayWeekend')}
                  </Text>
                ) : null}
                <TextInput
                  label={t('appeals.calendar.name')}
                  placeholder={kind === 'holiday' ? '劳动节' : '劳动节调休'}
                  value={name}
                  onChange={(e) => setName(e.currentTarget.value)}
                  data-testid="calendar-name"
                />
                {existing ? (
                  <Textarea
                    label={t('common.reason')}
                    autosize
                    minRows={1}
                    value={reason}
                    onChange={(e) => setReason(e.currentTarget.value)}
                    data-testid="calendar-reason"
                  />
                ) : null}
                <ErrorAlert error={save.error} testId="calendar-error" />
                <Group justify="flex-end" gap="xs">
                  {existing ? (
                    <Button
                      variant="light"
                      color="gray"
                      loading={save.isPending}
                      onClick={() =>
                        save.mutate({
                          date: date!,
                          kind: null,
                          name: null,
                          ...(reason.trim().length >= 3 ? { reason: reason.trim() } : {}),
                        })
                      }
                      data-testid="calendar-clear"
                    >
                      {t('appeals.calendar.clear')}
                    </Button>
                  ) : null}
                  <Button
                    disabled={!date || workdayOnWeekday}
                    loading={save.isPending}
                    onClick={() =>
                      save.mutate({
                        date: date!,
                        kind,
                        name: name.trim() || null,
                        ...(reason.trim().length >= 3 ? { reason: reason.trim() } : {}),
                      })
                    }
                    data-testid="calendar-save"
                  >
                    {t('common.save')}
                  </Button>
                </Group>
              </Stack>
            </Paper>
          ) : null}
          <Paper withBorder p="sm" data-testid="calendar-list">
            <Title order={5} mb="xs">
              {t('appeals.calendar.listTitle', { count: days.data?.length ?? 0 })}
            </Title>
            {(days.data ?? []).length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('appeals.calendar.listEmpty')}
              </Text>
            ) : (
              <Table fz="sm" verticalSpacing={3}>
                <Table.Tbody>
                  {(days.data ?? []).map((d) => (
                    <Table.Tr key={d.id} data-testid={`calendar-day-${d.date}`}>
                      <Table.Td ff="monospace">{d.date}</Table.Td>
                      <Table.Td>
                        <Badge color={d.kind === 'holiday' ? 'red' : 'blue'} variant="light" tt="none" size="sm">
                          {t(`appeals.calendar.kinds.${d.kind}`)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{d.name ?? ''}</Table.Td>
                      <Table.Td w={30}>
                        {canEdit ? (
                          <ActionIcon
                            size="sm"
                            variant="subtle"
                            aria-label={t('appeals.calendar.edit')}
                            onClick={() => {
                              setDate(d.date);
                              setKind(d.kind);
                              setName(d.name ?? '');
                            }}
                          >
                            ✎
                          </ActionIcon>
                        ) : null}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Paper>
        </Stack>
      </Group>
    </Stack>
  );
}
