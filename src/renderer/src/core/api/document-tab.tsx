import type { ReactNode } from 'react';
import { Anchor } from '@mantine/core';

/**
 * The browser harness's way of showing a PDF: a tab of the person's own browser, whose PDF
 * viewer prints it. The ONLY place in the renderer that opens a window or a `_blank` link
 * (lint, D-041): the desktop app denies new windows and opens documents in the system viewer
 * through documents.open instead (components/document-actions.tsx decides which).
 */
export function openInBrowserTab(url: string): void {
  window.open(url, '_blank', 'noopener');
}

/** A link that opens the document's blob URL in a new browser tab (harness only). */
export function BrowserTabLink({ url, testId, children }: { url: string; testId: string; children: ReactNode }) {
  return (
    <Anchor href={url} target="_blank" rel="noopener" size="sm" data-testid={testId}>
      {children}
    </Anchor>
  );
}
