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
  if (view.mode !== 'site' || view.state === 'connected' || view.state === 'connecting') return null;
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
        {view.queued > 0 ? <List.Item>{t('siteLink.queued', { count: view.queued })}</List.Item> : null}
      </List>
    </Alert>
  );
}
