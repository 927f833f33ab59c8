import type { z } from 'zod';
import type { BatchView, LotView, lotDetailSchema, movementViewSchema } from '../../shared/contract/channels/lots';
import type { QuantityUnit } from '../../shared/domain/units';
import type { CatalogService } from '../catalog';
import type { IdentityService } from '../identity';
import type { Row } from '../ledger/entities';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { LotDecisions, type Decision, type LotDecisionGate } from './decisions';
import type { LotControls } from './lot-controls';
import { Production, type ConsumeInput, type StartBatchInput } from './production';
import type { LotFilter, LotKind, LotRow, RecallReturnRow, ShipmentRow } from './queries';
import { Receiving, type DeliveryInput, type TankerInput } from './receiving';
import { LotRegister } from './register';
import { Shipments, type ShipmentInput, type StockInput } from './shipments';

export type { Decision, LotDecisionGate } from './decisions';
export { defaultLotCodePatterns, type Override } from './register';
export type { LotKind, LotStatus } from './queries';

type Movement = z.infer<typeof movementViewSchema>;
/** A lot's detail as the lots capability knows it (the signatures are the identity capability's). */
export type LotDetail = Omit<z.infer<typeof lotDetailSchema>, 'signatures'>;

/**
 * Lots and what happens to them: receipts, status decisions, production batches (投料) and
 * their consumption, shipments and stock movements (SAMR 2020 plan 二(一)4: record
 * receiving, batching, production, storage and sales truthfully and completely). The parts
 * live beside this file (register, receiving, decisions, production, shipments); this class
 * is what other capabilities and the handlers hold.
 */
export class LotsService {
  private readonly reg: LotRegister;
  private readonly receiving: Receiving;
  private readonly decisions: LotDecisions;
  private readonly production: Production;
  private readonly shipments: Shipments;

  constructor(
    ledger: Ledger,
    identity: IdentityService,
    catalog: Pick<CatalogService, 'active' | 'firstMaterial'>,
    attachmentsDir: string,
    patterns: () => Partial<Record<LotKind, string>>,
    readonly controls: LotControls,
    gate: LotDecisionGate,
    /** The plant's zone (D-089); the workstation's when not given. */
    zone: () => string = () => ledger.timeZone,
  ) {
    this.reg = new LotRegister(ledger, identity, patterns, controls, zone);
    this.receiving = new Receiving(this.reg, catalog, attachmentsDir);
    this.decisions = new LotDecisions(this.reg, gate);
    this.production = new Production(this.reg, catalog);
    this.shipments = new Shipments(this.reg, catalog);
  }

  // ------------------------------------------------------------------ reading

  lotRow(code: string): LotRow | undefined {
    return this.reg.lotRow(code);
  }

  mustLot(code: string): LotRow {
    return this.reg.mustLot(code);
  }

  // ---- for the recall capability (issue 21: it asks the owner of these tables)

  /** A live shipment line (shipment code + lot). */
  shipmentRow(shipmentCode: string, lotCode: string): ShipmentRow | undefined {
    return this.reg.q.shipmentRow(shipmentCode, lotCode);
  }

  /** A batch's code. */
  batchCode(batchId: string): string | undefined {
    return this.reg.q.batchCode(batchId);
  }

  /** The returns recorded in a recall (stock movements tied to it), by date. */
  recallReturns(drillId: string): RecallReturnRow[] {
    return this.reg.q.returnsOfRecall(drillId);
  }

  /** The live lots of a kind dated in a period (codes, in order). */
  lotCodesDated(kind: string, from: string, to: string): string[] {
    return this.reg.q.lotsDated(kind, from, to);
  }

  /** Quantity not yet consumed, shipped, sampled or wasted (returns and adjustments count), in the lot's unit. */
  remaining(lot: Row): string {
    return this.reg.remaining(lot);
  }

  view(lot: Row): LotView {
    return this.reg.view(lot);
  }

  list(f: LotFilter): { total: number; lots: LotView[] } {
    const { total, rows } = this.reg.q.listLots(f);
    return { total, lots: rows.map((r) => this.view(r)) };
  }

  /** A lot with its receipt, batch, movements and the decisions the caller may take (`canDecide`: holds lots.decide). */
  detail(code: string, canDecide: boolean): LotDetail {
    const lot = this.mustLot(code);
    const batch = lot.batch_id ? this.production.batch(lot.batch_id) : undefined;
    return {
      lot: this.view(lot),
      receipt: this.receiptOf(lot),
      batch: batch ? { id: batch.id, code: batch.code, line: batch.line, status: batch.status } : null,
      movements: this.movements(code),
      allowedDecisions: canDecide ? this.allowedDecisions(lot) : [],
    };
  }

  /** Everything that moved the lot: consumed into, made from, shipped, stock movements, by date. */
  movements(code: string): Movement[] {
    const q = this.reg.q;
    const out: Movement[] = [];
    for (const r of q.consumedInto(code)) out.push(movement(r, 'consumed_into', { otherLot: r.other }));
    for (const r of q.madeFrom(code)) out.push(movement(r, 'made_from', { otherLot: r.other }));
    for (const r of q.shipmentsOfLot(code))
      out.push(movement(r, 'shipment', { customer: r.customer_code, reference: r.shipment_code }));
    for (const r of q.stockMovementsOfLot(code))
      out.push(movement(r, r.movement, { reason: r.reason ?? null }));
    return out.sort((a, b) => a.date.localeCompare(b.date));
  }

  allowedDecisions(lot: LotRow): Decision[] {
    return this.decisions.allowedDecisions(lot);
  }

  // ------------------------------------------------------------------ codes

  today(at: number): string {
    return this.reg.today(at);
  }

  nextCode(w: LedgerWriter, kind: LotKind, pattern?: string): string {
    return this.reg.nextCode(w, kind, pattern);
  }

  // ------------------------------------------------------------------ receiving

  receive(actor: Actor, i: DeliveryInput): LotView {
    return this.receiving.receive(actor, i);
  }

  receiveTanker(actor: Actor, i: TankerInput): LotView {
    return this.receiving.receiveTanker(actor, i);
  }

  receiptOf(lot: LotRow): Record<string, unknown> | null {
    return this.receiving.receiptOf(lot);
  }

  // ------------------------------------------------------------------ decisions

  decide(
    signerId: string,
    code: string,
    decision: Decision,
    reason: string,
    password: string,
    meaning?: string,
    expectedRev?: number,
  ): Promise<LotView> {
    return this.decisions.decide(signerId, code, decision, reason, password, meaning, expectedRev);
  }

  // ------------------------------------------------------------------ batches

  batchView(b: Row): BatchView {
    return this.production.batchView(b);
  }

  batches(status?: string): BatchView[] {
    return this.production.batches(status);
  }

  startBatch(actor: Actor, i: StartBatchInput): BatchView {
    return this.production.startBatch(actor, i);
  }

  consume(actor: Actor, i: ConsumeInput): Promise<BatchView> {
    return this.production.consume(actor, i);
  }

  finishBatch(actor: Actor, i: { batchId: string; quantity: string; location?: string | undefined }): BatchView {
    return this.production.finishBatch(actor, i);
  }

  // ------------------------------------------------------------------ shipments and stock

  ship(actor: Actor, i: ShipmentInput): Promise<{ shipmentCode: string; lines: number }> {
    return this.shipments.ship(actor, i);
  }

  checkReturn(lot: Row, quantity: string, unit: QuantityUnit): string {
    return this.shipments.checkReturn(lot, quantity, unit);
  }

  recordStock(actor: Actor, i: StockInput): LotView {
    return this.shipments.recordStock(actor, i);
  }
}

function movement(
  r: { id: string; quantity: string; unit: string; date: string },
  type: Movement['type'],
  about: Partial<Pick<Movement, 'otherLot' | 'customer' | 'reference' | 'reason'>>,
): Movement {
  return {
    id: r.id,
    type,
    otherLot: about.otherLot ?? null,
    customer: about.customer ?? null,
    reference: about.reference ?? null,
    quantity: r.quantity,
    unit: r.unit,
    date: r.date,
    reason: about.reason ?? null,
  };
}
