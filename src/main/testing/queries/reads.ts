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

export function testingReads(db: Db) {
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
