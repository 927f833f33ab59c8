import { fail } from '../../shared/contract/errors';
import { cultureProblem, expectedFinalAt, microMethod } from '../../shared/rules/micro';
import { imfStages } from '../catalog';
import type { Row, Value } from '../ledger/entities';
import type { Ledger, LedgerWriter } from '../ledger/ledger';
import { L } from '../lots';
import { T } from './entities';
import {
  asResult,
  microHoldOf,
  type LotRecord,
  type MicroHoldRecord,
  type ResultRecord,
  type TestingQueries,
} from './queries';

/**
 * The micro workflow (issue 20 §3), inside the writes of results-service:
 *
 * - A presumptive positive (`presumptive` in a unit of a presence/absence plan whose GB 4789
 *   method confirms) is recorded (`micro_confirmation`, stage `presumptive`, with the time
 *   its confirmation is due). On a finished infant-formula lot it holds the lot at once: a
 *   `micro_hold` raised by the system rule `micro.presumptive_positive` in the same
 *   transaction — unsigned, since no person decided it — and a released lot goes on hold.
 *   A QA manager reviews the hold (signed `reviewed`).
 * - The unit leaves `presumptive` only by its confirmation: confirmed → `present`, not
 *   confirmed → `absent`, with the identification used (stage `confirmed` / `not_confirmed`).
 * - Each micro test knows when it is expected to be final: incubation start plus the method's
 *   time to a negative, or the confirmation due of its open presumptives (rules/micro.ts).
 */
export const MICRO_HOLD_RULE = 'micro.presumptive_positive';

/** Sample kinds whose results count for the lot they name. */
const LOT_RESULT_KINDS: readonly string[] = ['finished_release', 'incoming_inspection', 'raw_milk_tanker'];
/**
 * Sample kinds whose micro results decide a lot's release, so a value counts only once its
 * culture has been read (D-111). A tanker's plate count is retrospective (settled by the late
 * failure rule), a swab's by its environmental alert.
 */
const CULTURE_RULE_KINDS: readonly string[] = ['finished_release', 'incoming_inspection'];

function units(v: Value | undefined): string[] {
  if (typeof v !== 'string' || !v) return [];
  const parsed = JSON.parse(v) as unknown;
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

const iso = (ms: Value | undefined): string | null => (typeof ms === 'number' ? new Date(ms).toISOString() : null);

export interface MicroView {
  method: string | null;
  stage: 'not_started' | 'incubating' | 'presumptive' | 'final';
  startedAt: string | null;
  expectedFinalAt: string | null;
  presumptiveUnits: number[];
}

export interface MicroHoldView {
  id: string;
  lotCode: string;
  resultId: string;
  sampleCode: string;
  itemCode: string;
  units: number[];
  rule: string;
  raisedAt: string;
  lotStatusBefore: string;
  status: 'open' | 'reviewed';
  outcome: 'pending' | 'confirmed' | 'not_confirmed';
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
}

export interface MicroLotStatus {
  pending: Array<{
    resultId: string;
    itemCode: string;
    sampleCode: string;
    stage: MicroView['stage'];
    expectedFinalAt: string | null;
  }>;
  presumptive: string[];
  openHolds: MicroHoldView[];
  expectedFinalAt: string | null;
}

export class MicroWorkflow {
  constructor(
    private readonly ledger: Ledger,
    private readonly q: TestingQueries,
  ) {}

  /** The micro facts of a result for its view (null for items without a GB 4789 method). */
  view(r: ResultRecord): MicroView | null {
    if (r.item_group !== 'microbiology') return null;
    const method = microMethod(r.method_code);
    if (!method) return null;
    const presumptiveUnits = units(r.unit_values)
      .map((u, k) => (u === 'presumptive' ? k + 1 : 0))
      .filter((k) => k > 0);
    const status = r.status;
    // A value typed before the culture's incubation was on record is not final (D-111).
    const unread = this.cultureProblem(r) !== null;
    const stage: MicroView['stage'] =
      presumptiveUnits.length > 0
        ? 'presumptive'
        : (status === 'submitted' || status === 'reviewed' || status === 'invalidated') && !unread
          ? 'final'
          : r.micro_started_at !== null && r.micro_started_at !== undefined
            ? 'incubating'
            : 'not_started';
    return {
      method: method.code,
      stage,
      startedAt: iso(r.micro_started_at),
      expectedFinalAt: stage === 'final' ? null : iso(r.micro_expected_at),
      presumptiveUnits,
    };
  }

  /**
   * Why this micro result's value cannot count (D-111): its culture's incubation is not on
   * record, or the value was typed before it started. null for results the rule does not
   * cover (no GB 4789 timetable, a sample kind that does not decide a lot's release).
   */
  cultureProblem(r: ResultRecord): ReturnType<typeof cultureProblem> {
    if (r.item_group !== 'microbiology') return null;
    const kind = this.q.foreign.sampleKind(r.sample_id);
    if (kind === null || !CULTURE_RULE_KINDS.includes(kind)) return null;
    return cultureProblem(r.method_code, r.micro_started_at ?? null, r.entered_at ?? null);
  }

  /**
   * Inside the write that records a value (every path: the grid, a paste, a capture, a
   * correction, the contract and the CLI through it): a micro value of a release sample is
   * refused while its culture's incubation is not on record (D-111).
   */
  mustHaveStarted(r: ResultRecord): void {
    const p = this.cultureProblem({ ...r, entered_at: null });
    if (p === 'culture_not_started')
      fail('conflict', { item: r.item_code, sample: r.sample_code }, 'errors.micro_culture_not_started');
  }

  private lot(code: string | null): LotRecord | undefined {
    return code ? this.q.foreign.lot(code) : undefined;
  }

  isImfFinished(lot: LotRecord): boolean {
    if (lot.kind !== 'finished') return false;
    const stage = this.q.foreign.productStage(lot.item_code);
    return stage !== null && imfStages.has(stage);
  }

  /** When each open presumptive unit of a result was recorded. */
  private openPresumptives(r: ResultRecord): Map<number, number> {
    const out = new Map<number, number>();
    const open = new Set(
      units(r.unit_values)
        .map((u, k) => (u === 'presumptive' ? k : -1))
        .filter((k) => k >= 0),
    );
    for (const c of this.q.micro.presumptivesOf(r.id)) if (open.has(c.unit_index)) out.set(c.unit_index, c.at);
    return out;
  }

  /** Expected final time of a result, from what is on record now. */
  expected(r: ResultRecord): number | null {
    const started = typeof r.micro_started_at === 'number' ? r.micro_started_at : null;
    return expectedFinalAt(r.method_code, started, [...this.openPresumptives(r).values()]);
  }

  /**
   * Units that became presumptive in this write (`before` → `after` unit values): record them,
   * and hold a finished infant-formula lot at once. Returns the hold's lot code, if any.
   */
  presumptive(w: LedgerWriter, r: ResultRecord, before: readonly string[], after: readonly string[]): string | null {
    const fresh = after
      .map((u, k) => (u === 'presumptive' && before[k] !== 'presumptive' ? k : -1))
      .filter((k) => k >= 0);
    if (fresh.length === 0) return null;
    const method = microMethod(r.method_code);
    const dueHours = method?.confirmation?.hours ?? null;
    for (const k of fresh)
      w.create(T.microConfirmation, {
        result_id: r.id,
        unit_index: k,
        stage: 'presumptive',
        evidence: null,
        by_user: w.actor.id,
        at: w.at,
        due_at: dueHours === null ? null : w.at + dueHours * 3_600_000,
      });
    const lot = this.lot(r.lot_code ?? null);
    const sampleKind = this.q.foreign.sampleKind(r.sample_id);
    if (!lot || sampleKind === null || !LOT_RESULT_KINDS.includes(sampleKind) || !this.isImfFinished(lot)) return null;
    const statusBefore = lot.status;
    // The system rule holds the lot at once: no person decides it, so it is not signed.
    w.create(T.microHold, {
      lot_code: lot.code,
      result_id: r.id,
      sample_code: r.sample_code,
      item_code: r.item_code,
      units: JSON.stringify(fresh.map((k) => k + 1)),
      rule: MICRO_HOLD_RULE,
      raised_at: w.at,
      lot_status_before: statusBefore,
      status: 'open',
      outcome: 'pending',
      reviewed_by: null,
      reviewed_at: null,
      review_note: null,
    });
    if (statusBefore === 'released' || statusBefore === 'accepted') {
      w.update(
        L.lot,
        lot.id,
        { status: 'on_hold' },
        {
          reason: `${MICRO_HOLD_RULE}: presumptive ${r.item_code} in sample ${r.sample_code} unit ${fresh.map((k) => k + 1).join(', ')}`,
          // A rule of the system, not the technician's decision: the entry's actor is `system`,
          // which may hold unsigned (docs/ledger.md §3.3, rule lot.hold).
          automatic: true,
        },
      );
    }
    return lot.code;
  }

  /** The confirmation of a presumptive unit, recorded with the identification used. */
  confirmation(
    w: LedgerWriter,
    r: ResultRecord,
    k: number,
    outcome: 'confirmed' | 'not_confirmed',
    evidence: string,
  ): void {
    w.create(T.microConfirmation, {
      result_id: r.id,
      unit_index: k,
      stage: outcome,
      evidence,
      by_user: w.actor.id,
      at: w.at,
      due_at: null,
    });
  }

  /** After a write: the result's expected final time and the outcome of its holds. */
  refresh(w: LedgerWriter, resultId: string): void {
    const r = asResult(w.get(T.result, resultId)!);
    if (r.item_group !== 'microbiology' || !microMethod(r.method_code)) return;
    const expected = this.expected(r);
    if ((r.micro_expected_at ?? null) !== expected)
      w.update(T.result, r.id, { micro_expected_at: expected }, { reason: 'micro: expected completion' });
    const open = units(r.unit_values).some((u) => u === 'presumptive');
    for (const h of this.q.micro.pendingHoldsOf(r.id)) {
      if (open) continue;
      const present = h.units.some((u) => units(r.unit_values)[u - 1] === 'present');
      w.update(
        T.microHold,
        h.id,
        { outcome: present ? 'confirmed' : 'not_confirmed' },
        { reason: `confirmation: ${present ? 'confirmed' : 'not confirmed'}` },
      );
    }
  }

  /** Incubation started (the time the analyst gives, or now). */
  start(w: LedgerWriter, r: ResultRecord, at: number): Row {
    if (r.item_group !== 'microbiology' || !microMethod(r.method_code))
      fail('conflict', { item: r.item_code }, 'errors.micro_no_method');
    const withStart: ResultRecord = { ...r, micro_started_at: at };
    return w.update(
      T.result,
      r.id,
      { micro_started_at: at, micro_expected_at: this.expected(withStart) },
      { reason: 'micro: incubation started' },
    );
  }

  holdView(h: MicroHoldRecord): MicroHoldView {
    return {
      id: h.id,
      lotCode: h.lot_code,
      resultId: h.result_id,
      sampleCode: h.sample_code,
      itemCode: h.item_code,
      units: h.units,
      rule: h.rule,
      raisedAt: iso(h.raised_at)!,
      lotStatusBefore: h.lot_status_before,
      status: h.status as MicroHoldView['status'],
      outcome: (h.outcome ?? 'pending') as MicroHoldView['outcome'],
      reviewedBy: h.reviewed_by ?? null,
      reviewedAt: iso(h.reviewed_at),
      reviewNote: h.review_note ?? null,
    };
  }

  /** A hold as the ledger returned it (after a write). */
  holdViewOf(row: Row): MicroHoldView {
    return this.holdView(microHoldOf(row));
  }

  holds(f: { lotCode?: string | undefined; status?: 'open' | 'reviewed' | undefined }): MicroHoldView[] {
    return this.q.micro.holds(f).map((h) => this.holdView(h));
  }

  /** What a lot's readiness needs to know of its micro results (issue 20 §3). */
  status(lotCode: string): MicroLotStatus {
    const rows = this.q.results.microOfLot(lotCode);
    const pending: MicroLotStatus['pending'] = [];
    const presumptive: string[] = [];
    for (const r of rows) {
      const v = this.view(r);
      // Submitted or reviewed, and its culture read before the value was typed (D-111).
      const final = (r.status === 'submitted' || r.status === 'reviewed') && this.cultureProblem(r) === null;
      if (v?.stage === 'presumptive') presumptive.push(r.item_code);
      if (!final || v?.stage === 'presumptive')
        pending.push({
          resultId: r.id,
          itemCode: r.item_code,
          sampleCode: r.sample_code,
          stage: v?.stage ?? (r.status === 'pending' ? 'not_started' : 'incubating'),
          expectedFinalAt: v?.expectedFinalAt ?? null,
        });
    }
    const openHolds = this.holds({ lotCode, status: 'open' });
    const times = pending.map((p) => p.expectedFinalAt).filter((t): t is string => t !== null);
    return {
      pending,
      presumptive,
      openHolds,
      expectedFinalAt: times.length && times.length === pending.length ? times.sort().at(-1)! : null,
    };
  }
}
