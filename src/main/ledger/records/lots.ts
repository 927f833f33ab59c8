import { defineEntity } from '../entities';

/** Lots and genealogy records (migration 0003). */
export const L = {
  lot: defineEntity({
    name: 'lot',
    table: 'lot',
    columns: [
      'code', 'kind', 'item_code', 'item_name', 'quantity', 'unit', 'lot_date', 'supplier_code', 'supplier_lot', 'expiry_date',
      'location', 'status', 'origin', 'receipt_id', 'batch_id',
    ],
    // A status decision is signed over what the lot is, not over its later status.
    signed: ['code', 'kind', 'item_code', 'quantity', 'unit', 'lot_date', 'supplier_code', 'supplier_lot', 'expiry_date'],
  }),
  receipt: defineEntity({
    name: 'receipt',
    table: 'receipt',
    columns: [
      'kind', 'lot_code', 'supplier_code', 'supplier_lot', 'quantity', 'unit', 'containers', 'condition', 'temperature', 'received_at',
      'vehicle', 'farms', 'compartments', 'coa_file', 'coa_sha256', 'note',
    ],
    json: ['farms', 'compartments'],
  }),
  batch: defineEntity({ name: 'batch', table: 'batch', columns: ['code', 'line', 'started_at', 'ended_at', 'status', 'note'] }),
  consumption: defineEntity({
    name: 'consumption',
    table: 'consumption',
    columns: ['input_lot', 'output_lot', 'quantity', 'unit', 'date', 'batch_id', 'origin'],
  }),
  shipment: defineEntity({
    name: 'shipment',
    table: 'shipment',
    columns: ['shipment_code', 'lot_code', 'customer_code', 'quantity', 'unit', 'date', 'origin'],
  }),
  stockMovement: defineEntity({
    name: 'stock_movement',
    table: 'stock_movement',
    columns: [
      'lot_code',
      'movement',
      'quantity',
      'unit',
      'date',
      'location',
      'reason',
      'origin',
      'customer_code',
      'shipment_id',
      'drill_id',
    ],
    // Migration 0012: a return names its customer and shipment (and recall); NULL before.
    added: ['customer_code', 'shipment_id', 'drill_id'],
  }),
  importRun: defineEntity({
    name: 'import_run',
    table: 'import_run',
    columns: ['files', 'inserted', 'unchanged', 'corrected', 'correction_reason', 'started_at', 'finished_at'],
    json: ['files', 'inserted', 'unchanged', 'corrected'],
    appendOnly: true,
  }),
  codeSequence: defineEntity({ name: 'code_sequence', table: 'code_sequence', columns: ['value'] }),
} as const;
