import { defineEntity } from '../ledger/entities';

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
    ],
    json: ['affected_lots', 'follow_ups'],
  }),
} as const;
