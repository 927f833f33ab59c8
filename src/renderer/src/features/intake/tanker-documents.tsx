import { useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import { tankerDocumentKinds, type TankerDocumentInput } from '../../../../shared/contract/channels/intake';
import { useMutationCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { hasPermission, useSession } from '../../core/session';
import { OverrideForm } from '../../ui/override-form';
import type { IntakeDetail } from './intake-format';
import { useIntakeRefresh } from './panel-entry';

type Kind = (typeof tankerDocumentKinds)[number];
type Doc = IntakeDetail['documents']['items'][number];

/** Which fields a document kind carries: permits and licences a number, issuer and validity; the slip a number and date; cleaning a date. */
const FIELDS: Record<Kind, ReadonlyArray<'number' | 'issuer' | 'validUntil' | 'date'>> = {
  transport_permit: ['number', 'issuer', 'validUntil'],
  handover_slip: ['number', 'issuer', 'date'],
  purchase_licence: ['number', 'issuer', 'validUntil'],
  cleaning_record: ['date'],
};

export function emptyDocuments(): TankerDocumentInput[] {
  return tankerDocumentKinds.map((kind) => ({
    kind,
    present: false,
    number: null,
    issuer: null,
    validUntil: null,
    date: null,
    note: null,
  }));
}

function strip(d: Doc | TankerDocumentInput): TankerDocumentInput {
  return {
    kind: d.kind,
    present: d.present,
    number: d.number,
    issuer: d.issuer,
    validUntil: d.validUntil,
    date: d.date,
    note: d.note,
  };
}

/**
 * The documents a tanker must carry, as the technician checks them at the gate (第二十五条 and
 * the national raw-milk rules): 生鲜乳准运证明, 交接单, the buying station's 收购许可证, and the
 * record of the tanker's cleaning and disinfection. Ticking "present" opens its fields.
 */
export function DocumentsFields({
  value,
  onChange,
}: {
  value: TankerDocumentInput[];
  onChange: (v: TankerDocumentInput[]) => void;
}) {
  const { t } = useTranslation();
  const set = (kind: Kind, patch: Partial<TankerDocumentInput>) =>
    onChange(value.map((d) => (d.kind === kind ? { ...d, ...patch } : d)));
  return (
    <Stack gap="xs" data-testid="documents-fields">
      {value.map((d) => (
        <Paper key={d.kind} withBorder p="xs" data-testid={`document-${d.kind}`}>
          <Group align="flex-start" wrap="nowrap">
            <Checkbox
              mt={4}
              w={230}
              checked={d.present}
              onChange={(e) => set(d.kind, { present: e.currentTarget.checked })}
              label={
                <Text fw={600} size="sm">
                  {t(`tankerDocs.kinds.${d.kind}`)}
                </Text>
              }
              description={t(`tankerDocs.help.${d.kind}`)}
              data-testid={`document-present-${d.kind}`}
            />
            {d.present ? (
              <Group grow align="flex-start" style={{ flex: 1 }}>
                {FIELDS[d.kind].map((f) =>
                  f === 'validUntil' || f === 'date' ? (
                    <DateInput
                      key={f}
                      size="xs"
                      label={t(`tankerDocs.fields.${f === 'date' && d.kind === 'cleaning_record' ? 'cleanedOn' : f}`)}
                      valueFormat="YYYY-MM-DD"
                      clearable
                      value={d[f]}
                      onChange={(v) => set(d.kind, { [f]: v })}
                      data-testid={`document-${f}-${d.kind}`}
                    />
                  ) : (
                    <TextInput
                      key={f}
                      size="xs"
                      label={t(`tankerDocs.fields.${f}`)}
                      value={d[f] ?? ''}
                      onChange={(e) =>
                        set(d.kind, { [f]: e.currentTarget.value.trim() ? e.currentTarget.value : null })
                      }
                      data-testid={`document-${f}-${d.kind}`}
                    />
                  ),
                )}
              </Group>
            ) : (
              <Text size="sm" c="red.7" mt={4} data-testid={`document-missing-${d.kind}`}>
                {t('tankerDocs.notPresent')}
              </Text>
            )}
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}

function ProblemBadge({ problem }: { problem: Doc['problem'] }) {
  const { t } = useTranslation();
  if (!problem)
    return (
      <Badge color="green" variant="light" tt="none">
        {t('tankerDocs.ok')}
      </Badge>
    );
  return (
    <Badge color="red" variant="filled" tt="none">
      {t(`tankerDocs.problems.${problem}`)}
    </Badge>
  );
}

/**
 * The documents on record for an intake: each with its problem, the override if one was
 * signed, re-recording while the tanker is undecided (with a reason), and the QA manager's
 * signed override (`override`) given at this terminal when something is missing.
 */
export function DocumentsPanel({ detail }: { detail: IntakeDetail }) {
  const { t } = useTranslation();
  const session = useSession();
  const refresh = useIntakeRefresh();
  const docs = detail.documents;
  const open = detail.intake?.status === 'testing' || detail.intake?.status === 'refused';
  const [editing, setEditing] = useState(false);
  const [overriding, setOverriding] = useState(false);
  const [draft, setDraft] = useState<TankerDocumentInput[]>(() => docs.items.map(strip));
  const [reason, setReason] = useState('');
  const save = useMutationCall('intake.documents.save', {
    onSuccess: () => {
      setEditing(false);
      setReason('');
      refresh();
    },
  });
  const override = useMutationCall('intake.documents.override', {
    onSuccess: () => {
      setOverriding(false);
      refresh();
    },
  });
  const canRecord = hasPermission(session, 'intake.record') && !session.readOnly && open;
  const canOverride = hasPermission(session, 'intake.accept') && !session.readOnly && open && docs.blocking;
  const cell = (d: Doc) =>
    [d.number, d.issuer, d.validUntil ? t('tankerDocs.validUntilShort', { date: d.validUntil }) : null, d.date]
      .filter(Boolean)
      .join(' · ') || '—';

  return (
    <Paper
      withBorder
      p="sm"
      data-testid="intake-documents"
      data-blocking={String(docs.blocking)}
      style={docs.blocking ? { borderColor: 'var(--mantine-color-red-6)', borderWidth: 2 } : undefined}
    >
      <Group justify="space-between" mb="xs">
        <div>
          <Title order={5}>{t('tankerDocs.title')}</Title>
          <Text size="xs" c="dimmed">
            {docs.recordedBy
              ? t('tankerDocs.recordedBy', { by: docs.recordedBy, at: formatTime(docs.recordedAt) })
              : t('tankerDocs.notRecorded')}
          </Text>
        </div>
        <Group gap="xs">
          {canRecord && !editing ? (
            <Button size="xs" variant="light" onClick={() => setEditing(true)} data-testid="documents-edit">
              {t('tankerDocs.edit')}
            </Button>
          ) : null}
          {canOverride && !overriding ? (
            <Button size="xs" color="orange" onClick={() => setOverriding(true)} data-testid="documents-override">
              {t('tankerDocs.override')}
            </Button>
          ) : null}
        </Group>
      </Group>
      {editing ? (
        <Stack gap="xs">
          <DocumentsFields value={draft} onChange={setDraft} />
          <Textarea
            label={t('common.reason')}
            withAsterisk
            autosize
            minRows={1}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            data-testid="documents-reason"
          />
          <ErrorAlert error={save.error} testId="documents-save-error" />
          <Group justify="flex-end">
            <Button variant="default" size="xs" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              size="xs"
              disabled={reason.trim().length < 3}
              loading={save.isPending}
              onClick={() => save.mutate({ lotCode: detail.lot.code, documents: draft, reason: reason.trim() })}
              data-testid="documents-save"
            >
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <Table fz="sm" withTableBorder verticalSpacing={4} data-testid="documents-table">
          <Table.Tbody>
            {docs.items.map((d) => (
              <Table.Tr
                key={d.kind}
                data-testid={`document-row-${d.kind}`}
                data-problem={d.problem ?? ''}
                bg={d.problem ? 'var(--mantine-color-red-0)' : undefined}
              >
                <Table.Td w={260} fw={600}>
                  {t(`tankerDocs.kinds.${d.kind}`)}
                </Table.Td>
                <Table.Td ff="monospace">{d.present ? cell(d) : '—'}</Table.Td>
                <Table.Td w={130}>
                  <ProblemBadge problem={d.problem} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {docs.override ? (
        <Alert color="orange" variant="light" mt="xs" data-testid="documents-overridden">
          {t('tankerDocs.overriddenBy', {
            by: docs.override.printedName ? `${docs.override.printedName} (${docs.override.by})` : docs.override.by,
            at: formatTime(docs.override.at),
            reason: docs.override.reason,
          })}
        </Alert>
      ) : docs.blocking ? (
        <Alert color="red" variant="light" mt="xs" data-testid="documents-blocking">
          {t('tankerDocs.blocking', {
            kinds: docs.deficient.map((k) => t(`tankerDocs.kinds.${k}`)).join('、'),
          })}
        </Alert>
      ) : null}
      {overriding ? (
        <Stack mt="xs">
          <Text size="sm">{t('tankerDocs.overrideIntro')}</Text>
          <OverrideForm
            busy={override.isPending}
            testId="documents-override-form"
            onCancel={() => setOverriding(false)}
            onSubmit={(o) => override.mutate({ lotCode: detail.lot.code, ...o })}
          />
          <ErrorAlert error={override.error} testId="documents-override-error" />
        </Stack>
      ) : null}
    </Paper>
  );
}
