import { useEffect, useRef } from 'react';
import { call } from './api/client';

const activityEvents = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Locks the screen after `timeoutMs` without keyboard or pointer activity, even when no call
 * reaches the server (the server's own idle timer only sees calls). 21 CFR 11.300(d).
 */
export function useIdleLock(timeoutMs: number, onLocked: () => void): void {
  const last = useRef(0);
  const locking = useRef(false);
  const lockedRef = useRef(onLocked);
  useEffect(() => {
    lockedRef.current = onLocked;
  }, [onLocked]);

  useEffect(() => {
    if (!(timeoutMs > 0)) return undefined;
    last.current = Date.now();
    const mark = () => {
      last.current = Date.now();
    };
    for (const e of activityEvents) window.addEventListener(e, mark, { passive: true });
    // A local check, no network: cheap enough every few seconds.
    const timer = window.setInterval(
      () => {
        if (locking.current || Date.now() - last.current < timeoutMs) return;
        locking.current = true;
        call('auth.lock', {})
          .catch(() => undefined)
          .finally(() => {
            locking.current = false;
            lockedRef.current();
          });
      },
      Math.min(5000, Math.max(500, timeoutMs / 4)),
    );
    return () => {
      for (const e of activityEvents) window.removeEventListener(e, mark);
      window.clearInterval(timer);
    };
  }, [timeoutMs]);
}
