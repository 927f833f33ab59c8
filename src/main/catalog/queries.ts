import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database';
import type { SpecItem } from '../../shared/catalog/spec-schema';
import type { Row } from '../ledger/entities';

/** A specification as stored (migration 0002). */
export type SpecRow = Row & {
  code: string;
  subject_kind: 'product' | 'material';
  subject_id: string;
  title_zh: string;
  title_en: string;
  standard: string | null;
};

/** A specification version as stored. */
export type SpecVersionRow = Row & {
  spec_id: string;
  version: number;
  status: 'draft' | 'approved' | 'superseded';
  effective_from: string | null;
  based_on: string | null;
  source: string;
  change_note: string | null;
  content_hash: string | null;
  approved_at: number | null;
  superseded_at: number | null;
};

/** A version with its item counts (for the specification list). */
export type SpecVersionCountsRow = SpecVersionRow & { n_items: number; n_flagged: number };

/** A specification item as stored (the reporting rule is JSON text, migration 0014). */
export type SpecItemRow = Row & {
  version_id: string;
  position: number;
  code: string;
  name_zh: string;
  name_en: string;
  item_group: SpecItem['group'];
  method_code: string | null;
  unit: string;
  basis: SpecItem['basis'];
  limit_form: SpecItem['limit_form'];
  min: string | null;
  max: string | null;
  target: string | null;
  lod: string | null;
  n: number | null;
  c: number | null;
  m: string | null;
  big_m: string | null;
  precision: number | null;
  comparison: SpecItem['comparison'];
  required_for_release: number;
  in_house_only: number;
  frequency: SpecItem['frequency'];
  frequency_n: number | null;
  period_days: number | null;
  formula: string | null;
  clause: string | null;
  source: string | null;
  verification: SpecItem['verification'];
  note: string | null;
  confirmed_by: string | null;
  confirmed_at: number | null;
  reporting: string | null;
  /** JSON `{ standard, table, row }` (migration 0018), or null. */
  origin: string | null;
  /** The limit of quantification (migration 0020), or null. */
  loq: string | null;
};

/** One table confirmed at once against the official text (migration 0018). */
export interface SpecTableConfirmationRow {
  id: string;
  version_id: string;
  standard: string;
  edition: string;
  table_no: string;
  item_count: number;
  /** JSON: the values compared. */
  items: string;
  values_hash: string;
  statement: string;
  confirmed_by: string;
  confirmed_at: number;
}

/** Records read through the ledger (`w.get(C.…)`) as what they are: the one narrowing, at the edge. */
export function asSpec(row: Row): SpecRow {
  return row as SpecRow;
}
export function asSpecVersion(row: Row): SpecVersionRow {
  return row as SpecVersionRow;
}
export function asSpecItem(row: Row): SpecItemRow {
  return row as SpecItemRow;
}

/** A specification's subject as stored: a product (with its stage) or a material (with its kind). */
export type SubjectRow = Row & {
  code: string;
  name_zh: string;
  name_en: string;
  stage?: string | null;
  kind?: string | null;
};
export function asSubject(row: Row): SubjectRow {
  return row as SubjectRow;
}
export function asSubjectOrNone(row: Row | undefined): SubjectRow | undefined {
  return row ? asSubject(row) : undefined;
}

/**
 * Every SQL statement of the catalog capability (products, materials, suppliers, customers,
 * test methods, specifications and their versions and items), as typed statements.
 * Table names come from the capability's own entity definitions, never from input.
 */

/** A typed statement prepared on first use (and kept for the life of the opened database). */
function lazy<P extends unknown[], R>(db: Db, sql: string, pluck = false): () => Statement<P, R> {
  let s: Statement<P, R> | undefined;
  return () => (s ??= pluck ? db.prepare<P, R>(sql).pluck() : db.prepare<P, R>(sql));
}

const escapeLike = (s: string): string => `%${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

export function catalogQueries(db: Db) {
  const cache = new Map<string, Statement<unknown[], Row>>();
  const stmt = (sql: string): Statement<unknown[], Row> => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare<unknown[], Row>(sql);
      cache.set(sql, s);
    }
    return s;
  };
  const firstMaterialOfKind = lazy<[string], { code: string; name_en: string }>(
    db,
    'SELECT code, name_en FROM material WHERE kind = ? AND retired = 0 ORDER BY code LIMIT 1',
  );
  const itemsByPositionCode = lazy<[string], SpecItemRow>(
    db,
    'SELECT * FROM spec_item WHERE version_id = ? AND retired = 0 ORDER BY position, code',
  );
  const tableConfirmations = lazy<[string], SpecTableConfirmationRow>(
    db,
    'SELECT * FROM spec_table_confirmation WHERE version_id = ? AND retired = 0 ORDER BY confirmed_at, rowid',
  );
  const itemsByPosition = lazy<[string], SpecItemRow>(
    db,
    'SELECT * FROM spec_item WHERE version_id = ? AND retired = 0 ORDER BY position',
  );
  const versionsWithCounts = lazy<[string], SpecVersionCountsRow>(
    db,
    `SELECT v.*, (SELECT count(*) FROM spec_item i WHERE i.version_id = v.id AND i.retired = 0) AS n_items,
            (SELECT count(*) FROM spec_item i WHERE i.version_id = v.id AND i.retired = 0 AND i.verification IN ('missing','unverified')) AS n_flagged
     FROM spec_version v WHERE v.spec_id = ? ORDER BY v.version DESC`,
  );
  const effectiveVersion = lazy<[string, string, string], string>(
    db,
    `SELECT v.id FROM spec_version v JOIN specification s ON s.id = v.spec_id
     WHERE s.subject_kind = ? AND s.subject_id = ? AND s.retired = 0 AND v.status IN ('approved', 'superseded')
       AND v.effective_from <= ? ORDER BY v.effective_from DESC, v.version DESC LIMIT 1`,
    true,
  );
  const specCodeTaken = lazy<[string], number>(db, 'SELECT 1 FROM specification WHERE code = ?', true);
  const versionsOfSpec = lazy<[string], SpecVersionRow>(
    db,
    'SELECT * FROM spec_version WHERE spec_id = ? ORDER BY version DESC',
  );
  const anyDue = lazy<[string], number>(
    db,
    "SELECT 1 FROM spec_version v JOIN specification s ON s.id = v.spec_id WHERE s.retired = 0 AND v.status = 'approved' AND v.effective_from <= ? GROUP BY v.spec_id HAVING count(*) > 1 LIMIT 1",
    true,
  );
  const liveSpecIds = lazy<[], string>(db, 'SELECT id FROM specification WHERE retired = 0', true);
  const approvedInForce = lazy<[string, string], SpecVersionRow>(
    db,
    "SELECT * FROM spec_version WHERE spec_id = ? AND status = 'approved' AND effective_from <= ? ORDER BY effective_from DESC, version DESC",
  );
  return {
    /** A version's items, by position then code. */
    items: (versionId: string): SpecItemRow[] => itemsByPositionCode().all(versionId),
    /** The tables of a version confirmed against the official text, oldest first (migration 0018). */
    tableConfirmations: (versionId: string): SpecTableConfirmationRow[] => tableConfirmations().all(versionId),
    /** A version's items, by position. */
    itemsByPosition: (versionId: string): SpecItemRow[] => itemsByPosition().all(versionId),
    specifications(f: { subjectKind?: string | undefined; subjectId?: string | undefined }): SpecRow[] {
      const where: string[] = ['retired = 0'];
      const params: unknown[] = [];
      if (f.subjectKind) {
        where.push('subject_kind = ?');
        params.push(f.subjectKind);
      }
      if (f.subjectId) {
        where.push('subject_id = ?');
        params.push(f.subjectId);
      }
      return stmt(`SELECT * FROM specification WHERE ${where.join(' AND ')} ORDER BY code`).all(...params) as SpecRow[];
    },
    versionsWithCounts: (specId: string): SpecVersionCountsRow[] => versionsWithCounts().all(specId),
    /** The id of the version in force on a date: approved (or since superseded), effective on or before it, newest. */
    effectiveVersionId: (subjectKind: string, subjectId: string, date: string): string | undefined =>
      effectiveVersion().get(subjectKind, subjectId, date),
    specCodeTaken: (code: string): boolean => specCodeTaken().get(code) !== undefined,
    versionsOfSpec: (specId: string): SpecVersionRow[] => versionsOfSpec().all(specId),
    /** Whether any specification has two approved versions in force on a date (one is due to be superseded). */
    anySupersedeDue: (date: string): boolean => anyDue().get(date) !== undefined,
    liveSpecIds: (): string[] => liveSpecIds().all(),
    /** A specification's approved versions in force on a date, newest first. */
    approvedInForce: (specId: string, date: string): SpecVersionRow[] => approvedInForce().all(specId, date),
    /** The records of one catalogue table, by code, optionally searched (LIKE) over some columns. */
    list(table: string, opts: { search?: string | undefined; columns: readonly string[]; includeRetired: boolean }): Row[] {
      const where: string[] = [];
      const params: unknown[] = [];
      if (!opts.includeRetired) where.push('retired = 0');
      if (opts.search) {
        where.push(`(${opts.columns.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
        const like = escapeLike(opts.search);
        for (let i = 0; i < opts.columns.length; i++) params.push(like);
      }
      return stmt(
        `SELECT * FROM ${table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY code LIMIT 5000`,
      ).all(...params);
    },
    /** A record by code, retired or not. */
    byCode: (table: string, code: string): Row | undefined => stmt(`SELECT * FROM ${table} WHERE code = ?`).get(code),
    /** A record by code, not retired. */
    activeByCode: (table: string, code: string): Row | undefined =>
      stmt(`SELECT * FROM ${table} WHERE code = ? AND retired = 0`).get(code),
    /** The first material of a kind (by code) that is not retired. */
    firstMaterialOfKind: (kind: string): { code: string; name_en: string } | undefined => firstMaterialOfKind().get(kind),
  };
}
export type CatalogQueries = ReturnType<typeof catalogQueries>;

// =====================================================================================
// The reads catalog offers other capabilities (issue 21: "no capability reads another's
// tables; it asks the owner"). Built once by the composition root (src/main/app/compose.ts)
// and passed to the capabilities that ask, as a constructor dependency.
// =====================================================================================

/** A specification version's label (its specification's code, version, effective date). */
export interface SpecLabelRow {
  id: string;
  version: number;
  effective_from: string | null;
  code: string;
}

/** A product as other capabilities read it. */
export interface ProductFacts {
  id: string;
  code: string;
  name_zh: string;
  name_en: string;
  stage: string;
}

/** A product as a certificate names it. */
export interface CertificateProduct {
  code: string;
  stage: string;
  name_zh: string;
  name_en: string;
  registration_no: string | null;
}

export function catalogReads(db: Db) {
  const certificateProduct = lazy<[string], CertificateProduct>(
    db,
    'SELECT code, stage, name_zh, name_en, registration_no FROM product WHERE code = ?',
  );
  const specStandard = lazy<[string], { standard: string | null }>(
    db,
    'SELECT s.standard FROM spec_version v JOIN specification s ON s.id = v.spec_id WHERE v.id = ?',
  );
  const productByCode = lazy<[string], ProductFacts>(
    db,
    'SELECT id, code, name_zh, name_en, stage FROM product WHERE code = ? AND retired = 0',
  );
  const currentVersion = lazy<[string], { id: string }>(
    db,
    `SELECT v.id FROM spec_version v JOIN specification s ON s.id = v.spec_id
     WHERE s.subject_kind = 'product' AND s.subject_id = ? AND s.retired = 0 AND v.retired = 0 AND v.status <> 'superseded'
     ORDER BY CASE v.status WHEN 'approved' THEN 0 ELSE 1 END, v.version DESC LIMIT 1`,
  );
  const itemsOfVersion = lazy<[string], { code: string; name_zh: string; name_en: string; unit: string; basis: string }>(
    db,
    'SELECT code, name_zh, name_en, unit, basis FROM spec_item WHERE version_id = ? AND retired = 0 ORDER BY position',
  );
  const latestItemName = lazy<[string, string], { name_zh: string; name_en: string }>(
    db,
    `SELECT i.name_zh, i.name_en FROM spec_item i JOIN spec_version v ON v.id = i.version_id JOIN specification s ON s.id = v.spec_id
     JOIN product p ON p.id = s.subject_id WHERE s.subject_kind = 'product' AND p.code = ? AND i.code = ? AND i.retired = 0
     ORDER BY v.version DESC LIMIT 1`,
  );
  const supplierExists = lazy<[string], 1>(db, 'SELECT 1 FROM supplier WHERE code = ? AND retired = 0');
  const supplierName = lazy<[string], { name: string }>(db, 'SELECT name FROM supplier WHERE code = ?');
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
  const methodExists = lazy<[string], { one: number }>(db, 'SELECT 1 AS one FROM test_method WHERE code = ? AND retired = 0');
  const methodInSpecs = lazy<[string], { one: number }>(db, 'SELECT 1 AS one FROM spec_item WHERE method_code = ? LIMIT 1');
  // The specification records behind a lot: catalog's own records, selected by the versions the
  // lot's samples (samples' `sample`) and results (testing's `test_result`) name, one statement
  // each on purpose (a lot's audit scope; asking samples and testing for the version ids first
  // would add statements and gain nothing: only ids cross).
  const LOT_VERSIONS = `SELECT spec_version_id FROM sample WHERE lot_code = ? AND spec_version_id IS NOT NULL
                    UNION SELECT spec_version_id FROM test_result WHERE lot_code = ? AND spec_version_id IS NOT NULL`;
  const specScope = (
    [
      ['spec_version', `SELECT id FROM spec_version WHERE id IN (${LOT_VERSIONS})`],
      ['spec_item', `SELECT id FROM spec_item WHERE version_id IN (${LOT_VERSIONS})`],
    ] as const
  ).map(([entity, sql]) => ({ entity, stmt: lazy<[string, string], { id: string }>(db, sql) }));
  return {
    /** The specification versions and items behind a lot's samples and results, by entity. */
    specRecordsOfLot: (lotCode: string): Array<{ entity: string; ids: string[] }> =>
      specScope.map(({ entity, stmt }) => ({
        entity,
        ids: stmt()
          .all(lotCode, lotCode)
          .map((r) => r.id),
      })),
    /** A product by code (retired or not) with its registration number. */
    certificateProduct: (code: string): CertificateProduct | undefined => certificateProduct().get(code),
    /** The standard of a specification version's specification. */
    specStandard: (versionId: string): string | null => specStandard().get(versionId)?.standard ?? null,
    /** An active product of that code. */
    productByCode: (code: string): ProductFacts | undefined => productByCode().get(code),
    /** A product's current specification version (approved first, then the newest draft). */
    currentVersionOf: (productId: string): string | null => currentVersion().get(productId)?.id ?? null,
    /** A version's items in order. */
    itemsOfVersion: (versionId: string) => itemsOfVersion().all(versionId),
    /** An item's name in the product's newest specification version that has it. */
    latestItemName: (productCode: string, itemCode: string) => latestItemName().get(productCode, itemCode),
    /** An active supplier of that code exists. */
    supplierExists: (code: string): boolean => !!supplierExists().get(code),
    /** The supplier's name (retired or not). */
    supplierName: (code: string): string | null => supplierName().get(code)?.name ?? null,
    /** The active suppliers (one, or all), by code. */
    suppliers: (code?: string): Array<{ code: string; name: string; kind: string }> =>
      db
        .prepare<
          unknown[],
          { code: string; name: string; kind: string }
        >(`SELECT code, name, kind FROM supplier WHERE retired = 0 ${code ? 'AND code = ?' : ''} ORDER BY code`)
        .all(...(code ? [code] : [])),
    /** A product's stage (null: no such product). */
    productStage: (code: string): string | null => productStage().get(code)?.stage ?? null,
    /** The name of a product or material by code. */
    subjectName: (code: string): { name_zh: string; name_en: string } | undefined => subjectName().get(code, code),
    /** A specification version's label. */
    specLabel: (versionId: string): SpecLabelRow | undefined => specLabel().get(versionId),
    /** The ids of a version's items, by item code. */
    specItemIds: (versionId: string): Map<string, string> =>
      new Map(
        specItemIds()
          .all(versionId)
          .map((r) => [r.code, r.id]),
      ),
    /** The id of a version's item of that code. */
    specItemId: (versionId: string, itemCode: string): string | null =>
      specItemId().get(versionId, itemCode)?.id ?? null,
    /** A test method exists in the catalogue, or specifications name it. */
    methodKnown: (code: string): boolean => !!methodExists().get(code) || !!methodInSpecs().get(code),
  };
}
export type CatalogReads = ReturnType<typeof catalogReads>;

/** The company the documents name, as stored (migration 0017; one record, id `company`). */
export interface CompanyRow {
  id: string;
  rev: number;
  name: string;
  name_en: string | null;
  sc_number: string;
  address: string;
  stamp_id: string | null;
  updated_by: string;
  updated_at: number;
}

/**
 * A stamp image's record: its SHA-256, type and size; `data` holds the base64 bytes only for
 * stamps recorded before migration 0020 (empty since: the bytes are in company_stamp_image).
 */
export interface CompanyStampRow {
  id: string;
  mime: 'image/png' | 'image/jpeg';
  bytes: number;
  sha256: string;
  data: string;
}

export const COMPANY_ID = 'company';

/** The company profile and its stamp images (catalog's own tables, migration 0017). */
export function companyQueries(db: Db) {
  const profile = lazy<[string], CompanyRow>(
    db,
    'SELECT id, rev, name, name_en, sc_number, address, stamp_id, updated_by, updated_at FROM company_profile WHERE id = ? AND retired = 0',
  );
  const stampById = lazy<[string], CompanyStampRow>(db, 'SELECT id, mime, bytes, sha256, data FROM company_stamp WHERE id = ?');
  const stampBySha = lazy<[string, string], CompanyStampRow>(
    db,
    'SELECT id, mime, bytes, sha256, data FROM company_stamp WHERE sha256 = ? AND mime = ? AND retired = 0 LIMIT 1',
  );
  // The stamp images' bytes by SHA-256 (migration 0020; not ledgered: the record holds the hash).
  const imageBySha = lazy<[string], { data: string }>(db, 'SELECT data FROM company_stamp_image WHERE sha256 = ?');
  const keepImage = lazy<[string, string, string], never>(
    db,
    'INSERT OR IGNORE INTO company_stamp_image (sha256, mime, data) VALUES (?, ?, ?)',
  );
  return {
    /** The company record (undefined until an administrator sets it). */
    profile: (): CompanyRow | undefined => profile().get(COMPANY_ID),
    /** The base64 bytes kept for a SHA-256 (not yet checked against a record). */
    imageData: (sha256: string): string | undefined => imageBySha().get(sha256)?.data,
    /** Keeps an image's bytes by their SHA-256 (in the caller's write transaction). */
    keepImage: (sha256: string, mime: string, base64: string): void => {
      keepImage().run(sha256, mime, base64);
    },
    stamp: (id: string): CompanyStampRow | undefined => stampById().get(id),
    /** A stamp image already kept with these bytes (same SHA-256 and type). */
    stampBySha256: (sha256: string, mime: string): CompanyStampRow | undefined => stampBySha().get(sha256, mime),
  };
}
export type CompanyQueries = ReturnType<typeof companyQueries>;
