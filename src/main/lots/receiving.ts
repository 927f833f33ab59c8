import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LotView } from '../../shared/contract/channels/lots';
import { fail } from '../../shared/contract/errors';
import { QuantityDecimal as D, type QuantityUnit } from '../../shared/domain/units';
import type { CatalogService } from '../catalog';
import type { Actor } from '../ledger/ledger';
import { L } from './entities';
import { asReceipt, type LotRow } from './queries';
import type { LotRegister } from './register';

/** What receiving asks the catalogue: suppliers and materials in use. */
export type ReceivingCatalog = Pick<CatalogService, 'active' | 'firstMaterial'>;

export interface DeliveryInput {
  kind: 'ingredient' | 'packaging';
  materialCode: string;
  supplierCode: string;
  supplierLot: string;
  lotCode?: string | undefined;
  quantity: string;
  unit: QuantityUnit;
  containers: number;
  condition: string;
  temperature?: string | undefined;
  expiryDate?: string | undefined;
  location?: string | undefined;
  note?: string | undefined;
  coa?: { fileName: string; base64: string } | undefined;
}

export interface TankerInput {
  supplierCode: string;
  farms: string[];
  vehicle: string;
  compartments: Array<{ no: number; seal: string; sealIntact: boolean }>;
  lotCode?: string | undefined;
  quantity: string;
  unit: QuantityUnit;
  temperature: string;
  receivedAt?: string | undefined;
  note?: string | undefined;
}

/**
 * Receiving (SAMR 2020 plan 二(一)4): deliveries of ingredients and packaging with their
 * supplier's COA, and raw milk tankers with their compartments and seals. A received lot
 * starts in quarantine.
 */
export class Receiving {
  constructor(
    private readonly reg: LotRegister,
    private readonly catalog: ReceivingCatalog,
    private readonly attachmentsDir: string,
  ) {}

  private supplier(code: string, kinds: string[]): void {
    const s = this.catalog.active('suppliers', code);
    if (!s) fail('not_found', { entity: 'supplier', id: code }, 'errors.supplier_unknown');
    if (!kinds.includes(s.kind))
      fail('invalid_input', { field: 'supplierCode', kind: s.kind, expected: kinds.join('/') }, 'errors.supplier_wrong_kind');
    if (s.approvalStatus !== 'approved')
      fail('forbidden', { supplier: code, name: s.name, status: s.approvalStatus }, 'errors.supplier_not_approved');
  }

  private checkTemperature(t: string | undefined, min: number, max: number): void {
    if (t === undefined) return;
    const v = new D(t);
    if (v.lt(min) || v.gt(max))
      fail('invalid_input', { field: 'temperature', min, max, value: t }, 'errors.temperature_implausible');
  }

  private storeAttachment(base64: string): string {
    const bytes = Buffer.from(base64, 'base64');
    if (bytes.length === 0) fail('invalid_input', { field: 'coa' }, 'errors.attachment_empty');
    const sha = createHash('sha256').update(bytes).digest('hex');
    mkdirSync(this.attachmentsDir, { recursive: true });
    const f = join(this.attachmentsDir, sha);
    if (!existsSync(f)) writeFileSync(f, bytes, { mode: 0o444 });
    return sha;
  }

  receive(actor: Actor, i: DeliveryInput): LotView {
    const reg = this.reg;
    const m = this.catalog.active('materials', i.materialCode);
    if (!m) fail('not_found', { entity: 'material', id: i.materialCode }, 'errors.material_unknown');
    if (m.kind !== i.kind) fail('invalid_input', { field: 'materialCode', kind: m.kind }, 'errors.material_wrong_kind');
    this.supplier(i.supplierCode, [i.kind, 'other']);
    if (new D(i.quantity).lte(0)) fail('invalid_input', { field: 'quantity' }, 'errors.quantity_positive');
    this.checkTemperature(i.temperature, -40, 60);
    if (i.lotCode && reg.lotRow(i.lotCode)) fail('conflict', { code: i.lotCode }, 'errors.lot_code_taken');
    const sha = i.coa ? this.storeAttachment(i.coa.base64) : null;
    return reg.ledger.write(actor, (w) => {
      if (i.expiryDate && i.expiryDate < reg.today(w.at))
        fail('invalid_input', { field: 'expiryDate' }, 'errors.expired_on_receipt');
      const code = i.lotCode ?? reg.nextCode(w, i.kind);
      const receipt = w.create(L.receipt, {
        kind: 'delivery',
        lot_code: code,
        supplier_code: i.supplierCode,
        supplier_lot: i.supplierLot,
        quantity: i.quantity,
        unit: i.unit,
        containers: i.containers,
        condition: i.condition,
        temperature: i.temperature ?? null,
        received_at: w.at,
        vehicle: null,
        farms: null,
        compartments: null,
        coa_file: i.coa?.fileName ?? null,
        coa_sha256: sha,
        note: i.note ?? null,
      });
      const lot = w.create(L.lot, {
        code,
        kind: i.kind,
        item_code: i.materialCode,
        item_name: m.nameEn,
        quantity: i.quantity,
        unit: i.unit,
        lot_date: reg.today(w.at),
        supplier_code: i.supplierCode,
        supplier_lot: i.supplierLot,
        expiry_date: i.expiryDate ?? null,
        location: i.location ?? null,
        status: 'quarantine',
        origin: 'receipt',
        receipt_id: receipt.id,
        batch_id: null,
      });
      return reg.view(lot);
    });
  }

  receiveTanker(actor: Actor, i: TankerInput): LotView {
    const reg = this.reg;
    this.supplier(i.supplierCode, ['farm']);
    if (new D(i.quantity).lte(0)) fail('invalid_input', { field: 'quantity' }, 'errors.quantity_positive');
    this.checkTemperature(i.temperature, -5, 45);
    const nos = i.compartments.map((c) => c.no);
    if (new Set(nos).size !== nos.length) fail('invalid_input', { field: 'compartments' }, 'errors.compartment_repeated');
    if (i.lotCode && reg.lotRow(i.lotCode)) fail('conflict', { code: i.lotCode }, 'errors.lot_code_taken');
    const mat = this.catalog.firstMaterial('raw_milk');
    return reg.ledger.write(actor, (w) => {
      const receivedAt = i.receivedAt ? Date.parse(i.receivedAt) : w.at;
      if (Number.isNaN(receivedAt)) fail('invalid_input', { field: 'receivedAt' }, 'errors.date_invalid');
      if (receivedAt > w.at + 5 * 60_000) fail('invalid_input', { field: 'receivedAt' }, 'errors.date_in_future');
      const code = i.lotCode ?? reg.nextCode(w, 'raw_milk');
      const receipt = w.create(L.receipt, {
        kind: 'tanker',
        lot_code: code,
        supplier_code: i.supplierCode,
        supplier_lot: null,
        quantity: i.quantity,
        unit: i.unit,
        containers: i.compartments.length,
        condition: i.compartments.every((c) => c.sealIntact) ? 'seals_intact' : 'seal_broken',
        temperature: i.temperature,
        received_at: receivedAt,
        vehicle: i.vehicle,
        farms: JSON.stringify(i.farms),
        compartments: JSON.stringify(i.compartments),
        coa_file: null,
        coa_sha256: null,
        note: i.note ?? null,
      });
      const lot = w.create(L.lot, {
        code,
        kind: 'raw_milk',
        item_code: mat?.code ?? 'RAW-MILK',
        item_name: mat?.name_en ?? 'Raw milk',
        quantity: i.quantity,
        unit: i.unit,
        lot_date: reg.today(receivedAt),
        supplier_code: i.supplierCode,
        supplier_lot: null,
        expiry_date: null,
        location: null,
        status: 'quarantine',
        origin: 'receipt',
        receipt_id: receipt.id,
        batch_id: null,
      });
      return reg.view(lot);
    });
  }

  /** The lot's receipt as recorded (farms and compartments parsed, the instant as ISO text). */
  receiptOf(lot: LotRow): Record<string, unknown> | null {
    if (!lot.receipt_id) return null;
    const found = this.reg.ledger.get(L.receipt, lot.receipt_id);
    if (!found) return null;
    const r = asReceipt(found);
    const out: Record<string, unknown> = { ...r };
    if (typeof r.farms === 'string') out['farms'] = JSON.parse(r.farms);
    if (typeof r.compartments === 'string') out['compartments'] = JSON.parse(r.compartments);
    out['received_at'] = new Date(r.received_at).toISOString();
    return out;
  }
}
