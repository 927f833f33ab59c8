import type { observationOutcomes, withdrawalPurposes } from '../../shared/contract/channels/release-evidence';
import type { Db } from '../db/database';
import type { CatalogReads, ProductFacts } from '../catalog';
import type { Row } from '../ledger/entities';
import type { LotReads } from '../lots';
import type { RetentionSampleFacts, SampleReads } from '../samples';
import type { LabelResultRow, TestingReads } from '../testing';

/**
 * Every SQL statement of release evidence (label values, retention profiles, withdrawals and
 * observations), as typed statements; rows are parsed here, once, and the service reads
 * typed fields. Other capabilities' data is asked of its owners (ReleaseEvidenceOwners).
 */

interface RecordRow {
  id: string;
  rev: number;
  retired: number;
}

export interface LabelValueRow extends RecordRow {
  product_code: string;
  item_code: string;
  declared: string;
  unit: string;
  basis: string;
  /** JSON text of the rule ({ minPct, maxPct }). */
  rule: string;
  rule_source: string;
  rule_verification: 'unverified' | 'confirmed';
  confirmed_by: string | null;
  confirmed_at: number | null;
  confirm_reference: string | null;
  note: string | null;
}

export interface RetentionProfileRow extends RecordRow {
  product_code: string;
  required_quantity: string;
  unit: string;
  basis_note: string;
  storage_conditions: string;
  /** Days after the lot date, parsed from the JSON column. */
  observation_days: number[];
}

export interface WithdrawalRow extends RecordRow {
  sample_id: string;
  sample_code: string;
  lot_code: string;
  quantity: string;
  unit: string;
  /** One of the contract's withdrawal purposes (the service writes no other). */
  purpose: (typeof withdrawalPurposes)[number];
  reason: string;
  spot_check_code: string | null;
  withdrawn_by: string;
  withdrawn_at: number;
}

export interface ObservationRow extends RecordRow {
  sample_id: string;
  sample_code: string;
  lot_code: string;
  due_on: string;
  observed_on: string;
  /** One of the contract's observation outcomes (the service writes no other). */
  outcome: (typeof observationOutcomes)[number];
  findings: string;
  storage_observed: string | null;
  observed_by: string;
  observed_at: number;
}

// Rows the owners return (their front doors' types, under release evidence's names).
export type ProductRow = ProductFacts;
export type RetentionSampleRow = RetentionSampleFacts;
export type { LabelResultRow };

/** A retention sample due for observation, with its lot's product and date and the product's schedule. */
export interface DueRow {
  id: string;
  code: string;
  lot_code: string;
  keep_until: string | null;
  storage_location: string | null;
  item_code: string;
  lot_date: string;
  observation_days: number[];
}

function days(text: unknown): number[] {
  return typeof text === 'string' && text ? (JSON.parse(text) as number[]) : [];
}

/** A label-value record as the ledger's writer returns it, read with its columns' types. */
export function labelValueRow(r: Row): LabelValueRow {
  return r as unknown as LabelValueRow;
}

/** A retention profile record as the ledger's writer returns it (its schedule parsed). */
export function retentionProfileRow(r: Row): RetentionProfileRow {
  return { ...(r as unknown as RetentionProfileRow), observation_days: days(r['observation_days']) };
}

/**
 * What release evidence asks the capabilities that own the data: lots (a finished lot's
 * product, a lot's kind and date), catalog (products, the current specification and item
 * names), samples (retention samples) and testing (a lot's release results). The composition
 * root passes the owners' reads (src/main/app/compose.ts).
 */
export interface ReleaseEvidenceOwners {
  lots: Pick<LotReads, 'finishedProductOf' | 'lotKind' | 'lotInfo'>;
  catalog: Pick<CatalogReads, 'productByCode' | 'currentVersionOf' | 'itemsOfVersion' | 'latestItemName'>;
  samples: Pick<SampleReads, 'retentionSampleByCode' | 'keptRetention'>;
  testing: Pick<TestingReads, 'releaseResults'>;
}

export function releaseEvidenceQueries(db: Db, o: ReleaseEvidenceOwners) {
  const labelsOfProduct = db.prepare<[string], LabelValueRow>(
    'SELECT * FROM label_value WHERE product_code = ? AND retired = 0 ORDER BY item_code',
  );
  const otherLabel = db.prepare<[string, string, string], { id: string }>(
    'SELECT id FROM label_value WHERE product_code = ? AND item_code = ? AND retired = 0 AND id <> ?',
  );
  const profileOf = db.prepare<[string], RetentionProfileRow & { observation_days: string }>(
    'SELECT * FROM retention_profile WHERE product_code = ? AND retired = 0',
  );
  const withdrawnOf = db.prepare<[string], { quantity: string; unit: string }>(
    'SELECT quantity, unit FROM retention_withdrawal WHERE sample_id = ? AND retired = 0',
  );
  const withdrawalsOf = db.prepare<[string], WithdrawalRow>(
    'SELECT * FROM retention_withdrawal WHERE sample_id = ? AND retired = 0 ORDER BY withdrawn_at',
  );
  const withdrawal = db.prepare<[string], WithdrawalRow>('SELECT * FROM retention_withdrawal WHERE id = ?');
  const observationsOf = db.prepare<[string], ObservationRow>(
    'SELECT * FROM retention_observation WHERE sample_id = ? AND retired = 0 ORDER BY due_on, observed_at',
  );
  const observationAt = db.prepare<[string, string], { one: number }>(
    'SELECT 1 AS one FROM retention_observation WHERE sample_id = ? AND due_on = ? AND retired = 0',
  );
  // (observations of retention samples not yet disposed: the sample's state is samples')
  const observationsMade = db.prepare<[], { sample_id: string; due_on: string }>(
    `SELECT o.sample_id, o.due_on FROM retention_observation o JOIN sample s ON s.id = o.sample_id
     WHERE o.retired = 0 AND s.kind = 'retention' AND s.disposed_at IS NULL`,
  );

  // Release evidence's questions that span the tables they are about, one statement each on
  // purpose (issue 21: a genuine cross-capability join answers the capability whose question it
  // is): the retention samples due for observation join samples' `sample` and lots' `lot` with
  // release evidence's own retention_profile (the schedule is the product's); asking samples
  // and lots per sample would be one statement per retention sample on every screen load.
  const dueCandidates = db.prepare<[], Omit<DueRow, 'observation_days'> & { observation_days: string }>(
    `SELECT s.id, s.code, s.lot_code, s.keep_until, s.storage_location, l.item_code, substr(l.lot_date, 1, 10) AS lot_date, p.observation_days
     FROM sample s JOIN lot l ON l.code = s.lot_code JOIN retention_profile p ON p.product_code = l.item_code AND p.retired = 0
     WHERE s.kind = 'retention' AND s.retired = 0 AND s.status <> 'cancelled' AND s.disposed_at IS NULL ORDER BY s.code`,
  );

  return {
    labelsOfProduct: (productCode: string): LabelValueRow[] => labelsOfProduct.all(productCode),
    otherLabelFor: (productCode: string, itemCode: string, exceptId: string): boolean =>
      !!otherLabel.get(productCode, itemCode, exceptId),
    profileOf: (productCode: string): RetentionProfileRow | undefined => {
      const r = profileOf.get(productCode);
      return r ? { ...r, observation_days: days(r.observation_days) } : undefined;
    },
    withdrawnOf: (sampleId: string): Array<{ quantity: string; unit: string }> => withdrawnOf.all(sampleId),
    withdrawalsOf: (sampleId: string): WithdrawalRow[] => withdrawalsOf.all(sampleId),
    /** A withdrawal by id (retired or not). */
    withdrawal: (id: string): WithdrawalRow | undefined => withdrawal.get(id),
    observationsOf: (sampleId: string): ObservationRow[] => observationsOf.all(sampleId),
    observationMade: (sampleId: string, dueOn: string): boolean => !!observationAt.get(sampleId, dueOn),
    observationsMade: (): Array<{ sample_id: string; due_on: string }> => observationsMade.all(),

    // The owners' reads, named as release evidence's service asks them.
    finishedProductOf: (lotCode: string): string | null => o.lots.finishedProductOf(lotCode),
    lotKind: (lotCode: string): string | null => o.lots.lotKind(lotCode) ?? null,
    lotInfo: (lotCode: string) => o.lots.lotInfo(lotCode),
    productByCode: (code: string): ProductRow | undefined => o.catalog.productByCode(code),
    currentVersionOf: (productId: string): string | null => o.catalog.currentVersionOf(productId),
    itemsOfVersion: (versionId: string) => o.catalog.itemsOfVersion(versionId),
    latestItemName: (productCode: string, itemCode: string) => o.catalog.latestItemName(productCode, itemCode),
    sampleByCode: (code: string): RetentionSampleRow | undefined => o.samples.retentionSampleByCode(code),
    keptRetention: (lotCode: string): RetentionSampleRow[] => o.samples.keptRetention(lotCode),
    releaseResults: (lotCode: string): LabelResultRow[] => o.testing.releaseResults(lotCode),

    dueCandidates: (): DueRow[] =>
      dueCandidates.all().map((r) => ({ ...r, observation_days: days(r.observation_days) })),
  };
}
export type ReleaseEvidenceQueries = ReturnType<typeof releaseEvidenceQueries>;
