import { useState } from 'react';
import {
  Anchor,
  Button,
  Checkbox,
  FileInput,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ChannelInput } from '../../../../shared/contract';
import type { SupplierView } from '../../../../shared/contract/channels/catalog';
import { quantityUnits, type QuantityUnit } from '../../../../shared/domain/units';
import { call } from '../../core/api/client';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { href, navigate, useRoute } from '../../core/router';
import { fileToBase64, formatBytes, serverFieldErrors } from '../../ui/form-errors';
import { lotHref } from '../../ui/lot';
import { useContractForm } from '../../ui/contract-form';
import { EditableRows } from '../../ui/editable-rows';
import { SupplierSamplingBadge } from '../../ui/supplier';
import { plantLocalInput } from '../../ui/format';

const MAX_COA_BYTES = 10 * 1024 * 1024;

/** Receiving: a delivery of ingredients or packaging, or a raw milk tanker. Both start in quarantine. */
export function ReceivingPage() {
  const { t } = useTranslation();
  const route = useRoute();
  const form = route.params.get('form') === 'tanker' ? 'tanker' : 'delivery';
  return (
    <Stack data-testid="receiving-page" maw={980}>
      <Anchor href={href('/lots')} size="sm">
        ← {t('lots.backToList')}
      </Anchor>
      <div>
        <Title order={2}>{t('receiving.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('receiving.intro')}
        </Text>
      </div>
      <SegmentedControl
        w="fit-content"
        value={form}
        onChange={(v) => navigate('/receiving', { form: v })}
        data={[
          { value: 'delivery', label: t('receiving.deliveryTab') },
          { value: 'tanker', label: t('receiving.tankerTab') },
        ]}
        data-testid="receiving-form-switch"
      />
      {form === 'delivery' ? <DeliveryForm /> : <TankerForm />}
    </Stack>
  );
}

/** Suppliers for a picker: approved ones selectable, the others shown disabled with the reason. */
export function supplierOptions(t: TFunction, suppliers: SupplierView[], kinds: string[]) {
  return suppliers
    .filter((s) => !s.retired && kinds.includes(s.kind))
    .sort(
      (a, b) =>
        Number(b.approvalStatus === 'approved') - Number(a.approvalStatus === 'approved') ||
        a.code.localeCompare(b.code),
    )
    .map((s) => ({
      value: s.code,
      label:
        s.approvalStatus === 'approved'
          ? `${s.code} — ${s.name}`
          : `${s.code} — ${s.name} (${t('receiving.notSelectable', { status: t(`catalog.approvalStatuses.${s.approvalStatus}`) })})`,
      disabled: s.approvalStatus !== 'approved',
    }));
}

interface DeliveryValues {
  kind: 'ingredient' | 'packaging';
  materialCode: string;
  supplierCode: string;
  supplierLot: string;
  lotCode: string;
  quantity: string;
  unit: string;
  containers: number | string;
  condition: string;
  temperature: string;
  expiryDate: string;
  location: string;
  note: string;
  coa: File | null;
}

/** The delivery as lots.receive takes it (the certificate file is added when sending). */
function deliveryInput(v: DeliveryValues): ChannelInput<'lots.receive'> {
  return {
    kind: v.kind,
    materialCode: v.materialCode,
    supplierCode: v.supplierCode,
    supplierLot: v.supplierLot.trim(),
    ...(v.lotCode.trim() ? { lotCode: v.lotCode.trim() } : {}),
    quantity: v.quantity.trim(),
    unit: v.unit as QuantityUnit,
    containers: Number(v.containers),
    condition: v.condition as 'intact',
    ...(v.temperature.trim() ? { temperature: v.temperature.trim() } : {}),
    ...(v.expiryDate ? { expiryDate: v.expiryDate } : {}),
    ...(v.location.trim() ? { location: v.location.trim() } : {}),
    ...(v.note.trim() ? { note: v.note.trim() } : {}),
  };
}

function DeliveryForm() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const materials = useCall('catalog.materials.list', {});
  const suppliers = useCall('catalog.suppliers.list', {});
  const form = useContractForm<'lots.receive', DeliveryValues>('lots.receive', {
    toInput: deliveryInput,
    messages: {
      lotCode: 'receiving.errors.lotCode',
      quantity: 'receiving.errors.quantity',
      temperature: 'receiving.errors.temperature',
    },
    initialValues: {
      kind: 'ingredient',
      materialCode: '',
      supplierCode: '',
      supplierLot: '',
      lotCode: '',
      quantity: '',
      unit: 'kg',
      containers: 1,
      condition: 'intact',
      temperature: '',
      expiryDate: '',
      location: '',
      note: '',
      coa: null,
    },
    validate: {
      materialCode: (v) => (v ? null : t('receiving.errors.materialRequired')),
      supplierCode: (v) => (v ? null : t('receiving.errors.supplierRequired')),
      supplierLot: (v) => (v.trim() ? null : t('receiving.errors.supplierLotRequired')),
      quantity: (v) => (Number(v) > 0 ? null : t('receiving.errors.quantity')),
      containers: (v) =>
        Number.isInteger(Number(v)) && Number(v) >= 1 && Number(v) <= 100000 ? null : t('receiving.errors.containers'),
      coa: (f) =>
        f && f.size === 0
          ? t('receiving.errors.coaEmpty')
          : f && f.size > MAX_COA_BYTES
            ? t('receiving.errors.coaTooBig')
            : null,
    },
  });
  const save = useMutation({
    mutationFn: async (v: DeliveryValues) =>
      call('lots.receive', {
        ...deliveryInput(v),
        ...(v.coa ? { coa: { fileName: v.coa.name, base64: await fileToBase64(v.coa) } } : {}),
      }),
    onSuccess: (lot) => {
      notifications.show({ color: 'green', message: t('receiving.saved', { code: lot.code }) });
      void qc.invalidateQueries({ queryKey: ['lots.list'] });
      window.location.hash = lotHref(lot.code);
    },
    onError: (e) => form.setErrors(serverFieldErrors(t, e)),
  });
  const kind = form.values.kind;
  const materialOptions = (materials.data ?? [])
    .filter((m) => !m.retired && m.kind === kind)
    .map((m) => ({ value: m.code, label: `${m.code} — ${m.nameEn} / ${m.nameZh}` }));
  const supplierOpts = supplierOptions(t, suppliers.data ?? [], [kind, 'other']);
  const unapproved = supplierOpts.filter((o) => o.disabled).length;

  return (
    <Paper withBorder p="md">
      <form noValidate onSubmit={form.onSubmit((v) => save.mutate(v))} data-testid="delivery-form">
        <Stack>
          <Title order={4}>{t('receiving.deliveryTitle')}</Title>
          <SegmentedControl
            w="fit-content"
            value={kind}
            onChange={(v) => {
              form.setFieldValue('kind', v as DeliveryValues['kind']);
              form.setFieldValue('materialCode', '');
              form.setFieldValue('supplierCode', '');
            }}
            data={[
              { value: 'ingredient', label: t('lots.kinds.ingredient') },
              { value: 'packaging', label: t('lots.kinds.packaging') },
            ]}
            data-testid="delivery-kind"
          />
          <SimpleGrid cols={2}>
            <Select
              label={t('receiving.material')}
              placeholder={t('receiving.pickMaterial')}
              description={t('receiving.materialHelp')}
              withAsterisk
              searchable
              data={materialOptions}
              nothingFoundMessage={t('receiving.noMaterials')}
              data-testid="delivery-material"
              {...form.getInputProps('materialCode')}
              onChange={(v) => {
                form.setFieldValue('materialCode', v ?? '');
                const m = materials.data?.find((x) => x.code === v);
                if (m) form.setFieldValue('unit', m.defaultUnit);
              }}
            />
            <Select
              label={t('receiving.supplier')}
              placeholder={t('receiving.pickSupplier')}
              description={
                unapproved > 0
                  ? t('receiving.supplierHelpUnapproved', { count: unapproved })
                  : t('receiving.supplierHelp')
              }
              withAsterisk
              searchable
              data={supplierOpts}
              nothingFoundMessage={t('receiving.noSuppliers')}
              data-testid="delivery-supplier"
              {...form.getInputProps('supplierCode')}
            />
          </SimpleGrid>
          <SimpleGrid cols={2}>
            <TextInput
              label={t('receiving.supplierLot')}
              description={t('receiving.supplierLotHelp')}
              withAsterisk
              data-testid="delivery-supplier-lot"
              {...form.getInputProps('supplierLot')}
            />
            <TextInput
              label={t('receiving.lotCode')}
              description={t('receiving.lotCodeHelp')}
              data-testid="delivery-lot-code"
              {...form.getInputProps('lotCode')}
            />
          </SimpleGrid>
          <SimpleGrid cols={4}>
            <TextInput
              label={t('receiving.quantity')}
              withAsterisk
              inputMode="decimal"
              data-testid="delivery-quantity"
              {...form.getInputProps('quantity')}
            />
            <Select
              label={t('receiving.unit')}
              allowDeselect={false}
              data={[...quantityUnits]}
              data-testid="delivery-unit"
              {...form.getInputProps('unit')}
            />
            <NumberInput
              label={t('receiving.containers')}
              withAsterisk
              min={1}
              max={100000}
              allowDecimal={false}
              data-testid="delivery-containers"
              {...form.getInputProps('containers')}
            />
            <Select
              label={t('receiving.condition')}
              allowDeselect={false}
              data={['intact', 'damaged', 'wet', 'contaminated'].map((c) => ({
                value: c,
                label: t(`receiving.conditions.${c}`),
              }))}
              data-testid="delivery-condition"
              {...form.getInputProps('condition')}
            />
          </SimpleGrid>
          {form.values.condition !== 'intact' ? (
            <Text size="sm" c="orange.8" data-testid="delivery-condition-warning">
              {t('receiving.conditionWarning')}
            </Text>
          ) : null}
          <SimpleGrid cols={3}>
            <TextInput
              label={t('receiving.temperature')}
              description={t('receiving.temperatureHelp')}
              inputMode="decimal"
              rightSection={<Text size="sm">°C</Text>}
              data-testid="delivery-temperature"
              {...form.getInputProps('temperature')}
            />
            <DateInput
              label={t('receiving.expiry')}
              valueFormat="YYYY-MM-DD"
              clearable
              data-testid="delivery-expiry"
              value={form.values.expiryDate || null}
              onChange={(v) => form.setFieldValue('expiryDate', v ?? '')}
              error={form.errors['expiryDate']}
            />
            <TextInput
              label={t('receiving.location')}
              data-testid="delivery-location"
              {...form.getInputProps('location')}
            />
          </SimpleGrid>
          <FileInput
            label={t('receiving.coa')}
            description={t('receiving.coaHelp')}
            placeholder={t('receiving.coaPlaceholder')}
            clearable
            data-testid="delivery-coa"
            {...form.getInputProps('coa')}
          />
          {form.values.coa ? (
            <Text size="xs" c="dimmed">
              {form.values.coa.name} · {formatBytes(form.values.coa.size)}
            </Text>
          ) : null}
          <Textarea
            label={t('receiving.note')}
            autosize
            minRows={2}
            maxLength={1000}
            data-testid="delivery-note"
            {...form.getInputProps('note')}
          />
          <ErrorAlert error={save.error} testId="delivery-error" />
          <Group justify="flex-end">
            <Button variant="default" component="a" href={href('/lots')}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="delivery-submit">
              {t('receiving.submitDelivery')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

interface Compartment {
  no: number | string;
  seal: string;
  sealIntact: boolean;
}

interface TankerValues {
  supplierCode: string;
  farms: string[];
  vehicle: string;
  compartments: Compartment[];
  lotCode: string;
  quantity: string;
  unit: string;
  temperature: string;
  receivedAt: string;
  note: string;
}

function nowLocal(): string {
  // The plant's wall clock (D-113).
  return plantLocalInput();
}

/** The tanker as lots.receiveTanker takes it. */
function tankerInput(v: TankerValues): ChannelInput<'lots.receiveTanker'> {
  const at = new Date(v.receivedAt);
  return {
    supplierCode: v.supplierCode,
    farms: v.farms.map((f) => f.trim()).filter(Boolean),
    vehicle: v.vehicle.trim(),
    compartments: v.compartments.map((c) => ({ no: Number(c.no), seal: c.seal.trim(), sealIntact: c.sealIntact })),
    ...(v.lotCode.trim() ? { lotCode: v.lotCode.trim() } : {}),
    quantity: v.quantity.trim(),
    unit: v.unit as 'kg',
    temperature: v.temperature.trim(),
    receivedAt: Number.isNaN(at.getTime()) ? v.receivedAt : at.toISOString(),
    ...(v.note.trim() ? { note: v.note.trim() } : {}),
  };
}

function TankerForm() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const suppliers = useCall('catalog.suppliers.list', {});
  const [touchedComp, setTouchedComp] = useState(false);
  const form = useContractForm<'lots.receiveTanker', TankerValues>('lots.receiveTanker', {
    toInput: tankerInput,
    messages: {
      lotCode: 'receiving.errors.lotCode',
      quantity: 'receiving.errors.quantity',
      temperature: 'receiving.errors.temperatureRequired',
    },
    initialValues: {
      supplierCode: '',
      farms: [],
      vehicle: '',
      compartments: [{ no: 1, seal: '', sealIntact: true }],
      lotCode: '',
      quantity: '',
      unit: 'kg',
      temperature: '',
      receivedAt: nowLocal(),
      note: '',
    },
    validate: (v) => ({
      supplierCode: v.supplierCode ? null : t('receiving.errors.supplierRequired'),
      farms: v.farms.length > 0 ? null : t('receiving.errors.farmsRequired'),
      vehicle: v.vehicle.trim() ? null : t('receiving.errors.vehicleRequired'),
      quantity: Number(v.quantity) > 0 ? null : t('receiving.errors.quantity'),
      receivedAt:
        v.receivedAt && !Number.isNaN(new Date(v.receivedAt).getTime()) ? null : t('receiving.errors.receivedAt'),
      ...Object.fromEntries(
        v.compartments.flatMap((c, i) => [
          [
            `compartments.${i}.no`,
            Number.isInteger(Number(c.no)) && Number(c.no) >= 1 && Number(c.no) <= 20
              ? null
              : t('receiving.errors.compartmentNo'),
          ],
          [`compartments.${i}.seal`, c.seal.trim() ? null : t('receiving.errors.sealRequired')],
        ]),
      ),
    }),
  });
  const save = useMutation({
    mutationFn: (v: TankerValues) => call('lots.receiveTanker', tankerInput(v)),
    onSuccess: (lot) => {
      notifications.show({ color: 'green', message: t('receiving.saved', { code: lot.code }) });
      void qc.invalidateQueries({ queryKey: ['lots.list'] });
      window.location.hash = lotHref(lot.code);
    },
    onError: (e) => form.setErrors(serverFieldErrors(t, e)),
  });
  const supplierOpts = supplierOptions(t, suppliers.data ?? [], ['farm']);
  const broken = form.values.compartments.some((c) => !c.sealIntact);
  const nos = form.values.compartments.map((c) => Number(c.no));
  const repeated = new Set(nos).size !== nos.length;

  return (
    <Paper withBorder p="md">
      <form
        noValidate
        onSubmit={form.onSubmit((v) => {
          setTouchedComp(true);
          if (!repeated) save.mutate(v);
        })}
        data-testid="tanker-form"
      >
        <Stack>
          <Title order={4}>{t('receiving.tankerTitle')}</Title>
          <SimpleGrid cols={2}>
            <Select
              label={t('receiving.tanker.supplier')}
              placeholder={t('receiving.pickSupplier')}
              description={
                <>
                  {t('receiving.tanker.supplierHelp')}{' '}
                  {form.values.supplierCode ? (
                    <SupplierSamplingBadge supplierCode={form.values.supplierCode} size="xs" />
                  ) : null}
                </>
              }
              withAsterisk
              searchable
              data={supplierOpts}
              nothingFoundMessage={t('receiving.noSuppliers')}
              data-testid="tanker-supplier"
              {...form.getInputProps('supplierCode')}
            />
            <TagsInput
              label={t('receiving.tanker.farms')}
              description={t('receiving.tanker.farmsHelp')}
              withAsterisk
              maxTags={50}
              data-testid="tanker-farms"
              {...form.getInputProps('farms')}
            />
          </SimpleGrid>
          <SimpleGrid cols={3}>
            <TextInput
              label={t('receiving.tanker.vehicle')}
              withAsterisk
              data-testid="tanker-vehicle"
              {...form.getInputProps('vehicle')}
            />
            <TextInput
              label={t('receiving.tanker.receivedAt')}
              type="datetime-local"
              withAsterisk
              data-testid="tanker-received-at"
              {...form.getInputProps('receivedAt')}
            />
            <TextInput
              label={t('receiving.lotCode')}
              description={t('receiving.lotCodeHelp')}
              data-testid="tanker-lot-code"
              {...form.getInputProps('lotCode')}
            />
          </SimpleGrid>
          <div>
            <Text fw={500} size="sm">
              {t('receiving.tanker.compartments')}
            </Text>
            <Text size="xs" c="dimmed" mb={4}>
              {t('receiving.tanker.compartmentsHelp')}
            </Text>
            <EditableRows
              testId="tanker-compartments"
              rows={form.values.compartments}
              rowKey={(_, i) => form.key(`compartments.${i}`)}
              columns={[
                {
                  key: 'no',
                  label: t('receiving.tanker.compartment'),
                  w: 110,
                  edit: (_, i) => (
                    <NumberInput
                      min={1}
                      max={20}
                      allowDecimal={false}
                      size="xs"
                      data-testid={`compartment-no-${i}`}
                      {...form.getInputProps(`compartments.${i}.no`)}
                    />
                  ),
                },
                {
                  key: 'seal',
                  label: t('receiving.tanker.seal'),
                  edit: (_, i) => (
                    <TextInput
                      size="xs"
                      data-testid={`compartment-seal-${i}`}
                      {...form.getInputProps(`compartments.${i}.seal`)}
                    />
                  ),
                },
                {
                  key: 'sealIntact',
                  label: t('receiving.tanker.intact'),
                  w: 150,
                  edit: (_, i) => (
                    <Checkbox
                      label={t('receiving.tanker.intactLabel')}
                      data-testid={`compartment-intact-${i}`}
                      {...form.getInputProps(`compartments.${i}.sealIntact`, { type: 'checkbox' })}
                    />
                  ),
                },
              ]}
              max={20}
              onRemove={(i) => form.removeListItem('compartments', i)}
              removeLabel={t('receiving.tanker.removeCompartment')}
              onAdd={() =>
                form.insertListItem('compartments', {
                  no: Math.max(0, ...nos.filter(Number.isFinite)) + 1,
                  seal: '',
                  sealIntact: true,
                })
              }
              addLabel={t('receiving.tanker.addCompartment')}
              addTestId="compartment-add"
            />
            {touchedComp && repeated ? (
              <Text size="sm" c="red" mt={4}>
                {t('receiving.errors.compartmentRepeated')}
              </Text>
            ) : null}
            {broken ? (
              <Text size="sm" c="orange.8" mt={4} data-testid="tanker-seal-warning">
                {t('receiving.tanker.brokenWarning')}
              </Text>
            ) : null}
          </div>
          <SimpleGrid cols={3}>
            <TextInput
              label={t('receiving.quantity')}
              withAsterisk
              inputMode="decimal"
              data-testid="tanker-quantity"
              {...form.getInputProps('quantity')}
            />
            <Select
              label={t('receiving.unit')}
              allowDeselect={false}
              data={['kg', 'L', 't']}
              data-testid="tanker-unit"
              {...form.getInputProps('unit')}
            />
            <TextInput
              label={t('receiving.tanker.temperature')}
              description={t('receiving.tanker.temperatureHelp')}
              withAsterisk
              inputMode="decimal"
              rightSection={<Text size="sm">°C</Text>}
              data-testid="tanker-temperature"
              {...form.getInputProps('temperature')}
            />
          </SimpleGrid>
          <Textarea
            label={t('receiving.note')}
            autosize
            minRows={2}
            maxLength={1000}
            data-testid="tanker-note"
            {...form.getInputProps('note')}
          />
          <ErrorAlert error={save.error} testId="tanker-error" />
          <Group justify="flex-end">
            <Button variant="default" component="a" href={href('/lots')}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="tanker-submit">
              {t('receiving.submitTanker')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
