import { useRef, useState } from 'react';
import {
  Anchor,
  Autocomplete,
  Badge,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Select,
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
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { BatchView, LotView } from '../../../../shared/contract/channels/lots';
import { quantityUnits, type QuantityUnit } from '../../../../shared/domain/units';
import { call } from '../../core/api/client';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { serverFieldErrors } from '../../ui/form-errors';
import { KindLabel, LotLink, StatusBadge, lotHref, qty } from '../../ui/lot';
import { contractAccepts, useContractForm } from '../../ui/contract-form';
import type { ChannelInput } from '../../../../shared/contract';
import { needsOverride, OverrideForm, type OverrideInput } from '../../ui/override-form';
import { BatchNeeds } from './first-lot';

/** Production batches (投料): start, consume lots by scan, finish with the quantity produced. */
export function BatchesPage() {
  const { t } = useTranslation();
  const session = useSession();
  const open = useCall('batches.list', { status: 'open' }, { staleTime: 0 });
  const canRecord = hasPermission(session, 'lots.record') && !session.readOnly;
  const [startOpen, setStartOpen] = useState(false);
  const [startKey, setStartKey] = useState(0);
  const noneOpen = open.data !== undefined && open.data.length === 0;
  const showStart = canRecord && (noneOpen || startOpen);
  return (
    <Stack data-testid="batches-page" maw={1100}>
      <Anchor href={href('/lots')} size="sm">
        ← {t('lots.backToList')}
      </Anchor>
      <div>
        <Title order={2}>{t('batches.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('batches.intro')}
        </Text>
      </div>
      <Group justify="space-between">
        <Title order={3}>{t('batches.openTitle', { count: open.data?.length ?? 0 })}</Title>
        {canRecord && !showStart ? (
          <Button variant="light" onClick={() => setStartOpen(true)} data-testid="batch-new">
            {t('batches.startAnother')}
          </Button>
        ) : null}
      </Group>
      {showStart ? (
        <StartBatch
          key={startKey}
          onStarted={() => {
            setStartOpen(false);
            setStartKey((k) => k + 1);
          }}
          onCancel={noneOpen ? undefined : () => setStartOpen(false)}
        />
      ) : null}
      <ErrorAlert error={open.error} />
      {open.data && open.data.length === 0 ? (
        <Text c="dimmed" data-testid="batches-none">
          {t('batches.noneOpen')}
        </Text>
      ) : null}
      {(open.data ?? []).map((b) => (
        <BatchCard key={b.id} batch={b} canRecord={canRecord} />
      ))}
    </Stack>
  );
}

interface StartValues {
  line: string;
  outputKind: 'intermediate' | 'finished';
  itemCode: string;
  outputLotCode: string;
  unit: string;
  expiryDate: string;
  note: string;
}

/** The batch as batches.start takes it. */
function startInput(v: StartValues): ChannelInput<'batches.start'> {
  return {
    line: v.line.trim(),
    outputKind: v.outputKind,
    itemCode: v.itemCode,
    ...(v.outputLotCode.trim() ? { outputLotCode: v.outputLotCode.trim() } : {}),
    unit: v.unit as QuantityUnit,
    ...(v.expiryDate ? { expiryDate: v.expiryDate } : {}),
    ...(v.note.trim() ? { note: v.note.trim() } : {}),
  };
}

function StartBatch({ onStarted, onCancel }: { onStarted: () => void; onCancel: (() => void) | undefined }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const products = useCall('catalog.products.list', {});
  const materials = useCall('catalog.materials.list', {});
  // The plant's production lines (setup guide, migration 0019) are offered; another text is still accepted.
  const lines = useCall('catalog.lines.list', {});
  const zh = i18n.language.startsWith('zh');
  const form = useContractForm<'batches.start', StartValues>('batches.start', {
    toInput: startInput,
    messages: { outputLotCode: 'receiving.errors.lotCode' },
    initialValues: {
      line: '',
      outputKind: 'finished',
      itemCode: '',
      outputLotCode: '',
      unit: 'kg',
      expiryDate: '',
      note: '',
    },
    validate: {
      line: (v) => (v.trim() ? null : t('batches.errors.line')),
      itemCode: (v) => (v ? null : t('batches.errors.item')),
    },
  });
  const start = useMutation({
    mutationFn: (v: StartValues) => call('batches.start', startInput(v)),
    onSuccess: (b) => {
      notifications.show({ color: 'green', message: t('batches.started', { code: b.code, lot: b.output.code }) });
      void qc.invalidateQueries({ queryKey: ['batches.list'] });
      onStarted();
    },
    onError: (e) => form.setErrors(serverFieldErrors(t, e, { outputLotCode: 'outputLotCode' })),
  });
  const items = [
    ...(products.data ?? [])
      .filter((p) => !p.retired)
      .map((p) => ({
        value: p.code,
        label: `${p.code} — ${zh ? p.nameZh : p.nameEn}`,
        group: t('batches.products'),
      })),
    ...(form.values.outputKind === 'intermediate'
      ? (materials.data ?? [])
          .filter((m) => !m.retired)
          .map((m) => ({
            value: m.code,
            label: `${m.code} — ${zh ? m.nameZh : m.nameEn}`,
            group: t('batches.materials'),
          }))
      : []),
  ];
  const groups = [...new Set(items.map((i) => i.group))].map((g) => ({
    group: g,
    items: items.filter((i) => i.group === g).map(({ value, label }) => ({ value, label })),
  }));
  return (
    <Paper withBorder p="md">
      <form noValidate onSubmit={form.onSubmit((v) => start.mutate(v))} data-testid="batch-start-form">
        <Stack>
          <div>
            <Title order={4}>{t('batches.startTitle')}</Title>
            <Text size="xs" c="dimmed">
              {t('batches.startHelp')}
            </Text>
          </div>
          <SimpleGrid cols={3}>
            <Autocomplete
              label={t('batches.line')}
              description={t('batches.lineHelp')}
              withAsterisk
              data={(lines.data ?? [])
                .filter((l) => l.active && !l.retired)
                .map((l) => l.code)}
              data-testid="batch-line"
              {...form.getInputProps('line')}
            />
            <div>
              <Text size="sm" fw={500}>
                {t('batches.outputKind')}
              </Text>
              <SegmentedControl
                mt={4}
                value={form.values.outputKind}
                onChange={(v) => {
                  form.setFieldValue('outputKind', v as StartValues['outputKind']);
                  form.setFieldValue('itemCode', '');
                }}
                data={[
                  { value: 'finished', label: t('lots.kinds.finished') },
                  { value: 'intermediate', label: t('lots.kinds.intermediate') },
                ]}
                data-testid="batch-output-kind"
              />
            </div>
            <Select
              label={t('batches.item')}
              placeholder={t('batches.pickItem')}
              withAsterisk
              searchable
              data={groups}
              nothingFoundMessage={t('batches.noItems')}
              data-testid="batch-item"
              {...form.getInputProps('itemCode')}
            />
          </SimpleGrid>
          <SimpleGrid cols={3}>
            <TextInput
              label={t('batches.outputLotCode')}
              description={t('batches.outputLotCodeHelp')}
              data-testid="batch-output-lot"
              {...form.getInputProps('outputLotCode')}
            />
            <Select
              label={t('batches.unit')}
              description={t('batches.unitHelp')}
              allowDeselect={false}
              data={[...quantityUnits]}
              data-testid="batch-unit"
              {...form.getInputProps('unit')}
            />
            <DateInput
              label={t('batches.expiry')}
              valueFormat="YYYY-MM-DD"
              clearable
              value={form.values.expiryDate || null}
              onChange={(v) => form.setFieldValue('expiryDate', v ?? '')}
              data-testid="batch-expiry"
            />
          </SimpleGrid>
          <Textarea label={t('receiving.note')} autosize minRows={1} maxLength={1000} {...form.getInputProps('note')} />
          <ErrorAlert error={start.error} testId="batch-start-error" />
          <Group justify="flex-end">
            {onCancel ? (
              <Button variant="default" onClick={onCancel}>
                {t('common.cancel')}
              </Button>
            ) : null}
            <Button type="submit" loading={start.isPending} data-testid="batch-start-submit">
              {t('batches.start')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function BatchCard({ batch, canRecord }: { batch: BatchView; canRecord: boolean }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" data-testid={`batch-${batch.code}`} data-output={batch.output.code}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Stack gap={2}>
            <Group gap="xs">
              <Title order={4} ff="monospace">
                {batch.code}
              </Title>
              <Badge variant="light" tt="none">
                {t('batches.lineBadge', { line: batch.line })}
              </Badge>
              <Badge color="blue" variant="light" tt="none">
                {t(`batches.status.${batch.status}`)}
              </Badge>
            </Group>
            <Text size="xs" c="dimmed">
              {t('batches.startedAt', { time: formatTime(batch.startedAt) })}
            </Text>
          </Stack>
          <Stack gap={2} align="flex-end">
            <Text size="xs" c="dimmed">
              {t('batches.produces')}
            </Text>
            <Group gap="xs">
              <KindLabel kind={batch.output.kind} withText={false} />
              <LotLink code={batch.output.code} />
              <Text size="sm">{batch.output.itemCode}</Text>
            </Group>
          </Stack>
        </Group>
        <InputsTable batch={batch} />
        {canRecord ? <ConsumeStep batch={batch} /> : null}
        {canRecord ? <FinishStep batch={batch} /> : null}
      </Stack>
    </Paper>
  );
}

function InputsTable({ batch }: { batch: BatchView }) {
  const { t } = useTranslation();
  if (batch.inputs.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="batch-no-inputs">
        {t('batches.noInputs')}
      </Text>
    );
  }
  return (
    <Table withTableBorder striped fz="sm" data-testid="batch-inputs">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('batches.inputLot')}</Table.Th>
          <Table.Th>{t('lots.fields.kind')}</Table.Th>
          <Table.Th>{t('lots.fields.item')}</Table.Th>
          <Table.Th ta="right">{t('batches.quantity')}</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {batch.inputs.map((i) => (
          <Table.Tr key={i.consumptionId} data-testid={`batch-input-${i.lot}`}>
            <Table.Td>
              <LotLink code={i.lot} />
            </Table.Td>
            <Table.Td>
              <KindLabel kind={i.kind} />
            </Table.Td>
            <Table.Td ff="monospace">{i.itemCode}</Table.Td>
            <Table.Td ta="right" ff="monospace">
              {qty(i.quantity, i.unit)}
            </Table.Td>
            <Table.Td>
              {i.overridden ? (
                <Badge color="orange" variant="light" tt="none">
                  {t('batches.overridden')}
                </Badge>
              ) : null}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function ConsumeStep({ batch }: { batch: BatchView }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [lotCode, setLotCode] = useState('');
  const [quantity, setQuantity] = useState('');
  const [unit, setUnit] = useState<string>('kg');
  const [lot, setLot] = useState<LotView | null>(null);
  const [lookupError, setLookupError] = useState<unknown>(null);
  const [touched, setTouched] = useState(false);
  const [override, setOverride] = useState(false);
  const qtyRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  const consume = useMutation({
    mutationFn: (o: OverrideInput | undefined) =>
      call('batches.consume', {
        batchId: batch.id,
        inputLot: lotCode.trim(),
        quantity: quantity.trim(),
        unit: unit as QuantityUnit,
        ...(o ? { override: o } : {}),
      }),
    onSuccess: () => {
      notifications.show({
        color: 'green',
        message: t('batches.consumed', { lot: lotCode.trim(), q: qty(quantity.trim(), unit) }),
      });
      setLotCode('');
      setQuantity('');
      setLot(null);
      setTouched(false);
      setOverride(false);
      void qc.invalidateQueries({ queryKey: ['batches.list'] });
      codeRef.current?.focus();
    },
    onError: (e) => {
      if (needsOverride(e)) setOverride(true);
    },
  });

  const lookUp = async () => {
    const code = lotCode.trim();
    setLookupError(null);
    setLot(null);
    if (!code) return;
    try {
      const d = await call('lots.get', { code });
      setLot(d.lot);
      setUnit(d.lot.unit);
    } catch (e) {
      setLookupError(e);
    }
    qtyRef.current?.focus();
  };
  const qtyOk = contractAccepts('batches.consume', { quantity }, 'quantity') && Number(quantity) > 0;
  const qtyError = touched && !qtyOk ? t('receiving.errors.quantity') : null;
  const codeError = touched && !lotCode.trim() ? t('batches.errors.lotCode') : null;
  const submit = () => {
    setTouched(true);
    if (!lotCode.trim() || !qtyOk) return;
    consume.mutate(undefined);
  };

  return (
    <Paper withBorder p="sm" bg="var(--mantine-color-gray-0)" data-testid="consume-step">
      <Text fw={600} size="sm">
        {t('batches.consumeTitle')}
      </Text>
      <Text size="xs" c="dimmed" mb="xs">
        {t('batches.consumeHelp')}
      </Text>
      <Group align="flex-start" wrap="nowrap">
        <TextInput
          ref={codeRef}
          flex={2}
          label={t('batches.scanLot')}
          placeholder={t('batches.scanPlaceholder')}
          value={lotCode}
          onChange={(e) => {
            setLotCode(e.currentTarget.value);
            setLot(null);
            setOverride(false);
            consume.reset();
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void lookUp();
            }
          }}
          onBlur={() => {
            if (lotCode.trim() && !lot) void lookUp();
          }}
          error={codeError}
          styles={{ input: { fontFamily: 'monospace' } }}
          data-testid="consume-lot"
        />
        <TextInput
          ref={qtyRef}
          flex={1}
          label={t('batches.quantity')}
          inputMode="decimal"
          value={quantity}
          onChange={(e) => setQuantity(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              submit();
            }
          }}
          error={qtyError}
          data-testid="consume-quantity"
        />
        <Select
          w={100}
          label={t('batches.unit')}
          allowDeselect={false}
          data={[...quantityUnits]}
          value={unit}
          onChange={(v) => v && setUnit(v)}
          data-testid="consume-unit"
        />
        <Button mt={25} onClick={submit} loading={consume.isPending && !override} data-testid="consume-submit">
          {t('batches.consume')}
        </Button>
      </Group>
      {lot ? (
        <Group gap="xs" mt={4} data-testid="consume-lot-info">
          <KindLabel kind={lot.kind} />
          <Text size="sm" ff="monospace" fw={600}>
            {lot.code}
          </Text>
          <Text size="sm">{lot.itemCode}</Text>
          <StatusBadge status={lot.status} size="sm" />
          <Text size="sm">{t('batches.remaining', { q: qty(lot.remaining, lot.unit) })}</Text>
        </Group>
      ) : null}
      <ErrorAlert error={lookupError} testId="consume-lookup-error" />
      {consume.error ? <ErrorAlert error={consume.error} testId="consume-error" /> : null}
      {override ? (
        <OverrideForm
          busy={consume.isPending}
          onCancel={() => setOverride(false)}
          onSubmit={(o) => consume.mutate(o)}
        />
      ) : null}
    </Paper>
  );
}

function FinishStep({ batch }: { batch: BatchView }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [quantity, setQuantity] = useState('');
  const [location, setLocation] = useState('');
  const [touched, setTouched] = useState(false);
  const finish = useMutation({
    mutationFn: () =>
      call('batches.finish', {
        batchId: batch.id,
        quantity: quantity.trim(),
        ...(location.trim() ? { location: location.trim() } : {}),
      }),
    onSuccess: (b) => {
      notifications.show({ color: 'green', message: t('batches.finished', { code: b.code, lot: b.output.code }) });
      void qc.invalidateQueries({ queryKey: ['batches.list'] });
      void qc.invalidateQueries({ queryKey: ['lots.list'] });
      window.location.hash = lotHref(b.output.code);
    },
  });
  const bad = !(contractAccepts('batches.finish', { quantity }, 'quantity') && Number(quantity) > 0);
  return (
    <Paper withBorder p="sm" data-testid="finish-step">
      <Text fw={600} size="sm">
        {t('batches.finishTitle')}
      </Text>
      <Text size="xs" c="dimmed" mb="xs">
        {t('batches.finishHelp')}
      </Text>
      <Group align="flex-start" wrap="nowrap">
        <TextInput
          label={t('batches.producedQuantity', { unit: batch.output.unit })}
          inputMode="decimal"
          value={quantity}
          onChange={(e) => setQuantity(e.currentTarget.value)}
          error={touched && bad ? t('receiving.errors.quantity') : null}
          rightSection={<Text size="sm">{batch.output.unit}</Text>}
          data-testid="finish-quantity"
        />
        <TextInput
          label={t('receiving.location')}
          value={location}
          onChange={(e) => setLocation(e.currentTarget.value)}
          data-testid="finish-location"
        />
        <Button
          mt={25}
          color="teal"
          variant="filled"
          disabled={batch.inputs.length === 0}
          loading={finish.isPending}
          onClick={() => {
            setTouched(true);
            if (!bad) finish.mutate();
          }}
          data-testid="finish-submit"
        >
          {t('batches.finish')}
        </Button>
      </Group>
      {batch.inputs.length === 0 ? (
        <>
          <Text size="xs" c="dimmed" mt={4}>
            {t('batches.finishNeedsInputs')}
          </Text>
          <BatchNeeds />
        </>
      ) : null}
      <ErrorAlert error={finish.error} testId="finish-error" />
    </Paper>
  );
}
