/**
 * The front door of instruments (issue 21): what other capabilities and the composition root use.
 * - the composition root: `InstrumentsService` (registry, captures, checks), `InstrumentRules`
 *   (built before testing: every value names an unlocked instrument of its method's kind) and
 *   the serial `ConnectionManager`;
 * - testing: `IN` (a value typed over a capture changes the capture).
 */
export { InstrumentsService, type InstrumentsDeps, type InstrumentsTestHooks } from './instruments-service';
export { InstrumentRules, unitsCompatible } from './rules';
export { ConnectionManager, type Frame } from './connections';
export { IN } from './entities';
