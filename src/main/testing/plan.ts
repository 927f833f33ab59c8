import type { SpecItem } from '../../shared/catalog/spec-schema';
import type { ResultView } from '../../shared/contract/channels/testing';
import { fail } from '../../shared/contract/errors';
import { dependenciesOf, ENERGY_ITEM, RECONSTITUTION_ITEM, type TestItem } from '../../shared/rules';
import type { Row, Value } from '../ledger/entities';
import type { Actor, LedgerWriter } from '../ledger/ledger';
import { DAY, EDITABLE, HOUR, resultIn, TURNAROUND_HOURS, type PlanReason, type TestingContext } from './context';
import { T } from './entities';
import { parameterItem, specItemToTest, targetItem } from './items';
import { asResult, asSample, LOT_RESULT_KINDS, type LotRecord, type ResultRecord } from './queries';
import type { ResultViews } from './views';

/** What a planned test copies from its sample. */
export interface PlanBase {
  sample_id: string;
  sample_code: string;
  lot_code: string | null;
  product_code: string | null;
  spec_version_id: string | null;
}

const countsForLot = (kind: string): boolean => (LOT_RESULT_KINDS as readonly string[]).includes(kind);

/**
 * Test plans (issue 8 §1): the items of the specification version in force on the lot's date
 * that are due (frequency), calculated items wired to their inputs and the basis parameters
 * they need; the intake panel of a tanker; one test per target of a swab or water sample;
 * tests added by hand and assignments.
 */
export class TestPlanner {
  constructor(
    private readonly ctx: TestingContext,
    private readonly views: ResultViews,
  ) {}

  private get q() {
    return this.ctx.q;
  }

  /** Is a frequency-limited item due for this lot (issue 8 §1)? */
  isDue(item: Pick<SpecItem, 'code' | 'frequency' | 'frequency_n' | 'period_days'>, lot: LotRecord): boolean {
    if (item.frequency === 'every_lot') return true;
    // A lot that already has this item planned keeps it due (the plan is the record).
    if (this.q.results.plannedOnLot(lot.code, item.code)) return true;
    const itemCode = lot.item_code;
    const date = lot.lot_date.slice(0, 10);
    if (item.frequency === 'every_nth_lot') {
      const n = item.frequency_n ?? 1;
      if (n <= 1) return true;
      const previous = this.q.foreign.previousLots(itemCode, lot.code, date, n - 1);
      if (previous.length === 0) return true;
      const tested = this.q.results.testedOnAnyLot(item.code, previous);
      // Due when none of the previous n − 1 lots had it (every nth lot of the product).
      return !tested && previous.length >= n - 1
        ? true
        : !tested && previous.length < n - 1
          ? this.noEarlierTest(itemCode, item.code, date)
          : false;
    }
    // periodic: due when the last lot that had it is period_days or more before this lot.
    const last = this.q.results.lastTestedLotDate(itemCode, item.code, date, lot.code);
    if (!last) return true;
    return (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${last}T00:00:00Z`)) / DAY >= (item.period_days ?? 1);
  }

  /** Fewer than n − 1 earlier lots exist: due only if none of them had the item (the first lot of a product is tested). */
  private noEarlierTest(productCode: string, itemCode: string, date: string): boolean {
    return !this.q.results.testedOnOrBefore(productCode, itemCode, date);
  }

  /**
   * The tests of a newly registered sample, in the registration's transaction: the items of
   * the specification version in force on the lot's date that are due (frequency), with
   * calculated items wired to their inputs and the basis parameters they need; for swab and
   * water samples one presence/absence test per target. Items that already have a current
   * result on the lot (from an earlier sample) are not planned again.
   */
  planSample(w: LedgerWriter, row: Row): number {
    const sample = asSample(row);
    const kind = sample.kind;
    if (kind === 'retention' || sample.parent_sample_id) return 0;
    const takenAt = sample.taken_at;
    const base: PlanBase = {
      sample_id: sample.id,
      sample_code: sample.code,
      lot_code: sample.lot_code ?? null,
      product_code: null,
      spec_version_id: sample.spec_version_id ?? null,
    };
    const planned: Array<{ item: TestItem; specItemId: string | null; reason: PlanReason }> = [];
    if (kind === 'environmental_swab' || kind === 'water') {
      for (const t of String(sample.targets ?? '')
        .split(',')
        .filter(Boolean))
        planned.push({ item: targetItem(t), specItemId: null, reason: 'target' });
    } else {
      const lot = base.lot_code ? this.q.foreign.lot(base.lot_code) : undefined;
      const panel = kind === 'raw_milk_tanker' && lot ? (this.ctx.hooks.panelItems?.(lot) ?? null) : null;
      if (lot && panel) {
        // Raw milk intake: the supplier's rapid panel at its sampling level (issue 9).
        base.product_code = lot.item_code;
        for (const item of panel) planned.push({ item, specItemId: null, reason: 'panel' });
        let position = 0;
        for (const p of planned) this.createTest(w, base, p.item, p.specItemId, p.reason, ++position, takenAt, 1, null);
        return planned.length;
      }
      if (!lot || !base.spec_version_id) return 0;
      base.product_code = lot.item_code;
      const tightened =
        kind === 'incoming_inspection' &&
        !!lot.supplier_code &&
        this.ctx.hooks.samplingLevel?.(lot.supplier_code) === 'tightened';
      const targets = String(sample.targets ?? '')
        .split(',')
        .filter(Boolean);
      const ids = this.q.foreign.specItemIds(base.spec_version_id);
      const current = countsForLot(kind) ? this.q.results.currentItemsOnLot(base.lot_code!) : new Set<string>();
      for (const item of this.ctx.specs.versionItems(base.spec_version_id)) {
        if (kind === 'in_process' ? !targets.includes(item.code) : !tightened && !this.isDue(item, lot)) continue;
        if (current.has(item.code)) continue;
        planned.push({
          item: specItemToTest(item),
          specItemId: ids.get(item.code) ?? null,
          reason: kind === 'in_process' ? 'target' : (item.frequency as PlanReason),
        });
      }
      // Basis parameters the plan needs and the specification does not give.
      const codes = new Set(planned.map((p) => p.item.code));
      for (const p of [...planned]) {
        for (const dep of dependenciesOf(p.item)) {
          if ((dep === RECONSTITUTION_ITEM || dep === ENERGY_ITEM) && !codes.has(dep) && !current.has(dep)) {
            planned.push({ item: parameterItem(dep), specItemId: null, reason: 'parameter' });
            codes.add(dep);
          }
        }
      }
    }
    let position = this.q.results.maxPosition(sample.id);
    for (const p of planned) this.createTest(w, base, p.item, p.specItemId, p.reason, ++position, takenAt, 1, null);
    return planned.length;
  }

  createTest(
    w: LedgerWriter,
    base: PlanBase,
    item: TestItem,
    specItemId: string | null,
    reason: PlanReason,
    position: number,
    takenAt: number,
    attempt: number,
    retestOf: string | null,
  ): ResultRecord {
    const tat = item.group === 'microbiology' ? TURNAROUND_HOURS.microbiology : TURNAROUND_HOURS.other;
    return asResult(
      w.create(T.result, {
        ...base,
        spec_item_id: specItemId,
        item_code: item.code,
        item_group: item.group,
        position,
        item: JSON.stringify(item),
        method_code: item.method_code,
        calculated: item.formula ? 1 : 0,
        plan_reason: reason,
        due_at: Math.max(takenAt, w.at) + tat * HOUR,
        assigned_to: null,
        instrument_id: null,
        status: 'pending',
        replicates: null,
        unit_values: null,
        value: null,
        reported: null,
        verdict: null,
        verdict_reason: null,
        verdict_details: null,
        external_lab: null,
        external_report_no: null,
        analyst_id: null,
        entered_at: null,
        submitted_by: null,
        submitted_at: null,
        reviewed_by: null,
        reviewed_at: null,
        return_reason: null,
        invalidated_reason: null,
        attempt,
        retest_of: retestOf,
        oos_id: null,
        note: null,
      }),
    );
  }

  plan(actor: Actor, sampleCode: string): { created: number } {
    const s = asSample(this.ctx.samples.mustSample(sampleCode));
    if (s.status === 'cancelled') fail('conflict', { code: sampleCode }, 'errors.sample_cancelled');
    if (this.views.sampleRows(s.id).length > 0) fail('conflict', { code: sampleCode }, 'errors.sample_has_plan');
    return this.ctx.ledger.write(actor, (w) => {
      // The sample may have been registered before its specification was approved.
      let sample: Row = s;
      if (!s.spec_version_id && s.lot_code) {
        const specId = this.ctx.samples.specVersionFor(s.lot_code);
        if (specId) sample = this.ctx.samples.setSpecVersion(w, s, specId);
      }
      const created = this.planSample(w, sample);
      if (created === 0) fail('conflict', { code: sampleCode }, 'errors.no_spec_for_sample');
      return { created };
    });
  }

  addTest(actor: Actor, sampleCode: string, itemCode: string, reason: string): ResultView {
    const s = asSample(this.ctx.samples.mustSample(sampleCode));
    if (!['registered', 'received', 'in_testing'].includes(s.status))
      fail('conflict', { code: sampleCode, status: s.status }, 'errors.sample_closed');
    if (!s.spec_version_id) fail('conflict', { code: sampleCode }, 'errors.no_spec_for_sample');
    const versionId = s.spec_version_id;
    const lotCode = s.lot_code ?? null;
    const item = this.ctx.specs.versionItems(versionId).find((i) => i.code === itemCode);
    if (!item) fail('not_found', { entity: 'spec_item', id: itemCode }, 'errors.item_not_in_spec');
    const onSample = this.views.sampleRows(s.id).some((r) => r.item_code === itemCode && r.status !== 'invalidated');
    const onLot = lotCode ? this.q.results.currentItemsOnLot(lotCode).has(itemCode) : false;
    // Nobody tests into compliance: a second result for an item needs an OOS investigation.
    if (onSample || onLot) fail('conflict', { item: itemCode, lot: lotCode }, 'errors.retest_needs_investigation');
    return this.ctx.ledger.write(actor, (w) => {
      const specItemId = this.q.foreign.specItemId(versionId, itemCode);
      const position = this.q.results.maxPosition(s.id) + 1;
      const lot = lotCode ? this.q.foreign.lot(lotCode) : undefined;
      const r = this.createTest(
        w,
        {
          sample_id: s.id,
          sample_code: s.code,
          lot_code: lotCode,
          product_code: lot?.item_code ?? null,
          spec_version_id: versionId,
        },
        specItemToTest(item),
        specItemId,
        'added',
        position,
        s.taken_at,
        1,
        null,
      );
      w.update(T.result, r.id, { note: reason }, { reason });
      return this.views.view(w.get(T.result, r.id)!);
    });
  }

  assign(
    actor: Actor,
    ids: string[],
    assignedTo: string | null | undefined,
    instrumentId: string | null | undefined,
  ): { updated: number } {
    if (assignedTo) {
      const u = this.ctx.identity.getUser(assignedTo);
      if (!u) fail('not_found', { entity: 'user', id: assignedTo }, 'errors.user_not_found');
    }
    return this.ctx.ledger.write(actor, (w) => {
      let updated = 0;
      for (const id of ids) {
        const r = resultIn(w, id);
        if (!EDITABLE.has(r.status)) continue;
        const patch: Record<string, Value> = {};
        if (assignedTo !== undefined) patch['assigned_to'] = assignedTo;
        if (instrumentId !== undefined) patch['instrument_id'] = instrumentId;
        if (Object.keys(patch).length === 0) continue;
        w.update(T.result, id, patch, { reason: 'assigned' });
        updated++;
      }
      return { updated };
    });
  }
}
