import { useState } from 'react';
import { Button, Group, Modal, PasswordInput, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './error-alert';
import { validateNewPassword, validateReason } from './validators';
import { EnrolmentSignature } from './enrolment-signature';

export interface ReasonModalProps {
  opened: boolean;
  title: string;
  help: string;
  confirmLabel: string;
  color?: string;
  /** Ask for a new password too (reset password), checked against this user id. */
  newPasswordFor?: string;
  /** The change is the administrator's signed act (`enrolled`): ask for the administrator's password. */
  signed?: boolean;
  onClose: () => void;
  onConfirm: (values: { reason: string; newPassword: string; password: string }) => Promise<unknown>;
  /** Test ids `<testId>-dialog`, `-reason`, `-submit`, `-cancel` (default: reason-input, reason-submit). */
  testId?: string;
}

/**
 * A change that states its reason (EU GMP Annex 11 §9): account administration, plan and rule
 * changes, a save the server refuses until it carries a reason (testing/refusal-reason.tsx).
 */
export function ReasonModal(props: ReasonModalProps) {
  return (
    <Modal
      opened={props.opened}
      onClose={props.onClose}
      title={props.title}
      size="md"
      data-testid={props.testId ? `${props.testId}-dialog` : undefined}
    >
      {props.opened ? <ReasonForm {...props} /> : null}
    </Modal>
  );
}

function ReasonForm({
  help,
  confirmLabel,
  color,
  newPasswordFor,
  signed,
  onClose,
  onConfirm,
  testId,
}: ReasonModalProps) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [password, setPassword] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const reasonError = touched ? validateReason(t, reason) : null;
  const passwordError =
    touched && newPasswordFor !== undefined ? validateNewPassword(t, newPassword, newPasswordFor) : null;

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (
          validateReason(t, reason) ||
          (newPasswordFor !== undefined && validateNewPassword(t, newPassword, newPasswordFor)) ||
          (signed && !password)
        )
          return;
        setBusy(true);
        setError(null);
        onConfirm({ reason: reason.trim(), newPassword, password })
          .then(onClose)
          .catch((e: unknown) => {
            setPassword('');
            setError(e);
          })
          .finally(() => setBusy(false));
      }}
    >
      <Stack>
        <Text size="sm">{help}</Text>
        {newPasswordFor !== undefined ? (
          <PasswordInput
            label={t('users.newPassword')}
            description={t('setup.policy')}
            autoComplete="new-password"
            value={newPassword}
            onChange={(e) => setNewPassword(e.currentTarget.value)}
            error={passwordError}
            data-testid="reason-new-password"
          />
        ) : null}
        <Textarea
          label={t('common.reason')}
          description={t('common.reasonHelp')}
          autosize
          minRows={2}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={reasonError}
          withAsterisk
          data-autofocus
          data-testid={testId ? `${testId}-reason` : 'reason-input'}
        />
        {signed ? (
          <EnrolmentSignature
            value={password}
            onChange={(v) => setPassword(String(v))}
            error={touched && !password ? t('validation.required') : undefined}
          />
        ) : null}
        <ErrorAlert error={error} testId="reason-error" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-testid={testId ? `${testId}-cancel` : undefined}>
            {t('common.cancel')}
          </Button>
          <Button
            type="submit"
            color={color}
            loading={busy}
            data-testid={testId ? `${testId}-submit` : 'reason-submit'}
          >
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
