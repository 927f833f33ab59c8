import { pathToFileURL } from 'node:url';
import { BrowserWindow, session as sessions, shell } from 'electron';
import log from 'electron-log/main';
import type { DocumentViewer } from '../documents/viewer';

/**
 * The desktop's document viewer (docs/decisions.md D-041), behind `documents.open`:
 *
 *  - open: the workstation's own PDF application, through shell.openPath on the stored file
 *    (documents/<sha256>.pdf, checked against its record just before). A plant PC's viewer
 *    (Acrobat, Edge, Foxit, Evince) prints to any installed printer, label printers included.
 *  - print: the PDF in a small window of its own, with Electron's PDF viewer, and the system
 *    print dialog on it (webContents.print, which prints PDFs since Electron 32 / 36's fixes),
 *    for a technician who prints a label without leaving LotSeal.
 *
 * The print window shows nothing but the one file: sandboxed, context-isolated, no preload,
 * in an in-memory session that refuses every network request and every other file. The
 * global navigation guard (security.ts) also applies to it: no navigation, no new windows.
 */
const PARTITION = 'lotseal-document-print';
/** Chromium's built-in PDF viewer runs as this component extension. */
const PDF_VIEWER_ORIGINS = ['chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/', 'chrome://'];

const allowed = new Set<string>();
let sessionReady = false;

function printSession(): Electron.Session {
  const ses = sessions.fromPartition(PARTITION, { cache: false });
  if (!sessionReady) {
    ses.webRequest.onBeforeRequest((details, callback) => {
      const ok =
        allowed.has(details.url) ||
        PDF_VIEWER_ORIGINS.some((o) => details.url.startsWith(o)) ||
        details.url.startsWith('data:') ||
        details.url.startsWith('blob:');
      if (!ok) log.warn(`document print: request blocked ${details.url.slice(0, 200)}`);
      callback({ cancel: !ok });
    });
    ses.setPermissionRequestHandler((_c, _p, callback) => callback(false));
    ses.setPermissionCheckHandler(() => false);
    sessionReady = true;
  }
  return ses;
}

export class ElectronDocumentViewer implements DocumentViewer {
  constructor(private readonly parent: () => BrowserWindow | null = () => null) {}

  async open(file: string): Promise<void> {
    // Resolves with an error message, or '' when the OS handed the file to its application.
    const problem = await shell.openPath(file);
    if (problem) throw new Error(problem);
  }

  async print(file: string): Promise<void> {
    const url = pathToFileURL(file).href;
    const parent = this.parent();
    const win = new BrowserWindow({
      width: 900,
      height: 1000,
      show: true,
      title: 'LotSeal',
      autoHideMenuBar: true,
      ...(parent && !parent.isDestroyed() ? { parent } : {}),
      webPreferences: {
        session: printSession(),
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        // The PDF viewer is a plugin; page scripts there are the viewer's own.
        plugins: true,
        webviewTag: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        spellcheck: false,
        devTools: false,
      },
    });
    allowed.add(url);
    try {
      await win.loadURL(url);
      await new Promise<void>((resolve, reject) => {
        win.webContents.print({ silent: false, printBackground: true }, (success, reason) => {
          // A person who closes the print dialog has decided not to print: not an error.
          if (success || reason === 'cancelled') resolve();
          else reject(new Error(reason || 'the print failed'));
        });
      });
    } finally {
      allowed.delete(url);
      if (!win.isDestroyed()) win.destroy();
    }
  }
}
