import type { Slots } from '../core/slots';
import { CompletenessPanel } from '../features/testing/completeness/completeness-panel';
import { SampleTestsPanel } from '../features/testing/sample-tests-panel';
import { ResultDrawer } from '../features/testing/result-drawer';
import { LotRetentionFlag } from '../features/samples/retention-page';
import { LabelComparisonTable } from '../features/release-evidence/label-comparison';
import { StartDrillFromLot } from '../features/recall/start-drill-link';
import { RecordCapture } from '../features/instruments/record-capture';
import { CaptureButton } from '../features/instruments/capture-button';
import { InstrumentPicker } from '../features/instruments/instrument-picker';

/** Every slot of core/slots.tsx, filled by the feature that owns it (the renderer's composition root). */
export const slots: Slots = {
  lotCompleteness: CompletenessPanel,
  lotRetentionFlag: LotRetentionFlag,
  sampleTests: SampleTestsPanel,
  resultDrawer: ResultDrawer,
  labelComparison: LabelComparisonTable,
  startDrillFromLot: StartDrillFromLot,
  recordCapture: RecordCapture,
  captureButton: CaptureButton,
  instrumentPicker: InstrumentPicker,
};
