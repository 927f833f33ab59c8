import { useMemo } from 'react';
import { Button, Combobox, MantineProvider, createTheme, mergeThemeOverrides } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import 'dayjs/locale/zh-cn';
import { ApiError } from '../core/api/client';
import { SlotsProvider } from '../core/slots';
import { Root } from './root';
import { slots } from './slots';
import { useSiteLink, writesBlocked } from '../core/site-link';

const theme = createTheme({
  // A person who asked their system for less motion gets none: modals, menus, notifications
  // and indicators appear at once (WCAG 2.3.3). The e2e journeys run that way too (D-068).
  respectReducedMotion: true,
  primaryColor: 'teal',
  defaultRadius: 'sm',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif',
  components: {
    // A closed Select's options are not rendered (Mantine 9 keeps them mounted, hidden): every
    // mounted dropdown was positioned on mount — a forced style recalculation each time — and
    // its options weighed on every later style pass. A form with a few Selects (the spec item
    // drawer, the reception desk) paid that on every opening (docs/performance.md, D-085).
    Combobox: Combobox.extend({ defaultProps: { keepMounted: false } }),
  },
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // No background polling: data refreshes on events, on mutations and on navigation.
      refetchOnWindowFocus: false,
      staleTime: 30_000,
      retry: (count, err) => !(err instanceof ApiError) && count < 2,
    },
    mutations: { retry: false },
  },
});

/**
 * While a site workstation cannot reach its server, every button is off unless it says
 * otherwise (D-101): saving, submitting and signing cannot happen, and a person should not
 * press what cannot work. Buttons that work without the server (lock, sign out, the bench's
 * capture that queues signed readings) pass `disabled` themselves. Inputs stay editable, so
 * what was typed is kept for when the server is back.
 */
const offlineTheme = mergeThemeOverrides(
  theme,
  createTheme({ components: { Button: Button.extend({ defaultProps: { disabled: true } }) } }),
);

export function App() {
  const { i18n } = useTranslation();
  const blocked = writesBlocked(useSiteLink());
  const active = useMemo(() => (blocked ? offlineTheme : theme), [blocked]);
  return (
    <MantineProvider theme={active} defaultColorScheme="light">
      <DatesProvider settings={{ locale: i18n.language === 'zh-CN' ? 'zh-cn' : 'en' }}>
        <Notifications position="top-right" />
        <QueryClientProvider client={queryClient}>
          <SlotsProvider slots={slots}>
            <Root />
          </SlotsProvider>
        </QueryClientProvider>
      </DatesProvider>
    </MantineProvider>
  );
}
