/**
 * The trace capability's front door (issue 21): the genealogy of a lot (backward to suppliers,
 * forward to customers) with its mass balance, the trace screen's view, the CLI's JSON
 * document and the GS1 EPCIS export. Other capabilities import only from here.
 */
export {
  traceLot,
  normaliseDecimal,
  DEFAULT_MAX_DEPTH,
  type TraceResult,
  type TraceEdge,
  type TraceLotRef,
  type TraceOptions,
} from './trace';
export { epcisDocument, epcisExport, type EpcisExport } from './epcis';
export { traceToJson, traceViewToJson } from './trace-json';
export { traceView } from './view';
