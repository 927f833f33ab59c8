/**
 * The front door of instruments (issue 21): what other capabilities and the composition root use.
 * - the composition root: `InstrumentsService` (registry, captures, checks), `InstrumentRules`
 *   (built before testing: every value names an unlocked instrument of its method's kind) and
 *   the serial `ConnectionManager`;
 * - testing: `IN` (a value typed over a capture changes the capture);
 * - testing and disposition: `instrumentReads` (an instrument by id or code, captures into
 *   results, a lot's flagged captures, instruments used, calibrations around a use), built once
 *   by the composition root.
 */
export { InstrumentsService, type InstrumentsDeps, type InstrumentsTestHooks } from './instruments-service';
export { InstrumentRules, unitsCompatible } from './rules';
export { ConnectionManager, type Frame } from './connections';
export { IN } from './entities';
export { instrumentReads, type InstrumentReads, type ResultCaptureRow, type FlaggedCaptureRow, type FlaggedTypedRow } from './queries';
export { commandAnswer, readOutcome, type ReadOutcome } from './outcome';
export { FrameQueue, FrameQueueDamaged, channelSender, type FrameSender, type SendResult, type FlushReport } from './frame-queue';
export { captureAtBench, type BenchLink } from './bench-capture';
export { detectClockSource, type ClockSource } from './clock-source';
export { reparse } from './frames';
