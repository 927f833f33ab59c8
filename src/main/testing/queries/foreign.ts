import type { Db } from '../../db/database';
import type { Row } from '../../ledger/entities';
import { lazy } from './statement';

/**
 * Reads of other capabilities' tables that testing still makes itself (lots, catalog,
 * specifications, samples, instruments). Each belongs behind its owner's front door
 * (issue 21: "no capability reads another's tables"); they are gathered here, typed, so the
 * move is one file.
 */

/** A lot as testing reads it (table `lot`, owned by lots). */
export type LotRecord = Row & {
  code: string;
  kind: string;
  item_code: string;
  status: string;
  lot_date: string;
  supplier_code: string | null;
};

/**
 * A sample as testing reads it (table `sample`, owned by samples; SamplesService returns it
 * as a ledger row). Typed here until samples' front door returns typed rows.
 */
export type SampleRecord = Row & {
  code: string;
  kind: string;
  status: string;
  lot_code: string | null;
  spec_version_id: string | null;
  parent_sample_id: string | null;
  taken_at: number;
  targets: string | null;
};

export function asSample(r: Row): SampleRecord;
export function asSample(r: Row | undefined): SampleRecord | undefined;
export function asSample(r: Row | undefined): SampleRecord | undefined {
  return r as SampleRecord | undefined;
}

export interface SpecLabelRow {
  id: string;
  version: number;
  effective_from: string | null;
  code: string;
}

export function foreignQueries(db: Db) {
  const lot = lazy<[string], LotRecord>(db, 'SELECT * FROM lot WHERE code = ?');
  const previousLots = lazy<[string, string, string, string, string, number], { code: string }>(
    db,
    `SELECT code FROM lot WHERE item_code = ? AND retired = 0 AND code <> ? AND (substr(lot_date,1,10) < ? OR (substr(lot_date,1,10) = ? AND code < ?))
     ORDER BY substr(lot_date,1,10) DESC, code DESC LIMIT ?`,
  );
  const productStage = lazy<[string], { stage: string }>(db, 'SELECT stage FROM product WHERE code = ?');
  const subjectName = lazy<[string, string], { name_zh: string; name_en: string }>(
    db,
    'SELECT name_zh, name_en FROM product WHERE code = ? UNION ALL SELECT name_zh, name_en FROM material WHERE code = ? LIMIT 1',
  );
  const specLabel = lazy<[string], SpecLabelRow>(
    db,
    'SELECT v.id, v.version, v.effective_from, s.code FROM spec_version v JOIN specification s ON s.id = v.spec_id WHERE v.id = ?',
  );
  const specItemIds = lazy<[string], { id: string; code: string }>(
    db,
    'SELECT id, code FROM spec_item WHERE version_id = ? AND retired = 0',
  );
  const specItemId = lazy<[string, string], { id: string }>(
    db,
    'SELECT id FROM spec_item WHERE version_id = ? AND code = ? AND retired = 0',
  );
  const methodExists = lazy<[string], { one: number }>(
    db,
    'SELECT 1 AS one FROM test_method WHERE code = ? AND retired = 0',
  );
  const methodInSpecs = lazy<[string], { one: number }>(
    db,
    'SELECT 1 AS one FROM spec_item WHERE method_code = ? LIMIT 1',
  );
  const sampleKind = lazy<[string], { kind: string }>(db, 'SELECT kind FROM sample WHERE id = ?');
  const instrument = lazy<[string, string], { id: string; code: string }>(
    db,
    'SELECT id, code FROM instrument WHERE (id = ? OR code = ?) AND retired = 0',
  );
  return {
    lot: (code: string): LotRecord | undefined => lot().get(code),
    /** Up to `n` lots of the same item before this one (lot date, then code), newest first. */
    previousLots: (itemCode: string, lotCode: string, date: string, n: number): string[] =>
      previousLots()
        .all(itemCode, lotCode, date, date, lotCode, n)
        .map((r) => r.code),
    productStage: (code: string): string | null => productStage().get(code)?.stage ?? null,
    /** The name of a product or material by code. */
    subjectName: (code: string) => subjectName().get(code, code),
    specLabel: (versionId: string): SpecLabelRow | undefined => specLabel().get(versionId),
    /** Spec item ids of a version by item code. */
    specItemIds: (versionId: string): Map<string, string> =>
      new Map(
        specItemIds()
          .all(versionId)
          .map((r) => [r.code, r.id]),
      ),
    specItemId: (versionId: string, itemCode: string): string | null =>
      specItemId().get(versionId, itemCode)?.id ?? null,
    /** A test method exists in the catalogue, or specifications name it. */
    methodKnown: (code: string): boolean => !!methodExists().get(code) || !!methodInSpecs().get(code),
    sampleKind: (sampleId: string): string | null => sampleKind().get(sampleId)?.kind ?? null,
    /** An instrument in service by id or code. */
    instrument: (ref: string) => instrument().get(ref, ref),
  };
}
export type ForeignQueries = ReturnType<typeof foreignQueries>;
