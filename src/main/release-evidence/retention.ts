import type { z } from 'zod';
import type {
  observationOutcomes,
  retentionDetailSchema,
  retentionProfileSchema,
  withdrawalPurposes,
} from '../../shared/contract/channels/release-evidence';
import { fail } from '../../shared/contract/errors';
import { QuantityDecimal as D, type QuantityUnit } from '../../shared/domain/units';
import type { Row } from '../ledger/entities';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { localDate } from '../lots';
import { addDays } from '../samples';
import { convertOrNull, iso, productOf } from './common';
import { RE } from './entities';
import {
  retentionProfileRow,
  type ObservationRow,
  type ReleaseEvidenceQueries,
  type RetentionProfileRow,
  type RetentionSampleRow,
  type WithdrawalRow,
} from './queries';

type Detail = z.infer<typeof retentionDetailSchema>;
type Profile = z.infer<typeof retentionProfileSchema>;
type Purpose = (typeof withdrawalPurposes)[number];
type Outcome = (typeof observationOutcomes)[number];

/** A retention sample's state: what remains and whether it covers the required quantity. */
export interface RetentionKept {
  code: string;
  remaining: string;
  unit: string;
  required: string | null;
  sufficient: boolean | null;
}

/**
 * Retention-sample evidence (issue 20 §5): retention profiles (required quantity, storage
 * conditions, observation schedule), withdrawals and retention observations (留样观察).
 */
export class RetentionEvidence {
  constructor(
    private readonly ledger: Ledger,
    private readonly q: ReleaseEvidenceQueries,
  ) {}

  /** A retention sample's withdrawal by id (a spot check shows the one it took). */
  withdrawal(id: string): WithdrawalRow | undefined {
    return this.q.withdrawal(id);
  }

  /** The retention samples of a lot with what remains of them and whether it covers the required quantity. */
  retentionState(lotCode: string): RetentionKept[] {
    const product = this.q.finishedProductOf(lotCode);
    const profile = product ? this.q.profileOf(product) : undefined;
    return this.q.keptRetention(lotCode).map((s) => {
      const remaining = this.remainingOf(s);
      const unit = s.unit;
      if (!profile) return { code: s.code, remaining, unit, required: null, sufficient: null };
      const required = convertOrNull(profile.required_quantity, profile.unit, unit);
      return {
        code: s.code,
        remaining,
        unit,
        // In the sample's unit when it converts (a profile in another dimension cannot be met).
        required:
          required !== null ? `${new D(required).toFixed()} ${unit}` : `${profile.required_quantity} ${profile.unit}`,
        sufficient: required === null ? false : new D(remaining).gte(required),
      };
    });
  }

  private remainingOf(s: RetentionSampleRow): string {
    let left = new D(s.quantity);
    for (const w of this.q.withdrawnOf(s.id)) left = left.minus(convertOrNull(w.quantity, w.unit, s.unit) ?? '0');
    return left.toFixed();
  }

  private today(): string {
    return localDate(this.ledger.timeZone, this.ledger.now());
  }

  private product(code: string) {
    return productOf(this.q, code);
  }

  // ------------------------------------------------------------------ retention profiles

  private profileRow(productCode: string): RetentionProfileRow | undefined {
    return this.q.profileOf(productCode);
  }

  private profileView(r: RetentionProfileRow): Profile {
    return {
      productCode: r.product_code,
      requiredQuantity: r.required_quantity,
      unit: r.unit,
      basisNote: r.basis_note,
      storageConditions: r.storage_conditions,
      observationDays: r.observation_days,
    };
  }

  profile(productCode: string): Profile | null {
    this.product(productCode);
    const r = this.profileRow(productCode);
    return r ? this.profileView(r) : null;
  }

  saveProfile(
    actor: Actor,
    i: {
      productCode: string;
      requiredQuantity: string;
      unit: QuantityUnit;
      basisNote: string;
      storageConditions: string;
      observationDays: number[];
      reason?: string | undefined;
    },
  ): Profile {
    this.product(i.productCode);
    if (new D(i.requiredQuantity).lte(0))
      fail('invalid_input', { field: 'requiredQuantity' }, 'errors.quantity_positive');
    const days = [...new Set(i.observationDays)].sort((a, b) => a - b);
    return this.ledger.write(actor, (w) => {
      const cur = this.profileRow(i.productCode);
      const fields = {
        product_code: i.productCode,
        required_quantity: i.requiredQuantity,
        unit: i.unit,
        basis_note: i.basisNote,
        storage_conditions: i.storageConditions,
        observation_days: JSON.stringify(days),
      };
      if (cur) {
        if (!i.reason) fail('invalid_input', { field: 'reason' }, 'errors.reason_required');
        return this.profileView(retentionProfileRow(w.update(RE.retentionProfile, cur.id, fields, { reason: i.reason })));
      }
      return this.profileView(retentionProfileRow(w.create(RE.retentionProfile, fields)));
    });
  }

  // ------------------------------------------------------------------ retention samples

  private retentionSample(code: string): RetentionSampleRow {
    const s = this.q.sampleByCode(code);
    if (!s) fail('not_found', { entity: 'sample', id: code }, 'errors.sample_not_found');
    if (s.kind !== 'retention') fail('invalid_input', { code }, 'errors.sample_not_retention');
    return s;
  }

  private scheduleOf(s: RetentionSampleRow, profile: Profile | null, observations: ObservationRow[]): Detail['schedule'] {
    if (!profile) return [];
    const lotDate = this.q.lotInfo(s.lot_code)?.lot_date?.slice(0, 10);
    if (!lotDate) return [];
    const keepUntil = s.keep_until ?? null;
    const today = this.today();
    return profile.observationDays
      .map((d) => addDays(lotDate, d))
      .filter((due) => !keepUntil || due <= keepUntil)
      .map((dueOn) => {
        const o = observations.find((x) => x.due_on === dueOn);
        return {
          dueOn,
          observationId: o?.id ?? null,
          outcome: o?.outcome ?? null,
          overdue: !o && dueOn < today && s.disposed_at === null,
        };
      });
  }

  detail(code: string): Detail {
    const s = this.retentionSample(code);
    const lot = this.q.lotInfo(s.lot_code);
    const productCode = lot?.kind === 'finished' ? lot.item_code : null;
    const pr = productCode ? this.profileRow(productCode) : undefined;
    const profile = pr ? this.profileView(pr) : null;
    const withdrawals = this.q.withdrawalsOf(s.id);
    const observations = this.q.observationsOf(s.id);
    const remaining = this.remainingOf(s);
    const unit = s.unit;
    const withdrawn = new D(s.quantity).minus(remaining).toFixed();
    const required = profile ? convertOrNull(profile.requiredQuantity, profile.unit, unit) : null;
    return {
      sample: {
        code: s.code,
        lotCode: s.lot_code,
        productCode,
        lotDate: lot?.lot_date?.slice(0, 10) ?? null,
        quantity: s.quantity,
        unit,
        storageLocation: s.storage_location ?? null,
        keepUntil: s.keep_until ?? null,
        status: s.status,
        disposedAt: iso(s.disposed_at),
      },
      profile,
      withdrawn,
      remaining,
      sufficient: profile ? required !== null && new D(remaining).gte(required) : null,
      withdrawals: withdrawals.map((w) => ({
        id: w.id,
        quantity: w.quantity,
        unit: w.unit,
        purpose: w.purpose,
        reason: w.reason,
        spotCheckCode: w.spot_check_code ?? null,
        withdrawnBy: w.withdrawn_by,
        withdrawnAt: iso(w.withdrawn_at)!,
      })),
      observations: observations.map((o) => ({
        id: o.id,
        dueOn: o.due_on,
        observedOn: o.observed_on,
        outcome: o.outcome,
        findings: o.findings,
        storageObserved: o.storage_observed ?? null,
        observedBy: o.observed_by,
        observedAt: iso(o.observed_at)!,
      })),
      schedule: this.scheduleOf(s, profile, observations),
    };
  }

  /**
   * Takes quantity out of a retention sample inside the caller's transaction (a spot check's
   * re-test uses it too). Never more than remains; a disposed or cancelled sample has none.
   */
  withdrawIn(
    w: LedgerWriter,
    code: string,
    i: { quantity: string; unit: QuantityUnit; purpose: Purpose; reason: string; spotCheckCode?: string | null },
  ): Row {
    const s = this.retentionSample(code);
    if (s.status === 'cancelled' || s.disposed_at !== null)
      fail('conflict', { code, status: s.status }, 'errors.retention_not_available');
    if (new D(i.quantity).lte(0)) fail('invalid_input', { field: 'quantity' }, 'errors.quantity_positive');
    const inSampleUnit = convertOrNull(i.quantity, i.unit, s.unit);
    if (inSampleUnit === null)
      fail('invalid_input', { field: 'unit', unit: i.unit, sampleUnit: s.unit }, 'errors.retention_unit_mismatch');
    // Evaluated inside the transaction that writes: two withdrawals at once cannot overdraw.
    const remaining = this.remainingOf(s);
    if (new D(inSampleUnit).gt(remaining))
      fail('conflict', { code, remaining, unit: s.unit }, 'errors.retention_overdrawn');
    return w.create(
      RE.withdrawal,
      {
        sample_id: s.id,
        sample_code: code,
        lot_code: s.lot_code,
        quantity: i.quantity,
        unit: i.unit,
        purpose: i.purpose,
        reason: i.reason,
        spot_check_code: i.spotCheckCode ?? null,
        withdrawn_by: w.actor.id,
        withdrawn_at: w.at,
      },
      { reason: i.reason },
    );
  }

  withdraw(
    actor: Actor,
    code: string,
    i: { quantity: string; unit: QuantityUnit; purpose: Purpose; reason: string },
  ): Detail {
    if (i.purpose === 'spot_check_retest')
      fail('invalid_input', { field: 'purpose' }, 'errors.retention_use_spot_check');
    this.ledger.write(actor, (w) => this.withdrawIn(w, code, i));
    return this.detail(code);
  }

  observe(
    actor: Actor,
    code: string,
    i: { dueOn: string; observedOn: string; outcome: Outcome; findings: string; storageObserved: string | null },
  ): Detail {
    const s = this.retentionSample(code);
    const d = this.detail(code);
    const slot = d.schedule.find((x) => x.dueOn === i.dueOn);
    if (!slot) fail('invalid_input', { field: 'dueOn', dueOn: i.dueOn }, 'errors.retention_observation_not_scheduled');
    if (slot.observationId) fail('conflict', { dueOn: i.dueOn }, 'errors.retention_observation_done');
    if (i.observedOn > this.today()) fail('invalid_input', { field: 'observedOn' }, 'errors.date_in_future');
    if (d.sample.lotDate && i.observedOn < d.sample.lotDate)
      fail('invalid_input', { field: 'observedOn' }, 'errors.retention_observed_before_lot');
    this.ledger.write(actor, (w) => {
      if (this.q.observationMade(s.id, i.dueOn)) fail('conflict', { dueOn: i.dueOn }, 'errors.retention_observation_done');
      w.create(RE.observation, {
        sample_id: s.id,
        sample_code: code,
        lot_code: s.lot_code,
        due_on: i.dueOn,
        observed_on: i.observedOn,
        outcome: i.outcome,
        findings: i.findings,
        storage_observed: i.storageObserved,
        observed_by: actor.id,
        observed_at: w.at,
      });
    });
    return this.detail(code);
  }

  /**
   * Observations due within `withinDays` (or overdue) across retention samples still kept: two
   * queries (samples with their lot date and profile; the observations made), whatever the
   * size of the store.
   */
  observationsDue(withinDays: number) {
    const today = this.today();
    const until = addDays(today, withinDays);
    const rows = this.q.dueCandidates();
    const done = new Set(this.q.observationsMade().map((o) => `${o.sample_id}|${o.due_on}`));
    const out: Array<{
      sampleCode: string;
      lotCode: string;
      productCode: string | null;
      dueOn: string;
      overdue: boolean;
      storageLocation: string | null;
    }> = [];
    for (const r of rows) {
      for (const d of r.observation_days) {
        const dueOn = addDays(r.lot_date, d);
        if (dueOn > until || (r.keep_until && dueOn > r.keep_until) || done.has(`${r.id}|${dueOn}`)) continue;
        out.push({
          sampleCode: r.code,
          lotCode: r.lot_code,
          productCode: r.item_code,
          dueOn,
          overdue: dueOn < today,
          storageLocation: r.storage_location,
        });
      }
    }
    return out.sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.sampleCode.localeCompare(b.sampleCode));
  }
}
