/**
 * The PDF pipeline's public API (issue 7 §3), for the capabilities that print documents:
 * samples (labels), certificates of analysis, authority reports, dossiers and drill packs.
 * Templates live in ./templates, one module per document type. Other capabilities import
 * only from here (issue 21).
 */
export { DocumentsService, type DocumentSubject, type GenerateRequest, type GeneratedDocument } from './documents-service';
export type { DocumentRow } from './queries';
export type { DocumentViewer, DocumentAction } from './viewer';
export { printLabel, renderLabelHtml, LABEL_SIZES, labelSizes, sampleKindNames, type LabelData, type LabelOptions, type LabelSize } from './labels';
export { escapeHtml, html, page, trusted, unbroken, SafeHtml, CJK_FONT_STACK } from './templates/html';
export type { LedgerStamp } from './templates/label';
export { runningBand } from './templates/running';
export { type PdfPrinter, type PdfPrintOptions, pdfUnavailable } from './pdf';
export { D as documentEntities } from './entities';
