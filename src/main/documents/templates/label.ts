import type { Locale } from '../../../shared/i18n';
import { code128Svg, dataMatrixSvg, sizedSvg } from '../barcodes';
import { html, page, trusted } from './html';

/** What a sample label shows (issue 7 §2). */
export interface LabelData {
  /** The sample id: barcoded as Code 128 and DataMatrix, and printed as text. */
  sampleId: string;
  lotCode: string | null;
  /** Sample kind code (src/shared/contract/channels/samples.ts sampleKinds); translated by the template when known. */
  kind: string;
  /** A caller's own translation of the kind, when the code is not one of sampleKindNames. */
  kindLabel?: string;
  /** The day on the label (sampling date), as YYYY-MM-DD. */
  date: string;
  /** Short product or material name in both languages; the label uses the locale's, else the other. */
  productName: { zh: string | null; en: string | null };
  /** Sampling site (swabs, water) when there is no lot. */
  site?: string | null;
}

export const labelSizes = ['50x30', '60x40', '100x50'] as const;
export type LabelSize = (typeof labelSizes)[number];

interface SizeSpec {
  w: number;
  h: number;
  pad: number;
  /** Code 128 bar height, DataMatrix side, id text, other text (mm / pt). */
  barH: number;
  dm: number;
  idPt: number;
  textPt: number;
  footer: boolean;
}

/** Label stock in millimetres (width × height), as loaded in the reception printer. */
export const LABEL_SIZES: Record<LabelSize, SizeSpec> = {
  '50x30': { w: 50, h: 30, pad: 1.5, barH: 8, dm: 12, idPt: 8, textPt: 6, footer: false },
  '60x40': { w: 60, h: 40, pad: 2, barH: 10, dm: 16, idPt: 10, textPt: 7, footer: true },
  '100x50': { w: 100, h: 50, pad: 3, barH: 12, dm: 21, idPt: 13, textPt: 9, footer: true },
};

/** Sample kinds as printed; the codes are the samples contract's `sampleKinds`. */
export const sampleKindNames: Record<string, { en: string; zh: string }> = {
  raw_milk_tanker: { en: 'Raw milk (tanker)', zh: '原奶（槽车）' },
  incoming_inspection: { en: 'Incoming inspection', zh: '进货检验' },
  in_process: { en: 'In-process', zh: '过程样' },
  finished_release: { en: 'Finished-lot release', zh: '成品放行' },
  environmental_swab: { en: 'Environmental swab', zh: '环境拭子' },
  water: { en: 'Water', zh: '水样' },
  retention: { en: 'Retention', zh: '留样' },
};

const WORDS = {
  en: { lot: 'Lot', site: 'Site', kind: 'Kind', date: 'Date', ledger: 'Ledger' },
  zh: { lot: '批号', site: '点位', kind: '类型', date: '日期', ledger: '记录' },
};

export interface LedgerStamp {
  seq: number;
  /** The head hash, shown shortened (8 hex digits): enough to look it up, not to forge it. */
  hash: string;
}

export function stampText(stamp: LedgerStamp, locale: Locale): string {
  return `${locale === 'zh-CN' ? WORDS.zh.ledger : WORDS.en.ledger} #${stamp.seq} · ${stamp.hash.slice(0, 8)}`;
}

export function kindName(label: Pick<LabelData, 'kind' | 'kindLabel'>, locale: Locale): string {
  if (label.kindLabel) return label.kindLabel;
  const k = sampleKindNames[label.kind];
  return k ? (locale === 'zh-CN' ? k.zh : k.en) : label.kind;
}

export function productNameFor(label: Pick<LabelData, 'productName'>, locale: Locale): string {
  const { zh, en } = label.productName;
  return (locale === 'zh-CN' ? zh || en : en || zh) ?? '';
}

/**
 * One label as a printable page. Pure: the same label, size, locale and stamp always give
 * the same HTML (the barcodes are drawn here, by bwip-js, from the sample id).
 */
export function labelTemplate(label: LabelData, opts: { size: LabelSize; locale: Locale; stamp?: LedgerStamp | null }): string {
  const s = LABEL_SIZES[opts.size];
  const words = opts.locale === 'zh-CN' ? WORDS.zh : WORDS.en;
  const product = productNameFor(label, opts.locale);
  const where = label.lotCode ? html`<b>${words.lot}</b> ${label.lotCode}` : label.site ? html`<b>${words.site}</b> ${label.site}` : '';
  const footer = s.footer && opts.stamp ? html`<div class="stamp">${stampText(opts.stamp, opts.locale)}</div>` : '';
  const css = `
.label { width: ${s.w}mm; height: ${s.h}mm; padding: ${s.pad}mm; display: flex; flex-direction: column; overflow: hidden; }
.c128 { display: block; width: 100%; height: ${s.barH}mm; }
.id { font-family: 'DejaVu Sans Mono', Consolas, Menlo, monospace; font-weight: 700; font-size: ${s.idPt}pt; text-align: center; line-height: 1.15; letter-spacing: 0.04em; }
.row { display: flex; gap: ${s.pad}mm; margin-top: ${s.pad / 2}mm; min-height: 0; flex: 1; }
.dm { flex: none; width: ${s.dm}mm; height: ${s.dm}mm; }
.text { flex: 1; min-width: 0; font-size: ${s.textPt}pt; line-height: 1.2; }
.text div { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.product { font-weight: 700; }
.stamp { font-size: ${Math.max(5, s.textPt - 2)}pt; color: #333; text-align: right; }
`;
  const body = html`<div class="label" data-sample-id="${label.sampleId}">
<div>${trusted(sizedSvg(code128Svg(label.sampleId), 'c128', 'fill'))}</div>
<div class="id">${label.sampleId}</div>
<div class="row">
${trusted(sizedSvg(dataMatrixSvg(label.sampleId), 'dm', 'square'))}
<div class="text">
<div class="product">${product}</div>
<div>${where}</div>
<div>${kindName(label, opts.locale)} · ${label.date}</div>
</div>
</div>
${footer}
</div>`;
  return page({ title: label.sampleId, lang: opts.locale, widthMm: s.w, heightMm: s.h, css, body });
}
