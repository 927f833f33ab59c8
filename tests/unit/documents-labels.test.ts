import bwipjs from 'bwip-js/node';
import { describe, expect, it } from 'vitest';
import { code128Svg, dataMatrixSvg } from '../../src/main/documents/barcodes';
import { LABEL_SIZES, labelSizes, renderLabelHtml, type LabelData } from '../../src/main/documents/labels';
import { AppErrorException } from '../../src/shared/contract/errors';

const label: LabelData = {
  sampleId: 'S261121-0001',
  lotCode: 'FG-20261121-01',
  kind: 'finished_release',
  date: '2026-11-21',
  productName: { zh: '婴儿配方奶粉 1段', en: 'Infant formula stage 1' },
};

// --- A Code 128 reader for bwip-js's SVG: bars → module widths → symbols → text. -------------
// ISO/IEC 15417 Table 1: bar/space widths of symbol values 0–106 (106 = stop, 7 elements).
const PATTERNS = (
  '212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 112232 122132 122231 113222 ' +
  '123122 123221 223211 221132 221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 212123 212321 ' +
  '232121 111323 131123 131321 112313 132113 132311 211313 231113 231311 112133 112331 132131 113123 113321 133121 ' +
  '313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 314111 221411 431111 111224 ' +
  '111422 121124 121421 141122 141221 112214 112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 ' +
  '111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 ' +
  '114311 411113 411311 113141 114131 311141 411131 211412 211214 211232 2331112'
).split(' ');

/** Bar and space widths, in modules, left to right, from the SVG's stroked lines. */
function moduleWidths(svg: string, moduleUnits: number): number[] {
  const bars: Array<[number, number]> = [];
  for (const p of svg.matchAll(/<path stroke="#000000" stroke-width="([\d.]+)" d="([^"]+)"/g)) {
    const w = Number(p[1]);
    for (const m of p[2]!.matchAll(/M([\d.]+) [\d.]+L[\d.]+ [\d.]+/g)) bars.push([Number(m[1]) - w / 2, Number(m[1]) + w / 2]);
  }
  bars.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  bars.forEach(([l, r], i) => {
    if (i > 0) out.push(Math.round((l - bars[i - 1]![1]) / moduleUnits));
    out.push(Math.round((r - l) / moduleUnits));
  });
  return out;
}

function decodeCode128(widths: number[]): string {
  const values: number[] = [];
  for (let i = 0; i < widths.length; i += 6) {
    const chunk = widths.slice(i, i + (widths.length - i === 7 ? 7 : 6)).join('');
    const v = PATTERNS.indexOf(chunk);
    if (v < 0) throw new Error(`not a Code 128 symbol: ${chunk}`);
    values.push(v);
    if (v === 106) break;
  }
  expect(values.at(-1), 'stop').toBe(106);
  const [start, ...rest] = values;
  const data = rest.slice(0, -2);
  const check = rest.at(-2)!;
  expect(data.reduce((s, v, i) => s + v * (i + 1), start!) % 103, 'check symbol').toBe(check);
  let set = start === 103 ? 'A' : start === 104 ? 'B' : 'C';
  let text = '';
  for (const v of data) {
    if (set === 'C') {
      if (v < 100) text += String(v).padStart(2, '0');
      else set = v === 100 ? 'B' : 'A';
    } else if (v === 99) set = 'C';
    else if (v === 100 && set === 'A') set = 'B';
    else if (v === 101 && set === 'B') set = 'A';
    else if (v < 96) text += set === 'B' ? String.fromCharCode(v + 32) : String.fromCharCode(v < 64 ? v + 32 : v - 64);
    else throw new Error(`unexpected function symbol ${v}`);
  }
  return text;
}

describe('label barcodes', () => {
  for (const id of ['S261121-0001', 'S261121-0002', 'RET-2026/07-a', 'W9']) {
    it(`the Code 128 on the label decodes back to ${id}`, () => {
      // CODE128_OPTIONS.scale = 2: one module is 2 SVG units.
      expect(decodeCode128(moduleWidths(code128Svg(id), 2))).toBe(id);
    });
  }

  it('matches the reference encoding by bwip-js with fixed options', () => {
    expect(code128Svg('S261121-0001')).toBe(bwipjs.toSVG({ bcid: 'code128', text: 'S261121-0001', scale: 2, height: 10, paddingwidth: 10, paddingheight: 0 }));
    expect(dataMatrixSvg('S261121-0001')).toBe(bwipjs.toSVG({ bcid: 'datamatrix', text: 'S261121-0001', scale: 2, paddingwidth: 0, paddingheight: 0 }));
  });

  it('keeps a quiet zone of 10 modules on each side of the Code 128', () => {
    const svg = code128Svg('S261121-0001');
    const width = Number(/viewBox="0 0 (\d+) /.exec(svg)![1]);
    const xs = [...svg.matchAll(/stroke-width="([\d.]+)" d="([^"]+)"/g)].flatMap((p) =>
      [...p[2]!.matchAll(/M([\d.]+) /g)].map((m) => [Number(m[1]) - Number(p[1]) / 2, Number(m[1]) + Number(p[1]) / 2] as const),
    );
    expect(Math.min(...xs.map((x) => x[0]))).toBe(20);
    expect(width - Math.max(...xs.map((x) => x[1]))).toBe(20);
  });

  it('different ids give different symbols', () => {
    expect(code128Svg('S261121-0001')).not.toBe(code128Svg('S261121-0002'));
    expect(dataMatrixSvg('S261121-0001')).not.toBe(dataMatrixSvg('S261121-0002'));
  });

  it('the DataMatrix is a square ECC 200 symbol of the expected size (14×14 for this id)', () => {
    const svg = dataMatrixSvg('S261121-0001');
    const box = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)!;
    expect(box[1]).toBe(box[2]);
    // bwip-js draws DataMatrix modules 2 units × scale 2; 12 characters (digit pairs packed) fit 14×14.
    expect(Number(box[1]) / 4).toBe(14);
  });

  it('refuses text that cannot be a label barcode, with a translated message', () => {
    for (const bad of ['', ' S1', '样品1', 'S1\n', 'x'.repeat(49)]) {
      try {
        code128Svg(bad);
        expect.unreachable(bad);
      } catch (e) {
        expect(e).toBeInstanceOf(AppErrorException);
        expect((e as AppErrorException).error.messageKey).toBe('errors.barcode_text');
      }
    }
  });
});

describe('renderLabelHtml', () => {
  it('shows the id as text and carries both barcodes, in every size', () => {
    for (const size of labelSizes) {
      const h = renderLabelHtml(label, { size, locale: 'zh-CN' });
      expect(h).toContain('<div class="id">S261121-0001</div>');
      expect(h).toContain(code128Svg('S261121-0001').slice(5, 200));
      expect(h).toContain(dataMatrixSvg('S261121-0001').slice(5, 200));
      expect(h).toContain(`size: ${LABEL_SIZES[size].w}mm ${LABEL_SIZES[size].h}mm`);
    }
  });

  it('zh-CN: Chinese product name, kind and words; en: the English ones', () => {
    const zh = renderLabelHtml(label, { size: '60x40', locale: 'zh-CN' });
    expect(zh).toContain('婴儿配方奶粉 1段');
    expect(zh).toContain('成品放行 · 2026-11-21');
    expect(zh).toContain('<b>批号</b> FG-20261121-01');
    const en = renderLabelHtml(label, { size: '60x40', locale: 'en' });
    expect(en).toContain('Infant formula stage 1');
    expect(en).toContain('Finished-lot release · 2026-11-21');
    expect(en).toContain('<b>Lot</b> FG-20261121-01');
  });

  it('falls back to the other language, a site without a lot, and a caller-translated kind', () => {
    const h = renderLabelHtml(
      { ...label, lotCode: null, site: 'Z1-L2-07', productName: { zh: '乳清粉', en: null }, kind: 'custom', kindLabel: 'Special' },
      { size: '50x30', locale: 'en' },
    );
    expect(h).toContain('乳清粉');
    expect(h).toContain('<b>Site</b> Z1-L2-07');
    expect(h).toContain('Special · 2026-11-21');
  });

  it('prints the ledger head where there is room (not on 50×30)', () => {
    const stamp = { seq: 1234, hash: 'abcd1234ef567890'.padEnd(64, '0') };
    expect(renderLabelHtml(label, { size: '60x40', locale: 'en', stamp })).toContain('Ledger #1234 · abcd1234');
    expect(renderLabelHtml(label, { size: '100x50', locale: 'zh-CN', stamp })).toContain('记录 #1234 · abcd1234');
    expect(renderLabelHtml(label, { size: '50x30', locale: 'en', stamp })).not.toContain('#1234');
  });

  it('typed text cannot become markup', () => {
    const h = renderLabelHtml({ ...label, lotCode: '<img src=x onerror=alert(1)>', productName: { zh: '</div><script>x()</script>', en: null } }, { size: '60x40', locale: 'zh-CN' });
    expect(h).not.toContain('<img');
    expect(h).not.toContain('<script>');
    expect(h).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('is pure: the same input gives the same HTML', () => {
    expect(renderLabelHtml(label, { size: '100x50', locale: 'en' })).toBe(renderLabelHtml(label, { size: '100x50', locale: 'en' }));
  });
});
