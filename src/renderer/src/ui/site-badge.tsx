import { Badge, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConnectionView } from '../../../shared/contract';
import { shortFingerprint } from '../../../shared/site/fingerprint';

const colors = { connected: 'teal', connecting: 'gray', unreachable: 'red', refused: 'red' } as const;

/**
 * The header's server badge of a site workstation (D-101): which server (its name or address)
 * and the short form of its pinned certificate fingerprint, always visible; red while the
 * server cannot be reached. The tooltip carries the address and the whole fingerprint. A
 * workstation on its own database shows nothing here.
 */
export function SiteBadge({ view }: { view: ConnectionView }) {
  const { t } = useTranslation();
  if (view.mode !== 'site') return null;
  const { server, state } = view;
  const name = server.name ?? server.host;
  return (
    <Tooltip
      multiline
      w={360}
      label={t('siteLink.serverTitle', { name, host: server.host, fingerprint: server.fingerprint })}
    >
      <Badge
        color={colors[state]}
        variant={state === 'connected' ? 'light' : 'filled'}
        size="lg"
        radius="sm"
        tt="none"
        data-testid="site-badge"
        data-state={state}
      >
        {t('siteLink.server')}: {name} · {shortFingerprint(server.fingerprint)} · {t(`siteLink.state.${state}`)}
      </Badge>
    </Tooltip>
  );
}
