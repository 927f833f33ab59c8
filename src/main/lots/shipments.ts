import type { LotView } from '../../shared/contract/channels/lots';
import { fail } from '../../shared/contract/errors';
import { QuantityDecimal as D, convertQuantity, type QuantityUnit } from '../../shared/domain/units';
import type { CatalogService } from '../catalog';
import type { Row } from '../ledger/entities';
import type { Actor } from '../ledger/ledger';
import { L } from './entities';
import { asLot, type LotRow } from './queries';
import type { LotRegister, Override } from './register';

/** What shipping asks the catalogue: customers in use. */
export type ShipmentsCatalog = Pick<CatalogService, 'active'>;

export interface ShipmentInput {
  shipmentCode: string;
  customerCode: string;
  date: string;
  lines: Array<{ lotCode: string; quantity: string; unit: QuantityUnit }>;
  override?: Override | undefined;
}

export interface StockInput {
  lotCode: string;
  movement: string;
  quantity: string;
  unit: QuantityUnit;
  date: string;
  location?: string | undefined;
  reason?: string | undefined;
}

/**
 * Shipments (sales) and stock movements (counts, samples, waste, returns, adjustments): every
 * line checked against the use rule and the quantity left, again under the write lock.
 */
export class Shipments {
  constructor(
    private readonly reg: LotRegister,
    private readonly catalog: ShipmentsCatalog,
  ) {}

  /** The checks of a shipment on the records as they are now; returns the lots that need an override. */
  private shipChecks(i: Omit<ShipmentInput, 'override'>): string[] {
    const reg = this.reg;
    if (!this.catalog.active('customers', i.customerCode))
      fail('not_found', { entity: 'customer', id: i.customerCode }, 'errors.customer_unknown');
    const codes = i.lines.map((l) => l.lotCode);
    if (new Set(codes).size !== codes.length) fail('invalid_input', { field: 'lines' }, 'errors.shipment_lot_repeated');
    const needOverride: string[] = [];
    for (const l of i.lines) {
      const lot = reg.mustLot(l.lotCode);
      if (reg.q.shipmentLineExists(i.shipmentCode, l.lotCode))
        fail('conflict', { shipment: i.shipmentCode, lot: l.lotCode }, 'errors.shipment_exists');
      if (reg.usable(lot, i.date) === 'override') needOverride.push(l.lotCode);
      reg.checkQuantity(lot, l.quantity, l.unit);
    }
    return needOverride;
  }

  async ship(actor: Actor, i: ShipmentInput): Promise<{ shipmentCode: string; lines: number }> {
    const reg = this.reg;
    if (i.date > reg.today(reg.ledger.now())) fail('invalid_input', { field: 'date' }, 'errors.date_in_future');
    const needOverride = this.shipChecks(i);
    if (needOverride.length && !i.override)
      fail('forbidden', { lot: needOverride.join(', ') }, 'errors.lot_not_usable_override');
    const signer = needOverride.length ? await reg.overrideSigner(i.override) : null;
    return reg.ledger.write(actor, (w) => {
      // Again under the write lock: a hold or recall that came in meanwhile refuses the shipment.
      const now = this.shipChecks(i);
      if (now.length && !signer) fail('forbidden', { lot: now.join(', ') }, 'errors.lot_not_usable_override');
      for (const l of i.lines) {
        const s = w.create(L.shipment, {
          shipment_code: i.shipmentCode,
          lot_code: l.lotCode,
          customer_code: i.customerCode,
          quantity: l.quantity,
          unit: l.unit,
          date: i.date,
          origin: 'app',
        });
        if (signer && i.override && now.includes(l.lotCode)) {
          reg.identity.sign(w, signer, { def: L.shipment, id: s.id }, { meaning: 'override', comment: i.override.reason });
        }
      }
      return { shipmentCode: i.shipmentCode, lines: i.lines.length };
    });
  }

  /** A return may not exceed what was shipped of the lot less what came back already (issue 19 §2). */
  checkReturn(row: Row, quantity: string, unit: QuantityUnit): string {
    const lot = asLot(row);
    const inLotUnit = convertQuantity(quantity, unit, lot.unit as QuantityUnit);
    if (inLotUnit === null) fail('invalid_input', { field: 'unit', from: unit, to: lot.unit }, 'errors.unit_dimension');
    if (new D(inLotUnit).lte(0)) fail('invalid_input', { field: 'quantity' }, 'errors.quantity_positive');
    const open = this.reg.controls.returnable(lot);
    if (new D(inLotUnit).gt(open))
      fail(
        'invalid_input',
        { field: 'quantity', lot: lot.code, returnable: open.toString(), unit: lot.unit },
        'errors.return_over_shipped',
      );
    return inLotUnit;
  }

  private stockChecks(lot: LotRow, i: { movement: string; quantity: string; unit: QuantityUnit }): void {
    if (['sample', 'waste'].includes(i.movement) || (i.movement === 'adjustment' && i.quantity.startsWith('-'))) {
      this.reg.checkQuantity(lot, i.quantity.replace(/^-/, ''), i.unit);
    }
    if (i.movement === 'return') this.checkReturn(lot, i.quantity, i.unit);
  }

  recordStock(actor: Actor, i: StockInput): LotView {
    const reg = this.reg;
    const lot = reg.mustLot(i.lotCode);
    if (convertQuantity(i.quantity.replace(/^-/, ''), i.unit, lot.unit as QuantityUnit) === null) {
      fail('invalid_input', { field: 'unit', from: i.unit, to: lot.unit }, 'errors.unit_dimension');
    }
    if (i.movement !== 'adjustment' && i.quantity.startsWith('-'))
      fail('invalid_input', { field: 'quantity' }, 'errors.quantity_not_negative');
    if (i.movement === 'adjustment' && !i.reason) fail('invalid_input', { field: 'reason' }, 'errors.reason_required');
    if (i.date > reg.today(reg.ledger.now())) fail('invalid_input', { field: 'date' }, 'errors.date_in_future');
    this.stockChecks(lot, i);
    return reg.ledger.write(actor, (w) => {
      this.stockChecks(asLot(w.get(L.lot, lot.id)!), i);
      w.create(L.stockMovement, {
        lot_code: i.lotCode,
        movement: i.movement,
        quantity: i.quantity,
        unit: i.unit,
        date: i.date,
        location: i.location ?? null,
        reason: i.reason ?? null,
        origin: 'app',
      });
      if (i.movement === 'on_hand' && i.location) w.update(L.lot, lot.id, { location: i.location }, { reason: 'stock count' });
      return reg.view(w.get(L.lot, lot.id)!);
    });
  }
}
