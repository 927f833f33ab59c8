import { useState } from 'react';
import {
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../../shared/contract';
import { instrumentKinds } from '../../../../shared/contract/channels/instruments';
import { call } from '../../core/api/client';
import { useCall } from '../../core/api/hooks';
import { href } from '../../core/router';
import { hasPermission, useSession } from '../../core/session';
import { contractIssues } from '../../ui/contract-form';
import { EditableRows, textColumn } from '../../ui/editable-rows';
import { rowErrors, withAddedRow, withoutRow, withRow } from '../../ui/editable-rows-model';
import { ErrorAlert } from '../../ui/error-alert';
import { ReasonModal } from '../../ui/reason-modal';

type Rule = ChannelOutput<'instruments.methods.list'>[number];
type Kind = (typeof instrumentKinds)[number];
interface ConversionDraft {
  from: string;
  to: string;
  factor: string;
  offset: string;
  note: string;
}
interface Draft {
  methodCode: string;
  instrumentKind: Kind | null;
  conversions: ConversionDraft[];
  note: string;
}

const blankConversion: ConversionDraft = { from: '', to: '', factor: '', offset: '', note: '' };

function draftOf(r: Rule | null): Draft {
  if (!r) return { methodCode: '', instrumentKind: null, conversions: [], note: '' };
  return {
    methodCode: r.methodCode,
    instrumentKind: r.instrumentKind,
    conversions: r.conversions.map((c) => ({
      from: c.from,
      to: c.to ?? '',
      factor: c.factor,
      offset: c.offset && c.offset !== '0' ? c.offset : '',
      note: c.note ?? '',
    })),
    note: r.note ?? '',
  };
}

/** The channel's input of a draft (the kind left out until chosen). */
function inputOf(d: Draft) {
  return {
    methodCode: d.methodCode.trim(),
    ...(d.instrumentKind ? { instrumentKind: d.instrumentKind } : {}),
    conversions: d.conversions.map((c) => ({
      from: c.from.trim(),
      to: c.to.trim() || null,
      factor: c.factor.trim(),
      ...(c.offset.trim() ? { offset: c.offset.trim() } : {}),
      note: c.note.trim() || null,
    })),
    note: d.note.trim() || null,
  };
}

/**
 * `#/instruments/methods`: what test methods name about instruments (issue 19 §5, D-058) —
 * the instrument kind their values are measured on (then every typed or captured value names
 * an unlocked instrument of that kind) and the conversions of readings into the item's entry
 * unit, each with its source. QA managers edit them; a change needs a reason.
 */
export function MethodRulesPage() {
  const { t } = useTranslation();
  const session = useSession();
  const list = useCall('instruments.methods.list', {}, { staleTime: 0 });
  const canEdit = hasPermission(session, 'catalog.manage') && !session.readOnly;
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  return (
    <Stack maw={1200} data-testid="method-rules-page">
      <Anchor href={href('/instruments')} size="sm">
        ← {t('instruments.back')}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t('instruments.methods.title')}</Title>
          <Text size="sm" c="dimmed" maw={820}>
            {t('instruments.methods.intro')}
          </Text>
        </div>
        {canEdit && editing === null ? (
          <Button onClick={() => setEditing('new')} data-testid="method-rule-new">
            {t('instruments.methods.add')}
          </Button>
        ) : null}
      </Group>
      {editing !== null ? (
        <RuleForm
          key={editing === 'new' ? 'new' : editing.id}
          rule={editing === 'new' ? null : editing}
          onDone={() => setEditing(null)}
        />
      ) : null}
      {list.isLoading ? <Loader /> : null}
      <ErrorAlert error={list.error} testId="method-rules-error" />
      {list.data && list.data.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="method-rules-empty">
          {t('instruments.methods.none')}
        </Text>
      ) : null}
      {list.data && list.data.length > 0 ? (
        <Table withTableBorder verticalSpacing={6} fz="sm" data-testid="method-rules">
          <Table.Thead bg="var(--mantine-color-gray-0)">
            <Table.Tr>
              <Table.Th>{t('instruments.methods.methodCode')}</Table.Th>
              <Table.Th>{t('instruments.methods.kind')}</Table.Th>
              <Table.Th>{t('instruments.methods.conversions')}</Table.Th>
              <Table.Th>{t('instruments.methods.note')}</Table.Th>
              <Table.Th w={80} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.map((r) => (
              <Table.Tr key={r.id} data-testid={`method-rule-${r.methodCode}`} style={{ verticalAlign: 'top' }}>
                <Table.Td ff="monospace" fw={600}>
                  {r.methodCode}
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" tt="none">
                    {t(`instruments.kinds.${r.instrumentKind}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {r.conversions.length === 0 ? (
                    <Text size="xs" c="dimmed">
                      —
                    </Text>
                  ) : (
                    r.conversions.map((c) => (
                      <Text key={c.from} size="xs" ff="monospace">
                        {c.from} × {c.factor}
                        {c.offset && c.offset !== '0' ? ` + ${c.offset}` : ''} →{' '}
                        {c.to || t('instruments.methods.entryUnit')}
                        {c.note ? (
                          <Text span size="xs" c="dimmed" ff="inherit">
                            {' '}
                            ({c.note})
                          </Text>
                        ) : null}
                      </Text>
                    ))
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{r.note ?? ''}</Text>
                </Table.Td>
                <Table.Td>
                  {canEdit && editing === null ? (
                    <Button size="compact-xs" variant="light" onClick={() => setEditing(r)}>
                      {t('instruments.methods.edit')}
                    </Button>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  );
}

function RuleForm({ rule, onDone }: { rule: Rule | null; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [d, setD] = useState<Draft>(() => draftOf(rule));
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const setConv = (k: number, patch: Partial<ConversionDraft>) =>
    setD({ ...d, conversions: withRow(d.conversions, k, patch) });
  // The rule as the channel's schema checks it: the method, the kind, each conversion's decimals.
  const issues = contractIssues(t, 'instruments.methods.save', inputOf(d));
  const convErrors = rowErrors(issues, 'conversions', d.conversions.length);
  const valid = issues.length === 0;
  const conversionColumn = (
    key: keyof ConversionDraft,
    label: string,
    w?: number,
    placeholder?: string,
    mono = false,
  ) =>
    textColumn<ConversionDraft>({
      key,
      label: t(`instruments.methods.${label}`),
      w,
      placeholder,
      mono,
      value: (c) => c[key],
      onChange: (k, v) => setConv(k, { [key]: v }),
      testId: (_, k) => `conversion-${key}-${k}`,
    });
  const save = (reason?: string) => {
    setBusy(true);
    setError(null);
    return call('instruments.methods.save', {
      ...inputOf(d),
      instrumentKind: d.instrumentKind!,
      ...(reason ? { reason } : {}),
    })
      .then((r) => {
        notifications.show({ color: 'green', message: t('instruments.methods.saved', { code: r.methodCode }) });
        void qc.invalidateQueries({ queryKey: ['instruments.methods.list'] });
        onDone();
      })
      .catch((e: unknown) => {
        setError(e);
        throw e;
      })
      .finally(() => setBusy(false));
  };
  return (
    <Paper withBorder p="md" data-testid="method-rule-form">
      <Stack gap="xs">
        <Group align="flex-end">
          <TextInput
            label={t('instruments.methods.methodCode')}
            description={t('instruments.methods.methodCodeHelp')}
            withAsterisk
            w={260}
            ff="monospace"
            value={d.methodCode}
            disabled={rule !== null}
            onChange={(e) => setD({ ...d, methodCode: e.currentTarget.value })}
            data-testid="method-rule-code"
          />
          <Select
            label={t('instruments.methods.kind')}
            withAsterisk
            w={220}
            value={d.instrumentKind}
            allowDeselect={false}
            comboboxProps={{ withinPortal: false }}
            data={instrumentKinds.map((k) => ({ value: k, label: t(`instruments.kinds.${k}`) }))}
            onChange={(v) => setD({ ...d, instrumentKind: v as Kind })}
            data-testid="method-rule-kind"
          />
          <TextInput
            label={t('instruments.methods.note')}
            style={{ flex: 1 }}
            value={d.note}
            onChange={(e) => setD({ ...d, note: e.currentTarget.value })}
            data-testid="method-rule-note"
          />
        </Group>
        <Text size="sm" fw={600}>
          {t('instruments.methods.conversions')}
        </Text>
        <Text size="xs" c="dimmed">
          {t('instruments.methods.conversionsHelp')}
        </Text>
        <EditableRows
          rows={d.conversions}
          min={0}
          max={10}
          errors={(_, k) => convErrors[k]}
          columns={[
            conversionColumn('from', 'from', 100, 'm°H'),
            conversionColumn('factor', 'factor', 120, '0.0009656', true),
            conversionColumn('offset', 'offset', 100, '0', true),
            conversionColumn('to', 'to', 100, t('instruments.methods.entryUnit')),
            conversionColumn('note', 'source'),
          ]}
          onRemove={(k) => setD({ ...d, conversions: withoutRow(d.conversions, k, 0) })}
          removeLabel={t('instruments.methods.removeConversion')}
          onAdd={() => setD({ ...d, conversions: withAddedRow(d.conversions, blankConversion, 10) })}
          addLabel={t('instruments.methods.addConversion')}
          addTestId="conversion-add"
          actions={
            <Group>
              <Button variant="default" onClick={onDone}>
                {t('common.cancel')}
              </Button>
              <Button
                disabled={!valid}
                loading={busy}
                onClick={() => (rule ? setAsking(true) : void save().catch(() => undefined))}
                data-testid="method-rule-save"
              >
                {t('instruments.methods.save')}
              </Button>
            </Group>
          }
        />
        <ErrorAlert error={error} testId="method-rule-error" />
      </Stack>
      <ReasonModal
        opened={asking}
        title={t('instruments.methods.reasonTitle', { code: d.methodCode })}
        help={t('instruments.methods.reasonHelp')}
        confirmLabel={t('instruments.methods.save')}
        onClose={() => setAsking(false)}
        onConfirm={({ reason }) => save(reason)}
      />
    </Paper>
  );
}
