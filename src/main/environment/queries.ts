import type { envAlertStatuses } from '../../shared/contract/channels/environment';
import type { Db } from '../db/database';
import type { Row } from '../ledger/entities';

/**
 * Every SQL statement of the environment capability (issue 21): its own table (env_alert),
 * rows parsed once here (JSON columns decoded). The last section reads other capabilities'
 * tables until their front doors offer the reads.
 */

function lazy<T>(make: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= make());
}

/** A follow-up swab schedule made when the alert was raised. */
export interface FollowUp {
  scheduleId: string;
  siteId: string;
  siteCode: string;
  kind: 're_swab' | 'vector';
}

export interface AlertRecord {
  id: string;
  rev: number;
  code: string;
  site_id: string;
  sample_code: string;
  result_id: string;
  target: string;
  zone: number | null;
  line: string | null;
  raised_at: number;
  since_negative_at: number | null;
  affected_lots: string[];
  follow_ups: FollowUp[];
  status: (typeof envAlertStatuses)[number];
  closed_by: string | null;
  closed_at: number | null;
  close_reason: string | null;
  /** The negative swabs a closure rests on; none before migration 0012. */
  closure_swabs: string[];
}
export function alertRecord(r: Row): AlertRecord {
  const list = (v: unknown): never[] => (typeof v === 'string' && v ? (JSON.parse(v) as never[]) : []);
  return {
    ...(r as unknown as AlertRecord),
    affected_lots: list(r['affected_lots']),
    follow_ups: list(r['follow_ups']),
    closure_swabs: list(r['closure_swabs']),
  };
}

export interface SiteRow {
  id: string;
  code: string;
  name_zh: string;
  name_en: string;
  zone: number | null;
  line: string | null;
  room: string | null;
}
export interface LotRow {
  id: string;
  code: string;
  item_code: string;
  item_name: string;
  lot_date: string;
  status: string;
  unit: string;
}
/** A swab of a site and its result for the alert's target (none yet: null verdict and status). */
export interface SwabResultRow {
  code: string;
  taken_at: number;
  verdict: string | null;
  status: string | null;
}

export function environmentQueries(db: Db) {
  const q = {
    openAlertAt: lazy(() =>
      db.prepare<[string, string], 1>(
        "SELECT 1 FROM env_alert WHERE site_id = ? AND target = ? AND status = 'open' AND retired = 0",
      ),
    ),
    alertCodeTaken: lazy(() => db.prepare<[string], 1>('SELECT 1 FROM env_alert WHERE code = ?')),
    alert: lazy(() => db.prepare<[string], Row>('SELECT * FROM env_alert WHERE code = ? AND retired = 0')),
    openAlerts: lazy(() => db.prepare<[], Row>("SELECT * FROM env_alert WHERE status = 'open' AND retired = 0")),
    ...otherCapabilityStatements(db),
  };
  return {
    /** An open alert of the site for the target exists. */
    openAlertAt: (siteId: string, target: string): boolean => !!q.openAlertAt().get(siteId, target),
    alertCodeTaken: (code: string): boolean => !!q.alertCodeTaken().get(code),
    alert: (code: string): AlertRecord | undefined => {
      const r = q.alert().get(code);
      return r && alertRecord(r);
    },
    alerts: (status?: string): AlertRecord[] =>
      db
        .prepare<unknown[], Row>(
          `SELECT * FROM env_alert WHERE retired = 0 ${status ? 'AND status = ?' : ''} ORDER BY raised_at DESC LIMIT 500`,
        )
        .all(...(status ? [status] : []))
        .map(alertRecord),
    openAlerts: (): AlertRecord[] => q.openAlerts().all().map(alertRecord),
    ...otherCapabilityReads(db, q),
  };
}
export type EnvironmentQueries = ReturnType<typeof environmentQueries>;

// =====================================================================================
// Reads of other capabilities' tables (to move behind their front doors).
// samples (sampling_site, sample), testing (test_result), lots (lot, batch, shipment).
// Each becomes a call to the owner's src/main/<capability>/index.ts when it offers it.
// =====================================================================================

function otherCapabilityStatements(db: Db) {
  return {
    site: lazy(() => db.prepare<[string], SiteRow>('SELECT * FROM sampling_site WHERE id = ?')),
    lastNegative: lazy(() =>
      db.prepare<[string, number], { at: number | null }>(
        `SELECT max(s.taken_at) AS at FROM sample s
         WHERE s.site_id = ? AND s.kind = 'environmental_swab' AND s.status <> 'cancelled' AND s.taken_at < ?
           AND EXISTS (SELECT 1 FROM test_result r WHERE r.sample_id = s.id AND r.retired = 0)
           AND NOT EXISTS (SELECT 1 FROM test_result r WHERE r.sample_id = s.id AND r.retired = 0 AND r.status <> 'invalidated'
                           AND (r.verdict IS NULL OR r.verdict <> 'pass' OR r.status NOT IN ('submitted','reviewed')))`,
      ),
    ),
    reported: lazy(() =>
      db.prepare<[string], { reported: string | null }>('SELECT reported FROM test_result WHERE id = ?'),
    ),
    sampleTakenAt: lazy(() => db.prepare<[string], { taken_at: number }>('SELECT taken_at FROM sample WHERE code = ?')),
    followUpSwabs: lazy(() =>
      db.prepare<[string, string, number, string], SwabResultRow>(
        `SELECT s.code, s.taken_at, r.verdict, r.status FROM sample s
         LEFT JOIN test_result r ON r.sample_id = s.id AND r.item_code = ? AND r.retired = 0 AND r.status <> 'invalidated'
         WHERE s.site_id = ? AND s.kind = 'environmental_swab' AND s.status <> 'cancelled' AND s.taken_at > ? AND s.code <> ?
         ORDER BY s.taken_at DESC, s.code DESC`,
      ),
    ),
    lotLine: lazy(() =>
      db.prepare<[string], { lot_date: string; line: string | null }>(
        'SELECT l.lot_date, b.line FROM lot l LEFT JOIN batch b ON b.id = l.batch_id WHERE l.code = ?',
      ),
    ),
    lotRow: lazy(() => db.prepare<[string], Row>('SELECT * FROM lot WHERE code = ?')),
    shipped: lazy(() => db.prepare<[string], 1>('SELECT 1 FROM shipment WHERE lot_code = ? AND retired = 0 LIMIT 1')),
    swabResults: lazy(() =>
      db.prepare<[number, number], { site_id: string; taken_at: number; verdict: string | null; status: string }>(
        `SELECT s.site_id, s.taken_at, r.verdict, r.status FROM sample s JOIN test_result r ON r.sample_id = s.id
         WHERE s.kind = 'environmental_swab' AND s.status <> 'cancelled' AND r.retired = 0 AND r.status <> 'invalidated' AND s.taken_at BETWEEN ? AND ?`,
      ),
    ),
  };
}

function otherCapabilityReads(db: Db, q: ReturnType<typeof otherCapabilityStatements>) {
  return {
    /** samples: a sampling site. */
    site: (id: string): SiteRow => q.site().get(id)!,
    /** samples: the other active environment sites of a room (or else of a line), by zone. */
    vectorSites: (siteId: string, room: string | null, line: string | null): SiteRow[] =>
      db
        .prepare<
          [string, string],
          SiteRow
        >(`SELECT * FROM sampling_site WHERE kind = 'environment' AND active = 1 AND retired = 0 AND id <> ? AND ${room ? 'room = ?' : 'line = ?'} ORDER BY zone, code LIMIT 20`)
        .all(siteId, (room ?? line)!),
    /** samples: the environment sites (of a zone), by zone and code. */
    environmentSites: (zone?: number): SiteRow[] =>
      db
        .prepare<
          unknown[],
          SiteRow
        >(`SELECT * FROM sampling_site WHERE kind = 'environment' AND retired = 0 ${zone ? 'AND zone = ?' : ''} ORDER BY zone, code`)
        .all(...(zone ? [zone] : [])),
    /** samples × testing: the last swab of the site before `before` whose results were all negative (submitted or reviewed). */
    lastNegative: (siteId: string, before: number): number | null => q.lastNegative().get(siteId, before)!.at,
    /** testing: a result's reported value. */
    reported: (resultId: string): string | null => q.reported().get(resultId)?.reported ?? null,
    /** samples: when a sample was taken. */
    sampleTakenAt: (code: string): number | undefined => q.sampleTakenAt().get(code)?.taken_at,
    /** samples × testing: swabs of a site taken after a time (except one), with their result for a target, newest first. */
    followUpSwabs: (target: string, siteId: string, after: number, except: string): SwabResultRow[] =>
      q.followUpSwabs().all(target, siteId, after, except),
    /** samples × testing: swab results taken in a period (ms), not invalidated. */
    swabResults: (fromMs: number, toMs: number) => q.swabResults().all(fromMs, toMs),
    /** lots: lots produced on a line (by their batch) from a date to a date (local dates, inclusive). */
    lotsOnLine: (line: string, fromDate: string | null, toDate: string): string[] =>
      db
        .prepare<unknown[], { code: string }>(
          `SELECT l.code FROM lot l JOIN batch b ON b.id = l.batch_id
         WHERE b.line = ? AND l.retired = 0 AND substr(l.lot_date,1,10) <= ? ${fromDate ? 'AND substr(l.lot_date,1,10) >= ?' : ''}
         ORDER BY l.lot_date, l.code`,
        )
        .all(line, toDate, ...(fromDate ? [fromDate] : []))
        .map((r) => r.code),
    /** lots: a lot's date and the line of its batch. */
    lotLine: (code: string) => q.lotLine().get(code),
    /** lots: the lot's fields an alert shows, and its ledger record (for the lot controls). */
    lot: (code: string): (LotRow & { record: Row }) | undefined => {
      const r = q.lotRow().get(code);
      return r && { ...(r as unknown as LotRow), record: r };
    },
    /** lots: whether anything of the lot was shipped. */
    shipped: (code: string): boolean => !!q.shipped().get(code),
  };
}
