import { useState } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ChannelInput, ChannelOutput } from '../../../../shared/contract';
import { driverIds, instrumentKinds, type InstrumentView } from '../../../../shared/contract/channels/instruments';
import { call } from '../../core/api/client';
import { hasPermission, useSession } from '../../core/session';
import { useContractForm } from '../../ui/contract-form';
import { ErrorAlert } from '../../ui/error-alert';
import { ReasonModal } from '../../ui/reason-modal';
import { serverFieldErrors } from '../../ui/form-errors';
import { configOf, draftOf, emptyPrintConfig, PrintConfigEditor, type PrintConfigDraft } from './print-config-editor';

type Fields = ChannelInput<'instruments.save'>['fields'];
type Ports = ChannelOutput<'instruments.ports'>;

interface Values {
  code: string;
  name: string;
  kind: Fields['kind'];
  make: string;
  model: string;
  serialNo: string;
  location: string;
  portPath: string;
  usbSerial: string;
  usbVendorId: string;
  usbProductId: string;
  baudRate: string;
  dataBits: string;
  parity: Fields['parity'];
  stopBits: string;
  flowControl: Fields['flowControl'];
  lineEnding: Fields['lineEnding'];
  driver: Fields['driver'];
  checkIntervalHours: number | string;
  active: boolean;
  printConfig: PrintConfigDraft;
}

const BAUDS = ['1200', '2400', '4800', '9600', '19200', '38400', '57600', '115200'];

/** Each driver's documented serial settings (../shared/reference/reference-data.md §4). */
const DRIVER_DEFAULTS: Record<Fields['driver'], Pick<Values, 'baudRate' | 'dataBits' | 'parity' | 'stopBits'>> = {
  'mt-sics': { baudRate: '9600', dataBits: '8', parity: 'none', stopBits: '1' },
  sbi: { baudRate: '9600', dataBits: '7', parity: 'odd', stopBits: '1' },
  ohaus: { baudRate: '9600', dataBits: '8', parity: 'none', stopBits: '1' },
  print: { baudRate: '9600', dataBits: '8', parity: 'none', stopBits: '1' },
};

function initial(i: InstrumentView | null): Values {
  if (!i)
    return {
      code: '',
      name: '',
      kind: 'balance',
      make: '',
      model: '',
      serialNo: '',
      location: '',
      portPath: '',
      usbSerial: '',
      usbVendorId: '',
      usbProductId: '',
      ...DRIVER_DEFAULTS['mt-sics'],
      flowControl: 'none',
      lineEnding: 'crlf',
      driver: 'mt-sics',
      checkIntervalHours: 24,
      active: true,
      printConfig: emptyPrintConfig,
    };
  return {
    code: i.code,
    name: i.name,
    kind: i.kind,
    make: i.make ?? '',
    model: i.model ?? '',
    serialNo: i.serialNo ?? '',
    location: i.location ?? '',
    portPath: i.portPath ?? '',
    usbSerial: i.usbSerial ?? '',
    usbVendorId: i.usbVendorId ?? '',
    usbProductId: i.usbProductId ?? '',
    baudRate: String(i.baudRate),
    dataBits: String(i.dataBits),
    parity: i.parity,
    stopBits: String(i.stopBits),
    flowControl: i.flowControl,
    lineEnding: i.lineEnding,
    driver: i.driver,
    checkIntervalHours: i.checkIntervalHours,
    active: i.active,
    printConfig: draftOf(i.printConfig),
  };
}

const orNull = (s: string): string | null => (s.trim() ? s.trim() : null);

function fieldsOf(v: Values): Fields {
  return {
    code: v.code.trim(),
    name: v.name.trim(),
    kind: v.kind,
    make: orNull(v.make),
    model: orNull(v.model),
    serialNo: orNull(v.serialNo),
    location: orNull(v.location),
    portPath: orNull(v.portPath),
    usbSerial: orNull(v.usbSerial),
    usbVendorId: orNull(v.usbVendorId),
    usbProductId: orNull(v.usbProductId),
    baudRate: Number(v.baudRate),
    dataBits: v.dataBits === '7' ? 7 : 8,
    parity: v.parity,
    stopBits: v.stopBits === '2' ? 2 : 1,
    flowControl: v.flowControl,
    lineEnding: v.lineEnding,
    driver: v.driver,
    printConfig: v.driver === 'print' ? configOf(v.printConfig) : null,
    checkIntervalHours: typeof v.checkIntervalHours === 'number' ? v.checkIntervalHours : Number(v.checkIntervalHours),
    active: v.active,
  };
}

/**
 * The registry entry (issue 10 §1): administrators edit it (every change is a ledger entry
 * with its reason); everyone else sees it read-only. The port is best given by the USB
 * adapter's identity, which survives re-plugging into another socket; "Find port" lists what
 * the OS sees.
 */
export function SettingsForm({
  instrument,
  onSaved,
}: {
  instrument: InstrumentView | null;
  onSaved?: (v: InstrumentView) => void;
}) {
  const { t } = useTranslation();
  const session = useSession();
  const qc = useQueryClient();
  const canManage = hasPermission(session, 'instruments.manage') && !session.readOnly;
  const form = useContractForm<'instruments.save', Values>('instruments.save', {
    toInput: (v) => ({ ...(instrument ? { id: instrument.id } : {}), fields: fieldsOf(v) }),
    fields: {
      'fields.code': 'code',
      'fields.name': 'name',
      'fields.usbVendorId': 'usbVendorId',
      'fields.usbProductId': 'usbProductId',
    },
    messages: {
      code: 'instruments.settings.codeFormat',
      name: 'validation.required',
      usbVendorId: 'instruments.settings.usbIdFormat',
      usbProductId: 'instruments.settings.usbIdFormat',
    },
    initialValues: initial(instrument),
    validate: {
      portPath: (v, all) =>
        v.trim() || all.usbSerial.trim() || (all.usbVendorId.trim() && all.usbProductId.trim())
          ? null
          : t('instruments.settings.portRequired'),
    },
  });
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const save = async (reason?: string) => {
    setError(null);
    try {
      const out = await call('instruments.save', {
        ...(instrument ? { id: instrument.id } : {}),
        fields: fieldsOf(form.values),
        ...(reason ? { reason } : {}),
      });
      notifications.show({ color: 'green', message: t('instruments.settings.saved', { code: out.code }) });
      void qc.invalidateQueries({ queryKey: ['instruments.list'] });
      void qc.invalidateQueries({ queryKey: ['instruments.get'] });
      form.resetDirty();
      onSaved?.(out);
    } catch (e) {
      form.setErrors(serverFieldErrors(t, e));
      throw e;
    }
  };

  const select = (field: keyof Values, label: string, data: Array<{ value: string; label: string }>) => (
    <Select
      label={label}
      data={data}
      allowDeselect={false}
      data-testid={`instrument-field-${field}`}
      comboboxProps={{ withinPortal: true }}
      {...form.getInputProps(field)}
    />
  );
  const text = (field: keyof Values, label: string, extra: Record<string, unknown> = {}) => (
    <TextInput label={label} data-testid={`instrument-field-${field}`} {...extra} {...form.getInputProps(field)} />
  );
  const plain = (xs: readonly string[]) => xs.map((x) => ({ value: x, label: x }));

  return (
    <form
      noValidate
      onSubmit={form.onSubmit(() => {
        if (instrument) {
          setAsking(true);
          return;
        }
        setBusy(true);
        save()
          .catch(setError)
          .finally(() => setBusy(false));
      })}
      data-testid="instrument-settings"
    >
      <Stack>
        {!canManage ? (
          <Alert color="blue" variant="light" data-testid="instrument-settings-readonly">
            {t('instruments.settings.readOnly')}
          </Alert>
        ) : null}
        <Fieldset legend={t('instruments.settings.identity')} disabled={!canManage}>
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            {text('code', t('instruments.fields.code'), {
              withAsterisk: true,
              disabled: !!instrument || !canManage,
              description: instrument ? t('instruments.settings.codeFixed') : undefined,
            })}
            {text('name', t('instruments.fields.name'), { withAsterisk: true })}
            {select(
              'kind',
              t('instruments.fields.kind'),
              instrumentKinds.map((k) => ({ value: k, label: t(`instruments.kinds.${k}`) })),
            )}
            {text('make', t('instruments.fields.make'))}
            {text('model', t('instruments.fields.model'))}
            {text('serialNo', t('instruments.fields.serialNo'), {
              description: t('instruments.settings.serialHelp'),
            })}
            {text('location', t('instruments.fields.location'))}
            <NumberInput
              label={t('instruments.fields.checkIntervalHours')}
              description={t('instruments.settings.checkIntervalHelp')}
              min={0}
              max={744}
              allowDecimal={false}
              data-testid="instrument-field-checkIntervalHours"
              {...form.getInputProps('checkIntervalHours')}
            />
            <Checkbox
              mt="xl"
              label={t('instruments.fields.active')}
              data-testid="instrument-field-active"
              {...form.getInputProps('active', { type: 'checkbox' })}
            />
          </SimpleGrid>
        </Fieldset>

        <Fieldset legend={t('instruments.settings.connection')} disabled={!canManage}>
          <Stack gap="sm">
            <Text size="xs" c="dimmed">
              {t('instruments.settings.connectionHelp')}
            </Text>
            <SimpleGrid cols={{ base: 1, md: 4 }}>
              {text('portPath', t('instruments.fields.portPath'), {
                placeholder: '/dev/ttyUSB0 · COM3',
                styles: { input: { fontFamily: 'var(--mantine-font-family-monospace)' } },
              })}
              {text('usbSerial', t('instruments.fields.usbSerial'))}
              {text('usbVendorId', t('instruments.fields.usbVendorId'), { placeholder: '0403' })}
              {text('usbProductId', t('instruments.fields.usbProductId'), { placeholder: '6001' })}
            </SimpleGrid>
            {canManage ? (
              <FindPort
                onUse={(p) =>
                  form.setValues({
                    portPath: p.path,
                    usbSerial: p.serialNumber ?? '',
                    usbVendorId: p.vendorId ?? '',
                    usbProductId: p.productId ?? '',
                  })
                }
              />
            ) : null}
          </Stack>
        </Fieldset>

        <Fieldset legend={t('instruments.settings.serial')} disabled={!canManage}>
          <SimpleGrid cols={{ base: 2, md: 7 }}>
            <Select
              label={t('instruments.fields.driver')}
              allowDeselect={false}
              data={driverIds.map((d) => ({ value: d, label: t(`instruments.drivers.${d}`) }))}
              data-testid="instrument-field-driver"
              comboboxProps={{ withinPortal: true }}
              {...form.getInputProps('driver')}
              onChange={(v) => {
                if (!v) return;
                const d = v as Fields['driver'];
                form.setValues({ driver: d, ...DRIVER_DEFAULTS[d] });
              }}
            />
            {select('baudRate', t('instruments.fields.baudRate'), plain(BAUDS))}
            {select('dataBits', t('instruments.fields.dataBits'), plain(['7', '8']))}
            {select(
              'parity',
              t('instruments.fields.parity'),
              (['none', 'odd', 'even'] as const).map((p) => ({ value: p, label: t(`instruments.parity.${p}`) })),
            )}
            {select('stopBits', t('instruments.fields.stopBits'), plain(['1', '2']))}
            {select(
              'flowControl',
              t('instruments.fields.flowControl'),
              (['none', 'rtscts', 'xonxoff'] as const).map((p) => ({ value: p, label: t(`instruments.flow.${p}`) })),
            )}
            {select(
              'lineEnding',
              t('instruments.fields.lineEnding'),
              (['crlf', 'cr', 'lf'] as const).map((p) => ({ value: p, label: p.toUpperCase() })),
            )}
          </SimpleGrid>
          <Text size="xs" c="dimmed" mt="xs">
            {t('instruments.settings.driverHelp')}
          </Text>
        </Fieldset>

        {form.values.driver === 'print' ? (
          <Fieldset legend={t('instruments.settings.printConfig')} disabled={!canManage}>
            <PrintConfigEditor
              value={form.values.printConfig}
              onChange={(c) => form.setFieldValue('printConfig', c)}
              disabled={!canManage}
            />
            {form.errors['printConfig'] ? (
              <Text size="sm" c="red.8" mt="xs">
                {form.errors['printConfig']}
              </Text>
            ) : null}
          </Fieldset>
        ) : null}

        <ErrorAlert error={error} testId="instrument-save-error" />
        {canManage ? (
          <Group justify="flex-end">
            <Button type="submit" loading={busy} data-testid="instrument-save">
              {instrument ? t('instruments.settings.save') : t('instruments.register')}
            </Button>
          </Group>
        ) : null}
      </Stack>
      <ReasonModal
        opened={asking}
        title={t('instruments.settings.reasonTitle', { code: instrument?.code ?? '' })}
        help={t('instruments.settings.reasonHelp')}
        confirmLabel={t('instruments.settings.save')}
        onClose={() => setAsking(false)}
        onConfirm={({ reason }) => save(reason)}
      />
    </form>
  );
}

/** The OS's serial ports with their USB identity; when the OS cannot list them, its message. */
function FindPort({ onUse }: { onUse: (p: Ports['ports'][number]) => void }) {
  const { t } = useTranslation();
  const [ports, setPorts] = useState<Ports | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const find = () => {
    setBusy(true);
    setError(null);
    call('instruments.ports', {})
      .then(setPorts)
      .catch(setError)
      .finally(() => setBusy(false));
  };
  return (
    <Stack gap="xs">
      <Group>
        <Button variant="default" size="xs" loading={busy} onClick={find} data-testid="instrument-find-port">
          {t('instruments.ports.find')}
        </Button>
        <Text size="xs" c="dimmed">
          {t('instruments.ports.help')}
        </Text>
      </Group>
      <ErrorAlert error={error} />
      {ports?.error ? (
        <Alert color="orange" title={t('instruments.ports.cannotList')} data-testid="instrument-ports-error">
          {ports.error}
        </Alert>
      ) : null}
      {ports && !ports.error && ports.ports.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="instrument-ports-none">
          {t('instruments.ports.none')}
        </Text>
      ) : null}
      {ports && ports.ports.length > 0 ? (
        <Paper withBorder>
          <Table fz="sm" verticalSpacing={4} data-testid="instrument-ports">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('instruments.ports.path')}</Table.Th>
                <Table.Th>{t('instruments.ports.manufacturer')}</Table.Th>
                <Table.Th>{t('instruments.fields.usbSerial')}</Table.Th>
                <Table.Th>{t('instruments.ports.vidPid')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ports.ports.map((p) => (
                <Table.Tr key={p.path}>
                  <Table.Td ff="monospace">{p.path}</Table.Td>
                  <Table.Td>{p.manufacturer ?? '—'}</Table.Td>
                  <Table.Td ff="monospace">{p.serialNumber ?? '—'}</Table.Td>
                  <Table.Td ff="monospace">{p.vendorId && p.productId ? `${p.vendorId}:${p.productId}` : '—'}</Table.Td>
                  <Table.Td>
                    <Button size="compact-xs" variant="light" onClick={() => onUse(p)}>
                      {t('instruments.ports.use')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      ) : null}
    </Stack>
  );
}
