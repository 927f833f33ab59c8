import { Alert, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { useMutationCall } from '../../core/api/hooks';
import { fieldErrors } from '../../core/api/errors';
import { ErrorAlert } from '../../ui/error-alert';
import { CenteredCard } from '../../ui/centered-card';
import { validateNewPassword, validateRequired, validateUserId } from '../../ui/validators';

/** First run: there is no database yet; create it with the first administrator. */
export function SetupScreen({ onCreated }: { onCreated: (recoveryCode: string) => void }) {
  const { t } = useTranslation();
  const setup = useMutationCall('app.setup');
  const form = useForm({
    initialValues: { userId: '', printedName: '', password: '', password2: '' },
    validate: {
      userId: (v) => validateUserId(t, v),
      printedName: (v) => validateRequired(t, v),
      password: (v, values) => validateNewPassword(t, v, values.userId),
      password2: (v, values) => (v === values.password ? null : t('validation.passwordsDiffer')),
    },
  });

  const submit = form.onSubmit((values) => {
    setup.mutate(
      { userId: values.userId.trim(), printedName: values.printedName.trim(), password: values.password },
      {
        onSuccess: (r) => {
          form.reset();
          onCreated(r.recoveryCode);
        },
        onError: (e) => form.setErrors(fieldErrors(t, e)),
      },
    );
  });

  return (
    <CenteredCard title={t('setup.title')} width={520}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">{t('setup.intro')}</Text>
          <TextInput
            label={t('setup.userId')}
            description={t('setup.userIdHelp')}
            autoComplete="off"
            data-testid="setup-user"
            required
            {...form.getInputProps('userId')}
          />
          <TextInput
            label={t('setup.printedName')}
            description={t('setup.printedNameHelp')}
            data-testid="setup-name"
            required
            {...form.getInputProps('printedName')}
          />
          <Alert variant="light" color="blue" p="xs">
            <Text size="sm">{t('setup.policy')}</Text>
          </Alert>
          <PasswordInput
            label={t('setup.password')}
            autoComplete="new-password"
            data-testid="setup-password"
            required
            {...form.getInputProps('password')}
          />
          <PasswordInput
            label={t('setup.password2')}
            autoComplete="new-password"
            data-testid="setup-password2"
            required
            {...form.getInputProps('password2')}
          />
          <ErrorAlert error={setup.error} testId="setup-error" />
          <Button type="submit" loading={setup.isPending} data-testid="setup-submit">
            {t('setup.submit')}
          </Button>
        </Stack>
      </form>
    </CenteredCard>
  );
}
