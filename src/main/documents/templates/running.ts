import type { Locale } from '../../../shared/i18n';
import { CJK_FONT_STACK, html, trusted, type SafeHtml } from './html';

/**
 * The running footer (and header) of a multi-page document (issue 22 §3): printed by Chromium
 * in the page's bottom (top) margin, outside the body, so no row of a long table is ever
 * printed over, at any length. Left: what identifies the document (lot, ledger head); right:
 * 第 n 页 / 共 m 页. Chromium fills `pageNumber` and `totalPages`; the template has its own
 * font size and side padding equal to the page margins (the template spans the full width).
 */
export function runningBand(o: {
  left: SafeHtml | string;
  right?: SafeHtml | string;
  locale: Locale;
  sideMm: number;
  align?: 'top' | 'bottom';
}): string {
  const pages =
    o.locale === 'zh-CN'
      ? html`第 <span class="pageNumber"></span> 页 / 共 <span class="totalPages"></span> 页`
      : html`Page <span class="pageNumber"></span> of <span class="totalPages"></span>`;
  const border = o.align === 'top' ? 'border-bottom' : 'border-top';
  return html`<div
    style="width:100%;box-sizing:border-box;padding:0 ${o.sideMm}mm;font-family:${trusted(
      CJK_FONT_STACK,
    )};font-size:7pt;color:#333;-webkit-print-color-adjust:exact;"
  >
    <div style="${border}:0.2mm solid #999;padding:1mm 0;display:flex;justify-content:space-between;gap:4mm;">
      <span style="white-space:nowrap;overflow:hidden;text-overflow:ellipsis;">${o.left}</span>
      <span style="white-space:nowrap;">${o.right ?? ''} ${pages}</span>
    </div>
  </div>`.value;
}
