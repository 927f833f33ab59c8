import { defineEntity } from '../entities';

/**
 * Generated documents (migration 0005). One row per print: the PDF's SHA-256 binds the
 * record to the exact bytes kept in `<data>/documents/<sha256>.pdf`; the ledger head at
 * generation is the one printed on the document (issue 3 §4), so a paper copy can be tied
 * back to the audit trail. Rows never change: a reprint is a new row pointing at the first.
 */
export const D = {
  document: defineEntity({
    name: 'document',
    table: 'document',
    columns: [
      'kind', 'subject_entity', 'subject_id', 'locale', 'file_name', 'sha256', 'bytes', 'page_size', 'head_seq', 'head_hash',
      'reprint_of', 'created_by', 'created_at',
    ],
    appendOnly: true,
  }),
} as const;
