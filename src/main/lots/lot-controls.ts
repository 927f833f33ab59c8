import { appError, fail, type AppError } from '../../shared/contract/errors';
import { QuantityDecimal as D, convertQuantity, isQuantityUnit } from '../../shared/domain/units';
import type { SettingsService } from '../identity';
import { entityDef, signedContent, type Row } from '../ledger/entities';
import { canonical, sha256Hex } from '../ledger/hashing';
import type { Ledger, LedgerWriter } from '../ledger/ledger';
import { localDate } from './codes';
import { L } from './entities';
import { asLot, asShipment, lotQueries, type LotQueries, type LotRow, type LotSignatures, type QuantityRow } from './queries';

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
/** An open recall (the recall capability's record): its code, root lot and direction. */
export interface OpenRecall {
  code: string;
  rootLot: string;
  direction: string;
}

export type DecisionStanding = 'signed' | 'history' | 'unsigned' | 'broken' | 'pending';

export interface DecisionSignature {
  id: string;
  meaning: string;
  printedName: string;
  signedAt: number;
  valid: boolean;
}

/** Remaining quantity of a lot (quantity − consumed − shipped − sampled − wasted + returned ± adjustments), in its unit. */
export function remainingOf(q: LotQueries, row: Row): string {
  const lot = asLot(row);
  const unit = lot.unit;
  let left = new D(lot.quantity);
  const add = (r: QuantityRow, sign: 1 | -1) => {
    const c = isQuantityUnit(r.unit) && isQuantityUnit(unit) ? convertQuantity(r.quantity, r.unit, unit) : null;
    if (c !== null) left = sign > 0 ? left.plus(c) : left.minus(c);
  };
  for (const r of q.consumedFrom(lot.code)) add(r, -1);
  for (const r of q.shippedOf(lot.code)) add(r, -1);
  for (const r of q.stockOf(lot.code)) add(r, r.movement === 'return' || r.movement === 'adjustment' ? 1 : -1);
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
  private readonly q: LotQueries;

  constructor(
    private readonly ledger: Ledger,
    private readonly settings: Pick<SettingsService, 'get'>,
    /** The open recalls (the recall capability's, reached when asked: recalls are built after the controls). */
    private readonly openRecalls: () => OpenRecall[],
    /** The lots' signed decisions, asked of identity (it owns the signatures). */
    signatures: LotSignatures,
  ) {
    this.q = lotQueries(ledger.db, signatures);
  }

  /** The lots capability's statements (one set per opened database, shared by its services). */
  get queries(): LotQueries {
    return this.q;
  }

  /** A lot as recorded, by code (retired or not): what other capabilities read of a lot. */
  lot(code: string): LotRow | undefined {
    return this.q.lotByCode(code);
  }

  // ------------------------------------------------------------------ go-live

  /** The database's creation date, local (the go-live date unless an administrator sets another). */
  creationDate(): string {
    return localDate(this.ledger.timeZone, this.q.databaseCreatedAt() ?? this.ledger.now());
  }

  /** From this date on (YYYY-MM-DD, local) LotSeal decides; lots dated before it are history. */
  goLiveDate(): string {
    return this.settings.get().goLiveDate ?? this.creationDate();
  }

  /** A lot dated before the go-live date (its date as written, first ten characters). */
  isHistory(lot: Row): boolean {
    return asLot(lot).lot_date.slice(0, 10) < this.goLiveDate();
  }

  /**
   * A later go-live date would turn live lots into history (whose status the ERP may set):
   * it is refused once any lot is dated on or after the current go-live date.
   */
  checkGoLiveChange(next: string | null | undefined): void {
    const cur = this.goLiveDate();
    const to = next ?? this.creationDate();
    if (to <= cur) return;
    const live = this.q.firstLotFrom(cur);
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
    const s = this.q.latestDecision(lot.id);
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
    const status = asLot(lot).status;
    if (!USABLE.has(status)) return { standing: 'pending', decision: d };
    if (d && (d.meaning === 'released' || d.meaning === 'accepted')) return { standing: 'signed', decision: d };
    if (!d && this.isHistory(lot)) return { standing: 'history', decision: null };
    return { standing: 'unsigned', decision: d };
  }

  /** A lot that has not had its first decision yet (a live lot in quarantine or on hold, never decided). */
  awaitingFirstDecision(lot: Row): boolean {
    const status = asLot(lot).status;
    if (status !== 'quarantine' && status !== 'on_hold') return false;
    if (this.isHistory(lot) && status === 'on_hold') return false;
    return !this.q.everDecided(lot.id);
  }

  /**
   * Under a hold: on hold after a decision (a signed hold, an OOS hold of a released lot, a
   * history lot the ERP had on hold), or signed `held` while awaiting its first decision.
   */
  isHeld(lot: Row): boolean {
    const d = this.latestDecision(lot);
    if (d?.meaning === 'held') return true;
    return asLot(lot).status === 'on_hold' && !this.awaitingFirstDecision(lot);
  }

  // ------------------------------------------------------------------ recalls

  /**
   * Open recalls covering a lot: the recall's root lot, or (forward and both directions) a
   * lot made from it at any depth. Computed from the records when asked.
   */
  openRecallsFor(lotCode: string): string[] {
    const open = this.openRecalls();
    if (!open.length) return [];
    const made = new Set(this.q.ancestors(lotCode).map((a) => a.code));
    const codes = open
      .filter((r) => r.rootLot === lotCode || (r.direction !== 'backward' && made.has(r.rootLot)))
      .map((r) => r.code);
    return [...new Set(codes)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  // ------------------------------------------------------------------ quantities

  remaining(lot: Row): string {
    return remainingOf(this.q, lot);
  }

  /** Shipped and returned quantities of one shipment line (in the lot's unit). */
  shipmentBalance(shipment: Row, lotUnit: string): { shipped: Dec; returned: Dec } {
    const s = asShipment(shipment);
    const shipped = sumIn([{ quantity: s.quantity, unit: s.unit }], lotUnit);
    const returned = sumIn(this.q.returnsOfShipment(s.id), lotUnit);
    return { shipped, returned };
  }

  /** Everything shipped of a lot less everything returned (the bound of a return movement), in the lot's unit. */
  returnable(lot: Row): Dec {
    const { unit, code } = asLot(lot);
    const shipped = sumIn(this.q.shippedOf(code), unit);
    const returned = sumIn(this.q.returnsOfLot(code), unit);
    return shipped.minus(returned);
  }

  // ------------------------------------------------------------------ the use rule

  /**
   * Why a lot may not be shipped or consumed at all — no override can allow it: rejected,
   * expired, under an open recall, held, or its status no longer backed by a valid signed
   * decision. Null: the usual status rule applies (accepted/released, else an override).
   */
  useBlock(row: Row, when: string): AppError | null {
    const lot = asLot(row);
    const { code, status } = lot;
    if (status === 'rejected') return appError('forbidden', { lot: code, status }, 'errors.lot_rejected');
    const exp = lot.expiry_date;
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
    if (asLot(lot).status === 'rejected') return false;
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
    if (asLot(cur).status !== 'on_hold') w.update(L.lot, lotId, { status: 'on_hold' }, { reason: why });
    sign();
    return true;
  }
}
