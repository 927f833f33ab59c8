import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumPdfPrinter } from '../../src/main/documents/chromium-printer';
import type { Connection } from '../../src/main/dispatcher/dispatcher';
import { createTestApp, type TestApp } from '../helpers/core';

describe('samples.printLabel', () => {
  let app: TestApp;
  let tech: Connection;
  const work = mkdtempSync(join(tmpdir(), 'lotseal-label-'));
  beforeAll(async () => {
    app = await createTestApp({ pdf: new ChromiumPdfPrinter() });
    const qa = await app.userWith(['qa_manager'], 'qa.sun');
    tech = await app.userWith(['technician'], 'tech.zhou');
    await app.ok(qa, 'sites.save', { fields: { code: 'Z1-FILLER-01', nameZh: '灌装机料斗内壁', nameEn: 'Filler hopper wall', kind: 'environment', zone: 1, line: 'Line 2', room: 'Filling room', active: true } });
  });
  afterAll(() => {
    app.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('prints a swab label to PDF with its id and Chinese site text, records it, and records a reprint as such', async () => {
    const reg = await app.ok(tech, 'samples.register', {
      kind: 'environmental_swab',
      siteCode: 'Z1-FILLER-01',
      samplingPoint: '料斗内壁 左上',
      targets: ['cronobacter', 'salmonella'],
      quantity: '1',
      unit: 'pcs',
      container: 'swab tube',
    });
    const code = reg.sample.code;
    const first = await app.ok(tech, 'samples.printLabel', { code, size: '60x40', locale: 'zh-CN' });
    expect(first.reprint).toBe(false);
    const pdf = join(work, 'label.pdf');
    writeFileSync(pdf, Buffer.from(first.base64, 'base64'));
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain(code);
    expect(text).toMatch(/环境|涂抹/);
    const again = await app.ok(tech, 'samples.printLabel', { code, size: '60x40', locale: 'zh-CN' });
    expect(again.reprint).toBe(true);
    const detail = await app.ok(tech, 'samples.get', { code });
    expect(detail.events.map((e) => e.event)).toEqual(expect.arrayContaining(['label_printed', 'label_reprinted']));
    const docs = app.core.need().ledger.db.prepare("SELECT sha256 FROM document WHERE subject_id = ? ORDER BY created_at").all(reg.sample.id) as Array<{ sha256: string }>;
    expect(docs.map((d) => d.sha256)).toContain(first.sha256);
  });
});
