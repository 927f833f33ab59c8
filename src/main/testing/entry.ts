import type { ResultView } from '../../shared/contract/channels/testing';
import { fail } from '../../shared/contract/errors';
import { confirmsPresumptive, entryProblem, isPlanItem, normalizeEntry } from '../../shared/rules';
import { IN } from '../instruments';
import type { Value } from '../ledger/entities';
import { mustBeRevision } from '../ledger/revision';
import type { Actor, LedgerWriter } from '../ledger/ledger';
import { arr, EDITABLE, itemOf, mustBeTestable, resultIn, startTestingIfNeeded, type TestingContext } from './context';
import { T } from './entities';
import { asResult, type ResultRecord } from './queries';
import { recompute } from './recompute';
import type { ResultViews } from './views';

export interface EntryInput {
  typedOverReason?: string | undefined;
  replicates?: string[] | undefined;
  unitValues?: string[] | undefined;
  instrumentId?: string | null | undefined;
  external?: { lab: string; reportNo: string } | null | undefined;
  note?: string | null | undefined;
  expectedRev?: number | undefined;
  /** Needed when a saved failing verdict would leave `fail` (issue 19 §4). */
  verdictChangeReason?: string | undefined;
}

/**
 * Result entry (issue 8 §2–4): raw data typed, pasted or captured from an instrument, with
 * replicates, unit results of sampling plans, external reports; values typed over captures
 * need a reason; changes after submission are corrections that keep the original. Every
 * entry recomputes the sample (recompute.ts).
 */
export class ResultEntry {
  constructor(
    private readonly ctx: TestingContext,
    private readonly views: ResultViews,
  ) {}

  /**
   * The values of an entry as the item stores them (src/shared/rules/entry.ts): micro notation
   * of counts as plain decimals, 未检出 / 阴性 / 阳性 / 疑似阳性 as the words the rules read.
   */
  private normalized(r: ResultRecord, i: EntryInput): EntryInput {
    const item = itemOf(r);
    const norm = (vs: string[] | undefined) => (vs === undefined ? undefined : vs.map((v) => normalizeEntry(item, v)));
    return { ...i, replicates: norm(i.replicates), unitValues: norm(i.unitValues) };
  }

  checkEntry(r: ResultRecord, i: EntryInput): void {
    const item = itemOf(r);
    if (r.calculated === 1) fail('conflict', { item: item.code }, 'errors.result_calculated');
    if (isPlanItem(item)) {
      if (i.replicates !== undefined)
        fail('invalid_input', { field: 'replicates', item: item.code }, 'errors.result_needs_units');
      if (i.unitValues !== undefined && i.unitValues.length !== (item.n ?? 0)) {
        fail(
          'invalid_input',
          { field: 'unitValues', item: item.code, expected: item.n ?? 0, got: i.unitValues.length },
          'errors.result_unit_count',
        );
      }
    } else if (i.unitValues !== undefined) {
      fail('invalid_input', { field: 'unitValues', item: item.code }, 'errors.result_needs_replicates');
    }
    const presumptive = confirmsPresumptive(item.method_code);
    for (const [field, list] of [
      ['replicates', i.replicates ?? []],
      ['unitValues', i.unitValues ?? []],
    ] as const) {
      for (const v of list) {
        const problem = entryProblem(item, normalizeEntry(item, v), { presumptive });
        // Qualitative units belong to presence/absence plans only, never to counts (issue 19 §4).
        if (problem === 'qualitative')
          fail('invalid_input', { field, item: item.code, value: v }, 'errors.result_qualitative_not_allowed');
        if (problem === 'presumptive')
          fail('invalid_input', { field, item: item.code, value: v }, 'errors.result_presumptive_not_allowed');
        if (problem === 'format')
          fail('invalid_input', { field, item: item.code, value: v }, 'errors.result_value_not_for_item');
      }
    }
  }

  /**
   * A value typed over one captured from an instrument needs a reason (issue 10 §5); the
   * capture keeps its raw bytes and is marked `typed_over`, which review shows.
   */
  private checkTypedOver(w: LedgerWriter, r: ResultRecord, replicates: string[], reason: string | undefined): void {
    for (const c of this.ctx.q.audit.usedCaptures(r.id)) {
      const k = c.replicate_index;
      const now = (replicates[k] ?? '').trim();
      if (now === c.value) continue;
      if (!reason)
        fail(
          'invalid_input',
          { field: 'typedOverReason', item: r.item_code, replicate: k + 1, captured: c.value },
          'errors.capture_typed_over_reason',
        );
      w.update(
        IN.capture,
        c.id,
        { status: 'typed_over', typed_over_reason: reason },
        { reason: `typed over: ${reason}` },
      );
    }
  }

  /**
   * A reading captured from an instrument into replicate k (inside the capture's transaction).
   * `recompute: false` leaves the sample's recomputation to a later call in the same
   * transaction (a print-format record filling several results recomputes once, at its last).
   * `verdictChangeReason`: needed when the reading turns a saved failing verdict (issue 19 §4);
   * `edited`: the other results the same record filled (their verdicts are held to that rule too).
   */
  applyCapture(
    w: LedgerWriter,
    resultId: string,
    k: number,
    value: string,
    instrumentCode: string,
    opts: { recompute?: boolean; verdictChangeReason?: string; edited?: ReadonlySet<string>; captureId?: string } = {},
  ): ResultView[] {
    const r = resultIn(w, resultId);
    mustBeTestable(this.ctx, r.sample_id);
    if (!EDITABLE.has(r.status))
      fail('conflict', { item: r.item_code, status: r.status }, 'errors.result_submitted_use_correct');
    if (isPlanItem(itemOf(r))) fail('invalid_input', { item: r.item_code }, 'errors.result_needs_units');
    const reps = arr(r.replicates);
    while (reps.length <= k) reps.push('');
    reps[k] = value;
    // An earlier capture of the same replicate is superseded by this one (`captureId`).
    for (const id of this.ctx.q.audit.earlierCaptures(resultId, k, opts.captureId ?? '')) {
      w.update(
        IN.capture,
        id,
        { status: 'typed_over', typed_over_reason: 'captured again' },
        { reason: 'captured again' },
      );
    }
    startTestingIfNeeded(this.ctx, w, r.sample_id);
    const saved = this.applyEntry(
      w,
      r,
      { replicates: reps, instrumentId: instrumentCode },
      `captured from ${instrumentCode}`,
    );
    if (opts.recompute === false) return [];
    const changed = recompute(this.ctx, w, r.sample_id, `${r.item_code} captured`, {
      via: 'capture',
      reason: opts.verdictChangeReason,
      edited: new Set([resultId, ...(opts.edited ?? [])]),
    });
    const ids = new Set([saved.id, ...changed.map((c) => c.id)]);
    return this.views.views([...ids].map((x) => w.get(T.result, x)!));
  }

  /** Saves raw data of one test (status pending/entered/returned) inside a transaction. */
  applyEntry(
    w: LedgerWriter,
    r: ResultRecord,
    raw: EntryInput,
    /** The audit reason, or a correction after submission (the ledger records it, D-073). */
    reason?: string | { correction: string },
    opts: { confirming?: number } = {},
  ): ResultRecord {
    this.checkEntry(r, raw);
    const i = this.normalized(r, raw);
    const before = arr(r.unit_values);
    if (i.unitValues !== undefined) this.checkPresumptives(r, before, i.unitValues, opts.confirming);
    if (i.replicates !== undefined) this.checkTypedOver(w, r, i.replicates, i.typedOverReason);
    const patch: Record<string, Value> = {};
    if (i.replicates !== undefined) patch['replicates'] = JSON.stringify(i.replicates.map((v) => v.trim()));
    if (i.unitValues !== undefined) patch['unit_values'] = JSON.stringify(i.unitValues.map((v) => v.trim()));
    if (i.instrumentId !== undefined) patch['instrument_id'] = i.instrumentId;
    if (i.external !== undefined) {
      patch['external_lab'] = i.external?.lab ?? null;
      patch['external_report_no'] = i.external?.reportNo ?? null;
    }
    if (i.note !== undefined) patch['note'] = i.note;
    const empty = (v: Value | undefined) => v === undefined || v === null || arr(v).every((x) => x === '');
    const replicates = patch['replicates'] ?? r.replicates;
    const units = patch['unit_values'] ?? r.unit_values;
    const hasValue = !empty(replicates) || !empty(units);
    // A value measured on an instrument names it, unlocked, of the method's kind (issue 19 §5).
    const valuesChanged =
      (patch['replicates'] !== undefined && patch['replicates'] !== (r.replicates ?? null)) ||
      (patch['unit_values'] !== undefined && patch['unit_values'] !== (r.unit_values ?? null));
    // A micro value of a release sample counts only once its culture is on record (D-111).
    if (r.item_group === 'microbiology' && hasValue && valuesChanged) this.ctx.micro.mustHaveStarted(r);
    if (this.ctx.instrumentGuard && hasValue && (valuesChanged || i.instrumentId !== undefined)) {
      const ref = i.instrumentId !== undefined ? i.instrumentId : (r.instrument_id ?? null);
      const stored = this.ctx.instrumentGuard.checkValue(w, r, ref);
      if (i.instrumentId !== undefined) patch['instrument_id'] = stored;
    }
    patch['analyst_id'] = w.actor.id;
    patch['entered_at'] = w.at;
    patch['status'] = hasValue ? (r.status === 'returned' ? 'returned' : 'entered') : 'pending';
    if (!hasValue) {
      patch['analyst_id'] = null;
      patch['entered_at'] = null;
    }
    const saved = asResult(
      w.update(
        T.result,
        r.id,
        patch,
        typeof reason === 'object'
          ? reason
          : { reason: reason ?? (r.status === 'pending' ? 'entered' : 'changed before submission') },
      ),
    );
    if (r.item_group === 'microbiology') {
      // A presumptive positive holds a finished IMF lot at once (issue 20 §3).
      if (i.unitValues !== undefined) this.ctx.micro.presumptive(w, saved, before, i.unitValues);
      this.ctx.micro.refresh(w, r.id);
      return asResult(w.get(T.result, r.id)!);
    }
    return saved;
  }

  /**
   * A presumptive unit leaves `presumptive` only by its confirmation, and on a method that
   * confirms presumptive positives a unit becomes `present` only that way (issue 20 §3).
   */
  private checkPresumptives(r: ResultRecord, before: string[], after: string[], confirming: number | undefined): void {
    const confirms = confirmsPresumptive(r.method_code);
    after.forEach((u, k) => {
      if (k === confirming) return;
      if (before[k] === 'presumptive' && u !== 'presumptive')
        fail('conflict', { item: r.item_code, unit: k + 1, value: u }, 'errors.presumptive_needs_confirmation');
      if (confirms && u === 'present' && before[k] !== 'present')
        fail('invalid_input', { item: r.item_code, unit: k + 1 }, 'errors.present_needs_confirmation');
    });
  }

  enter(actor: Actor, id: string, i: EntryInput): { changed: ResultView[] } {
    const r0 = this.views.row(id);
    mustBeTestable(this.ctx, r0.sample_id);
    return this.ctx.ledger.write(actor, (w) => {
      const r = asResult(w.get(T.result, id)!);
      mustBeRevision(this.ctx.ledger, 'test_result', r, i.expectedRev, { item: r.item_code });
      if (!EDITABLE.has(r.status))
        fail('conflict', { item: r.item_code, status: r.status }, 'errors.result_submitted_use_correct');
      startTestingIfNeeded(this.ctx, w, r.sample_id);
      const saved = this.applyEntry(w, r, i);
      const changed = recompute(this.ctx, w, r.sample_id, r.item_code, {
        via: 'entry',
        reason: i.verdictChangeReason,
        edited: new Set([id]),
      });
      const ids = new Set([saved.id, ...changed.map((c) => c.id)]);
      return { changed: this.views.views([...ids].map((x) => w.get(T.result, x)!)) };
    });
  }

  enterMany(
    actor: Actor,
    entries: Array<{
      id: string;
      replicates?: string[] | undefined;
      unitValues?: string[] | undefined;
      expectedRev?: number | undefined;
    }>,
    verdictChangeReason?: string,
  ): { changed: ResultView[] } {
    const rows = entries.map((e, index) => {
      try {
        const r = this.views.row(e.id);
        mustBeTestable(this.ctx, r.sample_id);
        if (!EDITABLE.has(r.status))
          fail('conflict', { item: r.item_code, status: r.status }, 'errors.result_submitted_use_correct');
        this.checkEntry(r, e);
        return r;
      } catch (err) {
        // Name the row: the whole paste is refused and nothing is saved.
        const e2 = err as { error?: { details?: Record<string, unknown> } };
        if (e2.error) e2.error.details = { ...(e2.error.details ?? {}), row: index + 1 };
        throw err;
      }
    });
    return this.ctx.ledger.write(actor, (w) => {
      const ids = new Set<string>();
      const samples = new Set<string>();
      entries.forEach((e, k) => {
        const r = asResult(w.get(T.result, rows[k]!.id)!);
        // A stale screen (D-097), under the write lock: the whole paste is refused, the row named.
        mustBeRevision(this.ctx.ledger, 'test_result', r, e.expectedRev, { item: r.item_code, row: k + 1 });
        startTestingIfNeeded(this.ctx, w, r.sample_id);
        ids.add(this.applyEntry(w, r, e).id);
        samples.add(r.sample_id);
      });
      for (const s of samples)
        for (const c of recompute(this.ctx, w, s, 'pasted', {
          via: 'paste',
          reason: verdictChangeReason,
          edited: new Set(entries.map((e) => e.id)),
        }))
          ids.add(c.id);
      return { changed: this.views.views([...ids].map((x) => w.get(T.result, x)!)) };
    });
  }

  /** A change after submission (issue 8 §4): reason required, the original stays in the history. */
  correct(actor: Actor, id: string, i: EntryInput, reason: string): { changed: ResultView[] } {
    const r0 = this.views.row(id);
    mustBeTestable(this.ctx, r0.sample_id);
    const st = r0.status;
    if (EDITABLE.has(st)) return this.enter(actor, id, i);
    if (st !== 'submitted' && st !== 'reviewed')
      fail('conflict', { item: r0.item_code, status: st }, 'errors.result_transition_not_allowed');
    // A failing result is settled by its OOS investigation, never by overwriting it.
    if (r0.oos_id || r0.verdict === 'fail') fail('conflict', { item: r0.item_code }, 'errors.result_under_oos');
    return this.ctx.ledger.write(actor, (w) => {
      const r = asResult(w.get(T.result, id)!);
      mustBeRevision(this.ctx.ledger, 'test_result', r, i.expectedRev, { item: r.item_code });
      const moved = asResult(
        w.update(
          T.result,
          r.id,
          { status: 'entered', submitted_by: null, submitted_at: null, reviewed_by: null, reviewed_at: null },
          { correction: reason },
        ),
      );
      const saved = this.applyEntry(w, moved, i, { correction: reason });
      const changed = recompute(this.ctx, w, r.sample_id, `${r.item_code} corrected`, { via: 'correction', reason });
      const ids = new Set([saved.id, ...changed.map((c) => c.id)]);
      return { changed: this.views.views([...ids].map((x) => w.get(T.result, x)!)) };
    });
  }
}
