import { useState } from 'react';
import { Alert, Badge, Button, Group, Paper, Progress, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { LedgerState } from '../../../../shared/contract';
import { call } from '../../core/api/client';
import { useCall, useEvent, useMutationCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { formatTime } from '../../ui/format';
import { LedgerBadge } from '../../ui/ledger-badge';
import { ledgerStatusKey, useLedgerStatus } from '../../core/ledger-status';
import { percent, useJob } from '../../core/jobs';
import { hasPermission, useSession } from '../../core/session';
import { SignatureDialog } from '../../ui/signature-dialog';
import { signatureTime } from '../../ui/format';

export function VerificationTab() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const session = useSession();
  const ledger = useLedgerStatus();
  const lastRun = useCall('ledger.lastRun', {});
  const verify = useMutationCall('ledger.verify');
  // A verification started elsewhere (the app's schedule, another workstation) is shown too.
  const job = useJob('verify', { follow: true });
  const [reviewOpen, setReviewOpen] = useState(false);

  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['ledger.lastRun'] });
    void qc.invalidateQueries({ queryKey: ledgerStatusKey });
  };
  useEvent('job.progress', (p) => {
    if (p.kind === 'verify' && p.finished) refresh();
  });

  const canVerify = hasPermission(session, 'ledger.verify');
  const canReview = hasPermission(session, 'ledger.reviewFinding') && !session.readOnly;
  const run = lastRun.data;
  const p = job.progress;

  return (
    <Stack>
      <Paper withBorder p="md">
        <Group justify="space-between" align="flex-start">
          <Stack gap="xs">
            <Title order={4}>{t('verify.status')}</Title>
            <LedgerBadge state={ledger.data} />
          </Stack>
          {canVerify ? (
            <Button
              // One verification at a time (the app refuses a second): whoever started the
              // running one, the button waits for it.
              loading={verify.isPending || job.running || ledger.data?.state === 'verifying'}
              onClick={() => {
                // What is shown from here on is this run, not the one followed before it.
                job.reset();
                verify.mutate({}, { onSuccess: (r) => job.track(r.jobId) });
              }}
              data-testid="verify-now"
            >
              {t('verify.verifyNow')}
            </Button>
          ) : null}
        </Group>
        {ledger.data ? <StatusGrid s={ledger.data} /> : null}
        <ErrorAlert error={ledger.error ?? verify.error} />
        {job.jobId ? (
          <Stack gap={4} mt="sm" data-testid="verify-progress">
            <Progress value={percent(p)} animated={job.running} color={p?.error ? 'red' : undefined} />
            <Text size="sm">
              {p?.error
                ? t('verify.failed', { error: p.error })
                : p?.finished
                  ? t('verify.done')
                  : t('verify.running', { done: p?.done ?? 0, total: p?.total ?? '…' })}
            </Text>
          </Stack>
        ) : null}
      </Paper>

      <Paper withBorder p="md" data-testid="last-run">
        <Title order={4} mb="sm">
          {t('verify.lastRun')}
        </Title>
        <ErrorAlert error={lastRun.error} />
        {lastRun.data === null ? <Text c="dimmed">{t('verify.noRun')}</Text> : null}
        {run ? (
          <Stack>
            <SimpleGrid cols={{ base: 2, md: 4 }}>
              <Field label={t('verify.started')} value={formatTime(run.startedAt)} />
              <Field label={t('verify.finished')} value={formatTime(run.finishedAt)} />
              <Field label={t('verify.verifiedThrough')} value={`#${run.verifiedThrough}`} />
              <Field label={t('verify.entries')} value={String(run.entries)} />
            </SimpleGrid>
            {run.findings.length === 0 ? (
              <Alert color="green" variant="light">
                {t('verify.noFindings')}
              </Alert>
            ) : (
              <Table striped withTableBorder data-testid="findings-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('verify.kind')}</Table.Th>
                    <Table.Th>{t('audit.seq')}</Table.Th>
                    <Table.Th>{t('audit.record')}</Table.Th>
                    <Table.Th>{t('verify.detail')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {run.findings.map((f, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>
                        <Text size="sm" fw={600}>
                          {t(`findings.${f.kind}`)}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {f.kind}
                        </Text>
                      </Table.Td>
                      <Table.Td>{f.seq ?? '—'}</Table.Td>
                      <Table.Td>{f.entity ? `${f.entity} / ${f.id ?? ''}` : '—'}</Table.Td>
                      <Table.Td style={{ wordBreak: 'break-word' }}>{f.detail}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            {run.reviewed ? (
              <Badge color="green" variant="light" tt="none">
                {t('verify.reviewed')}
              </Badge>
            ) : null}
            {run.signatures.map((s) => (
              <Text key={s.id} size="sm">
                {t(`meanings.${s.meaning}`)} — {t('verify.signedBy')} {s.printedName} ({s.userId}),{' '}
                {signatureTime(s)}
                {s.comment ? ` — ${s.comment}` : ''}
              </Text>
            ))}
            {canReview && run.findings.length > 0 && !run.reviewed ? (
              <Group>
                <Button color="red" onClick={() => setReviewOpen(true)} data-testid="review-findings">
                  {t('verify.reviewFindings')}
                </Button>
              </Group>
            ) : null}
          </Stack>
        ) : null}
      </Paper>

      <WitnessCheck />

      {run ? (
        <SignatureDialog
          opened={reviewOpen}
          onClose={() => setReviewOpen(false)}
          meanings={['finding_reviewed']}
          commentLabel={t('verify.explanation')}
          commentDescription={t('verify.reviewHelp')}
          commentRequired
          summary={
            <Stack gap={2}>
              <Text fw={600}>{t('verify.lastRun')}</Text>
              <Text size="sm">
                {formatTime(run.finishedAt)} · {t('verify.verifiedThrough')} #{run.verifiedThrough} ·{' '}
                {t('verify.openFindings')}: {run.findings.length}
              </Text>
            </Stack>
          }
          onSign={async ({ password, meaning, comment }) => {
            await call('ledger.reviewFindings', {
              runId: run.id,
              explanation: comment ?? '',
              signature: { password, meaning },
            });
            notifications.show({ color: 'green', message: t('verify.reviewDone') });
            refresh();
          }}
        />
      ) : null}
    </Stack>
  );
}

/**
 * A paper witness (issue 18 §10): the QR code of a certificate of analysis or an evidence pack
 * (`LOTSEAL|COA|lot|seq|hash`), scanned into the field (a scanner types it and presses Enter)
 * or `SEQ:HASH` typed: does the chain hold exactly that head at that sequence number?
 */
function WitnessCheck() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const check = useMutationCall('ledger.witness');
  const r = check.data;
  return (
    <Paper withBorder p="md" data-testid="witness">
      <Stack gap="xs">
        <Title order={4}>{t('trust.witnessTitle')}</Title>
        <Text size="sm" c="dimmed">
          {t('trust.witnessHelp')}
        </Text>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) check.mutate({ text: text.trim() });
          }}
        >
          <Group align="flex-end">
            <TextInput
              style={{ flex: 1 }}
              label={t('trust.witnessInput')}
              placeholder="LOTSEAL|COA|FG-20260301-001|18211|9f2c…"
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              data-testid="witness-input"
              autoComplete="off"
            />
            <Button type="submit" loading={check.isPending} data-testid="witness-check">
              {t('trust.witnessCheck')}
            </Button>
          </Group>
        </form>
        <ErrorAlert error={check.error} />
        {r ? (
          <Alert color={r.holds ? 'green' : 'red'} variant="light" data-testid="witness-result" data-holds={r.holds ? 'yes' : 'no'}>
            <Stack gap={2}>
              <Text size="sm" fw={600}>
                {r.holds
                  ? t('trust.witnessHolds', { seq: r.seq })
                  : r.stored
                    ? t('trust.witnessDiffers', { seq: r.seq })
                    : t('trust.witnessBeyond', { seq: r.seq, head: r.headSeq })}
              </Text>
              {r.source ? (
                <Text size="sm">{t('trust.witnessSource', { source: r.source, subject: r.subject ?? '—' })}</Text>
              ) : null}
              <Text size="xs" ff="monospace">
                {t('trust.witnessHash')}: {r.hash}
              </Text>
              {r.stored && !r.holds ? (
                <Text size="xs" ff="monospace">
                  {t('trust.witnessStored')}: {r.stored}
                </Text>
              ) : null}
              {r.holds ? <Text size="xs">{r.verified ? t('trust.witnessVerified') : t('trust.witnessNotVerified')}</Text> : null}
            </Stack>
          </Alert>
        ) : null}
      </Stack>
    </Paper>
  );
}

function StatusGrid({ s }: { s: LedgerState }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 2, md: 5 }} mt="md">
      <Field label={t('verify.head')} value={`#${s.headSeq}`} />
      <Field label={t('verify.verifiedThrough')} value={s.verifiedThrough === null ? '—' : `#${s.verifiedThrough}`} />
      <Field label={t('verify.verifiedAt')} value={formatTime(s.verifiedAt)} />
      <Field label={t('verify.openFindings')} value={String(s.openFindings)} />
      <Field label={t('verify.anchorBehind')} value={s.anchorBehind ? t('common.yes') : t('common.no')} />
    </SimpleGrid>
  );
}

function Field({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text>{value}</Text>
    </Stack>
  );
}
