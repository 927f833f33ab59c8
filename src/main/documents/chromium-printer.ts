import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, BrowserType } from 'playwright-core';
import { CHROMIUM_ARGS, defaultChromiumPath } from './chromium-path';
import {
  checkPrintOptions,
  marginsOf,
  MAX_PDF_BYTES,
  pdfUnavailable,
  type PdfPrinter,
  type PdfPrintOptions,
} from './pdf';

/**
 * The harness's and the tests' printer: the same Chromium PDF printing as Electron's
 * printToPDF, driven through playwright-core (docs/decisions.md D-020). The browser starts on
 * the first print and is reused; each print gets its own page in one context that has
 * JavaScript disabled, is offline and aborts every request, so a document is exactly its
 * HTML (inline SVG and styles) and cannot reach anything.
 */

export interface ChromiumPrinterOptions {
  executablePath?: string;
  /** How long a launch may take before printing is reported unavailable. */
  launchTimeoutMs?: number;
}

export class ChromiumPdfPrinter implements PdfPrinter {
  private readonly executablePath: string;
  private readonly launchTimeoutMs: number;
  private starting: Promise<{ browser: Browser; context: BrowserContext }> | null = null;
  private closed = false;

  constructor(opts: ChromiumPrinterOptions = {}) {
    this.executablePath = opts.executablePath ?? defaultChromiumPath();
    this.launchTimeoutMs = opts.launchTimeoutMs ?? 30_000;
  }

  private start(): Promise<{ browser: Browser; context: BrowserContext }> {
    if (this.starting) return this.starting;
    const run = async (): Promise<{ browser: Browser; context: BrowserContext }> => {
      if (!existsSync(this.executablePath)) {
        throw pdfUnavailable(`Chromium not found at ${this.executablePath} (set LOTSEAL_CHROMIUM)`);
      }
      let chromium: BrowserType;
      try {
        // Loaded on first print only: the desktop app never loads it, and a checkout without
        // dev dependencies still starts (and says why it cannot print).
        ({ chromium } = await import('playwright-core'));
      } catch (e) {
        throw pdfUnavailable(`playwright-core is not installed: ${String(e)}`);
      }
      let browser: Browser;
      try {
        browser = await chromium.launch({
          executablePath: this.executablePath,
          args: [...CHROMIUM_ARGS],
          timeout: this.launchTimeoutMs,
        });
      } catch (e) {
        throw pdfUnavailable(
          `Chromium at ${this.executablePath} did not start: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
        );
      }
      browser.on('disconnected', () => {
        // A crashed browser is started again on the next print.
        this.starting = null;
      });
      const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
      await context.route('**/*', (route) => route.abort());
      return { browser, context };
    };
    this.starting = run();
    this.starting.catch(() => {
      this.starting = null;
    });
    return this.starting;
  }

  async printHtml(html: string, opts: PdfPrintOptions): Promise<Buffer> {
    if (this.closed) throw pdfUnavailable('the printer was closed');
    checkPrintOptions(opts);
    const { context } = await this.start();
    const page = await context.newPage();
    try {
      await page.setContent(html, { waitUntil: 'load' });
      const m = marginsOf(opts);
      const running = opts.headerHtml !== undefined || opts.footerHtml !== undefined;
      const pdf = await page.pdf({
        width: `${opts.pageWidthMm}mm`,
        height: `${opts.pageHeightMm}mm`,
        landscape: opts.landscape ?? false,
        printBackground: true,
        margin: { top: `${m.top}mm`, right: `${m.right}mm`, bottom: `${m.bottom}mm`, left: `${m.left}mm` },
        ...(running
          ? {
              displayHeaderFooter: true,
              headerTemplate: opts.headerHtml ?? '<span></span>',
              footerTemplate: opts.footerHtml ?? '<span></span>',
            }
          : {}),
      });
      if (pdf.length > MAX_PDF_BYTES) throw new Error(`pdf: ${pdf.length} bytes is larger than ${MAX_PDF_BYTES}`);
      return pdf;
    } finally {
      await page.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const s = this.starting;
    this.starting = null;
    if (!s) return;
    try {
      const { browser } = await s;
      await browser.close();
    } catch {
      // It never started: nothing to close.
    }
  }
}
