import { fail } from '../../shared/contract/errors';
import type { LedgerWriter } from '../ledger/ledger';
import { T } from './entities';
import type { RecordQueries, VerdictChangeRecord } from './queries/records';
import type { ResultQueries, ResultRecord } from './queries/results';

/**
 * No quiet testing into compliance (issue 19 §4). A saved result whose verdict leaves `fail`
 * (to pass, none, invalid, or no verdict) changes only with a reason, and the change is
 * recorded (`verdict_change`): the review screen flags the result, the lot's audit-trail
 * review shows the record, and the trends page counts them per analyst and method.
 *
 * `via` is how the change came: typed (`entry`), a pasted block (`paste`), an instrument
 * reading (`capture`), another input of a calculation or conversion (`recalculation`), a
 * correction after submission (`correction`), an invalidation by an OOS conclusion
 * (`invalidation`), the confirmation of a presumptive positive (`confirmation`).
 */
export const verdictChangeVias = [
  'entry',
  'paste',
  'capture',
  'recalculation',
  'correction',
  'invalidation',
  'confirmation',
] as const;
export type VerdictChangeVia = (typeof verdictChangeVias)[number];

/** What the write that recomputes a sample carries: why values changed and the reason given, if any. */
export interface ChangeContext {
  readonly via: VerdictChangeVia;
  readonly reason?: string | undefined;
  /** The results the write changed directly; a flip of any other is a recalculation. */
  readonly edited?: ReadonlySet<string> | undefined;
}

/** Vias that happen before the result is submitted (the "verdict changed before submission" figure). */
export const BEFORE_SUBMISSION: ReadonlySet<VerdictChangeVia> = new Set(['entry', 'paste', 'capture', 'recalculation']);

export interface Flip {
  readonly row: ResultRecord;
  readonly toVerdict: string | null;
  readonly toReported: string | null;
}

/**
 * Inside the write: refuses flips without a reason (naming every result that would flip,
 * nothing written), else records each one.
 */
export function recordFlips(w: LedgerWriter, flips: readonly Flip[], change: ChangeContext): void {
  if (flips.length === 0) return;
  const reason = change.reason?.trim();
  if (!reason) {
    fail(
      'invalid_input',
      {
        field: 'verdictChangeReason',
        items: flips.map((f) => `${f.row.item_code} (${f.row.reported ?? ''} → ${f.toReported ?? '—'})`).join(', '),
        count: flips.length,
      },
      'errors.verdict_change_reason',
    );
  }
  for (const f of flips) {
    const r = f.row;
    w.create(T.verdictChange, {
      result_id: r.id,
      sample_code: r.sample_code,
      lot_code: r.lot_code,
      product_code: r.product_code,
      item_code: r.item_code,
      method_code: r.method_code,
      analyst_id: r.analyst_id,
      from_verdict: r.verdict,
      to_verdict: f.toVerdict,
      from_reported: r.reported,
      to_reported: f.toReported,
      reason,
      via:
        change.edited && !change.edited.has(r.id) && change.via !== 'correction' && change.via !== 'invalidation'
          ? 'recalculation'
          : change.via,
      changed_by: w.actor.id,
      changed_at: w.at,
    });
  }
}

export interface VerdictChangeView {
  id: string;
  resultId: string;
  sampleCode: string;
  lotCode: string | null;
  itemCode: string;
  methodCode: string | null;
  fromVerdict: string;
  toVerdict: string | null;
  fromReported: string | null;
  toReported: string | null;
  reason: string;
  via: VerdictChangeVia;
  changedBy: string;
  changedAt: string;
}

export function verdictChangeView(r: VerdictChangeRecord): VerdictChangeView {
  return {
    id: r.id,
    resultId: r.result_id,
    sampleCode: r.sample_code,
    lotCode: r.lot_code ?? null,
    itemCode: r.item_code,
    methodCode: r.method_code ?? null,
    fromVerdict: r.from_verdict,
    toVerdict: r.to_verdict ?? null,
    fromReported: r.from_reported ?? null,
    toReported: r.to_reported ?? null,
    reason: r.reason,
    via: r.via as VerdictChangeVia,
    changedBy: r.changed_by,
    changedAt: new Date(r.changed_at).toISOString(),
  };
}

/** Verdict changes of many results, by result id. */
export function verdictChangesOf(
  q: Pick<RecordQueries, 'verdictChangesOf'>,
  resultIds: readonly string[],
): Map<string, VerdictChangeView[]> {
  const out = new Map<string, VerdictChangeView[]>();
  for (const r of q.verdictChangesOf(resultIds)) {
    const list = out.get(r.result_id) ?? [];
    list.push(verdictChangeView(r));
    out.set(r.result_id, list);
  }
  return out;
}

/**
 * The "verdict changed before submission" figure: per analyst (who changed it) and method,
 * how many results had a failing verdict changed before submission, beside how many results
 * that analyst saved for that method in the period (results whose entry time falls in it).
 * `lo` / `hi`: the period as instants (ms, inclusive).
 */
export function verdictChangeFigure(
  q: { records: Pick<RecordQueries, 'verdictChangesByAnalyst'>; results: Pick<ResultQueries, 'enteredByAnalyst'> },
  lo: number,
  hi: number,
) {
  const changed = q.records.verdictChangesByAnalyst(lo, hi, [...BEFORE_SUBMISSION]);
  const entered = q.results.enteredByAnalyst(lo, hi);
  const key = (a: string, m: string) => `${a}\u0000${m}`;
  const rows = new Map<
    string,
    { analyst: string; method: string | null; changes: number; results: number; entered: number }
  >();
  for (const e of entered)
    rows.set(key(e.analyst, e.method), {
      analyst: e.analyst,
      method: e.method || null,
      changes: 0,
      results: 0,
      entered: e.n,
    });
  for (const c of changed) {
    const cur = rows.get(key(c.analyst, c.method)) ?? {
      analyst: c.analyst,
      method: c.method || null,
      changes: 0,
      results: 0,
      entered: 0,
    };
    cur.changes = c.changes;
    cur.results = c.results;
    rows.set(key(c.analyst, c.method), cur);
  }
  return [...rows.values()]
    .filter((r) => r.changes > 0 || r.entered > 0)
    .sort(
      (a, b) =>
        b.changes - a.changes || a.analyst.localeCompare(b.analyst) || (a.method ?? '').localeCompare(b.method ?? ''),
    );
}
