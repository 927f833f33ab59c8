import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../../../shared/contract';
import { useMutationCall } from '../../core/api/hooks';
import { CenteredCard } from '../../ui/centered-card';
import { useSetSession } from '../../core/session';
import { ChangePasswordForm } from './change-password-form';

/** Forced after a new account, a reset or an expired password: nothing else is reachable. */
export function ChangePasswordScreen({ session }: { session: SessionView }) {
  const { t } = useTranslation();
  const setSession = useSetSession();
  const signOut = useMutationCall('auth.signOut');
  return (
    <CenteredCard title={t('changePassword.title')}>
      <Stack>
        <Alert color="orange" variant="light" data-testid="cp-forced">
          <Text size="sm">{t('changePassword.forced')}</Text>
        </Alert>
        <Text size="sm">
          {session.printedName} ({session.userId})
        </Text>
        <ChangePasswordForm userId={session.userId} />
        <Group justify="flex-end">
          <Button variant="subtle" size="xs" onClick={() => signOut.mutate({}, { onSuccess: () => setSession(null) })}>
            {t('app.signOut')}
          </Button>
        </Group>
      </Stack>
    </CenteredCard>
  );
}
