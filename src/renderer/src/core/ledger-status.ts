import { useQueryClient } from '@tanstack/react-query';
import type { LedgerState } from '../../../shared/contract';
import { callKey, useCall, useEvent } from './api/hooks';

export const ledgerStatusKey = callKey('ledger.status', {});

/** Ledger status as every screen sees it; `ledger.changed` keeps it fresh without polling. */
export function useLedgerStatus() {
  return useCall('ledger.status', {}, { staleTime: Infinity });
}

/** Mounted once in the shell: pushes `ledger.changed` into the query cache. */
export function useLedgerStatusFeed(): void {
  const qc = useQueryClient();
  useEvent('ledger.changed', (payload) => {
    qc.setQueryData(ledgerStatusKey, payload);
  });
}

export type LedgerTone = 'ok' | 'attention' | 'unverified' | 'verifying';

export function ledgerTone(s: LedgerState): LedgerTone {
  if (s.openFindings > 0 || s.anchorBehind || s.state === 'findings') return 'attention';
  if (s.state === 'verifying') return 'verifying';
  if (s.state === 'ok' && s.verifiedThrough !== null) return 'ok';
  return 'unverified';
}

export function needsAttention(s: LedgerState | undefined): boolean {
  return !!s && ledgerTone(s) === 'attention';
}
