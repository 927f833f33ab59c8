import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, session as sessions } from 'electron';
import log from 'electron-log/main';
import { checkPrintOptions, MAX_PDF_BYTES, marginsOf, mmToInches, pdfUnavailable, type PdfPrinter, type PdfPrintOptions } from '../documents/pdf';

/**
 * The desktop app's PDF printer: Electron's own Chromium, `webContents.printToPDF`, on the
 * same HTML the harness and the tests print with playwright (src/main/documents/pdf.ts).
 *
 * Each print gets a hidden window that can do nothing but lay out the document: sandboxed,
 * context-isolated, no preload, JavaScript off, no navigation, no new windows, in an
 * in-memory session of its own that cancels every network request. The page's own CSP
 * (`default-src 'none'`, templates/html.ts) is what stops `file:` subresources, which
 * webRequest does not see (D-016). The HTML goes through a temporary file rather than a
 * data: URL (Chromium caps URLs at 2 MB; a dossier with images would not fit).
 */
const PARTITION = 'lotseal-print';

let sessionReady = false;
let allowedUrl: Set<string> = new Set();

function printSession(): Electron.Session {
  const ses = sessions.fromPartition(PARTITION, { cache: false });
  if (!sessionReady) {
    ses.webRequest.onBeforeRequest((details, callback) => {
      const ok = allowedUrl.has(details.url) || details.url.startsWith('data:');
      if (!ok) log.warn(`print: request blocked ${details.url.slice(0, 200)}`);
      callback({ cancel: !ok });
    });
    ses.setPermissionRequestHandler((_c, _p, callback) => callback(false));
    ses.setPermissionCheckHandler(() => false);
    sessionReady = true;
  }
  return ses;
}

export class ElectronPdfPrinter implements PdfPrinter {
  async printHtml(html: string, opts: PdfPrintOptions): Promise<Buffer> {
    checkPrintOptions(opts);
    const dir = await mkdtemp(join(tmpdir(), 'lotseal-print-'));
    const file = join(dir, 'document.html');
    const url = pathToFileURL(file).href;
    let win: BrowserWindow | null = null;
    try {
      await writeFile(file, html, 'utf8');
      win = new BrowserWindow({
        show: false,
        width: 800,
        height: 600,
        webPreferences: {
          session: printSession(),
          sandbox: true,
          contextIsolation: true,
          nodeIntegration: false,
          javascript: false,
          webviewTag: false,
          webSecurity: true,
          allowRunningInsecureContent: false,
          spellcheck: false,
          devTools: false,
        },
      });
      const contents = win.webContents;
      contents.on('will-navigate', (e) => e.preventDefault());
      contents.on('will-redirect', (e) => e.preventDefault());
      contents.setWindowOpenHandler(() => ({ action: 'deny' }));
      allowedUrl.add(url);
      await win.loadURL(url);
      const m = marginsOf(opts);
      const running = opts.headerHtml !== undefined || opts.footerHtml !== undefined;
      const pdf = await contents.printToPDF({
        // Electron 45: pageSize as an object is in inches (PrintToPDFOptions), margins too.
        pageSize: { width: mmToInches(opts.pageWidthMm), height: mmToInches(opts.pageHeightMm) },
        landscape: opts.landscape ?? false,
        printBackground: true,
        margins: { top: mmToInches(m.top), bottom: mmToInches(m.bottom), left: mmToInches(m.left), right: mmToInches(m.right) },
        preferCSSPageSize: false,
        // The running header and footer print in the margins (the same templates as the harness's Chromium).
        ...(running
          ? { displayHeaderFooter: true, headerTemplate: opts.headerHtml ?? '<span></span>', footerTemplate: opts.footerHtml ?? '<span></span>' }
          : {}),
      });
      if (pdf.length > MAX_PDF_BYTES) throw new Error(`pdf: ${pdf.length} bytes is larger than ${MAX_PDF_BYTES}`);
      return pdf;
    } catch (e) {
      log.error('printToPDF failed', e);
      throw pdfUnavailable(e instanceof Error ? e.message : String(e));
    } finally {
      allowedUrl.delete(url);
      if (win && !win.isDestroyed()) win.destroy();
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    allowedUrl = new Set();
  }
}
