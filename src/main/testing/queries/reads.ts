import type { TestItem } from '../../../shared/rules';
import type { Db } from '../../db/database';
import { lazy } from './statement';

/**
 * The reads testing offers other capabilities (issue 21: "no capability reads another's
 * tables; it asks the owner"). Built once by the composition root (src/main/app/compose.ts)
 * and passed to the capabilities that ask (intake, environment), as a constructor dependency.
 *
 * The swab reads span `sample` (samples' table) and `test_result` in one statement each: a
 * result's sample is its subject, and the questions ("the last all-negative swab of a site",
 * "the swabs of a site since the alert, with their result") are about results; asking samples
 * for the swabs and testing per swab would turn one statement into one per swab.
 */

/** A standing result of a sample as a tanker's panel reads it (item parsed). */
export interface PanelResultRow {
  id: string;
  item: TestItem & { screen?: boolean };
  verdict: 'pass' | 'fail' | 'invalid' | null;
  status: string;
  reported: string | null;
  submitted_at: number | null;
}

/** A swab of a site and its result for the alert's target (none yet: null verdict and status). */
export interface SwabResultRow {
  code: string;
  taken_at: number;
  verdict: string | null;
  status: string | null;
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

/** A result of a lot as its dossier lists it (with its investigation's code). */
export interface LotResultRow {
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

/** An OOS investigation of a lot as its dossier lists it. */
export interface LotInvestigationRow {
  code: string;
  item_code: string;
  reported: string | null;
  status: string;
  outcome: string | null;
  conclusion: string | null;
}

export function testingReads(db: Db) {
  const lotResults = lazy<[string], LotResultRow>(
    db,
    `SELECT r.sample_code, r.item_code, r.attempt, r.replicates, r.unit_values, r.reported, r.verdict, r.status, r.invalidated_reason,
            r.submitted_by, r.analyst_id, r.reviewed_by, r.instrument_id, r.external_lab, r.external_report_no, o.code AS oos_code
     FROM test_result r LEFT JOIN oos_investigation o ON o.id = r.oos_id
     WHERE r.lot_code = ? AND r.retired = 0 AND r.plan_reason <> 'parameter' ORDER BY r.sample_code, r.position, r.attempt`,
  );
  const lotInvestigations = lazy<[string], LotInvestigationRow>(
    db,
    'SELECT code, item_code, reported, status, outcome, conclusion FROM oos_investigation WHERE lot_code = ? ORDER BY opened_at',
  );
  const methodsOfLot = lazy<[string], { id: string; method_code: string | null }>(
    db,
    'SELECT id, method_code FROM test_result WHERE lot_code = ?',
  );
  const scope = (
    [
      ['test_result', 'SELECT id FROM test_result WHERE lot_code = ?'],
      ['result_attachment', 'SELECT a.id FROM result_attachment a JOIN test_result r ON r.id = a.result_id WHERE r.lot_code = ?'],
      ['oos_investigation', 'SELECT id FROM oos_investigation WHERE lot_code = ?'],
      // Failing verdicts changed before submission, micro presumptives and automatic holds (issues 19 §4, 20 §3).
      ['verdict_change', 'SELECT id FROM verdict_change WHERE lot_code = ?'],
      ['micro_hold', 'SELECT id FROM micro_hold WHERE lot_code = ?'],
      ['micro_confirmation', 'SELECT c.id FROM micro_confirmation c JOIN test_result r ON r.id = c.result_id WHERE r.lot_code = ?'],
    ] as const
  ).map(([entity, sql]) => ({ entity, stmt: lazy<[string], { id: string }>(db, sql) }));
  const methodRules = lazy<[string], { id: string }>(
    db,
    "SELECT id FROM method_rule WHERE method_code IN (SELECT method_code FROM test_result WHERE lot_code = ? AND method_code IS NOT NULL AND method_code <> '')",
  );
  // The release results are a lot's results on its release samples: the sample's kind is the
  // result's subject, read in the same statement (a subquery on `sample`).
  const releaseResults = lazy<[string, string], LabelResultRow>(
    db,
    `SELECT id, item_code, item, status, plan_reason, reported, value, verdict FROM test_result
     WHERE lot_code = ? AND retired = 0 AND status <> 'invalidated'
       AND sample_id IN (SELECT id FROM sample WHERE lot_code = ? AND kind = 'finished_release')
     ORDER BY position, attempt`,
  );
  const panelResults = lazy<[string], Omit<PanelResultRow, 'item'> & { item: string }>(
    db,
    "SELECT * FROM test_result WHERE sample_id = ? AND retired = 0 AND status <> 'invalidated' ORDER BY position, attempt",
  );
  const reported = lazy<[string], { reported: string | null }>(db, 'SELECT reported FROM test_result WHERE id = ?');
  const lastNegative = lazy<[string, number], { at: number | null }>(
    db,
    `SELECT max(s.taken_at) AS at FROM sample s
         WHERE s.site_id = ? AND s.kind = 'environmental_swab' AND s.status <> 'cancelled' AND s.taken_at < ?
           AND EXISTS (SELECT 1 FROM test_result r WHERE r.sample_id = s.id AND r.retired = 0)
           AND NOT EXISTS (SELECT 1 FROM test_result r WHERE r.sample_id = s.id AND r.retired = 0 AND r.status <> 'invalidated'
                           AND (r.verdict IS NULL OR r.verdict <> 'pass' OR r.status NOT IN ('submitted','reviewed')))`,
  );
  const followUpSwabs = lazy<[string, string, number, string], SwabResultRow>(
    db,
    `SELECT s.code, s.taken_at, r.verdict, r.status FROM sample s
         LEFT JOIN test_result r ON r.sample_id = s.id AND r.item_code = ? AND r.retired = 0 AND r.status <> 'invalidated'
         WHERE s.site_id = ? AND s.kind = 'environmental_swab' AND s.status <> 'cancelled' AND s.taken_at > ? AND s.code <> ?
         ORDER BY s.taken_at DESC, s.code DESC`,
  );
  const swabResults = lazy<[number, number], { site_id: string; taken_at: number; verdict: string | null; status: string }>(
    db,
    `SELECT s.site_id, s.taken_at, r.verdict, r.status FROM sample s JOIN test_result r ON r.sample_id = s.id
         WHERE s.kind = 'environmental_swab' AND s.status <> 'cancelled' AND r.retired = 0 AND r.status <> 'invalidated' AND s.taken_at BETWEEN ? AND ?`,
  );
  return {
    /** A lot's results (not plan parameters), by sample and plan order, with their investigation's code. */
    lotResults: (lotCode: string): LotResultRow[] => lotResults().all(lotCode),
    /** A lot's OOS investigations, in the order opened. */
    lotInvestigations: (lotCode: string): LotInvestigationRow[] => lotInvestigations().all(lotCode),
    /** The method of each result of the lot, by result id (one query per lot). */
    methodsOfLot: (lotCode: string): Map<string, string | null> =>
      new Map(
        methodsOfLot()
          .all(lotCode)
          .map((r) => [r.id, r.method_code]),
      ),
    /** Testing's records behind a lot (results, attachments, investigations, verdict changes, micro records), by entity. */
    recordsOfLot: (lotCode: string): Array<{ entity: string; ids: string[] }> =>
      scope.map(({ entity, stmt }) => ({
        entity,
        ids: stmt()
          .all(lotCode)
          .map((r) => r.id),
      })),
    /** The method rules of the methods the lot's results used. */
    methodRulesOfLot: (lotCode: string): string[] =>
      methodRules()
        .all(lotCode)
        .map((r) => r.id),
    /** A finished lot's current results on its release samples (not invalidated), in plan order. */
    releaseResults: (lotCode: string): LabelResultRow[] => releaseResults().all(lotCode, lotCode),
    /** The standing results of a sample (not invalidated), in plan order, items parsed. */
    panelResults: (sampleId: string): PanelResultRow[] =>
      panelResults()
        .all(sampleId)
        .map((r) => ({ ...r, item: JSON.parse(r.item) as PanelResultRow['item'] })),
    /** A result's reported value. */
    reported: (resultId: string): string | null => reported().get(resultId)?.reported ?? null,
    /** The last swab of the site before `before` whose results were all negative (submitted or reviewed). */
    lastNegativeSwab: (siteId: string, before: number): number | null => lastNegative().get(siteId, before)!.at,
    /** Swabs of a site taken after a time (except one), with their result for a target, newest first. */
    followUpSwabs: (target: string, siteId: string, after: number, except: string): SwabResultRow[] =>
      followUpSwabs().all(target, siteId, after, except),
    /** Swab results taken in a period (ms), not invalidated. */
    swabResults: (fromMs: number, toMs: number) => swabResults().all(fromMs, toMs),
  };
}
export type TestingReads = ReturnType<typeof testingReads>;
