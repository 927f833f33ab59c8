import { useState } from 'react';
import { Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../../../shared/contract';
import { useMutationCall } from '../../core/api/hooks';
import { ErrorAlert } from '../../ui/error-alert';
import { CenteredCard } from '../../ui/centered-card';
import { useSetSession } from '../../core/session';

/** The session is kept but hidden: only the same user's password resumes it (21 CFR 11.300). */
export function LockScreen({ session }: { session: SessionView }) {
  const { t } = useTranslation();
  const setSession = useSetSession();
  const [password, setPassword] = useState('');
  const unlock = useMutationCall('auth.unlock');
  const signOut = useMutationCall('auth.signOut');

  return (
    <CenteredCard title={t('lock.title')}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!password) return;
          unlock.mutate({ password }, { onSuccess: (s) => setSession(s), onSettled: () => setPassword('') });
        }}
      >
        <Stack>
          <Text size="sm" data-testid="lock-user">
            {t('lock.intro', { name: session.printedName, userId: session.userId })}
          </Text>
          <PasswordInput
            label={t('lock.password')}
            autoComplete="current-password"
            autoFocus
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            data-testid="lock-password"
          />
          <ErrorAlert error={unlock.error ?? signOut.error} testId="lock-error" />
          <Button type="submit" loading={unlock.isPending} disabled={!password} data-testid="lock-submit">
            {t('lock.submit')}
          </Button>
          <Group justify="space-between" wrap="nowrap">
            <Text size="xs" c="dimmed">
              {t('lock.switchUserHelp', { name: session.printedName })}
            </Text>
            <Button
              variant="default"
              size="xs"
              loading={signOut.isPending}
              onClick={() => signOut.mutate({}, { onSuccess: () => setSession(null) })}
              data-testid="lock-switch-user"
            >
              {t('lock.switchUser')}
            </Button>
          </Group>
        </Stack>
      </form>
    </CenteredCard>
  );
}
