import { Box, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConnectionView } from '../../../shared/contract';
import { shortFingerprint } from '../../../shared/site/fingerprint';

const colors = { connected: 'teal', connecting: 'gray', unreachable: 'red', refused: 'red' } as const;

/**
 * The header's server mark of a site workstation (D-101): which server (its name, else its
 * address) and its state on the first line, the short form of its pinned certificate
 * fingerprint on the second, always visible; red while the server cannot be reached. The
 * tooltip carries the address and the whole fingerprint. A workstation on its own database
 * shows nothing here.
 */
export function SiteBadge({ view }: { view: ConnectionView }) {
  const { t } = useTranslation();
  if (view.mode !== 'site') return null;
  const { server, state } = view;
  const name = server.name ?? server.host;
  const color = colors[state];
  const strong = state !== 'connected';
  return (
    <Tooltip
      multiline
      w={380}
      label={t('siteLink.serverTitle', { name, host: server.host, fingerprint: server.fingerprint })}
    >
      <Box
        px={8}
        py={2}
        data-testid="site-badge"
        data-state={state}
        style={{
          border: `1px solid var(--mantine-color-${color}-6)`,
          borderRadius: 'var(--mantine-radius-sm)',
          background: strong ? `var(--mantine-color-${color}-6)` : `var(--mantine-color-${color}-0)`,
          color: strong ? 'white' : `var(--mantine-color-${color}-9)`,
          lineHeight: 1.2,
          whiteSpace: 'nowrap',
        }}
      >
        <Text size="xs" fw={700} c="inherit">
          {t('siteLink.server')} {name} · {t(`siteLink.state.${state}`)}
        </Text>
        <Text size="xs" ff="monospace" c="inherit" data-testid="site-fingerprint">
          {shortFingerprint(server.fingerprint)}
        </Text>
      </Box>
    </Tooltip>
  );
}
