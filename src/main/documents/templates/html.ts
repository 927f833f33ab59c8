/**
 * HTML for printed documents, without a template engine. Every interpolated value is
 * escaped unless it is a `SafeHtml` made by this module (another template's output, or
 * markup we generated ourselves, such as bwip-js's SVG). A sample id, a lot code or a
 * product name typed by a person can therefore never become markup in a document that is
 * signed off and archived (OWASP XSS prevention, rule #1: encode for the HTML context).
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Text or attribute value (quoted) → HTML. Also safe inside quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

function render(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return (v as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(v));
}

/** Tagged template: `html\`<p>${name}</p>\`` escapes `name`; nested `html` results pass through. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/**
 * A unit, or a value with its unit, that never breaks across lines in print (issue 22 §3):
 * "mg α-TE/100 g" stays whole — not at its hyphen, its spaces or its slash. Every page's
 * style sheet has the class (page()); the text is escaped.
 */
export function unbroken(text: string | null | undefined): SafeHtml {
  return text ? new SafeHtml(`<span class="nb">${escapeHtml(text)}</span>`) : new SafeHtml('');
}

/** **Unsafe**: marks markup we generated ourselves as safe. Never pass user text. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * Fonts for Chinese text, in order: what each OS ships (docs/decisions.md D-021). Noto/Source
 * Han on Linux (fonts-noto-cjk), Microsoft YaHei on Windows, PingFang on macOS.
 */
export const CJK_FONT_STACK =
  "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif";

export interface PageShell {
  title: string;
  lang: 'en' | 'zh-CN';
  widthMm: number;
  heightMm: number;
  css: string;
  body: SafeHtml;
  /**
   * Page margins (mm) for a document with a running header and footer: printed in these
   * margins by Chromium, so the body flows between them on every page. Absent: 0 (labels,
   * edge to edge). Must equal the print options' margins.
   */
  margins?: { topMm: number; rightMm: number; bottomMm: number; leftMm: number };
}

/**
 * The document around every template: its own page size (`@page`, so the browser's print
 * preview agrees with the PDF), the font stack, and a content security policy that allows
 * nothing to load (images are inline SVG or data: URLs, scripts never run).
 */
export function page(p: PageShell): string {
  const m = p.margins;
  // With margins the body flows from page to page (its height is not the page's).
  const geometry = m
    ? trusted(
        `@page { size: ${p.widthMm}mm ${p.heightMm}mm; margin: ${m.topMm}mm ${m.rightMm}mm ${m.bottomMm}mm ${m.leftMm}mm; }\n* { box-sizing: border-box; margin: 0; padding: 0; }\nhtml, body { width: ${p.widthMm - m.leftMm - m.rightMm}mm; }`,
      )
    : trusted(
        `@page { size: ${p.widthMm}mm ${p.heightMm}mm; margin: 0; }\n* { box-sizing: border-box; margin: 0; padding: 0; }\nhtml, body { width: ${p.widthMm}mm; height: ${p.heightMm}mm; }`,
      );
  return html`<!doctype html>
<html lang="${p.lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<title>${p.title}</title>
<style>
${geometry}
body { font-family: ${trusted(CJK_FONT_STACK)}; color: #000; background: #fff; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.nb { white-space: nowrap; }
${trusted(p.css)}
</style>
</head>
<body>${p.body}</body>
</html>
`.value;
}
