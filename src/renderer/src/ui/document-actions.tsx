import { useCallback, useEffect, useRef, useState } from 'react';
import { Anchor, Group, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { call } from '../core/api/client';
import { hostKind } from '../core/api/bridge';
import { BrowserTabLink, openInBrowserTab } from '../core/api/document-tab';
import { ErrorAlert } from './error-alert';

/**
 * How a generated PDF is shown (issue 24 §2, docs/decisions.md D-041). The server stores
 * every issued document as documents/<sha256>.pdf; the desktop opens that file in the
 * workstation's PDF viewer, or prints it through the system print dialog, with the one
 * channel documents.open. The desktop window denies new windows, so nothing here relies on
 * one there. The browser harness keeps its browser tab (document-tab.tsx).
 */
export type DocumentRef = { kind: 'document'; id: string } | { kind: 'preview'; sha256: string };

export interface ShownDocument {
  ref: DocumentRef;
  fileName: string;
  sha256: string;
  base64: string;
}

/** A document with the blob URL the page uses for its download link (and the harness's tab). */
export interface HeldDocument extends ShownDocument {
  url: string;
}

function base64ToBlob(b64: string, type: string): Blob {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type });
}

/** A generated PDF held by a screen; the previous one's blob URL is revoked when replaced or unmounted. */
export function useHeldDocument(): [HeldDocument | null, (doc: ShownDocument) => HeldDocument] {
  const [held, setHeld] = useState<HeldDocument | null>(null);
  const current = useRef<HeldDocument | null>(null);
  useEffect(
    () => () => {
      if (current.current) URL.revokeObjectURL(current.current.url);
    },
    [],
  );
  const hold = useCallback((doc: ShownDocument): HeldDocument => {
    const next = { ...doc, url: URL.createObjectURL(base64ToBlob(doc.base64, 'application/pdf')) };
    if (current.current) URL.revokeObjectURL(current.current.url);
    current.current = next;
    setHeld(next);
    return next;
  }, []);
  return [held, hold];
}

/**
 * Shows a document where this host shows documents: the desktop's PDF viewer (or its print
 * dialog), the harness's browser tab (whose PDF viewer prints).
 */
export async function showDocument(doc: HeldDocument, action: 'open' | 'print' = 'open'): Promise<void> {
  if (hostKind() === 'desktop') {
    await call('documents.open', { ref: doc.ref, action });
    return;
  }
  openInBrowserTab(doc.url);
}

export interface DocumentActionsProps {
  doc: HeldDocument;
  openLabel: string;
  downloadLabel: string;
  openTestId: string;
  downloadTestId: string;
  /** Desktop only: the print button (the harness prints from the browser tab). */
  printTestId?: string;
}

/**
 * Open · Print · Download for one generated PDF. Desktop: buttons that ask the main process
 * to open or print the stored file. Harness: a link to a browser tab. Download is a blob
 * link on both.
 */
export function DocumentActions(p: DocumentActionsProps) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'open' | 'print' | null>(null);
  const desktop = hostKind() === 'desktop';
  const run = (action: 'open' | 'print'): void => {
    setError(null);
    setBusy(action);
    showDocument(p.doc, action)
      .catch((e: unknown) => setError(e))
      .finally(() => setBusy(null));
  };
  return (
    <Stack gap={4}>
      <Group gap="md">
        {desktop ? (
          <>
            <Anchor
              component="button"
              type="button"
              size="sm"
              disabled={busy !== null}
              onClick={() => run('open')}
              data-testid={p.openTestId}
            >
              {p.openLabel}
            </Anchor>
            <Anchor
              component="button"
              type="button"
              size="sm"
              disabled={busy !== null}
              onClick={() => run('print')}
              data-testid={p.printTestId ?? `${p.openTestId}-print`}
            >
              {t('desktop.documents.print')}
            </Anchor>
          </>
        ) : (
          <BrowserTabLink url={p.doc.url} testId={p.openTestId}>
            {p.openLabel}
          </BrowserTabLink>
        )}
        <Anchor href={p.doc.url} download={p.doc.fileName} size="sm" data-testid={p.downloadTestId}>
          {p.downloadLabel}
        </Anchor>
      </Group>
      <ErrorAlert error={error} testId={`${p.openTestId}-error`} />
    </Stack>
  );
}
