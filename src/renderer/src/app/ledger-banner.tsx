import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LedgerState } from '../../../shared/contract';
import { needsAttention } from '../core/ledger-status';
import { navigate } from '../core/router';
import { formatTime } from '../ui/format';

/** Shown to every user while the ledger has open findings or its anchor is behind. */
export function LedgerBanner({ state }: { state: LedgerState | undefined }) {
  const { t } = useTranslation();
  if (!state) return null;
  const clock = state.clockBehindLedger;
  const blocked = state.blocked ?? null;
  if (!needsAttention(state) && !clock && !blocked) return null;
  return (
    <Stack gap="xs" mb="md">
      {blocked ? (
        // No quiet rollback (docs/ledger.md §4): nothing is written until a restore or an
        // administrator's signed acknowledgement.
        <Alert color="red" variant="filled" title={t('trust.rollbackTitle')} data-testid="rollback-banner">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Text size="sm">
              {t(blocked.finding === 'anchor_behind' ? 'errors.anchor_ahead_of_database' : 'errors.anchor_differs_from_database', {
                anchorSeq: blocked.anchorSeq,
                anchorAt: formatTime(blocked.anchorAt),
                dbSeq: blocked.dbSeq,
              })}
            </Text>
            <Button variant="white" color="red" size="xs" onClick={() => navigate('/admin', { tab: 'workstation' })}>
              {t('trust.openWorkstation')}
            </Button>
          </Group>
        </Alert>
      ) : null}
      {needsAttention(state) ? (
        <Alert color="red" variant="filled" title={t('ledger.blockingTitle')} data-testid="ledger-banner">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Stack gap={4}>
              {state.openFindings > 0 ? (
                <Text size="sm">{t('ledger.blockingFindings', { count: state.openFindings })}</Text>
              ) : null}
              {state.anchorBehind ? <Text size="sm">{t('ledger.blockingAnchor')}</Text> : null}
            </Stack>
            <Button variant="white" color="red" size="xs" onClick={() => navigate('/audit', { tab: 'verification' })}>
              {t('ledger.openVerification')}
            </Button>
          </Group>
        </Alert>
      ) : null}
      {clock ? (
        <Alert color="orange" variant="light" data-testid="clock-banner">
          {t('ledger.clockBehind')}
        </Alert>
      ) : null}
    </Stack>
  );
}
