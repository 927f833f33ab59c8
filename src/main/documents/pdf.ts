import { AppErrorException, appError } from '../../shared/contract/errors';

/**
 * The PDF pipeline's one seam (issue 7 §3). Every document (labels now; certificates of
 * analysis, authority reports, dossiers and drill packs later) is an HTML string from a
 * template in ./templates, printed by whichever Chromium the host has: Electron's
 * `webContents.printToPDF` in the desktop app (src/main/electron/pdf-printer.ts), a
 * Playwright-driven Debian/Chrome Chromium in the harness and the tests
 * (./chromium-printer.ts). The same HTML goes to both, so what the tests read back with
 * pdftotext is what the lab prints.
 *
 * Printing is I/O to another process: it never blocks the main thread.
 */
export interface PdfPrintOptions {
  /** Paper size in millimetres, portrait (labels are wider than tall: width > height is fine). */
  pageWidthMm: number;
  pageHeightMm: number;
  landscape?: boolean;
  /** Equal margins on every side; 0 by default (labels are printed edge to edge). */
  marginsMm?: number;
  /**
   * Page margins per side (overrides `marginsMm`). A document with a running header or footer
   * prints it inside these margins, so it can never overprint the body (issue 22 §3).
   */
  margins?: { topMm: number; rightMm: number; bottomMm: number; leftMm: number };
  /**
   * Chromium's running header and footer templates (printed in the top and bottom margins of
   * every page; `<span class="pageNumber">`, `<span class="totalPages">` are filled in). Self-
   * contained HTML with inline styles and an explicit font size; made by the templates, never
   * user text unescaped.
   */
  headerHtml?: string;
  footerHtml?: string;
}

/** The margins of a print, per side, in millimetres. */
export function marginsOf(opts: PdfPrintOptions): { top: number; right: number; bottom: number; left: number } {
  if (opts.margins) return { top: opts.margins.topMm, right: opts.margins.rightMm, bottom: opts.margins.bottomMm, left: opts.margins.leftMm };
  const m = opts.marginsMm ?? 0;
  return { top: m, right: m, bottom: m, left: m };
}

export interface PdfPrinter {
  printHtml(html: string, opts: PdfPrintOptions): Promise<Buffer>;
  /** Releases the browser process or window, if any (called when the app core closes). */
  close?(): Promise<void>;
}

/** Refuses a document that would be unreadable: nothing the templates make comes near it. */
export const MAX_PDF_BYTES = 20 * 1024 * 1024;

/**
 * No PDF can be made on this workstation (no Chromium, no printer configured, the browser
 * died). A value with a translated message, never a crash: the user can still work and
 * print later.
 */
export function pdfUnavailable(reason: string): AppErrorException {
  return new AppErrorException(appError('internal', { reason: reason.slice(0, 500) }, 'errors.pdf_unavailable'));
}

export function checkPrintOptions(opts: PdfPrintOptions): void {
  const ok = (v: number): boolean => Number.isFinite(v) && v > 0 && v <= 2000;
  if (!ok(opts.pageWidthMm) || !ok(opts.pageHeightMm)) throw new Error(`pdf: bad page size ${opts.pageWidthMm}×${opts.pageHeightMm} mm`);
  const m = marginsOf(opts);
  const fine = (v: number): boolean => Number.isFinite(v) && v >= 0;
  if (![m.top, m.right, m.bottom, m.left].every(fine) || m.left + m.right >= opts.pageWidthMm || m.top + m.bottom >= opts.pageHeightMm) {
    throw new Error(`pdf: bad margins ${JSON.stringify(m)} mm`);
  }
}

/** Electron's printToPDF takes inches (Electron 45 PrintToPDFOptions.pageSize / margins). */
export function mmToInches(mm: number): number {
  return mm / 25.4;
}
