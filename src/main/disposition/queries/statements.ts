import type { Db, Stmt } from '../../db/database';
import type { Row } from '../../ledger/entities';

/**
 * Every SQL statement of disposition, as typed statements. The first section reads
 * disposition's own table (lot_audit_review) and the ledger's (audit_entry, signature: the
 * kernel's); the second reads other capabilities' tables, to move behind their front doors
 * as those capabilities get them.
 */

export interface AuditReviewRow {
  id: string;
  lot_code: string;
  through_seq: number;
  entries: number;
  comment: string;
  reviewed_by: string;
  reviewed_at: number;
}

export interface EntryRow {
  seq: number;
  at: number;
  actor: string;
  actor_name: string;
  action: string;
  entity: string;
  entity_id: string;
  reason: string | null;
  content: string;
}

export interface QueueLotRow {
  code: string;
  item_code: string;
  item_name: string;
  lot_date: string;
  status: string;
}

export interface DossierInputRow {
  input_lot: string;
  quantity: string;
  unit: string;
  date: string | null;
  kind: string | null;
  item_code: string | null;
  status: string | null;
  supplier_code: string | null;
}

export interface DossierSampleRow {
  code: string;
  kind: string;
  taken_at: number;
  status: string;
  storage_location: string | null;
}

export interface DossierResultRow {
  sample_code: string;
  item_code: string;
  attempt: number;
  /** JSON arrays of strings. */
  replicates: string | null;
  unit_values: string | null;
  reported: string | null;
  verdict: string | null;
  status: string;
  invalidated_reason: string | null;
  submitted_by: string | null;
  analyst_id: string | null;
  reviewed_by: string | null;
  instrument_id: string | null;
  external_lab: string | null;
  external_report_no: string | null;
  oos_code: string | null;
}

export interface DossierOosRow {
  code: string;
  item_code: string;
  reported: string | null;
  status: string;
  outcome: string | null;
  conclusion: string | null;
}

export interface ProductRow {
  code: string;
  stage: string;
  name_zh: string;
  name_en: string;
  registration_no: string | null;
}

type Ids = Array<{ id: string }>;

export function dispositionQueries(db: Db) {
  /** Statements whose IN list grows with the ids asked (chunks of at most 500), prepared once per size. */
  const sized = new Map<string, Stmt>();
  const inList = (key: string, n: number, sql: (ph: string) => string): Stmt => {
    const k = `${key}|${n}`;
    let s = sized.get(k);
    if (!s) {
      s = db.prepare(sql(Array.from({ length: n }, () => '?').join(',')));
      sized.set(k, s);
    }
    return s;
  };
  const ids = (s: Stmt, ...p: unknown[]): string[] => (s.all(...p) as Ids).map((r) => r.id);

  // ---------------------------------------------------------------- disposition's own table and the ledger's
  const lastReview = db.prepare<[string], AuditReviewRow>(
    'SELECT * FROM lot_audit_review WHERE lot_code = ? AND retired = 0 ORDER BY through_seq DESC LIMIT 1',
  );
  const lastReviewAny = db.prepare<[string], { id: string }>(
    'SELECT id FROM lot_audit_review WHERE lot_code = ? ORDER BY through_seq DESC LIMIT 1',
  );
  const signatureSeq = db.prepare<[string], { seq: number | null }>(
    "SELECT max(seq) AS seq FROM audit_entry WHERE entity = 'signature' AND entity_id = ?",
  );
  const decisionSignatureSeqs = db.prepare<[string], { seq: number }>(
    `SELECT a.seq FROM audit_entry a JOIN signature s ON s.id = a.entity_id
     WHERE a.entity = 'signature' AND s.entity = 'lot' AND s.entity_id = ? AND s.meaning IN ('accepted', 'released', 'held', 'rejected')`,
  );
  const entryAt = db.prepare<[number], { entity: string; entity_id: string }>(
    'SELECT entity, entity_id FROM audit_entry WHERE seq = ?',
  );
  const previousContent = db.prepare<[string, string, number], { content: string }>(
    'SELECT content FROM audit_entry WHERE entity = ? AND entity_id = ? AND seq < ? ORDER BY seq DESC LIMIT 1',
  );
  const everHeld = db.prepare<[string], { one: number }>(
    "SELECT 1 AS one FROM signature WHERE entity = 'lot' AND entity_id = ? AND meaning = 'held' LIMIT 1",
  );
  const heldFor = db.prepare<[string], { comment: string | null }>(
    "SELECT comment FROM signature s JOIN lot l ON l.id = s.entity_id WHERE s.entity = 'lot' AND l.code = ? AND s.meaning = 'held' ORDER BY s.signed_at DESC LIMIT 1",
  );

  // ---------------------------------------------------------------- reads of other capabilities' tables (to move behind their front doors)
  // lots: lot, batch, consumption, shipment, stock_movement
  const lotByCode = db.prepare<[string], Row>('SELECT * FROM lot WHERE code = ? AND retired = 0');
  const lotAnyByCode = db.prepare<[string], Row>('SELECT * FROM lot WHERE code = ?');
  const batchById = db.prepare<[string], { code: string; status: string }>('SELECT code, status FROM batch WHERE id = ?');
  const inputsOf = db.prepare<[string], { code: string; status: string | null; kind: string | null }>(
    'SELECT DISTINCT c.input_lot AS code, l.status, l.kind FROM consumption c LEFT JOIN lot l ON l.code = c.input_lot WHERE c.output_lot = ? AND c.retired = 0 ORDER BY c.input_lot',
  );
  const dossierInputs = db.prepare<[string], DossierInputRow>(
    'SELECT c.input_lot, c.quantity, c.unit, c.date, l.kind, l.item_code, l.status, l.supplier_code FROM consumption c LEFT JOIN lot l ON l.code = c.input_lot WHERE c.output_lot = ? AND c.retired = 0 ORDER BY c.input_lot',
  );
  const queue = db.prepare<[number], QueueLotRow>(
    "SELECT code, item_code, item_name, lot_date, status FROM lot WHERE kind = 'finished' AND status = 'on_hold' AND retired = 0 ORDER BY lot_date, code LIMIT ?",
  );
  // catalog: product, material, specification, spec_version, spec_item, method_rule
  const product = db.prepare<[string], ProductRow>(
    'SELECT code, stage, name_zh, name_en, registration_no FROM product WHERE code = ?',
  );
  const itemNames = db.prepare<[string, string], { name_zh: string; name_en: string }>(
    'SELECT name_zh, name_en FROM product WHERE code = ? UNION ALL SELECT name_zh, name_en FROM material WHERE code = ? LIMIT 1',
  );
  const specStandard = db.prepare<[string], { standard: string | null }>(
    'SELECT s.standard FROM spec_version v JOIN specification s ON s.id = v.spec_id WHERE v.id = ?',
  );
  // intake: raw_milk_intake
  const intakeStatus = db.prepare<[string], { status: string }>('SELECT status FROM raw_milk_intake WHERE lot_code = ?');
  // samples and testing: sample, test_result, oos_investigation
  const dossierSamples = db.prepare<[string], DossierSampleRow>(
    'SELECT code, kind, taken_at, status, storage_location FROM sample WHERE lot_code = ? AND parent_sample_id IS NULL ORDER BY taken_at',
  );
  const dossierResults = db.prepare<[string], DossierResultRow>(
    `SELECT r.sample_code, r.item_code, r.attempt, r.replicates, r.unit_values, r.reported, r.verdict, r.status, r.invalidated_reason,
            r.submitted_by, r.analyst_id, r.reviewed_by, r.instrument_id, r.external_lab, r.external_report_no, o.code AS oos_code
     FROM test_result r LEFT JOIN oos_investigation o ON o.id = r.oos_id
     WHERE r.lot_code = ? AND r.retired = 0 AND r.plan_reason <> 'parameter' ORDER BY r.sample_code, r.position, r.attempt`,
  );
  const dossierOos = db.prepare<[string], DossierOosRow>(
    'SELECT code, item_code, reported, status, outcome, conclusion FROM oos_investigation WHERE lot_code = ? ORDER BY opened_at',
  );
  const methodsOfLot = db.prepare<[string], { id: string; method_code: string | null }>(
    'SELECT id, method_code FROM test_result WHERE lot_code = ?',
  );
  // instruments: instrument, instrument_capture, instrument_flag, instrument_event
  const flaggedCaptures = db.prepare<[string], { id: string; flag_reason: string | null; instrument: string; item_code: string }>(
    `SELECT c.id, c.flag_reason, i.code AS instrument, r.item_code FROM instrument_capture c JOIN test_result r ON r.id = c.result_id JOIN instrument i ON i.id = c.instrument_id
     WHERE r.lot_code = ? AND r.retired = 0 AND r.status <> 'invalidated' AND c.status = 'used' AND c.flagged = 1`,
  );
  const flaggedTyped = db.prepare<[string], { id: string; instrument: string; item_code: string }>(
    `SELECT f.id, i.code AS instrument, f.item_code FROM instrument_flag f JOIN test_result r ON r.id = f.result_id JOIN instrument i ON i.id = f.instrument_id
     WHERE f.lot_code = ? AND f.how = 'typed' AND r.retired = 0 AND r.status <> 'invalidated' AND r.replicates IS f.replicates`,
  );
  const instrumentsUsed = db.prepare<[string], { id: string; code: string }>(
    `SELECT DISTINCT i.id, i.code FROM instrument_capture c JOIN test_result r ON r.id = c.result_id JOIN instrument i ON i.id = c.instrument_id
     WHERE r.lot_code = ? AND r.retired = 0 AND r.status <> 'invalidated' AND c.status = 'used'`,
  );
  const dossierInstruments = db.prepare<[string], { code: string; name: string | null; serial_no: string | null }>(
    'SELECT DISTINCT i.code, i.name, i.serial_no FROM instrument_capture c JOIN instrument i ON i.id = c.instrument_id JOIN test_result r ON r.id = c.result_id WHERE r.lot_code = ?',
  );
  const instrumentUses = db.prepare<[string, string], { id: string; first: number; last: number }>(
    `SELECT instrument_id AS id, min(at) AS first, max(at) AS last FROM (
       SELECT c.instrument_id, c.at FROM instrument_capture c JOIN test_result r ON r.id = c.result_id WHERE r.lot_code = ?
       UNION ALL SELECT r.instrument_id, r.entered_at FROM test_result r WHERE r.lot_code = ? AND r.instrument_id IS NOT NULL AND r.entered_at IS NOT NULL
     ) GROUP BY instrument_id`,
  );
  const instrumentEvents = db.prepare<[string, number, number, number, number], { id: string }>(
    `SELECT e.id FROM instrument_event e WHERE e.instrument_id = ? AND e.retired = 0
       AND e.performed_at >= coalesce((SELECT max(x.performed_at) FROM instrument_event x WHERE x.instrument_id = e.instrument_id AND x.kind = e.kind AND x.performed_at <= ?), ?)
       AND e.performed_at <= coalesce((SELECT min(x.performed_at) FROM instrument_event x WHERE x.instrument_id = e.instrument_id AND x.kind = e.kind AND x.performed_at >= ?), ?)`,
  );

  /** The records of each kind behind a lot (its audit scope), by entity. */
  const VERSIONS = `SELECT spec_version_id FROM sample WHERE lot_code = ? AND spec_version_id IS NOT NULL
                    UNION SELECT spec_version_id FROM test_result WHERE lot_code = ? AND spec_version_id IS NOT NULL`;
  const scopeOwn: Array<[entity: string, stmt: Stmt, params: 1 | 2]> = (
    [
      ['sample', 'SELECT id FROM sample WHERE lot_code = ?'],
      ['sample_event', 'SELECT e.id FROM sample_event e JOIN sample s ON s.id = e.sample_id WHERE s.lot_code = ?'],
      ['test_result', 'SELECT id FROM test_result WHERE lot_code = ?'],
      ['result_attachment', 'SELECT a.id FROM result_attachment a JOIN test_result r ON r.id = a.result_id WHERE r.lot_code = ?'],
      ['instrument_capture', 'SELECT c.id FROM instrument_capture c JOIN test_result r ON r.id = c.result_id WHERE r.lot_code = ?'],
      ['instrument_flag', 'SELECT id FROM instrument_flag WHERE lot_code = ?'],
      ['oos_investigation', 'SELECT id FROM oos_investigation WHERE lot_code = ?'],
      // Failing verdicts changed before submission, micro presumptives and automatic holds (testing, issues 19 §4, 20 §3).
      ['verdict_change', 'SELECT id FROM verdict_change WHERE lot_code = ?'],
      ['micro_hold', 'SELECT id FROM micro_hold WHERE lot_code = ?'],
      ['micro_confirmation', 'SELECT c.id FROM micro_confirmation c JOIN test_result r ON r.id = c.result_id WHERE r.lot_code = ?'],
      ['consumption', 'SELECT id FROM consumption WHERE output_lot = ? OR input_lot = ?', 2],
      ['shipment', 'SELECT id FROM shipment WHERE lot_code = ?'],
      ['stock_movement', 'SELECT id FROM stock_movement WHERE lot_code = ?'],
    ] as Array<[string, string, 2?]>
  ).map(([entity, sql, n]) => [entity, db.prepare(sql), n ?? 1]);
  const intakeIds = db.prepare('SELECT id FROM raw_milk_intake WHERE lot_code = ?');
  const scopeShared: Array<[entity: string, stmt: Stmt, params: 1 | 2]> = [
    ['spec_version', db.prepare(`SELECT id FROM spec_version WHERE id IN (${VERSIONS})`), 2],
    ['spec_item', db.prepare(`SELECT id FROM spec_item WHERE version_id IN (${VERSIONS})`), 2],
    [
      'method_rule',
      db.prepare(
        "SELECT id FROM method_rule WHERE method_code IN (SELECT method_code FROM test_result WHERE lot_code = ? AND method_code IS NOT NULL AND method_code <> '')",
      ),
      1,
    ],
  ];
  const run = (s: Stmt, n: 1 | 2, code: string) => (n === 2 ? ids(s, code, code) : ids(s, code));

  return {
    // ---- own table and the ledger's
    lastAuditReview: (lotCode: string): AuditReviewRow | undefined => lastReview.get(lotCode),
    lastAuditReviewId: (lotCode: string): string | null => lastReviewAny.get(lotCode)?.id ?? null,
    lastSignatureSeq: (signatureId: string): number | null => signatureSeq.get(signatureId)?.seq ?? null,
    decisionSignatureSeqs: (lotId: string): number[] => decisionSignatureSeqs.all(lotId).map((r) => r.seq),
    entryAt: (seq: number) => entryAt.get(seq),
    previousContent: (entity: string, entityId: string, seq: number): string | null =>
      previousContent.get(entity, entityId, seq)?.content ?? null,
    everHeld: (lotId: string): boolean => !!everHeld.get(lotId),
    heldFor: (lotCode: string): string | null => heldFor.get(lotCode)?.comment ?? null,
    /** Signatures on records of one entity, with the sequence number of their audit entry. */
    signaturesOn: (entity: string, entityIds: string[]): Array<{ id: string; user_id: string; seq: number | null }> =>
      inList(
        'signatures',
        entityIds.length,
        (ph) => `SELECT s.id, s.user_id, (SELECT max(a.seq) FROM audit_entry a WHERE a.entity = 'signature' AND a.entity_id = s.id) AS seq
                 FROM signature s WHERE s.entity = ? AND s.entity_id IN (${ph})`,
      ).all(entity, ...entityIds) as Array<{ id: string; user_id: string; seq: number | null }>,
    /** Audit entries of records of one entity, oldest first, up to a sequence number when given. */
    entriesOf: (entity: string, entityIds: string[], maxSeq: number | null): EntryRow[] =>
      inList(
        maxSeq !== null ? 'entries-bounded' : 'entries',
        entityIds.length,
        (ph) =>
          `SELECT seq, at, actor, actor_name, action, entity, entity_id, reason, content FROM audit_entry WHERE entity = ? AND entity_id IN (${ph})${maxSeq !== null ? ' AND seq <= ?' : ''} ORDER BY seq`,
      ).all(entity, ...entityIds, ...(maxSeq !== null ? [maxSeq] : [])) as EntryRow[],

    // ---- other capabilities' tables
    lot: (code: string): Row | undefined => lotByCode.get(code),
    /** A lot by code, retired or not (trace and the decision guard read it so). */
    lotAny: (code: string): Row | undefined => lotAnyByCode.get(code),
    batch: (id: string) => batchById.get(id),
    inputsOf: (lotCode: string) => inputsOf.all(lotCode),
    queue: (limit: number): QueueLotRow[] => queue.all(limit),
    product: (code: string): ProductRow | undefined => product.get(code),
    itemNames: (itemCode: string) => itemNames.get(itemCode, itemCode),
    specStandard: (versionId: string): string | null => specStandard.get(versionId)?.standard ?? null,
    intakeStatus: (lotCode: string): string | null => intakeStatus.get(lotCode)?.status ?? null,
    /** The method of each result of the lot, by result id (one query per lot). */
    methodsOfLot: (lotCode: string): Map<string, string | null> =>
      new Map(methodsOfLot.all(lotCode).map((r) => [r.id, r.method_code])),
    flaggedCaptures: (lotCode: string) => flaggedCaptures.all(lotCode),
    flaggedTyped: (lotCode: string) => flaggedTyped.all(lotCode),
    instrumentsUsed: (lotCode: string) => instrumentsUsed.all(lotCode),
    dossierInputs: (lotCode: string) => dossierInputs.all(lotCode),
    dossierSamples: (lotCode: string) => dossierSamples.all(lotCode),
    dossierResults: (lotCode: string) => dossierResults.all(lotCode),
    dossierOos: (lotCode: string) => dossierOos.all(lotCode),
    dossierInstruments: (lotCode: string) => dossierInstruments.all(lotCode),
    /** The lot's own records (samples, results, captures, investigations, consumption, shipments…), by entity. */
    scopeRecords: (lotCode: string): Array<{ entity: string; ids: string[] }> => [
      ...scopeOwn.map(([entity, s, n]) => ({ entity, ids: run(s, n, lotCode) })),
    ],
    intakeIds: (lotCode: string): string[] => ids(intakeIds, lotCode),
    /** Shared records behind the lot's results: spec versions and items, method rules. */
    sharedRecords: (lotCode: string): Array<{ entity: string; ids: string[] }> =>
      scopeShared.map(([entity, s, n]) => ({ entity, ids: run(s, n, lotCode) })),
    instrumentUses: (lotCode: string) => instrumentUses.all(lotCode, lotCode),
    /** An instrument's calibrations and checks from the last of each kind before `first` to the first after `last`. */
    instrumentEventsAround: (instrumentId: string, first: number, last: number): string[] =>
      instrumentEvents.all(instrumentId, first, first, last, last).map((r) => r.id),
  };
}
export type DispositionQueries = ReturnType<typeof dispositionQueries>;
