/**
 * Where a stored document is shown and printed on this host (docs/decisions.md D-041). The
 * desktop shell passes one to createAppCore({ viewer }) (src/main/electron/document-viewer.ts:
 * the system's PDF viewer through shell.openPath, and Electron's print dialog); the browser
 * harness has none, because its PDFs open in a browser tab of the person's own browser.
 *
 * Both methods receive the absolute path of a file the documents service has just checked
 * against its recorded SHA-256 (documents/<sha256>.pdf), or of a preview it made itself
 * (previews/<sha256>.pdf). They resolve when the viewer accepted the file and reject with
 * an Error whose message says why not (no application for PDF files, print cancelled…).
 */
export interface DocumentViewer {
  open(file: string): Promise<void>;
  print(file: string): Promise<void>;
}

export type DocumentAction = 'open' | 'print';
