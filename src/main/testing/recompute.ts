import { fail } from '../../shared/contract/errors';
import {
  computeCalculated,
  computeMeasured,
  energyKJ,
  ENERGY_ITEM,
  parseDecimal,
  RECONSTITUTION_ITEM,
  type ComputedResult,
} from '../../shared/rules';
import type { Value } from '../ledger/entities';
import type { LedgerWriter } from '../ledger/ledger';
import { arr, BEFORE_SUBMIT, CURRENT, itemOf, type TestingContext } from './context';
import { T } from './entities';
import { replicateRules } from './method-rules';
import { asResult, type ResultRecord } from './queries';
import { recordFlips, type ChangeContext, type Flip } from './verdict-changes';

/**
 * Recomputes value, reported value and verdict of every current result of a sample:
 * measured ones from their raw data, calculated ones from their inputs, conversions from
 * the sample's energy and reconstitution. A submitted or reviewed result whose outcome
 * changes (an input was corrected) goes back to `entered`, to be submitted and reviewed
 * again — except a result under OOS investigation, which only its investigation settles
 * (D-024): a change of one of its inputs is refused. A saved failing verdict that would
 * leave `fail` needs the reason the write carries, and is recorded (issue 19 §4).
 */
export function recompute(
  ctx: TestingContext,
  w: LedgerWriter,
  sampleId: string,
  why: string,
  change: ChangeContext,
): ResultRecord[] {
  const rows = ctx.q.results.ofSample(sampleId).map((x) => asResult(w.get(T.result, x.id)!));
  const current = rows.filter((r) => CURRENT.has(r.status));
  const rules = replicateRules(ctx.q);
  const computed = new Map<string, ComputedResult>();
  // Fixed point: calculated items may depend on calculated items (energy ← carbohydrate).
  for (let pass = 0; pass <= current.length; pass++) {
    const values: Record<string, string> = {};
    for (const r of current) {
      const c = computed.get(r.id);
      const v = c ? c.value : null;
      if (v !== null && parseDecimal(v).ok) values[r.item_code] = v;
    }
    const energyRow = current.find((r) => r.item_code === ENERGY_ITEM);
    const ctxBase = {
      energyKJPer100g: energyRow && values[ENERGY_ITEM] ? energyKJ(itemOf(energyRow), values[ENERGY_ITEM]) : null,
      reconstitution: values[RECONSTITUTION_ITEM] ?? null,
    };
    let changed = false;
    for (const r of current) {
      const item = itemOf(r);
      const rc = { ...ctxBase, rule: item.method_code ? (rules[item.method_code] ?? null) : null };
      const c =
        r.calculated === 1
          ? computeCalculated(item, values, rc)
          : computeMeasured(item, { replicates: arr(r.replicates), unitValues: arr(r.unit_values) }, rc);
      const prev = computed.get(r.id);
      if (!prev || JSON.stringify(prev) !== JSON.stringify(c)) changed = true;
      computed.set(r.id, c);
    }
    if (!changed) break;
  }
  const flips: Flip[] = [];
  const writes: Array<() => ResultRecord> = [];
  const update = (id: string, patch: Record<string, Value>, reason: string | { correction: string }) => () =>
    asResult(w.update(T.result, id, patch, typeof reason === 'string' ? { reason } : reason));
  for (const r of current) {
    const c = computed.get(r.id)!;
    const patch: Record<string, Value> = {
      value: c.value,
      reported: c.reported,
      verdict: c.verdict,
      // "No value yet" is the planned state, not a change worth an audit entry.
      verdict_reason: c.reason === 'testing.no_value' ? null : c.reason,
      verdict_details:
        Object.keys(c.details).length || c.waitingFor.length
          ? JSON.stringify({ ...c.details, ...(c.waitingFor.length ? { waitingFor: c.waitingFor.join(', ') } : {}) })
          : null,
    };
    const same = (Object.keys(patch) as string[]).every((k) => (patch[k] ?? null) === (r[k] ?? null));
    const status = r.status;
    const submitted = status === 'submitted' || status === 'reviewed';
    // The unrounded value in the specification's basis (control charts use it). A result
    // saved before migration 0014 gets it when it is next written, never by itself.
    const convertedSame = (c.converted ?? null) === (r.converted ?? null);
    if (!same || (!submitted && !convertedSame)) patch['converted'] = c.converted;
    if (!same && r.oos_id && submitted)
      fail('conflict', { item: r.item_code, input: why }, 'errors.result_under_oos_input');
    const leavesFail = r.verdict === 'fail' && c.verdict !== 'fail';
    if (leavesFail && (BEFORE_SUBMIT.has(status) || change.via === 'correction' || change.via === 'invalidation'))
      flips.push({ row: r, toVerdict: c.verdict, toReported: c.reported });
    const flipNote = leavesFail ? ` — verdict fail → ${c.verdict ?? 'none'}: ${change.reason?.trim() ?? ''}` : '';
    if (r.calculated === 1) {
      const hasValue = c.value !== null;
      if (!hasValue && status !== 'pending') {
        patch['status'] = 'pending';
        patch['analyst_id'] = null;
        patch['entered_at'] = null;
      } else if (hasValue && (status === 'pending' || !same)) {
        if (status === 'pending' || submitted) patch['status'] = 'entered';
        patch['analyst_id'] = w.actor.id;
        patch['entered_at'] = w.at;
      }
      if (same && !patch['status'] && !('converted' in patch)) continue;
      writes.push(
        update(
          r.id,
          patch,
          submitted ? { correction: `recalculated (${why})${flipNote}` } : `calculated (${why})${flipNote}`,
        ),
      );
      continue;
    }
    if (same && !('converted' in patch)) continue;
    if (!same && submitted) {
      patch['status'] = 'entered';
      writes.push(update(r.id, patch, { correction: `recalculated (${why})${flipNote}` }));
    } else writes.push(update(r.id, patch, `computed (${why})${flipNote}`));
  }
  // Refused before anything of the recomputation is written when a reason is missing.
  recordFlips(w, flips, change);
  return writes.map((write) => write());
}
