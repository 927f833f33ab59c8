/**
 * The lots capability's front door (issue 21): lots, receipts, batches, consumption,
 * shipments and stock, the lot controls every path shares, and the lot code generator.
 * Other capabilities import only from here.
 */
export {
  LotsService,
  defaultLotCodePatterns,
  type Decision,
  type LotDecisionGate,
  type LotDetail,
  type LotKind,
  type LotStatus,
  type Override,
} from './lots-service';
export {
  LotControls,
  DECISION_MEANINGS,
  RECEIVED_KINDS,
  sumIn,
  type DecisionSignature,
  type DecisionStanding,
  type OpenRecall,
} from './lot-controls';
export { asLot, asShipment, lotReads, type LotReads, type LotRow, type RecallReturnRow, type ReceiptFacts, type InputLineRow, type HeldLotRow, type ShipmentRow } from './queries';
export { L } from './entities';
export { localDate, localDateParts, nextSequencedCode } from './codes';
