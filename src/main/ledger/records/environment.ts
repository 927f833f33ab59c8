import { defineEntity } from '../entities';

/** Environmental monitoring alerts (migration 0007). */
export const EV = {
  alert: defineEntity({
    name: 'env_alert',
    table: 'env_alert',
    columns: [
      'code',
      'site_id',
      'sample_code',
      'result_id',
      'target',
      'zone',
      'line',
      'raised_at',
      'since_negative_at',
      'affected_lots',
      'follow_ups',
      'status',
      'closed_by',
      'closed_at',
      'close_reason',
      'closure_swabs',
    ],
    json: ['affected_lots', 'follow_ups', 'closure_swabs'],
    // Migration 0012: the negative follow-up swabs a signed closure rests on; NULL before.
    added: ['closure_swabs'],
  }),
} as const;
