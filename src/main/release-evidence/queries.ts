import type { Db } from '../db/database';
import type { Row } from '../ledger/entities';

/**
 * Every SQL statement of release evidence (label values, retention profiles, withdrawals and
 * observations), as typed statements; rows are parsed here, once, and the service reads
 * typed fields.
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
  purpose: string;
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
  outcome: string;
  findings: string;
  storage_observed: string | null;
  observed_by: string;
  observed_at: number;
}

// Rows of other capabilities' tables (to move behind their front doors).

export interface ProductRow {
  id: string;
  code: string;
  name_zh: string;
  name_en: string;
  stage: string;
}

export interface RetentionSampleRow {
  id: string;
  code: string;
  kind: string;
  lot_code: string;
  quantity: string;
  unit: string;
  status: string;
  storage_location: string | null;
  keep_until: string | null;
  disposed_at: number | null;
}

/** A current test result of a finished lot's release sample, with its item snapshot (JSON text). */
export interface LabelResultRow {
  id: string;
  item_code: string;
  item: string;
  status: string;
  plan_reason: string | null;
  reported: string | null;
  value: string | null;
  verdict: string | null;
}

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

export function releaseEvidenceQueries(db: Db) {
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
  const observationsMade = db.prepare<[], { sample_id: string; due_on: string }>(
    `SELECT o.sample_id, o.due_on FROM retention_observation o JOIN sample s ON s.id = o.sample_id
     WHERE o.retired = 0 AND s.kind = 'retention' AND s.disposed_at IS NULL`,
  );

  // ---------------------------------------------------------------- reads of other capabilities' tables (to move behind their front doors)
  // lots: lot
  const finishedProductOf = db.prepare<[string], { item_code: string }>(
    "SELECT item_code FROM lot WHERE code = ? AND kind = 'finished'",
  );
  const lotKind = db.prepare<[string], { kind: string }>('SELECT kind FROM lot WHERE code = ? AND retired = 0');
  const lotInfo = db.prepare<[string], { item_code: string; lot_date: string; kind: string }>(
    'SELECT item_code, lot_date, kind FROM lot WHERE code = ?',
  );
  // catalog: product, specification, spec_version, spec_item
  const productByCode = db.prepare<[string], ProductRow>(
    'SELECT id, code, name_zh, name_en, stage FROM product WHERE code = ? AND retired = 0',
  );
  const currentVersion = db.prepare<[string], { id: string }>(
    `SELECT v.id FROM spec_version v JOIN specification s ON s.id = v.spec_id
     WHERE s.subject_kind = 'product' AND s.subject_id = ? AND s.retired = 0 AND v.retired = 0 AND v.status <> 'superseded'
     ORDER BY CASE v.status WHEN 'approved' THEN 0 ELSE 1 END, v.version DESC LIMIT 1`,
  );
  const itemsOfVersion = db.prepare<[string], { code: string; name_zh: string; name_en: string; unit: string; basis: string }>(
    'SELECT code, name_zh, name_en, unit, basis FROM spec_item WHERE version_id = ? AND retired = 0 ORDER BY position',
  );
  const latestItemName = db.prepare<[string, string], { name_zh: string; name_en: string }>(
    `SELECT i.name_zh, i.name_en FROM spec_item i JOIN spec_version v ON v.id = i.version_id JOIN specification s ON s.id = v.spec_id
     JOIN product p ON p.id = s.subject_id WHERE s.subject_kind = 'product' AND p.code = ? AND i.code = ? AND i.retired = 0
     ORDER BY v.version DESC LIMIT 1`,
  );
  // samples: sample
  const SAMPLE_COLUMNS = 'id, code, kind, lot_code, quantity, unit, status, storage_location, keep_until, disposed_at';
  const sampleByCode = db.prepare<[string], RetentionSampleRow>(
    `SELECT ${SAMPLE_COLUMNS} FROM sample WHERE code = ? AND retired = 0`,
  );
  const keptRetention = db.prepare<[string], RetentionSampleRow>(
    `SELECT ${SAMPLE_COLUMNS} FROM sample WHERE lot_code = ? AND kind = 'retention' AND status <> 'cancelled' AND retired = 0 AND disposed_at IS NULL ORDER BY code`,
  );
  const dueCandidates = db.prepare<[], Omit<DueRow, 'observation_days'> & { observation_days: string }>(
    `SELECT s.id, s.code, s.lot_code, s.keep_until, s.storage_location, l.item_code, substr(l.lot_date, 1, 10) AS lot_date, p.observation_days
     FROM sample s JOIN lot l ON l.code = s.lot_code JOIN retention_profile p ON p.product_code = l.item_code AND p.retired = 0
     WHERE s.kind = 'retention' AND s.retired = 0 AND s.status <> 'cancelled' AND s.disposed_at IS NULL ORDER BY s.code`,
  );
  // testing: test_result
  const releaseResults = db.prepare<[string, string], LabelResultRow>(
    `SELECT id, item_code, item, status, plan_reason, reported, value, verdict FROM test_result
     WHERE lot_code = ? AND retired = 0 AND status <> 'invalidated'
       AND sample_id IN (SELECT id FROM sample WHERE lot_code = ? AND kind = 'finished_release')
     ORDER BY position, attempt`,
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

    finishedProductOf: (lotCode: string): string | null => finishedProductOf.get(lotCode)?.item_code ?? null,
    lotKind: (lotCode: string): string | null => lotKind.get(lotCode)?.kind ?? null,
    lotInfo: (lotCode: string) => lotInfo.get(lotCode),
    productByCode: (code: string): ProductRow | undefined => productByCode.get(code),
    currentVersionOf: (productId: string): string | null => currentVersion.get(productId)?.id ?? null,
    itemsOfVersion: (versionId: string) => itemsOfVersion.all(versionId),
    latestItemName: (productCode: string, itemCode: string) => latestItemName.get(productCode, itemCode),
    sampleByCode: (code: string): RetentionSampleRow | undefined => sampleByCode.get(code),
    keptRetention: (lotCode: string): RetentionSampleRow[] => keptRetention.all(lotCode),
    dueCandidates: (): DueRow[] =>
      dueCandidates.all().map((r) => ({ ...r, observation_days: days(r.observation_days) })),
    releaseResults: (lotCode: string): LabelResultRow[] => releaseResults.all(lotCode, lotCode),
  };
}
export type ReleaseEvidenceQueries = ReturnType<typeof releaseEvidenceQueries>;
