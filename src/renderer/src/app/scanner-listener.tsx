import { useEffect, useRef } from 'react';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { call } from '../core/api/client';
import { errorMessage } from '../core/api/errors';
import { navigate, parseHash } from '../core/router';
import { isEditableTarget, ScanDetector } from '../core/scanner-detect';

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
  useEffect(() => {
    tRef.current = t;
  }, [t]);

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
          navigate(onTesting && r.type === 'sample' ? `/testing/sample/${encodeURIComponent(r.code)}` : scanTarget(r.type, r.code));
        })
        .catch((err: unknown) => {
          notifications.show({ color: 'red', title: tRef.current('scanner.notFoundTitle'), message: errorMessage(tRef.current, err) });
        });
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  return <span hidden data-testid="scanner-ready" />;
}
