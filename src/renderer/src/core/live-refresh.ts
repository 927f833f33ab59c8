import { useEffect, useRef } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useEvent } from './api/hooks';
import { useSiteLink } from './site-link';

/** Queries that are kept fresh by their own events, not by the record changing. */
const OWN_FEED = new Set(['app.status', 'auth.session', 'ledger.status', 'connection.status']);

function refreshRecords(qc: QueryClient): void {
  // Active queries refetch (a screen shows the new state), the others are marked stale. A
  // refetch that returns the same data keeps the same objects (structural sharing), so
  // screens and forms whose records did not change are left as they are.
  void qc.invalidateQueries({ predicate: (q) => !OWN_FEED.has(String(q.queryKey[0])) });
}

/**
 * Live updates on a site workstation (issue 23 §3, D-102): every commit on the server, by
 * anyone at any workstation, arrives as `ledger.changed`; the screens on show refetch, so a
 * reviewer sees a result the moment it is submitted, without reloading. When the server is
 * back after an outage everything is refreshed and the person is told. A workstation on its
 * own database is its only writer and refreshes after its own changes, as before.
 */
export function useLiveRefresh(): void {
  const qc = useQueryClient();
  const { t } = useTranslation();
  const view = useSiteLink();
  const site = view.mode === 'site';
  useEvent('ledger.changed', () => {
    if (site) refreshRecords(qc);
  });
  const state = view.mode === 'site' ? view.state : 'connected';
  const was = useRef(state);
  useEffect(() => {
    const before = was.current;
    was.current = state;
    if (state === 'connected' && (before === 'unreachable' || before === 'refused')) {
      refreshRecords(qc);
      notifications.show({ color: 'teal', title: t('siteLink.backTitle'), message: t('siteLink.back') });
    }
  }, [state, qc, t]);
}
