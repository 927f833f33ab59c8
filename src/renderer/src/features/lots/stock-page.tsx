import {
  Alert,
  Anchor,
  Button,
  Group,
  Paper,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { stockMovements } from '../../../../shared/contract/channels/lots';
import { quantityUnits, type QuantityUnit } from '../../../../shared/domain/units';
import { call } from '../../core/api/client';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { href, useRoute } from '../../core/router';
import { serverFieldErrors } from '../../ui/form-errors';
import { KindLabel, StatusBadge, lotHref, qty } from '../../ui/lot';
import { useContractForm } from '../../ui/contract-form';
import type { ChannelInput } from '../../../../shared/contract';
import { todayIso } from '../../ui/dates';

type Movement = (typeof stockMovements)[number];

interface StockValues {
  lotCode: string;
  movement: Movement;
  quantity: string;
  unit: string;
  date: string;
  location: string;
  reason: string;
}

/** The movement as stock.record takes it. */
function stockInput(v: StockValues): ChannelInput<'stock.record'> {
  return {
    lotCode: v.lotCode.trim(),
    movement: v.movement,
    quantity: v.quantity.trim(),
    unit: v.unit as QuantityUnit,
    date: v.date,
    ...(v.location.trim() ? { location: v.location.trim() } : {}),
    ...(v.reason.trim() ? { reason: v.reason.trim() } : {}),
  };
}

/** Stock counts, samples taken, waste, customer returns and adjustments of one lot. */
export function StockPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const route = useRoute();
  const initialLot = route.params.get('lot') ?? '';
  const form = useContractForm<'stock.record', StockValues>('stock.record', {
    toInput: stockInput,
    messages: {
      quantity: (v) => (v.movement === 'adjustment' ? 'stock.errors.adjustment' : 'stock.errors.quantity'),
      date: 'shipments.errors.date',
    },
    initialValues: {
      lotCode: initialLot,
      movement: 'on_hand',
      quantity: '',
      unit: 'kg',
      date: todayIso(),
      location: '',
      reason: '',
    },
    validate: {
      lotCode: (v) => (v.trim() ? null : t('batches.errors.lotCode')),
      // Only an adjustment may lower the quantity (the contract takes a signed decimal for every movement).
      quantity: (v, values) =>
        values.movement === 'adjustment'
          ? Number(v) !== 0
            ? null
            : t('stock.errors.adjustment')
          : v.trim().startsWith('-')
            ? t('stock.errors.quantity')
            : null,
      reason: (v, values) =>
        values.movement === 'adjustment' && v.trim().length < 3 ? t('validation.reasonRequired') : null,
    },
  });
  const [code] = useDebouncedValue(form.values.lotCode.trim(), 300);
  const lot = useCall('lots.get', { code }, { enabled: code.length > 0, retry: false, staleTime: 0 });
  const save = useMutation({
    mutationFn: (v: StockValues) => call('stock.record', stockInput(v)),
    onSuccess: (l) => {
      notifications.show({ color: 'green', message: t('stock.saved', { code: l.code }) });
      void qc.invalidateQueries({ queryKey: ['lots.get'] });
      void qc.invalidateQueries({ queryKey: ['lots.list'] });
      window.location.hash = lotHref(l.code);
    },
    onError: (e) => form.setErrors(serverFieldErrors(t, e)),
  });
  const movement = form.values.movement;

  return (
    <Stack data-testid="stock-page" maw={900}>
      <Anchor href={href('/lots')} size="sm">
        ← {t('lots.backToList')}
      </Anchor>
      <div>
        <Title order={2}>{t('stock.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('stock.intro')}
        </Text>
      </div>
      <Paper withBorder p="md">
        <form noValidate onSubmit={form.onSubmit((v) => save.mutate(v))} data-testid="stock-form">
          <Stack>
            <TextInput
              label={t('stock.lot')}
              placeholder={t('batches.scanPlaceholder')}
              withAsterisk
              styles={{ input: { fontFamily: 'monospace' } }}
              data-testid="stock-lot"
              {...form.getInputProps('lotCode')}
              onChange={(e) => form.setFieldValue('lotCode', e.currentTarget.value)}
            />
            {lot.data ? (
              <Group gap="xs" data-testid="stock-lot-info">
                <KindLabel kind={lot.data.lot.kind} />
                <Text size="sm" ff="monospace" fw={600}>
                  {lot.data.lot.code}
                </Text>
                <Text size="sm">{lot.data.lot.itemCode}</Text>
                <StatusBadge status={lot.data.lot.status} size="sm" />
                <Text size="sm">{t('batches.remaining', { q: qty(lot.data.lot.remaining, lot.data.lot.unit) })}</Text>
              </Group>
            ) : null}
            {code && lot.error ? <ErrorAlert error={lot.error} /> : null}
            <Radio.Group
              label={t('stock.movement')}
              value={movement}
              onChange={(v) => form.setFieldValue('movement', v as Movement)}
              data-testid="stock-movement"
            >
              <SimpleGrid cols={{ base: 1, md: 2 }} mt="xs">
                {stockMovements.map((m) => (
                  <Radio.Card
                    key={m}
                    value={m}
                    p="sm"
                    radius="sm"
                    data-testid={`stock-movement-${m}`}
                    style={m === movement ? { borderColor: 'var(--mantine-color-teal-6)', borderWidth: 2 } : undefined}
                  >
                    <Group wrap="nowrap" align="flex-start">
                      <Radio.Indicator />
                      <div>
                        <Text fw={600} size="sm">
                          {t(`stock.movements.${m}`)}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {t(`stock.help.${m}`)}
                        </Text>
                      </div>
                    </Group>
                  </Radio.Card>
                ))}
              </SimpleGrid>
            </Radio.Group>
            <SimpleGrid cols={3}>
              <TextInput
                label={movement === 'adjustment' ? t('stock.signedQuantity') : t('batches.quantity')}
                withAsterisk
                inputMode="decimal"
                data-testid="stock-quantity"
                {...form.getInputProps('quantity')}
              />
              <Select
                label={t('batches.unit')}
                allowDeselect={false}
                data={[...quantityUnits]}
                data-testid="stock-unit"
                {...form.getInputProps('unit')}
              />
              <DateInput
                label={t('stock.date')}
                valueFormat="YYYY-MM-DD"
                maxDate={todayIso()}
                withAsterisk
                value={form.values.date || null}
                onChange={(v) => form.setFieldValue('date', v ?? '')}
                error={form.errors['date']}
                data-testid="stock-date"
              />
            </SimpleGrid>
            <TextInput
              label={t('receiving.location')}
              description={t('stock.locationHelp')}
              data-testid="stock-location"
              {...form.getInputProps('location')}
            />
            <Textarea
              label={t('stock.reason')}
              description={movement === 'adjustment' ? t('stock.reasonRequired') : t('stock.reasonOptional')}
              withAsterisk={movement === 'adjustment'}
              autosize
              minRows={2}
              maxLength={1000}
              data-testid="stock-reason"
              {...form.getInputProps('reason')}
            />
            {movement === 'on_hand' ? (
              <Alert color="blue" variant="light" p="xs">
                <Text size="sm">{t('stock.onHandNote')}</Text>
              </Alert>
            ) : null}
            <ErrorAlert error={save.error} testId="stock-error" />
            <Group justify="flex-end">
              <Button variant="default" component="a" href={href('/lots')}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={save.isPending} data-testid="stock-submit">
                {t('stock.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
