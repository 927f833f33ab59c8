import { defineEntity } from '../entities';

/** Declared label values and retention-sample evidence (migration 0015). */
export const RE = {
  labelValue: defineEntity({
    name: 'label_value',
    table: 'label_value',
    columns: [
      'product_code',
      'item_code',
      'declared',
      'unit',
      'basis',
      'rule',
      'rule_source',
      'rule_verification',
      'confirmed_by',
      'confirmed_at',
      'confirm_reference',
      'note',
    ],
    json: ['rule'],
  }),
  retentionProfile: defineEntity({
    name: 'retention_profile',
    table: 'retention_profile',
    columns: ['product_code', 'required_quantity', 'unit', 'basis_note', 'storage_conditions', 'observation_days'],
    json: ['observation_days'],
  }),
  withdrawal: defineEntity({
    name: 'retention_withdrawal',
    table: 'retention_withdrawal',
    columns: [
      'sample_id',
      'sample_code',
      'lot_code',
      'quantity',
      'unit',
      'purpose',
      'reason',
      'spot_check_code',
      'withdrawn_by',
      'withdrawn_at',
    ],
    appendOnly: true,
  }),
  observation: defineEntity({
    name: 'retention_observation',
    table: 'retention_observation',
    columns: [
      'sample_id',
      'sample_code',
      'lot_code',
      'due_on',
      'observed_on',
      'outcome',
      'findings',
      'storage_observed',
      'observed_by',
      'observed_at',
    ],
    appendOnly: true,
  }),
} as const;
