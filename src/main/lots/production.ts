import type { BatchView } from '../../shared/contract/channels/lots';
import { fail } from '../../shared/contract/errors';
import { QuantityDecimal as D, type QuantityUnit } from '../../shared/domain/units';
import type { CatalogService } from '../catalog';
import type { Row } from '../ledger/entities';
import type { Actor } from '../ledger/ledger';
import { L } from './entities';
import { asBatch, type BatchRow, type LotRow } from './queries';
import type { LotRegister, Override } from './register';

/** What production asks the catalogue: products and materials in use. */
export type ProductionCatalog = Pick<CatalogService, 'active'>;

export interface StartBatchInput {
  line: string;
  outputKind: 'intermediate' | 'finished';
  itemCode: string;
  outputLotCode?: string | undefined;
  unit: QuantityUnit;
  expiryDate?: string | undefined;
  note?: string | undefined;
}

export interface ConsumeInput {
  batchId: string;
  inputLot: string;
  quantity: string;
  unit: QuantityUnit;
  override?: Override | undefined;
}

/**
 * Production batches (投料): a batch makes one output lot from the lots it consumes, each
 * consumption checked against the use rule and the quantity left, the genealogy kept acyclic.
 */
export class Production {
  constructor(
    private readonly reg: LotRegister,
    private readonly catalog: ProductionCatalog,
  ) {}

  batchView(row: Row): BatchView {
    const b = asBatch(row);
    const out = this.reg.q.lotOfBatch(b.id);
    return {
      id: b.id,
      code: b.code,
      line: b.line,
      status: b.status,
      startedAt: new Date(b.started_at).toISOString(),
      endedAt: b.ended_at ? new Date(b.ended_at).toISOString() : null,
      output: this.reg.view(out),
      inputs: this.reg.q.batchInputs(b.id).map((r) => ({
        consumptionId: r.id,
        lot: r.input_lot,
        kind: r.kind,
        itemCode: r.item_code,
        quantity: r.quantity,
        unit: r.unit,
        overridden: r.overridden === 1,
      })),
    };
  }

  batches(status?: string): BatchView[] {
    return this.reg.q.batches(status).map((b) => this.batchView(b));
  }

  /** A batch by id (its code, line and status), if it exists. */
  batch(id: string): BatchRow | undefined {
    const b = this.reg.ledger.get(L.batch, id);
    return b ? asBatch(b) : undefined;
  }

  private mustBatch(id: string): BatchRow {
    const b = this.batch(id);
    if (!b) fail('not_found', { entity: 'batch', id });
    return b;
  }

  startBatch(actor: Actor, i: StartBatchInput): BatchView {
    const reg = this.reg;
    const product = this.catalog.active('products', i.itemCode);
    const material = this.catalog.active('materials', i.itemCode);
    if (i.outputKind === 'finished' && !product)
      fail('not_found', { entity: 'product', id: i.itemCode }, 'errors.product_unknown');
    if (!product && !material) fail('not_found', { entity: 'product', id: i.itemCode }, 'errors.product_unknown');
    if (i.outputLotCode && reg.lotRow(i.outputLotCode))
      fail('conflict', { code: i.outputLotCode }, 'errors.lot_code_taken');
    const itemName = (product ?? material)!.nameEn;
    return reg.ledger.write(actor, (w) => {
      const code = i.outputLotCode ?? reg.nextCode(w, i.outputKind);
      let expiry = i.expiryDate ?? null;
      if (!expiry && product && product.shelfLifeDays) {
        // The plant's calendar date that many days on (not the server's UTC date).
        expiry = reg.today(w.at + product.shelfLifeDays * 86_400_000);
      }
      const batch = w.create(L.batch, {
        code: `B-${code}`,
        line: i.line,
        started_at: w.at,
        ended_at: null,
        status: 'open',
        note: i.note ?? null,
      });
      w.create(L.lot, {
        code,
        kind: i.outputKind,
        item_code: i.itemCode,
        item_name: itemName,
        quantity: '0',
        unit: i.unit,
        lot_date: reg.today(w.at),
        supplier_code: null,
        supplier_lot: null,
        expiry_date: expiry,
        location: null,
        // Produced kinds start on hold until a QA manager releases them (domain model).
        status: 'on_hold',
        origin: 'production',
        receipt_id: null,
        batch_id: batch.id,
      });
      return this.batchView(batch);
    });
  }

  /** The checks of a consumption, on the records as they are now (before the signer's password, and again inside the write). */
  private consumeChecks(
    i: { batchId: string; inputLot: string; quantity: string; unit: QuantityUnit },
    when: string,
  ): { b: BatchRow; out: LotRow; input: LotRow; need: 'ok' | 'override' } {
    const reg = this.reg;
    const b = this.mustBatch(i.batchId);
    if (b.status !== 'open') fail('record_locked', { entity: 'batch', id: b.code }, 'errors.batch_closed');
    const out = reg.q.lotOfBatch(b.id);
    const input = reg.mustLot(i.inputLot);
    if (input.code === out.code) fail('invalid_input', { field: 'inputLot' }, 'errors.lot_into_itself');
    // A lot may not be an input of itself through other lots (genealogy stays acyclic).
    if (reg.q.madeFromOrSelf(input.code, out.code)) fail('invalid_input', { field: 'inputLot' }, 'errors.lot_cycle');
    const need = reg.usable(input, when);
    reg.checkQuantity(input, i.quantity, i.unit);
    return { b, out, input, need };
  }

  async consume(actor: Actor, i: ConsumeInput): Promise<BatchView> {
    const reg = this.reg;
    const first = this.consumeChecks(i, reg.today(reg.ledger.now()));
    if (first.need === 'override' && !i.override)
      fail('forbidden', { lot: first.input.code, status: first.input.status }, 'errors.lot_not_usable_override');
    const signer = first.need === 'override' ? await reg.overrideSigner(i.override) : null;
    return reg.ledger.write(actor, (w) => {
      const when = reg.today(w.at);
      // Again under the write lock: a hold, a recall or another consumption may have come in meanwhile.
      const { b, out, input, need } = this.consumeChecks(i, when);
      if (need === 'override' && !signer)
        fail('forbidden', { lot: input.code, status: input.status }, 'errors.lot_not_usable_override');
      const c = w.create(L.consumption, {
        input_lot: input.code,
        output_lot: out.code,
        quantity: i.quantity,
        unit: i.unit,
        date: when,
        batch_id: b.id,
        origin: 'app',
      });
      if (signer && i.override && need === 'override') {
        reg.identity.sign(
          w,
          signer,
          { def: L.consumption, id: c.id },
          { meaning: 'override', comment: `${i.override.reason} (lot ${input.code} is ${input.status})` },
        );
      }
      return this.batchView(w.get(L.batch, b.id)!);
    });
  }

  finishBatch(actor: Actor, i: { batchId: string; quantity: string; location?: string | undefined }): BatchView {
    const reg = this.reg;
    if (new D(i.quantity).lte(0)) fail('invalid_input', { field: 'quantity' }, 'errors.quantity_positive');
    return reg.ledger.write(actor, (w) => {
      const b = this.mustBatch(i.batchId);
      if (b.status !== 'open') fail('record_locked', { entity: 'batch', id: b.code }, 'errors.batch_closed');
      if (reg.q.consumptionCount(b.id) === 0) fail('invalid_input', { field: 'inputs' }, 'errors.batch_no_inputs');
      const out = reg.q.lotOfBatch(b.id);
      w.update(L.lot, out.id, { quantity: i.quantity, location: i.location ?? null }, { reason: `produced by batch ${b.code}` });
      const row = w.update(L.batch, b.id, { status: 'closed', ended_at: w.at });
      return this.batchView(row);
    });
  }
}
