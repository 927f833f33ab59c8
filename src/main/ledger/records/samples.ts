import { defineEntity } from '../entities';

/** Samples, custody events and sampling sites (migration 0004). */
export const S = {
  sample: defineEntity({
    name: 'sample',
    table: 'sample',
    columns: [
      'code', 'kind', 'lot_code', 'site_id', 'sampling_point', 'targets', 'taken_by', 'taken_at', 'received_by', 'received_at',
      'condition_on_receipt', 'temperature', 'quantity', 'unit', 'container', 'storage_location', 'spec_version_id', 'status',
      'cancel_reason', 'parent_sample_id', 'unit_no', 'keep_until', 'disposed_at', 'note',
    ],
    // A disposal signature (`disposed`) covers what the retention sample is, not its later
    // storage moves: identity, lot, quantity, keep-until and the disposal time.
    signed: ['code', 'kind', 'lot_code', 'quantity', 'unit', 'container', 'keep_until', 'disposed_at'],
  }),
  sampleEvent: defineEntity({
    name: 'sample_event',
    table: 'sample_event',
    columns: ['sample_id', 'event', 'at', 'by_user', 'location', 'detail'],
    appendOnly: true,
  }),
  site: defineEntity({
    name: 'sampling_site',
    table: 'sampling_site',
    columns: ['code', 'name_zh', 'name_en', 'kind', 'zone', 'line', 'room', 'active'],
  }),
  siteSchedule: defineEntity({
    name: 'site_schedule',
    table: 'site_schedule',
    columns: ['site_id', 'frequency_days', 'next_due', 'targets', 'active'],
  }),
} as const;
