import Decimal from 'decimal.js';
import type { SampleKind, SampleView } from '../../shared/contract/channels/samples';
import { fail } from '../../shared/contract/errors';
import type { QuantityUnit } from '../../shared/domain/units';
import type { SpecService } from '../catalog';
import type { Row, Value } from '../ledger/entities';
import type { Actor, LedgerWriter } from '../ledger/ledger';
import type { LotRow } from '../lots';
import { addDays, instantMs, splitTargets, type Condition, type SampleBook } from './book';
import { S } from './entities';
import { asSample, type SiteRow } from './queries';

export interface RegisterInput {
  kind: SampleKind;
  lotCode?: string | undefined;
  siteCode?: string | undefined;
  samplingPoint: string;
  targets?: string[] | undefined;
  takenAt?: string | undefined;
  takenBy?: string | undefined;
  quantity: string;
  unit: QuantityUnit;
  container: string;
  storageLocation?: string | undefined;
  note?: string | undefined;
  keepUntil?: string | undefined;
  receipt?: ReceiptInput | undefined;
  withRetention?: boolean | undefined;
  retention?: { quantity: string; unit: QuantityUnit; container: string; storageLocation?: string | undefined; keepUntil?: string | undefined } | undefined;
}

export interface ReceiptInput {
  condition: Condition;
  temperature?: string | undefined;
  receivedAt?: string | undefined;
  storageLocation?: string | undefined;
}

/** Which lot kinds a sample kind may name; site kinds need a site of this kind and no lot. */
const LOT_KINDS: Partial<Record<SampleKind, readonly string[]>> = {
  raw_milk_tanker: ['raw_milk'],
  incoming_inspection: ['ingredient', 'packaging'],
  in_process: ['intermediate', 'finished'],
  finished_release: ['finished'],
  retention: ['finished'],
};
const SITE_KINDS: Partial<Record<SampleKind, 'environment' | 'water'>> = { environmental_swab: 'environment', water: 'water' };

/** A sample's temperature on receipt must be physically plausible (frozen −40 °C … ambient 60 °C). */
export const TEMPERATURE_RANGE = { min: -40, max: 60 } as const;

export const Dq = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });

export function checkTemperature(t: string | undefined): void {
  if (t === undefined) return;
  const v = new Dq(t);
  if (v.lt(TEMPERATURE_RANGE.min) || v.gt(TEMPERATURE_RANGE.max)) {
    fail('invalid_input', { field: 'temperature', min: TEMPERATURE_RANGE.min, max: TEMPERATURE_RANGE.max, value: t }, 'errors.temperature_implausible');
  }
}

/**
 * Registering samples (issue 7 §1): a lot's sample or a site's swab, the specification
 * version in force on the lot's date, the n units of a microbiological sampling plan, the
 * retention sample registered with a release sample, and the tests planned in the same
 * transaction (the testing capability's `onRegistered`).
 */
export class SampleRegistration {
  constructor(
    private readonly book: SampleBook,
    private readonly specs: Pick<SpecService, 'effective' | 'effectiveId'>,
    private readonly onRegistered: (w: LedgerWriter, sample: Row) => void,
  ) {}

  /** The approved specification version that applies to a lot (on its date), or null. */
  specVersionFor(lotCode: string): string | null {
    const lot = this.book.neighbours.lots.lot(lotCode);
    if (!lot) return null;
    const subject = this.subjectOf(lot.item_code);
    return subject ? this.specs.effectiveId(subject.kind, subject.id, lot.lot_date.slice(0, 10)) : null;
  }

  private subjectOf(item: string): { kind: 'product' | 'material'; id: string } | null {
    const product = this.book.neighbours.catalog.byCode('products', item);
    if (product) return { kind: 'product', id: product.id };
    const material = this.book.neighbours.catalog.byCode('materials', item);
    return material ? { kind: 'material', id: material.id } : null;
  }

  /** The lot and the approved specification version that applies to it (specs.effective on the lot's date). */
  private specFor(lot: LotRow): { id: string; planUnits: number } | null {
    const subject = this.subjectOf(lot.item_code);
    if (!subject) return null;
    const v = this.specs.effective(subject.kind, subject.id, lot.lot_date.slice(0, 10));
    if (!v) return null;
    // Microbiological sampling plans (n, c, m, M; GB 4789.1): the sample is taken as n
    // units; with several plans the largest n is taken and each unit serves every plan.
    const planUnits = v.items
      .filter((i) => i.group === 'microbiology' && i.limit_form === 'sampling_plan' && i.n !== null)
      .reduce((m, i) => Math.max(m, i.n ?? 0), 0);
    return { id: v.id, planUnits };
  }

  private checkQuantity(q: string, field: string): void {
    if (new Dq(q).lte(0)) fail('invalid_input', { field }, 'errors.quantity_positive');
  }

  private checkTemperature(t: string | undefined): void {
    checkTemperature(t);
  }

  /** keep_until: the override, or the lot's expiry + margin; never before the lot's expiry, never in the past. */
  keepUntilFor(lot: LotRow, today: string, override?: string): string {
    const expiry = lot.expiry_date?.slice(0, 10) ?? null;
    if (override !== undefined) {
      if (override < today) fail('invalid_input', { field: 'keepUntil', value: override }, 'errors.keep_until_past');
      if (expiry && override < expiry) fail('invalid_input', { field: 'keepUntil', value: override, expiry }, 'errors.keep_until_before_expiry');
      return override;
    }
    if (!expiry) fail('invalid_input', { field: 'keepUntil', lot: lot.code }, 'errors.keep_until_required');
    return addDays(expiry, this.book.retentionMarginDays);
  }

  /** Does the lot have a retention sample (registered, kept or disposed; a cancelled one does not count)? */
  hasRetention(lotCode: string): boolean {
    return this.book.q.hasRetention(lotCode);
  }

  register(actor: Actor, i: RegisterInput): { sample: SampleView; units: SampleView[]; retention: SampleView | null } {
    const b = this.book;
    const lotKinds = LOT_KINDS[i.kind];
    const siteKind = SITE_KINDS[i.kind];
    let lot: LotRow | undefined;
    let site: SiteRow | undefined;
    if (lotKinds) {
      if (i.siteCode) fail('invalid_input', { field: 'siteCode', kind: i.kind }, 'errors.sample_site_not_allowed');
      if (!i.lotCode) fail('invalid_input', { field: 'lotCode', kind: i.kind }, 'errors.sample_lot_required');
      lot = b.neighbours.lots.lot(i.lotCode);
      if (!lot || lot.retired) fail('not_found', { entity: 'lot', id: i.lotCode }, 'errors.lot_not_found');
      if (!lotKinds.includes(lot.kind)) {
        fail('invalid_input', { field: 'lotCode', lot: i.lotCode, lotKind: lot.kind, expected: lotKinds.join(', ') }, 'errors.sample_lot_wrong_kind');
      }
      // A tanker sample belongs to the tanker's receipt record.
      if (i.kind === 'raw_milk_tanker' && !lot.receipt_id) fail('invalid_input', { field: 'lotCode', lot: i.lotCode }, 'errors.sample_tanker_no_receipt');
    } else if (siteKind) {
      if (i.lotCode) fail('invalid_input', { field: 'lotCode', kind: i.kind }, 'errors.sample_lot_not_allowed');
      if (!i.siteCode) fail('invalid_input', { field: 'siteCode', kind: i.kind }, 'errors.sample_site_required');
      site = b.q.activeSiteByCode(i.siteCode);
      if (!site) fail('not_found', { entity: 'sampling_site', id: i.siteCode }, 'errors.site_not_found');
      if (site.kind !== siteKind) fail('invalid_input', { field: 'siteCode', site: i.siteCode, siteKind: site.kind, expected: siteKind }, 'errors.sample_site_wrong_kind');
      if (site.active !== 1) fail('invalid_input', { field: 'siteCode', site: i.siteCode }, 'errors.site_inactive');
    }
    if (i.kind !== 'retention' && i.keepUntil !== undefined) fail('invalid_input', { field: 'keepUntil' }, 'errors.keep_until_retention_only');
    if (i.retention && i.kind !== 'finished_release') fail('invalid_input', { field: 'retention' }, 'errors.keep_until_retention_only');
    this.checkQuantity(i.quantity, 'quantity');
    if (i.retention) this.checkQuantity(i.retention.quantity, 'retention.quantity');
    this.checkTemperature(i.receipt?.temperature);
    const spec = lot ? this.specFor(lot) : null;

    return b.ledger.write(actor, (w) => {
      const takenAt = instantMs(i.takenAt, w.at, 'takenAt');
      const takenDate = b.localDate(takenAt);
      const today = b.localDate(w.at);
      if (lot && takenDate < lot.lot_date.slice(0, 10)) {
        fail('invalid_input', { field: 'takenAt', lot: lot.code, lotDate: lot.lot_date }, 'errors.sample_before_lot');
      }
      const receivedAt = i.receipt ? instantMs(i.receipt.receivedAt, w.at, 'receipt.receivedAt') : null;
      if (receivedAt !== null && receivedAt < takenAt) fail('invalid_input', { field: 'receipt.receivedAt' }, 'errors.received_before_taken');

      // Swab and water samples: what to test for, and the schedules this sample satisfies.
      let targets: string[] = i.targets ?? [];
      if (site) {
        const due = b.q.dueOfSite(site.id, takenDate);
        const satisfied = i.targets ? due.filter((s) => splitTargets(s.targets).some((t) => i.targets!.includes(t))) : due;
        if (!i.targets) targets = [...new Set(satisfied.flatMap((s) => splitTargets(s.targets)))];
        for (const s of satisfied) {
          w.update(S.siteSchedule, s.id, { next_due: addDays(takenDate, s.frequency_days) }, { reason: `sampled (${i.kind})` });
        }
      }

      const base = {
        kind: i.kind,
        lot_code: lot ? lot.code : null,
        site_id: site ? site.id : null,
        sampling_point: i.samplingPoint,
        targets: targets.length ? targets.join(',') : null,
        taken_by: i.takenBy ?? actor.id,
        taken_at: takenAt,
        received_by: i.receipt ? actor.id : null,
        received_at: receivedAt,
        condition_on_receipt: i.receipt?.condition ?? null,
        temperature: i.receipt?.temperature ?? null,
        spec_version_id: spec?.id ?? null,
        status: i.receipt ? 'received' : 'registered',
        cancel_reason: null,
        disposed_at: null,
        note: i.note ?? null,
      } satisfies Record<string, Value>;
      const stored = (loc: string | undefined) => i.receipt?.storageLocation ?? loc ?? null;
      const created = (created: Row): void => {
        const row = asSample(created);
        b.event(w, row.id, 'registered', null, row.parent_sample_id ? null : `${row.kind}`);
        if (i.receipt) b.event(w, row.id, 'received', row.storage_location, i.receipt.condition);
      };

      const code = b.nextCode(w, i.kind);
      const sample = w.create(S.sample, {
        ...base,
        code,
        quantity: i.quantity,
        unit: i.unit,
        container: i.container,
        storage_location: stored(i.storageLocation),
        parent_sample_id: null,
        unit_no: null,
        keep_until: i.kind === 'retention' && lot ? this.keepUntilFor(lot, today, i.keepUntil) : null,
      });
      created(sample);

      // The n units of a microbiological sampling plan, each its own sample and label.
      const units: Row[] = [];
      const n = i.kind === 'retention' ? 0 : (spec?.planUnits ?? 0);
      const unitQty = n > 0 ? new Dq(i.quantity).dividedBy(n).toDecimalPlaces(6).toString() : '0';
      for (let k = 1; k <= n; k++) {
        const u = w.create(S.sample, {
          ...base,
          code: `${code}-${String(k).padStart(2, '0')}`,
          quantity: unitQty,
          unit: i.unit,
          container: i.container,
          storage_location: stored(i.storageLocation),
          parent_sample_id: sample.id,
          unit_no: k,
          keep_until: null,
        });
        created(u);
        units.push(u);
      }

      // Decision (docs/domain.md): the retention sample is registered with the release
      // sample, in the same transaction, unless the lot already has one.
      let retention: Row | null = null;
      if (i.kind === 'finished_release' && lot && i.withRetention !== false && !this.hasRetention(lot.code)) {
        const r = i.retention;
        retention = w.create(S.sample, {
          ...base,
          kind: 'retention',
          code: b.nextCode(w, 'retention'),
          quantity: r?.quantity ?? i.quantity,
          unit: r?.unit ?? i.unit,
          container: r?.container ?? i.container,
          storage_location: r?.storageLocation ?? null,
          parent_sample_id: null,
          unit_no: null,
          keep_until: this.keepUntilFor(lot, today, r?.keepUntil),
        });
        created(retention);
      }
      // The testing capability plans the sample's tests in this same transaction.
      this.onRegistered(w, w.get(S.sample, sample.id)!);
      return {
        sample: b.view(sample),
        units: units.length ? b.units(sample.id) : [],
        retention: retention ? b.view(retention) : null,
      };
    });
  }
}
