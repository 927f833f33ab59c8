import { useLayoutEffect, useMemo, useRef, type RefObject } from 'react';
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

/**
 * The frame around every screen. What changes often (the ledger's status after every write, the
 * site link, queries in flight) is read by the small parts that show it, never by the frame
 * itself: a re-render of the frame would re-render the navigation, and the screen is built once
 * per route (`page` below), so the screen re-renders only for its own data.
 */
export function Shell() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const session = useSession();
  const setSession = useSetSession();
  const route = useRoute();
  const mainRef = useRef<HTMLElement>(null);
  const lock = useMutationCall('auth.lock');
  const signOut = useMutationCall('auth.signOut');

  const refreshSession = () => void qc.invalidateQueries({ queryKey: sessionKey });
  useIdleLock(session.idleTimeoutMs, refreshSession);

  const Page = pages[route.page];
  const current = route.page === '' ? 'home' : (navParent[route.page] ?? route.page);
  const items = navItems.filter((i) => !i.visible || i.visible(session));
  const page = useMemo(() => (Page ? <Page /> : <Text data-testid="not-found">{t('nav.notFound')}</Text>), [Page, t]);

  return (
    <AppShell header={{ height: 64 }} navbar={{ width: 232, breakpoint: 'sm' }} padding="md">
      <ShellFeeds />
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
            <ShellLedgerBadge />
            <ShellSiteBadge />
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
      <AppShell.Main ref={mainRef} bg="var(--mantine-color-gray-0)" data-route={route.path}>
        <ShellSiteBanner />
        <ShellLedgerBanner />
        <ImportBanner />
        <ScannerListener />
        {page}
      </AppShell.Main>
      <FetchingMarker target={mainRef} />
    </AppShell>
  );
}

/** Keeps the ledger's status and, on a site workstation, the records fresh from the app's events. */
function ShellFeeds() {
  useLedgerStatusFeed();
  useLiveRefresh();
  return null;
}

function ShellLedgerBadge() {
  const ledger = useLedgerStatus();
  return <LedgerBadge state={ledger.data} />;
}

function ShellLedgerBanner() {
  const ledger = useLedgerStatus();
  return <LedgerBanner state={ledger.data} />;
}

function ShellSiteBadge() {
  const site = useSiteLink();
  return <SiteBadge view={site} />;
}

function ShellSiteBanner() {
  const site = useSiteLink();
  return <SiteBanner view={site} />;
}

/**
 * Readiness marker for tests (the language sweep waits on it, never on a timer): the number of
 * contract queries in flight, as `data-fetching` on <main>. Written from here so that a query
 * starting or ending re-renders nothing else; this part comes after <main> in the frame, so
 * <main>'s ref is attached when its layout effect runs.
 */
function FetchingMarker({ target }: { target: RefObject<HTMLElement | null> }) {
  const fetching = useIsFetching();
  useLayoutEffect(() => {
    target.current?.setAttribute('data-fetching', String(fetching));
  }, [fetching, target]);
  return null;
}
