import { Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { useMutationCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { CenteredCard } from '../../ui/centered-card';
import { navigate } from '../../core/router';
import { useSetSession } from '../../core/session';
import { validateRequired } from '../../ui/validators';

export function SignInScreen() {
  const { t } = useTranslation();
  const setSession = useSetSession();
  const signIn = useMutationCall('auth.signIn');
  const form = useForm({
    initialValues: { userId: '', password: '' },
    validate: { userId: (v) => validateRequired(t, v), password: (v) => (v ? null : t('validation.required')) },
  });
  const submit = form.onSubmit((v) =>
    signIn.mutate(
      { userId: v.userId.trim(), password: v.password },
      {
        onSuccess: (s) => {
          // A fresh sign-in starts at "What needs me now", not on the previous person's page.
          navigate('/home');
          setSession(s);
        },
        onError: () => form.setFieldValue('password', ''),
      },
    ),
  );
  return (
    <CenteredCard title={t('signin.title')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            {t('signin.intro')}
          </Text>
          <TextInput
            label={t('signin.userId')}
            autoComplete="username"
            autoFocus
            data-testid="signin-user"
            {...form.getInputProps('userId')}
          />
          <PasswordInput
            label={t('signin.password')}
            autoComplete="current-password"
            data-testid="signin-password"
            {...form.getInputProps('password')}
          />
          <ErrorAlert error={signIn.error} testId="signin-error" />
          <Button type="submit" loading={signIn.isPending} data-testid="signin-submit">
            {t('signin.submit')}
          </Button>
        </Stack>
      </form>
    </CenteredCard>
  );
}
