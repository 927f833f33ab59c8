import { useState } from 'react';
import { Alert, Badge, Button, Group, Paper, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../../shared/contract';
import type { InstrumentView } from '../../../../shared/contract/channels/instruments';
import { call } from '../../core/api/client';
import { hasPermission, useSession } from '../../core/session';
import { ErrorAlert } from '../../ui/error-alert';
import { ReasonModal } from '../../ui/reason-modal';
import { configOf, draftOf, PrintConfigEditor, type PrintConfigDraft } from './print-config-editor';

type TestOut = ChannelOutput<'instruments.printConfig.test'>;

/**
 * The print-format tester (issue 10 §2): a technician pastes what the instrument printed and
 * sees exactly which records and fields this configuration reads from it, and every line it
 * refuses, before anything is captured. Administrators can save a configuration that reads
 * correctly to the instrument.
 */
export function PrintTesterTab({ instrument }: { instrument: InstrumentView }) {
  const { t } = useTranslation();
  const session = useSession();
  const qc = useQueryClient();
  const canManage = hasPermission(session, 'instruments.manage') && !session.readOnly;
  const [draft, setDraft] = useState<PrintConfigDraft>(() => draftOf(instrument.printConfig));
  const [text, setText] = useState('');
  const [out, setOut] = useState<TestOut | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [asking, setAsking] = useState(false);

  const test = () => {
    setBusy(true);
    setError(null);
    call('instruments.printConfig.test', { config: configOf(draft), text })
      .then(setOut)
      .catch((e: unknown) => {
        setOut(null);
        setError(e);
      })
      .finally(() => setBusy(false));
  };

  const analytes = out ? [...new Set(out.records.flatMap((r) => Object.keys(r.fields)))] : [];
  const withId = out?.records.some((r) => r.sampleId !== null) ?? false;
  const withStatus = out?.records.some((r) => r.status !== null) ?? false;

  return (
    <Stack data-testid="print-tester">
      <Text size="sm" c="dimmed" maw={900}>
        {t('instruments.print.intro')}
      </Text>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Paper withBorder p="md">
          <Title order={5} mb="xs">
            {t('instruments.print.config')}
          </Title>
          <PrintConfigEditor value={draft} onChange={setDraft} />
        </Paper>
        <Paper withBorder p="md">
          <Title order={5} mb="xs">
            {t('instruments.print.captured')}
          </Title>
          <Textarea
            autosize
            minRows={10}
            maxRows={20}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            placeholder={t('instruments.print.pastePlaceholder')}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
            data-testid="print-text"
          />
          <Group justify="flex-end" mt="sm">
            {canManage ? (
              <Button variant="default" onClick={() => setAsking(true)} data-testid="print-save-config">
                {t('instruments.print.saveConfig')}
              </Button>
            ) : null}
            <Button onClick={test} loading={busy} disabled={!text.trim()} data-testid="print-test">
              {t('instruments.print.test')}
            </Button>
          </Group>
        </Paper>
      </SimpleGrid>
      <ErrorAlert error={error} />
      {out ? (
        <Paper withBorder p="md" data-testid="print-result">
          <Group gap="sm" mb="sm">
            <Title order={5}>{t('instruments.print.result')}</Title>
            <Badge
              color={out.records.length ? 'green' : 'gray'}
              variant="light"
              tt="none"
              data-testid="print-records-count"
            >
              {t('instruments.print.records', { count: out.records.length })}
            </Badge>
            <Badge
              color={out.errors.length ? 'red' : 'gray'}
              variant="light"
              tt="none"
              data-testid="print-errors-count"
            >
              {t('instruments.print.errors', { count: out.errors.length })}
            </Badge>
          </Group>
          {out.records.length > 0 ? (
            <Table withTableBorder fz="sm" verticalSpacing={4} data-testid="print-records">
              <Table.Thead bg="var(--mantine-color-gray-0)">
                <Table.Tr>
                  <Table.Th w={90}>{t('instruments.print.record')}</Table.Th>
                  {withId ? <Table.Th>{t('instruments.print.roles.sample_id')}</Table.Th> : null}
                  {withStatus ? <Table.Th>{t('instruments.print.roles.status')}</Table.Th> : null}
                  {analytes.map((a) => (
                    <Table.Th key={a}>{a}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {out.records.map((r, k) => (
                  <Table.Tr key={k}>
                    <Table.Td>{k + 1}</Table.Td>
                    {withId ? <Table.Td ff="monospace">{r.sampleId ?? '—'}</Table.Td> : null}
                    {withStatus ? <Table.Td ff="monospace">{r.status ?? '—'}</Table.Td> : null}
                    {analytes.map((a) => (
                      <Table.Td key={a} ff="monospace">
                        {r.fields[a] ? (
                          <>
                            <b>{r.fields[a].value}</b> {r.fields[a].unit}
                          </>
                        ) : (
                          '—'
                        )}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : (
            <Text size="sm" c="dimmed">
              {t('instruments.print.noRecords')}
            </Text>
          )}
          {out.errors.length > 0 ? (
            <Alert
              color="red"
              variant="light"
              mt="sm"
              title={t('instruments.print.errorsTitle')}
              data-testid="print-errors"
            >
              <Stack gap={2}>
                {out.errors.map((e, k) => (
                  <Text key={k} size="sm" ff="monospace">
                    {e}
                  </Text>
                ))}
              </Stack>
            </Alert>
          ) : null}
        </Paper>
      ) : null}
      <ReasonModal
        opened={asking}
        title={t('instruments.settings.reasonTitle', { code: instrument.code })}
        help={t('instruments.print.saveHelp')}
        confirmLabel={t('instruments.print.saveConfig')}
        onClose={() => setAsking(false)}
        onConfirm={async ({ reason }) => {
          const { id, rev: _rev, state: _s, stateMessage: _m, connectedPort: _p, lock: _l, ...fields } = instrument;
          await call('instruments.save', { id, reason, fields: { ...fields, printConfig: configOf(draft) } });
          notifications.show({ color: 'green', message: t('instruments.settings.saved', { code: instrument.code }) });
          void qc.invalidateQueries({ queryKey: ['instruments.get'] });
        }}
      />
    </Stack>
  );
}
