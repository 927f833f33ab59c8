/**
 * The PDF pipeline end to end with a real Chromium (LOTSEAL_CHROMIUM, else the headless shell or /usr/bin/chromium: D-124)
 * and poppler: a sample label is printed, read back as text, rendered to an image, recorded
 * in the ledger and served over the contract. One browser launch for the whole file.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppCore, type CoreLog } from '../../src/main/app/core';
import { ChromiumPdfPrinter } from '../../src/main/documents/chromium-printer';
import type { GeneratedDocument } from '../../src/main/documents/documents-service';
import { printLabel, type LabelData } from '../../src/main/documents/labels';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { passphraseProtector } from '../../src/main/ledger/keys';
import type { ChannelInput, ChannelName, ChannelOutput, Result } from '../../src/shared/contract';
import { AppErrorException } from '../../src/shared/contract/errors';
import { translate } from '../../src/shared/i18n';

const quietLog: CoreLog = { refused: () => undefined, error: () => undefined, info: () => undefined };
const SHOTS = join(__dirname, '..', '..', 'test-results', 'screenshots');
const admin = { id: 'admin', name: 'Admin 管理员' };

const label: LabelData = {
  sampleId: 'S261121-0001',
  lotCode: 'FG-20261121-01',
  kind: 'finished_release',
  date: '2026-11-21',
  productName: { zh: '婴儿配方奶粉 1段', en: 'Infant formula stage 1' },
};

function makeCore(dir: string, pdf: ChromiumPdfPrinter | undefined): AppCore {
  return new AppCore({ dataDir: dir, hostKind: 'harness', protector: passphraseProtector('test-passphrase'), host: 'test-host', log: quietLog, ...(pdf ? { pdf } : {}) });
}

async function call<K extends ChannelName>(core: AppCore, c: Connection, name: K, input: ChannelInput<K>): Promise<Result<ChannelOutput<K>>> {
  return (await core.dispatcher.call(c, name, input)) as Result<ChannelOutput<K>>;
}
async function ok<K extends ChannelName>(core: AppCore, c: Connection, name: K, input: ChannelInput<K>): Promise<ChannelOutput<K>> {
  const r = await call(core, c, name, input);
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.data;
}

/** A binary PGM (pdftoppm -gray): width, height and one byte per pixel. */
function readPgm(file: string): { w: number; h: number; px: Buffer } {
  const b = readFileSync(file);
  const m = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(b.subarray(0, 40).toString('latin1'))!;
  return { w: Number(m[1]), h: Number(m[2]), px: b.subarray(m[0].length) };
}

describe('PDF pipeline with Chromium', () => {
  let dir: string;
  let core: AppCore;
  const conn: Connection = { id: 'admin-conn', locale: 'en' };
  let first: GeneratedDocument;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lotseal-docs-'));
    core = makeCore(dir, new ChromiumPdfPrinter());
    await ok(core, conn, 'app.setup', { userId: 'admin', printedName: admin.name, password: 'admin-password-1' });
    await ok(core, conn, 'auth.signIn', { userId: 'admin', password: 'admin-password-1' });
    first = await printLabel(core.need().documents, admin, label, { size: '60x40', locale: 'zh-CN' });
  });

  afterAll(async () => {
    await core.pdf?.close?.();
    core.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the label PDF by its SHA-256, read-only', () => {
    const bytes = readFileSync(first.file);
    expect(first.file).toBe(join(dir, 'documents', `${first.sha256}.pdf`));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(first.sha256);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(first.bytes).toBe(bytes.length);
    expect(first.reprint).toBe(false);
    expect(first.fileName).toBe('label-S261121-0001.pdf');
    if (process.platform !== 'win32') expect(execFileSync('stat', ['-c', '%a', first.file]).toString().trim()).toBe('444');
  });

  it('pdftotext reads the id, the Chinese product name and the ledger head back', () => {
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', first.file, '-']).toString('utf8');
    expect(text).toContain('S261121-0001');
    expect(text.replace(/\s+/g, ' ')).toContain('婴儿配方奶粉 1段');
    expect(text).toContain('成品放行');
    expect(text).toContain('FG-20261121-01');
    expect(text).toContain(`记录 #${first.headSeq} · ${first.headHash.slice(0, 8)}`);
    const info = execFileSync('pdfinfo', [first.file]).toString();
    // 60 × 40 mm = 170.1 × 113.4 pt (Chromium rounds to whole CSS pixels).
    const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)!;
    expect(Math.abs(Number(size[1]) - 170.1)).toBeLessThan(1.5);
    expect(Math.abs(Number(size[2]) - 113.4)).toBeLessThan(1.5);
    expect(info).toMatch(/Pages:\s+1\b/);
  });

  it('renders to PNG with real Chinese glyphs, not empty boxes', () => {
    mkdirSync(SHOTS, { recursive: true });
    const work = mkdtempSync(join(tmpdir(), 'lotseal-render-'));
    try {
      execFileSync('pdftoppm', ['-png', '-r', '150', '-singlefile', first.file, join(work, 'label')]);
      const png = readFileSync(join(work, 'label.png'));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.length).toBeGreaterThan(5_000);
      copyFileSync(join(work, 'label.png'), join(SHOTS, 'label-zh-CN.png'));

      // Where pdftotext says the Chinese word is, each character cell must be inked, and the
      // cells must differ from each other: a missing font draws the same empty box for all.
      const bbox = execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', first.file, '-']).toString('utf8');
      const word = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">婴儿配方奶粉<\/word>/.exec(bbox);
      expect(word, bbox).not.toBeNull();
      execFileSync('pdftoppm', ['-gray', '-r', '150', '-singlefile', first.file, join(work, 'label')]);
      const { w, px } = readPgm(join(work, 'label.pgm'));
      const k = 150 / 72;
      const [x0, y0, x1, y1] = word!.slice(1, 5).map((v) => Number(v) * k) as [number, number, number, number];
      const cellW = (x1 - x0) / 6;
      const cells: string[] = [];
      for (let c = 0; c < 6; c++) {
        let bits = '';
        let dark = 0;
        for (let y = Math.ceil(y0); y < Math.floor(y1); y++) {
          for (let x = Math.ceil(x0 + c * cellW); x < Math.floor(x0 + (c + 1) * cellW); x++) {
            const d = px[y * w + x]! < 128;
            bits += d ? '1' : '0';
            if (d) dark++;
          }
        }
        expect(dark, `character ${c + 1} has ink`).toBeGreaterThan(10);
        cells.push(bits);
      }
      expect(new Set(cells).size, 'six different glyphs').toBe(6);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('records the document in the ledger with the PDF’s SHA-256, in the audit trail', async () => {
    const list = await ok(core, conn, 'documents.list', { subjectEntity: 'sample', subjectId: 'S261121-0001' });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: first.id, kind: 'label', sha256: first.sha256, locale: 'zh-CN', pageSize: '60x40mm', reprintOf: null, createdBy: 'admin' });
    const trail = await ok(core, conn, 'audit.query', { filter: { entity: 'document', entityId: first.id }, offset: 0, limit: 10 });
    expect(trail.entries).toHaveLength(1);
    expect(trail.entries[0]).toMatchObject({ action: 'create', actorId: 'admin' });
    const entry = await ok(core, conn, 'audit.entry', { seq: trail.entries[0]!.seq });
    expect(entry.after).toMatchObject({ sha256: first.sha256, bytes: first.bytes, head_seq: first.headSeq, subject_id: 'S261121-0001' });
    // The head printed on the label is the one before this record.
    expect(trail.entries[0]!.seq).toBe(first.headSeq + 1);
  });

  it('documents.get serves the exact bytes as base64', async () => {
    const got = await ok(core, conn, 'documents.get', { id: first.id });
    expect(got).toMatchObject({ fileName: 'label-S261121-0001.pdf', sha256: first.sha256, kind: 'label', reprint: false });
    expect(createHash('sha256').update(Buffer.from(got.base64, 'base64')).digest('hex')).toBe(first.sha256);
    const missing = await call(core, conn, 'documents.get', { id: 'no-such-document' });
    expect(missing.ok ? null : missing.error.messageKey).toBe('errors.document_not_found');
  });

  it('a second print of the same label is recorded as a reprint of the first', async () => {
    const again = await printLabel(core.need().documents, admin, label, { size: '60x40', locale: 'zh-CN' });
    expect(again).toMatchObject({ reprint: true, reprintOf: first.id, fileName: 'label-S261121-0001-reprint-1.pdf' });
    const third = await printLabel(core.need().documents, admin, { ...label }, { size: '100x50', locale: 'en' });
    expect(third).toMatchObject({ reprint: true, reprintOf: first.id, fileName: 'label-S261121-0001-reprint-2.pdf' });
    const list = await ok(core, conn, 'documents.list', { subjectEntity: 'sample', subjectId: 'S261121-0001' });
    expect(list.map((d) => d.reprintOf)).toEqual([null, first.id, first.id]);
    const trail = await ok(core, conn, 'audit.query', { filter: { entity: 'document', entityId: again.id }, offset: 0, limit: 10 });
    expect(trail.entries[0]!.reason).toBe(`reprint of ${first.id}`);
    expect((await ok(core, conn, 'documents.get', { id: again.id })).reprint).toBe(true);
    // The English 100 × 50 label, for people to look at.
    execFileSync('pdftoppm', ['-png', '-r', '150', '-singlefile', third.file, join(SHOTS, 'label-en-100x50')]);
    expect(execFileSync('pdftotext', [third.file, '-']).toString()).toContain('Infant formula stage 1');
  });

  it('a changed PDF file is reported, not served', async () => {
    const extra = await printLabel(core.need().documents, admin, { ...label, sampleId: 'S261121-0002' }, { size: '50x30', locale: 'en' });
    execFileSync('pdftoppm', ['-png', '-r', '150', '-singlefile', extra.file, join(SHOTS, 'label-en-50x30')]);
    chmodSync(extra.file, 0o644);
    writeFileSync(extra.file, Buffer.concat([readFileSync(extra.file), Buffer.from('\n%tampered\n')]));
    const r = await call(core, conn, 'documents.get', { id: extra.id });
    expect(r.ok ? null : r.error.messageKey).toBe('errors.document_altered');
  });
});

describe('without Chromium', () => {
  it('printing answers errors.pdf_unavailable (translated), not a crash', async () => {
    const printer = new ChromiumPdfPrinter({ executablePath: '/nonexistent/chromium' });
    const err = await printer.printHtml('<p>x</p>', { pageWidthMm: 50, pageHeightMm: 30 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppErrorException);
    const e = (err as AppErrorException).error;
    expect(e.messageKey).toBe('errors.pdf_unavailable');
    expect(String(e.details?.['reason'])).toContain('/nonexistent/chromium');
    expect(translate('zh-CN', e.messageKey, e.details)).toContain('无法生成 PDF');
    expect(translate('en', e.messageKey, e.details)).toContain('PDFs cannot be made');
    await printer.close();
  });

  it('a host without a printer records nothing', async () => {
    const d = mkdtempSync(join(tmpdir(), 'lotseal-docs-'));
    const core = makeCore(d, undefined);
    try {
      const c: Connection = { id: 'c', locale: 'en' };
      await ok(core, c, 'app.setup', { userId: 'admin', printedName: admin.name, password: 'admin-password-1' });
      const head = core.need().ledger.head().seq;
      const err = await printLabel(core.need().documents, admin, label, { size: '50x30', locale: 'en' }).catch((e: unknown) => e);
      expect((err as AppErrorException).error.messageKey).toBe('errors.pdf_unavailable');
      expect(core.need().ledger.head().seq).toBe(head);
    } finally {
      core.close();
      rmSync(d, { recursive: true, force: true });
    }
  });
});
