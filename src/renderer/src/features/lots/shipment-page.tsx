import { useState } from 'react';
import { Anchor, Button, Group, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ChannelInput } from '../../../../shared/contract';
import { quantityUnits, type QuantityUnit } from '../../../../shared/domain/units';
import { call } from '../../core/api/client';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { href } from '../../core/router';
import { serverFieldErrors } from '../../ui/form-errors';
import { lotHref } from '../../ui/lot';
import { useContractForm } from '../../ui/contract-form';
import { todayIso } from '../../ui/dates';
import { needsOverride, OverrideForm, type OverrideInput } from '../../ui/override-form';
import { EditableRows } from '../../ui/editable-rows';
import { plantParts } from '../../ui/format';

interface Line {
  lotCode: string;
  quantity: string;
  unit: string;
}

interface ShipmentValues {
  shipmentCode: string;
  customerCode: string;
  date: string;
  lines: Line[];
}

function suggestedCode(): string {
  // The plant's date and time (D-113).
  const p = plantParts();
  return `SH-${p.year}${p.month}${p.day}-${p.hour}${p.minute}`;
}

/** The shipment as shipments.create takes it (a QA manager's override is added when needed). */
function shipmentInput(v: ShipmentValues): ChannelInput<'shipments.create'> {
  return {
    shipmentCode: v.shipmentCode.trim(),
    customerCode: v.customerCode,
    date: v.date,
    lines: v.lines.map((l) => ({
      lotCode: l.lotCode.trim(),
      quantity: l.quantity.trim(),
      unit: l.unit as QuantityUnit,
    })),
  };
}

/** A shipment to a customer: one line per lot. Lots not released need a QA manager's override. */
export function ShipmentPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const customers = useCall('catalog.customers.list', {});
  const [override, setOverride] = useState(false);
  const form = useContractForm<'shipments.create', ShipmentValues>('shipments.create', {
    toInput: shipmentInput,
    messages: {
      shipmentCode: 'shipments.errors.code',
      date: 'shipments.errors.date',
      'lines.*.quantity': 'receiving.errors.quantity',
    },
    initialValues: {
      shipmentCode: suggestedCode(),
      customerCode: '',
      date: todayIso(),
      lines: [{ lotCode: '', quantity: '', unit: 'kg' }],
    },
    validate: (v) => ({
      customerCode: v.customerCode ? null : t('shipments.errors.customer'),
      ...Object.fromEntries(
        v.lines.flatMap((l, i) => [
          [`lines.${i}.lotCode`, l.lotCode.trim() ? null : t('batches.errors.lotCode')],
          [`lines.${i}.quantity`, Number(l.quantity) > 0 ? null : t('receiving.errors.quantity')],
        ]),
      ),
    }),
  });
  const ship = useMutation({
    mutationFn: ({ v, o }: { v: ShipmentValues; o?: OverrideInput }) =>
      call('shipments.create', { ...shipmentInput(v), ...(o ? { override: o } : {}) }),
    onSuccess: (r, { v }) => {
      notifications.show({
        color: 'green',
        message: t('shipments.saved', { code: r.shipmentCode, lines: r.lines, customer: v.customerCode }),
      });
      void qc.invalidateQueries({ queryKey: ['lots.list'] });
      setOverride(false);
      const first = v.lines[0]?.lotCode.trim();
      if (first) window.location.hash = lotHref(first);
    },
    onError: (e) => {
      if (needsOverride(e)) setOverride(true);
      else form.setErrors(serverFieldErrors(t, e));
    },
  });
  const customerOptions = (customers.data ?? [])
    .filter((c) => !c.retired)
    .map((c) => ({ value: c.code, label: `${c.code} — ${c.name}` }));
  const chosen = customers.data?.find((c) => c.code === form.values.customerCode);

  return (
    <Stack data-testid="shipment-page" maw={980}>
      <Anchor href={href('/lots')} size="sm">
        ← {t('lots.backToList')}
      </Anchor>
      <div>
        <Title order={2}>{t('shipments.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('shipments.intro')}
        </Text>
      </div>
      <Paper withBorder p="md">
        <form noValidate onSubmit={form.onSubmit((v) => ship.mutate({ v }))} data-testid="shipment-form">
          <Stack>
            <SimpleGrid cols={3}>
              <TextInput
                label={t('shipments.code')}
                description={t('shipments.codeHelp')}
                withAsterisk
                data-testid="shipment-code"
                {...form.getInputProps('shipmentCode')}
              />
              <Select
                label={t('shipments.customer')}
                placeholder={t('shipments.pickCustomer')}
                withAsterisk
                searchable
                data={customerOptions}
                nothingFoundMessage={t('shipments.noCustomers')}
                data-testid="shipment-customer"
                {...form.getInputProps('customerCode')}
              />
              <DateInput
                label={t('shipments.date')}
                valueFormat="YYYY-MM-DD"
                withAsterisk
                maxDate={todayIso()}
                value={form.values.date || null}
                onChange={(v) => form.setFieldValue('date', v ?? '')}
                error={form.errors['date']}
                data-testid="shipment-date"
              />
            </SimpleGrid>
            {chosen ? (
              <Text size="sm" c="dimmed" data-testid="shipment-customer-contact">
                {t('shipments.recallContact', { contact: chosen.contact ?? '—', phone: chosen.phone ?? '—' })}
              </Text>
            ) : null}
            <div>
              <Text fw={500} size="sm">
                {t('shipments.lines')}
              </Text>
              <Text size="xs" c="dimmed" mb={4}>
                {t('shipments.linesHelp')}
              </Text>
              <EditableRows
                testId="shipment-lines"
                rows={form.values.lines}
                rowKey={(_, i) => form.key(`lines.${i}`)}
                columns={[
                  {
                    key: 'lotCode',
                    label: t('shipments.lot'),
                    edit: (_, i) => (
                      <TextInput
                        size="xs"
                        styles={{ input: { fontFamily: 'monospace' } }}
                        placeholder={t('batches.scanPlaceholder')}
                        data-testid={`shipment-line-lot-${i}`}
                        {...form.getInputProps(`lines.${i}.lotCode`)}
                      />
                    ),
                  },
                  {
                    key: 'quantity',
                    label: t('batches.quantity'),
                    w: 180,
                    edit: (_, i) => (
                      <TextInput
                        size="xs"
                        inputMode="decimal"
                        data-testid={`shipment-line-qty-${i}`}
                        {...form.getInputProps(`lines.${i}.quantity`)}
                      />
                    ),
                  },
                  {
                    key: 'unit',
                    label: t('batches.unit'),
                    w: 110,
                    edit: (_, i) => (
                      <Select
                        size="xs"
                        allowDeselect={false}
                        data={[...quantityUnits]}
                        data-testid={`shipment-line-unit-${i}`}
                        {...form.getInputProps(`lines.${i}.unit`)}
                      />
                    ),
                  },
                ]}
                max={200}
                onRemove={(i) => form.removeListItem('lines', i)}
                removeLabel={t('shipments.removeLine')}
                onAdd={() => form.insertListItem('lines', { lotCode: '', quantity: '', unit: 'kg' })}
                addLabel={t('shipments.addLine')}
                addTestId="shipment-add-line"
              />
            </div>
            <ErrorAlert error={ship.error} testId="shipment-error" />
            {override ? (
              <OverrideForm
                busy={ship.isPending}
                onCancel={() => setOverride(false)}
                onSubmit={(o) => {
                  const r = form.validate();
                  if (!r.hasErrors) ship.mutate({ v: form.getValues(), o });
                }}
              />
            ) : null}
            <Group justify="flex-end">
              <Button variant="default" component="a" href={href('/lots')}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={ship.isPending && !override} data-testid="shipment-submit">
                {t('shipments.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
