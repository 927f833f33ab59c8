import { useEffect, useRef } from 'react';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ApiError, call } from '../core/api/client';
import { errorMessage } from '../core/api/errors';
import { navigate, parseHash } from '../core/router';
import { isEditableTarget, ScanDetector } from '../core/scanner-detect';
import { useSession } from '../core/session';
import { UnknownCodeHint } from '../ui/unknown-code';

/** Where a scanned code opens: the sample page or the lot page. */
export function scanTarget(type: 'sample' | 'lot', code: string): string {
  return `/${type === 'sample' ? 'samples' : 'lots'}/${encodeURIComponent(code)}`;
}

/**
 * The barcode scanner on every screen. Keystrokes in an editable field are left alone (the
 * scan fills the field); elsewhere a fast burst ending in Enter is looked up and opened.
 */
export function ScannerListener() {
  const { t } = useTranslation();
  const detector = useRef(new ScanDetector());
  const tRef = useRef(t);
  const session = useSession();
  const sessionRef = useRef(session);
  useEffect(() => {
    tRef.current = t;
    sessionRef.current = session;
  }, [t, session]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.altKey || e.metaKey || e.isComposing) return;
      if (isEditableTarget(e.target)) {
        detector.current.reset();
        return;
      }
      const code = detector.current.key(e.key, e.timeStamp || performance.now());
      if (!code) return;
      e.preventDefault();
      e.stopPropagation();
      call('scan.lookup', { code })
        .then((r) => {
          notifications.show({
            color: 'teal',
            message: tRef.current(r.type === 'sample' ? 'scanner.openedSample' : 'scanner.openedLot', { code: r.code }),
          });
          // At the result-entry bench a scanned sample opens its entry grid, not its custody page.
          const onTesting = parseHash(window.location.hash).page === 'testing';
          navigate(
            onTesting && r.type === 'sample'
              ? `/testing/sample/${encodeURIComponent(r.code)}`
              : scanTarget(r.type, r.code),
          );
        })
        .catch((err: unknown) => {
          // An unknown code says so at once, with what this person can do about it (issue 22 §2).
          const unknown = err instanceof ApiError && err.code === 'not_found';
          notifications.show({
            color: 'red',
            title: tRef.current('scanner.notFoundTitle'),
            message: unknown ? (
              <UnknownCodeHint code={code} session={sessionRef.current} testId="scan-unknown" />
            ) : (
              errorMessage(tRef.current, err)
            ),
            autoClose: unknown ? 15_000 : undefined,
          });
        });
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  return <span hidden data-testid="scanner-ready" />;
}
