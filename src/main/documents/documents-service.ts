import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DocumentKind, DocumentView } from '../../shared/contract/channels/documents';
import type { DocumentAction, DocumentViewer } from './viewer';
import { fail } from '../../shared/contract/errors';
import type { Locale } from '../../shared/i18n';
import type { Actor, Ledger } from '../ledger/ledger';
import { D } from './entities';
import { MAX_PDF_BYTES, pdfUnavailable, type PdfPrinter, type PdfPrintOptions } from './pdf';
import { asDocument, documentQueries, type DocumentQueries, type DocumentRow } from './queries';
import type { LedgerStamp } from './templates/label';

export interface DocumentSubject {
  /** Entity name as in the audit trail ('sample', 'lot' …). */
  entity: string;
  id: string;
}

export interface GenerateRequest {
  kind: DocumentKind;
  subject: DocumentSubject;
  locale: Locale;
  /**
   * The document. A function receives the ledger head at generation, to print it in the
   * footer ("Ledger #N · abcd1234", issue 3 §4); the same head is recorded with the document.
   */
  html: string | ((stamp: LedgerStamp) => string);
  size: PdfPrintOptions;
  /**
   * The running header and footer of every page (Chromium templates, printed in the page
   * margins, so they never overprint the body), given the same ledger head as the body.
   */
  running?: (stamp: LedgerStamp) => { headerHtml?: string; footerHtml?: string };
  /** Download name (without folders); `<kind>-<subject id>.pdf` by default. */
  fileName?: string;
}

export interface GeneratedDocument {
  id: string;
  sha256: string;
  /** Absolute path of the stored PDF (content-addressed, read-only). */
  file: string;
  fileName: string;
  bytes: number;
  reprint: boolean;
  /** The first print of this subject and kind, when this one is a reprint. */
  reprintOf: string | null;
  headSeq: number;
  headHash: string;
}

function sha256Hex(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/** A file name that is safe on Windows, macOS and Linux and in a Content-Disposition header. */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 120);
  return (cleaned || 'document').replace(/(\.pdf)?$/i, '.pdf');
}

/**
 * Generated documents: prints HTML to PDF through the host's printer, keeps the bytes as
 * `documents/<sha256>.pdf` in the data folder, and records the generation in the ledger
 * (who, when, which subject, the SHA-256, the ledger head printed on it). A second print of
 * the same subject and kind is recorded as a reprint of the first.
 *
 * The PDF is written before the record: a refused write (e.g. during an ERP import) leaves
 * an unreferenced file, never a record without its file.
 */
export class DocumentsService {
  /** PDFs shown but not issued (the dossier), by SHA-256, so the viewer can open them. Newest last. */
  private readonly previews = new Map<string, Buffer>();
  readonly previewsDir: string;
  private readonly q: DocumentQueries;

  constructor(
    private readonly ledger: Ledger,
    readonly dir: string,
    private readonly printer: PdfPrinter | null,
    previewsDir?: string,
  ) {
    this.previewsDir = previewsDir ?? join(dirname(dir), 'previews');
    this.q = documentQueries(ledger.db);
    this.clearPreviewFiles();
  }

  get canPrint(): boolean {
    return this.printer !== null;
  }

  async generate(actor: Actor, req: GenerateRequest): Promise<GeneratedDocument> {
    if (!this.printer) throw pdfUnavailable('no PDF printer is configured on this host');
    const head = this.ledger.head();
    const stamp: LedgerStamp = { seq: head.seq, hash: head.hash };
    const html = typeof req.html === 'function' ? req.html(stamp) : req.html;
    const pdf = await this.printer.printHtml(html, { ...req.size, ...(req.running ? req.running(stamp) : {}) });
    const sha256 = sha256Hex(pdf);
    const file = this.store(sha256, pdf);
    const pageSize = `${req.size.pageWidthMm}x${req.size.pageHeightMm}mm${req.size.landscape ? ' landscape' : ''}`;
    const row = this.ledger.write(actor, (w) => {
      // Inside the write transaction (BEGIN IMMEDIATE): two prints at once cannot both be "first".
      const prior = this.q.printsOf(req.subject.entity, req.subject.id, req.kind);
      const first = prior[0] ?? null;
      const base = safeFileName(req.fileName ?? `${req.kind}-${req.subject.id}`).replace(/\.pdf$/, '');
      const fileName = first ? `${base}-reprint-${prior.length}.pdf` : `${base}.pdf`;
      const created = w.create(
        D.document,
        {
          kind: req.kind,
          subject_entity: req.subject.entity,
          subject_id: req.subject.id,
          locale: req.locale,
          file_name: fileName,
          sha256,
          bytes: pdf.length,
          page_size: pageSize,
          head_seq: head.seq,
          head_hash: head.hash,
          reprint_of: first,
          created_by: actor.id,
          created_at: w.at,
        },
        first ? { reason: `reprint of ${first}` } : {},
      );
      return asDocument(created);
    });
    return {
      id: row.id,
      sha256,
      file,
      fileName: row.file_name,
      bytes: pdf.length,
      reprint: row.reprint_of !== null,
      reprintOf: row.reprint_of ?? null,
      headSeq: head.seq,
      headHash: head.hash,
    };
  }

  /**
   * A PDF that is shown, not issued (the lot dossier an inspector reads on site): printed
   * with the ledger head in its footer, never stored or recorded, so reading changes nothing.
   */
  async preview(
    html: (stamp: LedgerStamp) => string,
    size: PdfPrintOptions,
    running?: GenerateRequest['running'],
  ): Promise<{ pdf: Buffer; sha256: string }> {
    if (!this.printer) throw pdfUnavailable('no PDF printer is configured on this host');
    const head = this.ledger.head();
    const stamp: LedgerStamp = { seq: head.seq, hash: head.hash };
    const pdf = await this.printer.printHtml(html(stamp), { ...size, ...(running ? running(stamp) : {}) });
    const sha256 = sha256Hex(pdf);
    this.rememberPreview(sha256, pdf);
    return { pdf, sha256 };
  }

  /** The last few previews stay openable in the system viewer (bounded: 8 files, 64 MB). */
  private rememberPreview(sha256: string, pdf: Buffer): void {
    this.previews.delete(sha256);
    this.previews.set(sha256, pdf);
    let total = 0;
    for (const b of this.previews.values()) total += b.length;
    for (const [k, b] of this.previews) {
      if (this.previews.size <= 8 && total <= 64 * 1024 * 1024) break;
      this.previews.delete(k);
      total -= b.length;
    }
  }

  /**
   * The file a viewer may open for a document record (checked against its recorded SHA-256,
   * as get() does) or for a preview this host made in this session (written to
   * previews/<sha256>.pdf on demand). Never a path given by the caller.
   */
  openableFile(ref: { kind: 'document'; id: string } | { kind: 'preview'; sha256: string }): string {
    if (ref.kind === 'document') {
      const { row } = this.get(ref.id);
      return join(this.dir, `${row.sha256}.pdf`);
    }
    const pdf = this.previews.get(ref.sha256);
    if (!pdf || sha256Hex(pdf) !== ref.sha256) fail('not_found', { entity: 'preview', id: ref.sha256 }, 'errors.preview_expired');
    mkdirSync(this.previewsDir, { recursive: true });
    const file = join(this.previewsDir, `${ref.sha256}.pdf`);
    if (!existsSync(file) || sha256Hex(readFileSync(file)) !== ref.sha256) {
      rmSync(file, { force: true });
      writeFileSync(file, pdf, { mode: 0o444, flush: true });
    }
    return file;
  }

  /** Previews of an earlier session are not kept (one held open by a viewer stays until closed). */
  private clearPreviewFiles(): void {
    if (!existsSync(this.previewsDir)) return;
    for (const f of readdirSync(this.previewsDir)) {
      try {
        rmSync(join(this.previewsDir, f), { force: true });
      } catch {
        // Windows: still open in a PDF viewer; removed next time.
      }
    }
  }

  /** Content-addressed: the same bytes are stored once; the file is read-only. */
  private store(sha256: string, pdf: Buffer): string {
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, `${sha256}.pdf`);
    if (existsSync(file) && sha256Hex(readFileSync(file)) === sha256) return file;
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      writeFileSync(tmp, pdf, { mode: 0o444, flush: true });
      renameSync(tmp, file);
    } finally {
      rmSync(tmp, { force: true });
    }
    return file;
  }

  record(id: string): DocumentRow {
    const row = this.ledger.get(D.document, id);
    if (!row) fail('not_found', { entity: 'document', id }, 'errors.document_not_found');
    return asDocument(row);
  }

  /**
   * The stored PDF of a record, checked against the SHA-256 recorded when it was made: a
   * changed or missing file is reported, never served as if it were the original.
   */
  get(id: string): { row: DocumentRow; pdf: Buffer } {
    const row = this.record(id);
    const file = join(this.dir, `${row.sha256}.pdf`);
    if (!existsSync(file)) fail('not_found', { entity: 'document', id, file }, 'errors.document_file_missing');
    const pdf = readFileSync(file);
    if (pdf.length > MAX_PDF_BYTES) fail('invalid_input', { id, bytes: pdf.length }, 'errors.document_too_large');
    if (sha256Hex(pdf) !== row.sha256) fail('conflict', { entity: 'document', id, file }, 'errors.document_altered');
    return { row, pdf };
  }

  /** A recorded document with its checked bytes, as the screens download it. */
  download(id: string): { id: string; fileName: string; base64: string; sha256: string; kind: string; reprint: boolean } {
    const { row, pdf } = this.get(id);
    const view = documentView(row);
    return { id: view.id, fileName: view.fileName, base64: pdf.toString('base64'), sha256: view.sha256, kind: view.kind, reprint: view.reprintOf !== null };
  }

  /**
   * Shows or prints a document or preview in the host's viewer (D-041); refused on a host
   * without one and when the viewer declines. Returns the file it handed over.
   */
  async openIn(
    viewer: DocumentViewer | null,
    ref: { kind: 'document'; id: string } | { kind: 'preview'; sha256: string },
    action: DocumentAction,
  ): Promise<string> {
    if (!viewer) fail('conflict', { action }, 'errors.viewer_unavailable');
    const file = this.openableFile(ref);
    try {
      await (action === 'print' ? viewer.print(file) : viewer.open(file));
    } catch (e) {
      fail('conflict', { action, reason: e instanceof Error ? e.message : String(e) }, 'errors.viewer_failed');
    }
    return file;
  }

  list(subjectEntity: string, subjectId: string): DocumentView[] {
    return this.q.ofSubject(subjectEntity, subjectId).map(documentView);
  }
}

export function documentView(r: DocumentRow): DocumentView {
  return {
    id: r.id,
    kind: r.kind,
    subjectEntity: r.subject_entity,
    subjectId: r.subject_id,
    locale: r.locale,
    fileName: r.file_name,
    sha256: r.sha256,
    bytes: r.bytes,
    pageSize: r.page_size,
    headSeq: r.head_seq,
    headHash: r.head_hash,
    reprintOf: r.reprint_of ?? null,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
