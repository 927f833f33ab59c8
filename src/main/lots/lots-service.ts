import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchView, LotView } from '../../shared/contract/channels/lots';
import { AppErrorException, fail, type AppError } from '../../shared/contract/errors';
import { permissionsOf } from '../../shared/domain/roles';
import { QuantityDecimal as D, convertQuantity, type QuantityUnit } from '../../shared/domain/units';
import { actorOf, expectMeaning, userRoles, type IdentityService } from '../identity';
import type { Row } from '../ledger/entities';
import type { Actor, Ledger, LedgerWriter } from '../ledger/ledger';
import { L } from './entities';
import { localDate, nextSequencedCode } from './codes';
import type { LotControls } from './lot-controls';

export type LotKind = LotView['kind'];
export type LotStatus = LotView['status'];
export type Decision = 'accept' | 'release' | 'hold' | 'reject' | 'release_from_hold';

const RECEIVED: ReadonlySet<string> = new Set(['raw_milk', 'ingredient', 'packaging']);
const USABLE: ReadonlySet<string> = new Set(['accepted', 'released']);

/** Default lot code patterns per kind; {yyyyMMdd} is the workstation's local date, {seq} a daily counter. */
export const defaultLotCodePatterns: Record<LotKind, string> = {
  raw_milk: 'RM-{yyyyMMdd}-{seq}',
  ingredient: 'IG-{yyyyMMdd}-{seq}',
  packaging: 'PK-{yyyyMMdd}-{seq}',
  intermediate: 'IM-{yyyyMMdd}-{seq}',
  finished: 'FG-{yyyyMMdd}-{seq}',
};

export interface Override {
  signerId: string;
  reason: string;
  signature: { password: string; meaning: string; comment?: string | undefined };
}

/**
 * The rules of other capabilities a positive lot decision must pass (open or confirmed OOS,
 * open environmental alerts, open recalls, the release readiness of IMF finished lots).
 * A constructor dependency (issue 19 §8): no LotsService exists without it. Called inside
 * the write transaction that makes the decision (§7).
 */
export interface LotDecisionGate {
  decisionBlock(lotCode: string, decision: Decision): AppError | null;
}

/**
 * Lots and what happens to them: receipts, status decisions, production batches (投料) and
 * their consumption, shipments and stock movements (SAMR 2020 plan 二(一)4: record
 * receiving, batching, production, storage and sales truthfully and completely). Every
 * guard is checked before the password is asked (a clear early refusal) and again inside the
 * write transaction that acts on it (issue 19 §7).
 */
export class LotsService {
  constructor(
    private readonly ledger: Ledger,
    private readonly identity: IdentityService,
    private readonly attachmentsDir: string,
    private readonly patterns: () => Partial<Record<LotKind, string>>,
    readonly controls: LotControls,
    private readonly gate: LotDecisionGate,
  ) {}

  // ------------------------------------------------------------------ reading

  lotRow(code: string): Row | undefined {
    return this.ledger.db.prepare('SELECT * FROM lot WHERE code = ?').get(code) as Row | undefined;
  }

  mustLot(code: string): Row {
    const r = this.lotRow(code);
    if (!r) fail('not_found', { entity: 'lot', id: code }, 'errors.lot_not_found');
    return r;
  }

  /** Quantity not yet consumed, shipped, sampled or wasted (returns and adjustments count), in the lot's unit. */
  remaining(lot: Row): string {
    return this.controls.remaining(lot);
  }

  view(lot: Row): LotView {
    const standing = this.controls.standing(lot);
    return {
      id: lot.id,
      code: lot['code'] as string,
      kind: lot['kind'] as LotKind,
      itemCode: lot['item_code'] as string,
      itemName: lot['item_name'] as string,
      quantity: lot['quantity'] as string,
      unit: lot['unit'] as string,
      date: lot['lot_date'] as string,
      supplierCode: (lot['supplier_code'] as string | null) ?? null,
      supplierLot: (lot['supplier_lot'] as string | null) ?? null,
      expiryDate: (lot['expiry_date'] as string | null) ?? null,
      location: (lot['location'] as string | null) ?? null,
      status: lot['status'] as LotStatus,
      origin: lot['origin'] as string,
      remaining: this.remaining(lot),
      decision: {
        standing: standing.standing,
        meaning: standing.decision?.meaning ?? null,
        signedBy: standing.decision?.printedName ?? null,
        signedAt: standing.decision ? new Date(standing.decision.signedAt).toISOString() : null,
      },
      held: this.controls.isHeld(lot),
      recalls: this.controls.openRecallsFor(lot['code'] as string),
    };
  }

  list(f: {
    kind?: string | undefined;
    status?: string | undefined;
    search?: string | undefined;
    offset: number;
    limit: number;
  }): { total: number; lots: LotView[] } {
    const where: string[] = ['retired = 0'];
    const params: unknown[] = [];
    if (f.kind) {
      where.push('kind = ?');
      params.push(f.kind);
    }
    if (f.status) {
      where.push('status = ?');
      params.push(f.status);
    }
    if (f.search) {
      where.push(
        "(code LIKE ? ESCAPE '\\' OR item_code LIKE ? ESCAPE '\\' OR item_name LIKE ? ESCAPE '\\' OR supplier_lot LIKE ? ESCAPE '\\')",
      );
      const like = `%${f.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      params.push(like, like, like, like);
    }
    const w = `WHERE ${where.join(' AND ')}`;
    const total = (this.ledger.db.prepare(`SELECT count(*) AS n FROM lot ${w}`).get(...params) as { n: number }).n;
    const rows = this.ledger.db
      .prepare(`SELECT * FROM lot ${w} ORDER BY lot_date DESC, code DESC LIMIT ? OFFSET ?`)
      .all(...params, f.limit, f.offset) as Row[];
    return { total, lots: rows.map((r) => this.view(r)) };
  }

  allowedDecisions(lot: Row): Decision[] {
    const kind = lot['kind'] as string;
    const status = lot['status'] as string;
    const out: Decision[] = [];
    const wasHeld = this.ledger.db
      .prepare("SELECT 1 FROM signature WHERE entity = 'lot' AND entity_id = ? AND meaning = 'held' LIMIT 1")
      .get(lot.id);
    if (RECEIVED.has(kind)) {
      if (status === 'quarantine') out.push('accept', 'reject');
      if (status === 'accepted') out.push('hold');
      if (status === 'on_hold') out.push('release_from_hold', 'reject');
    } else {
      if (status === 'on_hold') out.push(wasHeld ? 'release_from_hold' : 'release', 'reject');
      if (status === 'released') out.push('hold');
    }
    return out;
  }

  // ------------------------------------------------------------------ codes

  today(at: number): string {
    return localDate(this.ledger.timeZone, at);
  }

  /** Next code from the kind's pattern (shared generator: ledger/sequences.ts). */
  nextCode(w: LedgerWriter, kind: LotKind, pattern = this.patterns()[kind] ?? defaultLotCodePatterns[kind]): string {
    return nextSequencedCode(w, {
      namespace: 'lot',
      pattern,
      timeZone: this.ledger.timeZone,
      seqDigits: 3,
      taken: (c) => !!this.lotRow(c),
    });
  }

  // ------------------------------------------------------------------ receiving

  private supplier(code: string, kinds: string[]): Row {
    const s = this.ledger.db.prepare('SELECT * FROM supplier WHERE code = ? AND retired = 0').get(code) as
      | Row
      | undefined;
    if (!s) fail('not_found', { entity: 'supplier', id: code }, 'errors.supplier_unknown');
    if (!kinds.includes(s['kind'] as string))
      fail(
        'invalid_input',
        { field: 'supplierCode', kind: s['kind'], expected: kinds.join('/') },
        'errors.supplier_wrong_kind',
      );
    if (s['approval_status'] !== 'approved')
      fail(
        'forbidden',
        { supplier: code, name: s['name'], status: s['approval_status'] },
        'errors.supplier_not_approved',
      );
    return s;
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

  receive(
    actor: Actor,
    i: {
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
    },
  ): LotView {
    const m = this.ledger.db.prepare('SELECT * FROM material WHERE code = ? AND retired = 0').get(i.materialCode) as
      | Row
      | undefined;
    if (!m) fail('not_found', { entity: 'material', id: i.materialCode }, 'errors.material_unknown');
    if (m['kind'] !== i.kind)
      fail('invalid_input', { field: 'materialCode', kind: m['kind'] }, 'errors.material_wrong_kind');
    this.supplier(i.supplierCode, [i.kind, 'other']);
    if (new D(i.quantity).lte(0)) fail('invalid_input', { field: 'quantity' }, 'errors.quantity_positive');
    this.checkTemperature(i.temperature, -40, 60);
    if (i.lotCode && this.lotRow(i.lotCode)) fail('conflict', { code: i.lotCode }, 'errors.lot_code_taken');
    const sha = i.coa ? this.storeAttachment(i.coa.base64) : null;
    return this.ledger.write(actor, (w) => {
      if (i.expiryDate && i.expiryDate < this.today(w.at))
        fail('invalid_input', { field: 'expiryDate' }, 'errors.expired_on_receipt');
      const code = i.lotCode ?? this.nextCode(w, i.kind);
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
        item_name: m['name_en'] as string,
        quantity: i.quantity,
        unit: i.unit,
        lot_date: this.today(w.at),
        supplier_code: i.supplierCode,
        supplier_lot: i.supplierLot,
        expiry_date: i.expiryDate ?? null,
        location: i.location ?? null,
        status: 'quarantine',
        origin: 'receipt',
        receipt_id: receipt.id,
        batch_id: null,
      });
      return this.view(lot);
    });
  }

  receiveTanker(
    actor: Actor,
    i: {
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
    },
  ): LotView {
    this.supplier(i.supplierCode, ['farm']);
    if (new D(i.quantity).lte(0)) fail('invalid_input', { field: 'quantity' }, 'errors.quantity_positive');
    this.checkTemperature(i.temperature, -5, 45);
    const nos = i.compartments.map((c) => c.no);
    if (new Set(nos).size !== nos.length)
      fail('invalid_input', { field: 'compartments' }, 'errors.compartment_repeated');
    if (i.lotCode && this.lotRow(i.lotCode)) fail('conflict', { code: i.lotCode }, 'errors.lot_code_taken');
    const mat = this.ledger.db
      .prepare("SELECT code, name_en FROM material WHERE kind = 'raw_milk' AND retired = 0 ORDER BY code LIMIT 1")
      .get() as { code: string; name_en: string } | undefined;
    return this.ledger.write(actor, (w) => {
      const receivedAt = i.receivedAt ? Date.parse(i.receivedAt) : w.at;
      if (Number.isNaN(receivedAt)) fail('invalid_input', { field: 'receivedAt' }, 'errors.date_invalid');
      if (receivedAt > w.at + 5 * 60_000) fail('invalid_input', { field: 'receivedAt' }, 'errors.date_in_future');
      const code = i.lotCode ?? this.nextCode(w, 'raw_milk');
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
        lot_date: this.today(receivedAt),
        supplier_code: i.supplierCode,
        supplier_lot: null,
        expiry_date: null,
        location: null,
        status: 'quarantine',
        origin: 'receipt',
        receipt_id: receipt.id,
        batch_id: null,
      });
      return this.view(lot);
    });
  }

  // ------------------------------------------------------------------ decisions

  /** Why a decision may not be made on the lot as it is now (null: it may). Checked before and inside the write. */
  private decisionProblem(lot: Row, decision: Decision): AppError | null {
    if (!this.allowedDecisions(lot).includes(decision)) {
      return {
        code: 'conflict',
        messageKey: 'errors.lot_decision_not_allowed',
        details: { lot: lot['code'], status: lot['status'], decision },
      };
    }
    if (decision === 'accept' || decision === 'release' || decision === 'release_from_hold')
      return this.gate.decisionBlock(lot['code'] as string, decision);
    return null;
  }

  async decide(
    signerId: string,
    code: string,
    decision: Decision,
    reason: string,
    password: string,
    meaning?: string,
  ): Promise<LotView> {
    const lot = this.mustLot(code);
    const early = this.decisionProblem(lot, decision);
    if (early) throw new AppErrorException(early);
    const received = RECEIVED.has(lot['kind'] as string);
    const to: Record<Decision, { status: LotStatus; meaning: 'accepted' | 'released' | 'held' | 'rejected' }> = {
      accept: { status: 'accepted', meaning: 'accepted' },
      release: { status: 'released', meaning: 'released' },
      hold: { status: 'on_hold', meaning: 'held' },
      reject: { status: 'rejected', meaning: 'rejected' },
      release_from_hold: received
        ? { status: 'accepted', meaning: 'accepted' }
        : { status: 'released', meaning: 'released' },
    };
    const t = to[decision];
    if (meaning !== undefined) expectMeaning(meaning, t.meaning);
    const signer = await this.identity.authenticateSigner(signerId, password);
    return this.ledger.write(actorOf(signer), (w) => {
      const cur = w.get(L.lot, lot.id)!;
      if (cur['status'] !== lot['status']) fail('conflict', { lot: code }, 'errors.stale_record');
      // Every guard again, under the write lock: what changed during the password check counts.
      const now = this.decisionProblem(cur, decision);
      if (now) throw new AppErrorException(now);
      const row = w.update(L.lot, lot.id, { status: t.status }, { reason });
      this.identity.sign(w, signer, { def: L.lot, id: lot.id }, { meaning: t.meaning, comment: reason });
      return this.view(row);
    });
  }

  /** A QA manager's signed exception (`override`), given at the terminal where the action is recorded. */
  private async overrideSigner(o: Override | undefined): Promise<ReturnType<IdentityService['getUser']> | null> {
    if (!o) return null;
    expectMeaning(o.signature.meaning, 'override');
    const u = await this.identity.authenticateSigner(o.signerId.trim().toLowerCase(), o.signature.password);
    if (!permissionsOf(userRoles(u)).has('lots.decide'))
      fail('forbidden', { permission: 'lots.decide', signer: u.id }, 'errors.override_needs_qa');
    return u;
  }

  /**
   * Checks that a lot may be used (consumed or shipped): never when rejected, expired, held,
   * under an open recall or no longer backed by a valid signed decision (no override); an
   * override when it is only awaiting its decision. Returns whether an override is needed.
   */
  private usable(lot: Row, when: string): 'ok' | 'override' {
    const block = this.controls.useBlock(lot, when);
    if (block) throw new AppErrorException(block);
    return USABLE.has(lot['status'] as string) ? 'ok' : 'override';
  }

  private checkQuantity(lot: Row, quantity: string, unit: QuantityUnit): string {
    const inLotUnit = convertQuantity(quantity, unit, lot['unit'] as QuantityUnit);
    if (inLotUnit === null)
      fail('invalid_input', { field: 'unit', from: unit, to: lot['unit'] }, 'errors.unit_dimension');
    if (new D(inLotUnit).lte(0)) fail('invalid_input', { field: 'quantity' }, 'errors.quantity_positive');
    const left = this.remaining(lot);
    if (new D(inLotUnit).gt(left))
      fail(
        'invalid_input',
        { field: 'quantity', lot: lot['code'], remaining: left, unit: lot['unit'] },
        'errors.over_remaining',
      );
    return inLotUnit;
  }

  // ------------------------------------------------------------------ batches

  batchView(b: Row): BatchView {
    const out = this.ledger.db.prepare('SELECT * FROM lot WHERE batch_id = ?').get(b.id) as Row;
    const inputs = this.ledger.db
      .prepare(
        `SELECT c.id, c.input_lot, c.quantity, c.unit, l.kind, l.item_code,
                EXISTS (SELECT 1 FROM signature s WHERE s.entity = 'consumption' AND s.entity_id = c.id AND s.meaning = 'override') AS overridden
         FROM consumption c JOIN lot l ON l.code = c.input_lot WHERE c.batch_id = ? AND c.retired = 0 ORDER BY c.rowid`,
      )
      .all(b.id) as Array<Record<string, unknown>>;
    return {
      id: b.id,
      code: b['code'] as string,
      line: b['line'] as string,
      status: b['status'] as 'open' | 'closed',
      startedAt: new Date(b['started_at'] as number).toISOString(),
      endedAt: b['ended_at'] ? new Date(b['ended_at'] as number).toISOString() : null,
      output: this.view(out),
      inputs: inputs.map((r) => ({
        consumptionId: r['id'] as string,
        lot: r['input_lot'] as string,
        kind: r['kind'] as string,
        itemCode: r['item_code'] as string,
        quantity: r['quantity'] as string,
        unit: r['unit'] as string,
        overridden: r['overridden'] === 1,
      })),
    };
  }

  batches(status?: string): BatchView[] {
    const rows = (
      status
        ? this.ledger.db
            .prepare('SELECT * FROM batch WHERE status = ? AND retired = 0 ORDER BY started_at DESC LIMIT 500')
            .all(status)
        : this.ledger.db.prepare('SELECT * FROM batch WHERE retired = 0 ORDER BY started_at DESC LIMIT 500').all()
    ) as Row[];
    return rows.map((b) => this.batchView(b));
  }

  private mustBatch(id: string): Row {
    const b = this.ledger.get(L.batch, id);
    if (!b) fail('not_found', { entity: 'batch', id });
    return b;
  }

  startBatch(
    actor: Actor,
    i: {
      line: string;
      outputKind: 'intermediate' | 'finished';
      itemCode: string;
      outputLotCode?: string | undefined;
      unit: QuantityUnit;
      expiryDate?: string | undefined;
      note?: string | undefined;
    },
  ): BatchView {
    const product = this.ledger.db.prepare('SELECT * FROM product WHERE code = ? AND retired = 0').get(i.itemCode) as
      | Row
      | undefined;
    const material = this.ledger.db.prepare('SELECT * FROM material WHERE code = ? AND retired = 0').get(i.itemCode) as
      | Row
      | undefined;
    if (i.outputKind === 'finished' && !product)
      fail('not_found', { entity: 'product', id: i.itemCode }, 'errors.product_unknown');
    if (!product && !material) fail('not_found', { entity: 'product', id: i.itemCode }, 'errors.product_unknown');
    if (i.outputLotCode && this.lotRow(i.outputLotCode))
      fail('conflict', { code: i.outputLotCode }, 'errors.lot_code_taken');
    const item = (product ?? material)!;
    return this.ledger.write(actor, (w) => {
      const code = i.outputLotCode ?? this.nextCode(w, i.outputKind);
      let expiry = i.expiryDate ?? null;
      if (!expiry && product && product['shelf_life_days']) {
        expiry = new Date(w.at + (product['shelf_life_days'] as number) * 86_400_000).toISOString().slice(0, 10);
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
        item_name: item['name_en'] as string,
        quantity: '0',
        unit: i.unit,
        lot_date: this.today(w.at),
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
  ): { b: Row; out: Row; input: Row; need: 'ok' | 'override' } {
    const b = this.mustBatch(i.batchId);
    if (b['status'] !== 'open') fail('record_locked', { entity: 'batch', id: b['code'] }, 'errors.batch_closed');
    const out = this.ledger.db.prepare('SELECT * FROM lot WHERE batch_id = ?').get(b.id) as Row;
    const input = this.mustLot(i.inputLot);
    if (input['code'] === out['code']) fail('invalid_input', { field: 'inputLot' }, 'errors.lot_into_itself');
    // A lot may not be an input of itself through other lots (genealogy stays acyclic).
    const cycle = this.ledger.db
      .prepare(
        `WITH RECURSIVE anc(code, d) AS (SELECT ?, 0 UNION SELECT c.input_lot, anc.d + 1 FROM consumption c JOIN anc ON c.output_lot = anc.code WHERE anc.d < 64 AND c.retired = 0)
         SELECT 1 FROM anc WHERE code = ? LIMIT 1`,
      )
      .get(input['code'], out['code']);
    if (cycle) fail('invalid_input', { field: 'inputLot' }, 'errors.lot_cycle');
    const need = this.usable(input, when);
    this.checkQuantity(input, i.quantity, i.unit);
    return { b, out, input, need };
  }

  async consume(
    actor: Actor,
    i: { batchId: string; inputLot: string; quantity: string; unit: QuantityUnit; override?: Override | undefined },
  ): Promise<BatchView> {
    const first = this.consumeChecks(i, this.today(this.ledger.now()));
    if (first.need === 'override' && !i.override)
      fail('forbidden', { lot: first.input['code'], status: first.input['status'] }, 'errors.lot_not_usable_override');
    const signer = first.need === 'override' ? await this.overrideSigner(i.override) : null;
    return this.ledger.write(actor, (w) => {
      const when = this.today(w.at);
      // Again under the write lock: a hold, a recall or another consumption may have come in meanwhile.
      const { b, out, input, need } = this.consumeChecks(i, when);
      if (need === 'override' && !signer)
        fail('forbidden', { lot: input['code'], status: input['status'] }, 'errors.lot_not_usable_override');
      const c = w.create(L.consumption, {
        input_lot: input['code'] as string,
        output_lot: out['code'] as string,
        quantity: i.quantity,
        unit: i.unit,
        date: when,
        batch_id: b.id,
        origin: 'app',
      });
      if (signer && i.override && need === 'override') {
        this.identity.sign(
          w,
          signer,
          { def: L.consumption, id: c.id },
          { meaning: 'override', comment: `${i.override.reason} (lot ${input['code']} is ${input['status']})` },
        );
      }
      return this.batchView(w.get(L.batch, b.id)!);
    });
  }

  finishBatch(actor: Actor, i: { batchId: string; quantity: string; location?: string | undefined }): BatchView {
    if (new D(i.quantity).lte(0)) fail('invalid_input', { field: 'quantity' }, 'errors.quantity_positive');
    return this.ledger.write(actor, (w) => {
      const b = this.mustBatch(i.batchId);
      if (b['status'] !== 'open') fail('record_locked', { entity: 'batch', id: b['code'] }, 'errors.batch_closed');
      const n = (
        this.ledger.db
          .prepare('SELECT count(*) AS n FROM consumption WHERE batch_id = ? AND retired = 0')
          .get(b.id) as { n: number }
      ).n;
      if (n === 0) fail('invalid_input', { field: 'inputs' }, 'errors.batch_no_inputs');
      const out = this.ledger.db.prepare('SELECT * FROM lot WHERE batch_id = ?').get(b.id) as Row;
      w.update(
        L.lot,
        out.id,
        { quantity: i.quantity, location: i.location ?? null },
        { reason: `produced by batch ${b['code']}` },
      );
      const row = w.update(L.batch, b.id, { status: 'closed', ended_at: w.at });
      return this.batchView(row);
    });
  }

  // ------------------------------------------------------------------ shipments and stock

  /** The checks of a shipment on the records as they are now; returns the lots that need an override. */
  private shipChecks(i: {
    shipmentCode: string;
    customerCode: string;
    date: string;
    lines: Array<{ lotCode: string; quantity: string; unit: QuantityUnit }>;
  }): string[] {
    const cust = this.ledger.db.prepare('SELECT * FROM customer WHERE code = ? AND retired = 0').get(i.customerCode) as
      | Row
      | undefined;
    if (!cust) fail('not_found', { entity: 'customer', id: i.customerCode }, 'errors.customer_unknown');
    const codes = i.lines.map((l) => l.lotCode);
    if (new Set(codes).size !== codes.length) fail('invalid_input', { field: 'lines' }, 'errors.shipment_lot_repeated');
    const needOverride: string[] = [];
    for (const l of i.lines) {
      const lot = this.mustLot(l.lotCode);
      if (
        this.ledger.db
          .prepare('SELECT 1 FROM shipment WHERE shipment_code = ? AND lot_code = ?')
          .get(i.shipmentCode, l.lotCode)
      ) {
        fail('conflict', { shipment: i.shipmentCode, lot: l.lotCode }, 'errors.shipment_exists');
      }
      if (this.usable(lot, i.date) === 'override') needOverride.push(l.lotCode);
      this.checkQuantity(lot, l.quantity, l.unit);
    }
    return needOverride;
  }

  async ship(
    actor: Actor,
    i: {
      shipmentCode: string;
      customerCode: string;
      date: string;
      lines: Array<{ lotCode: string; quantity: string; unit: QuantityUnit }>;
      override?: Override | undefined;
    },
  ): Promise<{ shipmentCode: string; lines: number }> {
    if (i.date > this.today(this.ledger.now())) fail('invalid_input', { field: 'date' }, 'errors.date_in_future');
    const needOverride = this.shipChecks(i);
    if (needOverride.length && !i.override)
      fail('forbidden', { lot: needOverride.join(', ') }, 'errors.lot_not_usable_override');
    const signer = needOverride.length ? await this.overrideSigner(i.override) : null;
    return this.ledger.write(actor, (w) => {
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
          this.identity.sign(
            w,
            signer,
            { def: L.shipment, id: s.id },
            { meaning: 'override', comment: i.override.reason },
          );
        }
      }
      return { shipmentCode: i.shipmentCode, lines: i.lines.length };
    });
  }

  /** A return may not exceed what was shipped of the lot less what came back already (issue 19 §2). */
  checkReturn(lot: Row, quantity: string, unit: QuantityUnit): string {
    const inLotUnit = convertQuantity(quantity, unit, lot['unit'] as QuantityUnit);
    if (inLotUnit === null)
      fail('invalid_input', { field: 'unit', from: unit, to: lot['unit'] }, 'errors.unit_dimension');
    if (new D(inLotUnit).lte(0)) fail('invalid_input', { field: 'quantity' }, 'errors.quantity_positive');
    const open = this.controls.returnable(lot);
    if (new D(inLotUnit).gt(open))
      fail(
        'invalid_input',
        { field: 'quantity', lot: lot['code'], returnable: open.toString(), unit: lot['unit'] },
        'errors.return_over_shipped',
      );
    return inLotUnit;
  }

  private stockChecks(lot: Row, i: { movement: string; quantity: string; unit: QuantityUnit }): void {
    if (['sample', 'waste'].includes(i.movement) || (i.movement === 'adjustment' && i.quantity.startsWith('-'))) {
      this.checkQuantity(lot, i.quantity.replace(/^-/, ''), i.unit);
    }
    if (i.movement === 'return') this.checkReturn(lot, i.quantity, i.unit);
  }

  recordStock(
    actor: Actor,
    i: {
      lotCode: string;
      movement: string;
      quantity: string;
      unit: QuantityUnit;
      date: string;
      location?: string | undefined;
      reason?: string | undefined;
    },
  ): LotView {
    const lot = this.mustLot(i.lotCode);
    if (convertQuantity(i.quantity.replace(/^-/, ''), i.unit, lot['unit'] as QuantityUnit) === null) {
      fail('invalid_input', { field: 'unit', from: i.unit, to: lot['unit'] }, 'errors.unit_dimension');
    }
    if (i.movement !== 'adjustment' && i.quantity.startsWith('-'))
      fail('invalid_input', { field: 'quantity' }, 'errors.quantity_not_negative');
    if (i.movement === 'adjustment' && !i.reason) fail('invalid_input', { field: 'reason' }, 'errors.reason_required');
    if (i.date > this.today(this.ledger.now())) fail('invalid_input', { field: 'date' }, 'errors.date_in_future');
    this.stockChecks(lot, i);
    return this.ledger.write(actor, (w) => {
      this.stockChecks(w.get(L.lot, lot.id)!, i);
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
      if (i.movement === 'on_hand' && i.location)
        w.update(L.lot, lot.id, { location: i.location }, { reason: 'stock count' });
      return this.view(w.get(L.lot, lot.id)!);
    });
  }

  receiptOf(lot: Row): Record<string, unknown> | null {
    if (!lot['receipt_id']) return null;
    const r = this.ledger.get(L.receipt, lot['receipt_id'] as string);
    if (!r) return null;
    const out: Record<string, unknown> = { ...r };
    for (const k of ['farms', 'compartments']) if (typeof out[k] === 'string') out[k] = JSON.parse(out[k] as string);
    out['received_at'] = new Date(r['received_at'] as number).toISOString();
    return out;
  }
}
