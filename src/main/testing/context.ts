import type { planReasons } from '../../shared/contract/channels/testing';
import { fail } from '../../shared/contract/errors';
import type { TestItem } from '../../shared/rules';
import type { SpecService } from '../catalog';
import type { IdentityService } from '../identity';
import type { Row, Value } from '../ledger/entities';
import type { Ledger, LedgerWriter } from '../ledger/ledger';
import { mustBeRevision, type RevisionSource } from '../ledger/revision';
import type { SamplesService } from '../samples';
import type { ControlCharts } from './charts';
import { T } from './entities';
import type { MicroWorkflow } from './micro';
import { asResult, asSample, type LotRecord, type ResultRecord, type SampleRecord, type TestingQueries } from './queries';

export type PlanReason = (typeof planReasons)[number];

/** Turnaround from sampling to the due time of a test: microbiology 5 days, everything else 2. */
export const TURNAROUND_HOURS = { microbiology: 120, other: 48 } as const;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const EDITABLE: ReadonlySet<string> = new Set(['pending', 'entered', 'returned']);
export const CURRENT: ReadonlySet<string> = new Set(['pending', 'entered', 'returned', 'submitted', 'reviewed']);
/** Statuses in which a result is not yet submitted: a verdict change here is "before submission". */
export const BEFORE_SUBMIT: ReadonlySet<string> = EDITABLE;

/**
 * The rules of the capabilities that build on testing (intake, environment): constructor
 * dependencies given by the composition root (src/main/app/compose.ts, issue 19 §8), so no
 * TestingService exists without them.
 */
export interface TestingHooks {
  /** The intake panel of a raw milk tanker lot (null: plan from the specification). */
  panelItems: (lot: LotRecord) => TestItem[] | null;
  /** The supplier's sampling level: `tightened` plans every item of an incoming inspection. */
  samplingLevel: (supplierCode: string) => 'normal' | 'tightened';
  /** A failed ingredient inspection (a failing result submitted). */
  inspectionFailed: (w: LedgerWriter, supplierCode: string, why: string) => void;
  /** An incoming inspection completed with every result within specification. */
  inspectionPassed: (w: LedgerWriter, supplierCode: string, why: string) => void;
  /** A positive environmental swab or water result (submitted). */
  swabPositive: (w: LedgerWriter, result: ResultRecord, sample: SampleRecord) => void;
}

/**
 * The instrument a value names (issue 19 §5; src/main/instruments/rules.ts): checked inside
 * the transaction that writes a typed or captured value; returns the reference to store.
 */
export interface ValueInstrumentGuard {
  checkValue(w: LedgerWriter, result: Row, instrumentRef: string | null): string | null;
}

/** What every part of testing shares: its constructor dependencies and its queries. */
export interface TestingContext {
  readonly ledger: Ledger;
  readonly identity: IdentityService;
  readonly specs: SpecService;
  readonly samples: SamplesService;
  readonly attachmentsDir: string;
  readonly hooks: TestingHooks;
  readonly instrumentGuard: ValueInstrumentGuard | null;
  readonly q: TestingQueries;
  readonly micro: MicroWorkflow;
  readonly charts: ControlCharts;
}

export function iso(ms: Value | undefined): string | null {
  return typeof ms === 'number' ? new Date(ms).toISOString() : null;
}

/** A JSON list column (replicates, unit values) as strings. */
export function arr(v: Value | undefined): string[] {
  if (typeof v !== 'string' || !v) return [];
  const parsed = JSON.parse(v) as unknown;
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

export function json<T>(v: Value | undefined): T | null {
  return typeof v === 'string' && v ? (JSON.parse(v) as T) : null;
}

/** The item a result was planned with. */
export function itemOf(r: ResultRecord): TestItem {
  return json<TestItem>(r.item)!;
}

/** A result that exists and is not retired, as the writer sees it. */
export function resultIn(w: LedgerWriter, id: string): ResultRecord {
  const r = asResult(w.get(T.result, id));
  if (!r || r.retired) fail('not_found', { entity: 'test_result', id }, 'errors.result_not_found');
  return r;
}

/** The sample of a result may be tested now (received or in testing). */
export function mustBeTestable(ctx: TestingContext, sampleId: string): SampleRecord {
  const s = asSample(ctx.ledger.get(ctx.samples.entity(), sampleId)!);
  const st = s.status;
  if (st === 'registered') fail('conflict', { code: s.code }, 'errors.sample_not_received');
  if (st !== 'received' && st !== 'in_testing') fail('conflict', { code: s.code, status: st }, 'errors.sample_closed');
  return s;
}

export function startTestingIfNeeded(ctx: TestingContext, w: LedgerWriter, sampleId: string): void {
  const s = asSample(w.get({ ...ctx.samples.entity() }, sampleId)!);
  if (s.status === 'received') ctx.samples.startTesting(w, s.code);
}

/** A stale screen: the revision the person saw is not the one in the record. */
export function checkRev(
  ledger: RevisionSource,
  r: ResultRecord,
  expectedRevs: Record<string, number> | undefined,
): void {
  const want = expectedRevs && Object.prototype.hasOwnProperty.call(expectedRevs, r.id) ? expectedRevs[r.id] : undefined;
  mustBeRevision(ledger, 'test_result', r, want, { item: r.item_code });
}
