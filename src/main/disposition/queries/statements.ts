import type { Db } from '../../db/database';
import type { CatalogReads, CertificateProduct } from '../../catalog';
import type { SignatureReads } from '../../identity';
import type { InstrumentReads } from '../../instruments';
import type { IntakeReads } from '../../intake';
import { auditScopeReads, type ScopeEntryRow } from '../../ledger/audit-queries';
import type { HeldLotRow, InputLineRow, LotReads, LotRow } from '../../lots';
import type { LotSampleRow, SampleReads } from '../../samples';
import type { LotInvestigationRow, LotResultRow, TestingReads } from '../../testing';

/**
 * Every SQL statement of disposition, as typed statements: its own table (lot_audit_review).
 * Everything else is asked (issue 21: "no capability reads another's tables; it asks the
 * owner"): the audit trail and signatures of the ledger (src/main/ledger/audit-queries.ts),
 * the lots, catalog, intake, samples, testing and identity reads given by the composition root
 * (DispositionOwners), and instruments' captures, flags and calibrations (instrumentReads).
 */

export interface AuditReviewRow {
  id: string;
  lot_code: string;
  through_seq: number;
  entries: number;
  comment: string;
  reviewed_by: string;
  reviewed_at: number;
  /** Migration 0018: the summary of exceptions the signature attests (null on older reviews). */
  summary_hash: string | null;
  summary_counts: string | null;
}

export type EntryRow = ScopeEntryRow;

/** What a user record's audit content says about the account (roles, status, name, a reset pending). */
export interface AccountFacts {
  /** The roles as written (their JSON, compared as written; undefined when absent). */
  roles: string | undefined;
  status: string | null;
  printed_name: string | null;
  must_change_password: number | null;
}
/** A user record's audit content, parsed once: the account fields a lot's audit scope compares. */
export function accountFactsOf(content: string): AccountFacts {
  const c = JSON.parse(content) as Record<string, unknown>;
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    roles: JSON.stringify(c['roles']) as string | undefined,
    status: text(c['status']),
    printed_name: text(c['printed_name']),
    must_change_password: typeof c['must_change_password'] === 'number' ? c['must_change_password'] : null,
  };
}

export type QueueLotRow = HeldLotRow;
export type DossierInputRow = InputLineRow;
export type DossierSampleRow = LotSampleRow;
export type DossierResultRow = LotResultRow;
export type DossierOosRow = LotInvestigationRow;
export type ProductRow = CertificateProduct;

/** What disposition asks the capabilities that own the data (given by the composition root). */
export interface DispositionOwners {
  lots: Pick<LotReads, 'liveLot' | 'lot' | 'batch' | 'inputsOf' | 'inputLines' | 'onHoldFinished' | 'recordsOfLot'>;
  catalog: Pick<CatalogReads, 'certificateProduct' | 'subjectName' | 'specStandard' | 'specRecordsOfLot'>;
  intake: Pick<IntakeReads, 'intakeStatus' | 'intakeIds'>;
  samples: Pick<SampleReads, 'lotSamples' | 'recordsOfLot'>;
  testing: Pick<TestingReads, 'lotResults' | 'lotInvestigations' | 'methodsOfLot' | 'recordsOfLot' | 'methodRulesOfLot'>;
  signatures: Pick<SignatureReads, 'everSigned' | 'latestComment'>;
  instruments: Pick<
    InstrumentReads,
    | 'flaggedCapturesOfLot'
    | 'flaggedTypedOfLot'
    | 'instrumentsUsedByLot'
    | 'dossierInstruments'
    | 'instrumentUsesOfLot'
    | 'eventsAround'
    | 'recordsOfLot'
  >;
}

/** The order of a lot's own records in its audit scope (as it always was listed). */
const SCOPE_ORDER = [
  'sample',
  'sample_event',
  'test_result',
  'result_attachment',
  'instrument_capture',
  'instrument_flag',
  'oos_investigation',
  'verdict_change',
  'micro_hold',
  'micro_confirmation',
  'consumption',
  'shipment',
  'stock_movement',
];
const DECIDING_MEANINGS = ['accepted', 'released', 'held', 'rejected'] as const;

export function dispositionQueries(db: Db, o: DispositionOwners) {
  const trail = auditScopeReads(db);

  // ---------------------------------------------------------------- disposition's own table and the ledger's
  const lastReview = db.prepare<[string], AuditReviewRow>(
    'SELECT * FROM lot_audit_review WHERE lot_code = ? AND retired = 0 ORDER BY through_seq DESC LIMIT 1',
  );
  const lastReviewAny = db.prepare<[string], { id: string }>(
    'SELECT id FROM lot_audit_review WHERE lot_code = ? ORDER BY through_seq DESC LIMIT 1',
  );
  return {
    // ---- own table and the ledger's
    lastAuditReview: (lotCode: string): AuditReviewRow | undefined => lastReview.get(lotCode),
    lastAuditReviewId: (lotCode: string): string | null => lastReviewAny.get(lotCode)?.id ?? null,
    // ---- the ledger's audit trail and signatures
    lastSignatureSeq: (signatureId: string): number | null => trail.lastEntrySeq('signature', signatureId),
    decisionSignatureSeqs: (lotId: string): number[] => trail.signatureEntrySeqs('lot', lotId, DECIDING_MEANINGS),
    entryAt: (seq: number) => trail.entryAt(seq),
    previousContent: (entity: string, entityId: string, seq: number): string | null =>
      trail.previousContent(entity, entityId, seq),
    /** Signatures on records of one entity, with the sequence number of their audit entry. */
    signaturesOn: (entity: string, entityIds: string[]) => trail.signaturesOn(entity, entityIds),
    /** Audit entries of records of one entity, oldest first, up to a sequence number when given. */
    entriesOf: (entity: string, entityIds: string[], maxSeq: number | null): EntryRow[] =>
      trail.entriesOf(entity, entityIds, maxSeq),

    // ---- identity: the lot's signatures
    everHeld: (lotId: string): boolean => o.signatures.everSigned('lot', lotId, 'held'),
    /** Why the lot was held: the comment of its latest `held` signature. */
    heldFor: (lotId: string): string | null => o.signatures.latestComment('lot', lotId, 'held'),

    // ---- lots, catalog, intake, samples, testing (their front doors' reads)
    lot: (code: string): LotRow | undefined => o.lots.liveLot(code),
    /** A lot by code, retired or not (trace and the decision guard read it so). */
    lotAny: (code: string): LotRow | undefined => o.lots.lot(code),
    batch: (id: string) => o.lots.batch(id),
    inputsOf: (lotCode: string) => o.lots.inputsOf(lotCode),
    queue: (limit: number): QueueLotRow[] => o.lots.onHoldFinished(limit),
    product: (code: string): ProductRow | undefined => o.catalog.certificateProduct(code),
    itemNames: (itemCode: string) => o.catalog.subjectName(itemCode),
    specStandard: (versionId: string): string | null => o.catalog.specStandard(versionId),
    intakeStatus: (lotCode: string): string | null => o.intake.intakeStatus(lotCode),
    /** The method of each result of the lot, by result id (one query per lot). */
    methodsOfLot: (lotCode: string): Map<string, string | null> => o.testing.methodsOfLot(lotCode),
    dossierInputs: (lotCode: string): DossierInputRow[] => o.lots.inputLines(lotCode),
    dossierSamples: (lotCode: string): DossierSampleRow[] => o.samples.lotSamples(lotCode),
    dossierResults: (lotCode: string): DossierResultRow[] => o.testing.lotResults(lotCode),
    dossierOos: (lotCode: string): DossierOosRow[] => o.testing.lotInvestigations(lotCode),
    /** The lot's own records (samples, results, captures, investigations, consumption, shipments…), by entity. */
    scopeRecords: (lotCode: string): Array<{ entity: string; ids: string[] }> =>
      [
        ...o.samples.recordsOfLot(lotCode),
        ...o.testing.recordsOfLot(lotCode),
        ...o.instruments.recordsOfLot(lotCode),
        ...o.lots.recordsOfLot(lotCode),
      ].sort((a, b) => SCOPE_ORDER.indexOf(a.entity) - SCOPE_ORDER.indexOf(b.entity)),
    intakeIds: (lotCode: string): string[] => o.intake.intakeIds(lotCode),
    /** Shared records behind the lot's results: spec versions and items, method rules. */
    sharedRecords: (lotCode: string): Array<{ entity: string; ids: string[] }> => [
      ...o.catalog.specRecordsOfLot(lotCode),
      { entity: 'method_rule', ids: o.testing.methodRulesOfLot(lotCode) },
    ],

    // ---- instruments (its front door's reads; one statement per lot)
    flaggedCaptures: (lotCode: string) => o.instruments.flaggedCapturesOfLot(lotCode),
    flaggedTyped: (lotCode: string) => o.instruments.flaggedTypedOfLot(lotCode),
    instrumentsUsed: (lotCode: string) => o.instruments.instrumentsUsedByLot(lotCode),
    dossierInstruments: (lotCode: string) => o.instruments.dossierInstruments(lotCode),
    instrumentUses: (lotCode: string) => o.instruments.instrumentUsesOfLot(lotCode),
    /** An instrument's calibrations and checks from the last of each kind before `first` to the first after `last`. */
    instrumentEventsAround: (instrumentId: string, first: number, last: number): string[] =>
      o.instruments.eventsAround(instrumentId, first, last),
  };
}
export type DispositionQueries = ReturnType<typeof dispositionQueries>;
