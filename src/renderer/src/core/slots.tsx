import { createContext, useContext, type ComponentType, type ReactNode } from 'react';
import type { ResultView } from '../../../shared/contract/channels/testing';

/**
 * Panels one capability shows inside another's screen (issue 21 §4). A feature imports only
 * core/ and ui/ and reaches other features by route; where a screen embeds a panel of another
 * capability (the lot page shows testing's completeness, an entry grid captures from an
 * instrument), it renders the slot declared here, and the composition root (app/slots.tsx)
 * fills every slot with the owning feature's component.
 */

export interface CaptureButtonProps {
  resultId: string;
  replicateIndex: number;
  /** The unit the result is entered in: the server refuses readings in another unit. */
  unit: string;
  /** The result's stored captures (ResultView.captures): this replicate's one is marked on the button. */
  captures?: ResultView['captures'];
  /**
   * The replicate's input. While focus is inside it, a reading the instrument sends on its
   * own (its print key) is offered for this replicate.
   */
  children?: ReactNode;
  /** After a capture was stored: the value and every result of the sample that changed. */
  onCaptured?: (value: string, changed: ResultView[]) => void;
  disabled?: boolean;
}

export interface Slots {
  /** testing: what of the lot's national standard is tested (lot page). */
  lotCompleteness: ComponentType<{ lotCode: string }>;
  /** samples: a finished lot without its retention samples (lot page). */
  lotRetentionFlag: ComponentType<{ code: string; kind: string }>;
  /** testing: the tests of one sample (sample page). */
  sampleTests: ComponentType<{ code: string }>;
  /** testing: one result in full (release checklist). */
  resultDrawer: ComponentType<{ id: string | null; onClose: () => void; onSelect: (id: string) => void }>;
  /** release-evidence: declared label values against the lot's results (release checklist). */
  labelComparison: ComponentType<{ lotCode: string }>;
  /** recall: start a drill or a recall from a traced lot (trace page). */
  startDrillFromLot: ComponentType<{ lot: string }>;
  /** instruments: readings captured for a sample's results (entry pages). */
  recordCapture: ComponentType<{ sampleCode: string; results: ResultView[] }>;
  /** instruments: capture one replicate from an instrument (entry grid). */
  captureButton: ComponentType<CaptureButtonProps>;
  /** instruments: the instrument a result was measured on (entry grid). */
  instrumentPicker: ComponentType<{
    result: ResultView;
    editable: boolean;
    onSave: (instrumentId: string | null) => void;
  }>;
}

const SlotsContext = createContext<Slots | null>(null);

export function SlotsProvider({ slots, children }: { slots: Slots; children: ReactNode }) {
  return <SlotsContext.Provider value={slots}>{children}</SlotsContext.Provider>;
}

function slot<K extends keyof Slots>(name: K): Slots[K] {
  function Slot(props: object) {
    const slots = useContext(SlotsContext);
    if (!slots) throw new Error(`slot ${name}: no <SlotsProvider> above this screen`);
    const Filled = slots[name] as unknown as ComponentType<object>;
    return <Filled {...props} />;
  }
  Slot.displayName = `Slot(${name})`;
  return Slot as unknown as Slots[K];
}

export const LotCompleteness = slot('lotCompleteness');
export const LotRetentionFlag = slot('lotRetentionFlag');
export const SampleTests = slot('sampleTests');
export const ResultDrawer = slot('resultDrawer');
export const LabelComparison = slot('labelComparison');
export const StartDrillFromLot = slot('startDrillFromLot');
export const RecordCapture = slot('recordCapture');
export const CaptureButton = slot('captureButton');
export const InstrumentPicker = slot('instrumentPicker');
