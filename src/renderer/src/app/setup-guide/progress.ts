import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { setupStepKeys, type SetupStepKey } from '../../../../shared/contract/channels/home';
import { stepDone, stepPermission } from '../../../../shared/rules/setup-guide';
import { useCall, useEvent } from '../../core/api/hooks';
import { hasPermission, useSession } from '../../core/session';

export interface GuideStep {
  key: SetupStepKey;
  done: boolean;
  skipped: boolean;
  /** The signed-in person may do the step here (main still decides every call). */
  mine: boolean;
}

const SKIP_KEY = 'lotseal.setupGuide.skipped';

function readSkipped(db: string | null): SetupStepKey[] {
  try {
    const raw = window.localStorage.getItem(`${SKIP_KEY}.${db ?? 'none'}`);
    const list = raw ? (JSON.parse(raw) as unknown) : [];
    return Array.isArray(list) ? setupStepKeys.filter((k) => list.includes(k)) : [];
  } catch {
    return [];
  }
}

/**
 * The guide's state: each step done or not from the records (setup.progress, and
 * site.company.get for the company), refreshed on every ledger commit so a step finished in
 * another screen or on another workstation shows at once. "Skipped" is only this
 * workstation's "not now" (it changes no record), kept per database in local storage.
 */
export function useSetupGuide() {
  const session = useSession();
  const qc = useQueryClient();
  const status = useCall('app.status', {}, { staleTime: Infinity });
  const db = status.data?.databaseId ?? null;
  const progress = useCall('setup.progress', {}, { staleTime: 0 });
  const company = useCall('site.company.get', {}, { staleTime: 0 });
  useEvent('ledger.changed', () => {
    void qc.invalidateQueries({ queryKey: ['setup.progress'] });
    void qc.invalidateQueries({ queryKey: ['site.company.get'] });
  });
  const [skipped, setSkippedState] = useState<SetupStepKey[] | null>(null);
  const skippedNow = skipped ?? readSkipped(db);
  const setSkipped = (key: SetupStepKey, on: boolean) => {
    const next = on ? [...new Set([...skippedNow, key])] : skippedNow.filter((k) => k !== key);
    setSkippedState(next);
    try {
      window.localStorage.setItem(`${SKIP_KEY}.${db ?? 'none'}`, JSON.stringify(next));
    } catch {
      // A browser without storage: the skip lasts for this screen only.
    }
  };
  const p = progress.data;
  const c = company.data;
  const ready = p !== undefined && c !== undefined;
  const steps: GuideStep[] = setupStepKeys.map((key) => ({
    key,
    done: p !== undefined && c !== undefined ? stepDone(key, p, c !== null) : false,
    skipped: skippedNow.includes(key),
    mine: hasPermission(session, stepPermission[key]) && !session.readOnly,
  }));
  return {
    ready,
    progress: progress.data,
    company: company.data ?? null,
    error: progress.error ?? company.error,
    steps,
    doneCount: steps.filter((s) => s.done).length,
    setSkipped,
  };
}
