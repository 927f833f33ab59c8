import { useState } from 'react';
import { Alert, Button, Group, Paper, Progress, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMutationCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { percent, useJob } from '../../core/jobs';

export function BackupTab() {
  const { t } = useTranslation();
  const [folder, setFolder] = useState('');
  const start = useMutationCall('backup.create');
  const job = useJob('backup');
  const p = job.progress;

  return (
    <Paper withBorder p="md" maw={760}>
      <Stack>
        <Text size="sm" c="dimmed">
          {t('backup.intro')}
        </Text>
        <TextInput
          label={t('backup.folder')}
          value={folder}
          onChange={(e) => setFolder(e.currentTarget.value)}
          data-testid="backup-folder"
        />
        <Group>
          <Button
            loading={start.isPending || job.running}
            data-testid="backup-run"
            onClick={() =>
              start.mutate(folder.trim() ? { folder: folder.trim() } : {}, {
                onSuccess: (r) => job.track(r.jobId),
              })
            }
          >
            {t('backup.run')}
          </Button>
        </Group>
        <ErrorAlert error={start.error} />
        {job.jobId ? (
          <Stack gap={4} data-testid="backup-progress">
            <Progress value={percent(p)} animated={job.running} color={p?.error ? 'red' : undefined} />
            {p?.error ? (
              <Alert color="red">{t('backup.failed', { error: p.error })}</Alert>
            ) : p?.finished ? (
              <Alert color="green">{t('backup.done')}</Alert>
            ) : (
              <Text size="sm">{t('backup.running', { phase: p?.phase ?? '…' })}</Text>
            )}
          </Stack>
        ) : null}
      </Stack>
    </Paper>
  );
}
