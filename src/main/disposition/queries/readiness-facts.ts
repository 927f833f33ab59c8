import type { Completeness } from '../../../shared/contract/channels/testing';
import type { LabelComparison } from '../../../shared/contract/channels/release-evidence';
import {
  readinessScopeOf,
  type BaseFacts,
  type LedgerProblem,
  type LotReadinessFacts,
  type MicroFacts,
  type ProductionFacts,
  type ReadinessLotFacts,
  type RetentionFacts,
  type StandingFacts,
} from '../../../shared/rules/readiness';
import type { Row } from '../../ledger/entities';
import type { LotRow } from '../../lots';
import type { DispositionQueries } from './statements';

/**
 * What the readiness facts are gathered from besides disposition's statements: the owners of
 * the facts (testing, environment, lots' controls, samples, release evidence, the ledger's
 * health) and the lot's audit scope. The composition root wires these to the services.
 */
export interface ReadinessSources {
  completeness(lotCode: string): Completeness;
  blockingOos(lotCode: string): string[];
  microStatus(lotCode: string): MicroFacts;
  openAlertsFor(lotCode: string): string[];
  openRecallsFor(lotCode: string): string[];
  standing(lot: LotRow): StandingFacts;
  hasRetention(lotCode: string): boolean;
  retentionState(lotCode: string): RetentionFacts['kept'];
  labelComparison(lotCode: string): LabelComparison;
  ledgerProblem(): LedgerProblem;
  isImf(lot: LotRow): boolean;
  /** Sequence numbers of the lot's audit scope without its own decisions' entries, oldest first. */
  auditSeqs(lot: LotRow): number[];
}

/** The lot's columns the checklist reads, parsed from its record once. */
export function lotFacts(lot: Row): ReadinessLotFacts {
  const text = (k: string): string => {
    const v = lot[k];
    return typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);
  };
  return {
    code: text('code'),
    kind: text('kind'),
    status: text('status'),
    itemCode: text('item_code'),
    itemName: text('item_name'),
    quantity: text('quantity'),
    unit: text('unit'),
    origin: typeof lot['origin'] === 'string' ? lot['origin'] : null,
  };
}

/** A produced lot's production facts: its batch and quantity (the decision guard's `production` line). */
export function productionFacts(q: DispositionQueries, lot: LotRow): ProductionFacts {
  const batchId = lot['batch_id'];
  return { lot: lotFacts(lot), batch: typeof batchId === 'string' && batchId ? (q.batch(batchId) ?? null) : null };
}

/**
 * Everything the readiness checklist of one lot reads (src/shared/rules/readiness.ts), gathered
 * once: the screen, the decision (inside its write transaction) and the certificate of
 * analysis evaluate the pure checks on it. Only the facts of the lot's scope are gathered.
 */
export function gatherReadinessFacts(q: DispositionQueries, src: ReadinessSources, lot: LotRow): LotReadinessFacts {
  const f = lotFacts(lot);
  const names = q.itemNames(f.itemCode);
  const base: BaseFacts = {
    lot: f,
    item: names ? { nameZh: names.name_zh, nameEn: names.name_en } : null,
    imf: src.isImf(lot),
    recalls: src.openRecallsFor(f.code),
    standing: src.standing(lot),
    everHeld: q.everHeld(lot.id),
  };
  const scope = readinessScopeOf(f.kind);
  if (scope === 'raw_milk') {
    const status = q.intakeStatus(f.code);
    return { ...base, scope, intake: status !== null ? { status } : null };
  }
  const completeness = src.completeness(f.code);
  const results = { completeness, blockingOos: src.blockingOos(f.code) };
  if (scope === 'received') return { ...base, ...results, scope };
  const flagged = [
    ...q.flaggedCaptures(f.code).map((c) => ({ id: c.id, instrument: c.instrument, itemCode: c.item_code, reason: c.flag_reason })),
    // Typed values on an instrument flagged by a failed check or calibration (issue 19 §5),
    // standing while the result keeps the values it had when flagged.
    ...q.flaggedTyped(f.code).map((c) => ({
      id: c.id,
      instrument: c.instrument,
      itemCode: c.item_code,
      reason: 'typed value measured since the last good check',
    })),
  ];
  const review = q.lastAuditReview(f.code);
  return {
    ...base,
    ...results,
    ...productionFacts(q, lot),
    scope,
    micro: src.microStatus(f.code),
    instruments: { flagged, used: q.instrumentsUsed(f.code) },
    inputs: q.inputsOf(f.code),
    retention: { registered: src.hasRetention(f.code), kept: src.retentionState(f.code) },
    labels: src.labelComparison(f.code),
    envAlerts: src.openAlertsFor(f.code),
    audit: { reviewedThrough: review ? review.through_seq : null, seqs: src.auditSeqs(lot) },
    ledger: src.ledgerProblem(),
  };
}
