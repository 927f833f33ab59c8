import { ActionIcon, Button, Group, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { InstrumentView } from '../../../../shared/contract/channels/instruments';

type PrintConfig = NonNullable<InstrumentView['printConfig']>;

/** The editable form of a print-format configuration: empty strings where the contract has none. */
export interface PrintConfigDraft {
  recordStart: string;
  recordEnd: string;
  fields: Array<{ analyte: string; pattern: string; unit: string }>;
}

export const emptyPrintConfig: PrintConfigDraft = {
  recordStart: '',
  recordEnd: '',
  fields: [{ analyte: '', pattern: '', unit: '' }],
};

export function draftOf(c: PrintConfig | null): PrintConfigDraft {
  if (!c) return emptyPrintConfig;
  return {
    recordStart: c.recordStart ?? '',
    recordEnd: c.recordEnd ?? '',
    fields: c.fields.map((f) => ({ ...f })),
  };
}

/** The contract's configuration: blank start/end left out, blank field rows dropped. */
export function configOf(d: PrintConfigDraft): PrintConfig {
  return {
    ...(d.recordStart.trim() ? { recordStart: d.recordStart } : {}),
    ...(d.recordEnd.trim() ? { recordEnd: d.recordEnd } : {}),
    fields: d.fields
      .filter((f) => f.analyte.trim() || f.pattern.trim())
      .map((f) => ({ analyte: f.analyte.trim(), pattern: f.pattern, unit: f.unit.trim() })),
  };
}

/**
 * Record start and end patterns and one pattern per field (its one capture group is the
 * value), as the print-format driver reads them (regular expressions, one line at a time).
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
  const setField = (k: number, patch: Partial<PrintConfigDraft['fields'][number]>) =>
    onChange({ ...value, fields: value.fields.map((f, i) => (i === k ? { ...f, ...patch } : f)) });
  const mono = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };
  return (
    <Stack gap="xs" data-testid="print-config-editor">
      <Text size="xs" c="dimmed">
        {t('instruments.print.help')}
      </Text>
      <SimpleGrid cols={2}>
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
      </SimpleGrid>
      <Table withTableBorder verticalSpacing={4} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={160}>{t('instruments.print.analyte')}</Table.Th>
            <Table.Th>{t('instruments.print.pattern')}</Table.Th>
            <Table.Th w={110}>{t('instruments.print.unit')}</Table.Th>
            <Table.Th w={40} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {value.fields.map((f, k) => (
            <Table.Tr key={k}>
              <Table.Td>
                <TextInput
                  size="xs"
                  value={f.analyte}
                  disabled={disabled}
                  aria-label={t('instruments.print.analyte')}
                  onChange={(e) => setField(k, { analyte: e.currentTarget.value })}
                  data-testid={`print-field-analyte-${k}`}
                />
              </Table.Td>
              <Table.Td>
                <TextInput
                  size="xs"
                  value={f.pattern}
                  disabled={disabled}
                  styles={mono}
                  aria-label={t('instruments.print.pattern')}
                  placeholder="^Fat\s*:\s*(\S+)"
                  onChange={(e) => setField(k, { pattern: e.currentTarget.value })}
                  data-testid={`print-field-pattern-${k}`}
                />
              </Table.Td>
              <Table.Td>
                <TextInput
                  size="xs"
                  value={f.unit}
                  disabled={disabled}
                  aria-label={t('instruments.print.unit')}
                  onChange={(e) => setField(k, { unit: e.currentTarget.value })}
                  data-testid={`print-field-unit-${k}`}
                />
              </Table.Td>
              <Table.Td>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  disabled={disabled || value.fields.length <= 1}
                  aria-label={t('instruments.print.removeField')}
                  onClick={() => onChange({ ...value, fields: value.fields.filter((_, i) => i !== k) })}
                >
                  ×
                </ActionIcon>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group>
        <Button
          size="compact-sm"
          variant="subtle"
          disabled={disabled || value.fields.length >= 30}
          onClick={() => onChange({ ...value, fields: [...value.fields, { analyte: '', pattern: '', unit: '' }] })}
          data-testid="print-add-field"
        >
          + {t('instruments.print.addField')}
        </Button>
      </Group>
    </Stack>
  );
}
