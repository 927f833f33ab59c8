import type { Locale } from '../../shared/i18n';
import type { Actor } from '../ledger/ledger';
import type { DocumentSubject, DocumentsService, GeneratedDocument } from './documents-service';
import { LABEL_SIZES, labelTemplate, type LabelData, type LabelSize, type LedgerStamp } from './templates/label';

export { LABEL_SIZES, labelSizes, sampleKindNames, type LabelData, type LabelSize } from './templates/label';

export interface LabelOptions {
  size: LabelSize;
  locale: Locale;
  /** Print "Ledger #N · abcd1234" where the label has room (60×40 and larger). */
  stamp?: LedgerStamp | null;
}

/** A sample label as HTML: pure, the same input gives the same page. */
export function renderLabelHtml(label: LabelData, opts: LabelOptions): string {
  return labelTemplate(label, opts);
}

/**
 * Prints a sample label to PDF and records it (a reprint when this sample already has a
 * label). For the samples capability's `samples.printLabel`: call it with the sample's
 * fields; `subject` defaults to { entity: 'sample', id: label.sampleId }.
 */
export function printLabel(
  docs: DocumentsService,
  actor: Actor,
  label: LabelData,
  opts: { size: LabelSize; locale: Locale; subject?: DocumentSubject; withStamp?: boolean },
): Promise<GeneratedDocument> {
  const s = LABEL_SIZES[opts.size];
  return docs.generate(actor, {
    kind: 'label',
    subject: opts.subject ?? { entity: 'sample', id: label.sampleId },
    locale: opts.locale,
    html: (stamp) => renderLabelHtml(label, { size: opts.size, locale: opts.locale, stamp: opts.withStamp === false ? null : stamp }),
    size: { pageWidthMm: s.w, pageHeightMm: s.h, marginsMm: 0 },
    fileName: `label-${label.sampleId}`,
  });
}
