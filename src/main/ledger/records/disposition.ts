import { defineEntity } from '../entities';

/** Lot disposition (migration 0009). */
export const DP = {
  auditReview: defineEntity({
    name: 'lot_audit_review',
    table: 'lot_audit_review',
    columns: ['lot_code', 'through_seq', 'entries', 'comment', 'reviewed_by', 'reviewed_at'],
    appendOnly: true,
  }),
} as const;
