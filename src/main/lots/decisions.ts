import type { LotView } from '../../shared/contract/channels/lots';
import { AppErrorException, type AppError } from '../../shared/contract/errors';
import { actorOf, expectMeaning } from '../identity';
import { mustBeRevision, recordChanged } from '../ledger/revision';
import { L } from './entities';
import { asLot, type LotRow, type LotStatus } from './queries';
import type { LotRegister } from './register';

export type Decision = 'accept' | 'release' | 'hold' | 'reject' | 'release_from_hold';

const RECEIVED: ReadonlySet<string> = new Set(['raw_milk', 'ingredient', 'packaging']);

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
 * A lot's status decisions (accept, release, hold, reject, release from hold), each signed by
 * the QA manager. Every guard is checked before the password is asked (a clear early
 * refusal) and again inside the write transaction that acts on it (issue 19 §7).
 */
export class LotDecisions {
  constructor(
    private readonly reg: LotRegister,
    private readonly gate: LotDecisionGate,
  ) {}

  allowedDecisions(lot: LotRow): Decision[] {
    const { kind, status } = lot;
    const out: Decision[] = [];
    const wasHeld = this.reg.q.everHeld(lot.id);
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

  /** Why a decision may not be made on the lot as it is now (null: it may). Checked before and inside the write. */
  private decisionProblem(lot: LotRow, decision: Decision): AppError | null {
    if (!this.allowedDecisions(lot).includes(decision)) {
      return {
        code: 'conflict',
        messageKey: 'errors.lot_decision_not_allowed',
        details: { lot: lot.code, status: lot.status, decision },
      };
    }
    if (decision === 'accept' || decision === 'release' || decision === 'release_from_hold')
      return this.gate.decisionBlock(lot.code, decision);
    return null;
  }

  async decide(
    signerId: string,
    code: string,
    decision: Decision,
    reason: string,
    password: string,
    meaning?: string,
    expectedRev?: number,
  ): Promise<LotView> {
    const { ledger, identity } = this.reg;
    const lot = this.reg.mustLot(code);
    // A stale screen is told at once, before the password (and again inside the write).
    mustBeRevision(ledger, L.lot.name, lot, expectedRev, { lot: code });
    const early = this.decisionProblem(lot, decision);
    if (early) throw new AppErrorException(early);
    const received = RECEIVED.has(lot.kind);
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
    const signer = await identity.authenticateSigner(signerId, password);
    return ledger.write(actorOf(signer), (w) => {
      const cur = asLot(w.get(L.lot, lot.id)!);
      // What the decider saw, under the write lock (D-097): the revision they named, and the
      // status when they asked to sign (a decision taken elsewhere during the password check).
      mustBeRevision(ledger, L.lot.name, cur, expectedRev, { lot: code });
      if (cur.status !== lot.status) throw recordChanged(ledger, L.lot.name, cur.id, lot.rev, cur.rev, { lot: code });
      // Every guard again, under the write lock: what changed during the password check counts.
      const now = this.decisionProblem(cur, decision);
      if (now) throw new AppErrorException(now);
      const row = w.update(L.lot, lot.id, { status: t.status }, { reason });
      identity.sign(w, signer, { def: L.lot, id: lot.id }, { meaning: t.meaning, comment: reason });
      return this.reg.view(row);
    });
  }
}
