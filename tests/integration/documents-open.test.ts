/**
 * documents.open (issue 24 §2, D-041): one channel hands a stored document — never a path
 * from the caller — to the host's viewer, to open or to print. The file is checked against
 * its record first (an altered file is refused and the viewer never sees it); a preview (the
 * lot dossier) opens from previews/<sha256>.pdf while this session keeps it; a host without a
 * viewer (the browser harness) answers errors.viewer_unavailable.
 *
 * The viewer here records what it was given and can be told to fail: it stands in for the
 * operating system's PDF application, which is what the desktop shell's viewer calls
 * (src/main/electron/document-viewer.ts; tests/integration/desktop-shell.test.ts drives that one).
 */
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumPdfPrinter } from '../../src/main/documents/chromium-printer';
import type { DocumentViewer } from '../../src/main/documents/viewer';
import { createTestApp, type TestApp } from '../helpers/core';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

class RecordingViewer implements DocumentViewer {
  calls: Array<{ action: 'open' | 'print'; file: string; sha256: string }> = [];
  failWith: string | null = null;
  private take(action: 'open' | 'print', file: string): Promise<void> {
    if (this.failWith) return Promise.reject(new Error(this.failWith));
    this.calls.push({ action, file, sha256: sha(readFileSync(file)) });
    return Promise.resolve();
  }
  open(file: string): Promise<void> {
    return this.take('open', file);
  }
  print(file: string): Promise<void> {
    return this.take('print', file);
  }
}

const admin = { id: 'admin', name: 'Admin' };
const page = (text: string) => `<!doctype html><html><body><p>${text}</p></body></html>`;
const A6 = { pageWidthMm: 105, pageHeightMm: 148 };

describe('documents.open', () => {
  let app: TestApp;
  let harness: TestApp;
  const viewer = new RecordingViewer();
  const pdf = new ChromiumPdfPrinter();

  beforeAll(async () => {
    app = await createTestApp({ pdf, viewer });
    harness = await createTestApp();
  });
  afterAll(() => {
    app.close();
    harness.close();
  });

  it('opens and prints the stored, checked file of a document record', async () => {
    const doc = await app.core.need().documents.generate(admin, {
      kind: 'label',
      subject: { entity: 'sample', id: 'S-1' },
      locale: 'en',
      html: page('label one'),
      size: A6,
    });
    await expect(
      app.ok(app.admin, 'documents.open', { ref: { kind: 'document', id: doc.id }, action: 'open' }),
    ).resolves.toEqual({ ok: true, action: 'open' });
    await app.ok(app.admin, 'documents.open', { ref: { kind: 'document', id: doc.id }, action: 'print' });
    expect(viewer.calls).toEqual([
      { action: 'open', file: join(app.dir, 'documents', `${doc.sha256}.pdf`), sha256: doc.sha256 },
      { action: 'print', file: join(app.dir, 'documents', `${doc.sha256}.pdf`), sha256: doc.sha256 },
    ]);
  });

  it('refuses a stored file that no longer matches its record; the viewer never sees it', async () => {
    const doc = await app.core.need().documents.generate(admin, {
      kind: 'label',
      subject: { entity: 'sample', id: 'S-2' },
      locale: 'en',
      html: page('label two'),
      size: A6,
    });
    const file = join(app.dir, 'documents', `${doc.sha256}.pdf`);
    chmodSync(file, 0o644);
    writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from('%tampered')]));
    viewer.calls = [];
    const r = await app.call(app.admin, 'documents.open', { ref: { kind: 'document', id: doc.id }, action: 'open' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.messageKey).toBe('errors.document_altered');
    expect(viewer.calls).toEqual([]);
  });

  it('opens a preview made in this session, and says when it is gone', async () => {
    const p = await app.core.need().documents.preview(() => page('dossier'), A6);
    viewer.calls = [];
    await app.ok(app.admin, 'documents.open', { ref: { kind: 'preview', sha256: p.sha256 }, action: 'open' });
    expect(viewer.calls).toEqual([
      { action: 'open', file: join(app.dir, 'previews', `${p.sha256}.pdf`), sha256: p.sha256 },
    ]);
    const gone = await app.call(app.admin, 'documents.open', {
      ref: { kind: 'preview', sha256: 'a'.repeat(64) },
      action: 'open',
    });
    expect(gone.ok).toBe(false);
    if (!gone.ok) expect(gone.error.messageKey).toBe('errors.preview_expired');
    // Input is checked: no paths, no other kinds.
    const bad = await app.call(app.admin, 'documents.open', {
      ref: { kind: 'preview', sha256: '../../keys/x' },
      action: 'open',
    } as never);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('invalid_input');
  });

  it('reports a viewer that fails, in the user language', async () => {
    const doc = await app.core.need().documents.generate(admin, {
      kind: 'coa',
      subject: { entity: 'lot', id: 'L-1' },
      locale: 'en',
      html: page('coa'),
      size: A6,
    });
    viewer.failWith = 'No application is associated with the specified file';
    try {
      const r = await app.call(app.admin, 'documents.open', { ref: { kind: 'document', id: doc.id }, action: 'print' });
      expect(r.ok).toBe(false);
      if (!r.ok)
        expect(r.error).toMatchObject({
          code: 'conflict',
          messageKey: 'errors.viewer_failed',
          details: { action: 'print', reason: 'No application is associated with the specified file' },
        });
    } finally {
      viewer.failWith = null;
    }
  });

  it('the browser harness has no viewer: errors.viewer_unavailable (its PDFs open in a tab)', async () => {
    const r = await harness.call(harness.admin, 'documents.open', {
      ref: { kind: 'document', id: 'whatever' },
      action: 'open',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.messageKey).toBe('errors.viewer_unavailable');
  });
});
