import type { z } from 'zod';
import type {
  LabelComparison,
  LabelValueView,
  labelComparisonRowSchema,
  observationOutcomes,
  retentionDetailSchema,
  retentionProfileSchema,
  withdrawalPurposes,
} from '../../shared/contract/channels/release-evidence';
import { fail } from '../../shared/contract/errors';
import { convertQuantity, isQuantityUnit, QuantityDecimal as D, type QuantityUnit } from '../../shared/domain/units';
import { entryBasis, limitSpecOf, limitText, type TestItem } from '../../shared/rules';
import {
  labelBounds,
  margins,
  nearestMargin,
  parseLabelRule,
  type Bounds,
  type SideMargin,
} from '../../shared/rules/label-values';
import type { Row, Value } from '../ledger/entities';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { localDate } from '../lots';
import { addDays } from '../samples';
import { RE } from './entities';
import {
  labelValueRow,
  releaseEvidenceQueries,
  retentionProfileRow,
  type LabelResultRow,
  type LabelValueRow,
  type ObservationRow,
  type ProductRow,
  type ReleaseEvidenceOwners,
  type ReleaseEvidenceQueries,
  type RetentionProfileRow,
  type RetentionSampleRow,
  type WithdrawalRow,
} from './queries';

type Detail = z.infer<typeof retentionDetailSchema>;
type Profile = z.infer<typeof retentionProfileSchema>;
type ComparisonRow = z.infer<typeof labelComparisonRowSchema>;
type Purpose = (typeof withdrawalPurposes)[number];
type Outcome = (typeof observationOutcomes)[number];

function iso(ms: number | null | undefined): string | null {
  return typeof ms === 'number' ? new Date(ms).toISOString() : null;
}

function json<T>(v: string | null | undefined, fallback: T): T {
  return typeof v === 'string' && v ? (JSON.parse(v) as T) : fallback;
}

function sideOf(ms: SideMargin[] | null): { margins: SideMargin[]; nearest: SideMargin | null } {
  return { margins: ms ?? [], nearest: ms ? nearestMargin(ms) : null };
}

function gbBounds(item: TestItem): Bounds | null {
  const l = limitSpecOf(item);
  if (!l) return null;
  if (l.kind === 'range') return { min: l.min, max: l.max };
  if (l.kind === 'minimum') return { min: l.min, max: null };
  if (l.kind === 'maximum') return { min: null, max: l.max };
  return null;
}

/** A retention sample's state: what remains and whether it covers the required quantity. */
export interface RetentionKept {
  code: string;
  remaining: string;
  unit: string;
  required: string | null;
  sufficient: boolean | null;
}

function compareLabel(
  l: LabelValueRow,
  item: TestItem | null,
  r: LabelResultRow | null,
): NonNullable<ComparisonRow['label']> {
  const rule = parseLabelRule(json<unknown>(l.rule, {}));
  const base = {
    labelValueId: l.id,
    declared: l.declared,
    unit: l.unit,
    basis: l.basis,
    minPct: rule.minPct,
    maxPct: rule.maxPct,
    ruleVerification: l.rule_verification ?? 'unverified',
    ruleSource: l.rule_source,
  };
  const none = (comparable: NonNullable<ComparisonRow['label']>['comparable']) => ({
    ...base,
    compared: null,
    margins: [],
    nearest: null,
    comparable,
    ok: false,
  });
  if (!item || !r) return none('no_result');
  if (r.status !== 'reviewed') return none('not_reviewed');
  let compared: string | null;
  if (base.basis === item.basis) compared = r.reported ?? null;
  else if (base.basis === entryBasis(item)) compared = r.value ?? null;
  else return none('basis_differs');
  const bounds = labelBounds(base.declared, rule);
  const ms = compared !== null && bounds ? margins(compared, bounds) : null;
  if (!ms) return { ...none('censored'), compared };
  return { ...base, compared, ...sideOf(ms), comparable: 'ok', ok: ms.every((m) => m.ok) };
}

function convertOrNull(value: string, from: string, to: string): string | null {
  if (from === to) return value;
  if (!isQuantityUnit(from) || !isQuantityUnit(to)) return null;
  return convertQuantity(value, from, to);
}

// ------------------------------------------------------------------ the service

/**
 * Label values of products and retention-sample evidence (issue 20 §5): the declared values
 * and the rule applied, the lot comparison shown on the release checklist, retention profiles
 * (required quantity, storage conditions, observation schedule), withdrawals and retention
 * observations (留样观察). Every change goes through the ledger.
 */
export class ReleaseEvidenceService {
  private readonly q: ReleaseEvidenceQueries;

  constructor(
    private readonly ledger: Ledger,
    /** The reads release evidence asks of the capabilities that own the data (lots, catalog, samples, testing). */
    owners: ReleaseEvidenceOwners,
  ) {
    this.q = releaseEvidenceQueries(ledger.db, owners);
  }

  // ------------------------------------------------------------------ read functions (also for disposition)

  /** A retention sample's withdrawal by id (a spot check shows the one it took). */
  withdrawal(id: string): WithdrawalRow | undefined {
    return this.q.withdrawal(id);
  }

  /**
   * A finished lot's current results against the GB limits and the product's declared label
   * values, with the margin to each side (issue 20 §5). Margins are taken on the reported value
   * (the certificate's figure); a label declared per 100 g of an item limited per 100 kJ is
   * compared with the result's unrounded entry-basis value. Never stored: computed on demand.
   */
  labelComparison(lotCode: string): LabelComparison {
    const productCode = this.q.finishedProductOf(lotCode) ?? '';
    const labels = productCode ? this.q.labelsOfProduct(productCode) : [];
    // The latest attempt of each item is the one that counts.
    const current = new Map<string, LabelResultRow>();
    for (const r of this.q.releaseResults(lotCode)) {
      if (r.plan_reason === 'parameter') continue;
      current.set(r.item_code, r);
    }
    const rows: ComparisonRow[] = [];
    const seen = new Set<string>();
    for (const [code, r] of current) {
      seen.add(code);
      const item = JSON.parse(r.item) as TestItem;
      const reported = r.reported ?? null;
      const gb = gbBounds(item);
      const label = labels.find((l) => l.item_code === code);
      rows.push({
        itemCode: code,
        nameZh: item.name_zh,
        nameEn: item.name_en,
        resultId: r.id,
        resultStatus: r.status,
        reported,
        unit: item.unit,
        basis: item.basis,
        gb: gb
          ? {
              limitText: limitText(item),
              verdict: r.verdict ?? null,
              ...sideOf(reported !== null ? margins(reported, gb) : null),
            }
          : null,
        label: label ? compareLabel(label, item, r) : null,
      });
    }
    // Declared items that have no result on the lot.
    for (const l of labels) {
      const code = l.item_code;
      if (seen.has(code)) continue;
      const name = this.q.latestItemName(productCode, code);
      rows.push({
        itemCode: code,
        nameZh: name?.name_zh ?? code,
        nameEn: name?.name_en ?? code,
        resultId: null,
        resultStatus: null,
        reported: null,
        unit: l.unit,
        basis: l.basis,
        gb: null,
        label: compareLabel(l, null, null),
      });
    }
    const declared = rows.filter((r) => r.label);
    return {
      lotCode,
      productCode,
      rows,
      summary: {
        declared: declared.length,
        outside: declared.filter((r) => r.label!.comparable === 'ok' && !r.label!.ok).length,
        notCompared: declared.filter((r) => r.label!.comparable !== 'ok').length,
        unverified: declared.filter((r) => r.label!.ruleVerification !== 'confirmed').length,
      },
    };
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

  private product(code: string): ProductRow {
    const p = this.q.productByCode(code);
    if (!p) fail('not_found', { entity: 'product', id: code }, 'errors.product_unknown');
    return p;
  }

  // ------------------------------------------------------------------ label values

  private specItemsOf(
    productCode: string,
  ): Array<{ code: string; nameZh: string; nameEn: string; unit: string; basis: string }> {
    const p = this.product(productCode);
    const v = this.q.currentVersionOf(p.id);
    if (!v) return [];
    return this.q
      .itemsOfVersion(v)
      .map((i) => ({ code: i.code, nameZh: i.name_zh, nameEn: i.name_en, unit: i.unit, basis: i.basis }));
  }

  private labelView(r: LabelValueRow, names?: Map<string, { nameZh: string; nameEn: string }>): LabelValueView {
    const rule = parseLabelRule(json<unknown>(r.rule, {}));
    const n = names?.get(r.item_code);
    return {
      id: r.id,
      rev: r.rev,
      productCode: r.product_code,
      itemCode: r.item_code,
      nameZh: n?.nameZh ?? null,
      nameEn: n?.nameEn ?? null,
      declared: r.declared,
      unit: r.unit,
      basis: r.basis,
      minPct: rule.minPct,
      maxPct: rule.maxPct,
      ruleSource: r.rule_source,
      ruleVerification: r.rule_verification,
      confirmedBy: r.confirmed_by ?? null,
      confirmedAt: iso(r.confirmed_at),
      confirmReference: r.confirm_reference ?? null,
      note: r.note ?? null,
    };
  }

  labels(productCode: string) {
    const p = this.product(productCode);
    const specItems = this.specItemsOf(productCode);
    const names = new Map(specItems.map((i) => [i.code, i]));
    return {
      product: { code: p.code, nameZh: p.name_zh, nameEn: p.name_en, stage: p.stage },
      items: this.q.labelsOfProduct(productCode).map((r) => this.labelView(r, names)),
      specItems,
    };
  }

  saveLabel(
    actor: Actor,
    i: {
      id?: string | undefined;
      productCode: string;
      itemCode: string;
      declared: string;
      unit: string;
      basis: string;
      minPct: string | null;
      maxPct: string | null;
      ruleSource: string;
      note: string | null;
      reason?: string | undefined;
    },
  ): LabelValueView {
    this.product(i.productCode);
    if (new D(i.declared).lte(0)) fail('invalid_input', { field: 'declared' }, 'errors.label_declared_positive');
    if (i.minPct === null && i.maxPct === null) fail('invalid_input', { field: 'minPct' }, 'errors.label_rule_empty');
    if (i.minPct !== null && i.maxPct !== null && new D(i.minPct).gt(i.maxPct))
      fail('invalid_input', { field: 'maxPct' }, 'errors.label_rule_order');
    if (i.id && !i.reason) fail('invalid_input', { field: 'reason' }, 'errors.reason_required');
    const rule = JSON.stringify({ minPct: i.minPct, maxPct: i.maxPct });
    const names = new Map(this.specItemsOf(i.productCode).map((x) => [x.code, x]));
    return this.ledger.write(actor, (w) => {
      if (this.q.otherLabelFor(i.productCode, i.itemCode, i.id ?? '')) fail('conflict', { item: i.itemCode }, 'errors.label_item_exists');
      const fields: Record<string, Value> = {
        product_code: i.productCode,
        item_code: i.itemCode,
        declared: i.declared,
        unit: i.unit,
        basis: i.basis,
        rule,
        rule_source: i.ruleSource,
        note: i.note,
      };
      if (i.id) {
        const found = w.get(RE.labelValue, i.id);
        if (!found || found.retired) fail('not_found', { entity: 'label_value', id: i.id }, 'errors.label_not_found');
        const cur = labelValueRow(found);
        if (cur.product_code !== i.productCode)
          fail('invalid_input', { field: 'productCode' }, 'errors.code_immutable');
        // A confirmation covers the rule as it was checked: changing the rule withdraws it.
        const ruleChanged = cur.rule !== rule || cur.rule_source !== i.ruleSource;
        if (ruleChanged)
          Object.assign(fields, {
            rule_verification: 'unverified',
            confirmed_by: null,
            confirmed_at: null,
            confirm_reference: null,
          });
        return this.labelView(labelValueRow(w.update(RE.labelValue, i.id, fields, { reason: i.reason! })), names);
      }
      return this.labelView(
        labelValueRow(
          w.create(RE.labelValue, {
            ...fields,
            rule_verification: 'unverified',
            confirmed_by: null,
            confirmed_at: null,
            confirm_reference: null,
          }),
        ),
        names,
      );
    });
  }

  retireLabel(actor: Actor, id: string, reason: string): { ok: true } {
    return this.ledger.write(actor, (w) => {
      const cur = w.get(RE.labelValue, id);
      if (!cur || cur.retired) fail('not_found', { entity: 'label_value', id }, 'errors.label_not_found');
      w.retire(RE.labelValue, id, reason);
      return { ok: true as const };
    });
  }

  /** A QA manager has checked the rule against the standard's text: recorded with the clause checked. */
  confirmRule(actor: Actor, id: string, reference: string): LabelValueView {
    return this.ledger.write(actor, (w) => {
      const cur = w.get(RE.labelValue, id);
      if (!cur || cur.retired) fail('not_found', { entity: 'label_value', id }, 'errors.label_not_found');
      if (labelValueRow(cur).rule_verification === 'confirmed') fail('conflict', { id }, 'errors.label_rule_confirmed');
      return this.labelView(
        labelValueRow(
          w.update(
          RE.labelValue,
          id,
          { rule_verification: 'confirmed', confirmed_by: actor.id, confirmed_at: w.at, confirm_reference: reference },
          { reason: `rule confirmed against ${reference}` },
          ),
        ),
      );
    });
  }

  compare(lotCode: string): LabelComparison {
    if (this.q.lotKind(lotCode) === null) fail('not_found', { entity: 'lot', id: lotCode }, 'errors.lot_not_found');
    return this.labelComparison(lotCode);
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
          outcome: (o?.outcome as Outcome | undefined) ?? null,
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
        purpose: w.purpose as Purpose,
        reason: w.reason,
        spotCheckCode: w.spot_check_code ?? null,
        withdrawnBy: w.withdrawn_by,
        withdrawnAt: iso(w.withdrawn_at)!,
      })),
      observations: observations.map((o) => ({
        id: o.id,
        dueOn: o.due_on,
        observedOn: o.observed_on,
        outcome: o.outcome as Outcome,
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
