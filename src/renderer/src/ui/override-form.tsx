import { useState } from 'react';
import {
  Alert,
  Button,
  Group,
  Paper,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../core/api/client';

export interface OverrideInput {
  signerId: string;
  reason: string;
  signature: { password: string; meaning: 'override' };
}

/** True when the server refused because a QA manager's signed override is needed. */
export function needsOverride(err: unknown): boolean {
  return err instanceof ApiError && err.error.messageKey === 'errors.lot_not_usable_override';
}

/**
 * A QA manager's signed exception, given at this terminal: their user ID, password and the
 * reason (21 CFR 11: a signature with meaning `override`). The password stays in this
 * component only and is sent once with the retried action.
 */
export function OverrideForm({
  busy,
  onSubmit,
  onCancel,
  testId = 'override-form',
}: {
  busy: boolean;
  onSubmit: (o: OverrideInput) => void;
  onCancel: () => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [signerId, setSignerId] = useState('');
  const [password, setPassword] = useState('');
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const errors = {
    signerId: signerId.trim() ? null : t('validation.required'),
    password: password ? null : t('validation.required'),
    reason: reason.trim().length >= 3 ? null : t('validation.reasonRequired'),
  };
  const submit = () => {
    setTouched(true);
    if (errors.signerId || errors.password || errors.reason) return;
    onSubmit({ signerId: signerId.trim(), reason: reason.trim(), signature: { password, meaning: 'override' } });
    setPassword('');
  };
  return (
    <Paper
      withBorder
      p="md"
      style={{ borderColor: 'var(--mantine-color-orange-6)', borderWidth: 2 }}
      data-testid={testId}
    >
      <Stack gap="sm">
        <Text fw={700}>{t('lots.override.title')}</Text>
        <Text size="sm">{t('lots.override.intro')}</Text>
        <SimpleGrid cols={2}>
          <TextInput
            label={t('lots.override.signerId')}
            autoComplete="off"
            value={signerId}
            onChange={(e) => setSignerId(e.currentTarget.value)}
            error={touched ? errors.signerId : null}
            data-testid="override-signer"
          />
          <PasswordInput
            label={t('lots.override.password')}
            autoComplete="off"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={touched ? errors.password : null}
            data-testid="override-password"
          />
        </SimpleGrid>
        <Textarea
          label={t('lots.override.reason')}
          description={t('lots.override.reasonHelp')}
          autosize
          minRows={2}
          maxLength={1000}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={touched ? errors.reason : null}
          data-testid="override-reason"
        />
        <Alert color="blue" variant="light" p="xs">
          <Text size="xs">{t('lots.override.legal')}</Text>
        </Alert>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button color="orange" loading={busy} onClick={submit} data-testid="override-submit">
            {t('lots.override.submit')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
