import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
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
import { DateInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../../shared/contract';
import type { InstrumentView } from '../../../../shared/contract/channels/instruments';
import { call } from '../../core/api/client';
import { hasPermission, useSession } from '../../core/session';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { serverFieldErrors } from '../../ui/form-errors';
import { useEvent } from '../../core/api/hooks';
import { CheckPlanPanel, type CheckPlan } from './check-plan';
import { ImpactModal } from './impact';
import { withinTolerance } from './instrument-format';
import { Person } from '../../ui/person';
import { plantDate } from '../../ui/format';

type EventView = ChannelOutput<'instruments.get'>['events'][number];
type ReadOut = ChannelOutput<'instruments.read'>;

/** Calibration certificates, maintenance, daily checks (issue 10 §6) and their history. */
export function CalibrationTab({
  instrument,
  events,
  plan,
}: {
  instrument: InstrumentView;
  events: EventView[];
  plan: CheckPlan | null;
}) {
  const { t } = useTranslation();
  const session = useSession();
  const canCalibrate = hasPermission(session, 'instruments.calibrate') && !session.readOnly;
  const [recording, setRecording] = useState(false);
  const [impactOf, setImpactOf] = useState<string | null>(null);
  return (
    <Stack>
      <CheckPlanPanel key={`${plan?.id ?? 'none'}-${plan?.rev ?? 0}`} instrument={instrument} plan={plan} />
      {canCalibrate ? (
        <DailyCheck key={`${plan?.id ?? 'none'}-${plan?.rev ?? 0}`} instrument={instrument} plan={plan} />
      ) : null}
      <Paper withBorder p="md">
        <Group justify="space-between" mb="sm">
          <Title order={4}>{t('instruments.history.title')}</Title>
          {canCalibrate ? (
            <Button variant="light" onClick={() => setRecording(true)} data-testid="calibration-record">
              {t('instruments.calibration.record')}
            </Button>
          ) : null}
        </Group>
        <EventsTable events={events} onImpact={setImpactOf} />
      </Paper>
      <ImpactModal eventId={impactOf} onClose={() => setImpactOf(null)} />
      <Modal
        opened={recording}
        onClose={() => setRecording(false)}
        title={t('instruments.calibration.recordTitle', { code: instrument.code })}
        size="lg"
      >
        {recording ? <CalibrationForm instrument={instrument} onDone={() => setRecording(false)} /> : null}
      </Modal>
    </Stack>
  );
}

function today(): string {
  // The plant's calendar (D-113).
  return plantDate();
}

function CalibrationForm({ instrument, onDone }: { instrument: InstrumentView; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [kind, setKind] = useState<'calibration' | 'maintenance'>('calibration');
  const [performedOn, setPerformedOn] = useState(today());
  const [dueOn, setDueOn] = useState('');
  const [certificateNo, setCertificateNo] = useState('');
  const [provider, setProvider] = useState('');
  const [passed, setPassed] = useState(true);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const errs = serverFieldErrors(t, error);
  const dueMissing = kind === 'calibration' && !dueOn;
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (dueMissing) return;
        setBusy(true);
        setError(null);
        call('instruments.calibration', {
          id: instrument.id,
          kind,
          performedOn,
          passed,
          ...(dueOn ? { dueOn } : {}),
          ...(certificateNo.trim() ? { certificateNo: certificateNo.trim() } : {}),
          ...(provider.trim() ? { provider: provider.trim() } : {}),
          ...(note.trim() ? { note: note.trim() } : {}),
        })
          .then(() => {
            notifications.show({ color: 'green', message: t(`instruments.calibration.saved_${kind}`) });
            void qc.invalidateQueries({ queryKey: ['instruments.get'] });
            void qc.invalidateQueries({ queryKey: ['instruments.list'] });
            onDone();
          })
          .catch(setError)
          .finally(() => setBusy(false));
      }}
      data-testid="calibration-form"
    >
      <Stack>
        <SegmentedControl
          value={kind}
          onChange={(v) => setKind(v as 'calibration' | 'maintenance')}
          data={[
            { value: 'calibration', label: t('instruments.eventKinds.calibration') },
            { value: 'maintenance', label: t('instruments.eventKinds.maintenance') },
          ]}
          data-testid="calibration-kind"
        />
        <SimpleGrid cols={2}>
          <DateInput
            label={t('instruments.calibration.performedOn')}
            valueFormat="YYYY-MM-DD"
            withAsterisk
            maxDate={today()}
            value={performedOn || null}
            onChange={(v) => setPerformedOn(v ?? '')}
            error={errs['performedOn']}
            data-testid="calibration-performed"
          />
          <DateInput
            label={t('instruments.calibration.dueOn')}
            valueFormat="YYYY-MM-DD"
            clearable
            withAsterisk={kind === 'calibration'}
            minDate={performedOn || undefined}
            value={dueOn || null}
            onChange={(v) => setDueOn(v ?? '')}
            error={errs['dueOn'] ?? (dueMissing && busy ? t('validation.required') : undefined)}
            data-testid="calibration-due"
          />
          <TextInput
            label={t('instruments.calibration.certificateNo')}
            value={certificateNo}
            onChange={(e) => setCertificateNo(e.currentTarget.value)}
            data-testid="calibration-certificate"
          />
          <TextInput
            label={t('instruments.calibration.provider')}
            value={provider}
            onChange={(e) => setProvider(e.currentTarget.value)}
            data-testid="calibration-provider"
          />
        </SimpleGrid>
        <Checkbox
          label={t('instruments.calibration.passed')}
          checked={passed}
          onChange={(e) => setPassed(e.currentTarget.checked)}
          data-testid="calibration-passed"
        />
        <Textarea
          label={t('instruments.calibration.note')}
          autosize
          minRows={2}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        <ErrorAlert error={error} testId="calibration-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={busy} disabled={dueMissing} data-testid="calibration-submit">
            {t('instruments.calibration.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface Reading {
  /** Typed reading (instruments that only print). */
  typed: string;
  read: ReadOut | null;
  reading: boolean;
  readError: unknown;
  /** Signed at this bench and waiting for the site server (D-109): not yet a reading the check can use. */
  queued?: boolean;
}

const blankReading: Reading = { typed: '', read: null, reading: false, readError: null };

const sameUnit = (a: string, b: string) => a.replace(/\s+/g, '').toLowerCase() === b.replace(/\s+/g, '').toLowerCase();

/**
 * The daily check against the instrument's plan (D-059): one row per standard of the plan —
 * its certificate, nominal value and tolerance as the QA manager fixed them — each read
 * through the instrument itself (the reading is kept as evidence) or, for instruments that
 * only print, typed from the printout. Pass or fail shows at once and the server judges again
 * when the check is saved. A failed check locks the instrument and flags the results since
 * the last good check.
 */
function DailyCheck({ instrument, plan }: { instrument: InstrumentView; plan: CheckPlan | null }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const printing = instrument.driver === 'print';
  const points = plan?.points ?? [];
  const [readings, setReadings] = useState<Reading[]>(() => points.map(() => blankReading));
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<EventView | null>(null);
  const [offer, setOffer] = useState<{ readingId: string; value: string | null; unit: string | null } | null>(null);
  const connected = instrument.state === 'connected';
  const done = saved !== null;
  const restart = () => {
    setSaved(null);
    setReadings(points.map(() => blankReading));
    setNote('');
  };
  // A printing instrument's print key: its record is offered for the next standard.
  useEvent('instruments.reading', (p) => {
    if (p.id !== instrument.id || done) return;
    setOffer({ readingId: p.readingId, value: p.outcome.value, unit: p.outcome.unit });
  });

  if (!plan)
    return (
      <Paper withBorder p="md" data-testid="daily-check">
        <Title order={4}>{t('instruments.check.title')}</Title>
        <Alert color="orange" variant="light" mt="xs" data-testid="check-no-plan">
          {t('instruments.check.noPlan')}
        </Alert>
      </Paper>
    );

  const set = (k: number, patch: Partial<Reading>) =>
    setReadings((rs) => rs.map((r, i) => (i === k ? { ...r, ...patch } : r)));

  const readingOf = (k: number): { value: string; unit: string } | null => {
    const r = readings[k] ?? blankReading;
    if (r.read?.outcome.ok && r.read.outcome.value)
      return { value: r.read.outcome.value, unit: r.read.outcome.unit ?? '' };
    if (printing && r.typed.trim()) return { value: r.typed.trim(), unit: points[k]!.unit };
    return null;
  };
  const verdictOf = (k: number): boolean | null => {
    const r = readingOf(k);
    const p = points[k]!;
    if (!r) return null;
    if (!sameUnit(r.unit, p.unit)) return false;
    return withinTolerance(r.value, p.nominal, p.tolerance);
  };

  const read = (k: number, readingId?: string) => {
    set(k, { reading: true, readError: null, read: null, queued: false });
    call('instruments.read', { id: instrument.id, ...(readingId ? { readingId } : {}) })
      .then((out) => set(k, out.queued ? { read: null, queued: true, reading: false } : { read: out, reading: false }))
      .catch((e: unknown) => set(k, { readError: e, reading: false }));
  };
  const nextOpen = points.findIndex((_, k) => !readingOf(k));

  const complete = points.every((_, k) => readingOf(k));
  const save = () => {
    setBusy(true);
    setError(null);
    setSaved(null);
    call('instruments.dailyCheck', {
      id: instrument.id,
      readings: points.map((_, k) => {
        const r = readings[k]!;
        return r.read?.capture ? { point: k, captureId: r.read.capture.id } : { point: k, reading: r.typed.trim() };
      }),
      ...(note.trim() ? { note: note.trim() } : {}),
    })
      .then((ev) => {
        // The points stay on screen as recorded until a new check is started.
        setSaved(ev);
        void qc.invalidateQueries({ queryKey: ['instruments.get'] });
        void qc.invalidateQueries({ queryKey: ['instruments.list'] });
      })
      .catch(setError)
      .finally(() => setBusy(false));
  };

  return (
    <Paper withBorder p="md" data-testid="daily-check">
      <Title order={4}>{t('instruments.check.title')}</Title>
      <Text size="sm" c="dimmed" maw={760} mb="xs">
        {t(printing ? 'instruments.check.introPrint' : 'instruments.check.intro', {
          hours: instrument.checkIntervalHours,
        })}
      </Text>
      {!connected ? (
        <Alert color="yellow" variant="light" mb="sm" data-testid="check-not-connected">
          {t('instruments.check.connectFirst')}
        </Alert>
      ) : null}
      {offer && !done && nextOpen >= 0 ? (
        <Alert color="blue" variant="light" mb="sm" data-testid="check-offer">
          <Group justify="space-between">
            <Text size="sm">
              {t('instruments.check.printed', { value: offer.value ?? '?', unit: offer.unit ?? '' })}
            </Text>
            <Button
              size="compact-sm"
              onClick={() => {
                read(nextOpen, offer.readingId);
                setOffer(null);
              }}
              data-testid="check-use-printed"
            >
              {t('instruments.check.usePrinted', { n: nextOpen + 1 })}
            </Button>
          </Group>
        </Alert>
      ) : null}
      <Table verticalSpacing={6} withTableBorder fz="sm" data-testid="check-points">
        <Table.Thead bg="var(--mantine-color-gray-0)">
          <Table.Tr>
            <Table.Th w={40}>#</Table.Th>
            <Table.Th>{t('instruments.plan.standard')}</Table.Th>
            <Table.Th>{t('instruments.check.nominal')}</Table.Th>
            <Table.Th>{t('instruments.check.reading')}</Table.Th>
            <Table.Th>{t('instruments.check.verdict')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {points.map((p, k) => {
            const v = verdictOf(k);
            const r = readingOf(k);
            const state = readings[k] ?? blankReading;
            return (
              <Table.Tr key={k} data-testid={`check-point-${k}`} style={{ verticalAlign: 'top' }}>
                <Table.Td>{k + 1}</Table.Td>
                <Table.Td>
                  <Text size="sm">{p.standard}</Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {t('instruments.plan.certificateShort', { no: p.certificateNo })}
                    {p.certificateValidUntil
                      ? ` · ${t('instruments.plan.until', { date: p.certificateValidUntil })}`
                      : ''}
                  </Text>
                </Table.Td>
                <Table.Td ff="monospace" data-testid={`check-nominal-${k}`}>
                  {p.nominal} ± {p.tolerance} {p.unit}
                </Table.Td>
                <Table.Td miw={260}>
                  <Stack gap={4} align="flex-start">
                    {done ? null : (
                      <Group gap="xs">
                        {printing ? null : (
                          <Button
                            size="compact-sm"
                            variant="light"
                            loading={state.reading}
                            disabled={!connected}
                            onClick={() => read(k)}
                            data-testid={`check-read-${k}`}
                          >
                            {state.read ? t('instruments.check.readAgain') : t('instruments.check.read')}
                          </Button>
                        )}
                        {printing && !state.read ? (
                          <TextInput
                            size="xs"
                            w={120}
                            value={state.typed}
                            placeholder={t('instruments.check.typedPlaceholder')}
                            aria-label={t('instruments.check.reading')}
                            onChange={(e) => set(k, { typed: e.currentTarget.value })}
                            data-testid={`check-typed-${k}`}
                          />
                        ) : null}
                      </Group>
                    )}
                    {r ? (
                      <Text size="sm" ff="monospace" fw={700} data-testid={`check-reading-${k}`}>
                        {r.value} {r.unit}
                        {state.read ? null : (
                          <Text span size="xs" c="dimmed" fw={400}>
                            {' '}
                            ({t('instruments.history.typed')})
                          </Text>
                        )}
                      </Text>
                    ) : null}
                    {state.read && !state.read.outcome.ok ? (
                      <Text size="xs" c="red.8" data-testid={`check-refused-${k}`}>
                        {state.read.outcome.message}
                      </Text>
                    ) : null}
                    {state.queued ? (
                      <Text size="xs" c="orange.8" data-testid={`check-queued-${k}`}>
                        {t('instruments.check.queued')}
                      </Text>
                    ) : null}
                    <ErrorAlert error={state.readError} testId={`check-read-error-${k}`} />
                  </Stack>
                </Table.Td>
                <Table.Td>
                  {v === null ? (
                    <Text size="xs" c="dimmed">
                      —
                    </Text>
                  ) : (
                    <Badge
                      color={v ? 'green' : 'red'}
                      variant="filled"
                      tt="none"
                      data-testid={`check-verdict-${k}`}
                      data-pass={v ? 'true' : 'false'}
                    >
                      {v ? t('instruments.check.pass') : t('instruments.check.fail')}
                    </Badge>
                  )}
                  {r && !sameUnit(r.unit, p.unit) ? (
                    <Text size="xs" c="red.8">
                      {t('instruments.check.unitMismatch', { unit: r.unit, expected: p.unit })}
                    </Text>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <Textarea
        mt="sm"
        label={t('instruments.check.note')}
        autosize
        minRows={1}
        value={note}
        disabled={done}
        onChange={(e) => setNote(e.currentTarget.value)}
        data-testid="check-note"
      />
      <ErrorAlert error={error} testId="check-error" />
      {saved ? (
        <Alert
          mt="sm"
          color={saved.passed ? 'green' : 'red'}
          data-testid="check-saved"
          data-passed={saved.passed ? 'true' : 'false'}
        >
          {saved.passed
            ? t('instruments.check.savedPassed')
            : t('instruments.check.savedFailed', { count: saved.flagged })}
        </Alert>
      ) : null}
      <Group justify="flex-end" mt="sm">
        {done ? (
          <Button variant="light" onClick={restart} data-testid="check-new">
            {t('instruments.check.new')}
          </Button>
        ) : (
          <Button onClick={save} loading={busy} disabled={!complete} data-testid="check-save">
            {t('instruments.check.save')}
          </Button>
        )}
      </Group>
    </Paper>
  );
}

function EventsTable({ events, onImpact }: { events: EventView[]; onImpact: (eventId: string) => void }) {
  const { t } = useTranslation();
  if (events.length === 0)
    return (
      <Text size="sm" c="dimmed" data-testid="events-empty">
        {t('instruments.history.none')}
      </Text>
    );
  const color = { calibration: 'blue', daily_check: 'teal', maintenance: 'gray' } as const;
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table verticalSpacing={6} fz="sm" data-testid="events-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('instruments.history.kind')}</Table.Th>
            <Table.Th>{t('instruments.history.at')}</Table.Th>
            <Table.Th>{t('instruments.history.outcome')}</Table.Th>
            <Table.Th>{t('instruments.history.details')}</Table.Th>
            <Table.Th>{t('instruments.history.by')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.map((e) => (
            <Table.Tr key={e.id} data-testid={`event-${e.kind}`} style={{ verticalAlign: 'top' }}>
              <Table.Td>
                <Badge color={color[e.kind]} variant="light" tt="none">
                  {t(`instruments.eventKinds.${e.kind}`)}
                </Badge>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                {e.kind === 'daily_check' ? formatTime(e.performedAt) : e.performedAt.slice(0, 10)}
              </Table.Td>
              <Table.Td>
                <Badge color={e.passed ? 'green' : 'red'} variant="light" tt="none">
                  {e.passed ? t('instruments.check.pass') : t('instruments.check.fail')}
                </Badge>
                {!e.passed && e.kind !== 'maintenance' ? (
                  <Button
                    display="block"
                    mt={4}
                    size="compact-xs"
                    variant="light"
                    color="red"
                    onClick={() => onImpact(e.id)}
                    data-testid={`event-impact-${e.id}`}
                  >
                    {t('instruments.impact.open', { count: e.flagged })}
                  </Button>
                ) : null}
              </Table.Td>
              <Table.Td>
                {e.kind === 'daily_check' ? (
                  <Stack gap={2}>
                    {e.points.map((p, k) => (
                      <Text key={k} size="xs" ff="monospace" c={p.passed ? undefined : 'red.8'}>
                        {p.standard ? `${p.standard} (${p.certificateNo ?? ''}): ` : ''}
                        {p.reading} {p.unit} ({t('instruments.history.nominal')} {p.nominal} ± {p.tolerance}){' '}
                        {p.typed ? t('instruments.history.typed') : t('instruments.history.readThrough')}
                      </Text>
                    ))}
                  </Stack>
                ) : (
                  <Text size="xs">
                    {[
                      e.dueOn ? t('instruments.history.due', { date: e.dueOn }) : null,
                      e.certificateNo ? t('instruments.history.certificate', { no: e.certificateNo }) : null,
                      e.provider,
                    ]
                      .filter(Boolean)
                      .join(' · ') || '—'}
                  </Text>
                )}
                {e.note ? (
                  <Text size="xs" c="dimmed">
                    {e.note}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                <Text size="xs">
                  <Person id={e.by} />
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
