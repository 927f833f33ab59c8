import { useState } from 'react';
import { unitWord } from '../../../../shared/i18n/words';
import { ItemName } from '../../ui/item-name';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Paper,
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
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { sampleConditions, type SampleView } from '../../../../shared/contract/channels/samples';
import { ApiError, call } from '../../core/api/client';
import { useCall, useMutationCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { SignatureDialog } from '../../ui/signature-dialog';
import { serverFieldErrors } from '../../ui/form-errors';
import { LotLink, StatusBadge } from '../../ui/lot';
import { contractAccepts } from '../../ui/contract-form';
import { LabelPrint } from './label-print';
import { SampleLink, SampleStatusBadge, localToInstant } from '../../ui/sample';
import { SamplesTabs } from './samples-tabs';
import { SampleTests } from '../../core/slots';
import { signatureTime } from '../../ui/format';
import { Person } from '../../ui/person';

const eventColor: Record<string, string> = {
  registered: 'gray',
  received: 'blue',
  moved: 'cyan',
  label_printed: 'teal',
  label_reprinted: 'orange',
  testing_started: 'violet',
  completed: 'green',
  cancelled: 'red',
  disposed: 'grape',
};

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={500} data-testid={testId}>
        {value || '—'}
      </Text>
    </Stack>
  );
}

/** `#/samples/<code>`: everything about one sample, its custody and what can be done next. */
export function SamplePage({ code }: { code: string }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const detail = useCall('samples.get', { code }, { staleTime: 0, retry: false });
  const docs = useCall(
    'documents.list',
    { subjectEntity: 'sample', subjectId: detail.data?.sample.id ?? '-' },
    { enabled: !!detail.data, staleTime: 0 },
  );
  const [action, setAction] = useState<'receive' | 'move' | 'cancel' | 'dispose' | null>(null);

  if (detail.isLoading) return <Loader />;
  if (!detail.data) {
    const notFound = detail.error instanceof ApiError && detail.error.code === 'not_found';
    return (
      <Stack>
        <SamplesTabs active={null} />
        {notFound ? (
          <Alert color="red" title={t('samples.page.notFoundTitle')} data-testid="sample-not-found">
            {t('samples.page.notFound', { code })}
          </Alert>
        ) : (
          <ErrorAlert error={detail.error} />
        )}
      </Stack>
    );
  }
  const { sample: s, units, parent, events, signatures, lot, site, allowedActions } = detail.data;
  const canRegister = hasPermission(session, 'samples.register') && !session.readOnly;
  const canDispose = hasPermission(session, 'samples.dispose') && !session.readOnly;
  const zh = i18n.language.startsWith('zh');
  const show = (a: (typeof allowedActions)[number]) =>
    allowedActions.includes(a) && (a === 'dispose' ? canDispose : canRegister);

  return (
    <Stack data-testid="sample-page" data-sample={s.code}>
      <SamplesTabs active={null} />
      <Paper withBorder p="md">
        <Group justify="space-between" align="flex-start">
          <Stack gap={6}>
            <Text size="sm" c="dimmed">
              {t(`samples.kinds.${s.kind}`)}
            </Text>
            <Group gap="sm">
              <Title order={2} ff="monospace" data-testid="sample-code">
                {s.code}
              </Title>
              <SampleStatusBadge status={s.status} size="lg" />
              {s.disposedAt ? (
                <Badge color="grape" tt="none" size="lg">
                  {t('samples.page.disposed')}
                </Badge>
              ) : null}
            </Group>
            <Group gap="xs">
              {lot ? (
                <>
                  <Text size="sm">{t('samples.fields.lot')}:</Text>
                  <LotLink code={lot.code} />
                  <Text size="sm">
                    {lot.itemCode} · <ItemName code={lot.itemCode} recorded={lot.itemName} />
                  </Text>
                  <StatusBadge status={lot.status} size="sm" />
                </>
              ) : null}
              {site ? (
                <>
                  <Text size="sm">{t('samples.fields.site')}:</Text>
                  <Anchor href={href('/sites', { site: site.code })} size="sm" ff="monospace" fw={600} data-testid="sample-site-link">
                    {site.code}
                  </Anchor>
                  <Text size="sm">{zh ? site.nameZh : site.nameEn}</Text>
                  {site.zone ? (
                    <Badge variant="light" tt="none">
                      {t('sites.zoneN', { zone: site.zone })}
                    </Badge>
                  ) : null}
                </>
              ) : null}
              {parent ? (
                <>
                  <Text size="sm">{t('samples.page.unitOf', { no: s.unitNo })}</Text>
                  <SampleLink code={parent.code} />
                </>
              ) : null}
            </Group>
          </Stack>
          <Group gap="xs" data-testid="sample-actions">
            {show('receive') ? (
              <Button onClick={() => setAction('receive')} data-testid="sample-action-receive">
                {t('samples.actions.receive')}
              </Button>
            ) : null}
            {show('move') ? (
              <Button variant="light" onClick={() => setAction('move')} data-testid="sample-action-move">
                {t('samples.actions.move')}
              </Button>
            ) : null}
            {show('dispose') ? (
              <Button color="grape" variant="light" onClick={() => setAction('dispose')} data-testid="sample-action-dispose">
                {t('samples.actions.dispose')}
              </Button>
            ) : null}
            {show('cancel') ? (
              <Button color="red" variant="subtle" onClick={() => setAction('cancel')} data-testid="sample-action-cancel">
                {t('samples.actions.cancel')}
              </Button>
            ) : null}
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 2, md: 4 }} mt="md" data-testid="sample-facts">
          <Fact label={t('samples.fields.samplingPoint')} value={s.samplingPoint} />
          <Fact label={t('samples.fields.quantity')} value={`${s.quantity} ${unitWord(t, s.unit)}`} testId="sample-quantity" />
          <Fact label={t('samples.fields.container')} value={s.container} />
          <Fact label={t('samples.fields.storage')} value={s.storageLocation ?? ''} testId="sample-storage" />
          <Fact label={t('samples.fields.takenBy')} value={s.takenBy} />
          <Fact label={t('samples.fields.takenAt')} value={formatTime(s.takenAt)} />
          <Fact label={t('samples.fields.receivedBy')} value={s.receivedBy ?? ''} />
          <Fact label={t('samples.fields.receivedAt')} value={formatTime(s.receivedAt)} />
          <Fact
            label={t('samples.fields.condition')}
            value={s.condition ? t(`samples.conditions.${s.condition}`) : ''}
          />
          <Fact label={t('samples.fields.temperature')} value={s.temperature ? `${s.temperature} °C` : ''} />
          <Fact label={t('samples.fields.targets')} value={s.targets.join(', ')} />
          <Fact
            label={t('samples.fields.spec')}
            value={s.specVersionId ? t('samples.page.specLinked') : t('samples.page.noSpec')}
          />
          {s.kind === 'retention' ? (
            <Fact label={t('samples.fields.keepUntil')} value={s.keepUntil ?? ''} testId="sample-keep-until" />
          ) : null}
          {s.disposedAt ? <Fact label={t('samples.fields.disposedAt')} value={formatTime(s.disposedAt)} /> : null}
          {s.cancelReason ? <Fact label={t('samples.fields.cancelReason')} value={s.cancelReason} /> : null}
          {s.note ? <Fact label={t('samples.fields.note')} value={s.note} /> : null}
        </SimpleGrid>
      </Paper>

      {canRegister && s.status !== 'cancelled' && !s.disposedAt ? (
        <Stack gap={4}>
          <Title order={4}>{t('samples.page.labelTitle')}</Title>
          <LabelPrint code={s.code} />
        </Stack>
      ) : null}

      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Paper withBorder p="sm" data-testid="sample-events">
          <Title order={5} mb="sm">
            {t('samples.page.custodyTitle')}
          </Title>
          <Timeline bulletSize={14} lineWidth={2} active={events.length}>
            {events.map((e) => (
              <Timeline.Item
                key={e.id}
                color={eventColor[e.event] ?? 'gray'}
                title={t(`samples.events.${e.event}`)}
                data-testid={`sample-event-${e.event}`}
              >
                <Text size="xs" c="dimmed">
                  {formatTime(e.at)} · <Person id={e.by} />
                </Text>
                {e.location ? (
                  <Text size="xs">
                    {t('samples.fields.storage')}: {e.location}
                  </Text>
                ) : null}
                {e.detail ? (
                  <Text size="xs" c="dimmed">
                    {t(`samples.kinds.${e.detail}`, { defaultValue: t(`samples.conditions.${e.detail}`, { defaultValue: e.detail }) })}
                  </Text>
                ) : null}
              </Timeline.Item>
            ))}
          </Timeline>
        </Paper>
        <Stack>
          <Paper withBorder p="sm" data-testid="sample-signatures">
            <Title order={5} mb="xs">
              {t('samples.page.signaturesTitle')}
            </Title>
            {signatures.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('samples.page.noSignatures')}
              </Text>
            ) : (
              signatures.map((sig) => (
                <Group key={sig.id} gap="xs" data-testid="sample-signature">
                  <Text size="sm" fw={600}>
                    {sig.printedName}
                  </Text>
                  <Text size="sm">/</Text>
                  <Text size="sm">
                    {signatureTime(sig)}
                  </Text>
                  <Text size="sm">/</Text>
                  <Badge variant="light" tt="none">
                    {t(`meanings.${sig.meaning}`)}
                  </Badge>
                  {sig.comment ? (
                    <Text size="sm" c="dimmed">
                      — {sig.comment}
                    </Text>
                  ) : null}
                </Group>
              ))
            )}
          </Paper>
          <Paper withBorder p="sm" data-testid="sample-documents">
            <Title order={5} mb="xs">
              {t('samples.page.documentsTitle')}
            </Title>
            {(docs.data ?? []).length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('samples.page.noDocuments')}
              </Text>
            ) : (
              <Table fz="xs" withTableBorder>
                <Table.Tbody>
                  {(docs.data ?? []).map((d) => (
                    <Table.Tr key={d.id}>
                      <Table.Td ff="monospace">{d.fileName}</Table.Td>
                      <Table.Td>{formatTime(d.createdAt)}</Table.Td>
                      <Table.Td>{d.reprintOf ? t('samples.label.reprinted') : t('samples.label.printed')}</Table.Td>
                      <Table.Td ff="monospace" title={d.sha256}>
                        {d.sha256.slice(0, 12)}…
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Paper>
        </Stack>
      </SimpleGrid>

      {units.length > 0 ? <UnitsTable units={units} /> : null}

      <SampleTests code={s.code} />

      <ReceiveModal code={s.code} opened={action === 'receive'} onClose={() => setAction(null)} />
      <MoveModal code={s.code} rev={s.rev} opened={action === 'move'} onClose={() => setAction(null)} />
      <CancelModal code={s.code} rev={s.rev} opened={action === 'cancel'} onClose={() => setAction(null)} />
      <DisposeDialog sample={s} opened={action === 'dispose'} onClose={() => setAction(null)} />
    </Stack>
  );
}

function UnitsTable({ units }: { units: SampleView[] }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" data-testid="sample-units">
      <Title order={5} mb="xs">
        {t('samples.page.unitsTitle', { count: units.length })}
      </Title>
      <Table fz="sm" withTableBorder striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('samples.fields.unitNo')}</Table.Th>
            <Table.Th>{t('samples.fields.code')}</Table.Th>
            <Table.Th>{t('samples.fields.status')}</Table.Th>
            <Table.Th>{t('samples.fields.quantity')}</Table.Th>
            <Table.Th>{t('samples.fields.storage')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {units.map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td>{u.unitNo}</Table.Td>
              <Table.Td>
                <SampleLink code={u.code} />
              </Table.Td>
              <Table.Td>
                <SampleStatusBadge status={u.status} size="sm" />
              </Table.Td>
              <Table.Td>
                {u.quantity} {unitWord(t, u.unit)}
              </Table.Td>
              <Table.Td>{u.storageLocation ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

function useRefresh() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: ['samples.get'] });
    void qc.invalidateQueries({ queryKey: ['samples.list'] });
    void qc.invalidateQueries({ queryKey: ['samples.retention.list'] });
  };
}

function ReceiveModal({ code, opened, onClose }: { code: string; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const refresh = useRefresh();
  const [condition, setCondition] = useState<string>('intact');
  const [temperature, setTemperature] = useState('');
  const [receivedAt, setReceivedAt] = useState('');
  const [storage, setStorage] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const receive = useMutationCall('samples.receive', {
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('samples.receive.done', { code }) });
      refresh();
      onClose();
    },
    onError: (e) => setErrors(serverFieldErrors(t, e)),
  });
  const submit = () => {
    if (temperature.trim() && !contractAccepts('samples.receive', { temperature: temperature.trim() }, 'temperature')) {
      setErrors({ temperature: t('samples.reception.errors.temperature') });
      return;
    }
    setErrors({});
    receive.mutate({
      code,
      condition: condition as (typeof sampleConditions)[number],
      ...(temperature.trim() ? { temperature: temperature.trim() } : {}),
      ...(receivedAt ? { receivedAt: localToInstant(receivedAt) } : {}),
      ...(storage.trim() ? { storageLocation: storage.trim() } : {}),
    });
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('samples.receive.title', { code })} size="lg">
      <Stack data-testid="receive-form">
        <Text size="sm" c="dimmed">
          {t('samples.receive.intro', { name: session.printedName })}
        </Text>
        <SimpleGrid cols={2}>
          <Select
            label={t('samples.receive.condition')}
            allowDeselect={false}
            value={condition}
            onChange={(v) => setCondition(v ?? 'intact')}
            data={sampleConditions.map((c) => ({ value: c, label: t(`samples.conditions.${c}`) }))}
            data-testid="receive-condition"
          />
          <TextInput
            label={t('samples.receive.temperature')}
            description={t('samples.receive.temperatureHelp')}
            rightSection={<Text size="sm">°C</Text>}
            value={temperature}
            onChange={(e) => setTemperature(e.currentTarget.value)}
            error={errors['temperature']}
            data-testid="receive-temperature"
          />
          <TextInput
            type="datetime-local"
            label={t('samples.receive.receivedAt')}
            description={t('samples.receive.receivedAtHelp')}
            value={receivedAt}
            onChange={(e) => setReceivedAt(e.currentTarget.value)}
            error={errors['receivedAt']}
            data-testid="receive-at"
          />
          <TextInput
            label={t('samples.fields.storage')}
            value={storage}
            onChange={(e) => setStorage(e.currentTarget.value)}
            error={errors['storageLocation']}
            data-testid="receive-storage"
          />
        </SimpleGrid>
        <Text size="sm">
          {t('samples.receive.receivedBy')}: <b>{session.printedName}</b>
        </Text>
        {Object.keys(errors).length === 0 ? <ErrorAlert error={receive.error} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button loading={receive.isPending} onClick={submit} data-testid="receive-submit">
            {t('samples.actions.receive')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function MoveModal({
  code,
  rev,
  opened,
  onClose,
}: {
  code: string;
  rev: number;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const refresh = useRefresh();
  const [location, setLocation] = useState('');
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const move = useMutationCall('samples.move', {
    onSuccess: () => {
      notifications.show({ color: 'green', message: t('samples.move.done', { code, location: location.trim() }) });
      refresh();
      onClose();
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('samples.move.title', { code })}>
      <Stack data-testid="move-form">
        <TextInput
          label={t('samples.move.location')}
          withAsterisk
          value={location}
          onChange={(e) => setLocation(e.currentTarget.value)}
          error={touched && !location.trim() ? t('validation.required') : null}
          data-testid="move-location"
        />
        <Textarea
          label={t('samples.move.reason')}
          autosize
          minRows={2}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          data-testid="move-reason"
        />
        <ErrorAlert error={move.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            loading={move.isPending}
            onClick={() => {
              setTouched(true);
              if (!location.trim()) return;
              move.mutate({
                code,
                storageLocation: location.trim(),
                expectedRev: rev,
                ...(reason.trim() ? { reason: reason.trim() } : {}),
              });
            }}
            data-testid="move-submit"
          >
            {t('samples.actions.move')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function CancelModal({
  code,
  rev,
  opened,
  onClose,
}: {
  code: string;
  rev: number;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const refresh = useRefresh();
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const cancel = useMutationCall('samples.cancel', {
    onSuccess: () => {
      notifications.show({ color: 'orange', message: t('samples.cancel.done', { code }) });
      refresh();
      onClose();
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('samples.cancel.title', { code })}>
      <Stack data-testid="cancel-form">
        <Text size="sm">{t('samples.cancel.intro')}</Text>
        <Textarea
          label={t('samples.cancel.reason')}
          withAsterisk
          autosize
          minRows={2}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={touched && reason.trim().length < 3 ? t('validation.reasonRequired') : null}
          data-testid="cancel-reason"
        />
        <ErrorAlert error={cancel.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.back')}
          </Button>
          <Button
            color="red"
            loading={cancel.isPending}
            onClick={() => {
              setTouched(true);
              if (reason.trim().length < 3) return;
              cancel.mutate({ code, reason: reason.trim(), expectedRev: rev });
            }}
            data-testid="cancel-submit"
          >
            {t('samples.actions.cancel')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Disposal of a retention sample: a QA manager's signature with meaning `disposed`. */
export function DisposeDialog({
  sample,
  opened,
  onClose,
}: {
  sample: SampleView;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const refresh = useRefresh();
  return (
    <SignatureDialog
      opened={opened}
      onClose={onClose}
      meanings={['disposed']}
      commentRequired
      commentLabel={t('samples.dispose.reason')}
      commentDescription={t('samples.dispose.reasonHelp')}
      summary={
        <Stack gap={2}>
          <Text fw={700} data-testid="dispose-summary">
            {t('samples.dispose.summary', { code: sample.code, lot: sample.lotCode ?? '—' })}
          </Text>
          <Text size="sm" c="dimmed">
            {t('samples.fields.keepUntil')}: {sample.keepUntil ?? '—'} · {sample.quantity} {unitWord(t, sample.unit)} ·{' '}
            {sample.storageLocation ?? '—'}
          </Text>
        </Stack>
      }
      onSign={async (v) => {
        await call('samples.retention.dispose', {
          code: sample.code,
          reason: v.comment ?? '',
          signature: { password: v.password, meaning: 'disposed' },
        });
        notifications.show({ color: 'grape', message: t('samples.dispose.done', { code: sample.code }) });
        refresh();
      }}
    />
  );
}
