import { useEffect, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Box, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { bridgeUnavailable } from '../core/api/bridge';
import { ApiError, setRecordChangedHandler, setSessionLostHandler } from '../core/api/client';
import { errorMessage } from '../core/api/errors';
import { callKey, useCall, useEvent } from '../core/api/hooks';
import { SetupScreen } from '../features/setup/setup-screen';
import { RecoveryScreen } from '../features/setup/recovery-screen';
import { SignInScreen } from '../features/identity/sign-in-screen';
import { LockScreen } from '../features/identity/lock-screen';
import { ChangePasswordScreen } from '../features/identity/change-password-screen';
import { KeyScreen } from '../features/workstation/key-screen';
import { SessionContext, sessionKey, useSessionQuery } from '../core/session';
import { Shell } from './shell';
import { SiteBanner } from './site-banner';
import { SiteBadge } from '../ui/site-badge';
import { useSiteLink } from '../core/site-link';
import { setPlantZone } from '../ui/format';

type Screen = 'setup' | 'signin' | 'locked' | 'change-password' | 'app' | 'key' | 'startup-problem';

/** Readiness markers for people and tests: `data-app-state` and which screen is shown. */
function Frame({
  state,
  screen,
  children,
}: {
  state: 'loading' | 'ready' | 'error';
  screen?: Screen;
  children: ReactNode;
}) {
  return (
    <div data-app-state={state} data-screen={screen}>
      {screen !== 'app' ? <SiteStrip /> : null}
      {children}
    </div>
  );
}

/** Before the shell (sign-in, lock…): which server this is, and its absence, are said here too (D-101). */
function SiteStrip() {
  const site = useSiteLink();
  if (site.mode !== 'site') return null;
  return (
    <Box pos="fixed" top={0} left={0} right={0} p="sm" style={{ zIndex: 10 }}>
      <Group justify="flex-end">
        <SiteBadge view={site} />
      </Group>
      <SiteBanner view={site} />
    </Box>
  );
}

export function Root() {
  if (bridgeUnavailable()) return <NoBridge />;
  return <Connected />;
}

function NoBridge() {
  const { t } = useTranslation();
  return (
    <Frame state="error">
      <Center h="100vh" p="xl">
        <Text maw={520} ta="center" data-testid="no-token">
          {t('app.noToken')}
        </Text>
      </Center>
    </Frame>
  );
}

function Connected() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [recoveryCode, setRecoveryCode] = useState<string | null>(null);
  const status = useCall('app.status', {}, { staleTime: Infinity, retry: 2 });
  const initialized = status.data?.initialized === true;
  const session = useSessionQuery(initialized && recoveryCode === null);

  useEffect(() => {
    setSessionLostHandler(() => void qc.invalidateQueries({ queryKey: sessionKey }));
    // Someone else changed the record meanwhile (D-097): what every screen shows is read again,
    // so the message the screen gives ("here is the new state") sits beside the current record.
    setRecordChangedHandler(() => void qc.invalidateQueries());
  }, [qc]);
  useEvent('session.changed', () => void qc.invalidateQueries({ queryKey: sessionKey }));

  // Signed out: forget everything the previous person loaded, while no page observes it
  // (every change of person passes through the sign-in screen).
  const userId = session.data?.userId ?? null;
  useEffect(() => {
    if (userId === null) {
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'app.status' && q.queryKey[0] !== 'auth.session' });
    }
  }, [userId, qc]);

  if (status.isPending) return <Loading />;
  if (status.isError) {
    return (
      <Frame state="error">
        <Center h="100vh">
          <Stack align="center" maw={520}>
            <Text ta="center">{t('app.loadFailed')}</Text>
            <Text size="sm" c="dimmed">
              {errorMessage(t, status.error)}
            </Text>
            <Button disabled={false} onClick={() => void status.refetch()}>
              {t('common.retry')}
            </Button>
          </Stack>
        </Center>
      </Frame>
    );
  }

  if (recoveryCode !== null) {
    return (
      <Frame state="ready" screen="setup">
        <RecoveryScreen
          code={recoveryCode}
          onDone={() => {
            setRecoveryCode(null);
            void qc.invalidateQueries({ queryKey: callKey('app.status', {}) });
          }}
        />
      </Frame>
    );
  }
  // The desktop could not open its signing key: the key dialog (D-042).
  if (status.data.error?.messageKey === 'errors.host_key_locked') {
    return (
      <Frame state="ready" screen="key">
        <KeyScreen />
      </Frame>
    );
  }
  // The database exists but could not be opened (busy, altered, newer): say so, offer a retry.
  if (!initialized && status.data.error) {
    return (
      <Frame state="ready" screen="startup-problem">
        <Center h="100vh">
          <Stack align="center" maw={560}>
            <Text fw={700}>{t('desktop.startup.title')}</Text>
            <Text size="sm" ta="center" data-testid="startup-problem">
              {errorMessage(t, new ApiError(status.data.error))}
            </Text>
            <Button
              disabled={false}
              onClick={() => void status.refetch()}
              loading={status.isFetching}
              data-testid="startup-retry"
            >
              {t('desktop.startup.retry')}
            </Button>
          </Stack>
        </Center>
      </Frame>
    );
  }
  if (!initialized) {
    return (
      <Frame state="ready" screen="setup">
        <SetupScreen
          onCreated={(code) => {
            setRecoveryCode(code);
            qc.setQueryData(callKey('app.status', {}), { ...status.data, initialized: true });
          }}
        />
      </Frame>
    );
  }

  if (session.isPending) return <Loading />;
  if (session.isError || !session.data) {
    return (
      <Frame state="ready" screen="signin">
        <SignInScreen />
      </Frame>
    );
  }
  const s = session.data;
  // Times and calendar days on screen are the plant's (D-113), before anything renders one.
  setPlantZone(s.plantTimeZone);
  if (s.locked) {
    return (
      <Frame state="ready" screen="locked">
        <LockScreen session={s} />
      </Frame>
    );
  }
  if (s.mustChangePassword) {
    return (
      <Frame state="ready" screen="change-password">
        <SessionContext value={s}>
          <ChangePasswordScreen session={s} />
        </SessionContext>
      </Frame>
    );
  }
  return (
    <Frame state="ready" screen="app">
      <SessionContext value={s}>
        <Shell />
      </SessionContext>
    </Frame>
  );
}

function Loading() {
  const { t } = useTranslation();
  return (
    <Frame state="loading">
      <Center h="100vh">
        <Stack align="center">
          <Loader />
          <Text c="dimmed">{t('app.connecting')}</Text>
        </Stack>
      </Center>
    </Frame>
  );
}
