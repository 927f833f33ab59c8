import { defineEntity } from '../entities';

/** Lot disposition (migration 0009). */
export const DP = {
  auditReview: defineEntity({
    name: 'lot_audit_review',
    table: 'lot_audit_review',
    columns: ['lot_code', 'through_seq', 'entries', 'comment', 'reviewed_by', 'reviewed_at', 'summary_hash', 'summary_counts'],
    // Migration 0018: the exception summary the reviewer read (docs/ledger.md §5.1).
    added: ['summary_hash', 'summary_counts'],
    json: ['summary_counts'],
    appendOnly: true,
  }),
} as const;
