import { useIsFetching, useQueryClient } from '@tanstack/react-query';
import { AppShell, Badge, Button, Group, NavLink, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMutationCall } from '../core/api/hooks';
import { LangSwitch } from '../ui/lang-switch';
import { LedgerBadge } from '../ui/ledger-badge';
import { LedgerBanner } from './ledger-banner';
import { ImportBanner } from './import-banner';
import { useLedgerStatus, useLedgerStatusFeed } from '../core/ledger-status';
import { navItems, navParent } from './nav';
import { pages } from './pages';
import { href, useRoute } from '../core/router';
import { sessionKey, useSession, useSetSession } from '../core/session';
import { useIdleLock } from '../core/idle-lock';
import { ScannerListener } from './scanner-listener';
import { SiteBanner } from './site-banner';
import { SiteBadge } from '../ui/site-badge';
import { useSiteLink } from '../core/site-link';
import { useLiveRefresh } from '../core/live-refresh';

export function Shell() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const session = useSession();
  const setSession = useSetSession();
  const route = useRoute();
  useLedgerStatusFeed();
  useLiveRefresh();
  const site = useSiteLink();
  const ledger = useLedgerStatus();
  const lock = useMutationCall('auth.lock');
  const signOut = useMutationCall('auth.signOut');

  const refreshSession = () => void qc.invalidateQueries({ queryKey: sessionKey });
  useIdleLock(session.idleTimeoutMs, refreshSession);

  const Page = pages[route.page];
  const current = route.page === '' ? 'home' : (navParent[route.page] ?? route.page);
  const items = navItems.filter((i) => !i.visible || i.visible(session));
  // Readiness markers for tests (the language sweep waits on them, never on a timer).
  const fetching = useIsFetching();

  return (
    <AppShell header={{ height: 64 }} navbar={{ width: 232, breakpoint: 'sm' }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="sm" wrap="nowrap">
            <Title order={3} style={{ whiteSpace: 'nowrap' }}>
              {t('product.name')}
            </Title>
            {session.readOnly ? (
              <Badge color="orange" variant="filled" size="lg" radius="sm" tt="none" data-testid="readonly-marker">
                {t('app.readOnly')}
              </Badge>
            ) : null}
            <LedgerBadge state={ledger.data} />
            <SiteBadge view={site} />
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Stack gap={0} align="flex-end">
              <Text fw={600} size="sm" data-testid="user-name">
                {session.printedName}
              </Text>
              <Text size="xs" c="dimmed" data-testid="user-roles">
                {session.roles.map((r) => t(`roles.${r}`)).join(' · ')}
              </Text>
            </Stack>
            <LangSwitch />
            <Button
              variant="default"
              size="xs"
              data-testid="lock-button"
              disabled={false}
              loading={lock.isPending}
              onClick={() => lock.mutate({}, { onSettled: refreshSession })}
            >
              {t('app.lock')}
            </Button>
            <Button
              variant="subtle"
              size="xs"
              data-testid="signout-button"
              disabled={false}
              loading={signOut.isPending}
              onClick={() => signOut.mutate({}, { onSuccess: () => setSession(null), onError: refreshSession })}
            >
              {t('app.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <AppShell.Section grow component={ScrollArea}>
          {items.map((i) => (
            <NavLink
              key={i.key}
              href={href(`/${i.key}`)}
              label={t(`nav.${i.key}`)}
              active={current === i.key}
              data-testid={`nav-${i.key}`}
            />
          ))}
        </AppShell.Section>
        <AppShell.Section>
          <NavLink
            href={href('/account')}
            label={t('nav.account')}
            active={current === 'account'}
            data-testid="nav-account"
          />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main bg="var(--mantine-color-gray-0)" data-route={route.path} data-fetching={fetching}>
        <SiteBanner view={site} />
        <LedgerBanner state={ledger.data} />
        <ImportBanner />
        <ScannerListener />
        {Page ? <Page /> : <Text data-testid="not-found">{t('nav.notFound')}</Text>}
      </AppShell.Main>
    </AppShell>
  );
}
