import { useState } from 'react';
import {
  Alert,
  Autocomplete,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../../shared/contract';
import { useCall, useMutationCall } from '../../core/api/hooks';
import { fieldErrors } from '../../core/api/errors';
import { ErrorAlert } from '../../ui/error-alert';
import { hasPermission, useSession } from '../../core/session';
import { isZh, TestingTabs } from './testing-format';
import { num } from '../../ui/format';
import { contractAccepts } from '../../ui/contract-form';

type Rule = ChannelOutput<'methods.rules.list'>[number];
type Repeatability = Rule['repeatability'];

/**
 * `#/testing/methods`: how many determinations each method needs and how far apart they may
 * be (GB 5009 methods state it as "两次独立测定结果的绝对差值不得超过算术平均值的 10%").
 * The entry grid shows that many inputs and judges the difference as the analyst types.
 */
export function MethodRulesPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const canManage = hasPermission(session, 'catalog.manage') && !session.readOnly;
  const rules = useCall('methods.rules.list', {}, { staleTime: 0 });
  const methods = useCall('catalog.methods.list', {}, { staleTime: 60_000 });
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const title = (code: string) => {
    const m = (methods.data ?? []).find((x) => x.code === code);
    return m ? (isZh(i18n.language) ? m.titleZh : m.titleEn) : '';
  };

  return (
    <Stack data-testid="method-rules-page">
      <TestingTabs active="methods" />
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('testing.methods.title')}</Title>
          <Text c="dimmed" size="sm" maw={820}>
            {t('testing.methods.intro')}
          </Text>
        </div>
        {canManage ? (
          <Button onClick={() => setEditing('new')} data-testid="method-rule-new">
            {t('testing.methods.new')}
          </Button>
        ) : null}
      </Group>
      <ErrorAlert error={rules.error} />
      {rules.data && rules.data.length === 0 ? (
        <Paper withBorder p="lg" data-testid="method-rules-empty">
          <Text>{canManage ? t('testing.methods.emptyManager') : t('testing.methods.empty')}</Text>
        </Paper>
      ) : null}
      {rules.data && rules.data.length > 0 ? (
        <Paper withBorder>
          <Table fz="sm" verticalSpacing={6} data-testid="method-rules-table">
            <Table.Thead bg="var(--mantine-color-gray-0)">
              <Table.Tr>
                <Table.Th>{t('testing.methods.method')}</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>{t('testing.methods.replicates')}</Table.Th>
                <Table.Th>{t('testing.methods.repeatability')}</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>{t('testing.methods.limit')}</Table.Th>
                <Table.Th>{t('testing.methods.note')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rules.data.map((r) => (
                <Table.Tr key={r.id} data-testid={`method-rule-${r.methodCode}`}>
                  <Table.Td>
                    <Text ff="monospace" fw={600} size="sm">
                      {r.methodCode}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {title(r.methodCode)}
                    </Text>
                  </Table.Td>
                  <Table.Td style={num}>{r.replicates}</Table.Td>
                  <Table.Td>{t(`testing.methods.kinds.${r.repeatability}`)}</Table.Td>
                  <Table.Td style={num}>
                    {r.limit === null ? '—' : r.repeatability === 'relative' ? `${r.limit} %` : r.limit}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {r.note ?? ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {canManage ? (
                      <Button
                        size="compact-xs"
                        variant="light"
                        onClick={() => setEditing(r)}
                        data-testid={`method-rule-edit-${r.methodCode}`}
                      >
                        {t('testing.methods.edit')}
                      </Button>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      ) : null}
      {!canManage ? (
        <Text size="xs" c="dimmed">
          {t('testing.methods.readOnly')}
        </Text>
      ) : null}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={
          editing === 'new' || editing === null
            ? t('testing.methods.new')
            : t('testing.methods.editTitle', { code: editing.methodCode })
        }
      >
        {editing !== null ? (
          <RuleForm
            key={editing === 'new' ? 'new' : editing.id}
            rule={editing === 'new' ? null : editing}
            methodCodes={(methods.data ?? []).map((m) => m.code)}
            onClose={() => setEditing(null)}
          />
        ) : null}
      </Modal>
    </Stack>
  );
}

function RuleForm({ rule, methodCodes, onClose }: { rule: Rule | null; methodCodes: string[]; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [methodCode, setMethodCode] = useState(rule?.methodCode ?? '');
  const [replicates, setReplicates] = useState<number>(rule?.replicates ?? 2);
  const [repeatability, setRepeatability] = useState<Repeatability>(rule?.repeatability ?? 'relative');
  const [limit, setLimit] = useState(rule?.limit ?? '');
  const [note, setNote] = useState(rule?.note ?? '');
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const save = useMutationCall('methods.rules.save', {
    onSuccess: (r) => {
      notifications.show({ color: 'green', message: t('testing.methods.saved', { code: r.methodCode }) });
      void qc.invalidateQueries({ queryKey: ['methods.rules.list'] });
      void qc.invalidateQueries({ queryKey: ['results.forSample'] });
      onClose();
    },
  });
  const server = fieldErrors(t, save.error);
  const limitOk = repeatability === 'none' || contractAccepts('methods.rules.save', { limit: limit.trim() }, 'limit');
  const errors = {
    methodCode: touched && !methodCode.trim() ? t('validation.required') : server['methodCode'],
    limit: touched && !limitOk ? t('testing.methods.limitError') : server['limit'],
    replicates:
      touched && repeatability !== 'none' && replicates < 2
        ? t('testing.methods.replicatesError')
        : server['replicates'],
    reason: touched && rule && reason.trim().length < 3 ? t('validation.reasonRequired') : server['reason'],
  };
  const submit = () => {
    setTouched(true);
    if (
      !methodCode.trim() ||
      !limitOk ||
      (repeatability !== 'none' && replicates < 2) ||
      (rule && reason.trim().length < 3)
    )
      return;
    save.mutate({
      methodCode: methodCode.trim(),
      replicates,
      repeatability,
      limit: repeatability === 'none' ? null : limit.trim(),
      note: note.trim() || null,
      ...(rule ? { reason: reason.trim() } : {}),
    });
  };
  return (
    <Stack data-testid="method-rule-form">
      <Autocomplete
        label={t('testing.methods.method')}
        description={t('testing.methods.methodHelp')}
        withAsterisk
        data={methodCodes}
        value={methodCode}
        onChange={setMethodCode}
        disabled={!!rule}
        error={errors.methodCode}
        data-testid="method-rule-code"
      />
      <NumberInput
        label={t('testing.methods.replicates')}
        description={t('testing.methods.replicatesHelp')}
        min={1}
        max={10}
        allowDecimal={false}
        value={replicates}
        onChange={(v) => setReplicates(typeof v === 'number' ? v : Number(v) || 1)}
        error={errors.replicates}
        data-testid="method-rule-replicates"
      />
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('testing.methods.repeatability')}
        </Text>
        <SegmentedControl
          value={repeatability}
          onChange={(v) => setRepeatability(v as Repeatability)}
          data={(['none', 'absolute', 'relative'] as const).map((k) => ({
            value: k,
            label: t(`testing.methods.kinds.${k}`),
          }))}
          data-testid="method-rule-repeatability"
        />
      </Stack>
      {repeatability !== 'none' ? (
        <TextInput
          label={t('testing.methods.limit')}
          description={
            repeatability === 'relative'
              ? t('testing.methods.limitRelativeHelp')
              : t('testing.methods.limitAbsoluteHelp')
          }
          withAsterisk
          value={limit}
          onChange={(e) => setLimit(e.currentTarget.value)}
          rightSection={repeatability === 'relative' ? <Text size="sm">%</Text> : null}
          styles={{ input: num }}
          error={errors.limit}
          data-testid="method-rule-limit"
        />
      ) : null}
      <Textarea
        label={t('testing.methods.note')}
        autosize
        minRows={2}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        data-testid="method-rule-note"
      />
      {rule ? (
        <Textarea
          label={t('testing.methods.reason')}
          withAsterisk
          autosize
          minRows={2}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={errors.reason}
          data-testid="method-rule-reason"
        />
      ) : null}
      {rule ? (
        <Alert color="blue" variant="light" p="xs">
          <Text size="xs">{t('testing.methods.changeNote')}</Text>
        </Alert>
      ) : null}
      {Object.values(server).length === 0 ? <ErrorAlert error={save.error} /> : null}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('common.cancel')}
        </Button>
        <Button loading={save.isPending} onClick={submit} data-testid="method-rule-save">
          {t('common.save')}
        </Button>
      </Group>
    </Stack>
  );
}
