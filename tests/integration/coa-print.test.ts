import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumPdfPrinter } from '../../src/main/documents/chromium-printer';
import { createTestApp, type TestApp } from '../helpers/core';
import { stampPng } from '../helpers/png';
import {
  COA_COMPANY,
  COA_PRODUCT,
  coaLot,
  enrol,
  signIn,
  verifyLedger,
  type Member,
  type Person,
} from '../fixtures/plant';
import { type InProcessLink } from '../fixtures/plant/in-process';

/**
 * The certificate a plant hands out (issue 22 §3), made for a released lot with 80 items:
 * company header and SC number, product and registration number, every item, the three
 * signatures with printed names, local time with an honest zone label, the stamp, no internal
 * comment, several pages and no line printed over another (checked on the words' boxes from
 * `pdftotext -bbox`), and pictures of every page for a person to look at.
 */
const SHOTS = join(__dirname, '..', '..', 'test-results', 'screenshots');
const INTERNAL = '内部复核意见：批记录第7页涂改已核实，勿外传';
const RELEASE_REASON = '全项检验合格，审计追踪已审核（内部放行说明）';

const person = (userId: string, printedName: string, roles: Person['roles']): Person => ({
  userId,
  printedName,
  roles,
  password: 'initial-password-1',
  newPassword: 'user-password-01',
});

interface Word {
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every word of the PDF with its box (points), from poppler's `pdftotext -bbox`. */
function words(file: string): { pages: Array<{ width: number; height: number }>; words: Word[] } {
  const xml = execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-'], {
    maxBuffer: 256 * 1024 * 1024,
  }).toString('utf8');
  const pages: Array<{ width: number; height: number }> = [];
  const out: Word[] = [];
  for (const pm of xml.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)) {
    pages.push({ width: Number(pm[1]), height: Number(pm[2]) });
    for (const w of pm[3]!.matchAll(
      /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
    )) {
      out.push({
        page: pages.length,
        xMin: Number(w[1]),
        yMin: Number(w[2]),
        xMax: Number(w[3]),
        yMax: Number(w[4]),
        text: w[5]!,
      });
    }
  }
  return { pages, words: out };
}

const cy = (w: Word): number => (w.yMin + w.yMax) / 2;

/**
 * No word printed over another: two words overprint when their boxes overlap across and they
 * sit on (nearly) the same line. Neighbouring lines are a line height apart (about half a
 * poppler box); an overprinted word sits within a third of a box of the other's centre.
 */
function expectNoOverprint(on: Word[], where: string): void {
  for (let i = 0; i < on.length; i++)
    for (let j = i + 1; j < on.length; j++) {
      const a = on[i]!;
      const b = on[j]!;
      const ix = Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin);
      const h = Math.min(a.yMax - a.yMin, b.yMax - b.yMin);
      if (ix > 1 && Math.abs(cy(a) - cy(b)) < h / 3) expect.fail(`${where}: "${a.text}" overprints "${b.text}"`);
    }
}

describe('the certificate of analysis of a released lot with 80 items', () => {
  let app: TestApp;
  let qa: Member<InProcessLink>;
  let seed: Awaited<ReturnType<typeof coaLot>>;
  // The PDFs stay beside the pictures (test-results/, not committed) for a person to open.
  const dir = () => join(__dirname, '..', '..', 'test-results', 'coa-print');

  beforeAll(async () => {
    app = await createTestApp({ pdf: new ChromiumPdfPrinter() });
    const people = {
      qa: person('zhao.min', '赵敏', ['qa_manager']),
      prod: person('li.qiang', '李强', ['production']),
      tech: person('sun.li', '孙丽', ['technician']),
      tech2: person('ma.jun', '马俊', ['technician']),
      reviewer: person('zhou.jie', '周杰', ['reviewer']),
    };
    await enrol(app.adminMember, Object.values(people));
    const m = {
      qa: await signIn(app.host, people.qa),
      prod: await signIn(app.host, people.prod),
      tech: await signIn(app.host, people.tech),
      tech2: await signIn(app.host, people.tech2),
      reviewer: await signIn(app.host, people.reviewer),
    };
    qa = m.qa;
    seed = await coaLot({ admin: app.adminMember, ...m }, { items: 80, stamp: stampPng(160) });
    await verifyLedger(qa);
    const scope = await qa.call('disposition.auditEntries', { lotCode: seed.lot });
    await qa.call('disposition.auditReview', {
      lotCode: seed.lot,
      throughSeq: scope.headSeq,
      comment: INTERNAL,
      signature: qa.sign('audit_reviewed'),
    });
    await qa.call('disposition.decide', {
      lotCode: seed.lot,
      decision: 'release',
      reason: RELEASE_REASON,
      signature: qa.sign('released'),
    });
    mkdirSync(dir(), { recursive: true });
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(() => app.close());

  async function print(locale: 'zh-CN' | 'en'): Promise<{ file: string; text: string; layout: string }> {
    const doc = await qa.call('disposition.coa', { lotCode: seed.lot, locale });
    const file = join(dir(), `coa-80-${locale}.pdf`);
    writeFileSync(file, Buffer.from(doc.base64, 'base64'));
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8');
    const layout = execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', file, '-']).toString('utf8');
    return { file, text, layout };
  }

  it('prints the company, the product, every item, the three signatures and the zone; never an internal comment', async () => {
    const { file, text, layout } = await print('zh-CN');
    for (const s of [
      COA_COMPANY.name,
      COA_COMPANY.scNumber,
      COA_COMPANY.address,
      '食品生产许可证编号',
      COA_PRODUCT.nameZh,
      COA_PRODUCT.registrationNo,
      '产品配方注册号',
      seed.lot,
      '2028-06-30',
      'GB 10765-2021',
      'SPEC-IF-COA v1',
      '北京时间（UTC+08:00）',
      'g/100 g',
      'mg/kg',
      'kJ/100 g',
      '未检出',
    ])
      expect(text, s).toContain(s);
    // Every item, by its Chinese name (a long name may wrap in its cell: the part before any bracket).
    const flat = text.replace(/\s+/g, '');
    for (const i of seed.items) expect(flat, i.name_zh).toContain(i.name_zh.replace(/\s+/g, '').split('（')[0]!);
    // 检验 / 审核 / 批准, each on one line with the printed names (both analysts on 检验).
    const line = (role: string) => layout.split('\n').find((l) => new RegExp(`^\\s*${role}\\s`).test(l)) ?? '';
    expect(line('检验')).toMatch(/孙丽、马俊|马俊、孙丽/);
    expect(line('审核')).toContain('周杰');
    expect(line('批准')).toContain('赵敏');
    for (const role of ['检验', '审核', '批准']) expect(line(role), role).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    // Below the limit of quantification: as such, not as a number.
    const melamine = layout.split('\n').find((l) => l.includes('三聚氰胺')) ?? '';
    expect(melamine).toContain('<0.1');
    // Nothing internal, nothing dishonest.
    for (const s of [INTERNAL, '内部复核意见', RELEASE_REASON, 'GMT', '(UTC)', 'audit_reviewed'])
      expect(text, s).not.toContain(s);
    // Pictures of every page, to look at.
    execFileSync('pdftoppm', ['-png', '-r', '70', file, join(SHOTS, 'coa-80-zh-CN')]);
    expect(readdirSync(SHOTS).filter((f) => f.startsWith('coa-80-zh-CN')).length).toBeGreaterThan(1);
  });

  it('every unit prints whole on its row: "mg α-TE/100 g" never breaks at its hyphen, its spaces or its slash', async () => {
    const completeness = await qa.call('results.completeness', { lotCode: seed.lot });
    const units = new Map<string, number>();
    for (const i of completeness.items) if (i.reportUnit) units.set(i.reportUnit, (units.get(i.reportUnit) ?? 0) + 1);
    expect([...units.keys()]).toEqual(expect.arrayContaining(['mg α-TE/100 g', 'μg RE/100 g']));
    const escape = (u: string) => u.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/\s+/g, '\\s+');
    for (const locale of ['zh-CN', 'en'] as const) {
      const { layout } = await print(locale);
      // Each item's unit on one line of the printed page, as many times as items carry it.
      for (const [u, n] of units) {
        const whole = layout.split('\n').filter((l) => new RegExp(escape(u)).test(l)).length;
        expect(whole, `${locale}: "${u}" whole on ${n} row(s)`).toBeGreaterThanOrEqual(n);
      }
      const vitE = layout.split('\n').find((l) => l.includes(locale === 'en' ? 'Vitamin E' : '维生素E')) ?? '';
      expect(vitE, locale).toMatch(/mg\s+α-TE\/100\s+g/);
    }
  });

  it('runs over several pages and no line is printed over another: the footer stays below the last row of every page', async () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const { file } = await print(locale);
      const { pages, words: ws } = words(file);
      expect(pages.length, locale).toBeGreaterThan(1);
      const mm = 72 / 25.4;
      for (let p = 1; p <= pages.length; p++) {
        const on = ws.filter((w) => w.page === p);
        const { height } = pages[p - 1]!;
        // The running header and footer print in the page's top and bottom margins (16 mm);
        // the body flows between them. Each band carries the page number (第 n 页 / Page n).
        // poppler's boxes are the font's full box (for Noto CJK about 2.6 × the font size), so
        // words are placed by their vertical centre.
        const top = 16 * mm;
        const bottom = height - 16 * mm;
        const header = on.filter((w) => cy(w) < top);
        const footer = on.filter((w) => cy(w) > bottom);
        const body = on.filter((w) => cy(w) >= top && cy(w) <= bottom);
        const marker = locale === 'zh-CN' ? '页' : 'Page';
        expect(
          header.some((w) => w.text.includes(marker)),
          `${locale} page ${p}: header`,
        ).toBe(true);
        expect(
          footer.some((w) => w.text.includes(marker)),
          `${locale} page ${p}: footer`,
        ).toBe(true);
        expect(footer.map((w) => w.text).join(' '), `${locale} page ${p}: footer`).toMatch(/#\d+/);
        expect(body.length, `${locale} page ${p}: body`).toBeGreaterThan(20);
        // The last row of the page ends clearly above the footer's line.
        const footerLine = Math.min(...footer.map(cy));
        const lastRow = Math.max(...body.map(cy));
        const rowHeight = Math.max(...body.map((w) => (w.yMax - w.yMin) / 2.6));
        expect(footerLine - lastRow, `${locale} page ${p}: last row against the footer`).toBeGreaterThan(rowHeight);
        expectNoOverprint(on, `${locale} page ${p}`);
      }
      // Every item's row is somewhere in the body (the English names).
      if (locale === 'en') {
        const text = ws.map((w) => w.text).join(' ');
        for (const i of seed.items)
          expect(text.replace(/\s+/g, ''), i.name_en).toContain(i.name_en.replace(/\s+/g, '').split('(')[0]!);
        execFileSync('pdftoppm', ['-png', '-r', '70', file, join(SHOTS, 'coa-80-en')]);
      }
    }
  });

  it('the dossier prints the same way: running header and footer, names and local times, no word over another', async () => {
    const d = await qa.call('disposition.dossier', { lotCode: seed.lot, locale: 'zh-CN' });
    const file = join(dir(), 'dossier-zh-CN.pdf');
    writeFileSync(file, Buffer.from(d.base64, 'base64'));
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString('utf8');
    for (const s of ['批次档案', seed.lot, '孙丽', '周杰', '赵敏', '北京时间（UTC+08:00）', '成品', '已放行'])
      expect(text, s).toContain(s);
    expect(text).not.toContain('GMT+00:00');
    const { pages, words: ws } = words(file);
    expect(pages.length).toBeGreaterThan(1);
    for (let p = 1; p <= pages.length; p++)
      expectNoOverprint(
        ws.filter((w) => w.page === p),
        `dossier page ${p}`,
      );
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '2', file, join(SHOTS, 'dossier-zh-CN')]);
  });
});
