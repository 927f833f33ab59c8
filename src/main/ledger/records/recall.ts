import { defineEntity } from '../entities';

/** Recall drills and recalls (migration 0010). */
export const RC = {
  drill: defineEntity({
    name: 'recall_drill',
    table: 'recall_drill',
    columns: [
      'code',
      'mode',
      'root_lot',
      'direction',
      'selection',
      'selection_criteria',
      'reason',
      'started_at',
      'started_by',
      'target_minutes',
      'tolerance_min',
      'tolerance_max',
      'status',
      'completed_at',
      'completed_by',
      'elapsed_ms',
      'accounted_pct',
      'result',
      'plan_id',
    ],
    json: ['selection_criteria', 'result'],
    // `drill_completed` covers what the drill found and concluded.
    signed: [
      'code',
      'mode',
      'root_lot',
      'direction',
      'started_at',
      'completed_at',
      'elapsed_ms',
      'accounted_pct',
      'result',
    ],
  }),
  step: defineEntity({
    name: 'drill_step',
    table: 'drill_step',
    columns: ['drill_id', 'step', 'done_at', 'done_by', 'summary'],
    json: ['summary'],
    appendOnly: true,
  }),
  finding: defineEntity({
    name: 'drill_finding',
    table: 'drill_finding',
    columns: ['drill_id', 'kind', 'ref', 'detail', 'explanation'],
  }),
  plan: defineEntity({
    name: 'drill_plan',
    table: 'drill_plan',
    columns: ['year', 'product_group', 'direction', 'due_on', 'drill_id'],
  }),
  contact: defineEntity({
    name: 'recall_contact',
    table: 'recall_contact',
    columns: ['drill_id', 'customer_code', 'at', 'by_user', 'channel', 'outcome', 'note'],
    appendOnly: true,
  }),
} as const;
