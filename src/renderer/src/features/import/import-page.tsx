import { useEffect, useRef, useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  FileInput,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { importFileKinds, type ImportReportView } from '../../../../shared/contract/channels/trace';
import { ApiError, call } from '../../core/api/client';
import { useCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { percent, useJob } from '../../core/jobs';
import { href, navigate } from '../../core/router';
import { formatBytes } from '../../ui/form-errors';
import { ImportErrorsTable } from './import-errors-table';
import { uploadFiles, type ImportFileKind, type ImportFiles, type UploadProgress } from './upload';

type Phase = 'idle' | 'uploading' | 'validating' | 'importing';

const POLL_MS = 500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * ERP import: pick any of the six CSV files, upload them in chunks, validate (a preview of
 * what would be added, with every error), then import all-or-nothing.
 */
export function ImportPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [files, setFiles] = useState<ImportFiles>({});
  const [reason, setReason] = useState('');
  const [phase, setPhase] = useState<Phase>('idle');
  const [upload, setUpload] = useState<UploadProgress | null>(null);
  const [uploadId, setUploadId] = useState<string | null>(null);
  const [preview, setPreview] = useState<ImportReportView | null>(null);
  const [result, setResult] = useState<ImportReportView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [traceCode, setTraceCode] = useState('');
  const job = useJob('import');
  const status = useCall('import.status', {}, { staleTime: 60_000 });
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const chosen = importFileKinds.filter((k) => files[k]);
  const busy = phase !== 'idle';
  const previewClean = preview !== null && preview.ok && preview.errors.length === 0;

  const setFile = (k: ImportFileKind, f: File | null) => {
    setFiles((cur) => {
      const n = { ...cur };
      if (f) n[k] = f;
      else delete n[k];
      return n;
    });
    // A different file means a new upload and a new preview.
    setUploadId(null);
    setPreview(null);
    setResult(null);
  };

  const doUpload = async (): Promise<string> => {
    setPhase('uploading');
    setUpload({
      file: chosen[0] as ImportFileKind,
      sent: 0,
      total: chosen.reduce((n, k) => n + (files[k]?.size ?? 0), 0),
    });
    const id = await uploadFiles(files, (p) => alive.current && setUpload(p));
    setUploadId(id);
    return id;
  };

  const runJob = async (id: string, dryRun: boolean): Promise<ImportReportView> => {
    const r = reason.trim();
    const { jobId } = await call('import.start', { uploadId: id, dryRun, ...(r ? { correctionReason: r } : {}) });
    job.track(jobId);
    for (;;) {
      if (!alive.current) throw new Error('left the page');
      const res = await call('import.result', { jobId });
      if (res.done) {
        if (res.report) return res.report;
        throw new Error(res.error ?? 'import failed');
      }
      await sleep(POLL_MS);
    }
  };

  const validate = async () => {
    setError(null);
    setPreview(null);
    setResult(null);
    job.reset();
    try {
      const id = uploadId ?? (await doUpload());
      setPhase('validating');
      const report = await runJob(id, true);
      if (alive.current) setPreview(report);
    } catch (e) {
      if (alive.current) setError(e);
    } finally {
      if (alive.current) setPhase('idle');
    }
  };

  const runImport = async () => {
    setError(null);
    job.reset();
    try {
      let id = uploadId ?? (await doUpload());
      setPhase('importing');
      let report: ImportReportView;
      try {
        report = await runJob(id, false);
      } catch (e) {
        // An upload is kept for a while only: upload again and import.
        if (!(e instanceof ApiError && e.code === 'not_found')) throw e;
        id = await doUpload();
        setPhase('importing');
        report = await runJob(id, false);
      }
      if (!alive.current) return;
      setResult(report);
      setPreview(null);
      setUploadId(null);
      // Imported: the pickers start empty for the next import.
      if (report.ok) setFiles({});
      void qc.invalidateQueries();
    } catch (e) {
      if (alive.current) setError(e);
    } finally {
      if (alive.current) setPhase('idle');
    }
  };

  const uploadPct = upload && upload.total > 0 ? Math.round((upload.sent / upload.total) * 100) : upload ? 100 : 0;

  return (
    <Stack data-testid="import-page" maw={1100}>
      <Anchor href={href('/lots')} size="sm">
        ← {t('lots.backToList')}
      </Anchor>
      <div>
        <Title order={2}>{t('import.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('import.intro')}
        </Text>
      </div>
      <Alert color="blue" variant="light" title={t('importRules.title')} data-testid="import-rules">
        <Text size="sm">
          {status.data?.goLiveDate
            ? t('importRules.goLive', { date: status.data.goLiveDate })
            : t('importRules.goLiveUnknown')}
        </Text>
        <Text size="sm">{t('importRules.qaOwned')}</Text>
      </Alert>
      <Paper withBorder p="md">
        <Stack>
          <Text fw={600}>{t('import.step1')}</Text>
          <SimpleGrid cols={{ base: 1, md: 2, lg: 3 }}>
            {importFileKinds.map((k) => (
              <Stack key={k} gap={2}>
                <FileInput
                  // File names and column headers are the published CSV contract: shown as codes.
                  label={<code>{`${k}.csv`}</code>}
                  description={<code>{t(`import.files.${k}`)}</code>}
                  placeholder={t('import.pick')}
                  accept=".csv,text/csv"
                  clearable
                  disabled={busy}
                  value={files[k] ?? null}
                  onChange={(f) => setFile(k, f)}
                  data-testid={`import-file-${k}`}
                />
                {files[k] ? (
                  <Text size="xs" c="dimmed" data-testid={`import-file-${k}-info`}>
                    {files[k].name} · {formatBytes(files[k].size)}
                  </Text>
                ) : null}
              </Stack>
            ))}
          </SimpleGrid>
          <Textarea
            label={t('import.reason')}
            description={t('import.reasonHelp')}
            autosize
            minRows={1}
            maxLength={1000}
            disabled={busy}
            value={reason}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setPreview(null);
            }}
            error={reason.trim().length > 0 && reason.trim().length < 3 ? t('validation.reasonRequired') : null}
            data-testid="import-reason"
          />
          <Group>
            <Button
              onClick={() => void validate()}
              disabled={chosen.length === 0 || busy || (reason.trim().length > 0 && reason.trim().length < 3)}
              loading={phase === 'uploading' || phase === 'validating'}
              data-testid="import-validate"
            >
              {t('import.validate')}
            </Button>
            <Button
              color="green"
              onClick={() => void runImport()}
              disabled={!previewClean || busy}
              loading={phase === 'importing'}
              data-testid="import-run"
            >
              {t('import.run')}
            </Button>
            <Text size="xs" c="dimmed">
              {previewClean ? t('import.readyToImport') : t('import.previewFirst')}
            </Text>
          </Group>
          {upload && (phase === 'uploading' || uploadPct < 100) ? (
            <Stack gap={2} data-testid="import-upload-progress">
              <Text size="sm">
                {t('import.uploading', {
                  file: `${upload.file}.csv`,
                  sent: formatBytes(upload.sent),
                  total: formatBytes(upload.total),
                })}
              </Text>
              <Progress value={uploadPct} size="lg" striped animated={phase === 'uploading'} />
            </Stack>
          ) : null}
          {phase === 'validating' || phase === 'importing' ? (
            <Stack gap={2} data-testid="import-job-progress">
              <Text size="sm">
                {phase === 'validating' ? t('import.validating') : t('import.importing')}
                {job.progress
                  ? ` — ${phaseLabel(t, job.progress.phase)} ${job.progress.total > 1 ? `${percent(job.progress)} %` : ''}`
                  : ''}
              </Text>
              <Progress value={job.progress ? percent(job.progress) : 100} size="lg" striped animated />
            </Stack>
          ) : null}
        </Stack>
      </Paper>
      <ErrorAlert error={error} testId="import-error" />
      {preview ? <Report report={preview} /> : null}
      {result ? (
        <Stack data-testid="import-result">
          {result.ok ? (
            <Alert color="green" variant="light" title={t('import.doneTitle')} data-testid="import-done">
              {t('import.done')}
            </Alert>
          ) : null}
          <Report report={result} />
          {result.ok ? (
            <Paper withBorder p="md">
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  if (traceCode.trim()) navigate('/trace', { lot: traceCode.trim() });
                }}
              >
                <Group align="flex-end">
                  <TextInput
                    label={t('import.traceLabel')}
                    value={traceCode}
                    onChange={(e) => setTraceCode(e.currentTarget.value)}
                    data-testid="import-trace-input"
                  />
                  <Button type="submit" variant="light" data-testid="import-trace-submit">
                    {t('trace.run')}
                  </Button>
                </Group>
              </form>
            </Paper>
          ) : null}
        </Stack>
      ) : null}
    </Stack>
  );
}

/** `read:lots` → "Reading lots.csv", `check` → "Checking across files", `apply` → "Writing". */
function phaseLabel(t: TFunction, phase: string): string {
  const [p = '', file] = phase.split(':');
  return t(`import.phases.${p}`, { defaultValue: phase, file: file ? `${file}.csv` : '' });
}

function Report({ report }: { report: ImportReportView }) {
  const { t } = useTranslation();
  const kinds = importFileKinds.filter(
    (k) => report.inserted[k] !== undefined || report.unchanged[k] !== undefined || report.corrected?.[k] !== undefined,
  );
  const n = report.errors.filter((e) => e.code !== 'too_many_errors').length;
  return (
    <Paper
      withBorder
      p="md"
      data-testid={report.dryRun ? 'import-preview' : 'import-report'}
      data-ok={report.ok ? 'true' : 'false'}
    >
      <Stack>
        <Group justify="space-between">
          <Title order={4}>{report.dryRun ? t('import.previewTitle') : t('import.resultTitle')}</Title>
          {report.ok && report.errors.length === 0 ? (
            <Badge color="green" size="lg" tt="none" data-testid="import-status">
              {report.dryRun ? t('import.previewOk') : t('import.importedOk')}
            </Badge>
          ) : (
            <Badge color="red" size="lg" tt="none" data-testid="import-status">
              {t('import.errorCount', { count: n })}
            </Badge>
          )}
        </Group>
        {report.dryRun ? (
          <Text size="sm" c="dimmed">
            {report.ok ? t('import.previewHelpOk') : t('import.previewHelpErrors')}
          </Text>
        ) : null}
        <Table withTableBorder striped fz="sm" data-testid="import-counts">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('import.col.file')}</Table.Th>
              <Table.Th ta="right">{report.dryRun ? t('import.willAdd') : t('import.inserted')}</Table.Th>
              <Table.Th ta="right">{t('import.unchanged')}</Table.Th>
              <Table.Th ta="right">{t('import.corrected')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {kinds.map((k) => (
              <Table.Tr key={k} data-testid={`import-count-${k}`}>
                <Table.Td ff="monospace">
                  <code>{k}.csv</code>
                </Table.Td>
                <Table.Td ta="right" fw={700} data-testid={`import-inserted-${k}`}>
                  {(report.inserted[k] ?? 0).toLocaleString()}
                </Table.Td>
                <Table.Td ta="right">{(report.unchanged[k] ?? 0).toLocaleString()}</Table.Td>
                <Table.Td ta="right">{(report.corrected?.[k] ?? 0).toLocaleString()}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {report.errors.length > 0 ? (
          <>
            <Text fw={600} c="red.8">
              {t('import.errorsTitle')}
            </Text>
            <ImportErrorsTable errors={report.errors} />
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}
