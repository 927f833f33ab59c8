import { Alert } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { callKey, useCall, useEvent } from '../core/api/hooks';

const statusKey = callKey('import.status', {});

/**
 * Shown on every screen while an ERP import holds the write lock: reads continue, other
 * changes wait until it finishes. Asks quietly (passive) and more often while one runs.
 */
export function ImportBanner() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const status = useCall(
    'import.status',
    {},
    {
      retry: false,
      staleTime: 0,
      refetchInterval: (q) => (q.state.data?.running ? 2_000 : 15_000),
      refetchIntervalInBackground: false,
    },
  );
  useEvent('job.progress', (p) => {
    if (p.kind === 'import') void qc.invalidateQueries({ queryKey: statusKey });
  });
  if (!status.data?.running) return null;
  return (
    <Alert color="orange" variant="filled" mb="md" data-testid="import-banner">
      {t('import.banner')}
    </Alert>
  );
}
