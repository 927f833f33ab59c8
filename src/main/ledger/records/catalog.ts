import { defineEntity, type Row } from '../entities';

/** Catalogue and specification records (migration 0002). */
export const C = {
  product: defineEntity({
    name: 'product',
    table: 'product',
    columns: ['code', 'name_zh', 'name_en', 'stage', 'protein_base', 'registration_no', 'shelf_life_days', 'pack_sizes'],
    json: ['pack_sizes'],
  }),
  material: defineEntity({ name: 'material', table: 'material', columns: ['code', 'name_zh', 'name_en', 'kind', 'default_unit'] }),
  supplier: defineEntity({
    name: 'supplier',
    table: 'supplier',
    columns: ['code', 'name', 'kind', 'approval_status', 'approved_on', 'last_audit_on', 'next_audit_due', 'contact', 'phone'],
  }),
  customer: defineEntity({ name: 'customer', table: 'customer', columns: ['code', 'name', 'contact', 'phone', 'address'] }),
  method: defineEntity({
    name: 'test_method',
    table: 'test_method',
    columns: ['code', 'title_zh', 'title_en', 'analyte', 'unit', 'lod', 'loq', 'in_house'],
  }),
  specification: defineEntity({
    name: 'specification',
    table: 'specification',
    columns: ['code', 'subject_kind', 'subject_id', 'title_zh', 'title_en', 'standard'],
  }),
  specVersion: defineEntity({
    name: 'spec_version',
    table: 'spec_version',
    columns: ['spec_id', 'version', 'status', 'effective_from', 'based_on', 'source', 'change_note', 'content_hash', 'approved_at', 'superseded_at'],
    // The approval signature covers what was approved (the items, through content_hash),
    // not the workflow columns that change later (status, superseded_at).
    signed: ['spec_id', 'version', 'effective_from', 'based_on', 'content_hash'],
  }),
  specItem: defineEntity({
    name: 'spec_item',
    table: 'spec_item',
    columns: [
      'version_id', 'position', 'code', 'name_zh', 'name_en', 'item_group', 'method_code', 'unit', 'basis', 'limit_form',
      'min', 'max', 'target', 'lod', 'n', 'c', 'm', 'big_m', 'precision', 'comparison', 'required_for_release',
      'in_house_only', 'frequency', 'frequency_n', 'period_days', 'formula', 'clause', 'source', 'verification', 'note',
      'confirmed_by', 'confirmed_at', 'reporting', 'origin', 'loq',
    ],
    // Migration 0014: the reporting rule; 0018: where the value comes from; 0020: the limit of
    // quantification (docs/ledger.md §5.1).
    added: ['reporting', 'origin', 'loq'],
  }),
  /** One table of a draft confirmed against the official text at once, signed `values_confirmed` (migration 0018). */
  specTableConfirmation: defineEntity({
    name: 'spec_table_confirmation',
    table: 'spec_table_confirmation',
    columns: [
      'version_id', 'standard', 'edition', 'table_no', 'item_count', 'items', 'values_hash', 'statement', 'confirmed_by',
      'confirmed_at',
    ],
    json: ['items'],
    appendOnly: true,
  }),
  // Migration 0017: the company the documents name, and its stamp images (issue 22 §3).
  company: defineEntity({
    name: 'company_profile',
    table: 'company_profile',
    columns: ['name', 'name_en', 'sc_number', 'address', 'stamp_id', 'updated_by', 'updated_at'],
  }),
  companyStamp: defineEntity({
    name: 'company_stamp',
    table: 'company_stamp',
    columns: ['mime', 'bytes', 'sha256', 'data', 'added_by', 'added_at'],
    appendOnly: true,
  }),
  /** Migration 0019: the plant's production lines (issue 22 §1). */
  productionLine: defineEntity({
    name: 'production_line',
    table: 'production_line',
    columns: ['code', 'name_zh', 'name_en', 'site', 'active'],
  }),
} as const;

export type CatalogRow = Row;
