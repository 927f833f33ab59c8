import { Alert, PasswordInput, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSession } from '../core/session';

/**
 * The administrator's own signature on account administration: creating an account, resetting
 * a password, changing roles or printed name are signed `enrolled` (identity verified, 21 CFR
 * 11.100(b)); the password re-entered unseals the administrator's personal key.
 */
export function EnrolmentSignature(props: { value: string; onChange: (v: unknown) => void; error?: unknown }) {
  const { t } = useTranslation();
  const session = useSession();
  return (
    <Alert color="blue" variant="light" p="sm" data-testid="enrolment-signature">
      <Stack gap={6}>
        <Text size="sm">{t('trust.enrolmentSignature', { name: session.printedName, userId: session.userId, meaning: t('meanings.enrolled') })}</Text>
        <PasswordInput
          label={t('signature.password')}
          autoComplete="current-password"
          value={props.value}
          onChange={(e) => props.onChange(e.currentTarget.value)}
          error={typeof props.error === 'string' ? props.error : undefined}
          data-testid="user-form-signature"
          withAsterisk
        />
      </Stack>
    </Alert>
  );
}
