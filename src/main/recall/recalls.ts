import { fail } from '../../shared/contract/errors';
import type { SignatureMeaning } from '../../shared/domain/roles';
import { QuantityDecimal as QD, convertQuantity, isQuantityUnit } from '../../shared/domain/units';
import { actorOf } from '../identity';
import type { Actor } from '../ledger/ledger';
import { L, localDate, type ShipmentRow } from '../lots';
import type { Detail, DrillLot, RecallContext } from './context';
import { RC } from './entities';
import type { DrillRecord } from './queries';
import type { DrillRecords } from './records';

/**
 * A real recall (issue 12, issue 19 §2): one signed hold of every affected unshipped lot, the
 * customer contact log and the quantities recovered from customers.
 */
export class Recalls {
  constructor(
    private readonly ctx: RecallContext,
    private readonly records: DrillRecords,
  ) {}

  /** The lots a recall's hold acts on: the root and every forward lot with stock left, shipped before or not, not rejected or held already. */
  private recallTargets(r: DrillRecord): DrillLot[] {
    return this.records.lotsOf(this.records.trace(r)).filter((l) => l.holdable === true);
  }

  async recallHold(
    signerId: string,
    code: string,
    reason: string,
    password: string,
    meaning: SignatureMeaning,
  ): Promise<{ held: string[]; detail: Detail }> {
    if (meaning !== 'held')
      fail('invalid_input', { field: 'signature.meaning', expected: 'held' }, 'errors.signature_meaning_mismatch');
    const r = this.records.open(code);
    if (r.mode !== 'recall') fail('conflict', { code }, 'errors.recall_only');
    const signer = await this.ctx.identity.authenticateSigner(signerId, password);
    const held = this.ctx.ledger.write(actorOf(signer), (w) => {
      // The lots are found under the write lock: what shipped, was made or was held meanwhile counts.
      const cur = this.records.open(code);
      const out: string[] = [];
      const why = `${code}: ${reason}`;
      for (const l of this.recallTargets(cur)) {
        const row = this.ctx.lots.lotRow(l.lot)!;
        const sign = () => this.ctx.identity.sign(w, signer, { def: L.lot, id: row.id }, { meaning: 'held', comment: why });
        if (this.ctx.controls.holdInside(w, row.id, why, sign)) out.push(l.lot);
      }
      return out;
    });
    return { held, detail: this.records.detail(code) };
  }

  contact(
    actor: Actor,
    code: string,
    i: { customerCode: string; channel: string; outcome: string; note?: string | undefined },
  ): Detail {
    const r = this.records.open(code);
    if (r.mode !== 'recall') fail('conflict', { code }, 'errors.recall_only');
    const t = this.records.trace(r);
    if (!t.customers.some((c) => c.customer === i.customerCode))
      fail('invalid_input', { customer: i.customerCode }, 'errors.recall_customer_not_affected');
    this.ctx.ledger.write(actor, (w) => {
      w.create(RC.contact, {
        drill_id: r.id,
        customer_code: i.customerCode,
        at: w.at,
        by_user: actor.id,
        channel: i.channel,
        outcome: i.outcome,
        note: i.note ?? null,
      });
    });
    return this.records.detail(code);
  }

  /**
   * A quantity recovered from a customer in a recall (issue 19 §2): a `return` stock movement
   * of the lot tied to the shipment, the customer and the recall, at most what that shipment
   * delivered less what came back against it already. With several shipments of the lot to the
   * customer, the shipment is named.
   */
  recordReturn(
    actor: Actor,
    code: string,
    i: {
      customerCode: string;
      lotCode: string;
      shipmentCode?: string | undefined;
      quantity: string;
      unit: string;
      date: string;
      note?: string | undefined;
    },
  ): Detail {
    const check = (): { r: DrillRecord; shipment: ShipmentRow } => {
      const r = this.records.open(code);
      if (r.mode !== 'recall') fail('conflict', { code }, 'errors.recall_only');
      const t = this.records.trace(r);
      const lines = t.shipments.filter(
        (s) =>
          s.customer === i.customerCode &&
          s.lot === i.lotCode &&
          (i.shipmentCode === undefined || s.shipment === i.shipmentCode),
      );
      if (lines.length === 0)
        fail('invalid_input', { customer: i.customerCode, lot: i.lotCode }, 'errors.recall_return_not_shipped');
      if (lines.length > 1)
        fail(
          'invalid_input',
          { customer: i.customerCode, lot: i.lotCode, shipments: lines.map((l) => l.shipment).join(', ') },
          'errors.recall_return_which_shipment',
        );
      const shipment = this.ctx.lots.shipmentRow(lines[0]!.shipment, i.lotCode)!;
      const lot = this.ctx.lots.lotRow(i.lotCode)!;
      const unit = lot.unit;
      const inLotUnit =
        isQuantityUnit(i.unit) && isQuantityUnit(unit) ? convertQuantity(i.quantity, i.unit, unit) : null;
      if (inLotUnit === null) fail('invalid_input', { field: 'unit', from: i.unit, to: unit }, 'errors.unit_dimension');
      const q = new QD(inLotUnit);
      if (!q.greaterThan(0)) fail('invalid_input', { field: 'quantity' }, 'errors.quantity_positive');
      const b = this.ctx.controls.shipmentBalance(shipment, unit);
      const outstanding = b.shipped.minus(b.returned);
      if (q.greaterThan(outstanding))
        fail(
          'invalid_input',
          {
            field: 'quantity',
            shipment: lines[0]!.shipment,
            lot: i.lotCode,
            customer: i.customerCode,
            shipped: b.shipped.toString(),
            returned: b.returned.toString(),
            outstanding: (outstanding.isNegative() ? new QD(0) : outstanding).toString(),
            unit,
          },
          'errors.recall_return_over',
        );
      return { r, shipment };
    };
    check();
    if (i.date > localDate(this.ctx.ledger.timeZone, this.ctx.ledger.now()))
      fail('invalid_input', { field: 'date' }, 'errors.date_in_future');
    this.ctx.ledger.write(actor, (w) => {
      const { r, shipment } = check();
      w.create(L.stockMovement, {
        lot_code: i.lotCode,
        movement: 'return',
        quantity: i.quantity,
        unit: i.unit,
        date: i.date,
        location: null,
        reason: i.note ?? `recovered in recall ${code}`,
        origin: 'app',
        customer_code: i.customerCode,
        shipment_id: shipment.id,
        drill_id: r.id,
      });
    });
    return this.records.detail(code);
  }
}
