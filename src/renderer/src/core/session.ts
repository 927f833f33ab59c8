import { createContext, useContext } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { SessionView } from '../../../shared/contract';
import { callKey, useCall } from './api/hooks';

export const sessionKey = callKey('auth.session', {});

export function useSessionQuery(enabled: boolean) {
  return useCall('auth.session', {}, { enabled, staleTime: Infinity, retry: 1 });
}

/** The signed-in, unlocked session; provided by the root only around the shell. */
export const SessionContext = createContext<SessionView | null>(null);

export function useSession(): SessionView {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in shell');
  return s;
}

export function useSetSession(): (s: SessionView | null) => void {
  const qc = useQueryClient();
  return (s) => {
    qc.setQueryData(sessionKey, s);
  };
}

export function hasPermission(session: SessionView, permission: string): boolean {
  return session.permissions.includes(permission);
}
