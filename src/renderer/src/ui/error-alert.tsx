import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../core/api/errors';

/** A server or transport error, translated from its messageKey and details. */
export function ErrorAlert({ error, testId }: { error: unknown; testId?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <Alert color="red" variant="light" role="alert" data-testid={testId ?? 'error'}>
      {errorMessage(t, error)}
    </Alert>
  );
}
