import { useRef, useState } from 'react';
import {
  Alert,
  Anchor,
  Autocomplete,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  sampleConditions,
  sampleKinds,
  type SampleKind,
  type SampleView,
} from '../../../../shared/contract/channels/samples';
import { quantityUnits, type QuantityUnit } from '../../../../shared/domain/units';
import { ApiError, call } from '../../core/api/client';
import { errorMessage } from '../../core/api/errors';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { useRoute } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { serverFieldErrors } from '../../ui/form-errors';
import { LotLink } from '../../ui/lot';
import { UnknownCodeHint } from '../../ui/unknown-code';
import { useContractForm } from '../../ui/contract-form';
import type { ChannelInput } from '../../../../shared/contract';
import { LabelPrint } from './label-print';
import { SampleLink, SampleStatusBadge, isSiteKind, localToInstant, sampleHref } from '../../ui/sample';
import { SamplesTabs } from './samples-tabs';

interface Values {
  kind: SampleKind;
  target: string;
  samplingPoint: string;
  targets: string[];
  quantity: string;
  unit: string;
  container: string;
  storageLocation: string;
  takenAt: string;
  receiveNow: boolean;
  condition: string;
  temperature: string;
  withRetention: boolean;
  retentionQuantity: string;
  retentionContainer: string;
  retentionLocation: string;
  keepUntil: string;
}

/** Sensible starting unit and container per kind (the technician can change both). */
const defaults: Record<SampleKind, { unit: QuantityUnit; quantity: string }> = {
  raw_milk_tanker: { unit: 'mL', quantity: '500' },
  incoming_inspection: { unit: 'g', quantity: '500' },
  in_process: { unit: 'g', quantity: '200' },
  finished_release: { unit: 'can', quantity: '6' },
  environmental_swab: { unit: 'pcs', quantity: '1' },
  water: { unit: 'mL', quantity: '500' },
  retention: { unit: 'can', quantity: '2' },
};

function initial(kind: SampleKind, target = '', targets: string[] = []): Values {
  return {
    kind,
    target,
    samplingPoint: '',
    targets,
    quantity: defaults[kind].quantity,
    unit: defaults[kind].unit,
    container: '',
    storageLocation: '',
    takenAt: '',
    receiveNow: false,
    condition: 'intact',
    temperature: '',
    withRetention: true,
    retentionQuantity: '',
    retentionContainer: '',
    retentionLocation: '',
    keepUntil: '',
  };
}

/** Server field names → form fields. */
const fieldMap: Record<string, string> = {
  lotCode: 'target',
  siteCode: 'target',
  'receipt.receivedAt': 'takenAt',
  receivedAt: 'takenAt',
  'retention.quantity': 'retentionQuantity',
  'retention.container': 'retentionContainer',
  'retention.storageLocation': 'retentionLocation',
  'retention.keepUntil': 'keepUntil',
  'receipt.temperature': 'temperature',
  'receipt.storageLocation': 'storageLocation',
  retention: 'keepUntil',
};

type Registered = { sample: SampleView; units: SampleView[]; retention: SampleView | null };

/** The registration as samples.register takes it. */
function registerInput(x: Values): ChannelInput<'samples.register'> {
  const siteKind = isSiteKind(x.kind);
  const release = x.kind === 'finished_release';
  const withRetention = release && x.withRetention;
  const retentionGiven = withRetention && (x.retentionQuantity.trim() || x.keepUntil || x.retentionContainer.trim() || x.retentionLocation.trim());
  return {
    kind: x.kind,
    ...(siteKind ? { siteCode: x.target.trim() } : { lotCode: x.target.trim() }),
    samplingPoint: x.samplingPoint.trim(),
    ...(siteKind && x.targets.length ? { targets: x.targets } : {}),
    ...(x.takenAt ? { takenAt: localToInstant(x.takenAt) } : {}),
    quantity: x.quantity.trim(),
    unit: x.unit as QuantityUnit,
    container: x.container.trim(),
    ...(x.storageLocation.trim() ? { storageLocation: x.storageLocation.trim() } : {}),
    ...(x.receiveNow
      ? {
          receipt: {
            condition: x.condition as (typeof sampleConditions)[number],
            ...(x.temperature.trim() ? { temperature: x.temperature.trim() } : {}),
            ...(x.storageLocation.trim() ? { storageLocation: x.storageLocation.trim() } : {}),
          },
        }
      : {}),
    ...(release ? { withRetention } : {}),
    ...(retentionGiven
      ? {
          retention: {
            quantity: x.retentionQuantity.trim() || x.quantity.trim(),
            unit: x.unit as QuantityUnit,
            container: x.retentionContainer.trim() || x.container.trim(),
            ...(x.retentionLocation.trim() ? { storageLocation: x.retentionLocation.trim() } : {}),
            ...(x.keepUntil ? { keepUntil: x.keepUntil } : {}),
          },
        }
      : {}),
  };
}

/** The reception desk: scan, pick kind, register, print the label, next sample. */
export function ReceptionPage() {
  const { t } = useTranslation();
  const session = useSession();
  const route = useRoute();
  const qc = useQueryClient();
  const canRegister = hasPermission(session, 'samples.register') && !session.readOnly;
  const paramKind = route.params.get('kind');
  const startKind: SampleKind = sampleKinds.includes(paramKind as SampleKind) ? (paramKind as SampleKind) : 'finished_release';
  const startTarget = route.params.get('lot') ?? route.params.get('site') ?? '';
  const startTargets = (route.params.get('targets') ?? '').split(',').filter(Boolean);
  const sites = useCall('sites.list', {});
  const [result, setResult] = useState<Registered | null>(null);
  // A refusal that names a field is shown next to that field, not again as an alert.
  const [fieldLevel, setFieldLevel] = useState(false);
  const samplingPointRef = useRef<HTMLInputElement>(null);
  const targetRef = useRef<HTMLInputElement>(null);
  // The scanned lot is looked up at once (issue 22 §2): an unknown code says so before 登记样品.
  const [scanned, setScanned] = useState<{ code: string; found: 'lot' | 'sample' | 'unknown' } | null>(null);

  const form = useContractForm<'samples.register', Values>('samples.register', {
    toInput: registerInput,
    fields: fieldMap,
    messages: {
      quantity: 'samples.reception.errors.quantity',
      temperature: 'samples.reception.errors.temperature',
      retentionQuantity: 'samples.reception.errors.quantity',
    },
    initialValues: initial(startKind, startTarget, startTargets),
    validate: {
      target: (v, vals) =>
        v.trim() ? null : isSiteKind(vals.kind) ? t('samples.reception.errors.siteRequired') : t('samples.reception.errors.lotRequired'),
      samplingPoint: (v) => (v.trim() ? null : t('samples.reception.errors.samplingPointRequired')),
      quantity: (v) => (Number(v) > 0 ? null : t('samples.reception.errors.quantity')),
      container: (v) => (v.trim() ? null : t('samples.reception.errors.containerRequired')),
      takenAt: (v) =>
        !v ? null : new Date(v).getTime() > Date.now() + 5 * 60_000 ? t('samples.reception.errors.future') : null,
      retentionQuantity: (v) => (!v.trim() || Number(v) > 0 ? null : t('samples.reception.errors.quantity')),
    },
  });
  const v = form.values;
  const siteKind = isSiteKind(v.kind);
  const checkLot = (raw: string) => {
    const code = raw.trim();
    if (!code || scanned?.code === code) return;
    call('scan.lookup', { code })
      .then((r) => {
        setScanned({ code, found: r.type });
        if (r.type === 'sample') form.setFieldError('target', t('emptyStates.scan.isSample', { code: r.code }));
        else if (form.values.target.trim() === code) form.setFieldValue('target', r.code);
      })
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.code === 'not_found') {
          setScanned({ code, found: 'unknown' });
          form.setFieldError('target', t('emptyStates.scan.unknown', { code }));
        }
      });
  };
  const release = v.kind === 'finished_release';

  const register = useMutation({
    mutationFn: (x: Values) => call('samples.register', registerInput(x)),
    onSuccess: (r) => {
      setResult(r);
      notifications.show({ color: 'green', message: t('samples.reception.registered', { code: r.sample.code }) });
      void qc.invalidateQueries({ queryKey: ['samples.list'] });
      void qc.invalidateQueries({ queryKey: ['samples.retention.list'] });
      void qc.invalidateQueries({ queryKey: ['samples.retention.missing'] });
      void qc.invalidateQueries({ queryKey: ['sites.due'] });
    },
    onError: (e) => {
      const errs = serverFieldErrors(t, e, fieldMap);
      if (e instanceof ApiError && (e.error.messageKey === 'errors.lot_not_found' || e.error.messageKey === 'errors.site_not_found')) {
        errs['target'] = errorMessage(t, e);
      }
      setFieldLevel(Object.keys(errs).length > 0);
      form.setErrors(errs);
    },
  });

  const next = () => {
    const keep = v.kind;
    setResult(null);
    register.reset();
    form.setValues(initial(keep));
    form.resetDirty();
    form.clearErrors();
    window.setTimeout(() => targetRef.current?.focus(), 0);
  };

  const siteOptions = (sites.data ?? [])
    .filter((s) => s.active && s.kind === (v.kind === 'water' ? 'water' : 'environment'))
    .map((s) => ({ value: s.code, label: `${s.code}` }));

  return (
    <Stack data-testid="reception-page" maw={1100}>
      <SamplesTabs active="reception" />
      <div>
        <Title order={2}>{t('samples.reception.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('samples.reception.intro')}
        </Text>
      </div>
      {!canRegister ? (
        <Alert color="gray" data-testid="reception-readonly">
          {t('samples.reception.noPermission')}
        </Alert>
      ) : null}
      {result ? (
        <RegisteredPanel result={result} onNext={next} />
      ) : canRegister ? (
        <Paper withBorder p="md">
          <form noValidate onSubmit={form.onSubmit((x) => register.mutate(x))} data-testid="reception-form">
            <Stack>
              <Radio.Group
                label={t('samples.reception.kind')}
                description={t('samples.reception.kindHelp')}
                value={v.kind}
                onChange={(k) => {
                  const kind = k as SampleKind;
                  const wasSite = siteKind;
                  form.setFieldValue('kind', kind);
                  form.setFieldValue('unit', defaults[kind].unit);
                  form.setFieldValue('quantity', defaults[kind].quantity);
                  if (wasSite !== isSiteKind(kind)) form.setFieldValue('target', '');
                  form.clearErrors();
                }}
                data-testid="reception-kind"
              >
                <SimpleGrid cols={{ base: 1, md: 2, lg: 3 }} mt="xs" spacing="xs">
                  {sampleKinds.map((k) => (
                    <Radio.Card key={k} value={k} p="xs" radius="sm" data-testid={`reception-kind-${k}`} data-checked={v.kind === k || undefined}
                      style={v.kind === k ? { borderColor: 'var(--mantine-color-teal-6)', background: 'var(--mantine-color-teal-0)' } : undefined}>
                      <Group wrap="nowrap" align="flex-start" gap="xs">
                        <Radio.Indicator mt={2} />
                        <div>
                          <Text fw={600} size="sm">
                            {t(`samples.kinds.${k}`)}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {t(`samples.kindHelp.${k}`)}
                          </Text>
                        </div>
                      </Group>
                    </Radio.Card>
                  ))}
                </SimpleGrid>
              </Radio.Group>
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                {siteKind ? (
                  <Autocomplete
                    ref={targetRef}
                    label={t('samples.reception.site')}
                    description={t('samples.reception.siteHelp')}
                    placeholder={t('samples.reception.scanPlaceholder')}
                    withAsterisk
                    data={siteOptions}
                    data-testid="reception-target"
                    {...form.getInputProps('target')}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') {
                        e.preventDefault();
                        samplingPointRef.current?.focus();
                      }
                    }}
                  />
                ) : (
                  <TextInput
                    ref={targetRef}
                    label={t('samples.reception.lot')}
                    description={t('samples.reception.lotHelp')}
                    placeholder={t('samples.reception.scanPlaceholder')}
                    withAsterisk
                    autoFocus
                    styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
                    data-testid="reception-target"
                    {...form.getInputProps('target')}
                    onChange={(e) => {
                      setScanned(null);
                      form.getInputProps('target').onChange(e);
                    }}
                    onBlur={(e) => checkLot(e.currentTarget.value)}
                    onKeyDown={(e) => {
                      // A scanner ends with Enter: look the lot up, go on to the next field, don't submit yet.
                      if (e.key === 'Enter') {
                        e.preventDefault();
                        checkLot(e.currentTarget.value);
                        samplingPointRef.current?.focus();
                      }
                    }}
                  />
                )}
                <TextInput
                  ref={samplingPointRef}
                  label={t('samples.reception.samplingPoint')}
                  description={t(`samples.samplingPointHelp.${v.kind}`)}
                  withAsterisk
                  data-testid="reception-sampling-point"
                  {...form.getInputProps('samplingPoint')}
                />
              </SimpleGrid>
              {!siteKind && scanned?.found === 'unknown' ? (
                <Alert color="red" variant="light" p="xs">
                  <UnknownCodeHint code={scanned.code} session={session} testId="reception-unknown" />
                </Alert>
              ) : null}
              {siteKind ? (
                <TagsInput
                  label={t('samples.reception.targets')}
                  description={t('samples.reception.targetsHelp')}
                  maxTags={20}
                  data-testid="reception-targets"
                  {...form.getInputProps('targets')}
                />
              ) : null}
              <SimpleGrid cols={{ base: 2, md: 4 }}>
                <TextInput
                  label={t('samples.reception.quantity')}
                  withAsterisk
                  inputMode="decimal"
                  data-testid="reception-quantity"
                  {...form.getInputProps('quantity')}
                />
                <Select
                  label={t('samples.reception.unit')}
                  allowDeselect={false}
                  data={[...quantityUnits]}
                  data-testid="reception-unit"
                  {...form.getInputProps('unit')}
                />
                <TextInput
                  label={t('samples.reception.container')}
                  placeholder={t('samples.reception.containerPlaceholder')}
                  withAsterisk
                  data-testid="reception-container"
                  {...form.getInputProps('container')}
                />
                <TextInput
                  label={t('samples.reception.storage')}
                  placeholder={t('samples.reception.storagePlaceholder')}
                  data-testid="reception-storage"
                  {...form.getInputProps('storageLocation')}
                />
              </SimpleGrid>
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <TextInput
                  type="datetime-local"
                  label={t('samples.reception.takenAt')}
                  description={t('samples.reception.takenAtHelp')}
                  data-testid="reception-taken-at"
                  {...form.getInputProps('takenAt')}
                />
                <Checkbox
                  mt="lg"
                  label={t('samples.reception.receiveNow')}
                  description={t('samples.reception.receiveNowHelp')}
                  data-testid="reception-receive-now"
                  {...form.getInputProps('receiveNow', { type: 'checkbox' })}
                />
              </SimpleGrid>
              {v.receiveNow ? (
                <SimpleGrid cols={{ base: 1, md: 2 }}>
                  <Select
                    label={t('samples.receive.condition')}
                    allowDeselect={false}
                    data={sampleConditions.map((c) => ({ value: c, label: t(`samples.conditions.${c}`) }))}
                    data-testid="reception-condition"
                    {...form.getInputProps('condition')}
                  />
                  <TextInput
                    label={t('samples.receive.temperature')}
                    description={t('samples.receive.temperatureHelp')}
                    inputMode="decimal"
                    rightSection={<Text size="sm">°C</Text>}
                    data-testid="reception-temperature"
                    {...form.getInputProps('temperature')}
                  />
                </SimpleGrid>
              ) : null}
              {release ? (
                <Paper withBorder p="sm" bg="var(--mantine-color-gray-0)" data-testid="reception-retention">
                  <Stack gap="xs">
                    <Checkbox
                      label={t('samples.reception.withRetention')}
                      description={t('samples.reception.withRetentionHelp')}
                      data-testid="reception-with-retention"
                      {...form.getInputProps('withRetention', { type: 'checkbox' })}
                    />
                    {v.withRetention ? (
                      <SimpleGrid cols={{ base: 2, md: 4 }}>
                        <TextInput
                          label={t('samples.reception.retentionQuantity')}
                          placeholder={v.quantity}
                          inputMode="decimal"
                          data-testid="reception-retention-quantity"
                          {...form.getInputProps('retentionQuantity')}
                        />
                        <TextInput
                          label={t('samples.reception.retentionContainer')}
                          placeholder={v.container}
                          data-testid="reception-retention-container"
                          {...form.getInputProps('retentionContainer')}
                        />
                        <TextInput
                          label={t('samples.reception.retentionLocation')}
                          placeholder={t('samples.reception.retentionLocationPlaceholder')}
                          data-testid="reception-retention-location"
                          {...form.getInputProps('retentionLocation')}
                        />
                        <TextInput
                          type="date"
                          label={t('samples.reception.keepUntil')}
                          data-testid="reception-keep-until"
                          {...form.getInputProps('keepUntil')}
                        />
                      </SimpleGrid>
                    ) : null}
                    <Text size="xs" c="dimmed">
                      {t('samples.reception.keepUntilHelp')}
                    </Text>
                  </Stack>
                </Paper>
              ) : null}
              {!fieldLevel ? <ErrorAlert error={register.error} testId="reception-error" /> : null}
              <Group justify="flex-end">
                <Button type="submit" size="md" loading={register.isPending} data-testid="reception-submit">
                  {t('samples.reception.submit')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      ) : null}
    </Stack>
  );
}

function RegisteredPanel({ result, onNext }: { result: Registered; onNext: () => void }) {
  const { t } = useTranslation();
  const { sample, units, retention } = result;
  return (
    <Paper withBorder p="md" style={{ borderColor: 'var(--mantine-color-green-6)', borderWidth: 2 }} data-testid="reception-result">
      <Stack>
        <Group justify="space-between" align="flex-start">
          <Stack gap={4}>
            <Text size="sm" c="dimmed">
              {t('samples.reception.newId')} · {t(`samples.kinds.${sample.kind}`)}
            </Text>
            <Anchor href={sampleHref(sample.code)} underline="hover">
              <Text fz={40} fw={800} ff="monospace" lh={1.1} data-testid="reception-result-code">
                {sample.code}
              </Text>
            </Anchor>
            <Group gap="xs">
              <SampleStatusBadge status={sample.status} />
              {sample.lotCode ? <LotLink code={sample.lotCode} /> : null}
              {sample.siteCode ? (
                <Badge variant="outline" tt="none" data-testid="reception-result-site">
                  {t('samples.fields.site')}: {sample.siteCode}
                </Badge>
              ) : null}
              <Text size="sm">
                {sample.quantity} {sample.unit} · {sample.container}
              </Text>
              {sample.targets.length > 0 ? (
                <Text size="sm" data-testid="reception-result-targets">
                  · {t('samples.fields.targets')}: {sample.targets.join(', ')}
                </Text>
              ) : null}
            </Group>
          </Stack>
          <Button size="lg" color="teal" onClick={onNext} data-testid="reception-next">
            {t('samples.reception.next')}
          </Button>
        </Group>
        <LabelPrint code={sample.code} />
        {units.length > 0 ? (
          <Stack gap={4} data-testid="reception-units">
            <Text fw={600} size="sm">
              {t('samples.reception.units', { count: units.length })}
            </Text>
            <Group gap="xs">
              {units.map((u) => (
                <SampleLink key={u.code} code={u.code} />
              ))}
            </Group>
          </Stack>
        ) : (
          <Text size="sm" c="dimmed" data-testid="reception-no-units">
            {t('samples.reception.noUnits')}
          </Text>
        )}
        {retention ? (
          <Paper withBorder p="sm" data-testid="reception-retention-result">
            <Stack gap={6}>
              <Text fw={600}>{t('samples.reception.retentionCreated')}</Text>
              <Group gap="sm">
                <Text ff="monospace" fw={700} fz="xl" data-testid="reception-retention-code">
                  {retention.code}
                </Text>
                <Text size="sm">
                  {retention.quantity} {retention.unit} · {retention.container}
                  {retention.storageLocation ? ` · ${retention.storageLocation}` : ''}
                </Text>
                <Badge color="grape" variant="light" tt="none" data-testid="reception-keep-until-result">
                  {t('samples.fields.keepUntil')}: {retention.keepUntil ?? '—'}
                </Badge>
              </Group>
              <LabelPrint code={retention.code} testId="retention-label-print" compact />
            </Stack>
          </Paper>
        ) : sample.kind === 'finished_release' ? (
          <Text size="sm" c="dimmed" data-testid="reception-retention-existing">
            {t('samples.reception.retentionExisting')}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}
