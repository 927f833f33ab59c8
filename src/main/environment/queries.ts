import type { envAlertStatuses } from '../../shared/contract/channels/environment';
import type { Db } from '../db/database';
import type { Row } from '../ledger/entities';
import type { LotReads } from '../lots';
import type { SampleReads, SiteFacts } from '../samples';
import type { SwabResultRow, TestingReads } from '../testing';

/**
 * Every SQL statement of the environment capability (issue 21): its own table (env_alert),
 * rows parsed once here (JSON columns decoded). The last section asks the owners of the data
 * environment shows (samples, testing, lots).
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

/** A sampling site (samples' SiteFacts). */
export type SiteRow = SiteFacts;
/** A lot as an alert shows it. */
export interface LotRow {
  id: string;
  code: string;
  item_code: string;
  item_name: string;
  lot_date: string;
  status: string;
  unit: string;
}
export type { SwabResultRow };

export function environmentQueries(db: Db, owners: EnvironmentOwners) {
  const q = {
    openAlertAt: lazy(() =>
      db.prepare<[string, string], 1>(
        "SELECT 1 FROM env_alert WHERE site_id = ? AND target = ? AND status = 'open' AND retired = 0",
      ),
    ),
    alertCodeTaken: lazy(() => db.prepare<[string], 1>('SELECT 1 FROM env_alert WHERE code = ?')),
    alert: lazy(() => db.prepare<[string], Row>('SELECT * FROM env_alert WHERE code = ? AND retired = 0')),
    openAlerts: lazy(() => db.prepare<[], Row>("SELECT * FROM env_alert WHERE status = 'open' AND retired = 0")),
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
    ...ownerReads(owners),
  };
}
export type EnvironmentQueries = ReturnType<typeof environmentQueries>;

// =====================================================================================
// What environment asks the capabilities that own the data (issue 21: "no capability reads
// another's tables; it asks the owner"): samples (sampling sites, when a swab was taken),
// testing (a result's value; swabs with their results, one statement each there) and lots
// (lots on a line, a lot's line, whether it shipped). The composition root passes the
// owners' reads (src/main/app/compose.ts); no SQL here.
// =====================================================================================

export interface EnvironmentOwners {
  samples: Pick<SampleReads, 'site' | 'vectorSites' | 'environmentSites' | 'sampleTakenAt'>;
  testing: Pick<TestingReads, 'lastNegativeSwab' | 'reported' | 'followUpSwabs' | 'swabResults'>;
  lots: Pick<LotReads, 'lotsOnLine' | 'lotLine' | 'lot' | 'shipped'>;
}

function ownerReads(o: EnvironmentOwners) {
  return {
    /** samples: a sampling site. */
    site: (id: string): SiteRow => o.samples.site(id),
    /** samples: the other active environment sites of a room (or else of a line), by zone. */
    vectorSites: (siteId: string, room: string | null, line: string | null): SiteRow[] =>
      o.samples.vectorSites(siteId, room, line),
    /** samples: the environment sites (of a zone), by zone and code. */
    environmentSites: (zone?: number): SiteRow[] => o.samples.environmentSites(zone),
    /** samples × testing: the last swab of the site before `before` whose results were all negative (submitted or reviewed). */
    lastNegative: (siteId: string, before: number): number | null => o.testing.lastNegativeSwab(siteId, before),
    /** testing: a result's reported value. */
    reported: (resultId: string): string | null => o.testing.reported(resultId),
    /** samples: when a sample was taken. */
    sampleTakenAt: (code: string): number | undefined => o.samples.sampleTakenAt(code),
    /** samples × testing: swabs of a site taken after a time (except one), with their result for a target, newest first. */
    followUpSwabs: (target: string, siteId: string, after: number, except: string): SwabResultRow[] =>
      o.testing.followUpSwabs(target, siteId, after, except),
    /** samples × testing: swab results taken in a period (ms), not invalidated. */
    swabResults: (fromMs: number, toMs: number) => o.testing.swabResults(fromMs, toMs),
    /** lots: lots produced on a line (by their batch) from a date to a date (local dates, inclusive). */
    lotsOnLine: (line: string, fromDate: string | null, toDate: string): string[] =>
      o.lots.lotsOnLine(line, fromDate, toDate),
    /** lots: a lot's date and the line of its batch. */
    lotLine: (code: string) => o.lots.lotLine(code),
    /** lots: the lot's fields an alert shows, and its ledger record (for the lot controls). */
    lot: (code: string): (LotRow & { record: Row }) | undefined => {
      const r = o.lots.lot(code);
      return r && { ...r, record: r };
    },
    /** lots: whether anything of the lot was shipped. */
    shipped: (code: string): boolean => o.lots.shipped(code),
  };
}
