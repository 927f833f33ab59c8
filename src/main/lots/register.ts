import type { LotView } from '../../shared/contract/channels/lots';
import { AppErrorException, fail } from '../../shared/contract/errors';
import { permissionsOf } from '../../shared/domain/roles';
import { QuantityDecimal as D, convertQuantity, type QuantityUnit } from '../../shared/domain/units';
import { expectMeaning, userRoles, type IdentityService } from '../identity';
import type { Row } from '../ledger/entities';
import type { Ledger, LedgerWriter } from '../ledger/ledger';
import { localDate, nextSequencedCode } from './codes';
import type { LotControls } from './lot-controls';
import { asLot, type LotKind, type LotQueries, type LotRow } from './queries';

const USABLE: ReadonlySet<string> = new Set(['accepted', 'released']);

/** Default lot code patterns per kind; {yyyyMMdd} is the workstation's local date, {seq} a daily counter. */
export const defaultLotCodePatterns: Record<LotKind, string> = {
  raw_milk: 'RM-{yyyyMMdd}-{seq}',
  ingredient: 'IG-{yyyyMMdd}-{seq}',
  packaging: 'PK-{yyyyMMdd}-{seq}',
  intermediate: 'IM-{yyyyMMdd}-{seq}',
  finished: 'FG-{yyyyMMdd}-{seq}',
};

/** A QA manager's signed exception to the usual status rule, given where the action is recorded. */
export interface Override {
  signerId: string;
  reason: string;
  signature: { password: string; meaning: string; comment?: string | undefined };
}

/**
 * The lot register every part of the lots capability shares: finding a lot, its view, its
 * code, today's local date, and the checks of using a lot (the use rule, the quantity left,
 * an override's signer). Receiving, production, shipments and decisions build on it.
 */
export class LotRegister {
  readonly q: LotQueries;

  constructor(
    readonly ledger: Ledger,
    readonly identity: IdentityService,
    private readonly patterns: () => Partial<Record<LotKind, string>>,
    readonly controls: LotControls,
    /**
     * The plant's zone (issue 22, D-089): a lot's date, its code's date and "today" follow the
     * plant's calendar — Beijing time for a licensed plant — not the zone the server runs in.
     */
    readonly zone: () => string = () => ledger.timeZone,
  ) {
    this.q = controls.queries;
  }

  lotRow(code: string): LotRow | undefined {
    return this.q.lotByCode(code);
  }

  mustLot(code: string): LotRow {
    const r = this.lotRow(code);
    if (!r) fail('not_found', { entity: 'lot', id: code }, 'errors.lot_not_found');
    return r;
  }

  /** Quantity not yet consumed, shipped, sampled or wasted (returns and adjustments count), in the lot's unit. */
  remaining(lot: Row): string {
    return this.controls.remaining(lot);
  }

  view(row: Row): LotView {
    const lot = asLot(row);
    const standing = this.controls.standing(lot);
    return {
      id: lot.id,
      rev: lot.rev,
      code: lot.code,
      kind: lot.kind,
      itemCode: lot.item_code,
      itemName: lot.item_name,
      quantity: lot.quantity,
      unit: lot.unit,
      date: lot.lot_date,
      supplierCode: lot.supplier_code ?? null,
      supplierLot: lot.supplier_lot ?? null,
      expiryDate: lot.expiry_date ?? null,
      location: lot.location ?? null,
      status: lot.status,
      origin: lot.origin,
      remaining: this.remaining(lot),
      decision: {
        standing: standing.standing,
        meaning: standing.decision?.meaning ?? null,
        signedBy: standing.decision?.printedName ?? null,
        signedAt: standing.decision ? new Date(standing.decision.signedAt).toISOString() : null,
      },
      held: this.controls.isHeld(lot),
      recalls: this.controls.openRecallsFor(lot.code),
    };
  }

  today(at: number): string {
    return localDate(this.zone(), at);
  }

  /** Next code from the kind's pattern (shared generator: lots/codes.ts). */
  nextCode(w: LedgerWriter, kind: LotKind, pattern = this.patterns()[kind] ?? defaultLotCodePatterns[kind]): string {
    return nextSequencedCode(w, {
      namespace: 'lot',
      pattern,
      timeZone: this.zone(),
      seqDigits: 3,
      taken: (c) => !!this.lotRow(c),
    });
  }

  /** A QA manager's signed exception (`override`), given at the terminal where the action is recorded. */
  async overrideSigner(o: Override | undefined): Promise<ReturnType<IdentityService['getUser']> | null> {
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
  usable(lot: LotRow, when: string): 'ok' | 'override' {
    const block = this.controls.useBlock(lot, when);
    if (block) throw new AppErrorException(block);
    return USABLE.has(lot.status) ? 'ok' : 'override';
  }

  /** The quantity in the lot's unit, refused when not positive or more than is left. */
  checkQuantity(lot: LotRow, quantity: string, unit: QuantityUnit): string {
    const inLotUnit = convertQuantity(quantity, unit, lot.unit as QuantityUnit);
    if (inLotUnit === null) fail('invalid_input', { field: 'unit', from: unit, to: lot.unit }, 'errors.unit_dimension');
    if (new D(inLotUnit).lte(0)) fail('invalid_input', { field: 'quantity' }, 'errors.quantity_positive');
    const left = this.remaining(lot);
    if (new D(inLotUnit).gt(left))
      fail(
        'invalid_input',
        { field: 'quantity', lot: lot.code, remaining: left, unit: lot.unit },
        'errors.over_remaining',
      );
    return inLotUnit;
  }
}
