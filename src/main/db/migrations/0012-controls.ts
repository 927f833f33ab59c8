/**
 * Migration 0012: controls that hold on every path (issue 19). SHIPPED MIGRATIONS NEVER CHANGE.
 *
 * - stock_movement gains `customer_code`, `shipment_id` and `drill_id`: a return is a record
 *   tied to the shipment and the customer it came back from (and, in a recall, to the recall),
 *   never parsed from a reason text. NULL for every other movement and for records written
 *   before this migration (listed as `added` in the entity, docs/ledger.md §5.1).
 * - env_alert gains `closure_swabs`: the consecutive negative follow-up swabs a QA manager's
 *   signed closure rests on (JSON list of sample codes).
 */
export const sql = `
ALTER TABLE stock_movement ADD COLUMN customer_code TEXT;
ALTER TABLE stock_movement ADD COLUMN shipment_id TEXT;
ALTER TABLE stock_movement ADD COLUMN drill_id TEXT;
CREATE INDEX stock_movement_shipment ON stock_movement (shipment_id) WHERE shipment_id IS NOT NULL;
CREATE INDEX stock_movement_drill ON stock_movement (drill_id) WHERE drill_id IS NOT NULL;
ALTER TABLE env_alert ADD COLUMN closure_swabs TEXT;
`;
