import { useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Drawer,
  FileButton,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ChannelOutput } from '../../../../shared/contract';
import { isPlanItem } from '../../../../shared/rules';
import { call } from '../../core/api/client';
import { errorMessage } from '../../core/api/errors';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { hasPermission, useSession } from '../../core/session';
import { itemName, oosHref, reasonText, trendHref } from './testing-format';
import { num } from '../../ui/format';
import { ResultStatusBadge, VerdictBadge, type LiveVerdict } from '../../ui/result';
import { useReportedText } from './reported';
import { signatureTime } from '../../ui/format';
import { Person, usePersonName } from '../../ui/person';

type Detail = ChannelOutput<'results.get'>;
type Attachment = Detail['attachments'][number];

type Change = Detail['history'][number]['changes'][number];

/** Bookkeeping columns that say nothing to a reader of the history. */
const HIDDEN_FIELDS: ReadonlySet<string> = new Set([
  'item',
  'sample_id',
  'spec_item_id',
  'spec_version_id',
  'calculated',
  'item_code',
  'item_group',
  'lot_code',
  'method_code',
  'position',
  'product_code',
  'retired',
  'sample_code',
  'attempt',
  'verdict_details',
  'retest_of',
  'oos_id',
]);
const TIME_FIELDS: ReadonlySet<string> = new Set(['entered_at', 'submitted_at', 'reviewed_at', 'due_at']);

/** The verdict details recorded with the same change (to translate its reason with its numbers). */
function detailsOf(changes: readonly Change[], side: 'from' | 'to'): Record<string, string> {
  const raw = changes.find((c) => c.field === 'verdict_details')?.[side];
  if (!raw) return {};
  try {
    return JSON.parse(raw) as Record<string, string>;
  } catch {
    return {};
  }
}

/** A recorded value as a person reads it: times local, lists joined, codes translated. */
function changeText(t: TFunction, field: string, v: string | null, details: Record<string, string>): string {
  if (v === null || v === '') return '∅';
  if (TIME_FIELDS.has(field) && /^\d+$/.test(v)) return formatTime(new Date(Number(v)).toISOString());
  if (field === 'replicates' || field === 'unit_values') {
    try {
      const list = JSON.parse(v) as unknown;
      if (Array.isArray(list)) return list.map((x) => (x === '' ? '_' : String(x))).join(' · ') || '∅';
    } catch {
      return v;
    }
  }
  if (field === 'status') return t(`testing.status.${v}`, { defaultValue: v });
  if (field === 'verdict') return t(`testing.verdicts.${v}`, { defaultValue: v });
  if (field === 'plan_reason') return t(`testing.planReasons.${v}`, { defaultValue: v });
  if (field === 'verdict_reason') return reasonText(t, v, details);
  return v;
}

function Fact({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} data-testid={testId} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value || '—'}
      </Text>
    </Stack>
  );
}

function bytesText(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** A result in full: values, history of every change (before → after), signatures, files, OOS, retests, trend. */
export function ResultDrawer({
  id,
  onClose,
  onSelect,
}: {
  id: string | null;
  onClose: () => void;
  onSelect: (id: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <Drawer
      opened={!!id}
      onClose={onClose}
      position="right"
      size="xl"
      title={t('testing.detail.title')}
      data-testid="result-drawer"
    >
      {id ? <DrawerBody key={id} id={id} onSelect={onSelect} /> : null}
    </Drawer>
  );
}

function DrawerBody({ id, onSelect }: { id: string; onSelect: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const personName = usePersonName();
  const shownReported = useReportedText();
  const q = useCall('results.get', { id }, { staleTime: 0 });
  if (q.isLoading) return <Loader />;
  if (!q.data) return <ErrorAlert error={q.error} />;
  const { result: r, history, signatures, attachments, oos, related } = q.data;
  const plan = isPlanItem(r.item);
  const trend = trendHref(r);
  const nameOf = (c: string) => c;
  return (
    <Stack data-testid="result-detail" data-result-id={r.id}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={3}>{itemName(r, i18n.language)}</Title>
          <Text size="sm" c="dimmed" ff="monospace">
            {r.itemCode} · {r.sampleCode}
            {r.lotCode ? ` · ${r.lotCode}` : ''}
            {r.attempt > 1 ? ` · ${t('testing.detail.attempt', { n: r.attempt })}` : ''}
          </Text>
        </Stack>
        <Group gap="xs">
          <ResultStatusBadge status={r.status} testId="detail-status" />
          <VerdictBadge verdict={r.verdict as LiveVerdict} testId="detail-verdict" />
        </Group>
      </Group>
      <SimpleGrid cols={3} spacing="sm">
        <Fact
          label={t('testing.detail.reported')}
          value={r.reported ? `${shownReported(r.reported, r.item.reporting)}${r.reportUnit ? ` ${r.reportUnit}` : ''}` : ''}
          testId="detail-reported"
        />
        <Fact label={t('testing.detail.value')} value={r.value ? `${r.value} ${r.entryUnit}` : ''} />
        <Fact
          label={t('testing.detail.limit')}
          value={`${r.limitText}${r.limitText !== '—' && r.reportUnit ? ` ${r.reportUnit}` : ''}`}
        />
        <Fact
          label={t('testing.detail.raw')}
          value={(plan ? r.unitValues : r.replicates).filter((v) => v).join(' · ')}
          testId="detail-raw"
        />
        <Fact label={t('testing.detail.method')} value={r.methodCode ?? ''} />
        <Fact label={t('testing.detail.instrument')} value={r.instrumentId ?? ''} />
        <Fact
          label={t('testing.detail.analyst')}
          value={r.analystId ? `${personName(r.analystId)} · ${formatTime(r.enteredAt)}` : ''}
        />
        <Fact
          label={t('testing.detail.submitted')}
          value={r.submittedBy ? `${personName(r.submittedBy)} · ${formatTime(r.submittedAt)}` : ''}
        />
        <Fact
          label={t('testing.detail.reviewed')}
          value={r.reviewedBy ? `${personName(r.reviewedBy)} · ${formatTime(r.reviewedAt)}` : ''}
        />
        {r.externalLab ? (
          <Fact label={t('testing.detail.external')} value={`${r.externalLab} · ${r.externalReportNo ?? ''}`} />
        ) : null}
        {r.dueAt ? <Fact label={t('testing.detail.due')} value={formatTime(r.dueAt)} /> : null}
        {r.note ? <Fact label={t('testing.detail.note')} value={r.note} /> : null}
      </SimpleGrid>
      {r.verdictReason ? (
        <Text size="sm" c="dimmed" data-testid="detail-reason">
          {reasonText(t, r.verdictReason, r.verdictDetails, nameOf)}
        </Text>
      ) : null}
      {r.invalidatedReason ? (
        <Alert color="gray" variant="light">
          {t('testing.grid.invalidatedReason', { reason: r.invalidatedReason })}
        </Alert>
      ) : null}
      <Group gap="md">
        {oos ? (
          <Anchor href={oosHref(oos.code)} c="red" fw={700} data-testid="detail-oos">
            {t('testing.detail.oos', { code: oos.code, status: t(`testing.oosStatus.${oos.status}`) })}
          </Anchor>
        ) : null}
        {trend ? (
          <Anchor href={trend} data-testid="detail-trend">
            {t('testing.detail.trend')}
          </Anchor>
        ) : null}
      </Group>

      <Title order={5}>{t('testing.detail.history')}</Title>
      <Table fz="xs" withTableBorder striped layout="fixed" data-testid="detail-history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={140}>{t('testing.detail.when')}</Table.Th>
            <Table.Th w={110}>{t('testing.detail.who')}</Table.Th>
            <Table.Th w={150}>{t('testing.detail.reason')}</Table.Th>
            <Table.Th>{t('testing.detail.changes')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {history.map((h) => (
            <Table.Tr key={h.seq} data-testid="detail-history-entry">
              <Table.Td style={{ fontVariantNumeric: 'tabular-nums' }}>{formatTime(h.at)}</Table.Td>
              <Table.Td title={h.by}>{h.byName ?? personName(h.by)}</Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>
                {h.reason ?? t(`audit.actions.${h.op}`, { defaultValue: h.op })}
              </Table.Td>
              <Table.Td>
                <Stack gap={0}>
                  {h.changes
                    .filter((c) => !HIDDEN_FIELDS.has(c.field))
                    .map((c) => (
                      <Text key={c.field} size="xs" style={{ overflowWrap: 'anywhere' }}>
                        <Text span size="xs" fw={600}>
                          {t(`testing.fields.${c.field}`, { defaultValue: c.field })}
                        </Text>
                        :{' '}
                        <span style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>
                          {changeText(t, c.field, c.from, detailsOf(h.changes, 'from'))}
                        </span>{' '}
                        →{' '}
                        <span style={{ fontFamily: 'var(--mantine-font-family-monospace)', fontWeight: 600 }}>
                          {changeText(t, c.field, c.to, detailsOf(h.changes, 'to'))}
                        </span>
                      </Text>
                    ))}
                </Stack>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      <Title order={5}>{t('testing.detail.signatures')}</Title>
      {signatures.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('testing.detail.noSignatures')}
        </Text>
      ) : (
        <Stack gap={4} data-testid="detail-signatures">
          {signatures.map((s) => (
            <Group key={s.id} gap="xs" data-testid="detail-signature">
              <Text size="sm" fw={600}>
                {s.printedName}
              </Text>
              <Badge variant="light" tt="none">
                {t(`meanings.${s.meaning}`)}
              </Badge>
              <Text size="sm">
                {signatureTime(s)}
              </Text>
              {s.valid ? (
                <Badge color="green" variant="outline" tt="none" size="sm">
                  {t('testing.detail.signatureValid')}
                </Badge>
              ) : (
                <Badge color="red" variant="filled" tt="none" size="sm" data-testid="detail-signature-invalidated">
                  {t('testing.detail.signatureInvalid')}
                </Badge>
              )}
              {s.comment ? (
                <Text size="sm" c="dimmed">
                  — {s.comment}
                </Text>
              ) : null}
            </Group>
          ))}
        </Stack>
      )}

      <Attachments resultId={r.id} attachments={attachments} canAttach={r.status !== 'invalidated'} />

      {related.length > 0 ? (
        <>
          <Title order={5}>{t('testing.detail.related')}</Title>
          <Table fz="xs" withTableBorder data-testid="detail-related">
            <Table.Tbody>
              {related.map((x) => (
                <Table.Tr key={x.id}>
                  <Table.Td>
                    <Anchor component="button" type="button" size="xs" onClick={() => onSelect(x.id)}>
                      {x.retestOf === r.id
                        ? t('testing.detail.retest', { n: x.attempt })
                        : t('testing.detail.original', { n: x.attempt })}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <ResultStatusBadge status={x.status} />
                  </Table.Td>
                  <Table.Td style={num}>{shownReported(x.reported)}</Table.Td>
                  <Table.Td>
                    <VerdictBadge verdict={x.verdict as LiveVerdict} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      ) : null}
    </Stack>
  );
}

function Attachments({
  resultId,
  attachments,
  canAttach,
}: {
  resultId: string;
  attachments: Attachment[];
  canAttach: boolean;
}) {
  const { t } = useTranslation();
  const session = useSession();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [checked, setChecked] = useState<Record<string, boolean>>({});
  const mayAttach = canAttach && hasPermission(session, 'results.enter') && !session.readOnly;

  const upload = async (file: File | null) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const base64 = await fileToBase64(file);
      await call('results.attach', {
        id: resultId,
        fileName: file.name,
        mediaType: file.type || 'application/octet-stream',
        base64,
      });
      void qc.invalidateQueries({ queryKey: ['results.get'] });
      void qc.invalidateQueries({ queryKey: ['results.forSample'] });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const download = async (a: Attachment) => {
    setError(null);
    try {
      const out = await call('results.attachment', { attachmentId: a.id });
      setChecked((c) => ({ ...c, [a.id]: out.intact }));
      const bytes = Uint8Array.from(atob(out.base64), (ch) => ch.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: out.attachment.mediaType }));
      const link = document.createElement('a');
      link.href = url;
      link.download = out.attachment.fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <Stack gap="xs" data-testid="detail-attachments">
      <Group justify="space-between">
        <Title order={5}>{t('testing.detail.attachments')}</Title>
        {mayAttach ? (
          <FileButton onChange={(f) => void upload(f)} accept="application/pdf,image/*,text/plain,text/csv,.xlsx,.xls">
            {(props) => (
              <Button {...props} size="xs" variant="light" loading={busy} data-testid="detail-attach">
                {t('testing.detail.attach')}
              </Button>
            )}
          </FileButton>
        ) : null}
      </Group>
      {attachments.length === 0 ? (
        <Text size="sm" c="dimmed">
          {mayAttach ? t('testing.detail.noAttachmentsHint') : t('testing.detail.noAttachments')}
        </Text>
      ) : (
        <Table fz="xs" withTableBorder>
          <Table.Tbody>
            {attachments.map((a) => (
              <Table.Tr key={a.id} data-testid="detail-attachment">
                <Table.Td ff="monospace">{a.fileName}</Table.Td>
                <Table.Td style={num}>{bytesText(a.bytes)}</Table.Td>
                <Table.Td>
                  <Person id={a.addedBy} /> · {formatTime(a.addedAt)}
                </Table.Td>
                <Table.Td ff="monospace" title={a.sha256}>
                  {a.sha256.slice(0, 12)}…
                </Table.Td>
                <Table.Td>
                  {checked[a.id] === undefined ? null : checked[a.id] ? (
                    <Badge
                      color="green"
                      variant="light"
                      tt="none"
                      size="sm"
                      title={t('testing.detail.intactHelp')}
                      data-testid="attachment-intact"
                    >
                      {t('testing.detail.intact')}
                    </Badge>
                  ) : (
                    <Badge
                      color="red"
                      variant="filled"
                      tt="none"
                      size="sm"
                      title={t('testing.detail.alteredHelp')}
                      data-testid="attachment-altered"
                    >
                      {t('testing.detail.altered')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    onClick={() => void download(a)}
                    data-testid="attachment-download"
                  >
                    {t('testing.detail.download')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {error ? (
        <Alert color="red" variant="light" role="alert">
          {errorMessage(t, error)}
        </Alert>
      ) : null}
    </Stack>
  );
}

function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const s = String(reader.result ?? '');
      resolve(s.slice(s.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}
