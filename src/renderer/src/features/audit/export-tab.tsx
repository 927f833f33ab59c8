import { useState } from 'react';
import { Alert, Button, Code, CopyButton, Group, Paper, Progress, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AuditFilter, JobProgress } from '../../../../shared/contract';
import { useCall, useMutationCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { percent, useJob } from '../../core/jobs';

/**
 * Exports for an inspector (issue 18 §9): the evidence folder (snapshot, keys, anchor,
 * manifest, README, standalone Python verifier) and the complete audit-trail CSV. Both run as
 * a job in a worker on the main side; this screen shows the progress and where it was written.
 */
export function ExportTab() {
  const { t } = useTranslation();
  const [folder, setFolder] = useState('');
  const target = folder.trim() ? { folder: folder.trim() } : {};
  return (
    <Stack maw={900}>
      <TextInput
        label={t('evidence.folder')}
        description={t('evidence.folderHelp')}
        value={folder}
        onChange={(e) => setFolder(e.currentTarget.value)}
        data-testid="export-folder"
      />
      <EvidencePanel target={target} />
      <Paper withBorder p="md">
        <Stack>
          <Title order={4}>{t('evidence.csvTitle')}</Title>
          <Text size="sm">{t('evidence.csvIntro')}</Text>
          <CsvExportButton filter={{}} target={target} label={t('evidence.csvRun')} testId="export-csv-full" />
        </Stack>
      </Paper>
    </Stack>
  );
}

function phaseLabel(t: (k: string, o?: Record<string, unknown>) => string, p: JobProgress | null): string {
  if (!p) return '…';
  const key = `evidence.phases.${p.phase.replace(/[^a-z]/g, '_')}`;
  const label = t(key);
  return label === key ? p.phase : label;
}

/** A job's error: a message key from main (translated), or a plain message. */
function jobError(t: (k: string) => string, error: string): string {
  return /^[a-zA-Z_]+\.[a-zA-Z_.]+$/.test(error) ? t(error) : error;
}

function EvidencePanel({ target }: { target: { folder?: string } }) {
  const { t } = useTranslation();
  const start = useMutationCall('evidence.export');
  const job = useJob('export');
  const [folder, setFolder] = useState<string | null>(null);
  const p = job.progress;
  const finished = !!p?.finished && !p.error;
  const result = useCall('exports.result', { jobId: job.jobId ?? '' }, { enabled: finished && !!job.jobId });
  const r = result.data;
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={4}>{t('evidence.title')}</Title>
        <Text size="sm">{t('evidence.intro')}</Text>
        <Text size="sm" c="dimmed">
          {t('evidence.confidential')}
        </Text>
        <Group>
          <Button
            loading={start.isPending || job.running}
            data-testid="evidence-export"
            onClick={() =>
              start.mutate(target, {
                onSuccess: (res) => {
                  setFolder(res.folder);
                  job.track(res.jobId);
                },
              })
            }
          >
            {t('evidence.run')}
          </Button>
        </Group>
        <ErrorAlert error={start.error} />
        {job.jobId ? (
          <Stack gap={6} data-testid="evidence-progress">
            {folder ? (
              <Group gap="xs" wrap="nowrap">
                <Text size="sm" fw={600}>
                  {t('evidence.target')}:
                </Text>
                <Code data-testid="evidence-folder" style={{ wordBreak: 'break-all' }}>
                  {folder}
                </Code>
                <CopyButton value={folder}>
                  {({ copied, copy }) => (
                    <Button size="compact-xs" variant="subtle" onClick={copy}>
                      {copied ? t('evidence.copied') : t('evidence.copy')}
                    </Button>
                  )}
                </CopyButton>
              </Group>
            ) : null}
            <Progress value={percent(p)} animated={job.running} color={p?.error ? 'red' : undefined} />
            {p?.error ? (
              <Alert color="red" data-testid="evidence-failed">
                {t('evidence.failed', { error: jobError(t, p.error) })}
              </Alert>
            ) : finished ? (
              <Stack gap={4} data-testid="evidence-done">
                <Alert color={r && r.verification && !r.verification.ok ? 'orange' : 'green'}>
                  <Stack gap={4}>
                    <Text size="sm">{t('evidence.done')}</Text>
                    {r?.verification ? (
                      <Text size="sm" data-testid="evidence-verdict">
                        {r.verification.ok
                          ? t('evidence.verificationOk')
                          : t('evidence.verificationFindings', {
                              count: r.verification.findings,
                              kinds: r.verification.kinds.join(', '),
                            })}
                      </Text>
                    ) : null}
                  </Stack>
                </Alert>
                {r ? (
                  <>
                    <Text size="sm">
                      {t('evidence.head')}: #{r.headSeq} · {t('evidence.entries', { count: r.entries })}
                    </Text>
                    <Text size="sm">
                      {t('evidence.manifest')}: <Code data-testid="evidence-manifest-sha">{r.sha256}</Code>
                    </Text>
                  </>
                ) : null}
                {job.jobId ? <DownloadHere jobId={job.jobId} /> : null}
                <Text size="sm">{t('evidence.howTo')}</Text>
                <Code block>python3 verifier/lotseal_verify.py</Code>
              </Stack>
            ) : (
              <Text size="sm">{t('evidence.running', { phase: phaseLabel(t, p) })}</Text>
            )}
          </Stack>
        ) : null}
      </Stack>
    </Paper>
  );
}

/**
 * On a site server the export is written on the server (issue 23): the inspector downloads it
 * to this workstation's exports folder, every chunk and file hash-checked, and is told where.
 */
function DownloadHere({ jobId }: { jobId: string }) {
  const { t } = useTranslation();
  const link = useCall('connection.status', {});
  const download = useMutationCall('exports.download');
  if (link.data?.mode !== 'site') return null;
  const got = download.data;
  return (
    <Stack gap={4} data-testid="evidence-download-panel">
      <Text size="sm">{t('evidence.onServer', { host: link.data.server.host })}</Text>
      <Button
        w="fit-content"
        variant="light"
        loading={download.isPending}
        disabled={!!got}
        data-testid="evidence-download"
        onClick={() => download.mutate({ jobId })}
      >
        {t('evidence.download')}
      </Button>
      <ErrorAlert error={download.error} />
      {got ? (
        <Alert color="green" data-testid="evidence-downloaded">
          <Stack gap={4}>
            <Text size="sm">{t('evidence.downloaded', { files: got.files, bytes: got.bytes })}</Text>
            <Group gap="xs" wrap="nowrap">
              <Code data-testid="evidence-local-folder" style={{ wordBreak: 'break-all' }}>
                {got.path}
              </Code>
              <CopyButton value={got.path}>
                {({ copied, copy }) => (
                  <Button size="compact-xs" variant="subtle" onClick={copy}>
                    {copied ? t('evidence.copied') : t('evidence.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
        </Alert>
      ) : null}
    </Stack>
  );
}

/** Starts a streamed audit-trail CSV export and shows its progress and file (also on the trail tab). */
export function CsvExportButton({
  filter,
  target = {},
  label,
  testId,
}: {
  filter: AuditFilter;
  target?: { folder?: string };
  label: string;
  testId: string;
}) {
  const { t } = useTranslation();
  const start = useMutationCall('audit.exportCsv');
  const job = useJob('export');
  const [file, setFile] = useState<string | null>(null);
  const [total, setTotal] = useState(0);
  const p = job.progress;
  if (p && !p.finished && p.phase === 'csv' && p.total !== total) setTotal(p.total);
  const finished = !!p?.finished && !p.error;
  const result = useCall('exports.result', { jobId: job.jobId ?? '' }, { enabled: finished && !!job.jobId });
  return (
    <Stack gap={6}>
      <Button
        w="fit-content"
        variant="light"
        loading={start.isPending || job.running}
        data-testid={testId}
        onClick={() =>
          start.mutate(
            { filter, ...target },
            {
              onSuccess: (res) => {
                setFile(res.file);
                job.track(res.jobId);
              },
            },
          )
        }
      >
        {label}
      </Button>
      <ErrorAlert error={start.error} />
      {job.jobId ? (
        <Stack gap={4} data-testid={`${testId}-progress`}>
          <Progress value={percent(p)} animated={job.running} color={p?.error ? 'red' : undefined} size="sm" />
          {p?.error ? (
            <Alert color="red">{t('evidence.failed', { error: jobError(t, p.error) })}</Alert>
          ) : finished ? (
            <Text size="sm" data-testid={`${testId}-done`}>
              {t('evidence.csvDone', { rows: result.data?.entries ?? total, file: file ?? '' })}
            </Text>
          ) : (
            <Text size="sm">
              {t('evidence.csvRunning', { done: p?.phase === 'csv' ? p.done : 0, total: total || '…' })}
            </Text>
          )}
          {finished && file ? (
            <Group gap="xs" wrap="nowrap">
              <Code data-testid={`${testId}-file`} style={{ wordBreak: 'break-all' }}>
                {file}
              </Code>
              <CopyButton value={file}>
                {({ copied, copy }) => (
                  <Button size="compact-xs" variant="subtle" onClick={copy}>
                    {copied ? t('evidence.copied') : t('evidence.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
          ) : null}
          {finished ? (
            <Text size="xs" c="dimmed">
              {t('evidence.csvHint')}
            </Text>
          ) : null}
        </Stack>
      ) : null}
    </Stack>
  );
}
