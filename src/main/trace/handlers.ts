import type { TraceView } from '../../shared/contract/channels/trace';
import type { HandlersOf } from '../dispatcher/handler-kit';

/** What the trace handlers need: the trace screen's view of a lot (from the opened database). */
export interface TraceHandlerDeps {
  traceView(code: string): TraceView;
}

/** The handlers of src/shared/contract/channels/trace.ts served by trace (`trace.epcis` is recall's). */
export function traceHandlers(use: () => TraceHandlerDeps): Pick<HandlersOf<'trace'>, 'trace.run'> {
  return { 'trace.run': ({ code }) => use().traceView(code) };
}
