import type {
  Declarations,
  PanelItem,
  TankerDocumentInput,
  appealOutcomes,
  appealStatuses,
  documentProblems,
  intakeStatuses,
  rejectBases,
  samplingLevels,
  spotCheckClosures,
  spotCheckSubjects,
  tankerDocumentKinds,
} from '../../../shared/contract/channels/intake';
import type { RetestRuleId } from '../../../shared/rules/retest';
import type { Db } from '../../db/database';
import type { Row } from '../../ledger/entities';
import { json, lazy } from './edge';
import { ownerReads, type IntakeOwners } from './owners';
import { spanningReads } from './spans';

export type { LateFailedRow } from './spans';
export type { IntakeOwners } from './owners';
export type { LotRow } from '../../lots';

/**
 * Every SQL statement of the intake capability (issue 21): typed statements over its own
 * tables (intake_panel, supplier_sampling, raw_milk_intake, intake_documents,
 * tanker_late_failure, calendar_day, intake_appeal, spot_check), rows parsed once here (JSON
 * columns decoded, flags as booleans). The services call these functions and hold no SQL.
 * Other capabilities' data is asked of its owners (./owners.ts, given by the composition root);
 * the questions that genuinely span their tables are one statement each in ./spans.ts.
 */

export type Timing = PanelItem['timing'];
export type RuleBasis = PanelItem['rule'];
/** When and against what each planned item of an intake is judged, fixed when it starts. */
export type ItemRules = Record<string, { timing: Timing; rule: RuleBasis }>;
export type SamplingLevel = (typeof samplingLevels)[number];
export type DocumentProblem = (typeof documentProblems)[number];
export type TankerDocumentKind = (typeof tankerDocumentKinds)[number];
export type RecordedDocument = TankerDocumentInput & { problem: DocumentProblem | null };

// ---------------------------------------------------------------- own records, parsed

interface Ledgered {
  id: string;
  rev: number;
  retired: number;
}

export interface PanelRecord extends Ledgered {
  code: string;
  name_zh: string;
  name_en: string;
  supplier_code: string | null;
  /** As stored (panels saved before issue 20 lack timing and basis). */
  items: Array<Partial<PanelItem> & { code: string }>;
  active: boolean;
}
export function panelRecord(r: Row): PanelRecord {
  const raw = r as unknown as Omit<PanelRecord, 'items' | 'active'> & { items: string; active: number };
  return { ...raw, items: json(raw.items, []), active: raw.active === 1 };
}

export interface SamplingRecord extends Ledgered {
  supplier_code: string;
  level: SamplingLevel;
  consecutive_passes: number;
  passes_required: number;
  changed_at: number | null;
  reason: string | null;
}
export const samplingRecord = (r: Row): SamplingRecord => r as unknown as SamplingRecord;

export interface IntakeRecord extends Ledgered {
  lot_code: string;
  supplier_code: string;
  declarations: Declarations;
  sampling_level: SamplingLevel;
  panel_code: string | null;
  sample_code: string | null;
  status: (typeof intakeStatuses)[number];
  proposal: string | null;
  reject_causes: string[];
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: number | null;
  report_document_id: string | null;
  opened_by: string;
  opened_at: number;
  /** Intakes before issue 20: none recorded ({}). */
  item_rules: ItemRules;
  /** Rejections before issue 20 carry none. */
  reject_basis: (typeof rejectBases)[number] | null;
}
const NO_DECLARATIONS: Declarations = {
  noColostrum: false,
  noTreatment: false,
  withdrawalRespected: false,
  healthCertificates: false,
};
export function intakeRecord(r: Row): IntakeRecord {
  return {
    ...(r as unknown as IntakeRecord),
    declarations: json(r['declarations'], NO_DECLARATIONS),
    reject_causes: json(r['reject_causes'], []),
    item_rules: json(r['item_rules'], {}),
  };
}

export interface DocumentsRecord extends Ledgered {
  intake_id: string;
  lot_code: string;
  documents: RecordedDocument[];
  deficient: TankerDocumentKind[];
  recorded_by: string;
  recorded_at: number;
  override_reason: string | null;
  override_by: string | null;
  override_at: number | null;
}
export function documentsRecord(r: Row): DocumentsRecord {
  return {
    ...(r as unknown as DocumentsRecord),
    documents: json(r['documents'], []),
    deficient: json(r['deficient'], []),
  };
}

export interface LateHoldRecord extends Ledgered {
  lot_code: string;
  result_ids: string[];
  items: string[];
  held_lots: string[];
  reason: string;
  held_by: string;
  held_at: number;
}
function lateHoldRecord(r: Row): LateHoldRecord {
  return {
    ...(r as unknown as LateHoldRecord),
    result_ids: json(r['result_ids'], []),
    items: json(r['items'], []),
    held_lots: json(r['held_lots'], []),
  };
}

export interface CalendarDayRecord extends Ledgered {
  date: string;
  kind: 'holiday' | 'workday';
  name: string | null;
}

export interface AppealRecord extends Ledgered {
  intake_id: string;
  lot_code: string;
  supplier_code: string;
  item_codes: string;
  first_lab: string;
  notified_on: string;
  apply_deadline: string;
  applied_on: string | null;
  retest_lab: string | null;
  sample_received_on: string | null;
  report_deadline: string | null;
  report_received_on: string | null;
  outcome: (typeof appealOutcomes)[number] | null;
  status: (typeof appealStatuses)[number];
  note: string | null;
}
export const appealRecord = (r: Row): AppealRecord => r as unknown as AppealRecord;

export interface SpotCheckRecord extends Ledgered {
  code: string;
  subject: (typeof spotCheckSubjects)[number];
  lot_code: string | null;
  supplier_code: string | null;
  sample_desc: string;
  authority: string;
  first_lab: string;
  sampled_on: string;
  report_no: string | null;
  received_on: string;
  items: string;
  result: 'conforming' | 'nonconforming';
  rule: RetestRuleId;
  apply_deadline: string | null;
  disputed: number;
  applied_on: string | null;
  applied_to: string | null;
  retest_lab: string | null;
  retest_sample_received_on: string | null;
  report_deadline: string | null;
  report_received_on: string | null;
  retention_withdrawal_id: string | null;
  closure: (typeof spotCheckClosures)[number] | null;
  status: string;
  legacy_appeal_id: string | null;
  note: string | null;
}
export const spotCheckRecord = (r: Row): SpotCheckRecord => r as unknown as SpotCheckRecord;
export const spotCheckItems = <T>(r: SpotCheckRecord): T[] => json<T[]>(r.items, []);

export interface IntakeListFilter {
  status?: string | undefined;
  supplierCode?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  offset: number;
  limit: number;
}

export function intakeQueries(db: Db, owners: IntakeOwners) {
  const q = {
    panels: lazy(() =>
      db.prepare<[], Row>(
        'SELECT * FROM intake_panel WHERE retired = 0 ORDER BY supplier_code IS NOT NULL, supplier_code, code',
      ),
    ),
    supplierPanel: lazy(() =>
      db.prepare<[string], Row>(
        'SELECT * FROM intake_panel WHERE supplier_code = ? AND active = 1 AND retired = 0 LIMIT 1',
      ),
    ),
    plantPanel: lazy(() =>
      db.prepare<[], Row>(
        'SELECT * FROM intake_panel WHERE supplier_code IS NULL AND active = 1 AND retired = 0 LIMIT 1',
      ),
    ),
    otherSupplierPanels: lazy(() =>
      db.prepare<[string, string], { id: string }>(
        'SELECT id FROM intake_panel WHERE active = 1 AND retired = 0 AND supplier_code = ? AND id <> ?',
      ),
    ),
    otherPlantPanels: lazy(() =>
      db.prepare<[string], { id: string }>(
        'SELECT id FROM intake_panel WHERE active = 1 AND retired = 0 AND supplier_code IS NULL AND id <> ?',
      ),
    ),
    panelCodeTaken: lazy(() => db.prepare<[string], 1>('SELECT 1 FROM intake_panel WHERE code = ?')),
    sampling: lazy(() =>
      db.prepare<[string], Row>('SELECT * FROM supplier_sampling WHERE supplier_code = ? AND retired = 0'),
    ),
    intake: lazy(() => db.prepare<[string], Row>('SELECT * FROM raw_milk_intake WHERE lot_code = ? AND retired = 0')),
    documents: lazy(() =>
      db.prepare<[string], Row>('SELECT * FROM intake_documents WHERE intake_id = ? AND retired = 0'),
    ),
    lateHolds: lazy(() =>
      db.prepare<[string], Row>(
        'SELECT * FROM tanker_late_failure WHERE lot_code = ? AND retired = 0 ORDER BY held_at',
      ),
    ),
    calendar: lazy(() =>
      db.prepare<[], { date: string; kind: string }>('SELECT date, kind FROM calendar_day WHERE retired = 0'),
    ),
    calendarYear: lazy(() =>
      db.prepare<[string], CalendarDayRecord>(
        'SELECT * FROM calendar_day WHERE retired = 0 AND date LIKE ? ORDER BY date',
      ),
    ),
    calendarDay: lazy(() => db.prepare<[string], CalendarDayRecord>('SELECT * FROM calendar_day WHERE date = ?')),
    spotCheck: lazy(() => db.prepare<[string], Row>('SELECT * FROM spot_check WHERE code = ? AND retired = 0')),
    spotCheckCodeTaken: lazy(() => db.prepare<[string], 1>('SELECT 1 FROM spot_check WHERE code = ?')),
    spotCheckResults: lazy(() =>
      db.prepare<[string, string, string], { result: string }>(
        "SELECT result FROM spot_check WHERE supplier_code = ? AND subject = 'raw_milk' AND retired = 0 AND sampled_on BETWEEN ? AND ?",
      ),
    ),
  };

  return {
    // ------------------------------------------------------------ panels and sampling levels
    panels: (): PanelRecord[] => q.panels().all().map(panelRecord),
    supplierPanel: (supplierCode: string): PanelRecord | undefined => {
      const r = q.supplierPanel().get(supplierCode);
      return r && panelRecord(r);
    },
    plantPanel: (): PanelRecord | undefined => {
      const r = q.plantPanel().get();
      return r && panelRecord(r);
    },
    /** The other active panels of a supplier (null: the plant's), which a newly active one replaces. */
    otherActivePanels: (supplierCode: string | null, exceptId: string): string[] =>
      (supplierCode ? q.otherSupplierPanels().all(supplierCode, exceptId) : q.otherPlantPanels().all(exceptId)).map(
        (r) => r.id,
      ),
    panelCodeTaken: (code: string): boolean => !!q.panelCodeTaken().get(code),
    sampling: (supplierCode: string): SamplingRecord | undefined => {
      const r = q.sampling().get(supplierCode);
      return r && samplingRecord(r);
    },

    // ------------------------------------------------------------ tanker intakes
    intake: (lotCode: string): IntakeRecord | undefined => {
      const r = q.intake().get(lotCode);
      return r && intakeRecord(r);
    },
    /**
     * One page of intakes by the filters, newest first, and how many match (filtered by the lot's
     * date). Joins lots' `lot` on purpose (issue 21): the page is filtered by the tanker's date,
     * which only one statement can page and count.
     */
    intakePage: (f: IntakeListFilter): { total: number; rows: IntakeRecord[] } => {
      const where = ['i.retired = 0'];
      const params: unknown[] = [];
      if (f.status) {
        where.push('i.status = ?');
        params.push(f.status);
      }
      if (f.supplierCode) {
        where.push('i.supplier_code = ?');
        params.push(f.supplierCode);
      }
      if (f.from) {
        where.push('substr(l.lot_date,1,10) >= ?');
        params.push(f.from);
      }
      if (f.to) {
        where.push('substr(l.lot_date,1,10) <= ?');
        params.push(f.to);
      }
      const from = `FROM raw_milk_intake i JOIN lot l ON l.code = i.lot_code WHERE ${where.join(' AND ')}`;
      const total = db.prepare<unknown[], { n: number }>(`SELECT count(*) AS n ${from}`).get(...params)!.n;
      const rows = db
        .prepare<unknown[], Row>(`SELECT i.* ${from} ORDER BY i.opened_at DESC LIMIT ? OFFSET ?`)
        .all(...params, f.limit, f.offset);
      return { total, rows: rows.map(intakeRecord) };
    },
    documents: (intakeId: string): DocumentsRecord | undefined => {
      const r = q.documents().get(intakeId);
      return r && documentsRecord(r);
    },
    lateHolds: (lotCode: string): LateHoldRecord[] => q.lateHolds().all(lotCode).map(lateHoldRecord),

    // ------------------------------------------------------------ calendar and appeals
    calendarDays: (): Array<{ date: string; kind: string }> => q.calendar().all(),
    calendarYear: (year: number): CalendarDayRecord[] => q.calendarYear().all(`${year}-%`),
    /** The day's record, retired or not. */
    calendarDay: (date: string): CalendarDayRecord | undefined => q.calendarDay().get(date),
    appeals: (f: { statuses?: string[] | undefined; lotCode?: string | undefined }): AppealRecord[] => {
      const where = ['retired = 0'];
      const params: unknown[] = [];
      if (f.statuses?.length) {
        where.push(`status IN (${f.statuses.map(() => '?').join(',')})`);
        params.push(...f.statuses);
      }
      if (f.lotCode) {
        where.push('lot_code = ?');
        params.push(f.lotCode);
      }
      return db
        .prepare<
          unknown[],
          AppealRecord
        >(`SELECT * FROM intake_appeal WHERE ${where.join(' AND ')} ORDER BY notified_on DESC`)
        .all(...params);
    },

    // ------------------------------------------------------------ spot checks
    spotCheck: (code: string): SpotCheckRecord | undefined => {
      const r = q.spotCheck().get(code);
      return r && spotCheckRecord(r);
    },
    spotChecks: (f: {
      subject?: string | undefined;
      lotCode?: string | undefined;
      supplierCode?: string | undefined;
    }): SpotCheckRecord[] => {
      const where = ['retired = 0'];
      const params: unknown[] = [];
      if (f.subject) {
        where.push('subject = ?');
        params.push(f.subject);
      }
      if (f.lotCode) {
        where.push('lot_code = ?');
        params.push(f.lotCode);
      }
      if (f.supplierCode) {
        where.push('supplier_code = ?');
        params.push(f.supplierCode);
      }
      return db
        .prepare<
          unknown[],
          SpotCheckRecord
        >(`SELECT * FROM spot_check WHERE ${where.join(' AND ')} ORDER BY received_on DESC, code DESC LIMIT 1000`)
        .all(...params);
    },
    spotCheckCodeTaken: (code: string): boolean => !!q.spotCheckCodeTaken().get(code),
    /** The raw-milk spot-check results of a supplier sampled in a period. */
    spotCheckResults: (supplierCode: string, from: string, to: string): string[] =>
      q
        .spotCheckResults()
        .all(supplierCode, from, to)
        .map((r) => r.result),

    ...spanningReads(db),
    ...ownerReads(db, owners),
  };
}
export type IntakeQueries = ReturnType<typeof intakeQueries>;

// =====================================================================================
// The reads intake offers other capabilities (issue 21: "no capability reads another's
// tables; it asks the owner"). Built once by the composition root and passed to disposition.
// =====================================================================================
export function intakeReads(db: Db) {
  const status = lazy(() =>
    db.prepare<[string], { status: string }>('SELECT status FROM raw_milk_intake WHERE lot_code = ?'),
  );
  const ids = lazy(() => db.prepare<[string], { id: string }>('SELECT id FROM raw_milk_intake WHERE lot_code = ?'));
  return {
    /** The status of a lot's intake (null: none). */
    intakeStatus: (lotCode: string): string | null => status().get(lotCode)?.status ?? null,
    /** The ids of a lot's intake records (its audit scope). */
    intakeIds: (lotCode: string): string[] =>
      ids()
        .all(lotCode)
        .map((r) => r.id),
  };
}
export type IntakeReads = ReturnType<typeof intakeReads>;
