import { Badge, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LedgerState } from '../../../shared/contract';
import { formatTime } from './format';
import { href } from '../core/router';
import { ledgerTone } from '../core/ledger-status';

export function ledgerLabel(t: (k: string, o?: Record<string, unknown>) => string, s: LedgerState): string {
  const tone = ledgerTone(s);
  if (tone === 'attention')
    return s.openFindings > 0 ? t('ledger.findings', { count: s.openFindings }) : t('ledger.anchorBehind');
  if (tone === 'verifying') return t('ledger.verifying');
  if (tone === 'ok') return t('ledger.verifiedThrough', { seq: s.verifiedThrough, time: formatTime(s.verifiedAt) });
  return t('ledger.unverified');
}

const colors = { ok: 'green', attention: 'red', unverified: 'gray', verifying: 'blue' } as const;

/** Header badge: green verified / grey not yet / red findings or anchor behind. */
export function LedgerBadge({ state, wrap = false }: { state: LedgerState | undefined; wrap?: boolean }) {
  const { t } = useTranslation();
  if (!state) return null;
  const tone = ledgerTone(state);
  return (
    <Tooltip label={t('home.ledgerHead', { seq: state.headSeq })}>
      <Badge
        component="a"
        href={href('/audit', { tab: 'verification' })}
        color={colors[tone]}
        variant={tone === 'unverified' ? 'outline' : 'filled'}
        size="lg"
        radius="sm"
        tt="none"
        style={{ cursor: 'pointer' }}
        // In a narrow card the whole label wraps rather than being cut to "11…" (issue 22).
        styles={wrap ? { root: { height: 'auto', paddingBlock: 4 }, label: { whiteSpace: 'normal', overflow: 'visible' } } : undefined}
        data-testid="ledger-badge"
        data-tone={tone}
      >
        {ledgerLabel(t, state)}
      </Badge>
    </Tooltip>
  );
}
