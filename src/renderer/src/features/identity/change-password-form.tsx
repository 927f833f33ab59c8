import { Button, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useMutationCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { useSetSession } from '../../core/session';
import { validateNewPassword } from '../../ui/validators';

export function ChangePasswordForm({ userId, onDone }: { userId: string; onDone?: () => void }) {
  const { t } = useTranslation();
  const setSession = useSetSession();
  const change = useMutationCall('auth.changePassword');
  const form = useForm({
    initialValues: { current: '', next: '', next2: '' },
    validate: {
      current: (v) => (v ? null : t('validation.required')),
      next: (v) => validateNewPassword(t, v, userId),
      next2: (v, values) => (v === values.next ? null : t('validation.passwordsDiffer')),
    },
  });
  const submit = form.onSubmit((v) =>
    change.mutate(
      { currentPassword: v.current, newPassword: v.next },
      {
        onSuccess: (s) => {
          form.reset();
          notifications.show({ color: 'green', message: t('changePassword.done') });
          setSession(s);
          onDone?.();
        },
        onError: () => form.setFieldValue('current', ''),
      },
    ),
  );
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <PasswordInput
          label={t('changePassword.current')}
          autoComplete="current-password"
          data-testid="cp-current"
          {...form.getInputProps('current')}
        />
        <PasswordInput
          label={t('changePassword.next')}
          description={t('setup.policy')}
          autoComplete="new-password"
          data-testid="cp-new"
          {...form.getInputProps('next')}
        />
        <PasswordInput
          label={t('changePassword.next2')}
          autoComplete="new-password"
          data-testid="cp-new2"
          {...form.getInputProps('next2')}
        />
        <ErrorAlert error={change.error} testId="cp-error" />
        <Button type="submit" loading={change.isPending} data-testid="cp-submit">
          {t('changePassword.submit')}
        </Button>
      </Stack>
    </form>
  );
}
