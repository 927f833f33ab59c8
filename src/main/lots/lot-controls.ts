import { appError, fail, type AppError } from '../../shared/contract/errors';
import { QuantityDecimal as D, convertQuantity, isQuantityUnit, type QuantityUnit } from '../../shared/domain/units';
import type { SettingsService } from '../identity';
import type { Db } from '../db/database';
import { entityDef, signedContent, type Row } from '../ledger/entities';
import { canonical, sha256Hex } from '../ledger/hashing';
import type { Ledger, LedgerWriter } from '../ledger/ledger';
import { localDate } from './codes';
import { L } from './entities';

type Dec = InstanceType<typeof D>;

/** The meanings of a lot status decision (domain model: accept, release, hold, reject). */
export const DECISION_MEANINGS = ['accepted', 'released', 'held', 'rejected'] as const;
const USABLE: ReadonlySet<string> = new Set(['accepted', 'released']);
export const RECEIVED_KINDS: ReadonlySet<string> = new Set(['raw_milk', 'ingredient', 'packaging']);

/**
 * What stands behind a lot's status (issue 19 §9):
 * - `signed`: a positive status backed by a valid signed decision;
 * - `history`: a lot dated before the go-live date that carries the ERP's status, unsigned;
 * - `unsigned`: a positive status with no signed decision behind it on a live lot;
 * - `broken`: the latest signed decision no longer matches the lot's content;
 * - `pending`: awaiting its decision, or on hold / rejected with a valid decision.
 */
export type DecisionStanding = 'signed' | 'history' | 'unsigned' | 'broken' | 'pending';

export interface DecisionSignature {
  id: string;
  meaning: string;
  printedName: string;
  signedAt: number;
  valid: boolean;
}

/** Remaining quantity of a lot (quantity − consumed − shipped − sampled − wasted + returned ± adjustments), in its unit. */
export function remainingOf(db: Db, lot: Row): string {
  const unit = lot['unit'] as QuantityUnit;
  let left = new D(lot['quantity'] as string);
  const add = (q: string, u: string, sign: 1 | -1) => {
    const c = isQuantityUnit(u) && isQuantityUnit(unit) ? convertQuantity(q, u, unit) : null;
    if (c !== null) left = sign > 0 ? left.plus(c) : left.minus(c);
  };
  for (const r of db
    .prepare('SELECT quantity, unit FROM consumption WHERE input_lot = ? AND retired = 0')
    .all(lot['code']) as Row[])
    add(r['quantity'] as string, r['unit'] as string, -1);
  for (const r of db
    .prepare('SELECT quantity, unit FROM shipment WHERE lot_code = ? AND retired = 0')
    .all(lot['code']) as Row[])
    add(r['quantity'] as string, r['unit'] as string, -1);
  for (const r of db
    .prepare(
      "SELECT movement, quantity, unit FROM stock_movement WHERE lot_code = ? AND retired = 0 AND movement <> 'on_hand'",
    )
    .all(lot['code']) as Row[]) {
    const m = r['movement'] as string;
    add(r['quantity'] as string, r['unit'] as string, m === 'return' || m === 'adjustment' ? 1 : -1);
  }
  return left.toString();
}

/** Sum of quantities in a target unit (rows whose unit cannot be converted are left out). */
export function sumIn(rows: Array<{ quantity: string; unit: string }>, unit: string): Dec {
  let s = new D(0);
  for (const r of rows) {
    const c = isQuantityUnit(r.unit) && isQuantityUnit(unit) ? convertQuantity(r.quantity, r.unit, unit) : null;
    if (c !== null) s = s.plus(c);
  }
  return s;
}

/**
 * The lot controls every path shares (issue 19 §1, §2, §9): the go-live date that separates
 * history from live records, what stands behind a lot's status, holds, open recalls, and
 * the one rule deciding whether a lot may be shipped or consumed. Services call these
 * inside the write transaction that acts on them (§7); the import calls them for stored
 * lots. Built once per opened database by the composition root (src/main/app/compose.ts).
 */
export class LotControls {
  constructor(
    private readonly ledger: Ledger,
    private readonly settings: SettingsService,
  ) {}

  private get db(): Db {
    return this.ledger.db;
  }

  // ------------------------------------------------------------------ go-live

  /** The database's creation date, local (the go-live date unless an administrator sets another). */
  creationDate(): string {
    const r = this.db.prepare('SELECT min(created_at) AS at FROM database_info').get() as
      | { at: number | null }
      | undefined;
    return localDate(this.ledger.timeZone, r?.at ?? this.ledger.now());
  }

  /** From this date on (YYYY-MM-DD, local) LotSeal decides; lots dated before it are history. */
  goLiveDate(): string {
    return this.settings.get().goLiveDate ?? this.creationDate();
  }

  /** A lot dated before the go-live date (its date as written, first ten characters). */
  isHistory(lot: Row): boolean {
    return (lot['lot_date'] as string).slice(0, 10) < this.goLiveDate();
  }

  /**
   * A later go-live date would turn live lots into history (whose status the ERP may set):
   * it is refused once any lot is dated on or after the current go-live date.
   */
  checkGoLiveChange(next: string | null | undefined): void {
    const cur = this.goLiveDate();
    const to = next ?? this.creationDate();
    if (to <= cur) return;
    const live = this.db
      .prepare(
        'SELECT code, lot_date FROM lot WHERE retired = 0 AND substr(lot_date, 1, 10) >= ? ORDER BY lot_date LIMIT 1',
      )
      .get(cur) as { code: string; lot_date: string } | undefined;
    if (live)
      fail(
        'conflict',
        { current: cur, requested: to, lot: live.code, date: live.lot_date.slice(0, 10) },
        'errors.go_live_later',
      );
  }

  // ------------------------------------------------------------------ decisions and their signatures

  /** The lot's latest status decision (signed), with whether it still matches the lot's content. */
  latestDecision(lot: Row): DecisionSignature | null {
    const s = this.db
      .prepare(
        `SELECT id, meaning, printed_name, signed_at, record_hash FROM signature
         WHERE entity = 'lot' AND entity_id = ? AND retired = 0 AND meaning IN ('accepted', 'released', 'held', 'rejected')
         ORDER BY signed_at DESC, rowid DESC LIMIT 1`,
      )
      .get(lot.id) as
      | { id: string; meaning: string; printed_name: string; signed_at: number; record_hash: string }
      | undefined;
    if (!s) return null;
    const hash = sha256Hex(canonical(signedContent(entityDef('lot') ?? L.lot, lot)));
    return {
      id: s.id,
      meaning: s.meaning,
      printedName: s.printed_name,
      signedAt: s.signed_at,
      valid: s.record_hash === hash,
    };
  }

  standing(lot: Row): { standing: DecisionStanding; decision: DecisionSignature | null } {
    const d = this.latestDecision(lot);
    if (d && !d.valid) return { standing: 'broken', decision: d };
    const status = lot['status'] as string;
    if (!USABLE.has(status)) return { standing: 'pending', decision: d };
    if (d && (d.meaning === 'released' || d.meaning === 'accepted')) return { standing: 'signed', decision: d };
    if (!d && this.isHistory(lot)) return { standing: 'history', decision: null };
    return { standing: 'unsigned', decision: d };
  }

  /** A lot that has not had its first decision yet (a live lot in quarantine or on hold, never decided). */
  awaitingFirstDecision(lot: Row): boolean {
    const status = lot['status'] as string;
    if (status !== 'quarantine' && status !== 'on_hold') return false;
    if (this.isHistory(lot) && status === 'on_hold') return false;
    return !this.db
      .prepare(
        "SELECT 1 FROM signature WHERE entity = 'lot' AND entity_id = ? AND retired = 0 AND meaning IN ('accepted', 'released', 'held') LIMIT 1",
      )
      .get(lot.id);
  }

  /**
   * Under a hold: on hold after a decision (a signed hold, an OOS hold of a released lot, a
   * history lot the ERP had on hold), or signed `held` while awaiting its first decision.
   */
  isHeld(lot: Row): boolean {
    const d = this.latestDecision(lot);
    if (d?.meaning === 'held') return true;
    return lot['status'] === 'on_hold' && !this.awaitingFirstDecision(lot);
  }

  // ------------------------------------------------------------------ recalls

  /**
   * Open recalls covering a lot: the recall's root lot, or (forward and both directions) a
   * lot made from it at any depth. Computed from the records when asked.
   */
  openRecallsFor(lotCode: string): string[] {
    const any = this.db
      .prepare("SELECT 1 FROM recall_drill WHERE mode = 'recall' AND status = 'open' AND retired = 0 LIMIT 1")
      .get();
    if (!any) return [];
    return (
      this.db
        .prepare(
          `WITH RECURSIVE anc(code, d) AS (
             SELECT ?, 0
             UNION SELECT c.input_lot, anc.d + 1 FROM consumption c JOIN anc ON c.output_lot = anc.code WHERE anc.d < 64 AND c.retired = 0
           )
           SELECT DISTINCT r.code FROM recall_drill r JOIN anc ON anc.code = r.root_lot
           WHERE r.mode = 'recall' AND r.status = 'open' AND r.retired = 0 AND (anc.d = 0 OR r.direction <> 'backward')
           ORDER BY r.code`,
        )
        .all(lotCode) as Array<{ code: string }>
    ).map((r) => r.code);
  }

  // ------------------------------------------------------------------ quantities

  remaining(lot: Row): string {
    return remainingOf(this.db, lot);
  }

  /** Shipped and returned quantities of one shipment line (in the lot's unit). */
  shipmentBalance(shipment: Row, lotUnit: string): { shipped: Dec; returned: Dec } {
    const shipped = sumIn([{ quantity: shipment['quantity'] as string, unit: shipment['unit'] as string }], lotUnit);
    const returned = sumIn(
      this.db
        .prepare(
          "SELECT quantity, unit FROM stock_movement WHERE movement = 'return' AND shipment_id = ? AND retired = 0",
        )
        .all(shipment.id) as Array<{ quantity: string; unit: string }>,
      lotUnit,
    );
    return { shipped, returned };
  }

  /** Everything shipped of a lot less everything returned (the bound of a return movement), in the lot's unit. */
  returnable(lot: Row): Dec {
    const unit = lot['unit'] as string;
    const shipped = sumIn(
      this.db
        .prepare('SELECT quantity, unit FROM shipment WHERE lot_code = ? AND retired = 0')
        .all(lot['code']) as Array<{ quantity: string; unit: string }>,
      unit,
    );
    const returned = sumIn(
      this.db
        .prepare("SELECT quantity, unit FROM stock_movement WHERE lot_code = ? AND movement = 'return' AND retired = 0")
        .all(lot['code']) as Array<{ quantity: string; unit: string }>,
      unit,
    );
    return shipped.minus(returned);
  }

  // ------------------------------------------------------------------ the use rule

  /**
   * Why a lot may not be shipped or consumed at all — no override can allow it: rejected,
   * expired, under an open recall, held, or its status no longer backed by a valid signed
   * decision. Null: the usual status rule applies (accepted/released, else an override).
   */
  useBlock(lot: Row, when: string): AppError | null {
    const code = lot['code'] as string;
    const status = lot['status'] as string;
    if (status === 'rejected') return appError('forbidden', { lot: code, status }, 'errors.lot_rejected');
    const exp = lot['expiry_date'] as string | null;
    if (exp && exp.slice(0, 10) < when) return appError('forbidden', { lot: code, expiry: exp }, 'errors.lot_expired');
    const recalls = this.openRecallsFor(code);
    if (recalls.length)
      return appError('forbidden', { lot: code, recalls: recalls.join(', ') }, 'errors.lot_under_recall');
    if (this.isHeld(lot)) return appError('forbidden', { lot: code, status }, 'errors.lot_held');
    const s = this.standing(lot);
    if (s.standing === 'broken')
      return appError(
        'forbidden',
        { lot: code, meaning: s.decision?.meaning ?? '', by: s.decision?.printedName ?? '' },
        'errors.lot_signature_broken',
      );
    if (s.standing === 'unsigned') return appError('forbidden', { lot: code, status }, 'errors.lot_status_unsigned');
    return null;
  }

  /** Lots a hold or recall acts on: not rejected, stock left, not already held (shipped before or not). */
  holdable(lot: Row): boolean {
    if (lot['status'] === 'rejected') return false;
    if (!new D(this.remaining(lot)).greaterThan(0)) return false;
    return !this.isHeld(lot);
  }

  /**
   * Holds one lot inside the caller's transaction (issue 19 §2), re-reading it there: a lot in
   * use (accepted, released) or in quarantine goes on hold; a lot awaiting its first release
   * keeps its status and is marked held by the signature (`sign`, meaning `held`), so it needs a
   * release from hold. Lots rejected, without stock, or held already are left alone (false).
   */
  holdInside(w: LedgerWriter, lotId: string, why: string, sign: () => void): boolean {
    const cur = w.get(L.lot, lotId);
    if (!cur || !this.holdable(cur)) return false;
    if (cur['status'] !== 'on_hold') w.update(L.lot, lotId, { status: 'on_hold' }, { reason: why });
    sign();
    return true;
  }
}
