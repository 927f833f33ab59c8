import { Alert, Badge, Checkbox, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { printFieldRoles, type InstrumentView } from '../../../../shared/contract/channels/instruments';
import { EditableRows, textColumn } from '../../ui/editable-rows';
import { withAddedRow, withoutRow, withRow } from '../../ui/editable-rows-model';
import { shippedFormatIds, shippedFormats, type ShippedFormatId } from '../../../../shared/domain/print-formats';

type PrintConfig = NonNullable<InstrumentView['printConfig']>;
type Role = (typeof printFieldRoles)[number];

interface FieldDraft {
  analyte: string;
  pattern: string;
  unit: string;
  role: Role;
  item: string;
  optional: boolean;
  okPattern: string;
}

/** The editable form of a print-format configuration: empty strings where the contract has none. */
export interface PrintConfigDraft {
  recordStart: string;
  recordEnd: string;
  errorPattern: string;
  checkSampleId: boolean;
  fields: FieldDraft[];
}

const blankField: FieldDraft = {
  analyte: '',
  pattern: '',
  unit: '',
  role: 'value',
  item: '',
  optional: false,
  okPattern: '',
};

export const emptyPrintConfig: PrintConfigDraft = {
  recordStart: '',
  recordEnd: '',
  errorPattern: '',
  checkSampleId: false,
  fields: [blankField],
};

export function draftOf(c: PrintConfig | null): PrintConfigDraft {
  if (!c) return emptyPrintConfig;
  return {
    recordStart: c.recordStart ?? '',
    recordEnd: c.recordEnd ?? '',
    errorPattern: c.errorPattern ?? '',
    checkSampleId: c.checkSampleId ?? false,
    fields: c.fields.map((f) => ({
      analyte: f.analyte,
      pattern: f.pattern,
      unit: f.unit,
      role: f.role ?? 'value',
      item: f.item ?? '',
      optional: f.optional ?? false,
      okPattern: f.okPattern ?? '',
    })),
  };
}

/** The contract's configuration: blanks left out, blank field rows dropped. */
export function configOf(d: PrintConfigDraft): PrintConfig {
  return {
    ...(d.recordStart.trim() ? { recordStart: d.recordStart } : {}),
    ...(d.recordEnd.trim() ? { recordEnd: d.recordEnd } : {}),
    ...(d.errorPattern.trim() ? { errorPattern: d.errorPattern } : {}),
    ...(d.checkSampleId ? { checkSampleId: true } : {}),
    fields: d.fields
      .filter((f) => f.analyte.trim() || f.pattern.trim())
      .map((f) => ({
        analyte: f.analyte.trim(),
        pattern: f.pattern,
        unit: f.unit.trim(),
        ...(f.role !== 'value' ? { role: f.role } : {}),
        ...(f.item.trim() && (f.role === 'value' || f.role === 'temperature') ? { item: f.item.trim() } : {}),
        ...(f.optional ? { optional: true } : {}),
        ...(f.role === 'status' && f.okPattern ? { okPattern: f.okPattern } : {}),
      })),
  };
}

/** Which shipped format a configuration is (its patterns unchanged), if any. */
export function shippedOf(c: PrintConfig | null): ShippedFormatId | null {
  if (!c) return null;
  const key = JSON.stringify(configOf(draftOf(c)));
  return (
    shippedFormatIds.find(
      (id) => JSON.stringify(configOf(draftOf(shippedFormats[id].config as PrintConfig))) === key,
    ) ?? null
  );
}

/** Sourced or unverified, with the source, for a shipped format (docs/instrument-formats.md). */
function ShippedFormatNote({ id }: { id: ShippedFormatId }) {
  const { t } = useTranslation();
  const f = shippedFormats[id];
  const sourced = f.verification === 'sourced';
  return (
    <Alert
      color={sourced ? 'blue' : 'orange'}
      variant="light"
      title={
        <Group gap="xs">
          <Text fw={600} size="sm">
            {f.make} {f.model}
          </Text>
          <Badge
            color={sourced ? 'blue' : 'orange'}
            variant="filled"
            tt="none"
            data-testid="print-shipped-verification"
          >
            {t(`instruments.print.verification.${f.verification}`)}
          </Badge>
        </Group>
      }
      data-testid="print-shipped-note"
      data-verification={f.verification}
    >
      <Stack gap={4}>
        {sourced ? null : (
          <Text size="sm" fw={600}>
            {t('instruments.print.unverifiedWarning')}
          </Text>
        )}
        <Text size="xs">{f.source}</Text>
        {f.open.map((o) => (
          <Text key={o} size="xs" c="dimmed">
            · {o}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

/**
 * Record start and end patterns, the error pattern and one pattern per field (its one capture
 * group is the value), as the print-format driver reads them (regular expressions, one line at
 * a time); each field's role and the result item it fills (D-057). A shipped format (D-060)
 * can be loaded as a starting point, with its source and whether it is verified.
 */
export function PrintConfigEditor({
  value,
  onChange,
  disabled,
}: {
  value: PrintConfigDraft;
  onChange: (next: PrintConfigDraft) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const setField = (k: number, patch: Partial<FieldDraft>) =>
    onChange({ ...value, fields: withRow(value.fields, k, patch) });
  const mono = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };
  const shipped = shippedOf(configOf(value));
  return (
    <Stack gap="xs" data-testid="print-config-editor">
      <Group align="flex-end" gap="xs">
        <Select
          size="xs"
          w={360}
          label={t('instruments.print.shipped')}
          placeholder={t('instruments.print.shippedPlaceholder')}
          value={shipped}
          disabled={disabled}
          allowDeselect={false}
          comboboxProps={{ withinPortal: false }}
          data={shippedFormatIds.map((id) => ({
            value: id,
            label: `${shippedFormats[id].make} ${shippedFormats[id].model} · ${t(`instruments.kinds.${shippedFormats[id].kind}`)} (${t(`instruments.print.verification.${shippedFormats[id].verification}`)})`,
          }))}
          onChange={(id) => id && onChange(draftOf(shippedFormats[id as ShippedFormatId].config as PrintConfig))}
          data-testid="print-shipped"
        />
      </Group>
      {shipped ? <ShippedFormatNote id={shipped} /> : null}
      <Text size="xs" c="dimmed">
        {t('instruments.print.help')}
      </Text>
      <SimpleGrid cols={3}>
        <TextInput
          label={t('instruments.print.recordStart')}
          description={t('instruments.print.recordStartHelp')}
          value={value.recordStart}
          disabled={disabled}
          styles={mono}
          onChange={(e) => onChange({ ...value, recordStart: e.currentTarget.value })}
          data-testid="print-record-start"
        />
        <TextInput
          label={t('instruments.print.recordEnd')}
          description={t('instruments.print.recordEndHelp')}
          value={value.recordEnd}
          disabled={disabled}
          styles={mono}
          onChange={(e) => onChange({ ...value, recordEnd: e.currentTarget.value })}
          data-testid="print-record-end"
        />
        <TextInput
          label={t('instruments.print.errorPattern')}
          description={t('instruments.print.errorPatternHelp')}
          value={value.errorPattern}
          disabled={disabled}
          styles={mono}
          onChange={(e) => onChange({ ...value, errorPattern: e.currentTarget.value })}
          data-testid="print-error-pattern"
        />
      </SimpleGrid>
      <EditableRows
        rows={value.fields}
        disabled={disabled}
        rowTestId={(_, k) => `print-field-${k}`}
        columns={[
          textColumn<FieldDraft>({
            key: 'analyte',
            label: t('instruments.print.analyte'),
            miw: 110,
            disabled,
            value: (f) => f.analyte,
            onChange: (k, v) => setField(k, { analyte: v }),
            testId: (_, k) => `print-field-analyte-${k}`,
          }),
          {
            key: 'role',
            label: t('instruments.print.role'),
            w: 110,
            edit: (f, k) => (
              <Select
                size="xs"
                value={f.role}
                disabled={disabled}
                allowDeselect={false}
                comboboxProps={{ withinPortal: false }}
                aria-label={t('instruments.print.role')}
                data={printFieldRoles.map((r) => ({ value: r, label: t(`instruments.print.roles.${r}`) }))}
                onChange={(r) => r && setField(k, { role: r as Role })}
                data-testid={`print-field-role-${k}`}
              />
            ),
          },
          textColumn<FieldDraft>({
            key: 'unit',
            label: t('instruments.print.unit'),
            w: 70,
            disabled,
            value: (f) => f.unit,
            onChange: (k, v) => setField(k, { unit: v }),
            testId: (_, k) => `print-field-unit-${k}`,
          }),
          textColumn<FieldDraft>({
            key: 'item',
            label: t('instruments.print.item'),
            w: 130,
            mono: true,
            disabled,
            placeholder: t('instruments.print.itemPlaceholder'),
            applies: (f) => f.role === 'value' || f.role === 'temperature',
            value: (f) => f.item,
            onChange: (k, v) => setField(k, { item: v }),
            testId: (_, k) => `print-field-item-${k}`,
          }),
          {
            key: 'optional',
            label: t('instruments.print.optional'),
            w: 56,
            edit: (f, k) => (
              <Checkbox
                size="xs"
                checked={f.optional}
                disabled={disabled}
                aria-label={t('instruments.print.optional')}
                onChange={(e) => setField(k, { optional: e.currentTarget.checked })}
              />
            ),
          },
        ]}
        // The field's pattern across the table, under its names.
        below={(f, k) => (
          <Group gap="xs" wrap="nowrap">
            <TextInput
              size="xs"
              style={{ flex: 1 }}
              value={f.pattern}
              disabled={disabled}
              styles={mono}
              leftSection={<Text size="xs">/</Text>}
              aria-label={t('instruments.print.pattern')}
              placeholder="^Fat\s*:\s*(\S+)"
              onChange={(e) => setField(k, { pattern: e.currentTarget.value })}
              data-testid={`print-field-pattern-${k}`}
            />
            {f.role === 'status' ? (
              <TextInput
                size="xs"
                w={200}
                value={f.okPattern}
                disabled={disabled}
                styles={mono}
                aria-label={t('instruments.print.okPattern')}
                placeholder={t('instruments.print.okPattern')}
                onChange={(e) => setField(k, { okPattern: e.currentTarget.value })}
                data-testid={`print-field-ok-${k}`}
              />
            ) : null}
          </Group>
        )}
        max={30}
        onRemove={(k) => onChange({ ...value, fields: withoutRow(value.fields, k) })}
        removeLabel={t('instruments.print.removeField')}
        onAdd={() => onChange({ ...value, fields: withAddedRow(value.fields, blankField, 30) })}
        addLabel={t('instruments.print.addField')}
        addTestId="print-add-field"
        actions={
          <Checkbox
            size="xs"
            label={t('instruments.print.checkSampleId')}
            description={t('instruments.print.checkSampleIdHelp')}
            checked={value.checkSampleId}
            disabled={disabled || !value.fields.some((f) => f.role === 'sample_id')}
            onChange={(e) => onChange({ ...value, checkSampleId: e.currentTarget.checked })}
            data-testid="print-check-sample-id"
          />
        }
      />
    </Stack>
  );
}
