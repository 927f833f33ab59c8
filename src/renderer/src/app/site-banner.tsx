import { Alert, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConnectionView } from '../../../shared/contract';
import { formatTime } from '../ui/format';

/**
 * Shown while a site workstation cannot reach its server (D-101): since when, what still
 * works (what is on screen; bench captures, signed and queued here) and what does not
 * (saving, signing…), in the person's language. It goes away by itself when the server is back.
 */
export function SiteBanner({ view }: { view: ConnectionView }) {
  const { t } = useTranslation();
  if (view.mode !== 'site') return null;
  const retry = view.retryAt ? t('siteLink.retryAt', { time: formatTime(view.retryAt) }) : '';
  if (view.state === 'connected' || view.state === 'connecting') {
    // Connected, yet readings still wait (nobody signed in who may enter results, or the server
    // asked to try again): said, with when the bench tries by itself (D-108).
    if (view.queued === 0) return null;
    return (
      <Alert
        color="yellow"
        variant="light"
        mb="md"
        data-testid="site-queue"
        title={t('siteLink.queued', { count: view.queued })}
      >
        <Text size="sm">
          {t('siteLink.queuedConnected')} {retry}
        </Text>
      </Alert>
    );
  }
  const host = view.server.name ?? view.server.host;
  return (
    <Alert
      color="red"
      variant="filled"
      mb="md"
      title={t(view.state === 'refused' ? 'siteLink.refusedTitle' : 'siteLink.unreachableTitle', { host })}
      data-testid="site-banner"
      data-state={view.state}
    >
      <Text size="sm">{t('siteLink.unreachableSince', { time: formatTime(view.since) })}</Text>
      {view.reason ? <Text size="sm">{t(view.reason)}</Text> : null}
      <List size="sm" mt="xs" spacing={2}>
        <List.Item>{t('siteLink.stillWorks')}</List.Item>
        <List.Item>{t('siteLink.doesNotWork')}</List.Item>
        {view.queued > 0 ? (
          <List.Item data-testid="site-banner-queued">
            {t('siteLink.queued', { count: view.queued })} {retry}
          </List.Item>
        ) : null}
      </List>
    </Alert>
  );
}
