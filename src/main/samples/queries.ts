import type { Statement } from 'better-sqlite3';
import type { SampleKind, SampleStatus, sampleConditions, sampleEvents } from '../../shared/contract/channels/samples';
import type { Db } from '../db/database';
import type { Row } from '../ledger/entities';

/**
 * Every SQL statement of the samples capability (sample, sample_event, sampling_site,
 * site_schedule), as typed statements. Rows are typed here, at the edge.
 */

/** A sample as stored (migration 0004). */
export type SampleRow = Row & {
  code: string;
  kind: SampleKind;
  lot_code: string | null;
  site_id: string | null;
  sampling_point: string;
  targets: string | null;
  taken_by: string;
  taken_at: number;
  received_by: string | null;
  received_at: number | null;
  condition_on_receipt: (typeof sampleConditions)[number] | null;
  temperature: string | null;
  quantity: string;
  unit: string;
  container: string;
  storage_location: string | null;
  spec_version_id: string | null;
  status: SampleStatus;
  cancel_reason: string | null;
  parent_sample_id: string | null;
  unit_no: number | null;
  keep_until: string | null;
  disposed_at: number | null;
  note: string | null;
};

/** A sample with its site's code, its parent's code and how many units it has. */
export type SampleViewRow = SampleRow & { site_code: string | null; parent_code: string | null; n_units: number };

export interface SampleEventRow {
  id: string;
  event: (typeof sampleEvents)[number];
  at: number;
  by_user: string;
  location: string | null;
  detail: string | null;
}

/** A sampling site as stored. */
export type SiteRow = Row & {
  code: string;
  name_zh: string;
  name_en: string;
  kind: 'environment' | 'water';
  zone: number | null;
  line: string | null;
  room: string | null;
  active: number;
};

/** A swab / water schedule of a site as stored. */
export type ScheduleRow = Row & {
  site_id: string;
  frequency_days: number;
  next_due: string;
  targets: string | null;
  active: number;
};

/** A schedule due, with its site. */
export type DueRow = ScheduleRow & {
  site_code: string;
  name_zh: string;
  name_en: string;
  kind: 'environment' | 'water';
  zone: number | null;
  line: string | null;
  room: string | null;
};

/** A finished lot without a retention sample (the lots capability's record). */
export interface LotWithoutRetentionRow {
  code: string;
  item_code: string;
  item_name: string;
  lot_date: string;
  status: string;
  expiry_date: string | null;
}

export interface SampleFilter {
  kind?: SampleKind | undefined;
  status?: SampleStatus | undefined;
  lotCode?: string | undefined;
  siteCode?: string | undefined;
  /** Instants (ms), local midnight of the first day and of the day after the last. */
  fromMs?: number | undefined;
  toMs?: number | undefined;
  search?: string | undefined;
  includeUnits?: boolean | undefined;
  offset: number;
  limit: number;
}

/** A record read through the ledger (`w.get(S.sample, …)`) as the sample it is: the one narrowing, at the edge. */
export function asSample(row: Row): SampleRow {
  return row as SampleRow;
}
export function asSite(row: Row): SiteRow {
  return row as SiteRow;
}
export function asSchedule(row: Row): ScheduleRow {
  return row as ScheduleRow;
}

/** A typed statement prepared on first use (and kept for the life of the opened database). */
function lazy<P extends unknown[], R>(db: Db, sql: string, pluck = false): () => Statement<P, R> {
  let s: Statement<P, R> | undefined;
  return () => (s ??= pluck ? db.prepare<P, R>(sql).pluck() : db.prepare<P, R>(sql));
}

const escapeLike = (s: string): string => `%${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

const VIEW_SQL = `SELECT s.*, st.code AS site_code, p.code AS parent_code,
    (SELECT count(*) FROM sample u WHERE u.parent_sample_id = s.id) AS n_units
  FROM sample s LEFT JOIN sampling_site st ON st.id = s.site_id LEFT JOIN sample p ON p.id = s.parent_sample_id`;

const RETENTION_DUE =
  "s.kind = 'retention' AND s.retired = 0 AND s.disposed_at IS NULL AND s.status <> 'cancelled' AND s.keep_until <= ?";

export function sampleQueries(db: Db) {
  const dynamic = new Map<string, Statement<unknown[], unknown>>();
  const stmt = <R>(sql: string): Statement<unknown[], R> => {
    let s = dynamic.get(sql);
    if (!s) {
      s = db.prepare<unknown[], unknown>(sql);
      dynamic.set(sql, s);
    }
    return s as Statement<unknown[], R>;
  };
  const viewRows = (where: string, params: unknown[], tail = ''): SampleViewRow[] =>
    stmt<SampleViewRow>(`${VIEW_SQL} WHERE ${where} ${tail}`).all(...params);

  const byCode = lazy<[string], SampleRow>(db, 'SELECT * FROM sample WHERE code = ?');
  const unitsOf = lazy<[string], SampleRow>(db, 'SELECT * FROM sample WHERE parent_sample_id = ? ORDER BY unit_no');
  const events = lazy<[string], SampleEventRow>(
    db,
    'SELECT id, event, at, by_user, location, detail FROM sample_event WHERE sample_id = ? ORDER BY at, rowid',
  );
  const labelPrinted = lazy<[string], number>(
    db,
    "SELECT 1 FROM sample_event WHERE sample_id = ? AND event IN ('label_printed', 'label_reprinted') LIMIT 1",
    true,
  );
  const primaryOfLot = lazy<[string], string>(
    db,
    "SELECT code FROM sample WHERE lot_code = ? AND parent_sample_id IS NULL AND kind <> 'retention'",
    true,
  );
  const hasRetention = lazy<[string], number>(
    db,
    "SELECT 1 FROM sample WHERE lot_code = ? AND kind = 'retention' AND status <> 'cancelled' AND retired = 0 LIMIT 1",
    true,
  );
  const retentionDueCount = lazy<[string], number>(db, `SELECT count(*) AS n FROM sample s WHERE ${RETENTION_DUE}`, true);
  const activeSiteByCode = lazy<[string], SiteRow>(db, 'SELECT * FROM sampling_site WHERE code = ? AND retired = 0');
  const siteIdByCode = lazy<[string], string>(db, 'SELECT id FROM sampling_site WHERE code = ?', true);
  const schedulesOfSite = lazy<[string], ScheduleRow>(
    db,
    'SELECT * FROM site_schedule WHERE site_id = ? AND retired = 0 ORDER BY next_due',
  );
  const dueOfSite = lazy<[string, string], ScheduleRow>(
    db,
    'SELECT * FROM site_schedule WHERE site_id = ? AND active = 1 AND retired = 0 AND next_due <= ? ORDER BY next_due',
  );
  const due = lazy<[string], DueRow>(
    db,
    `SELECT sc.*, st.code AS site_code, st.name_zh, st.name_en, st.kind, st.zone, st.line, st.room
     FROM site_schedule sc JOIN sampling_site st ON st.id = sc.site_id
     WHERE sc.active = 1 AND sc.retired = 0 AND st.active = 1 AND st.retired = 0 AND sc.next_due <= ?
     ORDER BY st.zone IS NULL, st.zone, sc.next_due, st.code`,
  );
  const codeExists = lazy<[string], string>(db, 'SELECT code FROM sample WHERE code = ?', true);

  return {
    sampleByCode: (code: string): SampleRow | undefined => byCode().get(code),
    sampleCode: (code: string): string | undefined => codeExists().get(code),
    /** The view row of one sample (by id). */
    viewRow: (id: string): SampleViewRow | undefined => viewRows('s.id = ?', [id])[0],
    unitViewRows: (parentId: string): SampleViewRow[] => viewRows('s.parent_sample_id = ?', [parentId], 'ORDER BY s.unit_no'),
    unitsOf: (parentId: string): SampleRow[] => unitsOf().all(parentId),
    listSamples(f: SampleFilter): { total: number; rows: SampleViewRow[] } {
      const where: string[] = ['s.retired = 0'];
      const params: unknown[] = [];
      if (!f.includeUnits) where.push('s.parent_sample_id IS NULL');
      if (f.kind) {
        where.push('s.kind = ?');
        params.push(f.kind);
      }
      if (f.status) {
        where.push('s.status = ?');
        params.push(f.status);
      }
      if (f.lotCode) {
        where.push('s.lot_code = ?');
        params.push(f.lotCode);
      }
      if (f.siteCode) {
        where.push('s.site_id = (SELECT id FROM sampling_site WHERE code = ?)');
        params.push(f.siteCode);
      }
      if (f.fromMs !== undefined) {
        where.push('s.taken_at >= ?');
        params.push(f.fromMs);
      }
      if (f.toMs !== undefined) {
        where.push('s.taken_at < ?');
        params.push(f.toMs);
      }
      if (f.search) {
        where.push("(s.code LIKE ? ESCAPE '\\' OR s.lot_code LIKE ? ESCAPE '\\' OR s.sampling_point LIKE ? ESCAPE '\\')");
        const like = escapeLike(f.search);
        params.push(like, like, like);
      }
      const w = where.join(' AND ');
      const total = stmt<number>(`SELECT count(*) AS n FROM sample s WHERE ${w}`).pluck().get(...params) ?? 0;
      const rows = viewRows(w, [...params, f.limit, f.offset], 'ORDER BY s.taken_at DESC, s.code DESC LIMIT ? OFFSET ?');
      return { total, rows };
    },
    events: (sampleId: string): SampleEventRow[] => events().all(sampleId),
    labelPrinted: (sampleId: string): boolean => labelPrinted().get(sampleId) !== undefined,
    hasRetention: (lotCode: string): boolean => hasRetention().get(lotCode) !== undefined,
    /** The codes of a lot's primary samples (not units, not retention). */
    primaryOfLot: (lotCode: string): string[] => primaryOfLot().all(lotCode),
    /** Retention samples whose keep-until is on or before a date, not disposed or cancelled. */
    retentionDue(until: string, offset: number, limit: number): { total: number; rows: SampleViewRow[] } {
      const total = retentionDueCount().get(until) ?? 0;
      return { total, rows: viewRows(RETENTION_DUE, [until, limit, offset], 'ORDER BY s.keep_until, s.code LIMIT ? OFFSET ?') };
    },
    activeSiteByCode: (code: string): SiteRow | undefined => activeSiteByCode().get(code),
    siteIdByCode: (code: string): string | undefined => siteIdByCode().get(code),
    schedulesOfSite: (siteId: string): ScheduleRow[] => schedulesOfSite().all(siteId),
    /** A site's active schedules due on or before a date. */
    dueOfSite: (siteId: string, date: string): ScheduleRow[] => dueOfSite().all(siteId, date),
    listSites(f: { kind?: string | undefined; includeInactive?: boolean | undefined; search?: string | undefined }): SiteRow[] {
      const where: string[] = ['retired = 0'];
      const params: unknown[] = [];
      if (!f.includeInactive) where.push('active = 1');
      if (f.kind) {
        where.push('kind = ?');
        params.push(f.kind);
      }
      if (f.search) {
        where.push(
          "(code LIKE ? ESCAPE '\\' OR name_zh LIKE ? ESCAPE '\\' OR name_en LIKE ? ESCAPE '\\' OR line LIKE ? ESCAPE '\\' OR room LIKE ? ESCAPE '\\')",
        );
        const like = escapeLike(f.search);
        params.push(like, like, like, like, like);
      }
      return stmt<SiteRow>(`SELECT * FROM sampling_site WHERE ${where.join(' AND ')} ORDER BY zone, code LIMIT 5000`).all(
        ...params,
      );
    },
    /** Active schedules of active sites due on or before a date; zone 1 first. */
    due: (date: string): DueRow[] => due().all(date),

    // ---- reads of other capabilities' tables (to move behind their front doors) ----------
    // lot (the lots capability): finished lots with no retention sample, paged — a join of
    // lot and sample that the lots front door cannot page on its own.
    // Spans lots' `lot` on purpose (issue 21): the retention register's question is which lots
    // have no retention sample, a paged NOT EXISTS that asking lots lot by lot would make N+1.
    lotsWithoutRetention(f: { cutoff: string; lotCode?: string | undefined; offset: number; limit: number }): {
      total: number;
      rows: LotWithoutRetentionRow[];
    } {
      const where = [
        "l.kind = 'finished'",
        'l.retired = 0',
        "l.status <> 'rejected'",
        '(l.expiry_date IS NULL OR substr(l.expiry_date, 1, 10) >= ?)',
        "NOT EXISTS (SELECT 1 FROM sample s WHERE s.lot_code = l.code AND s.kind = 'retention' AND s.status <> 'cancelled' AND s.retired = 0)",
      ];
      const params: unknown[] = [f.cutoff];
      if (f.lotCode) {
        where.push('l.code = ?');
        params.push(f.lotCode);
      }
      const w = where.join(' AND ');
      const total = stmt<number>(`SELECT count(*) AS n FROM lot l WHERE ${w}`).pluck().get(...params) ?? 0;
      const rows = stmt<LotWithoutRetentionRow>(
        `SELECT * FROM lot l WHERE ${w} ORDER BY l.lot_date DESC, l.code DESC LIMIT ? OFFSET ?`,
      ).all(...params, f.limit, f.offset);
      return { total, rows };
    },
  };
}
export type SampleQueries = ReturnType<typeof sampleQueries>;

// =====================================================================================
// The reads samples offers other capabilities (issue 21: "no capability reads another's
// tables; it asks the owner"). Built once by the composition root (src/main/app/compose.ts)
// and passed to the capabilities that ask (intake, environment, testing), as a constructor
// dependency.
// =====================================================================================

/** A sampling site's fields as environmental monitoring reads them. */
export interface SiteFacts {
  id: string;
  code: string;
  name_zh: string;
  name_en: string;
  zone: number | null;
  line: string | null;
  room: string | null;
}

/** A sample as release evidence reads a retention sample. */
export interface RetentionSampleFacts {
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

/** A lot's sample as its dossier lists it. */
export interface LotSampleRow {
  code: string;
  kind: string;
  taken_at: number;
  status: string;
  storage_location: string | null;
}

const RETENTION_COLUMNS = 'id, code, kind, lot_code, quantity, unit, status, storage_location, keep_until, disposed_at';

export function sampleReads(db: Db) {
  const sampleByCode = lazy<[string], RetentionSampleFacts>(
    db,
    `SELECT ${RETENTION_COLUMNS} FROM sample WHERE code = ? AND retired = 0`,
  );
  const keptRetention = lazy<[string], RetentionSampleFacts>(
    db,
    `SELECT ${RETENTION_COLUMNS} FROM sample WHERE lot_code = ? AND kind = 'retention' AND status <> 'cancelled' AND retired = 0 AND disposed_at IS NULL ORDER BY code`,
  );
  const tankerSample = lazy<[string], { code: string }>(
    db,
    "SELECT code FROM sample WHERE lot_code = ? AND kind = 'raw_milk_tanker' AND status <> 'cancelled' AND parent_sample_id IS NULL ORDER BY taken_at LIMIT 1",
  );
  const retentionSampleLot = lazy<[string], { lot_code: string }>(
    db,
    "SELECT lot_code FROM sample WHERE code = ? AND kind = 'retention'",
  );
  const sampleKind = lazy<[string], { kind: string }>(db, 'SELECT kind FROM sample WHERE id = ?');
  const takenAt = lazy<[string], { taken_at: number }>(db, 'SELECT taken_at FROM sample WHERE code = ?');
  const site = lazy<[string], SiteFacts>(db, 'SELECT * FROM sampling_site WHERE id = ?');
  const lotSamples = lazy<[string], LotSampleRow>(
    db,
    'SELECT code, kind, taken_at, status, storage_location FROM sample WHERE lot_code = ? AND parent_sample_id IS NULL ORDER BY taken_at',
  );
  const scope = (
    [
      ['sample', 'SELECT id FROM sample WHERE lot_code = ?'],
      ['sample_event', 'SELECT e.id FROM sample_event e JOIN sample s ON s.id = e.sample_id WHERE s.lot_code = ?'],
    ] as const
  ).map(([entity, sql]) => ({ entity, stmt: lazy<[string], { id: string }>(db, sql) }));
  return {
    /** A lot's samples (not splits), in the order taken. */
    lotSamples: (lotCode: string): LotSampleRow[] => lotSamples().all(lotCode),
    /** The samples' records behind a lot (its samples and their custody events), by entity. */
    recordsOfLot: (lotCode: string): Array<{ entity: string; ids: string[] }> =>
      scope.map(({ entity, stmt }) => ({
        entity,
        ids: stmt()
          .all(lotCode)
          .map((r) => r.id),
      })),
    /** A sample by code, not retired (the fields of a retention sample). */
    retentionSampleByCode: (code: string): RetentionSampleFacts | undefined => sampleByCode().get(code),
    /** A lot's retention samples still kept (not cancelled, not disposed), by code. */
    keptRetention: (lotCode: string): RetentionSampleFacts[] => keptRetention().all(lotCode),
    /** The tanker's own sample (the first, not a split, not cancelled). */
    tankerSample: (lotCode: string): string | undefined => tankerSample().get(lotCode)?.code,
    /** The lot of a retention sample. */
    retentionSampleLot: (code: string): string | undefined => retentionSampleLot().get(code)?.lot_code,
    /** The kind of a sample by id. */
    sampleKind: (sampleId: string): string | null => sampleKind().get(sampleId)?.kind ?? null,
    /** When a sample was taken. */
    sampleTakenAt: (code: string): number | undefined => takenAt().get(code)?.taken_at,
    /** A sampling site (it exists: callers hold its id from a sample). */
    site: (id: string): SiteFacts => site().get(id)!,
    /** The other active environment sites of a room (or else of a line), by zone. */
    vectorSites: (siteId: string, room: string | null, line: string | null): SiteFacts[] =>
      db
        .prepare<
          [string, string],
          SiteFacts
        >(`SELECT * FROM sampling_site WHERE kind = 'environment' AND active = 1 AND retired = 0 AND id <> ? AND ${room ? 'room = ?' : 'line = ?'} ORDER BY zone, code LIMIT 20`)
        .all(siteId, (room ?? line)!),
    /** The environment sites (of a zone), by zone and code. */
    environmentSites: (zone?: number): SiteFacts[] =>
      db
        .prepare<
          unknown[],
          SiteFacts
        >(`SELECT * FROM sampling_site WHERE kind = 'environment' AND retired = 0 ${zone ? 'AND zone = ?' : ''} ORDER BY zone, code`)
        .all(...(zone ? [zone] : [])),
  };
}
export type SampleReads = ReturnType<typeof sampleReads>;
