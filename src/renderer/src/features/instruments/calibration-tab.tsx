import { useState } from 'react';
import {
  ActionIcon,
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
  Switch,
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
import { call } from '../../api/client';
import { hasPermission, useSession } from '../../app/session';
import { ErrorAlert } from '../../components/error-alert';
import { formatTime } from '../../components/format';
import { serverFieldErrors } from '../lots/form-errors';
import { withinTolerance } from './instrument-format';

type EventView = ChannelOutput<'instruments.get'>['events'][number];
type ReadOut = ChannelOutput<'instruments.read'>;

/** Calibration certificates, maintenance, daily checks (issue 10 §6) and their history. */
export function CalibrationTab({ instrument, events }: { instrument: InstrumentView; events: EventView[] }) {
  const { t } = useTranslation();
  const session = useSession();
  const canCalibrate = hasPermission(session, 'instruments.calibrate') && !session.readOnly;
  const [recording, setRecording] = useState(false);
  return (
    <Stack>
      {canCalibrate ? <DailyCheck instrument={instrument} /> : null}
      <Paper withBorder p="md">
        <Group justify="space-between" mb="sm">
          <Title order={4}>{t('instruments.history.title')}</Title>
          {canCalibrate ? (
            <Button variant="light" onClick={() => setRecording(true)} data-testid="calibration-record">
              {t('instruments.calibration.record')}
            </Button>
          ) : null}
        </Group>
        <EventsTable events={events} />
      </Paper>
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
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
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

interface Point {
  nominal: string;
  tolerance: string;
  unit: string;
  /** Typed reading (instruments that cannot send). */
  typed: string;
  read: ReadOut | null;
  reading: boolean;
  readError: unknown;
}

const defaultUnit: Partial<Record<InstrumentView['kind'], string>> = {
  balance: 'g',
  moisture_analyser: 'g',
  ph_meter: 'pH',
};

function blankPoint(i: InstrumentView): Point {
  return {
    nominal: '',
    tolerance: '',
    unit: defaultUnit[i.kind] ?? '',
    typed: '',
    read: null,
    reading: false,
    readError: null,
  };
}

const sameUnit = (a: string, b: string) => a.replace(/\s+/g, '').toLowerCase() === b.replace(/\s+/g, '').toLowerCase();

/**
 * The daily check wizard: check points (e.g. a 100 g check weight ± 0.05 g, pH 7.00 buffer
 * ± 0.02), each read through the instrument itself (the reading is kept as evidence) or,
 * for instruments that cannot send, typed; pass or fail shows at once and the server judges
 * again when the check is saved. A failed check locks the instrument.
 */
function DailyCheck({ instrument }: { instrument: InstrumentView }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [typedMode, setTypedMode] = useState(instrument.driver === 'print');
  const [points, setPoints] = useState<Point[]>(() => [blankPoint(instrument)]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<EventView | null>(null);
  const connected = instrument.state === 'connected';
  const done = saved !== null;
  const restart = () => {
    setSaved(null);
    setPoints([blankPoint(instrument)]);
    setNote('');
  };

  const set = (k: number, patch: Partial<Point>) =>
    setPoints((ps) => ps.map((p, i) => (i === k ? { ...p, ...patch } : p)));

  const readingOf = (p: Point): { value: string; unit: string } | null => {
    if (typedMode) return p.typed.trim() ? { value: p.typed.trim(), unit: p.unit } : null;
    return p.read?.outcome.ok && p.read.outcome.value
      ? { value: p.read.outcome.value, unit: p.read.outcome.unit ?? '' }
      : null;
  };
  const verdictOf = (p: Point): boolean | null => {
    const r = readingOf(p);
    if (!r || !p.nominal.trim() || !p.tolerance.trim()) return null;
    if (!typedMode && !sameUnit(r.unit, p.unit)) return false;
    return withinTolerance(r.value, p.nominal, p.tolerance);
  };

  const read = (k: number) => {
    set(k, { reading: true, readError: null, read: null });
    call('instruments.read', { id: instrument.id })
      .then((out) => set(k, { read: out, reading: false }))
      .catch((e: unknown) => set(k, { readError: e, reading: false }));
  };

  const complete = points.every((p) => p.nominal.trim() && p.tolerance.trim() && p.unit.trim() && readingOf(p));
  const save = () => {
    setBusy(true);
    setError(null);
    setSaved(null);
    call('instruments.dailyCheck', {
      id: instrument.id,
      points: points.map((p) => ({
        nominal: p.nominal.trim(),
        tolerance: p.tolerance.trim(),
        unit: p.unit.trim(),
        ...(typedMode ? { reading: p.typed.trim() } : { captureId: p.read!.capture!.id }),
      })),
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
      <Group justify="space-between" mb="xs" align="flex-start">
        <div>
          <Title order={4}>{t('instruments.check.title')}</Title>
          <Text size="sm" c="dimmed" maw={760}>
            {t('instruments.check.intro', { hours: instrument.checkIntervalHours })}
          </Text>
        </div>
        <Switch
          label={t('instruments.check.typedMode')}
          checked={typedMode}
          disabled={done}
          onChange={(e) => setTypedMode(e.currentTarget.checked)}
          data-testid="check-typed-mode"
        />
      </Group>
      {!typedMode && !connected ? (
        <Alert color="yellow" variant="light" mb="sm" data-testid="check-not-connected">
          {t('instruments.check.connectFirst')}
        </Alert>
      ) : null}
      <Table verticalSpacing={6} withTableBorder fz="sm" data-testid="check-points">
        <Table.Thead bg="var(--mantine-color-gray-0)">
          <Table.Tr>
            <Table.Th w={40}>#</Table.Th>
            <Table.Th>{t('instruments.check.nominal')}</Table.Th>
            <Table.Th>{t('instruments.check.tolerance')}</Table.Th>
            <Table.Th>{t('instruments.check.unit')}</Table.Th>
            <Table.Th>{t('instruments.check.reading')}</Table.Th>
            <Table.Th>{t('instruments.check.verdict')}</Table.Th>
            <Table.Th w={40} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {points.map((p, k) => {
            const v = verdictOf(p);
            const r = readingOf(p);
            return (
              <Table.Tr key={k} data-testid={`check-point-${k}`} style={{ verticalAlign: 'top' }}>
                <Table.Td>{k + 1}</Table.Td>
                <Table.Td>
                  <TextInput
                    size="xs"
                    w={110}
                    value={p.nominal}
                    placeholder="100.00"
                    aria-label={t('instruments.check.nominal')}
                    onChange={(e) => set(k, { nominal: e.currentTarget.value })}
                    disabled={done}
                    data-testid={`check-nominal-${k}`}
                  />
                </Table.Td>
                <Table.Td>
                  <TextInput
                    size="xs"
                    w={90}
                    value={p.tolerance}
                    placeholder="0.05"
                    leftSection={<Text size="xs">±</Text>}
                    aria-label={t('instruments.check.tolerance')}
                    onChange={(e) => set(k, { tolerance: e.currentTarget.value })}
                    disabled={done}
                    data-testid={`check-tolerance-${k}`}
                  />
                </Table.Td>
                <Table.Td>
                  <TextInput
                    size="xs"
                    w={80}
                    value={p.unit}
                    aria-label={t('instruments.check.unit')}
                    onChange={(e) => set(k, { unit: e.currentTarget.value })}
                    disabled={done}
                    data-testid={`check-unit-${k}`}
                  />
                </Table.Td>
                <Table.Td miw={260}>
                  {typedMode ? (
                    <TextInput
                      size="xs"
                      w={120}
                      value={p.typed}
                      aria-label={t('instruments.check.reading')}
                      onChange={(e) => set(k, { typed: e.currentTarget.value })}
                      disabled={done}
                      data-testid={`check-typed-${k}`}
                    />
                  ) : (
                    <Stack gap={4} align="flex-start">
                      {done ? null : (
                        <Button
                          size="compact-sm"
                          variant="light"
                          loading={p.reading}
                          disabled={!connected}
                          onClick={() => read(k)}
                          data-testid={`check-read-${k}`}
                        >
                          {p.read ? t('instruments.check.readAgain') : t('instruments.check.read')}
                        </Button>
                      )}
                      {r ? (
                        <Text size="sm" ff="monospace" fw={700} data-testid={`check-reading-${k}`}>
                          {r.value} {r.unit}
                        </Text>
                      ) : null}
                      {p.read && !p.read.outcome.ok ? (
                        <Text size="xs" c="red.8" data-testid={`check-refused-${k}`}>
                          {p.read.outcome.message}
                        </Text>
                      ) : null}
                      <ErrorAlert error={p.readError} testId={`check-read-error-${k}`} />
                    </Stack>
                  )}
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
                  {r && !typedMode && !sameUnit(r.unit, p.unit) ? (
                    <Text size="xs" c="red.8">
                      {t('instruments.check.unitMismatch', { unit: r.unit, expected: p.unit })}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    disabled={points.length <= 1 || done}
                    aria-label={t('instruments.check.removePoint')}
                    onClick={() => setPoints((ps) => ps.filter((_, i) => i !== k))}
                  >
                    ×
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <Group mt="xs" justify="space-between" align="flex-end">
        <Button
          size="compact-sm"
          variant="subtle"
          disabled={points.length >= 12 || done}
          onClick={() => setPoints((ps) => [...ps, { ...blankPoint(instrument), unit: ps.at(-1)?.unit ?? '' }])}
          data-testid="check-add-point"
        >
          + {t('instruments.check.addPoint')}
        </Button>
      </Group>
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
          {saved.passed ? t('instruments.check.savedPassed') : t('instruments.check.savedFailed')}
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

function EventsTable({ events }: { events: EventView[] }) {
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
              </Table.Td>
              <Table.Td>
                {e.kind === 'daily_check' ? (
                  <Stack gap={2}>
                    {e.points.map((p, k) => (
                      <Text key={k} size="xs" ff="monospace" c={p.passed ? undefined : 'red.8'}>
                        {p.reading} {p.unit} ({t('instruments.history.nominal')} {p.nominal} ± {p.tolerance}){' '}
                        {p.captureId ? t('instruments.history.readThrough') : t('instruments.history.typed')}
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
                <Text size="xs">{e.by}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
