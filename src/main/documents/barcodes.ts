import bwipjs from 'bwip-js/node';
import { fail } from '../../shared/contract/errors';

/**
 * Sample and lot ids as barcodes, drawn by bwip-js (BWIPP) as SVG: vector bars stay crisp on
 * a 203 dpi label printer and in a PDF at any zoom, and need no canvas. The options are fixed
 * here, once, so a reprint years later draws exactly the same symbol (and the unit tests can
 * compare against a reference encoding).
 *
 * The human-readable text is NOT drawn by bwip-js (it would be outlines, invisible to
 * pdftotext and to a person searching the PDF): templates print the id as text.
 */
/**
 * Code 128 with its quiet zones inside the symbol (paddingwidth 10 at scale 2 = 10 modules
 * each side, the minimum of ISO/IEC 15417): templates stretch the SVG to the label's width,
 * and the quiet zones scale with the bars, so no layout can crowd them out.
 */
export const CODE128_OPTIONS = { bcid: 'code128', scale: 2, height: 10, paddingwidth: 10, paddingheight: 0 } as const;
/** ECC 200, square symbols; bwip-js picks the smallest size that holds the text. */
export const DATAMATRIX_OPTIONS = { bcid: 'datamatrix', scale: 2, paddingwidth: 0, paddingheight: 0 } as const;

/**
 * What a label barcode may carry: printable ASCII (Code 128 sets A/B/C), no leading or
 * trailing space, at most 48 characters (longer ids would be too dense for a 50 mm label).
 */
const BARCODE_TEXT = /^[\x21-\x7E](?:[\x20-\x7E]{0,46}[\x21-\x7E])?$/;

export function checkBarcodeText(text: string): string {
  if (!BARCODE_TEXT.test(text)) fail('invalid_input', { field: 'id', value: text.slice(0, 60) }, 'errors.barcode_text');
  return text;
}

export function code128Svg(text: string): string {
  return bwipjs.toSVG({ ...CODE128_OPTIONS, text: checkBarcodeText(text) });
}

export function dataMatrixSvg(text: string): string {
  return bwipjs.toSVG({ ...DATAMATRIX_OPTIONS, text: checkBarcodeText(text) });
}

/**
 * Sizes an SVG from bwip-js for a box in the page: `fill` stretches a linear barcode to the
 * box (every bar scales by the same factor, so the bar/space ratios stay exact); square
 * symbols keep their aspect ratio.
 */
export function sizedSvg(svg: string, cls: string, fit: 'fill' | 'square'): string {
  if (!svg.startsWith('<svg ')) throw new Error('bwip-js returned something other than an SVG');
  const par = fit === 'fill' ? 'none' : 'xMidYMid meet';
  return svg.replace('<svg ', `<svg class="${cls}" preserveAspectRatio="${par}" shape-rendering="crispEdges" role="img" `);
}
