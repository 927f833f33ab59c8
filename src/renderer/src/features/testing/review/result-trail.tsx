import { Anchor, Badge, Grid, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import i18n from '../../../core/i18n';
import type { SignatureView } from '../../../../../shared/contract';
import { useCall } from '../../../core/api/hooks';
import { ErrorAlert } from '../../../ui/error-alert';
import { formatTime } from '../../../ui/format';
import { href } from '../../../core/router';
import { oosHref, ResultStatusBadge, SampleTestingLink } from './result-format';
import { useReportedText } from '../reported';
import { reportedForReader } from '../../../../../shared/rules/testing';
import { signatureTime } from '../../../ui/format';
import { Person } from '../../../ui/person';

type HistoryEntry = NonNullable<ReturnType<typeof useCall<'results.get'>>['data']>['history'][number];

/** Internal columns a reviewer does not judge (the full record is in the audit trail screen). */
const HIDDEN_FIELDS = new Set([
  'item',
  'verdict_details',
  'sample_id',
  'spec_item_id',
  'spec_version_id',
  'retired',
  'oos_id',
  'position',
  'calculated',
]);
const TIME_FIELDS = /_at$/;
/** Reasons the service records in English as fixed words: shown translated. */
const KNOWN_REASONS = new Set(['entered', 'submitted', 'reviewed', 'assigned', 'changed before submission']);

function fieldLabel(t: TFunction, field: string): string {
  return t(`resultReview.fields.${field}`, { defaultValue: field });
}

function showValue(t: TFunction, field: string, v: string | null): string {
  if (v === null || v === '') return '—';
  if (TIME_FIELDS.test(field) && /^\d{12,}$/.test(v)) return formatTime(new Date(Number(v)).toISOString());
  if (field === 'status') return t(`resultReview.status.${v}`, { defaultValue: v });
  if (field === 'verdict') return t(`resultReview.verdicts.${v}`, { defaultValue: v });
  if (field === 'plan_reason') return t(`resultReview.planReasons.${v}`, { defaultValue: v });
  if (field === 'verdict_reason' && i18n.exists(v)) return t(v);
  if (field === 'reported') return reportedForReader(v, i18n.language === 'zh-CN' ? 'zh-CN' : 'en');
  if (v.startsWith('[')) {
    try {
      const a = JSON.parse(v) as unknown;
      if (Array.isArray(a)) return a.map(String).join(' · ');
    } catch {
      /* shown as stored */
    }
  }
  return v;
}

/** Reasons the service writes as fixed English patterns, shown in the reader's language. */
const REASON_PATTERNS: Array<[RegExp, string, string[]]> = [
  [/^computed \((.*)\)$/, 'computed', ['why']],
  [/^calculated \((.*)\)$/, 'calculated', ['why']],
  [/^correction: (.*)$/, 'correction', ['why']],
  [/^returned: (.*)$/, 'returnedWith', ['why']],
  [/^OOS (\S+) opened$/, 'oosOpened', ['code']],
  [/^invalidated by (\S+): (.*)$/, 'invalidatedBy', ['code', 'why']],
];

function reasonText(t: TFunction, e: HistoryEntry): string {
  if (e.op === 'create') return t('resultReview.trail.created');
  if (!e.reason) return '—';
  if (KNOWN_REASONS.has(e.reason)) return t(`resultReview.trail.reasons.${e.reason.replace(/ /g, '_')}`);
  for (const [re, key, names] of REASON_PATTERNS) {
    const m = re.exec(e.reason);
    if (m) return t(`resultReview.trail.reasons.${key}`, Object.fromEntries(names.map((n, i) => [n, m[i + 1] ?? ''])));
  }
  return e.reason;
}

export function SignatureList({ signatures, testId }: { signatures: SignatureView[]; testId: string }) {
  const { t } = useTranslation();
  if (signatures.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid={testId}>
        {t('resultReview.trail.noSignatures')}
      </Text>
    );
  }
  return (
    <Stack gap={4} data-testid={testId}>
      {signatures.map((s) => (
        <Group key={s.id} gap="xs" data-testid="signature-line" data-meaning={s.meaning}>
          <Badge
            variant="light"
            tt="none"
            color={s.meaning === 'invalidated' ? 'red' : s.meaning === 'reviewed' ? 'green' : 'blue'}
          >
            {t(`meanings.${s.meaning}`)}
          </Badge>
          <Text size="sm" fw={600}>
            {s.printedName} ({s.userId})
          </Text>
          <Text size="sm" c="dimmed">
            {signatureTime(s)}
          </Text>
          {s.comment ? <Text size="sm">— {s.comment}</Text> : null}
          {!s.valid ? (
            <Badge color="red" tt="none">
              {t('resultReview.trail.signatureInvalid')}
            </Badge>
          ) : null}
        </Group>
      ))}
    </Stack>
  );
}

/**
 * The audit trail of one result, read where it is reviewed (issue 8: "review shows the audit
 * trail of every result it covers"): who changed what, when and why, the values before and
 * after, and the signatures on it (21 CFR 11.10(e), EU GMP Annex 11 §9).
 */
export function ResultTrail({ id, testId }: { id: string; testId: string }) {
  const { t } = useTranslation();
  const shownReported = useReportedText();
  const q = useCall('results.get', { id }, { staleTime: 0 });
  if (q.isLoading) return <Loader size="sm" />;
  if (!q.data) return <ErrorAlert error={q.error} />;
  const { history, signatures, attachments, oos, related } = q.data;
  return (
    <Stack gap="sm" p="xs" data-testid={testId}>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap={4}>
            <Group justify="space-between">
              <Title order={6}>{t('resultReview.trail.history')}</Title>
              <Anchor size="xs" href={href('/audit', { entity: 'test_result', id })} data-testid="trail-full-audit">
                {t('resultReview.trail.fullAudit')}
              </Anchor>
            </Group>
            <Table fz="xs" withTableBorder verticalSpacing={4} data-testid="trail-history">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={170}>{t('resultReview.trail.when')}</Table.Th>
                  <Table.Th w={120}>{t('resultReview.trail.who')}</Table.Th>
                  <Table.Th w={170}>{t('resultReview.trail.why')}</Table.Th>
                  <Table.Th>{t('resultReview.trail.changes')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {history.map((e) => {
                  const shown = e.changes.filter(
                    (c) => !HIDDEN_FIELDS.has(c.field) && !(e.op === 'create' && c.to === null),
                  );
                  return (
                    <Table.Tr key={e.seq} data-testid="trail-entry" data-op={e.op}>
                      <Table.Td>{formatTime(e.at)}</Table.Td>
                      <Table.Td>
                        <span title={e.by}>{e.byName ?? <Person id={e.by} />}</span>
                      </Table.Td>
                      <Table.Td title={e.reason ?? undefined}>{reasonText(t, e)}</Table.Td>
                      <Table.Td>
                        {e.op === 'create' ? (
                          <Text size="xs" c="dimmed">
                            {t('resultReview.trail.createdDetail', {
                              status: showValue(t, 'status', shown.find((c) => c.field === 'status')?.to ?? null),
                              reason: showValue(
                                t,
                                'plan_reason',
                                shown.find((c) => c.field === 'plan_reason')?.to ?? null,
                              ),
                            })}
                          </Text>
                        ) : (
                          <Stack gap={0}>
                            {shown.map((c) => (
                              <Text key={c.field} size="xs" data-testid="trail-change" data-field={c.field}>
                                <Text span fw={600} size="xs">
                                  {fieldLabel(t, c.field)}
                                </Text>
                                {': '}
                                <Text span size="xs" c="dimmed" td={c.from !== null ? 'line-through' : undefined}>
                                  {showValue(t, c.field, c.from)}
                                </Text>
                                {' → '}
                                <Text span size="xs" ff="monospace">
                                  {showValue(t, c.field, c.to)}
                                </Text>
                              </Text>
                            ))}
                          </Stack>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="sm">
            <Paper withBorder p="xs">
              <Title order={6} mb={4}>
                {t('resultReview.trail.signatures')}
              </Title>
              <SignatureList signatures={signatures} testId="trail-signatures" />
            </Paper>
            <Paper withBorder p="xs">
              <Title order={6} mb={4}>
                {t('resultReview.trail.attachments')}
              </Title>
              {attachments.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('resultReview.trail.noAttachments')}
                </Text>
              ) : (
                <Stack gap={2} data-testid="trail-attachments">
                  {attachments.map((a) => (
                    <Text key={a.id} size="xs">
                      <Text span fw={600} size="xs">
                        {a.fileName}
                      </Text>{' '}
                      · {(a.bytes / 1024).toFixed(1)} KiB · <Person id={a.addedBy} /> · {formatTime(a.addedAt)}
                      <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
                        SHA-256 {a.sha256}
                      </Text>
                    </Text>
                  ))}
                </Stack>
              )}
            </Paper>
            {oos ? (
              <Paper withBorder p="xs" style={{ borderColor: 'var(--mantine-color-red-5)' }}>
                <Text size="sm">
                  {t('resultReview.trail.oos')}{' '}
                  <Anchor href={oosHref(oos.code)} fw={600} ff="monospace" data-testid="trail-oos-link">
                    {oos.code}
                  </Anchor>{' '}
                  · {t(`oos.status.${oos.status}`)}
                </Text>
              </Paper>
            ) : null}
            {related.length > 0 ? (
              <Paper withBorder p="xs">
                <Title order={6} mb={4}>
                  {t('resultReview.trail.related')}
                </Title>
                {related.map((r) => (
                  <Group key={r.id} gap="xs">
                    <Text size="sm">{t('resultReview.trail.attempt', { n: r.attempt })}</Text>
                    <SampleTestingLink code={r.sampleCode} />
                    <Text size="sm" ff="monospace">
                      {shownReported(r.reported)}
                    </Text>
                    <ResultStatusBadge status={r.status} size="md" testId="result-status" />
                  </Group>
                ))}
              </Paper>
            ) : null}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
